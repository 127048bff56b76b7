"""One benchmark run: every measurement in order, returned as the plain dict saved as bench/results.json."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measuring.browser import Browser
from bench.measuring.builds import compare, regeneration
from bench.measuring.environment import git_state, machine, versions
from bench.measuring.profiles import browser_profiles, python_profiles
from bench.measuring.scale import scale


@dataclass(frozen=True)
class Plan:
    """How much to repeat: the full run, or --quick (single builds and loads, fewer pairs)."""

    sizes: tuple[int, ...]
    quick: bool

    @property
    def pairs(self) -> int:
        return 3 if self.quick else 5

    @property
    def regeneration_runs(self) -> int:
        return 3 if self.quick else 5

    @property
    def default_page_loads(self) -> int:
        return 3 if self.quick else 5

    def runs_for(self, n: int) -> int:
        return 1 if self.quick else 5

    def loads_for(self, n: int) -> int:
        return 1 if self.quick else (3 if n >= 100_000 else 5)


def _header(browser: Browser, plan: Plan) -> dict[str, Any]:
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "quick": plan.quick,
        "machine": machine(),
        "versions": versions(),
        "chromium": browser.version,
        "git": git_state(),
        "loadavg_start": os.getloadavg()[0],
    }


def measure_all(plan: Plan, work: Path) -> dict[str, Any]:
    """Run every measurement with one Chromium; `work` holds the pages, data copies and profiles."""
    started = time.perf_counter()
    browser = Browser()
    results = _header(browser, plan)
    try:
        results["compare"] = compare(work, browser, pairs=plan.pairs, loads=plan.default_page_loads)
        results["regeneration"] = regeneration(work, runs=plan.regeneration_runs)
        results["scale"] = scale(
            work, browser, sorted(plan.sizes), runs_for=plan.runs_for, loads_for=plan.loads_for, quick=plan.quick
        )
        sizes = results["scale"]["sizes"]
        results["profiles"] = {
            "python": python_profiles(work, sizes, quick=plan.quick),
            "browser": browser_profiles(browser, Path(results["compare"]["paths"]["ours"]), sizes),
        }
    finally:
        browser.close()
    results["elapsed_s"] = time.perf_counter() - started
    results["git_end"] = git_state()
    results["loadavg_end"] = os.getloadavg()[0]
    return results
