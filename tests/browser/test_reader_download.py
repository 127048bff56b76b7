"""Download what you see (issue #16): the events that pass the filters as GeoJSON, CSV and KML, and each layer as
GeoJSON, made in the browser from the page's own data (file://, the network cut off by pagekit). Each file is parsed
here and compared with the list the reader sees and with the data block, never with the page's own code."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from tests.axekit import axe_missing, open_for_axe, run_axe
from tests.conftest import DATA, missing_capability
from tests.datakit import replace_in
from tests.hostilekit import HOSTILE
from tests.pagekit import OpenedPage, read_payload

pytestmark = pytest.mark.browser

CASE_YEARS = "#from=2019-01-01&to=2021-12-31"
# The export's event columns, in order (docs/export.md, "One row per event"); claim and source groups follow.
EVENT_COLUMNS = [
    "id", "title", "category", "description", "start", "end", "date_precision", "date_label", "date_edtf",
    "public_start", "public_end", "public_precision", "public_label", "public_edtf", "place_id", "place_name",
    "location_precision", "location_note", "lat", "lon",
]  # fmt: skip
KML = "{http://www.opengis.net/kml/2.2}"
KML_GEOMETRIES = {f"{KML}{name}" for name in ("Point", "LineString", "Polygon", "MultiGeometry")}
FILE_NAME = re.compile(r"[a-z0-9][a-z0-9.-]*\.(geojson|csv|kml)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("download") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


def download(page: Any, control: str) -> tuple[str, bytes]:
    """Open the download choices (once) and click one; the file's suggested name and its bytes."""
    toggle = page.locator(".cm-download-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    with page.expect_download() as started:
        page.locator(f"[data-download={control}]").click()
    name = started.value.suggested_filename
    assert FILE_NAME.fullmatch(name), name
    return name, Path(started.value.path()).read_bytes()


def csv_rows(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 byte-order mark"
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    if lines and lines[0] and lines[0][0].startswith("#"):  # the cite line, where the build provides one
        lines = lines[1:]
    header, *rows = lines
    return [dict(zip(header, row, strict=True)) for row in rows]


def unmarked(cell: str) -> str:
    """A CSV text cell as it was before formula marking: one leading apostrophe removed (docs/export.md)."""
    return cell[1:] if cell.startswith("'") else cell


def shown_ids(page: Any) -> list[str]:
    ids: list[str] = page.evaluate("() => Casemap.state.shown.map(i => Casemap.state.events[i].id)")
    return ids


def test_the_downloads_hold_exactly_the_events_the_list_shows(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    payload = read_payload(built.read_text(encoding="utf-8"))
    events = payload["events"]
    # The filter as the reader sets it: an event is shown when its interval meets 2019-2021.
    expected = [e["id"] for e in events if e["when"]["end"] >= "2019-01-01" and e["when"]["start"] <= "2021-12-31"]
    assert 0 < len(expected) < len(events)
    opened = open_page(built, fragment=CASE_YEARS)
    page = opened.page
    assert page.locator(".cm-count").inner_text() == f"{len(expected)} of {len(events)} events"
    assert shown_ids(page) == expected

    name, raw = download(page, "events-geojson")
    assert name.endswith("-events-2019-01-01-to-2021-12-31.geojson"), name
    collection = json.loads(raw)
    assert collection["type"] == "FeatureCollection"
    assert [feature["id"] for feature in collection["features"]] == expected
    by_id = {e["id"]: e for e in events}
    for feature in collection["features"]:
        event, properties = by_id[feature["id"]], feature["properties"]
        assert list(properties)[:20] == EVENT_COLUMNS
        assert properties["title"] == event["title"] and properties["start"] == event["when"]["start"]
        located = event["where"].get("place") is not None
        assert (feature["geometry"] is not None) == located, feature["id"]
        assert (properties["lat"] is not None) == located

    name, raw = download(page, "events-csv")
    rows = csv_rows(raw)
    assert [row["id"] for row in rows] == expected
    most_claims = max(len(e.get("claims", [])) for e in events)
    assert f"claim{most_claims}_quote" in rows[0] and f"claim{most_claims + 1}_quote" not in rows[0]
    for row in rows:
        event = by_id[row["id"]]
        # Every text reads back as the data has it (Cyrillic and Chinese included: UTF-8, no mojibake).
        assert unmarked(row["description"]) == event["description"]
        assert unmarked(row["date_label"]) == event["when"]["label"]
        for n, claim in enumerate(event.get("claims", []), start=1):
            assert unmarked(row[f"claim{n}_quote"]) == claim["quote"]
            assert row[f"claim{n}_status"] == claim["status"]
    assert opened.requests == [] and opened.errors == []


def test_kml_is_xml_with_one_placemark_per_event_shown(open_page: Callable[..., OpenedPage], built: Path) -> None:
    events = {e["id"]: e for e in read_payload(built.read_text(encoding="utf-8"))["events"]}
    page = open_page(built, fragment=CASE_YEARS).page
    expected = shown_ids(page)
    _, raw = download(page, "events-kml")
    root = ET.fromstring(raw)  # noqa: S314 - the file this test's own build made
    assert root.tag == f"{KML}kml"
    placemarks = root.findall(f"{KML}Document/{KML}Placemark")
    ids = [p.findtext(f"{KML}ExtendedData/{KML}Data[@name='id']/{KML}value") for p in placemarks]
    assert ids == expected
    located = [p for p in placemarks if any(child.tag in KML_GEOMETRIES for child in p)]
    assert len(located) == sum(1 for i in expected if events[i]["where"].get("place")) > 0
    for placemark, event_id in zip(placemarks, ids, strict=True):
        assert placemark.findtext(f"{KML}name") == events[str(event_id)]["title"]
        assert placemark.findtext(f"{KML}TimeSpan/{KML}begin") == events[str(event_id)]["when"]["start"]


@pytest.mark.parametrize("key", ["depots", "borders", "krai", "places"])
def test_a_layer_downloads_as_geojson_with_its_features(
    open_page: Callable[..., OpenedPage], built: Path, key: str
) -> None:
    payload = read_payload(built.read_text(encoding="utf-8"))
    page = open_page(built).page
    page.locator(".cm-download-toggle").click()
    page.locator("[data-download=layer-choice]").select_option(key)
    name, raw = download(page, "layer")
    assert name.endswith(f"-layer-{key}.geojson"), name
    collection = json.loads(raw)
    (record,) = [layer for layer in payload["layers"] if layer["key"] == key]
    assert len(collection["features"]) == record["features"] > 0
    assert [f["id"] for f in collection["features"]] == payload["featureIds"][key]
    assert [f["properties"] for f in collection["features"]] == payload["properties"][key]
    assert all(f["geometry"]["type"] in {"Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
               for f in collection["features"])  # fmt: skip
    assert collection["provenance"]["sha256"] == payload["method"]["layers"][key]["sha256"]


def test_hostile_text_is_text_in_every_format(open_page: Callable[..., OpenedPage], hostile_map: Path) -> None:
    payload = read_payload(hostile_map.read_text(encoding="utf-8"))
    titles = sorted(e["title"] for e in payload["events"])
    opened = open_page(hostile_map)
    page = opened.page
    _, raw = download(page, "events-geojson")
    assert sorted(f["properties"]["title"] for f in json.loads(raw)["features"]) == titles
    _, raw = download(page, "events-csv")
    assert sorted(unmarked(row["title"]) for row in csv_rows(raw)) == titles
    _, raw = download(page, "events-kml")
    placemarks = ET.fromstring(raw).findall(f"{KML}Document/{KML}Placemark")  # noqa: S314 - this test's own build
    assert sorted(p.findtext(f"{KML}name") or "" for p in placemarks) == titles
    assert set(HOSTILE) <= set(titles)  # among them '</script><script>window.__pwned=1</script>'
    page.locator("[data-download=layer-choice]").select_option("depots")
    _, raw = download(page, "layer")
    assert [f["properties"] for f in json.loads(raw)["features"]] == payload["properties"]["depots"]
    assert page.evaluate("() => window.__pwned") is None
    assert opened.dialogs == [] and opened.requests == []


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_marked_as_text(
    open_page: Callable[..., OpenedPage], data_copy: Path, tmp_path: Path
) -> None:
    """OWASP CSV injection: a title starting with = + - @ must reach the CSV as text (one leading apostrophe)."""
    formulas = ['=HYPERLINK("https://example.org","x")', "+1+1", "-2+3", "@SUM(1,2)"]
    events = data_copy / "events.yaml"
    ids = re.findall(r"^  - id: (\S+)\n    title: (.+)$", events.read_text(encoding="utf-8"), flags=re.MULTILINE)
    for (_, title), formula in zip(ids, formulas, strict=False):
        replace_in(events, f"    title: {title}\n", f"    title: {json.dumps(formula)}\n")
    output = tmp_path / "map.html"
    assert main(["--data", str(data_copy), "--output", str(output)]) == 0
    _, raw = download(open_page(output).page, "events-csv")
    by_id = {row["id"]: row for row in csv_rows(raw)}
    for (event_id, _), formula in zip(ids, formulas, strict=False):
        assert by_id[event_id]["title"] == "'" + formula
    text = raw.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""https://example.org"",""x"")"' in text  # RFC 4180: quoted, quotes doubled


@pytest.mark.parametrize("viewport", ["laptop-1280x800", "phone-390x844"])
def test_the_open_download_choices_keep_axe_clean(browser: Any, built: Path, viewport: str, tmp_path: Path) -> None:
    problem = axe_missing()
    if problem is not None:
        missing_capability(problem)
    opened = open_for_axe(browser, built, viewport=viewport, fragment=CASE_YEARS)
    try:
        page = opened.page
        page.locator(".cm-download-toggle").click()
        body = page.locator("#cm-download-body")
        body.scroll_into_view_if_needed()
        assert body.is_visible()
        assert page.locator(".cm-download-toggle").get_attribute("aria-expanded") == "true"
        page.screenshot(path=str(tmp_path / f"download-{viewport}.png"))
        assert [str(v) for v in run_axe(page)] == []
        # Every choice is inside the window and big enough to hit.
        size = page.viewport_size
        for box in [page.locator(s).bounding_box() for s in ("[data-download=events-csv]", "[data-download=layer]")]:
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
            assert box["height"] >= (44 if viewport.startswith("phone") else 20)
    finally:
        opened.context.close()
