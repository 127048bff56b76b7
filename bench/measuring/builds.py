"""Timing the builds of the committed case: ours against the baseline, and regeneration of the layers."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.common import BASELINE_TIMEOUT_MS, DATA, DEFAULT_TIMEOUT_MS, log
from bench.measuring.browser import Browser
from bench.measuring.pages import measure_page
from bench.measuring.processes import Run, baseline_command, checked, ours_command, regenerate_command, run_child


def _run_record(run: Run) -> dict[str, Any]:
    return asdict(run) | {"stdout": "", "stderr": ""}


def _timed_pair(index: int, base_out: Path, ours_out: Path) -> tuple[Run, Run]:
    """One baseline build and one of ours, alternating which goes first, so neither always runs on a just-warmed
    cache."""

    def baseline() -> Run:
        return checked(run_child(baseline_command(base_out)), "baseline build")

    def ours() -> Run:
        return checked(run_child(ours_command(DATA, ours_out)), "our build")

    if index % 2 == 0:
        b = baseline()
        return b, ours()
    o = ours()
    return baseline(), o


def compare(work: Path, browser: Browser, *, pairs: int, loads: int) -> dict[str, Any]:
    """Build both pages `pairs` times back to back after one untimed warm-up each, then open both offline."""
    base_out, ours_out = work / "baseline.html", work / "ours.html"
    log("baseline vs ours: warm-up (one untimed run each)")
    checked(run_child(baseline_command(base_out)), "baseline build")
    checked(run_child(ours_command(DATA, ours_out)), "our build")
    base_runs, ours_runs, ratios = [], [], []
    for i in range(pairs):
        b, o = _timed_pair(i, base_out, ours_out)
        base_runs.append(b)
        ours_runs.append(o)
        ratios.append(o.seconds / b.seconds)
        log(f"  pair {i + 1}/{pairs}: baseline {b.seconds:.2f} s, ours {o.seconds:.2f} s, ratio {ratios[-1]:.2f}")
    log("opening both pages offline in Chromium")
    ours_page = measure_page(browser, ours_out, ours=True, loads=loads, timeout_ms=DEFAULT_TIMEOUT_MS)
    base_page = measure_page(browser, base_out, ours=False, loads=1, timeout_ms=BASELINE_TIMEOUT_MS)
    return {
        "baseline": {"runs": [_run_record(r) for r in base_runs], "page": asdict(base_page)},
        "ours": {"runs": [_run_record(r) for r in ours_runs], "page": asdict(ours_page)},
        "ratios": ratios,
        "paths": {"baseline": str(base_out), "ours": str(ours_out)},
    }


def regeneration(work: Path, *, runs: int) -> dict[str, Any]:
    """`build_map.py regenerate` on a copy of data/, and whether it reproduces the committed layers byte for byte."""
    copy = work / "regen-data"
    shutil.copytree(DATA, copy)
    command = regenerate_command(copy)
    log("regeneration: warm-up")
    checked(run_child(command), "regenerate")
    timed = []
    for i in range(runs):
        timed.append(checked(run_child(command), "regenerate"))
        log(f"  regenerate {i + 1}/{runs}: {timed[-1].seconds:.2f} s")
    produced = [copy / "manifest.json", *sorted((copy / "layers").glob("*.geojson"))]
    identical = all(p.read_bytes() == (DATA / p.relative_to(copy)).read_bytes() for p in produced)
    return {
        "seconds": [r.seconds for r in timed],
        "max_rss_mb": [r.max_rss_mb for r in timed],
        "identical_to_committed": identical,
    }
