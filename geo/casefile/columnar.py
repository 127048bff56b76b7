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

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
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
    """Each text of a string array as day numbers (date.toordinal), -1 where it is not a day FULL_DATE and
    date.fromisoformat accept; with the first and last day of its month and of its year, for the precisions."""

    day: np.ndarray
    month_first: np.ndarray
    month_last: np.ndarray
    year_first: np.ndarray
    year_last: np.ndarray


_DAY_WHOLE = f"^(?:{FULL_DATE.pattern})$"  # fields.FULL_DATE, matched whole as fullmatch does: ten ASCII bytes
_DAY_WIDTH = len("2021-02-03")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # numpy counts days from 1970-01-01, date.toordinal from 0001-01-01


def _epoch_days(units: np.ndarray, unit: str) -> np.ndarray:
    """The first day of each month or year (``unit`` 'M' or 'Y', counted from 1970) as days from 1970-01-01."""
    days: np.ndarray = units.astype(f"datetime64[{unit}]").astype("datetime64[D]").astype(np.int64)
    return days


def _days(texts: pa.Array) -> _Days:
    """Parsed in numpy from the texts' bytes. Which texts are days is decided as fastpath does: FULL_DATE, whose
    [0-9] RE2 reads as Python's re does (ASCII digits), then the checks date.fromisoformat makes of such a text (a
    year from 1, a month from 1 to 12, a day within its month: Gregorian leap years, as numpy's calendar and
    Python's both are). Per distinct day in Python (date.fromisoformat, calendar.monthrange) this was 0.68 s of
    reading at 100,000 events under cProfile; tests/unit/test_columnar.py compares the two on every kind of day."""
    shaped = columns.flags(pc.match_substring_regex(texts, _DAY_WHOLE))
    digits = columns.leading_bytes(texts, _DAY_WIDTH, shaped).astype(np.int64) - ord("0")
    year = digits[:, :4] @ np.array([1000, 100, 10, 1])
    month = digits[:, 5:7] @ np.array([10, 1])
    day = digits[:, 8:10] @ np.array([10, 1])
    valid = shaped & (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    months = np.where(valid, (year - 1970) * 12 + month - 1, 0)  # months from January 1970 (other rows: that one)
    years = np.where(valid, year - 1970, 0)
    month_first, month_last = _epoch_days(months, "M"), _epoch_days(months + 1, "M") - 1
    valid &= day - 1 <= month_last - month_first
    numbers = np.stack(
        [month_first + day - 1, month_first, month_last, _epoch_days(years, "Y"), _epoch_days(years + 1, "Y") - 1]
    )
    numbers += _EPOCH_ORDINAL
    numbers[:, ~valid] = -1
    return _Days(*numbers)


def _intervals(column: pa.ChunkedArray) -> list[Interval | None]:
    """Each row's interval, or None when it is missing or not plainly valid, as fastpath.interval_of decides.

    fastpath.dated per row took a second at 100,000 events (a date parsed four times, a label made, per distinct
    interval); here each distinct day is parsed once, in numpy (_days), the precision rules (_fitting) are compared
    for every row at once in numpy, and the label the build writes is made once per distinct valid interval by
    fastpath's own cached maker. tests/unit/test_columnar.py holds both to the same answers."""
    struct = column.combine_chunks()
    coded = [columns.coded_array(struct.field(name)) for name in ("start", "end", "precision")]
    (start_array, start_codes), (end_array, end_codes), (precision_array, precision_codes) = coded
    starts, ends, precisions = start_array.to_pylist(), end_array.to_pylist(), precision_array.to_pylist()
    known = [TIME_PRECISIONS.index(p) if p in TIME_PRECISIONS else -1 for p in precisions]
    precision = np.array(known, dtype=np.int64)[precision_codes]
    fits = _fitting(_days(start_array), start_codes, _days(end_array), end_codes, precision)
    fits &= columns.flags(pc.is_valid(struct))
    labels = struct.field("label")
    labelled = columns.flags(pc.is_valid(labels))
    # Without a label: the label the build makes, once per distinct interval (an approximate date needs its own).
    members = [(starts, start_codes), (ends, end_codes), (precisions, precision_codes)]
    made_rows = np.flatnonzero(fits & ~labelled & (precision != TIME_PRECISIONS.index("approximate")))
    made = columns.by_combination(members, fastpath.made_interval, made_rows)
    # With a label: the reader's own words, where they are a clean text.
    label_texts = labels.to_pylist()
    rows = np.flatnonzero(fits & labelled & columns.clean_texts(labels, label_texts, fastpath.LABEL_MAX))
    own = map(
        Interval,
        columns.each(starts, start_codes[rows]),
        columns.each(ends, end_codes[rows]),
        columns.each(precisions, precision_codes[rows]),
        columns.each(label_texts, rows),
    )
    return columns.placed(len(struct), [(made_rows, made), (rows, list(own))])


def _fitting(
    first_days: _Days, start_codes: np.ndarray, last_days: _Days, end_codes: np.ndarray, precision: np.ndarray
) -> np.ndarray:
    """For each row: both days exist, the end is not before the start, the precision is known, and the interval
    fits it (records._check_precision: one day; a whole month; a whole year)."""
    first, last = first_days.day[start_codes], last_days.day[end_codes]
    fits: np.ndarray = (first >= 0) & (last >= first) & (precision >= 0)
    fits &= (precision != TIME_PRECISIONS.index("day")) | (first == last)
    in_month = (first == first_days.month_first[start_codes]) & (last == first_days.month_last[start_codes])
    fits &= (precision != TIME_PRECISIONS.index("month")) | in_month
    in_year = (first == first_days.year_first[start_codes]) & (last == first_days.year_last[start_codes])
    fits &= (precision != TIME_PRECISIONS.index("year")) | in_year
    return fits


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
    row_ok = columns.flags(pc.is_valid(lists)) & (counts > 0) & (bad == 0)
    made = list(map(Citation, columns.each(distinct, codes), confirms))
    # The rows of each count of citations (one or two, mostly) take their tuples from one zip of that many lists.
    parts = []
    for count in np.unique(counts[row_ok]).tolist():
        owners = np.flatnonzero(row_ok & (counts == count))
        parts.append((owners, list(zip(*(columns.each(made, offsets[owners] + k) for k in range(count)), strict=True))))
    return columns.placed(rows, parts)


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
    # An id met before, in any row, goes by lines: the located reader says it is repeated, or takes it where the row
    # before was refused (sending a row to the reader never changes what is read, only how fast).
    ids = column("id").to_pylist()
    ok &= ~_repeated(column("id"), ids, seen)
    when, public, where = _intervals(column("when")), _intervals(column("public")), _locations(column("where"))
    cited = _citations(column("sources"))
    ok &= columns.given(when) & columns.given(where) & columns.given(cited)
    ok &= columns.given(public) | ~columns.flags(pc.is_valid(column("public")))
    categories_of = columns.each(category_values, category_codes)
    made = map(Event, ids, titles, descriptions, categories_of, when, public, where, repeat(()), cited)
    rows = np.flatnonzero(ok)
    return columns.placed(len(ids), [(rows, list(compress(made, ok.tolist())))])


def _repeated(id_column: pa.ChunkedArray, ids: list[Any], seen: set[object]) -> np.ndarray:
    """For each row: its id is in ``seen`` or in a row before it; ``seen`` then takes the ids."""
    before = np.fromiter(map(seen.__contains__, ids), dtype=bool, count=len(ids))
    _, codes = columns.coded_array(id_column)
    first = np.zeros(len(ids), dtype=bool)
    first[np.unique(codes, return_index=True)[1]] = True
    seen.update(ids)
    repeated: np.ndarray = before | ~first
    return repeated
