"""Bulk events as a table: events.csv or events.parquet (GeoParquet too) with the export's columns, read as typed
columns by pyarrow; a row the columns' checks take whole (geo.casefile.tablecolumns) becomes its event at once, any
other is turned into the record events.yaml would hold and read on its own.

The columns are those geo.export.columns declares (docs/export.md): an export opens in a spreadsheet, is edited,
and is built from as it is. A row's number is the one a spreadsheet shows for a CSV (the header row counts, and a
leading '#' comment row such as the export's cite line) and the 1-based row for a Parquet file; every problem is
reported as FILE:ROW:COLUMN (``locate``). Derived columns (EDTF, place name, lat/lon, the bibliography's cells, a
GeoParquet geometry) are ignored, as on import: an event's place is its place id.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from geo.casefile import columnar, tablecolumns
from geo.casefile.jsonlines import MAX_JSONL_BYTES
from geo.casefile.records import Event
from geo.casefile.tablecolumns import COMMENT
from geo.common.errors import Problem
from geo.common.safefiles import read_bytes
from geo.export import columns

# The names of the table's cells for each events.yaml field, as build_map.py import reads them: declared once there.
from geo.export.drafts import (
    CLAIM_KEYS,
    ID_SEPARATORS,
    PUBLIC,
    SOURCE_KEYS,
    TOP,
    WHEN,
    WHERE,
    Draft,
    field_path,
    to_record,
)

BATCH_ROWS = 50_000  # rows turned into Python values at a time: a million rows never all at once
HEADER_PREFIX_BYTES = 1_000_000  # where the header row must be (after the comment rows)


Rows = Iterator[tuple[int, dict[str, str]]]  # each data row's number and its cells by header


@dataclass(frozen=True)
class Table:
    """A table's headers, the row its header is on, and its data rows (read when iterated); ``cells``: the same
    rows as a table of text read by pyarrow, from row ``first_row`` on (None when Python's csv module read them)."""

    name: str
    headers: list[str]
    header_row: int
    rows: Rows
    cells: pa.Table | None = None
    first_row: int = 0
    strip_quote: bool = False


def _header_lines(data: bytes) -> tuple[int, int, list[str]]:
    """Records and lines before the header (comment and empty rows), and the header's names."""
    prefix = data[:HEADER_PREFIX_BYTES].decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(prefix, newline=""))
    skipped, lines = 0, 0
    try:
        for cells in reader:
            if cells and not cells[0].startswith(COMMENT) and any(cells):
                return skipped, lines, cells
            skipped, lines = skipped + 1, reader.line_num
    except csv.Error:  # a cell past the csv module's limit (a quote left open): the reference reader says where
        pass
    return skipped, lines, []


def _is_skipped(cells: list[str]) -> bool:
    return not any(cells) or cells[0].startswith(COMMENT)


def _python_csv(data: bytes, name: str, problems: list[Problem]) -> Table | None:
    """The reference reading (RFC 4180, as build_map.py import reads a CSV), for a file pyarrow's reader refuses:
    empty or ragged rows, bytes that are not UTF-8, a quote out of place; it says where."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(Problem(name, line, "", "", "UTF-8 text (save the CSV as UTF-8)", "other bytes"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        rows = [(number, cells) for number, cells in enumerate(reader, start=1) if not _is_skipped(cells)]
    except csv.Error as error:
        problems.append(Problem(name, reader.line_num, "", "", "RFC 4180 CSV", str(error)))
        return None
    if not rows:
        return None
    (header_row, names) = rows[0]
    # The export's leading "'" is taken off a data cell here too (as _batches does for pyarrow's reading), before
    # the comment rule: a file is read alike whichever reader reads it.
    unquoted = ((n, [c[1:] if c.startswith("'") else c for c in cells]) for n, cells in rows[1:])
    body = [(n, cells) for n, cells in unquoted if not _is_skipped(cells)]
    for number, cells in body:
        for index, value in enumerate(cells[len(names) :], start=len(names) + 1):
            if value:
                problems.append(Problem(name, number, "", "", "no value outside the named columns", "", str(index)))
    return Table(name, names, header_row, ((n, dict(zip(names, cells, strict=False))) for n, cells in body))


def _batches(table: pa.Table, *, strip_quote: bool) -> Iterator[pa.RecordBatch]:
    """A table of text columns a batch at a time; in a CSV a leading "'" (the export's mark of a cell a spreadsheet
    would run as a formula, docs/export.md) is taken off every cell, as build_map.py import does."""
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        if strip_quote:
            unquoted = [pc.if_else(pc.starts_with(c, "'"), pc.utf8_slice_codeunits(c, 1), c) for c in batch.columns]
            batch = pa.RecordBatch.from_arrays(unquoted, names=batch.schema.names)
        yield batch


def _texts(batch: pa.RecordBatch) -> list[list[str]]:
    return [[value or "" for value in column.to_pylist()] for column in batch.columns]


def _arrow_rows(table: pa.Table, first_row: int, *, strip_quote: bool) -> Rows:
    """The rows of a table of text columns, a batch at a time; comment and empty rows are skipped."""
    row = first_row
    for batch in _batches(table, strip_quote=strip_quote):
        for cells in zip(*_texts(batch), strict=True):
            if not _is_skipped(list(cells)):
                yield row, dict(zip(table.column_names, cells, strict=True))
            row += 1


def _csv_table(data: bytes, name: str, problems: list[Problem]) -> Table | None:
    skipped, lines, names = _header_lines(data)
    if not names or len(set(names)) != len(names):
        return _python_csv(data, name, problems)
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(skip_rows=lines),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
        named = table.column_names  # pyarrow checks no UTF-8 in the header's names: decoding them here does
    except (pa.ArrowException, UnicodeDecodeError):  # read again by the reference reader, which says where and what
        return _python_csv(data, name, problems)
    if named != names:  # a header cut at HEADER_PREFIX_BYTES: the columns it does not name were typed by guess
        return _python_csv(data, name, problems)
    rows = _arrow_rows(table, skipped + 2, strip_quote=True)
    return Table(name, table.column_names, skipped + 1, rows, table, skipped + 2, strip_quote=True)


def _texts_of(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A Parquet column as text, a null as the empty text. Not fill_null(column, ""): pyarrow imports pandas (0.35 s)
    to make a scalar of the ""."""
    text = pc.cast(column, pa.string())
    empties = pa.Array.from_buffers(
        pa.string(), len(text), [None, pa.py_buffer(np.zeros(len(text) + 1, dtype=np.int32)), pa.py_buffer(b"")]
    )
    return pc.coalesce(text, empties)


def _parquet_table(data: bytes, name: str, problems: list[Problem]) -> Table | None:
    try:
        # ParquetFile, not read_table: read_table imports pyarrow.dataset, and with it pandas (0.35 s).
        table = pq.ParquetFile(pa.BufferReader(data)).read()
        table.validate(full=True)  # its strings are UTF-8: pyarrow's reader copies a column's bytes unchecked
        names = table.column_names  # pyarrow checks no UTF-8 in the schema's names: decoding them here does
    except (pa.ArrowException, OSError, UnicodeDecodeError) as error:
        problems.append(Problem(name, 0, "", "", "a Parquet file (GeoParquet too)", str(error)[:120]))
        return None
    try:
        geo = json.loads((table.schema.metadata or {}).get(b"geo", b"{}"))
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth: no geometry named
        geo = {}
    # GeoParquet's geometry columns are derived from the place ids, like lat and lon: ignored.
    # GeoParquet's "columns" is an object keyed by column name (geoparquet.org, spec 1.0.0); anything else names none.
    named = geo.get("columns") if isinstance(geo, dict) else None
    derived = set(named) if isinstance(named, dict) else set()
    # By position, not by name: a name given twice is the header's problem (_check_header), not a KeyError here.
    kept = [k for k, n in enumerate(names) if n not in derived]
    texts: list[pa.ChunkedArray] = []
    for k in kept:
        try:
            texts.append(_texts_of(table.column(k)))
        except pa.ArrowException:  # a list, struct or map, or bytes that are not UTF-8: no cell's text
            expected = "a column of texts (or numbers, dates, booleans)"
            found = f"a column of {table.column(k).type}"
            problems.append(Problem(name, 0, "", "", expected, found, names[k]))
    if len(texts) < len(kept):
        return None
    text = pa.Table.from_arrays(texts, names=[names[k] for k in kept])
    return Table(name, text.column_names, 0, _arrow_rows(text, 1, strip_quote=False), text, 1)


def read_table(path: Path, problems: list[Problem]) -> Table | None:
    data = read_bytes(path, problems, max_bytes=MAX_JSONL_BYTES, within=path.parent)
    if data is None:
        return None
    name = str(path)
    return _parquet_table(data, name, problems) if path.suffix == ".parquet" else _csv_table(data, name, problems)


def _check_header(table: Table, problems: list[Problem]) -> None:
    """Unknown, repeated and missing columns are problems of the header row (line 0 in a Parquet file)."""
    seen: set[str] = set()
    for header in table.headers:
        if header and columns.column_of(header) is None:
            expected = "a column of docs/export.md (geo/export/columns.py)"
            problems.append(Problem(table.name, table.header_row, "", "", expected, "an unknown column", header))
        elif header in seen:
            problems.append(Problem(table.name, table.header_row, "", "", "each column once", "it again", header))
        seen.add(header)
    if "id" not in seen:
        expected = "a header row with the export's columns (id, title, …)"
        problems.append(Problem(table.name, table.header_row, "", "", expected, "no id column"))


def rows(
    path: Path, problems: list[Problem], categories: Collection[str]
) -> Iterator[tuple[Event | None, dict[str, Any] | None, int]]:
    """Each row with its number, as bulk.rows gives a file's: ``(event, None, row)`` for a row the columns took
    whole, ``(None, record, row)`` for one read on its own (its record as events.yaml would hold it). Problems of
    the file go to problems."""
    table = read_table(path, problems)
    if table is None:
        if not any(p.file == str(path) for p in problems):
            problems.append(Problem(str(path), 0, "", "", "a header row and at least one event row", "none"))
        return
    _check_header(table, problems)
    if any(p.file == table.name for p in problems):
        return
    groups = _groups(table.headers)
    found = False
    if table.cells is None:
        for row, cells in table.rows:
            found = True
            yield None, record(cells, groups), row
    else:
        for item in _column_rows(table.cells, table, groups, frozenset(categories)):
            found = True
            yield item
    if not found:
        problems.append(Problem(table.name, 0, "", "", "at least one event row below the header", "none"))


def _column_rows(
    cells: pa.Table, table: Table, groups: dict[str, list[int]], categories: frozenset[str]
) -> Iterator[tuple[Event | None, dict[str, Any] | None, int]]:
    """The rows of a table pyarrow read, a batch at a time: each row the columns take as its event, any other as
    its record; comment and empty rows are skipped."""
    seen: set[object] = set()  # every row's id so far: a row with an id met before is read on its own
    first = table.first_row
    for batch in _batches(cells, strip_quote=table.strip_quote):
        skipped = tablecolumns.skipped_rows(batch)
        read_alone = skipped | tablecolumns.claimed_rows(batch, groups)
        taken = columnar.events_of(tablecolumns.event_table(batch, groups), read_alone, categories, seen)
        texts: list[list[str]] | None = None
        for k in np.flatnonzero(~skipped).tolist():
            if (event := taken[k]) is not None:
                yield event, None, first + k
                continue
            texts = texts or _texts(batch)
            yield None, record(dict(zip(batch.schema.names, (t[k] for t in texts), strict=True)), groups), first + k
        first += batch.num_rows


def _groups(headers: list[str]) -> dict[str, list[int]]:
    """The claim and source group numbers the header has an editable column of, in order."""
    numbers: dict[str, set[int]] = {columns.CLAIM_GROUP: set(), columns.SOURCE_GROUP: set()}
    for header in headers:
        found = columns.column_of(header)
        if found is not None and found[0].group and found[0].editable:
            numbers[found[0].group].add(found[1])
    return {group: sorted(found) for group, found in numbers.items()}


def record(cells: dict[str, str], groups: dict[str, list[int]]) -> dict[str, Any]:
    """One row as an events.yaml record, as geo.export.drafts.to_record makes it (an empty cell is no field)."""
    out: dict[str, Any] = {key: cells[key] for key in TOP if cells.get(key)}
    for key, names in (("when", WHEN), ("public", PUBLIC)):
        interval = {field: cells[header] for field, header in names.items() if cells.get(header)}
        if interval:
            out[key] = interval
    out["where"] = {field: cells[header] for field, header in WHERE.items() if cells.get(header)}
    claims = []
    for n in groups[columns.CLAIM_GROUP]:
        claim: dict[str, Any] = {
            key: cells[f"claim{n}_{key}"] for key in CLAIM_KEYS[:4] if cells.get(f"claim{n}_{key}")
        }
        if ids := [item for item in ID_SEPARATORS.split(cells.get(f"claim{n}_sources", "")) if item]:
            claim["sources"] = ids
        if claim:
            claims.append(claim)
    if claims:
        out["claims"] = claims
    sources = []
    for n in groups[columns.SOURCE_GROUP]:
        if cited := {key: cells[f"source{n}_{key}"] for key in SOURCE_KEYS if cells.get(f"source{n}_{key}")}:
            sources.append(cited)
    out["sources"] = sources
    return out


def locate(path: Path, problems: list[Problem]) -> list[Problem]:
    """The problems with the column each field came from (FILE:ROW:COLUMN), as build_map.py import names them."""

    mine = {p.line for p in problems if p.file == str(path) and p.line > 0 and not p.column}
    if not mine:
        return problems
    table = read_table(path, [])
    rows = {row: cells for row, cells in (table.rows if table is not None else ()) if row in mine}
    located = []
    for problem in problems:
        cells = rows.get(problem.line) if problem.file == str(path) and not problem.column else None
        if cells is not None:
            draft = to_record(Draft(problem.line, cells))
            column = draft.header(field_path(problem.field), problem.found.strip('"'))
            problem = replace(problem, column=column or "", field=problem.field if not column else "")
        located.append(problem)
    return located
