"""bench/RESULTS.md from a run's figures, and both output files (RESULTS.md and results.json beside it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.reporting.compare import compare_lines, regeneration_lines
from bench.reporting.header import header_lines
from bench.reporting.plot import write_plot
from bench.reporting.profiles import profile_lines
from bench.reporting.scale import scale_lines
from bench.reporting.targets import target_lines


def render_report(results: dict[str, Any]) -> str:
    """The whole report as Markdown, from the dict the measuring half returned (or results.json)."""
    lines = [
        *header_lines(results),
        *compare_lines(results["compare"]),
        *scale_lines(results.get("scale") or {}),
        *regeneration_lines(results["regeneration"]),
        *target_lines(results),
        *profile_lines(results["profiles"]),
    ]
    return "\n".join(lines) + "\n"


def write_report(results: dict[str, Any], path: Path) -> None:
    path.write_text(render_report(results), encoding="utf-8")


def write_outputs(results: dict[str, Any], report: Path) -> Path:
    """results.json beside the report, first (the figures survive a report that fails), then the growth plot
    (growth.png, when two sizes or more were measured), then the report, which links to it."""
    raw = report.with_name("results.json")
    raw.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    if results.get("scale"):
        results["scale"]["plot"] = write_plot(results["scale"], report.parent)
        raw.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    write_report(results, report)
    return raw
