"""build_map.py export and import on copies of the case: round trips through CSV and XLSX, located refusals, KML
against the OGC schema, GeoJSON with every event, and the cite-this-map fields in the page and every export."""

from __future__ import annotations

import csv
import hashlib
import json
from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from build_map import main
from geo.export import columns
from geo.export.drafts import read_drafts
from geo.export.spreadsheet import read_table
from geo.page.site import Site, load_site
from tests.conftest import copy_data
from tests.datakit import events_to_jsonl, replace_in
from tests.pagekit import read_payload

KML = "{http://www.opengis.net/kml/2.2}"
KML_BREAKOUT = "<b>]]><NetworkLink><Link><href>http://example.invalid/x</href></Link></NetworkLink><![CDATA[</b> & more"


def export(case: Path, fmt: str, output: Path, *extra: str) -> Path:
    assert main(["export", "--case", str(case), "--format", fmt, "--output", str(output), *extra]) == 0
    return output


def records(case: Path) -> Site:
    return load_site(case, article=None)


def folder_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the case with hostile texts: one starts like a formula (a spreadsheet would run it), one closes a
    CDATA section and opens a KML element (Google Earth would fetch the link)."""
    data = copy_data(tmp_path_factory.mktemp("export") / "data")
    replace_in(
        data / "events.yaml", "    title: Vasilyev detained in Zabaykalsky Krai\n", '    title: "=HYPERLINK(\\"x\\")"\n'
    )
    replace_in(data / "events.yaml", "      note: Birthplace not published.\n", f"      note: '{KML_BREAKOUT}'\n")
    return data


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_a_copy_gives_the_same_records_and_builds(case: Path, tmp_path: Path, fmt: str) -> None:
    sheet = export(case, fmt, tmp_path / f"events.{fmt}")
    target = copy_data(tmp_path / "copy")
    replace_in(target / "events.yaml", "category: case", "category: history")  # so the import must rewrite it
    assert records(target).case.events != records(case).case.events
    assert main(["import", str(sheet), "--into", str(target)]) == 0
    before, after = records(case), records(target)
    assert [e.id for e in after.case.events] == [e.id for e in before.case.events]
    assert after.case.events == before.case.events  # dates, places, claims and their sources, citations
    assert after.case.sources == before.case.sources
    assert any(e.title.startswith("=HYPERLINK") for e in after.case.events)
    assert main(["--case", str(target), "--output", str(tmp_path / "map.html")]) == 0
    page_events = read_payload((tmp_path / "map.html").read_text(encoding="utf-8"))["events"]
    assert [e["id"] for e in page_events] == [e.id for e in before.case.events]


def test_a_formula_never_reaches_a_spreadsheet_as_a_formula(case: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(export(case, "csv", tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()))
    titles = [row[1] for row in rows[2:]]
    assert '\'=HYPERLINK("x")' in titles
    book = openpyxl.load_workbook(export(case, "xlsx", tmp_path / "e.xlsx"))
    cells = [row[1] for row in book["events"].iter_rows(min_row=2)]
    formula = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"


def _bad_spreadsheet(case: Path, tmp_path: Path, fmt: str) -> tuple[Path, int]:
    """The export with an impossible date in the start cell of spreadsheet row 4; returns it and that row."""
    if fmt == "csv":
        path = export(case, "csv", tmp_path / "bad.csv")
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        rows[3][rows[1].index("start")] = "2019-02-30"  # rows[3] is row 4: cite comment, header, 2 events
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        return path, 4
    path = export(case, "xlsx", tmp_path / "bad.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["events"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=4, column=header.index("start") + 1, value="2019-02-30")
    book.save(path)
    return path, 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_date_in_row_4_exits_2_naming_row_and_column_and_writes_nothing(
    case: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, row = _bad_spreadsheet(case, tmp_path, fmt)
    target = copy_data(tmp_path / "copy")
    before = folder_digest(target)
    capsys.readouterr()
    assert main(["import", str(sheet), "--into", str(target)]) == 2
    err = capsys.readouterr().err
    assert f'{sheet}:{row}:start: expected a date that exists in the calendar, found "2019-02-30"' in err
    assert "Traceback" not in err
    assert folder_digest(target) == before


def test_cross_checks_are_located_too(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export(case, "csv", tmp_path / "e.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[1]
    rows[5][header.index("source1_id")] = "no-such-source"
    rows[6][header.index("place_id")] = "no-such-place"
    rows[7][header.index("title")] = ""
    rows[7].append("stray")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    capsys.readouterr()
    target = copy_data(tmp_path / "copy")
    assert main(["import", str(path), "--into", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:8:{len(header) + 1}: expected no value outside the named columns" in err
    rows[7].pop()
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert main(["import", str(path), "--into", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:8:title: expected a non-empty text" in err
    rows[7][header.index("title")] = "A title again"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert main(["import", str(path), "--into", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:6:source1_id: expected an id from sources.yaml" in err
    assert f"{path}:7:place_id: expected a place or area id from data/layers" in err


def test_kml_validates_against_the_ogc_kml_2_2_schema_with_every_event(case: Path, tmp_path: Path) -> None:
    # The OGC schema (ogckml22.xsd with its atom and xAL imports) as the PyPI package pykml ships it.
    schema = etree.XMLSchema(etree.parse(str(files("pykml") / "schemas" / "ogckml22.xsd")))
    document = etree.parse(str(export(case, "kml", tmp_path / "events.kml")))
    assert schema.validate(document), schema.error_log
    placemarks = document.findall(f".//{KML}Placemark")
    site = records(case)
    assert len(placemarks) == len(site.case.events)
    names = [data.get("name") for data in placemarks[0].iter(f"{KML}SimpleData")]
    assert set(names) <= set(columns.headers(3, 7)) and {"id", "end", "description", "claim1_quote"} <= set(names)
    ids = [next(d.text for d in p.iter(f"{KML}SimpleData") if d.get("name") == "id") for p in placemarks]
    assert ids == [event.id for event in site.case.events]
    assert document.find(f".//{KML}NetworkLink") is None
    notes = [d.text for d in document.iter(f"{KML}SimpleData") if d.get("name") == "location_note"]
    assert KML_BREAKOUT in notes, "the hostile note is kept as text, whole"
    undisclosed = [p for p in placemarks if any(d.text == "undisclosed" for d in p.iter(f"{KML}SimpleData"))]
    assert undisclosed and all(p.find(f"{KML}Point") is None and p.find(f"{KML}Polygon") is None for p in undisclosed)
    kinds = {child.tag for p in placemarks for child in p} - {f"{KML}{t}" for t in ("name", "TimeSpan", "ExtendedData")}
    assert {f"{KML}Point", f"{KML}Polygon"} <= kinds


def test_geojson_has_every_event_with_its_geometry_and_the_cite(case: Path, tmp_path: Path) -> None:
    collection = json.loads(export(case, "geojson", tmp_path / "events.geojson").read_text(encoding="utf-8"))
    site = records(case)
    features = collection["features"]
    assert [f["id"] for f in features] == [e.id for e in site.case.events]
    by_precision = {f["properties"]["location_precision"]: f["geometry"] for f in features}
    assert by_precision["undisclosed"] is None
    assert by_precision["settlement"]["type"] == "Point"
    assert by_precision["region"]["type"] in ("Polygon", "MultiPolygon")
    region = next(f for f in features if f["properties"]["location_precision"] == "region")
    assert isinstance(region["properties"]["lat"], float), "an area also gets its representative point"
    assert list(features[0]["properties"]) == columns.headers(3, 7)
    assert set(collection["cite"]) == {"title", "date", "version", "sha256", "text"}


def test_a_layer_exports_with_its_provenance(case: Path, tmp_path: Path) -> None:
    layer = json.loads(export(case, "geojson", tmp_path / "krai.geojson", "--layer", "krai").read_text("utf-8"))
    manifest = json.loads((case / "manifest.json").read_text(encoding="utf-8"))
    assert layer["provenance"]["sha256"] == manifest["layers"]["krai"]["sha256"]
    assert layer["provenance"]["datasets"]["dcw"]["licence"] == manifest["datasets"]["dcw"]["licence"]
    assert len(layer["features"]) == manifest["layers"]["krai"]["feature_count"]


def test_cite_is_in_the_page_and_every_export_and_follows_the_case_data(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    assert main(["--case", str(data), "--output", str(tmp_path / "a.html")]) == 0
    cite = read_payload((tmp_path / "a.html").read_text(encoding="utf-8"))["method"]["cite"]
    assert cite["text"] == (
        f"Cite this map: {cite['title']}. Built {cite['date']} with casemap {cite['version']}; "
        f"case data sha256 {cite['sha256']}."
    )
    first_row = export(data, "csv", tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first_row.strip('"') == f"# {cite['text']}"
    book = openpyxl.load_workbook(export(data, "xlsx", tmp_path / "e.xlsx"))
    assert {row[0]: row[1] for row in book["cite"].iter_rows(values_only=True)} == cite
    assert cite["text"] in export(data, "kml", tmp_path / "e.kml").read_text(encoding="utf-8")
    replace_in(data / "sources.yaml", "language: en", "language: de")
    assert main(["--case", str(data), "--output", str(tmp_path / "b.html")]) == 0
    changed = read_payload((tmp_path / "b.html").read_text(encoding="utf-8"))["method"]["cite"]
    assert changed["sha256"] != cite["sha256"] and changed["title"] == cite["title"]


def test_the_template_has_a_note_on_every_column_and_reads_as_no_rows(tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    assert main(["import", "--template", str(template)]) == 0
    with template.open(encoding="utf-8", newline="") as handle:
        header, notes = list(csv.reader(handle))
    assert header == columns.headers(2, 3)
    assert notes[0].startswith("#") and all(notes)
    assert "ignored on import" in notes[header.index("date_edtf")]
    assert "ignored on import" not in notes[header.index("start")]
    parsed = read_drafts(read_table(template))
    assert parsed.drafts == [] and parsed.problems == []
    target = copy_data(tmp_path / "copy")
    before = folder_digest(target)
    assert main(["import", str(template), "--into", str(target)]) == 2, "an empty sheet would empty the case"
    assert folder_digest(target) == before


def test_a_case_kept_as_json_lines_is_imported_as_json_lines(case: Path, tmp_path: Path) -> None:
    sheet = export(case, "csv", tmp_path / "events.csv")
    target = copy_data(tmp_path / "copy")
    events_to_jsonl(target)
    assert main(["import", str(sheet), "--into", str(target)]) == 0
    assert not (target / "events.yaml").exists()
    assert len((target / "events.jsonl").read_text(encoding="utf-8").splitlines()) == len(records(case).case.events)
    assert records(target).case.events == records(case).case.events


def test_an_import_that_breaks_another_case_file_names_that_file(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(case, "csv", tmp_path / "e.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    # An event with a claim: the claims table names it beside the sentence its claim quotes.
    index = next(i for i, row in enumerate(rows[2:], 2) if row[rows[1].index("claim1_quote")])
    removed = rows.pop(index)[0]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    target = copy_data(tmp_path / "copy")
    before = folder_digest(target)
    capsys.readouterr()
    assert main(["import", str(path), "--into", str(target)]) == 2
    err = capsys.readouterr().err
    assert removed in err and (f"{target / 'claims.yaml'}:" in err or f"{target / 'corrections.yaml'}:" in err), err
    assert folder_digest(target) == before
