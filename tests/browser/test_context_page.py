"""Rivers, lakes and countries (issue 17) drawn in the page, offline (their geometry: tests/unit/test_context_layers.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest

from build_map import main
from tests.conftest import DATA
from tests.pagekit import OpenedPage


@pytest.mark.browser
def test_rivers_lakes_and_countries_are_drawn_offline(open_page: Callable[..., OpenedPage], tmp_path: Path) -> None:
    output = tmp_path / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    opened = open_page(output)
    assert opened.requests == [] and opened.errors == []
    drawn = opened.page.evaluate(
        """() => { const s = Casemap.state, out = {};
                   for (const key of ['rivers', 'lakes', 'countries']) {
                     const layer = s.layers[key];
                     const paths = layer.getLayers().map(l => l._path).filter(p => p && p.isConnected);
                     out[key] = {paths: paths.length,
                                 drawn: paths.filter(p => (p.getAttribute('d') || '').length > 100).length}; }
                   return out; }"""
    )
    assert drawn["rivers"] == {"paths": 2, "drawn": 2}  # one path per WDBII class (1 and 2)
    assert drawn["lakes"] == {"paths": 1, "drawn": 1}
    assert drawn["countries"]["paths"] == len(gpd.read_file(DATA / "layers" / "countries.geojson"))
    assert drawn["countries"]["drawn"] >= 3  # at the default view, at least Russia, China and Mongolia
    # The map's credit line names every dataset the layers came from, GSHHG among them (js/main.js, datasetCredits).
    credits = opened.page.locator(".leaflet-control-attribution").inner_text()
    for name in ("DCW-GMT", "GeoNames", "GSHHG"):
        assert name in credits, credits
