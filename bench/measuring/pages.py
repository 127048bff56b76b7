"""The browser figures of one built page: requests, drawn time, heap, the time filter, and a CPU profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import SCALE_TIMEOUT_MS
from bench.measuring.browser import Browser
from bench.measuring.cpu_profile import cpu_profile_summary


@dataclass
class PageFigures:
    bytes: int
    requests: int
    request_urls: list[str]
    drew: bool
    drawn_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)
    heap_mb: list[float] = field(default_factory=list)
    filter_sync_ms: list[float] = field(default_factory=list)
    filter_frame_ms: list[float] = field(default_factory=list)
    filter_runs: list[dict[str, Any]] = field(default_factory=list)
    # The search: the first query (which may build an index) apart from the median of the later ones.
    search_runs: list[dict[str, Any]] = field(default_factory=list)
    search_first_ms: float | None = None
    search_ms: list[float] = field(default_factory=list)
    search_index_ready_ms: float | None = None  # page clock: when the idle-time search index was complete
    marks: dict[str, Any] = field(default_factory=dict)
    timing: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def measure_page(browser: Browser, path: Path, *, ours: bool, loads: int, timeout_ms: int) -> PageFigures:
    """Open the page `loads` times offline; the time filter is measured on the first load of our page."""
    figures = PageFigures(bytes=path.stat().st_size, requests=0, request_urls=[], drew=True)
    for k in range(loads):
        load, filter_runs, _ = browser.load(path, ours=ours, timeout_ms=timeout_ms, measure_filter=ours and k == 0)
        figures.requests = max(figures.requests, len(load.requests))
        figures.request_urls = sorted(set(figures.request_urls) | set(load.requests))
        figures.drew = figures.drew and load.drew
        figures.wall_ms.append(load.wall_ms)
        if load.drawn_ms is not None:
            figures.drawn_ms.append(load.drawn_ms)
        if load.heap_used is not None:
            figures.heap_mb.append(load.heap_used / 1e6)
        if filter_runs:
            figures.filter_runs = filter_runs
            figures.filter_sync_ms = [r["syncMs"] for r in filter_runs]
            figures.filter_frame_ms = [r["frameMs"] for r in filter_runs]
        if load.search_runs:
            figures.search_runs = load.search_runs
            figures.search_first_ms = load.search_runs[0]["syncMs"]
            figures.search_ms = [r["syncMs"] for r in load.search_runs[1:]]
            figures.search_index_ready_ms = load.search_runs[0].get("indexReadyMs")
        if k == 0:
            figures.marks, figures.timing, figures.errors = load.marks, load.timing, load.errors[:5]
        if not load.drew:
            break  # a page that cannot draw offline will not draw on a second try either
    return figures


def browser_profile(browser: Browser, html: Path) -> dict[str, Any]:
    """One load of our page under the CDP CPU profiler, summarised, with the page-clock marks."""
    (html.parent / "blank.html").write_text("<!DOCTYPE html><title>blank</title>\n", encoding="utf-8")
    load, _, profile = browser.load(html, ours=True, timeout_ms=SCALE_TIMEOUT_MS, profile=True)
    summary = cpu_profile_summary(profile, html) if profile else {}
    return {"summary": summary, "marks": load.marks, "timing": load.timing}
