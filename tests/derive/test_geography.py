"""The committed layers against the world: published figures, known places, and their own manifest.

Published figures come from data/reference_figures.yaml, where each is cited (outlet, title, URL, date).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

from geo.casefile.case import read_case
from geo.casefile.yamlsafe import Mapping, Sequence, Value, load_yaml
from geo.derive.geonames import settlement
from geo.derive.manifest import CASE_INPUT, case_digest
from tests.conftest import DATA

LAYERS = DATA / "layers"
LAYER_NAMES = tuple(layer.key for layer in read_case(DATA, []).layers)  # type: ignore[union-attr]
GEOD = Geod(ellps="WGS84")


def member(node: Value, key: str) -> Value:
    """One member of a mapping in reference_figures.yaml (the file is committed: a wrong shape fails the test)."""
    assert isinstance(node, Mapping), f"expected a mapping holding {key!r}; found {node!r}"
    return node.get(key)


def reference(key: str) -> list[Value]:
    """The list of records reference_figures.yaml gives under figures.<key>."""
    loaded = load_yaml(DATA / "reference_figures.yaml")
    assert not loaded.problems
    items = member(member(loaded.root, "figures"), key)
    assert isinstance(items, Sequence), f"expected a list under figures.{key}; found {items!r}"
    return list(items.items)


def figures(key: str) -> list[float]:
    return [float(str(member(item, "value"))) for item in reference(key)]


def layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(LAYERS / f"{name}.geojson").set_index("id")


# pandas-stubs type a cell as the union of every scalar pandas can hold; these say what the layer's column holds.
def number(frame: gpd.GeoDataFrame, row: str, column: str) -> float:
    cell: Any = frame.loc[row, column]
    return float(cell)


def geometry_of(frame: gpd.GeoDataFrame, row: str | None = None) -> BaseGeometry:
    """The geometry of ``row``, or of the first row."""
    cell: Any = frame.geometry.iloc[0] if row is None else frame.loc[row, "geometry"]
    assert isinstance(cell, BaseGeometry), cell
    return cell


def test_krai_area_is_within_one_percent_of_the_official_figure() -> None:
    # 431,892 km² (Wikipedia, the krai's own reference pages; the krai government rounds it to 432,000).
    official = max(set(figures("krai_area_km2")), key=figures("krai_area_km2").count)
    assert official == 431_892
    area = number(layer("krai"), "zabaykalsky-krai", "area_km2")
    assert abs(area - official) / official < 0.01
    # The stored property is what the geometry measures (geodesic area on the ellipsoid).
    geodesic = abs(GEOD.geometry_area_perimeter(geometry_of(layer("krai")))[0]) / 1e6
    assert area == pytest.approx(geodesic, rel=1e-3)


@pytest.mark.parametrize(
    ("feature", "key"), [("border-china", "border_china_km"), ("border-mongolia", "border_mongolia_km")]
)
def test_border_lengths_fall_within_the_published_spread(feature: str, key: str) -> None:
    # Published figures disagree (998 or 850 km with China; 868 or 800 km with Mongolia). A line from a
    # 1:1,000,000 source runs short of one measured along every bend: DCW-GMT generalises the Argun's
    # meanders, which the China border follows, so ours may sit low in the spread but not below it.
    published = figures(key)
    length = number(layer("borders"), feature, "length_km")
    assert min(published) <= length <= max(published), (length, published)
    geometry = geometry_of(layer("borders"), feature)
    assert GEOD.geometry_length(geometry) / 1000 == pytest.approx(length, abs=0.1)


def test_each_border_touches_both_of_its_sides() -> None:
    krai = geometry_of(layer("krai"))
    context = layer("context")
    borders = layer("borders")
    sides = {"border-china": ["inner-mongolia", "heilongjiang"], "border-mongolia": ["mongolia"]}
    for border_id, neighbour_ids in sides.items():
        line = geometry_of(borders, border_id)
        # Lies on the krai's boundary (same vertices after rounding) ...
        assert krai.boundary.buffer(1e-6).contains(line)
        # ... and along the neighbour's edge, which shares the krai's vertices there.
        neighbour = shapely.union_all(context.loc[neighbour_ids].geometry.values)
        assert neighbour.buffer(1e-4).contains(line)
        # Not along the wrong neighbour.
        other = {"border-china": ["mongolia"], "border-mongolia": ["inner-mongolia", "heilongjiang"]}[border_id]
        overlap = line.intersection(shapely.union_all(context.loc[other].geometry.values).buffer(1e-4))
        assert (0 if overlap.is_empty else GEOD.geometry_length(overlap)) < 5_000


def test_junction_is_near_the_treaty_tripoint() -> None:
    # Tarbagan-Dakh, the eastern Russia-China-Mongolia junction: 49°50'42.3"N 116°42'46.8"E in the
    # Pulkovo 1942 system (1996 trilateral protocol, cited in reference_figures.yaml). Convert to WGS 84.
    tripoint = reference("eastern_tripoint")[0]
    lon, lat = Transformer.from_crs("EPSG:4284", "EPSG:4326", always_xy=True).transform(
        float(str(member(tripoint, "lon"))), float(str(member(tripoint, "lat")))
    )
    junction = geometry_of(layer("borders"), "junction-ru-cn-mn")
    assert isinstance(junction, shapely.Point), junction
    _, _, metres = GEOD.inv(lon, lat, junction.x, junction.y)
    # DCW-GMT's stated accuracy is about 2 km (1:1,000,000); the junction is derived, not drawn.
    assert metres < 2_000, metres


@pytest.mark.parametrize(
    ("geonameid", "area_id"),
    [
        (2025339, "zabaykalsky-krai"),
        (2035836, "inner-mongolia"),
        (2028462, "mongolia"),
        (2026126, "zabaykalsky-krai"),
        (2021618, "zabaykalsky-krai"),
    ],
)
def test_known_places_fall_in_the_right_polygon(geonameid: int, area_id: str) -> None:
    town = settlement(geonameid)
    point = shapely.Point(town.longitude, town.latitude)
    areas = {**layer("krai").geometry.to_dict(), **layer("context").geometry.to_dict()}
    containing = [key for key, geometry in areas.items() if geometry.contains(point)]
    assert containing == [area_id]


def test_chita_is_its_own_layer_inside_the_krai_with_sourced_roles() -> None:
    chita = layer("chita")
    assert list(chita.index) == ["chita"]
    assert geometry_of(layer("krai")).contains(geometry_of(chita))
    roles = json.loads((LAYERS / "chita.geojson").read_text())["features"][0]["properties"]["roles"]
    assert any("court" in role["role"].lower() for role in roles)
    assert any("army" in role["role"].lower() for role in roles)
    assert all(role["sources"] for role in roles)


def test_distance_bands_nest_and_grow() -> None:
    bands = layer("bands").sort_values("distance_km")
    assert list(bands.distance_km) == [50, 100, 200]
    areas = list(bands.area_km2)
    assert areas == sorted(areas) and areas[0] > 0
    geometries = list(bands.geometry)
    for inner, outer in itertools.pairwise(geometries):
        assert outer.buffer(1e-3).contains(inner)
    krai = geometry_of(layer("krai"))
    assert krai.buffer(1e-3).contains(geometries[-1])


def test_context_regions_do_not_overlap_the_krai() -> None:
    krai = geometry_of(layer("krai"))
    for region_id, geometry in layer("context").geometry.items():
        overlap = (
            abs(GEOD.geometry_area_perimeter(geometry.intersection(krai))[0]) / 1e6 if geometry.intersects(krai) else 0
        )
        assert overlap < 1.0, (region_id, overlap)


def test_depot_regions_are_circles_in_the_krai_with_sources() -> None:
    depots = json.loads((LAYERS / "depots.geojson").read_text())["features"]
    krai = geometry_of(layer("krai"))
    assert depots
    for feature in depots:
        props = feature["properties"]
        assert props["sources"] and props["known"] and props["unknown"] and props["size_reason"]
        assert props["confidence"] in ("low", "medium", "high")
        shape = shapely.geometry.shape(feature["geometry"])
        assert krai.contains(shape.centroid)
        assert props["area_km2"] == pytest.approx(3.14159 * props["radius_km"] ** 2, rel=0.02)


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_every_layer_matches_its_manifest_entry(name: str) -> None:
    manifest = json.loads((DATA / "manifest.json").read_text())
    entry = manifest["layers"][name]
    path = DATA / entry["file"]
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert hashlib.sha256(text.encode()).hexdigest() == entry["sha256"]
    assert len(data["features"]) == entry["feature_count"]
    assert sorted({f["geometry"]["type"] for f in data["features"]}) == entry["geometry_types"]
    assert all(list(f["properties"]) == entry["properties"] for f in data["features"])
    assert entry["licence"] and entry["attribution"] and entry["command"] == "python build_map.py regenerate"
    case = read_case(DATA, [])
    assert case is not None
    assert entry["inputs"][CASE_INPUT] == case_digest(case, case.layer(name)), "case.yaml edited: regenerate"
    for input_name, digest in entry["inputs"].items():
        if (DATA / input_name).exists():
            assert hashlib.sha256((DATA / input_name).read_bytes()).hexdigest() == digest, input_name
    assert text.endswith("\n") and data["type"] == "FeatureCollection"


def test_layers_are_rfc7946_lon_lat() -> None:
    for name in LAYER_NAMES:
        frame = gpd.read_file(LAYERS / f"{name}.geojson")
        minx, miny, maxx, maxy = frame.total_bounds
        assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90, name


def test_manifest_names_every_layer_file() -> None:
    manifest = json.loads((DATA / "manifest.json").read_text())
    assert sorted(manifest["layers"]) == sorted(LAYER_NAMES)
    assert sorted(p.stem for p in Path(LAYERS).glob("*.geojson")) == sorted(LAYER_NAMES)
