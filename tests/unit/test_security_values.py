"""Issue #10, findings 1, 10, 13 and 14 at the level of one reader or field: no page is built here.

Each test here failed on the code before the fix (see docs/security.md for which test proves what); the tests of
the same findings that run the build are in tests/page/test_security_build.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo.casefile import fields
from geo.casefile.yamlsafe import Mapping
from geo.common.errors import Problem
from geo.common.geojson import MAX_LAYER_BYTES, read_layer
from geo.page import packedgeometry
from tests.datakit import edit_layer

# --- finding 1: geometry reaches folium as a type and floats only -------------------------------------------


def test_geometry_reaches_folium_as_type_and_floats_only() -> None:
    import shapely

    shape = shapely.geometry.shape({"type": "MultiPolygon", "coordinates": [[[[1, 2], [3, 2], [3, 4], [1, 2]]]]})
    rebuilt = packedgeometry.plain_geometry(shape)
    assert set(rebuilt) == {"type", "coordinates"}
    assert rebuilt["type"] == "MultiPolygon"
    flat = re.findall(r"[^\[\], ]+", json.dumps(rebuilt["coordinates"]))
    assert all(isinstance(json.loads(v), float) for v in flat)


# --- finding 10: layer content the page cannot draw ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "coordinates", "where"),
    [
        ("Point", [[113.5, 52.0]], "geometry.coordinates"),
        ("Point", [113.5], "geometry.coordinates"),
        ("Point", [113.5, True], "geometry.coordinates"),
        ("MultiPoint", [113.5, 52.0], "geometry.coordinates[0]"),
        ("LineString", [[113.5, 52.0]], "geometry.coordinates"),
        ("LineString", [[[113.5, 52.0], [114, 52]]], "geometry.coordinates"),
        ("MultiLineString", [[113.5, 52.0], [114, 52]], "geometry.coordinates[0][0]"),
        ("Polygon", [[113, 52], [114, 52], [114, 53], [113, 52]], "geometry.coordinates[0]"),
        ("Polygon", [[[113, 52], [114, 52], [113, 52]]], "geometry.coordinates[0]"),
        ("MultiPolygon", [[[113, 52], [114, 52], [114, 53], [113, 52]]], "geometry.coordinates[0][0]"),
        ("MultiPolygon", [[[[113, 52], [114, 52], [114, 53], [113, 53]]]], "geometry.coordinates[0][0]"),
    ],
)
def test_coordinate_nesting_is_checked_per_geometry_type(
    data_copy: Path, kind: str, coordinates: object, where: str
) -> None:
    def edit(collection: dict[str, Any]) -> None:
        collection["features"][0]["geometry"] = {"type": kind, "coordinates": coordinates}

    edit_layer(data_copy, "depots", edit)
    problems: list[Problem] = []
    assert read_layer(data_copy / "layers" / "depots.geojson", problems) is None
    assert [p.field for p in problems] == [where], problems
    assert problems[0].line == 2 and problems[0].record


# --- finding 13: the declared layer size limit is the real one ----------------------------------------------


def test_a_layer_larger_than_two_megabytes_but_within_the_limit_is_read(tmp_path: Path) -> None:
    from tests.conftest import DATA

    text = (DATA / "layers" / "chita.geojson").read_text(encoding="utf-8")
    padded = tmp_path / "chita.geojson"
    padded.write_text(text.rstrip("\n") + " " * 3_000_000 + "\n", encoding="utf-8")
    assert 3_000_000 < padded.stat().st_size < MAX_LAYER_BYTES
    problems: list[Problem] = []
    assert read_layer(padded, problems) is not None, problems


# --- finding 14: accepted but should be refused (the located messages are in test_bad_input.py) -------------


def _field(text: str, check: Callable[..., object], **limits: int) -> tuple[object, list[Problem]]:
    problems: list[Problem] = []
    record = Mapping(items={"v": text}, key_lines={"v": 1}, line=1)
    return check(fields.Context("f.yaml", problems), record, "v", **limits), problems


@pytest.mark.parametrize("text", ["\u0661\u0660", "\uff11\uff10", "1_0", " 10", "\u00b2", "1e1"])
def test_numbers_take_ascii_digits_only(text: str) -> None:
    value, problems = _field(text, fields.number, minimum=0, maximum=100)
    assert value is None and problems
    value, problems = _field(text, fields.integer, minimum=0, maximum=100)
    assert value is None and problems


def test_ascii_numbers_still_pass() -> None:
    assert _field("10.5", fields.number, minimum=0, maximum=100) == (10.5, [])
    assert _field("10", fields.integer, minimum=0, maximum=100) == (10, [])


def test_url_identity_folds_scheme_host_and_escapes_but_keeps_path_and_query_case() -> None:
    assert fields.url_identity("HTTPS://Example.ORG./a%2fb?q=%3c#part") == fields.url_identity(
        "https://example.org:443/a%2Fb?q=%3C"
    )
    assert fields.url_identity("https://example.org/watch?v=aBc") != fields.url_identity(
        "https://example.org/watch?v=AbC"
    )
    assert fields.url_identity("https://bit.ly/aBc") != fields.url_identity("https://bit.ly/abc")
    assert fields.url_identity("http://example.org/") != fields.url_identity("https://example.org/")
