"""Layer geometry as delta-encoded integers (geo/page/packedgeometry.py): the round trip is exact."""

from __future__ import annotations

from typing import Any

import pytest

from geo.common.errors import Problem
from geo.common.geojson import read_layer
from geo.page.packedgeometry import (
    MAX_DECIMALS,
    decode_layer,
    encode_geometry,
    encode_layer,
    exact_decimals,
    plain_geometry,
)
from tests.conftest import DATA

RING = [[113.4917, 52.0431], [114.0, 52.0431], [114.0, 53.1], [113.4917, 52.0431]]
HOLE = [[113.6, 52.2], [113.7, 52.2], [113.7, 52.3], [113.6, 52.2]]
GEOMETRIES: list[dict[str, Any]] = [
    {"type": "Point", "coordinates": [113.4917, 52.0431]},
    {"type": "MultiPoint", "coordinates": [[113.4917, 52.0431], [-179.9999, -89.5]]},
    {"type": "LineString", "coordinates": [[113.4917, 52.0431], [113.5, 52.0], [179.9999, 89.9999]]},
    {"type": "MultiLineString", "coordinates": [[[0.0, 0.0], [0.0001, -0.0001]], [[-12.3456, 7.8], [-12.3, 7.9]]]},
    {"type": "Polygon", "coordinates": [RING, HOLE]},
    {"type": "MultiPolygon", "coordinates": [[RING, HOLE], [[[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 1.0]]]]},
]


@pytest.mark.parametrize("geometry", GEOMETRIES, ids=[g["type"] for g in GEOMETRIES])
def test_each_geometry_type_decodes_to_the_same_numbers(geometry: dict[str, Any]) -> None:
    packed = encode_layer([geometry])
    assert packed["decimals"] == 4
    # Equal as floats, not near: n / 10**d gives back the double the decimal text gave.
    assert decode_layer(packed) == [geometry]


def test_positions_become_whole_differences_along_each_ring_and_line() -> None:
    polygon = encode_geometry(GEOMETRIES[4], 4)
    outer, hole = polygon["coordinates"]
    # The first position is absolute, every later one the step from the one before; each ring starts afresh.
    assert outer[:4] == [1134917, 520431, 5083, 0]
    assert hole[:2] == [1136000, 522000]
    assert all(isinstance(n, int) for ring in (outer, hole) for n in ring)
    assert sum(outer[0::2]) == 1134917 and sum(outer[1::2]) == 520431  # a closed ring sums back to its start
    assert encode_geometry(GEOMETRIES[0], 4)["coordinates"] == [1134917, 520431]


def test_the_scale_is_the_fewest_decimals_that_write_every_coordinate() -> None:
    assert exact_decimals([{"type": "Point", "coordinates": [113.0, 52.0]}]) == 0
    assert exact_decimals([{"type": "LineString", "coordinates": [[113.5, 52.0], [113.25, 52.0]]}]) == 2
    assert exact_decimals(GEOMETRIES) == 4


def test_more_decimals_than_the_page_carries_are_rounded_to_the_maximum() -> None:
    fine = {"type": "Point", "coordinates": [113.123456789012, 52.987654321098]}
    packed = encode_layer([fine])
    assert packed["decimals"] == MAX_DECIMALS
    assert decode_layer(packed) == [{"type": "Point", "coordinates": [113.1234568, 52.9876543]}]


def test_heights_travel_as_a_third_dimension() -> None:
    line = {"type": "LineString", "coordinates": [[113.5, 52.0, 650.5], [113.6, 52.1, 700.25]]}
    packed = encode_layer([line])
    assert packed["shapes"][0]["dimensions"] == 3
    assert decode_layer(packed) == [line]


def test_the_committed_layers_round_trip_exactly() -> None:
    paths = sorted((DATA / "layers").glob("*.geojson"))
    assert paths
    for path in paths:
        problems: list[Problem] = []
        layer = read_layer(path, problems)
        assert layer is not None and problems == []
        geometries = [plain_geometry(shape) for shape in layer.geometries]
        assert decode_layer(encode_layer(geometries)) == geometries, path.name
