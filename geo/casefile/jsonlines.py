"""Load bulk records from JSON Lines: one JSON object per line, each value remembering its line.

YAML is the format for timelines people write by hand. A case with tens of thousands of events comes from a
spreadsheet export or a script, and YAML's parser spends seconds per megabyte on it; JSON Lines parses about
fifty times faster, keeps one record per line (so every message still names its line) and round-trips through
any tool. Records become the same Mapping/Sequence values the YAML loader makes, so one schema checks both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.casefile.yamlsafe import Loaded, Mapping, Sequence, Value
from geo.common import safejson
from geo.common.errors import Problem
from geo.common.safefiles import read_text

PLAIN_JSON_LINE = "one JSON object per line (plain JSON: no duplicate keys, NaN or deep nesting)"
MAX_JSONL_BYTES = 256_000_000  # 100,000 events with long texts; anything larger is a mistake or an attack


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise safejson.JsonRefused(f"key {key!r} twice in one object")  # Problem escapes what it prints
        seen.add(key)
    return dict(pairs)


def _convert(value: Any, line: int) -> Value:
    """JSON values to loader values; numbers and booleans stay as they are, so text fields refuse them."""
    if isinstance(value, dict):
        return Mapping(
            items={k: _convert(v, line) for k, v in value.items()}, key_lines=dict.fromkeys(value, line), line=line
        )
    if isinstance(value, list):
        return Sequence(items=[_convert(v, line) for v in value], item_lines=[line] * len(value), line=line)
    scalar: str | int | float | bool | None = value  # what json.loads leaves once objects and arrays are gone
    return scalar


def parse_jsonl(text: str, *, name: str, key: str) -> Loaded:
    """Parse JSON Lines into ``{key: [records]}``; blank lines are skipped; never raises for bad input."""
    problems: list[Problem] = []
    records: list[Value] = []
    lines: list[int] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            value = safejson.loads(line, object_pairs_hook=_no_duplicates)
        except safejson.JsonRefused as error:
            problems.append(Problem(name, number, "", "", PLAIN_JSON_LINE, str(error)))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(name, number, "", "", "a JSON object {...} on each line", type(value).__name__))
            continue
        records.append(_convert(value, number))
        lines.append(number)
    if not records and not problems:
        problems.append(Problem(name, 0, "", "", "at least one record", "an empty file"))
    root = Mapping(items={key: Sequence(items=records, item_lines=lines, line=1)}, key_lines={key: 1}, line=1)
    return Loaded(root if not problems else None, problems)


def load_jsonl(path: Path, *, key: str) -> Loaded:
    problems: list[Problem] = []
    text = read_text(path, problems, max_bytes=MAX_JSONL_BYTES)
    if text is None:
        return Loaded(None, problems)
    return parse_jsonl(text, name=str(path), key=key)
