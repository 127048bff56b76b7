"""Pure geometry functions, on geometries built in code where the right answer is known."""

from __future__ import annotations

import itertools
import json
import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.derive import geometry as layers
from geo.derive.crs import GEOGRAPHIC_CRS, Projections, projections_for
from geo.derive.geojson_text import (
    COORDINATE_DECIMALS,
    METRES_PER_DEGREE,
    decimals_for,
    feature_collection_text,
    normalise_geometry,
)

# Two unit-ish squares near the krai (0.5 degree), side by side, sharing the meridian 117 E.
WEST = shapely.box(116.5, 50.0, 117.0, 50.5)
EAST = shapely.box(117.0, 50.0, 117.5, 50.5)
# Projections centred on the squares, as regeneration centres them on a case's focus area.
NEAR = Projections(lat=50.5, lon=117.5)


def test_area_km2_matches_the_ellipsoidal_area() -> None:
    from pyproj import Geod

    expected = abs(Geod(ellps="WGS84").geometry_area_perimeter(WEST)[0]) / 1e6
    measured = layers.area_km2(gpd.GeoSeries([WEST], crs=GEOGRAPHIC_CRS), projections=NEAR)[0]
    assert measured == pytest.approx(expected, rel=1e-4)


def test_length_km_of_a_meridian_arc() -> None:
    # Half a degree of latitude at 50 N is 55.6 km on WGS 84.
    arc = shapely.LineString([(117.0, 50.0), (117.0, 50.5)])
    assert layers.length_km(gpd.GeoSeries([arc], crs=GEOGRAPHIC_CRS))[0] == pytest.approx(55.6, abs=0.1)


def test_shared_border_is_the_common_edge_only() -> None:
    # The neighbour's edge is 30 m off the core's (as DCW-GMT's units are): still one shared border.
    nudged = shapely.affinity.translate(EAST, xoff=0.0004)
    border = layers.shared_border(WEST, nudged, tolerance_m=250, min_piece_m=2000, projections=NEAR)
    assert border.geom_type == "LineString"
    xs = shapely.get_coordinates(border)[:, 0]
    assert np.allclose(xs, 117.0)
    assert layers.length_km(gpd.GeoSeries([border], crs=GEOGRAPHIC_CRS))[0] == pytest.approx(55.6, abs=0.2)


def test_shared_border_ignores_neighbours_out_of_tolerance() -> None:
    far = shapely.affinity.translate(EAST, xoff=0.05)  # ~3.6 km away
    assert layers.shared_border(WEST, far, tolerance_m=250, min_piece_m=2000, projections=NEAR).is_empty


def test_share_edges_removes_overlap_and_gap_along_the_core() -> None:
    overlapping = shapely.affinity.translate(EAST, xoff=-0.001)  # overlaps WEST by ~70 m
    gapped = shapely.affinity.translate(EAST, xoff=0.001).buffer(0)  # leaves a ~70 m gap
    neighbours = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[overlapping, gapped], crs=GEOGRAPHIC_CRS)
    fixed = layers.share_edges_with(WEST, neighbours, snap_m=250, projections=NEAR)
    for geometry in fixed.geometry:
        assert shapely.intersection(geometry, WEST).area == pytest.approx(0, abs=1e-9)
        assert shapely.distance(geometry, WEST) == pytest.approx(0, abs=1e-9)


def test_distance_bands_nest_and_grow() -> None:
    region = shapely.box(116.0, 50.0, 120.0, 53.0)
    border = shapely.LineString([(116.0, 50.0), (120.0, 50.0)])
    bands = layers.distance_bands(region, border, distances_km=(50, 100, 200), projections=NEAR)
    areas = layers.area_km2(bands, projections=NEAR)
    assert list(areas) == sorted(areas)
    for inner, outer in itertools.pairwise(bands):
        assert outer.buffer(1e-9).contains(inner)
    # 50 km from a parallel, across a 4-degree-wide strip at ~50.2 N: ~285 km × 50 km.
    assert areas[0] == pytest.approx(285.5 * 50, rel=0.02)


def test_circles_have_the_radius_asked_for() -> None:
    circle = layers.circles(
        gpd.GeoSeries([shapely.Point(113.5, 52.0)], crs=GEOGRAPHIC_CRS), radius_km=[10], projections=NEAR
    )
    assert layers.area_km2(circle, projections=NEAR)[0] == pytest.approx(np.pi * 100, rel=0.01)


@pytest.mark.parametrize(("lon", "lat"), [(24.7, 58.6), (-70.0, -33.4), (151.2, -33.9)])
def test_areas_are_true_wherever_the_projections_are_centred(lon: float, lat: float) -> None:
    # The projections follow the focus area; a square's area must not depend on where that is.
    from pyproj import Geod

    square = shapely.box(lon - 0.25, lat - 0.25, lon + 0.25, lat + 0.25)
    projections = projections_for(square)
    assert (projections.lat, projections.lon) == (round(lat, 1), round(lon, 1))
    expected = abs(Geod(ellps="WGS84").geometry_area_perimeter(square)[0]) / 1e6
    measured = layers.area_km2(gpd.GeoSeries([square], crs=GEOGRAPHIC_CRS), projections=projections)[0]
    assert measured == pytest.approx(expected, rel=1e-4)


def test_extent_grows_the_bounds_by_the_margin_in_km() -> None:
    extent = layers.extent_around(WEST, margin_km=111.32)
    west, south, east, north = shapely.bounds(extent)
    assert (south, north) == pytest.approx((49.0, 51.5))
    # At 50.25 N a degree of longitude is 111.32 x cos(50.25) = 71.2 km: 111.32 km is 1.56 degrees.
    assert (west, east) == pytest.approx((116.5 - 1.5643, 117.0 + 1.5643), abs=1e-3)


def test_containing_area_names_the_polygon_or_nothing() -> None:
    areas = gpd.GeoDataFrame({"id": ["west", "east"]}, geometry=[WEST, EAST], crs=GEOGRAPHIC_CRS)
    points = gpd.GeoSeries(
        [shapely.Point(116.7, 50.2), shapely.Point(117.2, 50.2), shapely.Point(0, 0)], crs=GEOGRAPHIC_CRS
    )
    assert layers.containing_area(points, areas) == ["west", "east", ""]


def test_geojson_text_is_rfc7946_and_deterministic() -> None:
    clockwise = shapely.Polygon([(116.5, 50.0), (116.5, 50.5), (117.0, 50.5), (117.0, 50.0)])
    frame = gpd.GeoDataFrame(
        {"id": ["sq"], "name": ["Square"], "n": [np.int64(3)]},
        geometry=[normalise_geometry(clockwise)],
        crs=GEOGRAPHIC_CRS,
    )
    text = feature_collection_text(frame, properties=["id", "name", "n"])
    assert text == feature_collection_text(frame, properties=["id", "name", "n"])
    assert text.endswith("]}\n")
    data = json.loads(text)
    ring = data["features"][0]["geometry"]["coordinates"][0]
    assert shapely.LinearRing(ring).is_ccw  # RFC 7946 3.1.6: exterior rings counter-clockwise
    assert list(data["features"][0]["properties"]) == ["id", "name", "n"]
    assert data["features"][0]["properties"]["n"] == 3


def test_coordinates_are_rounded_to_four_decimals() -> None:
    point = shapely.Point(113.491712345, 52.043119999)
    frame = gpd.GeoDataFrame({"id": ["p"]}, geometry=[normalise_geometry(point)], crs=GEOGRAPHIC_CRS)
    coordinates = json.loads(feature_collection_text(frame, properties=["id"]))["features"][0]["geometry"][
        "coordinates"
    ]
    assert coordinates == [113.4917, 52.0431]


@pytest.mark.parametrize(("tolerance_m", "decimals"), [(None, 4), (50.0, 4), (500.0, 4), (1000.0, 3), (10000.0, 2)])
def test_a_simplified_layer_is_written_with_the_fewest_decimals_its_tolerance_allows(
    tolerance_m: float | None, decimals: int
) -> None:
    assert decimals_for(tolerance_m) == decimals
    # The rule: rounding moves a vertex by at most half a step in each axis; with fewer decimals than the finest
    # (4, 8 m) that stays within a tenth of the tolerance, and one decimal fewer would not.
    worst_m = math.sqrt(2) * 0.5 * 10.0**-decimals * METRES_PER_DEGREE
    if decimals < COORDINATE_DECIMALS:
        assert tolerance_m is not None and worst_m <= tolerance_m / 10
    if tolerance_m is not None:
        assert worst_m * 10 > tolerance_m / 10


def test_coordinates_are_written_with_the_decimals_asked() -> None:
    line = shapely.LineString([(113.491712345, 52.043119999), (113.5, 52.1)])
    frame = gpd.GeoDataFrame({"id": ["l"]}, geometry=[line], crs=GEOGRAPHIC_CRS)
    text = feature_collection_text(frame, properties=["id"], decimals=2)
    assert json.loads(text)["features"][0]["geometry"]["coordinates"] == [[113.49, 52.04], [113.5, 52.1]]


def test_writer_refuses_projected_frames() -> None:
    frame = gpd.GeoDataFrame({"id": ["p"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:3857")
    with pytest.raises(ValueError, match="EPSG:4326"):
        feature_collection_text(frame, properties=["id"])
