"""Summaries for bench/RESULTS.md: Python profiles (pstats), browser CPU profiles (CDP), payload composition."""

from __future__ import annotations

import base64
import gzip
import io
import json
import pstats
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

# ---- Python: cProfile -----------------------------------------------------------------------------------

# Functions whose cumulative time says where a build goes (file suffix, function name, label).
BUILD_PHASES = (
    ("geo/page/site.py", "load_site", "load_site: read + validate data/"),
    ("geo/casefile/yamlsafe.py", "load_yaml", "  load_yaml (events.yaml + sources.yaml)"),
    ("geo/casefile/yamlsafe.py", "parse_yaml", "    parse_yaml (YAML compose)"),
    ("geo/casefile/yamlsafe.py", "_convert", "    _convert (nodes to Mapping/Sequence)"),
    ("geo/casefile/jsonlines.py", "load_jsonl", "  load_jsonl (events.jsonl)"),
    ("geo/casefile/jsonlines.py", "parse_jsonl", "    parse_jsonl (json.loads per line + Mapping/Sequence)"),
    ("geo/casefile/events.py", "parse_events", "  parse_events (incl. loading its file)"),
    ("geo/casefile/events.py", "check_places", "  check_places"),
    ("geo/common/geojson.py", "read_layer", "  read_layer (7 GeoJSON layers)"),
    ("geo/page/render.py", "render_page", "render_page"),
    ("geo/page/payload.py", "build_payload", "  build_payload (events to plain dicts)"),
    ("geo/page/payload.py", "event_payload", "  event_payload (events to dicts)"),
    ("geo/page/render.py", "json_for_script", "  json_for_script (json.dumps + escapes)"),
    ("geo/page/render.py", "packed_json", "  packed_json (json.dumps + gzip + base64)"),
    ("geo/page/audit.py", "content_security_policy", "  content_security_policy (regex + sha256 of scripts)"),
    ("branca/element.py", "render", "  branca/folium render (templates)"),
    ("geo/common/atomic.py", "write_file_atomically", "write_file_atomically"),
)


def _stats(path: Path) -> pstats.Stats:
    return pstats.Stats(str(path), stream=io.StringIO())


def total_time(path: Path) -> float:
    stats = _stats(path)
    return max(entry[3] for entry in stats.stats.values())  # the outermost cumulative time


def phase_times(path: Path) -> list[tuple[str, float, float]]:
    """(label, cumulative seconds, share of the whole run) for the build phases found in the profile."""
    stats = _stats(path)
    whole = total_time(path)
    out = []
    for suffix, name, label in BUILD_PHASES:
        matches = [v for (file, _line, func), v in stats.stats.items() if file.endswith(suffix) and func == name]
        if not matches:
            continue
        # Recursive functions appear once with their outermost cumulative time; take the largest.
        cumulative = max(m[3] for m in matches)
        if cumulative < 0.01:
            continue  # not on this build's path (e.g. the YAML loader in a JSON Lines build)
        out.append((label, cumulative, cumulative / whole if whole else 0.0))
    # What parse_events spends beyond loading its file: the field-by-field checks.
    found = {label.strip(): s for label, s, _ in out}
    events = found.get("parse_events (incl. loading its file)")
    loading = max(found.get("load_jsonl (events.jsonl)", 0.0), found.get("load_yaml (events.yaml + sources.yaml)", 0.0))
    if events is not None and whole:
        checks = max(0.0, events - loading)
        index = next(i for i, (label, _, _) in enumerate(out) if label.strip().startswith("parse_events"))
        out.insert(index + 1, (EVENT_CHECKS, checks, checks / whole))
    return out


EVENT_CHECKS = "    event checks (parse_events minus loading: geo/casefile/fields.py validators, Mapping.get)"


def top_cumulative(path: Path, count: int = 18) -> str:
    """pstats' own table of the top entries by cumulative time, with the site-packages prefix shortened."""
    buffer = io.StringIO()
    stats = pstats.Stats(str(path), stream=buffer)
    stats.sort_stats("cumulative").print_stats(count)
    text = buffer.getvalue()
    text = re.sub(r"/[^\s]*/site-packages/", "", text)
    text = re.sub(r"/[^\s]*?/main/", "", text)
    lines = [line.rstrip() for line in text.splitlines()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line for line in lines[start:] if line.strip())


def top_self(path: Path, count: int = 10) -> list[tuple[str, int, float]]:
    stats = _stats(path)
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:count]
    out = []
    for (file, line, func), (_cc, nc, tt, _ct, _callers) in rows:
        file = re.sub(r".*/site-packages/", "", file)
        file = re.sub(r".*/main/", "", file)
        out.append((f"{file}:{line}({func})", nc, tt))
    return out


# ---- browser: CDP CPU profile -------------------------------------------------------------------------


def script_ranges(html: str) -> list[tuple[int, int, str]]:
    """0-based line ranges of each inline <script> in a built page, labelled by what it is."""
    ranges = []
    for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", html, re.DOTALL):
        kind = re.search(r'type="([^"]*)"', match.group("attrs"))
        if kind and kind.group(1) not in ("text/javascript", "module"):
            continue  # a data block, not code
        body = match.group("body")
        first = html.count("\n", 0, match.start("body"))
        last = first + body.count("\n")
        if "casemap: the case application" in body:
            label = "casemap.js"
        elif "Leaflet" in body[:2000] and "leafletjs" in body[:4000]:
            label = "Leaflet"
        elif "Casemap.start(" in body or "L.map(" in body or "_add(" in body:
            label = "folium map + layer script"
        else:
            label = "other inline script"
        ranges.append((first, last, label))
    return ranges


def _label_for(frame: dict, ranges: list[tuple[int, int, str]], page_url: str, lines: list[str]) -> str:
    name = frame.get("functionName") or "(anonymous)"
    url = frame.get("url") or ""
    if name.startswith("(") and not url:
        return name  # (program), (idle), (garbage collector), (root)
    if url != page_url:
        if not url and name == "wrapped":
            return "(bench wrapper around Casemap.start)"
        return f"native/other: {name}" if not url else f"{name} [{url.rsplit('/', 1)[-1]}]"
    line = frame.get("lineNumber", -1)
    for first, last, label in ranges:
        if first <= line <= last:
            if name == "(anonymous)" and label == "casemap.js" and 0 <= line < len(lines):
                # Name a callback by the line it is written on (line numbers of geo/page/static/casemap.js).
                return f"{label}: (anonymous) L{line - first} {lines[line].strip()[:70]}"
            return f"{label}: {name}"
    return f"page: {name}"


def cpu_profile_summary(profile: dict, html_path: Path) -> dict[str, Any]:
    """Self and inclusive time per function (ms), and self time per script, from a CDP Profiler profile."""
    html = html_path.read_text(encoding="utf-8")
    ranges = script_ranges(html)
    page_url = html_path.resolve().as_uri()
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent: dict[int, int] = {}
    for node in profile["nodes"]:
        for child in node.get("children", []):
            parent[child] = node["id"]
    lines = html.split("\n")
    labels = {nid: _label_for(node["callFrame"], ranges, page_url, lines) for nid, node in nodes.items()}
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    # timeDeltas[i] is the time before sample i; charge each sample the time until the next one.
    durations = [(deltas[i + 1] if i + 1 < len(deltas) else 0) / 1000.0 for i in range(len(samples))]
    self_ms: dict[str, float] = defaultdict(float)
    inclusive_ms: dict[str, float] = defaultdict(float)
    by_script: dict[str, float] = defaultdict(float)
    for sample, duration in zip(samples, durations, strict=True):
        label = labels[sample]
        self_ms[label] += duration
        by_script[label.split(":", 1)[0] if ":" in label else label] += duration
        seen = set()
        node = sample
        while node in nodes:
            name = labels[node]
            if name not in seen and name != "(root)":
                inclusive_ms[name] += duration
                seen.add(name)
            node = parent.get(node, -1)
    total = sum(durations)
    busy = total - self_ms.get("(idle)", 0.0)
    return {
        "total_ms": total,
        "busy_ms": busy,
        "self": sorted(self_ms.items(), key=lambda kv: kv[1], reverse=True),
        "inclusive": sorted(inclusive_ms.items(), key=lambda kv: kv[1], reverse=True),
        "by_script": sorted(by_script.items(), key=lambda kv: kv[1], reverse=True),
    }


# ---- the page's payload ---------------------------------------------------------------------------------

PAYLOAD = re.compile(r'<script type="(?P<type>[^"]+)" id="casemap-data">(?P<body>.*?)</script>', re.DOTALL)
FOLIUM_LAYERS = re.compile(r"geo_json_\w+_add\(")


def _json_len(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def page_composition(html_path: Path) -> dict[str, Any]:
    """How the page's bytes split: payload (by top-level key, and per event field), layers, the rest."""
    html = html_path.read_text(encoding="utf-8")
    total = len(html.encode("utf-8"))
    match = PAYLOAD.search(html)
    block = match.group("body") if match else ""
    block_type = match.group("type") if match else "none"
    if block_type == "application/gzip+base64":
        payload_text = gzip.decompress(base64.b64decode(block)).decode("utf-8")
    else:
        payload_text = block
    payload = json.loads(payload_text) if payload_text else {}
    payload_bytes = len(block.encode("utf-8"))  # what the page carries
    json_bytes = len(payload_text.encode("utf-8"))  # what the browser parses
    by_key = {key: _json_len(value) for key, value in payload.items()}
    events = payload.get("events", [])
    fields: dict[str, int] = defaultdict(int)
    structure = 0  # keys, punctuation, ids, dates, enums, nulls and empty strings: what the renderer controls
    free_text = 0  # title, description, notes, labels, confirms: what the data says
    text_fields = {"title", "description", "note", "label", "confirms", "quote", "reason", "other_account"}

    def walk(value: Any, key: str | None) -> None:
        nonlocal free_text
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in text_fields:
            free_text += len(value.encode("utf-8"))

    for event in events:
        for key, value in event.items():
            fields[key] += _json_len(value) + len(key) + 4  # "key": and the comma
        walk(event, None)
    events_bytes = by_key.get("events", 0)
    structure = events_bytes - free_text
    empty_values = sum(
        text.count(s) for s in ('"public":null', '"claims":null', '"note":""', '"label":""') for text in [payload_text]
    )
    layer_scripts = sum(1 for _ in FOLIUM_LAYERS.finditer(html))
    estimates = compact_estimates(events, list(payload.get("sources", {})))
    return {
        "total_bytes": total,
        "payload_bytes": payload_bytes,
        "payload_type": block_type,
        "json_bytes": json_bytes,
        "payload_share": payload_bytes / total if total else 0,
        "by_key": sorted(by_key.items(), key=lambda kv: kv[1], reverse=True),
        "events": len(events),
        "event_fields": sorted(fields.items(), key=lambda kv: kv[1], reverse=True),
        "events_bytes": events_bytes,
        "event_free_text": free_text,
        "event_structure": structure,
        "empty_values": empty_values,
        "layer_scripts": layer_scripts,
        "escaped_chars": payload_text.count("\\u00"),
        "estimates": estimates,
    }


def _dropped(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dropped(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_dropped(v) for v in value]
    return value


def compact_estimates(events: list[dict], source_ids: list[str]) -> dict[str, int]:
    """What the events would weigh in other encodings (estimates for suggestions, not implemented anywhere).

    - as_is: the events array as the page has it;
    - no_empty: the same without null / empty-string / empty-list values;
    - columnar: one array per field (no repeated keys), source ids as indices into the bibliography,
      day-precision labels dropped (the page can write them from the dates);
    - text_only: the free text alone (titles, descriptions, notes, labels, confirms): a floor for any
      encoding that keeps the text as it is.
    """
    if not events:
        return {}
    as_is = _json_len(events)
    no_empty = _json_len(_dropped(events))
    index = {source: i for i, source in enumerate(source_ids)}
    columns: dict[str, list] = defaultdict(list)
    text = 0
    for event in events:
        when, where = event.get("when") or {}, event.get("where") or {}
        columns["id"].append(event.get("id"))
        columns["title"].append(event.get("title"))
        columns["description"].append(event.get("description"))
        columns["category"].append(event.get("category"))
        columns["start"].append(when.get("start"))
        columns["end"].append(when.get("end"))
        columns["time_precision"].append(when.get("precision"))
        generated = when.get("precision") in ("day", "month", "year")
        columns["label"].append(0 if generated else when.get("label"))
        columns["place"].append(where.get("place") or 0)
        columns["place_precision"].append(where.get("precision"))
        columns["place_note"].append(where.get("note") or 0)
        columns["public"].append(event.get("public") or 0)
        columns["claims"].append(event.get("claims") or 0)
        columns["sources"].append(
            [
                [index.get(c.get("source", c.get("id")), c.get("source")), c.get("confirms", "")]
                for c in event.get("sources", [])
            ]
        )
        claim_texts = [
            claim.get(key) for claim in event.get("claims") or [] for key in ("quote", "reason", "other_account")
        ]
        for value in (
            event.get("title"),
            event.get("description"),
            when.get("label"),
            where.get("note"),
            *claim_texts,
        ):
            text += len((value or "").encode("utf-8"))
        text += sum(len((c.get("confirms") or "").encode("utf-8")) for c in event.get("sources", []))
    raw = json.dumps(events, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    gz = len(gzip.compress(raw, compresslevel=6))
    return {
        "as_is": as_is,
        "no_empty": no_empty,
        "columnar": _json_len(columns),
        "text_only": text,
        "gzip_base64": (gz + 2) // 3 * 4,
        "gzip_ratio": gz / len(raw),
    }
