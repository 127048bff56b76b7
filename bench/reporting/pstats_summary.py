"""What a build's cProfile file says: the cumulative time of the build's phases, top self and cumulative times.

Read at report time from the .prof files the measuring half wrote (kept with --keep for --report-only).
"""

from __future__ import annotations

import io
import pstats
import re
from pathlib import Path
from typing import Any

# Functions whose cumulative time says where a build goes (file suffix, function name, label).
BUILD_PHASES = (
    ("geo/page/site.py", "load_site", "load_site: read + validate data/"),
    ("geo/casefile/yamlsafe.py", "load_yaml", "  load_yaml (events.yaml + sources.yaml)"),
    ("geo/casefile/yamlsafe.py", "parse_yaml", "    parse_yaml (YAML compose)"),
    ("geo/casefile/yamlsafe.py", "_convert", "    _convert (nodes to Mapping/Sequence)"),
    ("geo/casefile/events.py", "parse_events", "  parse_events (incl. loading its file)"),
    (
        "geo/casefile/jsonlines.py",
        "iter_jsonl",
        "    iter_jsonl (events.jsonl a line at a time: C scanner, keys counted)",
    ),
    (
        "geo/casefile/columnar.py",
        "read_jsonl",
        "    read_jsonl (events.jsonl by column: pyarrow blocks, column checks, the events made)",
    ),
    ("geo/casefile/events.py", "check_places", "  check_places"),
    ("geo/common/geojson.py", "read_layer", "  read_layer (the GeoJSON layers)"),
    ("geo/page/render.py", "render_page_bytes", "render_page_bytes"),
    ("geo/page/payload.py", "build_payload", "  build_payload (the data block's records)"),
    ("geo/page/packing.py", "packed_json_bytes", "  packed_json_bytes (events as columns, JSON, gzip, base 85)"),
    ("geo/page/audit.py", "content_security_policy", "  content_security_policy (sha256 of the intended code)"),
    ("branca/element.py", "render", "  branca/folium render (templates)"),
    ("geo/common/atomic.py", "write_file_atomically", "write_file_atomically"),
)


# {(file, line, function): (primitive calls, calls, self seconds, cumulative seconds, callers)}
StatsTable = dict[tuple[str, int, str], tuple[int, int, float, float, dict[Any, Any]]]


def _stats(path: Path) -> StatsTable:
    """The profile's table. pstats.Stats keeps it in ``.stats`` (what print_stats reads), an attribute typeshed does
    not declare, hence vars()."""
    table: StatsTable = vars(pstats.Stats(str(path), stream=io.StringIO()))["stats"]
    return table


def total_time(path: Path) -> float:
    stats = _stats(path)
    return max(entry[3] for entry in stats.values())  # the outermost cumulative time


def phase_times(path: Path) -> list[tuple[str, float, float]]:
    """(label, cumulative seconds, share of the whole run) for the build phases found in the profile."""
    stats = _stats(path)
    whole = total_time(path)
    out = []
    for suffix, name, label in BUILD_PHASES:
        matches = [v for (file, _line, func), v in stats.items() if file.endswith(suffix) and func == name]
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
    loading = max(found.get(JSONL_READING, 0.0), found.get("load_yaml (events.yaml + sources.yaml)", 0.0))
    if events is not None and whole:
        checks = max(0.0, events - loading)
        index = next(i for i, (label, _, _) in enumerate(out) if label.strip().startswith("parse_events"))
        out.insert(index + 1, (EVENT_CHECKS, checks, checks / whole))
    return out


EVENT_CHECKS = (
    "    event reading and checks (parse_events minus YAML or line loading: columnar.py's columns, fastpath, or the "
    "located fields.py readers)"
)
JSONL_READING = "iter_jsonl (events.jsonl a line at a time: C scanner, keys counted)"


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
    rows = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:count]
    out = []
    for (file, line, func), (_cc, nc, tt, _ct, _callers) in rows:
        file = re.sub(r".*/site-packages/", "", file)
        file = re.sub(r".*/main/", "", file)
        out.append((f"{file}:{line}({func})", nc, tt))
    return out


def import_share(path: Path) -> float:
    """The share of the run spent in the outermost import (geo.page.build is imported inside main(); folium,
    geopandas and the rest come in under it)."""
    stats = _stats(path)
    whole = total_time(path)
    best = 0.0
    for (file, _line, func), entry in stats.items():
        if func == "_find_and_load" and "importlib" in file:
            best = max(best, entry[3])
    return best / whole if whole else 0.0
