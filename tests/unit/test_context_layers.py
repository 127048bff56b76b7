"""Rivers, lakes and countries (issue 17): the committed layers against places we know (drawn offline:
tests/browser/test_context_page.py).

Distances are measured in an azimuthal equidistant projection centred on the place measured from, so a
distance from that place is true on the ellipsoid to well under a metre at these ranges.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from tests.conftest import DATA

LAYERS = DATA / "layers"


def layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(LAYERS / f"{name}.geojson").set_index("id")


def place(layer_name: str, place_id: str) -> shapely.Point:
    point = layer(layer_name).geometry[place_id]
    assert isinstance(point, shapely.Point)
    return point


def around(centre: shapely.Point, shape: BaseGeometry) -> BaseGeometry:
    """``shape`` in metres, in a projection centred on ``centre`` (which lands at 0, 0)."""
    crs = f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m"
    to_metres = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return shapely.transform(shape, lambda xy: shapely.get_coordinates(shapely.points(*to_metres.transform(*xy.T))))


def km_from(centre: shapely.Point, shape: BaseGeometry) -> float:
    return float(around(centre, shape).distance(shapely.Point(0, 0))) / 1000


def test_a_major_river_runs_past_the_capital() -> None:
    # The Ingoda runs along the southern edge of the city. WDBII's line for it (class 2) lies 4.49 km
    # (geodesic) from GeoNames' point for the city, at GSHHG's high and at its full resolution alike (its
    # nearest vertex, 113.4889 E 52.0028 N, is the same in both); 5.18 km in the layer (simplified at 1 km,
    # written at 3 decimals). The Chita river, which runs through the city, is in no WDBII class. The issue's
    # 2 km is not met by this dataset; the test holds the measured figure with a margin, so a river lost or
    # moved fails it.
    rivers = shapely.union_all(list(layer("rivers").geometry))
    assert km_from(place("chita", "chita"), rivers) < 6.0


def test_rivers_run_along_at_least_half_the_china_border() -> None:
    # The Argun is the border for most of its length: 88.8 % of the line lies within 2 km of a drawn river
    # (89.1 % of GSHHG's unsimplified classes 1-2 at high resolution, 89.0 % at full).
    border = layer("borders").geometry["border-china"]
    rivers = shapely.union_all(list(layer("rivers").geometry))
    centre = border.centroid
    line, water = around(centre, border), around(centre, rivers)
    share = line.intersection(water.buffer(2000)).length / line.length
    assert share >= 0.5, f"only {share:.0%} of the China border runs within 2 km of a drawn river"


def test_the_nearest_lake_to_the_capital_is_the_one_gshhg_holds() -> None:
    # GSHHG 2.3.7 holds no lake within 30 km of the city (Lake Kenon, on its western edge, is in neither
    # its high nor its full resolution, even with no minimum area: `gmt coast -Df -W -A0` returns no shore
    # within 30 km); the nearest it holds lies 37.4 km away (37.8 km in the layer), north-west. The issue's
    # 30 km is not met by this dataset; this checks that the lakes layer keeps the nearest one GSHHG has.
    lakes = layer("lakes").geometry["lakes"]
    assert km_from(place("chita", "chita"), lakes) < 40.0


@pytest.mark.parametrize(("place_id", "country"), [("moscow", "country-ru"), ("beijing", "country-cn")])
def test_far_places_lie_inside_drawn_countries(place_id: str, country: str) -> None:
    countries = layer("countries")
    point = place("places", place_id)
    holding = [code for code, shape in countries.geometry.items() if shape.contains(point)]
    assert holding == [country]


def test_every_place_in_the_story_lies_inside_a_drawn_country() -> None:
    countries = shapely.union_all(list(layer("countries").geometry))
    places = layer("places")
    outside = [pid for pid, point in places.geometry.items() if not countries.contains(point)]
    assert outside == []
