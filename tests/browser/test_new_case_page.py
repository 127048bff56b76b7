"""A case made with `build_map.py new` builds and opens offline with zero code edits, and names nothing of ours.

Issue #11 "done when": a case for another DCW-GMT unit is scaffolded in a temporary folder, regenerated,
built and opened in Chromium from disk with the network cut off. It draws every layer its case.yaml
declares, lists its example event, logs no error, makes no request, and its page (visible text, title and
data block) names none of this case's places, people or regions (tests/casenames.py reads them from data/).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from build_map import main
from geo.casefile.builders import BUILDERS
from geo.casefile.case import read_case
from geo.derive import dcw
from tests.casenames import case_names, name_pattern
from tests.conftest import DATA, missing_capability
from tests.pagekit import OpenedPage, read_payload

pytestmark = [pytest.mark.raw, pytest.mark.browser]


@pytest.fixture(scope="module", params=["EE", "RU.KGD"])
def new_page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not dcw.DEBIAN_DCW_PATH.is_file():
        missing_capability("DCW-GMT is not installed (apt-get install gmt-dcw)")
    root = tmp_path_factory.mktemp("new-case")
    folder, output = root / "case", root / "out" / "map.html"
    title = f"A test case for {request.param}"
    assert main(["new", str(folder), "--title", title, "--area", request.param]) == 0
    assert main(["regenerate", "--case", str(folder)]) == 0  # regenerating again gives a case that still builds
    assert main(["--case", str(folder), "--output", str(output)]) == 0
    return folder, output


@pytest.fixture
def opened(open_page: Callable[..., OpenedPage], new_page: tuple[Path, Path]) -> OpenedPage:
    return open_page(new_page[1])


def test_the_new_case_draws_every_layer_and_lists_its_event(opened: OpenedPage, new_page: tuple[Path, Path]) -> None:
    folder, output = new_page
    case = read_case(folder, [])
    assert case is not None
    drawn = opened.page.evaluate(
        """() => { const s = Casemap.state, out = {};
                   for (const [key, layer] of Object.entries(s.layers)) {
                     out[key] = s.map.hasLayer(layer) ? layer.getLayers().length : 0; }
                   return out; }"""
    )
    payload = read_payload(output.read_text(encoding="utf-8"))
    visible = [layer.key for layer in case.layers if layer.visible]
    assert visible
    for key in visible:
        features = len(json.loads((folder / "layers" / f"{key}.geojson").read_text(encoding="utf-8"))["features"])
        assert features > 0 and drawn[key] == features, key
    rows = opened.page.locator(".cm-item").all_inner_texts()
    assert [event["title"] for event in payload["events"]] == ["Example event (replace me)"]
    assert len(rows) == 1 and "Example event (replace me)" in rows[0]
    assert opened.page.locator(".cm-panel h1").inner_text() == case.title
    assert opened.page.title() == case.title
    # The credit line names the datasets this case's layers came from, and no other (js/main.js, datasetCredits).
    credits = opened.page.locator(".leaflet-control-attribution").inner_text()
    assert "DCW-GMT" in credits and "GSHHG" not in credits, credits
    assert ("GeoNames" in credits) == ("geonames" in payload["method"]["datasets"]), credits
    assert opened.errors == [] and opened.requests == [] and opened.dialogs == []


def test_the_new_case_page_names_nothing_of_this_case(opened: OpenedPage, new_page: tuple[Path, Path]) -> None:
    _, output = new_page
    pattern = name_pattern(case_names(DATA))
    # Open every panel so its text is in the page: the map key, the method panel.
    if opened.page.locator(".cm-key-toggle").get_attribute("aria-expanded") == "false":
        opened.page.locator(".cm-key-toggle").click()
    opened.page.get_by_role("button", name="Sources and method").click()
    text = opened.page.evaluate("() => document.title + '\\n' + document.body.innerText")
    data = json.dumps(read_payload(output.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "Sources and method" in text  # the panels were read
    assert not pattern.findall(text), pattern.findall(text)
    assert not pattern.findall(data), pattern.findall(data)
    assert opened.errors == [] and opened.requests == []


def test_each_layer_card_shows_the_fields_its_record_names(opened: OpenedPage, new_page: tuple[Path, Path]) -> None:
    folder, _ = new_page
    case = read_case(folder, [])
    assert case is not None
    checked = 0
    for layer in case.layers:
        if not layer.visible or not layer.popup:
            continue
        content = opened.page.evaluate(
            """(key) => { const sub = Casemap.state.layers[key].getLayers()[0];
                          sub.fire('click', {latlng: sub.getLatLng ? sub.getLatLng() : sub.getBounds().getCenter()});
                          const node = document.querySelector('.cm-pane .cm-feature-card');
                          return node ? node.innerText : ''; }""",
            layer.key,
        )
        labels = BUILDERS[layer.builder].labels
        for field in layer.popup:
            assert labels[field] in content, (layer.key, field, content)
        checked += 1
    assert checked >= 1
    assert opened.errors == []
