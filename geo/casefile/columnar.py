"""Bulk events from JSON Lines read by column: pyarrow's JSON reader parses the file into typed columns a block at a
time, and each field's checks run over a whole block's column; only the rows those checks do not accept are read a
line at a time (geo.casefile.jsonlines, then the located readers).

Why: at 100,000 events, reading a line at a time and checking a record at a time was two thirds of the build
(bench/RESULTS.md, 2026-11-27: 12.7 s against issue #18's 5 s). The columns decide nothing on their own, as the
one-pass checks of geo.casefile.fastpath do not: a row is taken here only when the line reader would have read the
same object and fastpath.plain_event would have taken it, and any doubt sends the row, or the whole file, to the
line reader, which says what is wrong and where.

What makes a file or a row go by lines, and why each is safe:
- the file: pyarrow refuses it (not JSON, a key written twice, a value of another type than the schema's, a lone
  surrogate escape), its text is not UTF-8 or starts with a byte-order mark, it holds a member the schema does not
  know (in the first block pyarrow's "infer" adds every member it meets, with a value or null, to the block's
  schema; in a later block the reader refuses it), a line that is not blank does not start with '{' and end with
  '}' (so that no object spans two lines), or its rows do not match its non-blank lines one to one (two objects on
  a line);
- a row: it has claims, or a check refuses one of its values.
pyarrow reads JSON as RFC 8259 does and json.loads agrees on every object both accept; the differences that matter
were each tried (tests/unit/test_columnar.py): NaN and Infinity (pyarrow accepts them, but only as numbers, and no
event member is a number), a byte-order mark (pyarrow skips it), control characters inside strings (both refuse).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from geo.casefile import arrowcolumns as columns
from geo.casefile import fastpath
from geo.casefile.fastpath import clean_reference, location_of
from geo.casefile.fields import FULL_DATE
from geo.casefile.jsonlines import MAX_JSONL_BYTES
from geo.casefile.records import TEXT_MAX, TIME_PRECISIONS, TITLE_MAX, Citation, Event, Interval, Location

_INTERVAL = pa.struct([(name, pa.string()) for name in ("start", "end", "precision", "label")])
_WHERE = pa.struct([(name, pa.string()) for name in ("place", "precision", "note")])
_CITATION = pa.struct([("id", pa.string()), ("confirms", pa.string())])
_CLAIM = pa.struct(
    [(name, pa.string()) for name in ("quote", "status", "reason", "other_account")]
    + [("sources", pa.list_(pa.string()))]  # four texts, then a list: two kinds, each written once
)
# The event members as typed columns. A row with claims is read by the line reader (the located claim readers say
# what is wrong with one); claims are typed here so that a file with them is read by blocks like any other.
CLAIMS = "claims"
EVENT_COLUMNS = pa.schema(
    [
        ("id", pa.string()),
        ("title", pa.string()),
        ("description", pa.string()),
        ("category", pa.string()),
        ("when", _INTERVAL),
        ("public", _INTERVAL),
        ("where", _WHERE),
        (CLAIMS, pa.list_(_CLAIM)),
        ("sources", pa.list_(_CITATION)),
    ]
)
_BOM = b"\xef\xbb\xbf"
# A line per 100 bytes of the largest file read (jsonlines.MAX_JSONL_BYTES): more lines than that are blank lines
# by the million, which the line reader skips in constant memory and the arrays here would hold two numbers each of.
_MAX_LINES = MAX_JSONL_BYTES // 100
_LINE_SCAN_BYTES = 1 << 23  # newlines are found 8 MB at a time: a million events' file as one bool array is 557 MB
# The file is read a block at a time, and each block's events made before the next is read: the Python objects of
# a whole file's columns at once, beside its table, took the build at 100,000 events past issue #18's 400 MB.
_BLOCK_BYTES = 1 << 23


@dataclass(frozen=True)
class ColumnRows:
    """A file's records in order: ``events[k]`` is row k's Event when the columns took it, else None (the line
    reader reads row k, the bytes ``data[starts[k]:ends[k]]``); ``lines[k]`` is its line."""

    events: list[Event | None]
    lines: list[int]
    starts: np.ndarray  # kept as numbers in numpy: a list of a million Python ints each is about 36 MB
    ends: np.ndarray


def read_jsonl(data: bytes, categories: Collection[str]) -> ColumnRows | None:
    """The rows of JSON Lines ``data``, or None when the file must be read a line at a time (see above)."""
    if data.startswith(_BOM):
        return None
    lines = _record_lines(data)
    if lines is None or not lines.numbers.size:
        return None
    events: list[Event | None] = []
    seen: set[object] = set()
    known_categories = frozenset(categories)
    try:
        blocks = pa_json.open_json(
            pa.BufferReader(data),  # the file's bytes as they are, not copied
            read_options=pa_json.ReadOptions(block_size=_BLOCK_BYTES),
            # A member the schema does not name, in a later block, is an error of the reader's (tests).
            parse_options=pa_json.ParseOptions(explicit_schema=EVENT_COLUMNS, unexpected_field_behavior="infer"),
            # The C library's allocator gives parsing's blocks back; pyarrow's default (mimalloc) kept about twice
            # the table's size at 100,000 events (peak RSS +133 MB against +65 MB).
            memory_pool=pa.system_memory_pool(),
        )
        for block in blocks:
            table = pa.Table.from_batches([block])
            table.validate(full=True)  # the strings are UTF-8 (pyarrow's reader copies bytes without checking)
            if table.schema != EVENT_COLUMNS:  # a member pyarrow met that the schema does not name
                return None
            by_lines = columns.flags(pc.is_valid(table.column(CLAIMS)))
            events += events_of(table, by_lines, known_categories, seen)
    except pa.ArrowException:  # whatever pyarrow refuses, the line reader says where
        return None
    if len(events) != lines.numbers.size:
        return None
    return ColumnRows(events, lines.numbers.tolist(), lines.starts, lines.ends)


@dataclass(frozen=True)
class _Lines:
    numbers: np.ndarray  # each non-blank line (pyarrow's rows), 1-based
    starts: np.ndarray  # where each begins in the file
    ends: np.ndarray  # where each ends (its newline, or the end of the file)


def _record_lines(data: bytes) -> _Lines | None:
    """The non-blank lines (a line of JSON white space alone is skipped by both readers), or None when a line that
    is not blank does not hold one whole object alone: starting with '{' and ending with '}' (white space aside).

    pyarrow reads a block as a stream of objects: it takes two objects on one line, and one object broken over
    two lines, and the two would cancel in a count of rows against lines, pairing every later row with the wrong
    line. A raw line break cannot stand inside a JSON string, and '}' then '{' cannot follow each other inside an
    object, so when every line starts with '{' and ends with '}' no object spans two lines, and equal counts mean
    one object per line (tests/unit/test_columnar.py, found by a second reader)."""
    if data.count(b"\n") > _MAX_LINES:
        return None
    view = np.frombuffer(data, dtype=np.uint8)
    ends = np.concatenate(
        [np.flatnonzero(view[at : at + _LINE_SCAN_BYTES] == 0x0A) + at for at in range(0, len(view), _LINE_SCAN_BYTES)]
        + [np.array([len(view)], dtype=np.int64)]
    )
    starts = np.concatenate([np.zeros(1, dtype=np.int64), ends[:-1] + 1])
    filled = starts < ends
    whole = np.zeros(len(starts), dtype=bool)  # '{' first and '}' last, with no white space to look past
    whole[filled] = (view[starts[filled]] == ord("{")) & (view[ends[filled] - 1] == ord("}"))
    keep = filled.copy()
    for index in np.flatnonzero(filled & ~whole).tolist():  # few: CRLF endings, spaces around, blank lines
        line = data[starts[index] : ends[index]].strip(b" \t\r")
        if not line:
            keep[index] = False
        elif not (line.startswith(b"{") and line.endswith(b"}")):
            return None
    return _Lines(np.flatnonzero(keep) + 1, starts[keep], ends[keep])


@dataclass(frozen=True)
class _Days:
    """Each distinct day text of a column as day numbers (date.toordinal), -1 where it is not a day FULL_DATE and
    date.fromisoformat accept; with the first and last day of its month and of its year, for the precisions."""

    day: np.ndarray
    month_first: np.ndarray
    month_last: np.ndarray
    year_first: np.ndarray
    year_last: np.ndarray


_NOT_A_DAY = (-1, -1, -1, -1, -1)


def _day_numbers(text: object) -> tuple[int, int, int, int, int]:
    """One day text's numbers (_Days). The length is checked before the cache, so that no long text is kept."""
    if type(text) is not str or len(text) > fastpath.DAY_MAX:
        return _NOT_A_DAY
    return _day_numbers_of(text)


@lru_cache(maxsize=1 << 18)
def _day_numbers_of(text: str) -> tuple[int, int, int, int, int]:
    """Cached: a million events' blocks meet the same days again (at 10^6 events, parsing each block's days afresh
    was 8 s of the build under cProfile)."""
    if not FULL_DATE.fullmatch(text):
        return _NOT_A_DAY
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return _NOT_A_DAY
    last_of_month = calendar.monthrange(day.year, day.month)[1]
    return (
        day.toordinal(),
        day.replace(day=1).toordinal(),
        day.replace(day=last_of_month).toordinal(),
        date(day.year, 1, 1).toordinal(),
        date(day.year, 12, 31).toordinal(),
    )


def _days(distinct: list[Any]) -> _Days:
    numbers = np.array([_day_numbers(text) for text in distinct], dtype=np.int64).reshape(-1, 5)
    return _Days(*numbers.T)


def _intervals(column: pa.ChunkedArray) -> list[Interval | None]:
    """Each row's interval, or None when it is missing or not plainly valid, as fastpath.interval_of decides.

    fastpath.dated per row took a second at 100,000 events (a date parsed four times, a label made, per distinct
    interval); here each distinct day is parsed once, the precision rules (records._check_precision: an interval
    that fits its precision) are compared for every row at once in numpy, and the label the build writes is made once
    per distinct valid interval by fastpath's own cached maker. tests/unit/test_columnar.py holds both to the same
    answers."""
    struct = column.combine_chunks()
    members = [columns.coded(struct.field(name)) for name in ("start", "end", "precision")]
    (starts, start_codes), (ends, end_codes), (precisions, precision_codes) = members
    first_days, last_days = _days(starts), _days(ends)
    first, last = first_days.day[start_codes], last_days.day[end_codes]
    known = [TIME_PRECISIONS.index(p) if p in TIME_PRECISIONS else -1 for p in precisions]
    precision = np.array(known, dtype=np.int64)[precision_codes]
    fits = (first >= 0) & (last >= first) & (precision >= 0) & columns.flags(pc.is_valid(struct))
    fits &= (precision != TIME_PRECISIONS.index("day")) | (first == last)
    in_month = (first == first_days.month_first[start_codes]) & (last == first_days.month_last[start_codes])
    fits &= (precision != TIME_PRECISIONS.index("month")) | in_month
    in_year = (first == first_days.year_first[start_codes]) & (last == first_days.year_last[start_codes])
    fits &= (precision != TIME_PRECISIONS.index("year")) | in_year
    labels = struct.field("label")
    labelled = columns.flags(pc.is_valid(labels))
    found: list[Interval | None] = [None] * len(struct)
    # Without a label: the label the build makes, once per distinct interval (an approximate date needs its own).
    rows = np.flatnonzero(fits & ~labelled & (precision != TIME_PRECISIONS.index("approximate")))
    for row, made in zip(rows.tolist(), columns.by_combination(members, fastpath.made_interval, rows), strict=True):
        found[row] = made
    # With a label: the reader's own words, where they are a clean text.
    label_texts = labels.to_pylist()
    label_ok = columns.clean_texts(labels, label_texts, fastpath.LABEL_MAX)
    for row in np.flatnonzero(fits & labelled & label_ok).tolist():
        found[row] = Interval(
            starts[start_codes[row]], ends[end_codes[row]], precisions[precision_codes[row]], label_texts[row]
        )
    return found


def _given(values: pa.Array) -> list[Any]:
    """The values that are not null, in order."""
    given: list[Any] = values.drop_null().to_pylist()
    return given


def _unnoted(place: object, precision: object) -> Location | None:
    return location_of(place, precision, None)


def _locations(column: pa.ChunkedArray) -> list[Location | None]:
    """Each row's location, or None when it is missing or not plainly valid (as fastpath.location_of decides)."""
    struct = column.combine_chunks()
    members = [columns.coded(struct.field(name)) for name in ("place", "precision")]
    found: list[Location | None] = columns.by_combination(members, _unnoted)
    (places, place_codes), (precisions, precision_codes) = members
    notes = struct.field("note")
    for row, note in zip(np.flatnonzero(columns.flags(pc.is_valid(notes))).tolist(), _given(notes), strict=True):
        found[row] = location_of(places[place_codes[row]], precisions[precision_codes[row]], note)
    for row in np.flatnonzero(~columns.flags(pc.is_valid(struct))).tolist():
        found[row] = None
    return found


def _citations(column: pa.ChunkedArray) -> list[tuple[Citation, ...] | None]:
    """Each row's citations, or None when there are none or one is not plainly valid (as fastpath.citations)."""
    lists = column.combine_chunks()
    rows = len(lists)
    absolute = columns.integers(lists.offsets)  # into lists.values, which a slice of the lists does not cut
    first = int(absolute[0])
    offsets = absolute - first
    items = lists.values.slice(first, int(absolute[-1]) - first)  # the citations of every row, one after another
    distinct, codes = columns.coded(items.field("id"))
    # The few hundred source ids are checked once each; a null item or a null member fails its check.
    distinct_ok = np.array([clean_reference(source) for source in distinct], dtype=bool)
    confirms = items.field("confirms").to_pylist()
    item_ok = (
        columns.flags(pc.is_valid(items))
        & distinct_ok[codes]
        & columns.clean_texts(items.field("confirms"), confirms, TEXT_MAX)
    )
    counts = np.diff(offsets)
    owner = np.repeat(np.arange(rows), counts)  # the row of each citation
    bad = np.bincount(owner[~item_ok], minlength=rows)
    row_ok = (columns.flags(pc.is_valid(lists)) & (counts > 0) & (bad == 0)).tolist()
    made = list(map(Citation, columns.each(distinct, codes), confirms))
    bounds = offsets.tolist()
    return [
        tuple(made[first:last]) if ok else None for first, last, ok in zip(bounds[:-1], bounds[1:], row_ok, strict=True)
    ]


def events_of(
    table: pa.Table, by_lines: np.ndarray, categories: frozenset[str], seen: set[object]
) -> list[Event | None]:
    """The Event of each row every member of which is plainly valid (as fastpath.plain_event decides), else None;
    ``seen`` holds the ids of the rows before (any row's: see below), and takes this block's."""
    column = table.column
    titles, descriptions = column("title").to_pylist(), column("description").to_pylist()
    ok = ~by_lines
    ok &= columns.clean_texts(column("title"), titles, TITLE_MAX)
    ok &= columns.clean_texts(column("description"), descriptions, TEXT_MAX)
    ok &= columns.clean_ids(column("id"))
    category_values, category_codes = columns.coded(column("category"))
    known = [
        type(value) is str and value in categories and len(value) <= fastpath.CHOICE_MAX for value in category_values
    ]
    ok &= np.array(known, dtype=bool)[category_codes]
    public_given = columns.flags(pc.is_valid(column("public")))
    rows = zip(
        column("id").to_pylist(),
        titles,
        descriptions,
        columns.each(category_values, category_codes),
        _intervals(column("when")),
        _intervals(column("public")),
        _locations(column("where")),
        _citations(column("sources")),
        ok.tolist(),
        public_given.tolist(),
        strict=True,
    )
    events: list[Event | None] = []
    for event_id, title, description, category_id, when, public, where, cited, row_ok, has_public in rows:
        # An id met before, in any row, goes by lines: the located reader says it is repeated, or takes it where
        # the row before was refused (sending a row to the reader never changes what is read, only how fast).
        repeated = event_id in seen
        seen.add(event_id)
        plain = row_ok and not repeated
        if not plain or when is None or where is None or cited is None or (has_public and public is None):
            events.append(None)
            continue
        events.append(Event(event_id, title, description, category_id, when, public, where, (), cited))
    return events
