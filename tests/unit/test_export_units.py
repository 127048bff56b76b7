"""The export's pieces on small inputs: EDTF, the declared columns, the case-data digest, the build date, and the
YAML strings import writes."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from geo.casefile.records import Interval
from geo.common.errors import CasemapError
from geo.export import columns
from geo.export.cite import build_date, case_digest
from geo.export.drafts import field_path, read_drafts
from geo.export.importer import yaml_string
from geo.export.rows import edtf
from geo.export.spreadsheet import read_table


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        (Interval("2021-02-25", "2021-02-25", "day", ""), "2021-02-25"),
        (Interval("2019-08-01", "2019-08-31", "month", ""), "2019-08"),
        (Interval("2021-01-01", "2021-12-31", "year", ""), "2021"),
        (Interval("1968-01-02", "1969-02-25", "approximate", "x"), "1968-01-02/1969-02-25"),
        (Interval("2021-02-25", "2021-02-25", "approximate", "x"), "2021-02-25~"),
        (None, ""),
    ],
)
def test_edtf_says_each_precision_at_level_0_or_1(interval: Interval | None, expected: str) -> None:
    assert edtf(interval) == expected


def test_every_header_names_its_declared_column_and_groups_are_numbered() -> None:
    names = columns.headers(3, 7)
    assert len(names) == len(set(names)) == len(columns.EVENT_COLUMNS) + 3 * 5 + 7 * 6
    assert names[:3] == ["id", "title", "category"] and "claim3_sources" in names and "source7_published" in names
    for name in names:
        found = columns.column_of(name)
        assert found is not None and found[0].header(found[1]) == name
    assert columns.column_of("claim0_quote") is None and columns.column_of("claims1_quote") is None
    assert columns.column_of("source1_family") is None


def _sha256sum_listing(folder: Path) -> str:
    """What `find . -type f ! -path '*/.*' | LC_ALL=C sort | xargs sha256sum | sha256sum` prints, in Python."""
    files = sorted(
        (p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()),
        key=lambda name: name.encode(),
    )
    files = [name for name in files if not any(part.startswith(".") for part in name.split("/"))]
    listing = "".join(f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n" for name in files)
    return hashlib.sha256(listing.encode()).hexdigest()


def test_case_digest_is_the_documented_sha256sum_listing_and_follows_every_file(tmp_path: Path) -> None:
    (tmp_path / "layers").mkdir()
    (tmp_path / "events.yaml").write_text("events: []\n", encoding="utf-8")
    (tmp_path / "layers" / "a.geojson").write_text("{}", encoding="utf-8")
    (tmp_path / "B.yaml").write_text("x", encoding="utf-8")
    first = case_digest(tmp_path)
    assert first == _sha256sum_listing(tmp_path)
    (tmp_path / ".events.yaml.swp").write_text("editor junk", encoding="utf-8")
    assert case_digest(tmp_path) == first, "hidden files are left out"
    (tmp_path / "layers" / "a.geojson").write_text("{ }", encoding="utf-8")
    assert case_digest(tmp_path) != first, "a derived layer is part of the digest"


def test_build_date_is_source_date_epoch_else_the_newest_case_file(tmp_path: Path) -> None:
    older, newer = tmp_path / "a.yaml", tmp_path / "b.yaml"
    older.write_text("a", encoding="utf-8")
    newer.write_text("b", encoding="utf-8")
    os.utime(older, (0, 86_400 * 3))
    os.utime(newer, (0, 86_400 * 400))
    assert build_date(tmp_path, {}) == "1971-02-05"
    assert build_date(tmp_path, {"SOURCE_DATE_EPOCH": "1614211200"}) == "2021-02-25"
    with pytest.raises(CasemapError, match="SOURCE_DATE_EPOCH"):
        build_date(tmp_path, {"SOURCE_DATE_EPOCH": "yesterday"})


@given(st.text(alphabet=st.characters(codec="utf-8")))  # lone surrogates are no UTF-8 at all
def test_yaml_string_reads_back_as_the_same_text(text: str) -> None:
    written = yaml_string(text)
    assert "\n" not in written and "\u2028" not in written
    assert yaml.safe_load(f"value: {written}\n")["value"] == text


def test_field_paths_as_the_readers_name_them() -> None:
    assert field_path("claims[1].quote") == ["claims", 1, "quote"]
    assert field_path("sources[].id") == ["sources", None, "id"]
    assert field_path("when.start") == ["when", "start"]


def test_docs_export_md_names_every_declared_column() -> None:
    """pagedata mirrors the columns from docs/export.md: the doc and the declaration must not drift apart."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "export.md").read_text(encoding="utf-8")
    for column in columns.ALL_COLUMNS:
        name = column.name.replace("{n}", "{m}") if column.group == columns.SOURCE_GROUP else column.name
        assert f"`{name}`" in doc or f"`{name}`," in doc, name
        row = next(line for line in doc.splitlines() if f"`{name}`" in line)
        assert ("| derived |" in row) != column.editable, f"{name}: editable in the code, not in the doc, or back"


def test_a_spreadsheet_saved_by_excel_reads_as_the_export_wrote_it(tmp_path: Path) -> None:
    csv_path = tmp_path / "events.csv"
    csv_path.write_bytes("\ufeffid,start\r\nx,2019-08-01\r\n".encode())  # Excel's "CSV UTF-8" starts with a BOM
    assert read_table(csv_path).rows == [(1, ["id", "start"]), (2, ["x", "2019-08-01"])]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "events"
    sheet.append(["id", "start", "lat"])
    sheet.append(["x", datetime(2019, 8, 1), 52.0])  # a date and a number typed into cells
    book.save(tmp_path / "events.xlsx")
    assert read_table(tmp_path / "events.xlsx").rows == [(1, ["id", "start", "lat"]), (2, ["x", "2019-08-01", "52"])]


def test_comment_rows_are_skipped_and_groups_with_a_gap_keep_their_order(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        '"# cite line, with a comma"\r\nid,claim1_quote,claim2_quote,claim2_sources,source2_id,source1_outlet\r\n'
        '# a note row\r\na,,q2,"s1, s2;s3",s,derived only\r\n,,,,,\r\n',
        encoding="utf-8",
    )
    parsed = read_drafts(read_table(path))
    assert parsed.problems == []
    (draft,) = parsed.drafts
    assert draft.row == 4
    assert draft.record["claims"] == [{"quote": "q2", "sources": ["s1", "s2", "s3"]}]
    assert draft.record["sources"] == [{"id": "s"}] and draft.source_numbers == [2]
    assert draft.header(["claims", 0, "quote"]) == "claim2_quote"
    assert draft.header(["sources", None, "id"], "s") == "source2_id"


def test_unknown_and_repeated_headers_are_refused_at_their_cell(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("id,title,colour,title\r\na,b,c,d\r\n", encoding="utf-8")
    problems = read_drafts(read_table(path)).problems
    assert problems == [
        f"{path}:1:colour: expected a column of docs/export.md, found an unknown column",
        f"{path}:1:title: expected each column once, found it again",
    ]
