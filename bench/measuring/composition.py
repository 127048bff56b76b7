"""How a built page's bytes split: the data block by key, bytes per event by field, text against structure."""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from geo.page import eventcolumns, text85

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
    if block_type == "application/gzip+base85":
        payload_text = gzip.decompress(text85.decode(block.strip())).decode("utf-8")
    elif block_type == "application/gzip+base64":  # pages built before the data block moved to base 85
        payload_text = gzip.decompress(base64.b64decode(block)).decode("utf-8")
    else:
        payload_text = block
    payload = json.loads(payload_text) if payload_text else {}
    payload_bytes = len(block.encode("utf-8"))  # what the page carries
    json_bytes = len(payload_text.encode("utf-8"))  # what the browser parses
    by_key = {key: _json_len(value) for key, value in payload.items()}
    events = payload.get("events", [])
    if isinstance(events, dict):  # the events as columns (geo/page/eventcolumns.py): the objects the page expands
        events = eventcolumns.expand(events)
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


def _add_columns(event: dict[str, Any], index: dict[str, int], columns: dict[str, list[Any]]) -> int:
    """Append one event to the columnar estimate; return the bytes of its free text."""
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
    citations = event.get("sources", [])
    columns["sources"].append(
        [[index.get(c.get("source", c.get("id")), c.get("source")), c.get("confirms", "")] for c in citations]
    )
    claim_texts = [
        claim.get(key) for claim in event.get("claims") or [] for key in ("quote", "reason", "other_account")
    ]
    texts = (event.get("title"), event.get("description"), when.get("label"), where.get("note"), *claim_texts)
    text = sum(len((value or "").encode("utf-8")) for value in texts)
    return text + sum(len((c.get("confirms") or "").encode("utf-8")) for c in citations)


def compact_estimates(events: list[dict[str, Any]], source_ids: list[str]) -> dict[str, int | float]:
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
    columns: dict[str, list[Any]] = defaultdict(list)
    text = sum(_add_columns(event, index, columns) for event in events)
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
