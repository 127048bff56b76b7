"""The report's opening: when and how it was measured, the code, the load, the machine and the versions."""

from __future__ import annotations

import subprocess
from typing import Any

from bench.common import ROOT


def code_change(start: str, end: str) -> str:
    """What changed under geo/, data/ and build_map.py between two commits (read-only git)."""
    a, b = start.split()[0], end.split()[0]
    try:
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "diff", "--name-only", a, b, "--", "geo", "data", "build_map.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return "unknown changes"
    return "changed: " + ", ".join(changed) if changed else "nothing under geo/, data/ or build_map.py"


def _provenance(results: dict[str, Any]) -> str:
    text = (
        f"Written by `bench/run.py{' --quick' if results['quick'] else ''}` on {results['date']} "
        f"(total run time {results['elapsed_s'] / 60:.1f} min). Code: {results['git']}"
    )
    if results.get("git_end", results["git"]) != results["git"]:
        text += (
            f" at the start, {results['git_end']} at the end: the code changed during the run"
            f" ({code_change(results['git'], results['git_end'])})."
        )
    else:
        text += "."
    if "loadavg_start" in results:
        text += (
            f" Load average (1 min) {results['loadavg_start']:.2f} at the start and {results['loadavg_end']:.2f} "
            "at the end: the machine is shared, so some spread comes from other work."
        )
    if results.get("sizes_planned"):
        text += (
            f" Sizes: {', '.join(f'{int(n):,}' for n in results['sizes_planned'])} events; the plan's steps add up to"
            f" {results['budget_s']:.0f} s on a quiet machine (bench/measuring/session.py ALLOWANCE_S)."
        )
    return text


def header_lines(results: dict[str, Any]) -> list[str]:
    m, v = results["machine"], results["versions"]
    return [
        "# casemap benchmark results",
        "",
        _provenance(results),
        "",
        "## Machine and versions",
        "",
        f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, Linux {m['kernel']}",
        f"- Python {m['python']}; Chromium {results['chromium']} (Debian, headless, via Playwright {v['playwright']})",
        "- packages: " + ", ".join(f"{k} {val}" for k, val in v.items() if k != "playwright"),
        "",
    ]
