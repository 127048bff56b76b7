"""Write layers as deterministic RFC 7946 GeoJSON, and read committed layers back with full validation.

Written files have a fixed property order, one feature per line (diffs stay readable), coordinates
rounded to ``COORDINATE_DECIMALS`` and a newline at the end, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo.crs import GEOGRAPHIC_CRS
from geo.errors import Problem, show_value
from geo.fields import SLUG
from geo.safefiles import read_text
from geo.safejson import plain_json_problem

# 4 decimals is 11 m of latitude: finer than DCW-GMT's 1:1,000,000 source (its own quantisation is about
# 24 m for the krai, its stated accuracy about 2 km) and finer than a pixel at the map's maximum zoom,
# so rounding loses nothing the data knows; a fifth decimal would only add bytes.
COORDINATE_DECIMALS = 4
GRID = 10.0**-COORDINATE_DECIMALS
MAX_LAYER_BYTES = 20_000_000


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, COORDINATE_DECIMALS)
    return [_round(item) for item in value]


def _plain(value: Any) -> Any:
    """Turn pandas/numpy scalars into JSON values; a missing number (NaN) becomes null."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def normalise_geometry(geometry: shapely.Geometry) -> shapely.Geometry:
    """Snap to the output grid without breaking validity, and orient rings as RFC 7946 section 3.1.6 asks."""
    snapped = shapely.set_precision(geometry, GRID)
    return shapely.orient_polygons(snapped, exterior_cw=False)


def _geometry_json(geometry: shapely.Geometry) -> dict[str, Any]:
    mapping = shapely.geometry.mapping(geometry)
    if mapping["type"] == "GeometryCollection":
        raise ValueError("GeometryCollection is not written; split it first")
    return {"type": mapping["type"], "coordinates": _round(json.loads(json.dumps(mapping["coordinates"])))}


def feature_collection_text(frame: gpd.GeoDataFrame, *, properties: list[str]) -> str:
    """Serialise a GeoDataFrame (EPSG:4326) to GeoJSON text, one feature per line, properties in order."""
    if frame.crs is None or frame.crs.to_string() != GEOGRAPHIC_CRS:
        raise ValueError(f"layers are written in {GEOGRAPHIC_CRS}; got {frame.crs}")
    lines = []
    for row in frame.itertuples(index=False):
        props = {name: _plain(getattr(row, name)) for name in properties}
        feature = {"type": "Feature", "id": props["id"], "properties": props, "geometry": _geometry_json(row.geometry)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


# --- reading committed layers ----------------------------------------------------------------------------

ALLOWED_GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class Layer:
    """A validated layer: its name, features (as parsed JSON) and shapely geometries in the same order."""

    name: str
    path: Path
    features: list[dict[str, Any]]
    geometries: list[shapely.Geometry]
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


def _list_fault(value: Any, path: str, what: str, item: Any) -> ShapeFault | None:
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


def read_layer(path: Path, problems: list[Problem], *, within: Path | None = None) -> Layer | None:
    """Read and validate one GeoJSON layer; record problems instead of raising.

    ``within`` is the case folder a symlinked layer must resolve inside (default: the layer's own folder).
    """
    name = str(path)
    # The size is checked before and while reading (safefiles.read_bytes), not with a separate stat.
    text = read_text(path, problems, max_bytes=MAX_LAYER_BYTES, within=within or path.parent)
    if text is None:
        return None
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
    before = len(problems)
    geometries: list[shapely.Geometry] = []
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
        properties = feature.get("properties")
        if not isinstance(feature_id, str) or not SLUG.fullmatch(feature_id):
            problem("id", "a lowercase id ([a-z0-9-])", show_value(feature_id))
        elif feature_id in seen:
            problem("id", f"a unique id (already used at line {seen[feature_id]})", show_value(feature_id))
        else:
            seen[feature_id] = line
        if not isinstance(properties, dict) or properties.get("id") != feature_id:
            problem("properties.id", "properties with the same id as the feature", show_value(properties))
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in ALLOWED_GEOMETRIES:
            problem(
                "geometry.type",
                f"one of {sorted(ALLOWED_GEOMETRIES)}",
                show_value(geometry.get("type") if isinstance(geometry, dict) else geometry),
            )
            continue
        if fault := geometry_shape_fault(geometry["type"], geometry.get("coordinates")):
            problem(fault.path, fault.expected, fault.found)
            continue
        if message := _coordinate_problems(geometry.get("coordinates")):
            problem("geometry.coordinates", "valid longitude/latitude positions", message)
            continue
        try:
            shape = shapely.geometry.shape(geometry)
        except (ValueError, TypeError, shapely.errors.GEOSException) as error:
            problem("geometry", "a well-formed geometry", str(error)[:120])
            continue
        if shape.is_empty:
            problem("geometry", "a non-empty geometry", "an empty one")
            continue
        if not shape.is_valid:
            problem("geometry", "a valid geometry (no self-intersections)", shapely.is_valid_reason(shape))
            continue
        geometries.append(shape)
    if len(problems) > before:
        return None
    return Layer(name=path.stem, path=path, features=data["features"], geometries=geometries, text=text)
