"""Bulk event files, beside the hand-written events.yaml: JSON Lines, CSV and Parquet (GeoParquet), each read as
plain records with the line or row every message names.

A case keeps its events in exactly one of events.yaml, events.jsonl, events.csv and events.parquet (site.events_path).
CSV and Parquet hold the columns of the export (geo.export.columns, docs/export.md), so an export can be built from.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from geo.casefile.jsonlines import MAX_JSONL_BYTES, iter_jsonl, record_on_line
from geo.casefile.records import Event
from geo.common.errors import Problem
from geo.common.safefiles import read_bytes

EVENT_FILES = ("events.yaml", "events.jsonl", "events.csv", "events.parquet")
SUFFIXES = (".jsonl", ".csv", ".parquet")


def rows(
    path: Path, problems: list[Problem], categories: Collection[str]
) -> Iterator[tuple[Event | None, dict[str, Any] | None, int]]:
    """The file's records one at a time, each with its line (JSON Lines) or row (CSV, Parquet): ``(event, None,
    line)`` for a record read by column and taken whole (geo.casefile.columnar, geo.casefile.tablecolumns),
    ``(None, record, line)`` for one read on its own, which the fast path or the located readers then read."""
    if path.suffix in (".csv", ".parquet"):
        from geo.casefile import tabular  # pyarrow is imported only by a case that keeps its events in a table

        yield from tabular.rows(path, problems, categories)
        return
    data = read_bytes(path, problems, max_bytes=MAX_JSONL_BYTES, within=path.parent)
    if data is None:
        return
    from geo.casefile import columnar  # pyarrow, as above

    columns = columnar.read_jsonl(data, categories)
    if columns is None:  # the file goes by lines: iter_jsonl says what is wrong and where
        yield from ((None, record, line) for record, line in iter_jsonl(path, data, problems=problems))
        return
    for row, (event, line) in enumerate(zip(columns.events, columns.lines, strict=True)):
        if event is not None:
            yield event, None, line
            continue
        start, end = int(columns.starts[row]), int(columns.ends[row])
        if (record := record_on_line(path, line, data[start:end], problems)) is not None:
            yield None, record, line
