"""Load bulk records from JSON Lines: one JSON object per line, each value remembering its line.

YAML is the format for timelines people write by hand. A case with tens of thousands of events comes from a
spreadsheet export or a script, and YAML's parser spends seconds per megabyte on it; JSON Lines parses about
fifty times faster, keeps one record per line (so every message still names its line) and round-trips through
any tool. Records become the same Mapping/Sequence values the YAML loader makes, so one schema checks both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from json.scanner import make_scanner
from pathlib import Path
from typing import Any

from geo.casefile.yamlsafe import Loaded, Mapping, Sequence, Value
from geo.common import safejson
from geo.common.errors import Problem
from geo.common.safefiles import read_text

PLAIN_JSON_LINE = "one JSON object per line (plain JSON: no duplicate keys, NaN or deep nesting)"
# 1,000,000 events of the benchmark's lengths take about 420 MB (issue #18 asks for a million events in one file);
# anything much larger is a mistake or an attack.
MAX_JSONL_BYTES = 1_000_000_000


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise safejson.JsonRefused(f"key {key!r} twice in one object")  # Problem escapes what it prints
        seen.add(key)
    return dict(pairs)


def _strict_line(name: str, number: int, line: str, problems: list[Problem]) -> dict[str, Any] | None:
    """One line through the strict reader (no duplicate keys, plain JSON): its object, or None with the problem."""
    try:
        value = safejson.loads(line, object_pairs_hook=_no_duplicates)
    except safejson.JsonRefused as error:
        problems.append(Problem(name, number, "", "", PLAIN_JSON_LINE, str(error)))
        return None
    if not isinstance(value, dict):
        problems.append(Problem(name, number, "", "", "a JSON object {...} on each line", type(value).__name__))
        return None
    return value


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
        if (value := _strict_line(name, number, line, problems)) is None:
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


# Where a key may end: a quote, white space, a colon. Every key ends so, and a string holding '":' adds more; so
# when the parsed objects hold as many keys as this finds, no key was written twice (json.loads keeps the last).
_KEY_END = re.compile(r'"\s*:')
_SPACED_KEY_END = re.compile(r'"\s+:')
_SURROGATE = re.compile(safejson._SURROGATE_ESCAPE)
_HUGE_FLOAT = re.compile(safejson._HUGE_FLOAT)
_SURROGATE_BYTES = re.compile(safejson._SURROGATE_ESCAPE.encode())
_HUGE_FLOAT_BYTES = re.compile(safejson._HUGE_FLOAT.encode())
_BOM = b"\xef\xbb\xbf"
# One decoder for every line: json.loads with an argument makes a new one per call.
_DECODER = json.JSONDecoder(parse_constant=safejson._refuse_constant)
# The C scanner JSONDecoder.raw_decode calls, called directly: it returns (value, end) or raises StopIteration.
_SCAN: Callable[[str, int], tuple[Any, int]] = make_scanner(_DECODER)  # type: ignore[arg-type]  # typeshed: a class


def _key_count(value: dict[str, Any]) -> int:
    """The keys of every object in a parsed object.

    An event's own members are mostly texts: they are counted without a stack, and only the containers among them
    (when, where, sources) are walked; at 100,000 events the walk of every value was a tenth of the build."""
    stack: list[Any] = []
    count = len(value)
    for inner in value.values():
        if type(inner) is not str and (type(inner) is dict or type(inner) is list):
            stack.append(inner)
    while stack:
        item: Any = stack.pop()
        values = item.values() if type(item) is dict else item
        if type(item) is dict:
            count += len(item)
        for inner in values:
            if type(inner) is dict or type(inner) is list:
                stack.append(inner)
    return count


def _lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The lines of ``data`` one at a time: a million lines as one list, or the file as one str (4 bytes a character
    once one Chinese character is in it), would take several times the file's size."""
    start, number = 0, 1
    while start <= len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        yield number, data[start:end]
        start, number = end + 1, number + 1


def _plain(line: str, *, surrogates: bool, huge: bool) -> dict[str, Any] | None:
    """The line's object by the C parser alone when nothing in it needs safejson's checks, else None."""
    if line.count("{") + line.count("[") > safejson.MAX_DEPTH:
        return None
    if (surrogates and _SURROGATE.search(line)) or (huge and _HUGE_FLOAT.search(line)):
        return None
    try:
        # The C scanner itself, without JSONDecoder.decode's Python around it (a tenth of the reading at 100,000
        # lines); a line with white space before its value, or anything after it, goes to the strict reader.
        value, end = _SCAN(line, 0)
    except (ValueError, StopIteration):  # not JSON, NaN refused, a 5,000-digit number: safejson says which
        return None
    if type(value) is not dict or (end != len(line) and line[end:].strip()):
        return None
    # Where a key may end counted by str.count, unless a key may end with white space before its colon.
    ends = len(_KEY_END.findall(line)) if _SPACED_KEY_END.search(line) else line.count('":')
    if _key_count(value) != ends:
        return None
    return value


def _decoded(raw: bytes, *, bom: bool) -> str | None:
    """The line as text; None when it is not UTF-8, or (the first line) starts with a byte-order mark."""
    if bom and raw.startswith(_BOM):
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def iter_jsonl(path: Path, data: bytes, *, problems: list[Problem]) -> Iterator[tuple[dict[str, Any], int]]:
    """Each record of JSON Lines as a plain dict with its line, one at a time; problems go to ``problems``.

    The same JSON is accepted and refused, with the same messages, as by parse_jsonl: a line the C parser reads
    with no key written twice and nothing safejson refuses is taken as parsed; any other line goes through
    safejson and the duplicate-key hook, which say what is wrong. Lines are decoded one at a time; a file that is
    not UTF-8 (or starts with a byte-order mark) is handed to read_text, which says where, and yields no more.
    """
    name = str(path)
    surrogates = _SURROGATE_BYTES.search(data) is not None
    huge = _HUGE_FLOAT_BYTES.search(data) is not None
    found = False
    for number, raw in _lines(data):
        line = _decoded(raw, bom=number == 1)
        if line is None:  # read_text says what and where: a byte-order mark, or bytes that are not UTF-8
            before = len(problems)
            read_text(path, problems, max_bytes=MAX_JSONL_BYTES)
            if len(problems) == before:  # cannot happen (read_text refuses what _decoded refused); never silent
                problems.append(Problem(name, number, "", "", "UTF-8 text (re-save the file as UTF-8)", "other bytes"))
            return
        if not line.strip():
            continue
        value = _plain(line, surrogates=surrogates, huge=huge)
        if value is None and (value := _strict_line(name, number, line, problems)) is None:
            continue
        found = True
        yield value, number
    if not found and not any(p.file == name for p in problems):
        problems.append(Problem(name, 0, "", "", "at least one record", "an empty file"))


def record_on_line(path: Path, number: int, raw: bytes, problems: list[Problem]) -> dict[str, Any] | None:
    """Line ``number`` of a file already known to be UTF-8 (geo.casefile.columnar sends the rows its columns did not
    take): its object, read as iter_jsonl reads a line, or None with the problem."""
    name = str(path)
    line = _decoded(raw, bom=number == 1)
    if line is None:  # the caller checked the whole file; never silent all the same
        problems.append(Problem(name, number, "", "", "UTF-8 text (re-save the file as UTF-8)", "other bytes"))
        return None
    # Both checks run: a row that reaches here is one in many, and the regular expressions find nothing in most.
    value = _plain(line, surrogates=True, huge=True)
    return value if value is not None else _strict_line(name, number, line, problems)


def to_mapping(value: dict[str, Any], line: int) -> Mapping:
    """A plain record as the loader's Mapping, every value on ``line``, for the located readers."""
    return Mapping(
        items={k: _convert(v, line) for k, v in value.items()}, key_lines=dict.fromkeys(value, line), line=line
    )
