"""Bulk event files, beside the hand-written events.yaml: JSON Lines, CSV and Parquet (GeoParquet), each read as
plain records with the line or row every message names.

A case keeps its events in exactly one of events.yaml, events.jsonl, events.csv and events.parquet (site.events_path).
CSV and Parquet hold the columns of the export (geo.export.columns, docs/export.md), so an export can be built from.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.casefile.jsonlines import MAX_JSONL_BYTES, iter_jsonl
from geo.common.errors import Problem
from geo.common.safefiles import read_bytes

EVENT_FILES = ("events.yaml", "events.jsonl", "events.csv", "events.parquet")
SUFFIXES = (".jsonl", ".csv", ".parquet")


def records(path: Path, problems: list[Problem]) -> Iterator[tuple[dict[str, Any], int]]:
    """The file's records one at a time, each with its line (JSON Lines) or row (CSV, Parquet)."""
    if path.suffix in (".csv", ".parquet"):
        from geo.casefile import tabular  # pyarrow is imported only by a case that keeps its events in a table

        yield from tabular.records(path, problems)
        return
    data = read_bytes(path, problems, max_bytes=MAX_JSONL_BYTES, within=path.parent)
    if data is not None:
        yield from iter_jsonl(path, data, problems=problems)
