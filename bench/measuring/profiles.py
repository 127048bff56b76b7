"""Profiles: cProfile of the default build and of the largest synthetic size; CDP CPU profiles of the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.common import DATA, log
from bench.measuring.browser import Browser
from bench.measuring.composition import page_composition
from bench.measuring.pages import browser_profile
from bench.measuring.processes import PYTHON, checked, ours_command, run_child


def python_profile(work: Path, name: str, data_dir: Path, *, lift: bool) -> Path:
    """One build of ours under `python -m cProfile`; returns the .prof file (read by the report)."""
    prof = work / f"{name}.prof"
    command = [
        PYTHON,
        "-m",
        "cProfile",
        "-o",
        prof,
        *ours_command(data_dir, work / f"profiled-{name}.html", lift=lift)[1:],
    ]
    log(f"cProfile: {name}")
    run = checked(run_child(command, measure_memory=False), f"cProfile {name}")
    log(f"  {run.seconds:.1f} s under cProfile")
    return prof


def python_profiles(work: Path, sizes: dict[int, Any], *, profile_largest: bool) -> list[dict[str, str]]:
    """The default build, and the largest size in each format it was measured in (the full run only)."""
    out = [{"title": "default build", "path": str(python_profile(work, "default", DATA, lift=False))}]
    biggest = max(sizes) if sizes else None
    if not biggest or not profile_largest:
        return out
    for fmt, entry in sizes[biggest]["formats"].items():
        if entry["seconds"]:
            prof = python_profile(work, f"events-{biggest}-{fmt}", Path(entry["data_dir"]), lift=entry["limit_lifted"])
            lifted = ", size limit lifted" if entry["limit_lifted"] else ""
            out.append({"title": f"{biggest:,}-event build from events.{fmt}{lifted}", "path": str(prof)})
    return out


def _page_profile(browser: Browser, title: str, html: Path) -> dict[str, Any]:
    return {"title": title, **browser_profile(browser, html), "composition": page_composition(html)}


def browser_profiles(browser: Browser, default_html: Path, sizes: dict[int, Any]) -> list[dict[str, Any]]:
    """The default page, and the largest synthetic page if one was built."""
    log("browser CPU profile: default page")
    out = [_page_profile(browser, "default page", default_html)]
    biggest = max(sizes) if sizes else None
    if biggest and sizes[biggest].get("html"):
        log(f"browser CPU profile: {biggest:,}-event page")
        out.append(_page_profile(browser, f"{biggest:,}-event page", Path(sizes[biggest]["html"])))
    return out
