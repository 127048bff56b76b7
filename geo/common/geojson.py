"""Read committed layers back with full validation (RFC 7946 GeoJSON, as geo.derive.geojson_text writes it).

Building reads layers here and never imports geopandas: shapely parses the geometries.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.casefile.fields import SLUG
from geo.common.errors import Problem, show_value
from geo.common.safefiles import read_text
from geo.common.safejson import plain_json_problem

MAX_LAYER_BYTES = 20_000_000


# --- reading committed layers ----------------------------------------------------------------------------

ALLOWED_GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class Layer:
    """A validated layer: its name, features (as parsed JSON) and shapely geometries in the same order."""

    name: str
    path: Path
    features: list[dict[str, Any]]
    geometries: list[BaseGeometry]
    text: str


class _JsonTrap(ValueError):
    """A JSON construct we refuse, with a pattern that finds its line in the text."""

    def __init__(self, message: str, pattern: str) -> None:
        super().__init__(message)
        self.pattern = pattern


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        quoted = re.escape(json.dumps(duplicates[0], ensure_ascii=False))
        raise _JsonTrap(f"duplicate key {duplicates[0]!r}", quoted + r"\s*:.*" + quoted + r"\s*:")
    return dict(pairs)


def _reject_constant(name: str) -> float:
    raise _JsonTrap(f"{name} is not a number JSON allows", r"[\[,:]\s*-?" + re.escape(name) + r"\b")


def _trap_line(text: str, pattern: str) -> int:
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _line_of(text: str, feature_id: Any, index: int) -> int:
    """Find the line a feature starts on: by its id where it has one, else the index-th '"Feature"'."""
    if isinstance(feature_id, str):
        match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(feature_id, ensure_ascii=False)), text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    matches = list(re.finditer(r'"type"\s*:\s*"Feature"', text))
    return text.count("\n", 0, matches[index].start()) + 1 if index < len(matches) else 0


def _coordinate_problems(coordinates: Any) -> str:
    """Say what is wrong with a GeoJSON coordinate array, or return ''."""
    flat: list[Any] = []
    stack = [coordinates]
    while stack:
        item = stack.pop()
        if isinstance(item, list) and item and not isinstance(item[0], list):
            flat.append(item)
        elif isinstance(item, list):
            stack.extend(item)
        else:
            return f"a position that is not a list: {show_value(item)}"
    if not flat:
        return "no positions (empty geometry)"
    for position in flat:
        if len(position) not in (2, 3) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in position
        ):
            return f"a position that is not [longitude, latitude]: {show_value(position)}"
        lon, lat = position[0], position[1]
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return "a coordinate that is not finite"
        if abs(lon) > 360 or abs(lat) > 360:
            return f"[{lon}, {lat}] looks like projected metres, not degrees: reproject to EPSG:4326"
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"[{lon}, {lat}] is outside longitude -180..180 / latitude -90..90"
    return ""


@dataclass(frozen=True)
class ShapeFault:
    """Where in a geometry's coordinates the structure is wrong, what was expected there, what was found."""

    path: str
    expected: str
    found: str


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    return "[] (an empty geometry)" if value == [] else show_value(json.dumps(value))


def _position_fault(value: Any, path: str) -> ShapeFault | None:
    if isinstance(value, list) and len(value) in (2, 3) and all(_is_number(v) for v in value):
        return None
    return ShapeFault(path, "a position [longitude, latitude] of numbers", _shown(value))


def _line_fault(value: Any, path: str, *, minimum: int, ring: bool) -> ShapeFault | None:
    """A list of at least ``minimum`` positions; a ring also ends where it starts (RFC 7946 section 3.1.6)."""
    what = "a linear ring" if ring else "a line"
    if not isinstance(value, list) or len(value) < minimum:
        return ShapeFault(path, f"{what}: a list of at least {minimum} positions", _shown(value))
    for index, position in enumerate(value):
        if fault := _position_fault(position, f"{path}[{index}]"):
            return fault
    if ring and value[0] != value[-1]:
        return ShapeFault(path, "a closed ring (its last position equal to its first)", f"{value[0]} ... {value[-1]}")
    for index in range(1, len(value)):
        # A jump of more than half the world between neighbours is a line drawn across the antimeridian the
        # long way round: Leaflet would draw it across the whole map. RFC 7946 section 3.1.9 says to split
        # such geometries at 180 degrees.
        if abs(value[index][0] - value[index - 1][0]) > 180:
            return ShapeFault(
                f"{path}[{index}]",
                "no step of more than 180 degrees of longitude (split a geometry that crosses the antimeridian)",
                f"{value[index - 1][0]} -> {value[index][0]}",
            )
    return None


def _list_fault(value: Any, path: str, what: str, item: Callable[[Any, str], ShapeFault | None]) -> ShapeFault | None:
    """A non-empty list whose every member passes ``item(member, member_path)``."""
    if not isinstance(value, list) or not value:
        return ShapeFault(path, f"a non-empty list of {what}", _shown(value))
    for index, member in enumerate(value):
        if fault := item(member, f"{path}[{index}]"):
            return fault
    return None


def _polygon_fault(value: Any, path: str) -> ShapeFault | None:
    return _list_fault(value, path, "linear rings", lambda ring, at: _line_fault(ring, at, minimum=4, ring=True))


def _linestring_fault(value: Any, path: str) -> ShapeFault | None:
    return _line_fault(value, path, minimum=2, ring=False)


def geometry_shape_fault(kind: str, coordinates: Any) -> ShapeFault | None:
    """Check the nesting of ``coordinates`` for a geometry of type ``kind`` (RFC 7946 sections 3.1.2-3.1.7)."""
    path = "geometry.coordinates"
    if kind == "Point":
        return _position_fault(coordinates, path)
    if kind == "MultiPoint":
        return _list_fault(coordinates, path, "positions", _position_fault)
    if kind == "LineString":
        return _linestring_fault(coordinates, path)
    if kind == "MultiLineString":
        return _list_fault(coordinates, path, "lines", _linestring_fault)
    if kind == "Polygon":
        return _polygon_fault(coordinates, path)
    return _list_fault(coordinates, path, "polygons", _polygon_fault)


def _parse_collection(text: str, name: str, problems: list[Problem]) -> dict[str, Any] | None:
    """The layer's JSON as a FeatureCollection mapping, or None with the problem recorded."""
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        problems.append(Problem(name, error.lineno, "", "", "valid JSON", error.msg))
        return None
    except _JsonTrap as error:
        line = _trap_line(text, error.pattern)
        problems.append(Problem(name, line, "", "", "valid JSON without duplicate keys, NaN or Infinity", str(error)))
        return None
    except (ValueError, RecursionError) as error:  # an over-long integer, or nesting deeper than the parser allows
        problems.append(Problem(name, 0, "", "", "plain JSON", type(error).__name__))
        return None
    if message := plain_json_problem(data):
        problems.append(Problem(name, 0, "", "", "plain JSON", message))
        return None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        problems.append(
            Problem(name, 1, "", "type", "a GeoJSON FeatureCollection with a features list", "something else")
        )
        return None
    return data


FaultReporter = Callable[[str, str, str], None]


def _feature_shape(feature: dict[str, Any], problem: FaultReporter) -> BaseGeometry | None:
    """The feature's geometry as a valid, non-empty shapely shape, or None with the fault reported."""
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ALLOWED_GEOMETRIES:
        problem(
            "geometry.type",
            f"one of {sorted(ALLOWED_GEOMETRIES)}",
            show_value(geometry.get("type") if isinstance(geometry, dict) else geometry),
        )
        return None
    if fault := geometry_shape_fault(geometry["type"], geometry.get("coordinates")):
        problem(fault.path, fault.expected, fault.found)
        return None
    if message := _coordinate_problems(geometry.get("coordinates")):
        problem("geometry.coordinates", "valid longitude/latitude positions", message)
        return None
    try:
        shape = shapely.geometry.shape(geometry)
    except (ValueError, TypeError, shapely.errors.GEOSException) as error:
        problem("geometry", "a well-formed geometry", str(error)[:120])
        return None
    if shape.is_empty:
        problem("geometry", "a non-empty geometry", "an empty one")
        return None
    if not shape.is_valid:
        problem("geometry", "a valid geometry (no self-intersections)", shapely.is_valid_reason(shape))
        return None
    return shape


def _check_feature_id(
    feature: dict[str, Any], feature_id: Any, line: int, seen: dict[str, int], problem: FaultReporter
) -> None:
    if not isinstance(feature_id, str) or not SLUG.fullmatch(feature_id):
        problem("id", "a lowercase id ([a-z0-9-])", show_value(feature_id))
    elif feature_id in seen:
        problem("id", f"a unique id (already used at line {seen[feature_id]})", show_value(feature_id))
    else:
        seen[feature_id] = line
    properties = feature.get("properties")
    if not isinstance(properties, dict) or properties.get("id") != feature_id:
        problem("properties.id", "properties with the same id as the feature", show_value(properties))


def read_layer(path: Path, problems: list[Problem], *, within: Path | None = None) -> Layer | None:
    """Read and validate one GeoJSON layer; record problems instead of raising.

    ``within`` is the case folder a symlinked layer must resolve inside (default: the layer's own folder).
    """
    name = str(path)
    # The size is checked before and while reading (safefiles.read_bytes), not with a separate stat.
    text = read_text(path, problems, max_bytes=MAX_LAYER_BYTES, within=within or path.parent)
    data = _parse_collection(text, name, problems) if text is not None else None
    if text is None or data is None:
        return None
    before = len(problems)
    geometries: list[BaseGeometry] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(data["features"]):
        feature_id = feature.get("id") if isinstance(feature, dict) else None
        line = _line_of(text, None if feature_id in seen else feature_id, index)
        record = feature_id if isinstance(feature_id, str) else f"feature {index}"

        def problem(field: str, expected: str, found: str, line: int = line, record: str = record) -> None:
            problems.append(Problem(name, line, record, field, expected, found))

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problem("type", "a GeoJSON Feature", "something else")
            continue
        _check_feature_id(feature, feature_id, line, seen, problem)
        if (shape := _feature_shape(feature, problem)) is not None:
            geometries.append(shape)
    if len(problems) > before:
        return None
    return Layer(name=path.stem, path=path, features=data["features"], geometries=geometries, text=text)
