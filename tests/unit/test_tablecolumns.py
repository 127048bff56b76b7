"""Bulk events in a table (events.csv, events.parquet) read by column (geo.casefile.tablecolumns) give the same
events, rows and problems as reading a row at a time: each table below is read both ways through events.parse_events
and compared whole; a row the columns do not take is read on its own, and the readers say what is wrong and where."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo.casefile import events, tabular
from geo.common.errors import Problem
from tests.unit.test_columnar import CATEGORIES, ROWS_BY_LINES, printed_by_a_fresh_interpreter, record

HEADERS = [
    "id", "title", "description", "category",
    "start", "end", "date_precision", "date_label",
    "public_start", "public_end", "public_precision", "public_label",
    "place_id", "location_precision", "location_note",
    "claim1_quote", "claim1_status", "claim1_reason", "claim1_other_account", "claim1_sources",
    "source1_id", "source1_confirms", "source2_id", "source2_confirms",
    "lat",  # a derived column (docs/export.md): ignored when read
]  # fmt: skip
INTERVAL_HEADERS = {"when": "", "public": "public_"}
INTERVAL_KEYS = {"start": "start", "end": "end", "precision": "date_precision", "label": "date_label"}
WHERE_HEADERS = {"place": "place_id", "precision": "location_precision", "note": "location_note"}


def cells_of(value: dict[str, Any]) -> dict[str, str]:
    """A record of test_columnar as the export's cells (members it does not know are left out)."""
    cells: dict[str, str] = {key: value[key] for key in ("id", "title", "description", "category") if key in value}
    for member, prefix in INTERVAL_HEADERS.items():
        for key, header in INTERVAL_KEYS.items():
            if key in value.get(member, {}):
                cells[(prefix + header).replace("public_date_", "public_")] = value[member][key]
    cells |= {header: value["where"][key] for key, header in WHERE_HEADERS.items() if key in value.get("where", {})}
    for n, claim in enumerate(value.get("claims", []), start=1):
        cells |= {f"claim{n}_{key}": text for key, text in claim.items() if key != "sources"}
        cells[f"claim{n}_sources"] = ", ".join(claim.get("sources", []))
    for n, cited in enumerate(value.get("sources", []), start=1):
        cells |= {f"source{n}_{key}": text for key, text in cited.items()}
    return cells


def row(value: dict[str, Any], **cells: str) -> list[str]:
    """A table row: the record's cells, then ``cells`` over them."""
    made = cells_of(value) | cells
    return [made.get(header, "") for header in HEADERS]


def write_csv(path: Path, rows: list[list[str]], *, cite: bool = True) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    if cite:
        writer.writerow(["# Cite this map: a test", *[""] * (len(HEADERS) - 1)])
    writer.writerows([HEADERS, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_parquet(path: Path, rows: list[list[str]]) -> None:
    # An empty cell as null, as a typed export would hold it: both are "no member".
    columns = {header: [r[k] or None for r in rows] for k, header in enumerate(HEADERS)}
    pq.write_table(pa.table({h: pa.array(v, pa.string()) for h, v in columns.items()}), path)


def read_both(tmp_path: Path, rows: list[list[str]], suffix: str) -> tuple[Any, Any]:
    """parse_events on the table by column (as the build reads) and a row at a time (the columns switched off)."""
    path = tmp_path / f"events{suffix}"
    (write_csv if suffix == ".csv" else write_parquet)(path, rows)
    by_columns: list[Problem] = []
    columns = events.parse_events(path, by_columns, categories=CATEGORIES)
    switched_off = pytest.MonkeyPatch()
    switched_off.setattr(tabular, "_column_rows", one_at_a_time)
    try:
        by_rows: list[Problem] = []
        alone = events.parse_events(path, by_rows, categories=CATEGORIES)
    finally:
        switched_off.undo()
    return (columns, by_columns), (alone, by_rows)


def one_at_a_time(cells: pa.Table, table: tabular.Table, groups: Any, categories: Any) -> Iterator[Any]:
    """The reading before the columns: every row's record, read on its own."""
    return ((None, tabular.record(found, groups), number) for number, found in table.rows)


def taken(tmp_path: Path, rows: list[list[str]], suffix: str) -> int:
    path = tmp_path / f"taken{suffix}"
    (write_csv if suffix == ".csv" else write_parquet)(path, rows)
    return sum(event is not None for event, _, _ in tabular.rows(path, [], CATEGORIES))


GOOD = [row(record(k)) for k in range(4)]
SUFFIXES = [".csv", ".parquet"]
CLAIM = {"quote": "q", "status": "disputed", "sources": ["tass-2021"]}


def as_text(value: Any) -> bool:
    """Whether a JSON value is made of texts alone (in objects and lists), as a table's cells can hold it."""
    if isinstance(value, dict):
        return all(as_text(item) for item in value.values())
    if isinstance(value, list):
        return all(as_text(item) for item in value)
    return isinstance(value, str)


def from_json_lines(lines: list[str]) -> list[list[str]]:
    """test_columnar's rows that a table can hold (objects of texts), as table rows."""
    objects = []
    for text in lines:
        try:
            objects.append(json.loads(text))
        except ValueError:
            continue
    return [row(value) for value in objects if isinstance(value, dict) and as_text(value)]


# Rows read on their own, or taken, in tables the columns read: the readers decide, and both ways agree. The rows of
# JSON Lines (test_columnar's), then what only a table has.
ROWS = [
    *from_json_lines(ROWS_BY_LINES),
    row(record(0), claim1_sources=", ;"),  # separators alone: no claim, but read on its own all the same
    row(record(0), claim1_reason="why"),
    row(record(0, title="a line\nbreak")),
    row(record(0, when={"label": "early February"})),
    row(record(0, public={"label": "later"})),
    row(record(0, where={"note": "somewhere"})),
    row(record(0), source1_id="", source1_confirms="", source2_id="rbc", source2_confirms="b"),  # a gap first
    row(record(0), lat="52.03"),
    row(record(0), title="'=HYPERLINK(1)"),  # the export's quote before a formula: taken off in a CSV
    row(record(0), id="'ev-7"),
    row(record(0), id="#ev-7"),  # a comment row (its first cell): skipped
    row(record(0), id="'#ev-7"),  # in a CSV, a comment row once the quote is off
    [""] * len(HEADERS),  # an empty row: skipped
    row({}, description="only a description"),
]


def numbered(number: int, cells: list[str]) -> list[str]:
    return [cells[0].replace("ev-0", f"ev-{number}"), *cells[1:]]


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("index", range(len(ROWS)))
def test_each_row_reads_the_same_by_columns_as_alone(tmp_path: Path, index: int, suffix: str) -> None:
    rows = [GOOD[1], numbered(7, ROWS[index]), GOOD[2]]
    by_columns, alone = read_both(tmp_path, rows, suffix)
    assert by_columns == alone
    assert taken(tmp_path, rows, suffix) >= 2  # the good rows around it are taken by the columns


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_clean_table_is_taken_whole_by_the_columns(tmp_path: Path, suffix: str) -> None:
    rows = [row(record(k)) for k in range(50)]
    by_columns, alone = read_both(tmp_path, rows, suffix)
    assert by_columns == alone
    (found, lines), problems = by_columns
    assert problems == [] and len(found) == 50
    first = 3 if suffix == ".csv" else 1  # the cite row and the header come first in a CSV
    assert [lines[f"ev-{k}"] for k in range(50)] == list(range(first, first + 50))
    assert taken(tmp_path, rows, suffix) == 50


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_mixed_table_reads_the_same_by_columns_as_alone(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row above many times over, shuffled, ids repeated across rows and across batches of 7 rows: rows the
    columns take and rows they leave meet (a repeated id after a refused row, a problem between two taken ones)."""
    monkeypatch.setattr(tabular, "BATCH_ROWS", 7)
    shuffle = random.Random(25)  # noqa: S311  # a fixed, repeatable order of test rows, not a secret
    rows = [numbered(shuffle.randrange(60), shuffle.choice(ROWS + GOOD)) for _ in range(600)]
    by_columns, alone = read_both(tmp_path, rows, suffix)
    assert by_columns == alone
    (found, _), problems = by_columns
    assert found and problems  # both kinds of row are there
    assert 0 < taken(tmp_path, rows, suffix) < len(found)


def test_a_csv_read_by_pythons_csv_module_is_read_alone(tmp_path: Path) -> None:
    # A ragged row makes pyarrow refuse the file; the reference reader reads it and says where.
    path = tmp_path / "events.csv"
    write_csv(path, [GOOD[0], GOOD[1] + ["extra"], GOOD[2]])
    assert tabular.read_table(path, []) is not None
    assert all(event is None for event, _, _ in tabular.rows(path, [], CATEGORIES))
    by_columns, alone = read_both(tmp_path, [GOOD[0], GOOD[1] + ["extra"], GOOD[2]], ".csv")
    assert by_columns == alone


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_reading_a_table_by_column_imports_no_pandas(tmp_path: Path, suffix: str) -> None:
    """As for JSON Lines (test_columnar): pyarrow imports pandas to make an arrow value of a Python one, which the
    columns never ask for; checked in a fresh interpreter."""
    path = tmp_path / f"events{suffix}"
    (write_csv if suffix == ".csv" else write_parquet)(path, [*GOOD, row(record(9, claims=[CLAIM]))])
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from geo.casefile import tabular\n"
        f"rows = list(tabular.rows(Path({str(path)!r}), [], {CATEGORIES!r}))\n"
        "print(sum(event is not None for event, _, _ in rows), len(rows), 'pandas' in sys.modules)"
    )
    assert printed_by_a_fresh_interpreter(code) == ["4", "5", "False"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_table_without_claim_columns_reads_the_same_by_columns_as_alone(tmp_path: Path, suffix: str) -> None:
    """A hand-made table need not have a claim column (found by a second reader: claimed_rows of no columns was an
    array of no rows, and two or more rows in a batch failed with a numpy broadcast error, a traceback)."""
    kept = [k for k, header in enumerate(HEADERS) if not header.startswith("claim")]
    path = tmp_path / f"events{suffix}"
    rows = [[cells[k] for k in kept] for cells in GOOD]
    headers = [HEADERS[k] for k in kept]
    if suffix == ".csv":
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows([headers, *rows])
        path.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        pq.write_table(
            pa.table({h: pa.array([r[k] or None for r in rows], pa.string()) for k, h in enumerate(headers)}), path
        )
    by_columns: list[Problem] = []
    found, _ = events.parse_events(path, by_columns, categories=CATEGORIES)
    assert by_columns == [] and [event.id for event in found] == [f"ev-{k}" for k in range(4)]
    assert sum(event is not None for event, _, _ in tabular.rows(path, [], CATEGORIES)) == 4


@pytest.mark.parametrize(
    ("column", "cells"),
    [
        ("title", pa.array([["a"], ["b"], ["c"], ["d"]])),  # a list per cell
        ("title", pa.array([{"a": "x"}] * 4)),  # a struct
        ("title", pa.array([b"\xff"] * 4)),  # bytes that are not UTF-8
        ("lat", pa.array([[1.0]] * 4)),  # a derived column too: its cells are no text either
    ],
)
def test_a_parquet_column_of_no_text_is_a_problem_of_its_column(tmp_path: Path, column: str, cells: pa.Array) -> None:
    """A Parquet column pyarrow cannot cast to text was a traceback (found by a second reader); it is a problem of
    the header (row 0) naming the column, and nothing is read."""
    path = tmp_path / "events.parquet"
    table = {h: pa.array([r[k] or None for r in GOOD], pa.string()) for k, h in enumerate(HEADERS)}
    pq.write_table(pa.table(table | {column: cells}), path)
    problems: list[Problem] = []
    found, _ = events.parse_events(path, problems, categories=CATEGORIES)
    assert found == []
    kind = str(pq.read_schema(path).field(column).type)  # as Parquet gives it back (a list's item is "element")
    assert [(p.line, p.column, p.found) for p in problems] == [(0, column, f"a column of {kind}")]


def test_geoparquet_metadata_whose_columns_are_not_an_object_names_no_derived_column(tmp_path: Path) -> None:
    """GeoParquet's "columns" is an object (spec 1.0.0); a number there was a traceback (set of an int)."""
    path = tmp_path / "events.parquet"
    table = pa.table({h: pa.array([r[k] or None for r in GOOD], pa.string()) for k, h in enumerate(HEADERS)})
    pq.write_table(table.replace_schema_metadata({b"geo": json.dumps({"columns": 5}).encode()}), path)
    problems: list[Problem] = []
    found, _ = events.parse_events(path, problems, categories=CATEGORIES)
    assert problems == [] and len(found) == 4


def test_a_parquet_column_name_given_twice_is_a_problem_of_the_header(tmp_path: Path) -> None:
    """Parquet allows two columns of one name; reading them by name was a KeyError (found by a second reader)."""
    path = tmp_path / "events.parquet"
    names = [*HEADERS, "id"]
    cells = [pa.array([r[k] or None for r in GOOD], pa.string()) for k in range(len(HEADERS))]
    pq.write_table(pa.Table.from_arrays([*cells, cells[0]], names=names), path)
    problems: list[Problem] = []
    found, _ = events.parse_events(path, problems, categories=CATEGORIES)
    assert found == []
    assert [(p.line, p.column, p.expected) for p in problems] == [(0, "id", "each column once")]


def test_a_csv_opening_a_quote_it_never_closes_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    """The header search read past the csv module's field limit (131,072 characters) and raised csv.Error (found by
    a second reader); the reference reader now says where."""
    path = tmp_path / "events.csv"
    path.write_text('"' + "x" * 200_000 + "\nid,title\n", encoding="utf-8")
    problems: list[Problem] = []
    assert events.parse_events(path, problems, categories=CATEGORIES) == ([], {})
    assert [(p.line, p.expected) for p in problems] == [(1, "RFC 4180 CSV")]


def test_a_header_past_the_header_prefix_is_read_whole(tmp_path: Path) -> None:
    """Comment rows filling HEADER_PREFIX_BYTES cut the header inside its last name ('l' of 'lat'): the column not
    named was typed by pyarrow's guess (double) and taking the CSV quote off it was a traceback (found by a second
    reader). A header pyarrow reads otherwise than the prefix is read by the reference reader."""
    path = tmp_path / "events.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([HEADERS, *[row(record(k), lat="52.5") for k in range(3)]])
    body = buffer.getvalue()
    before = tabular.HEADER_PREFIX_BYTES - (body.index(",lat") + 2)  # the prefix ends after ',l'
    comments = ("#" + "x" * 98 + "\n") * (before // 100) + "#" * (before % 100 - 1) + "\n"
    path.write_text(comments + body, encoding="utf-8")
    problems: list[Problem] = []
    found, _ = events.parse_events(path, problems, categories=CATEGORIES)
    assert problems == [] and [event.id for event in found] == ["ev-0", "ev-1", "ev-2"]


def test_a_csv_header_that_is_not_utf8_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    """pyarrow reads a header's names without checking their UTF-8, and table.column_names then raised
    UnicodeDecodeError (found by a second reader's byte fuzzer); the reference reader says which line."""
    path = tmp_path / "events.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADERS, *GOOD])
    path.write_bytes(buffer.getvalue().encode().replace(b"title", b"ti\xfftle", 1))
    problems: list[Problem] = []
    assert events.parse_events(path, problems, categories=CATEGORIES) == ([], {})
    assert [(p.line, p.expected) for p in problems] == [(1, "UTF-8 text (save the CSV as UTF-8)")]


def test_a_parquet_file_with_bytes_that_are_not_utf8_in_a_text_column_is_a_problem(tmp_path: Path) -> None:
    """pyarrow's Parquet reader copies a string column's bytes unchecked; turning them into Python texts raised
    UnicodeDecodeError both ways (found by a second reader flipping bytes of a Parquet file)."""
    path = tmp_path / "events.parquet"
    table = pa.table({h: pa.array([r[k] or None for r in GOOD], pa.string()) for k, h in enumerate(HEADERS)})
    pq.write_table(table, path, compression="none", use_dictionary=False, write_statistics=False)
    data = path.read_bytes()
    assert data.count("Чита".encode()) == 4  # each description once, as written
    path.write_bytes(data.replace("Чита".encode(), b"\xd0\xa7\xff\xb8\xd1\x82\xd0\xb0", 1))  # as long, not UTF-8
    problems: list[Problem] = []
    assert events.parse_events(path, problems, categories=CATEGORIES) == ([], {})
    assert [(p.line, p.expected) for p in problems] == [(0, "a Parquet file (GeoParquet too)")]


def test_geoparquet_metadata_nested_past_the_json_parsers_depth_names_no_derived_column(tmp_path: Path) -> None:
    """json.loads raises RecursionError, not ValueError, on arrays nested 100,000 deep: it was a traceback."""
    path = tmp_path / "events.parquet"
    table = pa.table({h: pa.array([r[k] or None for r in GOOD], pa.string()) for k, h in enumerate(HEADERS)})
    pq.write_table(table.replace_schema_metadata({b"geo": b"[" * 100_000 + b"]" * 100_000}), path)
    problems: list[Problem] = []
    found, _ = events.parse_events(path, problems, categories=CATEGORIES)
    assert problems == [] and len(found) == 4


def test_a_csv_read_by_pythons_csv_module_takes_the_exports_quote_off_as_pyarrows_reading_does(tmp_path: Path) -> None:
    """One row with an empty cell past the header (a trailing comma) makes pyarrow refuse the file; Python's csv
    module read it with each data cell's leading "'" left on, so an exported id like "'ev-7" was refused there and
    taken when pyarrow read the file (found by a second reader)."""
    quoted = [numbered(7, ROWS[ROWS.index(row(record(0), id="'ev-7"))]), row(record(1), title="'=HYPERLINK(1)")]
    quoted.append(row(record(0), id="'#ev-7"))  # a comment row once the quote is off, in both readings
    found = []
    for extra in ([], [""]):
        path = tmp_path / "events.csv"
        write_csv(path, [*quoted, GOOD[2] + extra])
        problems: list[Problem] = []
        events_found, _ = events.parse_events(path, problems, categories=CATEGORIES)
        assert problems == []
        found.append([(event.id, event.title) for event in events_found])
    assert found[0] == found[1] == [("ev-7", "Event 0"), ("ev-1", "=HYPERLINK(1)"), ("ev-2", "Event 2")]
