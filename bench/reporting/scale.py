"""The report's "Scale: synthetic event sets" section: builds per format, the page, and growth between sizes."""

from __future__ import annotations

import itertools
import math
from typing import Any

from bench.common import median
from bench.reporting.targets import startup_phases
from bench.reporting.text import fmt_bytes, fmt_ms, fmt_s, ratio_text


def _intro(scale: dict[str, Any]) -> list[str]:
    t = scale["template"]
    return [
        "## Scale: synthetic event sets",
        "",
        f"A copy of data/ with every GeoNames cities500 settlement of Zabaykalsky Krai added to places.yaml "
        f"({t['added_places']} added, {t['points']} point places in all) and the layers regenerated; then "
        "N generated events (`bench/measuring/synth.py`): ~78 % `settlement` and 2 % `exact` at those places, "
        f"7 % `region` ({', '.join(t['regions'])}), 5 % `district` (the {len(t['districts'])} depot regions), "
        "8 % `undisclosed`; "
        "dates 1689–2021 (half after 2000) at every time precision; one or two citations of existing sources; "
        "no claims. Texts are short (title 30–70 characters, description 60–200, confirms 40–70) and come from "
        f"a word-level Markov chain over the project's own prose ({t.get('vocabulary', '?')} words), so they "
        "compress roughly like real writing.",
        "",
    ]


def _formats_paragraph(scale: dict[str, Any]) -> list[str]:
    sizes = scale["sizes"]
    no_jsonl = (
        "This version of the build does not read events.jsonl, so only events.yaml is measured. "
        if scale.get("jsonl_supported") is False
        else ""
    )
    both = [f"{int(n):,}" for n, s in sizes.items() if {"yaml", "jsonl"} <= set(s["formats"])]
    identical = (
        " The pages built from the two formats are byte-identical."
        if all(s.get("identical_pages", True) for s in sizes.values())
        else " The pages built from the two formats differ."
    )
    warm = any(e.get("warm_up", True) for s in sizes.values() for e in s["formats"].values())
    built = (
        "first once by the unmodified build (untimed; records whether it is accepted), then timed. "
        if warm
        else "once, timed, by the unmodified build (single runs: `--quick` or `--events`). "
    )
    written = (
        f"At {', '.join(both)} events each size is written twice, as events.yaml (the hand-written format) and as "
        "events.jsonl (one JSON object per line, the bulk format); every other size as events.jsonl only. "
        if both
        else "Every size is written as events.jsonl (one JSON object per line, the bulk format). "
    )
    return [
        written
        + "Each is built from its own copy: "
        + built
        + no_jsonl
        + "Browser figures are for the page from the format the unmodified build accepts (events.jsonl when "
        "both are measured)." + (identical if both else ""),
        "",
    ]


def _refused(sizes: dict[Any, Any]) -> list[str]:
    refused = [
        (n, f, e["refused_unmodified"]) for n, s in sizes.items() for f, e in s["formats"].items() if not e["accepted"]
    ]
    if not refused:
        return []
    lifted = [f"{int(n):,} ({f})" for n, f, _ in refused if sizes[n]["formats"][f]["limit_lifted"]]
    lifted_text = (
        " Measured anyway with the YAML size limit (`geo.casefile.yamlsafe`) lifted for the benchmark's child "
        "process only (`bench/child.py --lift-size-limit`): " + ", ".join(lifted) + "."
        if lifted
        else ""
    )
    return [
        "**Refused by the unmodified build:** "
        + ", ".join(f"{int(n):,} events as events.{f}" for n, f, _ in refused)
        + f" — {refused[0][2].rstrip('.')}."
        + lifted_text,
        "",
    ]


def _format_cells(entry: dict[str, Any] | None) -> list[str]:
    if not entry:
        return ["–", "–", "–"]
    if not entry["seconds"]:
        return [fmt_bytes(entry["events_bytes"]), "refused" if not entry["accepted"] else "–", "–"]
    mark = " ‡" if entry["limit_lifted"] else ""
    runs = len(entry["seconds"])
    return [
        fmt_bytes(entry["events_bytes"]),
        f"{fmt_s(median(entry['seconds']))}{mark} ({runs} run{'s' if runs > 1 else ''})",
        f"{median(entry['max_rss_mb']):,.0f} MB",
    ]


def _size_row(n: Any, s: dict[str, Any]) -> dict[str, Any]:
    """The figures of one size for the page's format (None where not measured)."""
    p = s.get("page")
    primary = s["formats"].get(s.get("primary")) if s.get("primary") else None
    return {
        "n": int(n),
        "build": median(primary["seconds"]) if primary else None,
        "rss": median(primary["max_rss_mb"]) if primary else None,
        "bytes": p["bytes"] if p else None,
        "drawn": median(p["drawn_ms"]) if p else None,
        "filter": median(p["filter_sync_ms"]) if p else None,
        "frame": median(p["filter_frame_ms"]) if p else None,
        "heap": median(p["heap_mb"]) if p else None,
        "search": median(p.get("search_ms") or []) if p else None,
        "search_first": p.get("search_first_ms") if p else None,
        "index_ready": p.get("search_index_ready_ms") if p else None,
    }


def _page_cells(row: dict[str, Any], page: dict[str, Any] | None) -> list[str]:
    if not page:
        return ["–"] * 5
    return [
        fmt_bytes(row["bytes"]),
        fmt_ms(row["drawn"]) if page["drew"] else "never drew",
        f"{fmt_ms(row['filter'])} / {fmt_ms(row['frame'])}",
        f"{fmt_ms(row['search'])} (first {fmt_ms(row['search_first'])}; index ready at {fmt_ms(row['index_ready'])})",
        f"{row['heap']:.0f} MB" if row["heap"] is not None else "–",
    ]


def _table(sizes: dict[Any, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    lines = [
        "| events | events.yaml | build from it (median) | peak RSS | events.jsonl | build from it (median) | "
        "peak RSS | page | drawn offline (median) | time filter: applyFilter / to next frame | search: median "
        "(first query; idle-time index complete, page clock) | JS heap |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = []
    for n, s in sizes.items():
        row = _size_row(n, s)
        rows.append(row)
        cells = [
            f"{row['n']:,}",
            *_format_cells(s["formats"].get("yaml")),
            *_format_cells(s["formats"].get("jsonl")),
            *_page_cells(row, s.get("page")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if any(e["limit_lifted"] for s in sizes.values() for e in s["formats"].values()):
        lines += ["", "‡ measured with the readers' size limits lifted (refused by the unmodified build)."]
    return lines, rows


def _growth(rows: list[dict[str, Any]]) -> list[str]:
    rows = [r for r in rows if r["build"] is not None and r["bytes"] is not None]
    if len(rows) <= 1:
        return []
    lines = [
        "",
        "Growth between sizes, for the page's format (each step is ×10 events; ×10 would be linear):",
        "",
        "| step | build | peak RSS | file | marginal bytes / event | drawn | time filter | search | JS heap |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for a, b in itertools.pairwise(rows):
        marginal = (b["bytes"] - a["bytes"]) / (b["n"] - a["n"])
        lines.append(
            f"| {a['n']:,} → {b['n']:,} | {ratio_text(b['build'], a['build'])} | "
            f"{ratio_text(b['rss'], a['rss'])} | "
            f"{ratio_text(b['bytes'], a['bytes'])} | {marginal:,.0f} | {ratio_text(b['drawn'], a['drawn'])} | "
            f"{ratio_text(b['filter'], a['filter'])} | {ratio_text(b['search'], a['search'])} | "
            f"{ratio_text(b['heap'], a['heap'])} |"
        )
    first, last = rows[0], rows[-1]
    if last["build"] and first["build"]:
        slope = math.log(last["build"] / first["build"]) / math.log(last["n"] / first["n"])
        lines += [
            "",
            f"Build time over the whole range grows as N^{slope:.2f} (fixed costs — start-up, imports, "
            "layers — flatten the small end).",
        ]
    return lines


def _startup(sizes: dict[Any, Any]) -> list[str]:
    """The largest page's start-up by phase, on the page's clock: what dominates."""
    n = max(sizes, key=int)
    page = sizes[n].get("page")
    phases = startup_phases(page) if page else []
    if not phases:
        return []
    lines = ["", f"The {int(n):,}-event page's start-up, longest phase first (page clock, first load):", ""]
    lines += [f"- {name}: {fmt_ms(ms)}" for name, ms in phases]
    return lines


def _plot(scale: dict[str, Any]) -> list[str]:
    plot = scale.get("plot")
    if not plot:
        return []
    if not plot.get("file"):
        return ["", f"No growth plot: {plot['why']}."]
    return ["", f"![growth from {plot['first']:,} to {plot['last']:,} events]({plot['file']})"]


def scale_lines(scale: dict[str, Any]) -> list[str]:
    """The whole section, or nothing when no sizes were measured."""
    sizes = scale.get("sizes", {})
    if not sizes:
        return []
    table, rows = _table(sizes)
    return [
        *_intro(scale),
        *_formats_paragraph(scale),
        *_refused(sizes),
        *table,
        *_growth(rows),
        *_plot(scale),
        *_startup(sizes),
        "",
    ]
