"""Bulk events as CSV and Parquet (GeoParquet): the export's columns build the same map as events.yaml and
events.jsonl, and every problem is reported at its row and column (FILE:ROW:COLUMN, exit 2, old page kept)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
import shapely

from build_map import main
from tests.page.test_jsonl import to_jsonl
from tests.pagekit import read_payload


def export_csv(data: Path, tmp_path: Path) -> Path:
    """The case's events exported (build_map.py export) as events.csv in place of events.yaml."""
    exported = tmp_path / "export.csv"
    assert main(["export", "--case", str(data), "--format", "csv", "--output", str(exported)]) == 0
    (data / "events.yaml").unlink()
    return Path(shutil.move(exported, data / "events.csv"))


def csv_to_parquet(data: Path, *, geometry: bool = False) -> Path:
    """events.csv as events.parquet with the types pyarrow infers (dates, numbers, nulls); with ``geometry``, a
    GeoParquet point column (WKB) from lat/lon and its 'geo' metadata."""
    source = data / "events.csv"
    table = pa_csv.read_csv(source, read_options=pa_csv.ReadOptions(skip_rows=1))
    if geometry:
        lats, lons = table["lat"].to_pylist(), table["lon"].to_pylist()
        points = [None if lat is None else shapely.Point(lon, lat).wkb for lat, lon in zip(lats, lons, strict=True)]
        table = table.append_column("geometry", pa.array(points, pa.binary()))
        geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB"}}}
        table = table.replace_schema_metadata({b"geo": json.dumps(geo).encode()})
    source.unlink()
    pq.write_table(table, data / "events.parquet")
    return data / "events.parquet"


def page_data(data: Path, tmp_path: Path, name: str) -> dict[str, Any]:
    output = tmp_path / f"{name}.html"
    assert main(["--data", str(data), "--output", str(output)]) == 0
    payload = read_payload(output.read_text(encoding="utf-8"))
    payload["method"].pop("cite")  # the case digest counts the events file, so it differs by format
    return payload


def test_every_events_format_builds_the_same_page_data(data_copy: Path, tmp_path: Path) -> None:
    from_yaml = page_data(data_copy, tmp_path, "yaml")
    assert len(from_yaml["events"]) > 10 and any(event.get("claims") for event in from_yaml["events"])
    formats = [("jsonl", None), ("csv", None), ("parquet", False), ("geoparquet", True)]
    for name, geometry in formats:
        data = shutil.copytree(data_copy, tmp_path / f"data-{name}")
        if name == "jsonl":
            to_jsonl(data)
        else:
            export_csv(data, tmp_path)
            if geometry is not None:
                csv_to_parquet(data, geometry=geometry)
        assert page_data(data, tmp_path, name) == from_yaml, name


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(rows: list[list[str]], row: int, column: str, value: str) -> None:
    """Set a cell by its spreadsheet row (1-based, as messages count) and its header (row 2: below the cite row)."""
    rows[row - 1][rows[1].index(column)] = value


def built_with_error(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Build again over the good page the caller wrote before breaking the file: exit 2, the old page kept byte for
    byte; returns the messages."""
    output = tmp_path / "map.html"
    before = output.read_bytes()
    assert main(["--data", str(data), "--output", str(output)]) == 2
    assert output.read_bytes() == before
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("start", "2021-02-30", "a date that exists in the calendar"),
        ("place_id", "no-such-place", "a place or area id from data/layers"),
        ("source1_id", "no-such-source", "an id from sources.yaml"),
        ("category", "not-a-category", "one of "),
        ("claim1_status", "certain", "one of corroborated"),
    ],
)
def test_csv_problems_name_their_row_and_column(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str, value: str, expected: str
) -> None:
    path = export_csv(data_copy, tmp_path)
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "map.html")]) == 0
    rows = csv_rows(path)
    row = next(n for n, cells in enumerate(rows, 1) if n > 2 and cells[rows[1].index("claim1_status")])
    set_cell(rows, row, column, value)
    write_rows(path, rows)
    err = built_with_error(data_copy, tmp_path, capsys)
    lines = [line.strip() for line in err.splitlines()]
    assert any(line.startswith(f"{path}:{row}:{column} ") and expected in line for line in lines), err


def test_a_csv_with_empty_rows_counts_them_as_a_spreadsheet_does(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty row makes pyarrow's reader refuse the file; the RFC 4180 reader reads it, numbering rows as shown."""
    path = export_csv(data_copy, tmp_path)
    rows = csv_rows(path)
    rows.insert(3, [])
    write_rows(path, rows)
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "map.html")]) == 0
    set_cell(rows, 6, "end", "someday")
    write_rows(path, rows)
    err = built_with_error(data_copy, tmp_path, capsys)
    assert any(line.strip().startswith(f"{path}:6:end ") for line in err.splitlines()), err


def test_an_unknown_csv_column_is_named_at_the_header_row(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export_csv(data_copy, tmp_path)
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "map.html")]) == 0
    rows = csv_rows(path)
    rows[1][rows[1].index("date_edtf")] = "colour"
    write_rows(path, rows)
    err = built_with_error(data_copy, tmp_path, capsys)
    assert f"{path}:2:colour expected a column of docs/export.md" in err, err


@pytest.mark.parametrize("geometry", [False, True])
def test_parquet_problems_name_their_row_and_column(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], geometry: bool
) -> None:
    export_csv(data_copy, tmp_path)
    path = csv_to_parquet(data_copy, geometry=geometry)
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "map.html")]) == 0
    table = pq.read_table(path)
    starts = table["start"].cast(pa.string()).to_pylist()
    index = 4
    starts[index] = "2021-13-01"
    broken = table.set_column(table.column_names.index("start"), "start", pa.array(starts, pa.string()))
    pq.write_table(broken, path)
    err = built_with_error(data_copy, tmp_path, capsys)
    lines = [line.strip() for line in err.splitlines()]
    assert any(line.startswith(f"{path}:{index + 1}:start ") and "a date that exists" in line for line in lines), err


def test_a_file_that_is_no_parquet_is_refused(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export_csv(data_copy, tmp_path)
    path = csv_to_parquet(data_copy)
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "map.html")]) == 0
    path.write_bytes(b"PAR1 this is not a parquet file")
    err = built_with_error(data_copy, tmp_path, capsys)
    assert f"{path} expected a Parquet file" in err, err


@pytest.mark.parametrize(
    ("edit", "where", "fragment"),
    [
        (lambda data: b"\xef\xbb\xbf" + data, ":1 ", "UTF-8 without a byte-order mark"),
        (lambda data: data.replace(b"\n", b"\n\xff\xfe", 3).replace(b"\n\xff\xfe", b"\n", 2), ":4 ", "UTF-8 text"),
        (lambda data: data.replace(b"\n", b"\n\xef\xbb\xbf", 1), ":2 ", "one JSON object per line"),
    ],
    ids=["bom", "not-utf-8-on-line-4", "bom-inside"],
)
def test_jsonl_read_line_by_line_still_refuses_what_is_not_utf8(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Any, where: str, fragment: str
) -> None:
    """JSON Lines are decoded a line at a time (a million events as one str took 2.2 GB): the file's problems are
    still the ones read_text names, at their line, and a mark of U+FEFF inside the file is a JSON problem."""
    to_jsonl(data_copy)
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "map.html")]) == 0
    path = data_copy / "events.jsonl"
    path.write_bytes(edit(path.read_bytes()))
    err = built_with_error(data_copy, tmp_path, capsys)
    lines = [line.strip() for line in err.splitlines()]
    assert any(line.startswith(f"{path}{where}") and fragment in line for line in lines), err
