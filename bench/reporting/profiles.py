"""The report's "Profiles: what dominates" section: Python (cProfile files) and browser (CDP CPU profiles)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.reporting import pstats_summary
from bench.reporting.text import fmt_bytes, fmt_ms

PHASE_MARKS = (
    ("responseEnd", "file read (navigation timing responseEnd)"),
    (
        "startBegin",
        "Casemap.start called (HTML parsed up to folium's script; Leaflet, casemap.js and folium's layers evaluated)",
    ),
    ("startEnd", "Casemap.start returned"),
    ("jsonParseAt", "JSON.parse of the payload begins"),
    ("jsonParseEnd", "JSON.parse of the payload ends"),
    ("startSettled", "Casemap.start's promise settled"),
    ("ready", "data-casemap-ready set"),
    ("drawn", "first frame after ready: **drawn**"),
)

DOMINANT_PY = (
    pstats_summary.EVENT_CHECKS,
    "    parse_yaml (YAML compose)",
    "    " + pstats_summary.JSONL_READING,
    "    _convert (nodes to Mapping/Sequence)",
    "  packed_json_bytes (events as columns, JSON, gzip, base 85)",
    "  content_security_policy (sha256 of the intended code)",
    "  branca/folium render (templates)",
    "  read_layer (the GeoJSON layers)",
    "write_file_atomically",
)


def phase_lines(marks: dict[str, Any], timing: dict[str, float]) -> list[str]:
    """The load as a timeline on the page clock, whatever order the page does things in."""
    values: dict[str, float] = {k: v for k, v in marks.items() if isinstance(v, int | float)}
    if (response_end := timing.get("responseEnd")) is not None:
        values["responseEnd"] = response_end
    points = sorted(((values[k], k, label) for k, label in PHASE_MARKS if k in values), key=lambda x: x[0])
    if not points:
        return ["(the page's phases were not recorded)"]
    rows = ["| at | since the previous mark | mark |", "|---:|---:|---|"]
    previous = 0.0
    for at, _key, label in points:
        rows.append(f"| {fmt_ms(at)} | {fmt_ms(at - previous)} | {label} |")
        previous = at
    parse_at, begin, end = marks.get("jsonParseAt"), marks.get("startBegin"), marks.get("startEnd")
    if parse_at is not None and end is not None and parse_at > end and begin is not None:
        rows += [
            "",
            f"Between Casemap.start returning and JSON.parse: decoding the data block (base 85, gzip inflate "
            f"through DecompressionStream, UTF-8): {fmt_ms(parse_at - end)}.",
        ]
    rows += [
        "",
        f"JSON.parse: {fmt_ms(marks.get('jsonParseMs'))} for {marks.get('jsonParseChars', 0) / 1e6:.1f} M characters.",
    ]
    return rows


def profile_table(summary: dict[str, Any], key: str, count: int) -> list[str]:
    rows = ["| ms | share of busy time | function (script) |", "|---:|---:|---|"]
    busy = summary.get("busy_ms") or 1
    for name, ms in summary.get(key, [])[:count]:
        rows.append(f"| {ms:,.0f} | {100 * ms / busy:.0f} % | `{name}` |")
    return rows


def _event_lines(comp: dict[str, Any]) -> list[str]:
    n = comp["events"]
    lines = [
        f"- events: {comp['events_bytes'] / n:,.0f} bytes per event, of which free text (title, description, "
        f"labels, notes, confirms) {comp['event_free_text'] / n:,.0f} and structure (keys, ids, dates, enums, "
        f"nulls, empty strings, punctuation) {comp['event_structure'] / n:,.0f}",
        "- bytes per event by field: " + ", ".join(f"{k} {v / n:,.0f}" for k, v in comp["event_fields"]),
    ]
    est = comp.get("estimates") or {}
    if est:
        lines.append(
            "- the events in other encodings (estimates, bytes per event): as in the page "
            f"{est['as_is'] / n:,.0f}; without null/empty values {est['no_empty'] / n:,.0f}; columnar (one array "
            "per field, source ids as indices, generated date labels dropped) "
            f"{est['columnar'] / n:,.0f}; the free text alone {est['text_only'] / n:,.0f}; "
            f"gzip + base64 of the JSON as is {est['gzip_base64'] / n:,.0f} "
            f"(gzip keeps {100 * est.get('gzip_ratio', 0):.0f} % of the events' JSON)"
        )
    lines.append(
        '- empty values written out (`"public":null`, `"claims":null`, `"note":""`, `"label":""`): '
        f"{comp['empty_values']:,}"
    )
    return lines


def composition_lines(comp: dict[str, Any]) -> list[str]:
    lines = [
        f"- page {fmt_bytes(comp['total_bytes'])}; data block ({comp.get('payload_type', '?')}) "
        f"{fmt_bytes(comp['payload_bytes'])} ({100 * comp['payload_share']:.0f} % of the page), "
        f"{fmt_bytes(comp.get('json_bytes', comp['payload_bytes']))} of JSON once decoded; JSON by key: "
        + ", ".join(f"{k} {fmt_bytes(v)}" for k, v in comp["by_key"][:5]),
    ]
    return lines + (_event_lines(comp) if comp["events"] else [])


def python_findings(prof: Path) -> tuple[list[str], str]:
    """The build's phases, top self times and pstats' table from one .prof file; and the three largest costs."""
    whole = pstats_summary.total_time(prof)
    phases = pstats_summary.phase_times(prof)
    lines = [
        f"Whole run under cProfile: {whole:.2f} s (cProfile slows Python-heavy code; shares matter, not seconds).",
        "",
        "| phase (cumulative) | s | share |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| `{label.strip()}`{' (nested)' if label.startswith('  ') else ''} | {s:.2f} | {100 * share:.0f} % |"
        for label, s, share in phases
    ]
    leaf = [(label.strip(), s, share) for label, s, share in phases if label in DOMINANT_PY]
    imports = pstats_summary.import_share(prof)
    candidates = [*leaf, ("imports (folium, branca, jinja2, numpy, shapely, …)", imports * whole, imports)]
    ranked = sorted(candidates, key=lambda item: item[1], reverse=True)[:3]
    verdict = "; ".join(f"`{name}` ({100 * share:.0f} % of the run)" for name, _s, share in ranked)
    lines += ["", "Top self time:", "", "| calls | s | function |", "|---:|---:|---|"]
    lines += [f"| {nc:,} | {tt:.2f} | `{name}` |" for name, nc, tt in pstats_summary.top_self(prof, 10)]
    lines += ["", "<details><summary>pstats, top entries by cumulative time</summary>", "", "```"]
    lines += [pstats_summary.top_cumulative(prof, 25), "```", "", "</details>"]
    return lines, verdict


def browser_findings(profile: dict[str, Any]) -> tuple[list[str], str]:
    """Self time by script, inclusive and self time by function; and the heaviest casemap.js functions."""
    summary = profile.get("summary") or {}
    if not summary:
        return ["(no CPU profile)"], "?"
    lines = [
        f"CPU profile of one load (sampling every 0.25 ms): {summary['busy_ms']:,.0f} ms busy "
        f"of {summary['total_ms']:,.0f} ms recorded.",
        "",
        "Self time by script: "
        + ", ".join(f"{name} {ms:,.0f} ms" for name, ms in summary["by_script"][:8])
        + " (`(program)` is the browser's own work outside JavaScript: HTML parsing, style, layout, paint).",
        "",
        "Inclusive time (a function and everything it calls):",
        "",
        *profile_table(summary, "inclusive", 22),
        "",
        "Self time:",
        "",
        *profile_table(summary, "self", 12),
    ]
    case_fns = [
        (n, ms)
        for n, ms in summary["inclusive"]
        if n.startswith("casemap.js:")
        and n not in ("casemap.js: Casemap.start", "casemap.js: run")
        and "(anonymous)" not in n
    ]
    verdict = ", ".join(f"`{n.split(': ', 1)[1]}` {ms:,.0f} ms" for n, ms in case_fns[:4])
    return lines, verdict


def _browser_section(item: dict[str, Any]) -> tuple[list[str], str | None]:
    """One page's profile section, and its line for the summary (None when the marks are missing)."""
    lines, verdict = browser_findings(item)
    marks, timing = item["marks"], item["timing"]
    out = [f"### Browser, {item['title']}", "", "One load under the CPU profiler (page clock):", ""]
    out += [*phase_lines(marks, timing), "", *lines, ""]
    if item.get("composition"):
        out += ["Page composition:", "", *composition_lines(item["composition"]), ""]
    begin, ready = marks.get("startBegin"), marks.get("ready") or marks.get("startEnd")
    drawn = marks.get("drawn") or ready
    if begin is None or ready is None or not drawn:
        return out, None
    summary = (
        f"- Browser, {item['title']}: drawn at {fmt_ms(drawn)} under the profiler; {100 * begin / drawn:.0f} % "
        f"of it passes before Casemap.start is called (file read, HTML parsing, script evaluation, folium's "
        f"layers), {fmt_ms(ready - begin)} from the call to ready "
        f"(JSON.parse {fmt_ms(marks.get('jsonParseMs'))}); "
        f"heaviest casemap.js functions (inclusive): {verdict}."
    )
    return out, summary


def python_verdict(path: str) -> str:
    """The three largest costs of a build's profile, or nothing when its file is gone (a report rewritten later)."""
    return python_findings(Path(path))[1] if Path(path).is_file() else ""


def profile_lines(profiles: dict[str, Any]) -> list[str]:
    lines = ["## Profiles: what dominates", ""]
    verdicts = []
    for item in profiles.get("python", []):
        if not Path(item["path"]).is_file():
            lines += [f"### Python (cProfile), {item['title']}", "", "(profile file no longer available)", ""]
            continue
        found, verdict = python_findings(Path(item["path"]))
        verdicts.append(f"- Python, {item['title']}: largest costs {verdict}.")
        lines += [f"### Python (cProfile), {item['title']}", "", *found, ""]
    for item in profiles.get("browser", []):
        section, summary = _browser_section(item)
        lines += section
        if summary:
            verdicts.append(summary)
    return [*lines, "### Summary", "", *verdicts, ""]
