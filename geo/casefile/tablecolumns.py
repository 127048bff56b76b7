"""Bulk events from a table (events.csv, events.parquet) read by column, as JSON Lines are (geo.casefile.columnar).

geo.casefile.tabular reads the file into a table of text cells; here a batch of its rows becomes the members
columnar.EVENT_COLUMNS declares, each with the meaning tabular.record gives a row's cells (an empty cell is no
member), so that columnar's checks can take every row whose members are all plainly valid. A row they do not take
(a claim cell given, a value a check refuses, an id met in an earlier row) is read as before: tabular.record, then
the one-pass or the located readers, which say what is wrong and where (FILE:ROW:COLUMN). The columns decide
nothing on their own; tests/unit/test_tablecolumns.py reads each file both ways and compares the whole outcome.

Why: on 27 November a build from 100,000 events in a CSV took 14.5 s where the same events as JSON Lines took about
10 s (the machine loaded alike), making a dict of every row's cells and reading it a record at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from geo.casefile import arrowcolumns as columns
from geo.export.columns import CLAIM_GROUP, SOURCE_GROUP
from geo.export.drafts import CLAIM_KEYS, PUBLIC, SOURCE_KEYS, TOP, WHEN, WHERE

COMMENT = "#"  # a row whose first cell starts with it is skipped (the export's cite row, geo.export.formats)


def _cells(batch: pa.RecordBatch, header: str) -> pa.Array | None:
    found = batch.schema.get_field_index(header)
    return None if found < 0 else batch.column(found)


def _empty(cells: pa.Array) -> np.ndarray:
    """Cells with no text (null or ""), by their lengths (NaN for null): comparing with "" would make an arrow
    scalar of it, and pyarrow imports pandas (0.35 s) to make one."""
    return ~(columns.lengths(cells) > 0)


def _member(batch: pa.RecordBatch, header: str) -> pa.Array:
    """A column's cells as a member's values: null where the cell is empty or the table has no such column."""
    nulls = pa.nulls(batch.num_rows, pa.string())
    cells = _cells(batch, header)
    return nulls if cells is None else pc.if_else(columns.bools(_empty(cells)), nulls, cells)


def _given(members: Sequence[pa.Array]) -> np.ndarray:
    """Rows where any of the members has a value."""
    given = np.zeros(len(members[0]) if members else 0, dtype=bool)
    for member in members:
        given |= columns.flags(pc.is_valid(member))
    return given


def _struct(batch: pa.RecordBatch, headers: Mapping[str, str], *, always: bool) -> pa.StructArray:
    """The members named by ``headers`` (member: column) as one struct per row; unless ``always``, a row with none
    of them is null, as tabular.record leaves out an interval with no cell given."""
    members = [_member(batch, header) for header in headers.values()]
    absent = None if always else columns.bools(~_given(members))
    return pa.StructArray.from_arrays(members, names=list(headers), mask=absent)


def _sources(batch: pa.RecordBatch, numbers: Sequence[int]) -> pa.ListArray:
    """Each row's citations: one per source group with a cell given, in the groups' order (tabular.record)."""
    rows = batch.num_rows
    groups = [{key: f"source{n}_{key}" for key in SOURCE_KEYS} for n in numbers]
    items = [_struct(batch, headers, always=True) for headers in groups]
    given = np.stack([_given([item.field(key) for key in SOURCE_KEYS]) for item in items]) if items else None
    if given is None:
        empty = _struct(batch.slice(0, 0), dict(zip(SOURCE_KEYS, SOURCE_KEYS, strict=True)), always=True)
        return pa.ListArray.from_arrays(columns.numbers(np.zeros(rows + 1, dtype=np.int32), pa.int32()), empty)
    # Row by row, group by group: the items' positions in the groups' items laid end to end (group-major).
    row_of, group_of = np.divmod(np.flatnonzero(given.T.reshape(-1)), len(items))
    values = pa.concat_arrays(items).take(columns.numbers(group_of * rows + row_of, pa.int64()))
    offsets = np.concatenate([[0], np.cumsum(given.sum(axis=0))])
    return pa.ListArray.from_arrays(columns.numbers(offsets, pa.int32()), values)


def skipped_rows(batch: pa.RecordBatch) -> np.ndarray:
    """Rows tabular skips: every cell empty, or the first starting with '#' (the export's cite row)."""
    empty = np.ones(batch.num_rows, dtype=bool)
    if not batch.num_columns:
        return empty
    for column in batch.columns:
        empty &= _empty(column)
    empty |= columns.flags(pc.starts_with(batch.column(0), COMMENT))
    return empty


def claimed_rows(batch: pa.RecordBatch, groups: Mapping[str, list[int]]) -> np.ndarray:
    """Rows with a claim cell given: the line reader and the located claim readers read them (as in columnar)."""
    headers = [f"claim{n}_{key}" for n in groups[CLAIM_GROUP] for key in CLAIM_KEYS]
    if not headers:  # a table with no claim column: _given of no members would be an array of no rows
        return np.zeros(batch.num_rows, dtype=bool)
    return _given([_member(batch, header) for header in headers])


def event_table(batch: pa.RecordBatch, groups: Mapping[str, list[int]]) -> pa.Table:
    """A batch of text cells (CSV quotes already taken off) as the members columnar's checks read."""
    return pa.table(
        {key: _member(batch, key) for key in TOP}
        | {
            "when": _struct(batch, WHEN, always=False),
            "public": _struct(batch, PUBLIC, always=False),
            "where": _struct(batch, WHERE, always=True),
            "sources": _sources(batch, groups[SOURCE_GROUP]),
        }
    )
