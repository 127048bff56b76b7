"""Bulk events from JSON Lines read by column: pyarrow's JSON reader parses the file into typed columns on every
core, and each field's checks run over a whole column; only the rows those checks do not accept are read a line at
a time (geo.casefile.jsonlines, then the located readers).

Why: at 100,000 events, reading a line at a time and checking a record at a time was two thirds of the build
(bench/RESULTS.md, 2026-11-27: 12.7 s against issue #18's 5 s). The columns decide nothing on their own, as the
one-pass checks of geo.casefile.fastpath do not: a row is taken here only when the line reader would have read the
same object and fastpath.plain_event would have taken it, and any doubt sends the row, or the whole file, to the
line reader, which says what is wrong and where.

What makes a file or a row go by lines, and why each is safe:
- the file: pyarrow refuses it (not JSON, a key written twice, a value of another type than the schema's, a lone
  surrogate escape), its text is not UTF-8 or starts with a byte-order mark, it holds a member the schema does not
  know (pyarrow's "infer" adds every member it meets, with a value or null, to the table's schema), or its rows do
  not match its non-blank lines one to one (two objects on a line);
- a row: it has claims, or a check refuses one of its values.
pyarrow reads JSON as RFC 8259 does and json.loads agrees on every object both accept; the differences that matter
were each tried (tests/unit/test_columnar.py): NaN and Infinity (pyarrow accepts them, but only as numbers, and no
event member is a number), a byte-order mark (pyarrow skips it), control characters inside strings (both refuse).
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from geo.casefile import fastpath
from geo.casefile.fastpath import clean_reference, clean_text, interval_of, location_of, unlabelled
from geo.casefile.fields import SLUG
from geo.casefile.records import TEXT_MAX, TITLE_MAX, Citation, Event, Interval, Location

_INTERVAL = pa.struct([(name, pa.string()) for name in ("start", "end", "precision", "label")])
_WHERE = pa.struct([(name, pa.string()) for name in ("place", "precision", "note")])
_CITATION = pa.struct([("id", pa.string()), ("confirms", pa.string())])
# The event members as typed columns; claims, the one member left out, is taken by the line reader (CLAIMS).
EVENT_COLUMNS = pa.schema(
    [
        ("id", pa.string()),
        ("title", pa.string()),
        ("description", pa.string()),
        ("category", pa.string()),
        ("when", _INTERVAL),
        ("public", _INTERVAL),
        ("where", _WHERE),
        ("sources", pa.list_(_CITATION)),
    ]
)
CLAIMS = "claims"
_BOM = b"\xef\xbb\xbf"
SLUG_WHOLE = f"^(?:{SLUG.pattern})$"  # fields.SLUG, matched whole as fullmatch does
_LINE_SCAN_BYTES = 1 << 26  # newlines are found 64 MB at a time: a million events' file as one bool array is 557 MB
_BLOCK_BYTES = 1 << 23  # pyarrow's block per thread; 8 MB read the benchmark's 100,000 events fastest (0.68 s)


@dataclass(frozen=True)
class ColumnRows:
    """A file's records in order: ``events[k]`` is row k's Event when the columns took it, else None (the line
    reader reads row k, the bytes ``data[starts[k]:ends[k]]``); ``lines[k]`` is its line."""

    events: list[Event | None]
    lines: list[int]
    starts: list[int]
    ends: list[int]


def read_jsonl(data: bytes, categories: Collection[str]) -> ColumnRows | None:
    """The rows of JSON Lines ``data``, or None when the file must be read a line at a time (see above)."""
    if data.startswith(_BOM):
        return None
    lines = _record_lines(data)
    if not lines.numbers.size:
        return None
    try:
        table = pa_json.read_json(
            io.BytesIO(data),
            read_options=pa_json.ReadOptions(block_size=_BLOCK_BYTES),
            parse_options=pa_json.ParseOptions(explicit_schema=EVENT_COLUMNS, unexpected_field_behavior="infer"),
        )
        table.validate(full=True)  # the strings are UTF-8 (pyarrow's reader copies bytes without checking)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if table.num_rows != lines.numbers.size or not _known_members(table.schema):
        return None
    by_lines = np.zeros(table.num_rows, dtype=bool)
    if CLAIMS in table.column_names:
        by_lines = _flags(pc.is_valid(table.column(CLAIMS)))
    events = _events(table, by_lines, frozenset(categories))
    return ColumnRows(events, lines.numbers.tolist(), lines.starts.tolist(), lines.ends.tolist())


@dataclass(frozen=True)
class _Lines:
    numbers: np.ndarray  # each non-blank line (pyarrow's rows), 1-based
    starts: np.ndarray  # where each begins in the file
    ends: np.ndarray  # where each ends (its newline, or the end of the file)


def _record_lines(data: bytes) -> _Lines:
    """The non-blank lines: a line of JSON white space alone is skipped by both readers."""
    view = np.frombuffer(data, dtype=np.uint8)
    ends = np.concatenate(
        [np.flatnonzero(view[at : at + _LINE_SCAN_BYTES] == 0x0A) + at for at in range(0, len(view), _LINE_SCAN_BYTES)]
        + [np.array([len(view)], dtype=np.int64)]
    )
    starts = np.concatenate([np.zeros(1, dtype=np.int64), ends[:-1] + 1])
    brace = np.zeros(len(starts), dtype=bool)
    filled = starts < ends
    brace[filled] = view[starts[filled]] == ord("{")
    keep = brace.copy()
    for index in np.flatnonzero(~brace).tolist():  # few: a last empty line, blank lines, a line with leading spaces
        keep[index] = bool(data[starts[index] : ends[index]].strip(b" \t\r"))
    return _Lines(np.flatnonzero(keep) + 1, starts[keep], ends[keep])


def _known_members(found: pa.Schema) -> bool:
    """The table holds the event members alone: every member pyarrow met is one the schema names, of its type
    (a nested member it does not know would widen a struct)."""
    for field in found:
        if field.name == CLAIMS:
            continue
        if field.name not in EVENT_COLUMNS.names or field.type != EVENT_COLUMNS.field(field.name).type:
            return False
    return True


def _flags(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A boolean column as a numpy array, null read as False."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _clean_texts(values: pa.ChunkedArray | pa.Array, max_chars: int) -> np.ndarray:
    """fastpath.clean_text for every value of a column: printable ASCII is decided by pyarrow, any other text by
    clean_text itself (the rule is declared once, there)."""
    length = pc.utf8_length(values)
    fits = _flags(pc.and_(pc.greater(length, 0), pc.less_equal(length, max_chars)))
    plain = _flags(pc.and_(pc.string_is_ascii(values), pc.ascii_is_printable(values)))
    # Printable ASCII is blank only when it is all spaces (the one printable white-space character).
    clean: np.ndarray = fits & plain & ~_flags(pc.ascii_is_space(values))
    other = np.flatnonzero(fits & ~plain)
    if other.size:
        texts = values.take(pa.array(other)).to_pylist()
        clean[other] = [clean_text(text, max_chars) for text in texts]
    return clean


def _clean_ids(values: pa.ChunkedArray) -> np.ndarray:
    """fastpath.clean_id for every value of a column, by the same pattern (fields.SLUG, plain ASCII: Python's and
    RE2's readings of it agree, tests/unit/test_columnar.py)."""
    fits = pc.less_equal(pc.utf8_length(values), fastpath.ID_MAX)
    return _flags(pc.and_(fits, pc.match_substring_regex(values, SLUG_WHOLE)))


# unlabelled and location_of for the values of a column (texts and None, all hashable): most rows share a day or a
# place with others, and the checks are made once for each.
_unlabelled = lru_cache(maxsize=65536)(unlabelled)
_location = lru_cache(maxsize=65536)(location_of)


def _intervals(column: pa.ChunkedArray) -> Iterator[Interval | None]:
    """Each row's interval, or None when it is missing or not plainly valid (as fastpath.interval_of decides)."""
    struct = column.combine_chunks()
    present = _flags(pc.is_valid(struct)).tolist()
    members = (struct.field(name).to_pylist() for name in _INTERVAL.names)
    for given, start, end, precision, label in zip(present, *members, strict=True):
        if not given:
            yield None
        elif label is None:
            yield _unlabelled(start, end, precision)
        else:
            yield interval_of(start, end, precision, label)


def _locations(column: pa.ChunkedArray) -> Iterator[Location | None]:
    struct = column.combine_chunks()
    present = _flags(pc.is_valid(struct)).tolist()
    members = (struct.field(name).to_pylist() for name in _WHERE.names)
    for given, place, precision, note in zip(present, *members, strict=True):
        yield _location(place, precision, note) if given else None


def _citations(column: pa.ChunkedArray) -> Iterator[tuple[Citation, ...] | None]:
    """Each row's citations, or None when there are none or one is not plainly valid (as fastpath.citations)."""
    lists = column.combine_chunks()
    rows = len(lists)
    offsets = lists.offsets.to_numpy()
    items = lists.values  # the citations of every row, one after another
    sources = items.field("id")
    # The few hundred source ids are checked once each; a null item or a null member fails its check.
    distinct = pc.unique(sources)
    distinct_ok = np.array([clean_reference(source) for source in distinct.to_pylist()], dtype=bool)
    found = pc.index_in(sources, value_set=distinct).fill_null(0).to_numpy(zero_copy_only=False)
    item_ok = _flags(pc.is_valid(items)) & _flags(pc.is_valid(sources)) & distinct_ok[found]
    item_ok &= _clean_texts(items.field("confirms"), TEXT_MAX)
    counts = np.diff(offsets)
    owner = np.repeat(np.arange(rows), counts)  # the row of each citation
    bad = np.bincount(owner[~item_ok], minlength=rows)
    row_ok = (_flags(pc.is_valid(lists)) & (counts > 0) & (bad == 0)).tolist()
    made = list(map(Citation, sources.to_pylist(), items.field("confirms").to_pylist()))
    bounds = offsets.tolist()
    for first, last, ok in zip(bounds[:-1], bounds[1:], row_ok, strict=True):
        yield tuple(made[first:last]) if ok else None


def _events(table: pa.Table, by_lines: np.ndarray, categories: frozenset[str]) -> list[Event | None]:
    """The Event of each row every member of which is plainly valid (as fastpath.plain_event decides), else None."""
    column = table.column
    ok = ~by_lines
    ok &= _clean_texts(column("title"), TITLE_MAX)
    ok &= _clean_texts(column("description"), TEXT_MAX)
    category = column("category")
    ok &= _flags(pc.is_in(category, value_set=pa.array(sorted(categories), type=pa.string())))
    ok &= _flags(pc.less_equal(pc.utf8_length(category), fastpath.CHOICE_MAX))
    ok &= _clean_ids(column("id"))
    public_given = _flags(pc.is_valid(column("public")))
    ids = column("id").to_pylist()
    titles = column("title").to_pylist()
    descriptions = column("description").to_pylist()
    categories_of = category.to_pylist()
    rows = zip(
        ids,
        titles,
        descriptions,
        categories_of,
        _intervals(column("when")),
        _intervals(column("public")),
        _locations(column("where")),
        _citations(column("sources")),
        ok.tolist(),
        public_given.tolist(),
        strict=True,
    )
    events: list[Event | None] = []
    seen: set[object] = set()
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
