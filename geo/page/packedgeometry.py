"""Layer geometry as delta-encoded integers: how coordinates travel in the page's data block.

A layer's coordinates are decimal numbers with a few decimals (geo.derive.geojson_text rounds each layer to the
decimals its simplification allows: 2, 3 or 4). As JSON text, every vertex repeats the degrees it shares with
its neighbour ("113.4917,52.0431,113.4925,..."). Scaled by 10**d to integers and written as differences from the
previous vertex of the same ring or line, most vertices become two small numbers ("8,-3"), which gzip packs about
twice as tightly (issue #18: the page's geometry went from 86 KB to 47 KB of gzip).

The format, per layer: ``{"decimals": d, "shapes": [geometry, ...]}`` in feature order; each geometry is
``{"type": T, "coordinates": C}`` with T an RFC 7946 type and C as GeoJSON's, one level less deep: each list of
positions (a ring, a line, a MultiPoint's points, a Point's one position) is one flat list of integers
``[x0, y0, x1 - x0, y1 - y0, ...]``. A geometry with heights carries ``"dimensions": 3`` and its flat lists
``[x, y, z, dx, dy, dz, ...]``. The page's features.js (decodeLayer) turns them back into GeoJSON before Leaflet
sees them: a coordinate is ``integer / 10**d``.

Exact, not approximate: ``d`` is the fewest decimals that write every coordinate of the layer exactly
(``round(x, d) == x``), so the integer divided by 10**d in IEEE arithmetic (correctly rounded, in Python as in
JavaScript) gives back the same double the layer file's text gave. Only a layer with more than ``MAX_DECIMALS``
decimals is rounded, to 7 (1.1 cm): RFC 7946 section 11.2 calls 6 decimals (about 10 cm) a precision "well within
that of current GPS systems", and a pixel at the map's highest zoom is tens of centimetres.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.common.geojson import ALLOWED_GEOMETRIES

MAX_DECIMALS = 7
# A flat list per list of positions: how deep each type's lists of positions lie in its coordinates.
POSITION_LIST_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _positions(coordinates: Any, depth: int) -> Iterable[list[float]]:
    """Every position of a GeoJSON coordinates value whose lists of positions lie ``depth`` levels deep."""
    if depth == 0:
        yield coordinates
    elif depth == 1:
        yield from coordinates
    else:
        for item in coordinates:
            yield from _positions(item, depth - 1)


def exact_decimals(geometries: list[dict[str, Any]]) -> int:
    """The fewest decimals (at most ``MAX_DECIMALS``) that write every coordinate of the geometries exactly."""
    values = {
        value
        for geometry in geometries
        for position in _positions(geometry["coordinates"], POSITION_LIST_DEPTH[geometry["type"]])
        for value in position
    }
    for decimals in range(MAX_DECIMALS + 1):
        if all(round(value, decimals) == value for value in values):
            return decimals
    return MAX_DECIMALS


def _flat_deltas(positions: list[list[float]], scale: int) -> list[int]:
    """One list of positions as [x0, y0, dx1, dy1, ...] in units of 1/scale degree."""
    flat: list[int] = []
    previous = [0] * len(positions[0])
    for position in positions:
        current = [round(value * scale) for value in position]
        flat.extend(now - before for now, before in zip(current, previous, strict=True))
        previous = current
    return flat


def _encode_nested(coordinates: Any, depth: int, scale: int) -> Any:
    if depth == 0:
        return _flat_deltas([coordinates], scale)
    if depth == 1:
        return _flat_deltas(coordinates, scale)
    return [_encode_nested(item, depth - 1, scale) for item in coordinates]


def encode_geometry(geometry: dict[str, Any], decimals: int) -> dict[str, Any]:
    """A GeoJSON geometry (render.plain_geometry's) as delta-encoded integers at ``decimals``."""
    kind = geometry["type"]
    first = next(iter(_positions(geometry["coordinates"], POSITION_LIST_DEPTH[kind])))
    encoded: dict[str, Any] = {
        "type": kind,
        "coordinates": _encode_nested(geometry["coordinates"], POSITION_LIST_DEPTH[kind], 10**decimals),
    }
    if len(first) == 3:
        encoded["dimensions"] = 3
    return encoded


def encode_layer(geometries: list[dict[str, Any]]) -> dict[str, Any]:
    """A layer's geometries, in feature order, with the one scale they share."""
    decimals = exact_decimals(geometries)
    return {"decimals": decimals, "shapes": [encode_geometry(geometry, decimals) for geometry in geometries]}


def _decode_flat(flat: list[int], stride: int, scale: int) -> list[list[float]]:
    positions: list[list[float]] = []
    running = [0] * stride
    for start in range(0, len(flat), stride):
        running = [total + step for total, step in zip(running, flat[start : start + stride], strict=True)]
        positions.append([total / scale for total in running])
    return positions


def _decode_nested(coordinates: Any, depth: int, stride: int, scale: int) -> Any:
    if depth == 0:
        return _decode_flat(coordinates, stride, scale)[0]
    if depth == 1:
        return _decode_flat(coordinates, stride, scale)
    return [_decode_nested(item, depth - 1, stride, scale) for item in coordinates]


def decode_geometry(encoded: dict[str, Any], decimals: int) -> dict[str, Any]:
    """The inverse of ``encode_geometry``, as features.js decodeLayer does it (the tests' reference)."""
    kind = encoded["type"]
    stride = 3 if encoded.get("dimensions") == 3 else 2
    return {
        "type": kind,
        "coordinates": _decode_nested(encoded["coordinates"], POSITION_LIST_DEPTH[kind], stride, 10**decimals),
    }


def decode_layer(layer: dict[str, Any]) -> list[dict[str, Any]]:
    """A layer's GeoJSON geometries back from ``encode_layer``'s output."""
    return [decode_geometry(shape, layer["decimals"]) for shape in layer["shapes"]]


def _plain_coordinates(value: Any) -> Any:
    """Nested lists of Python floats, or an error: the only coordinate values allowed near a template."""
    if isinstance(value, list | tuple):
        return [_plain_coordinates(item) for item in value]
    if isinstance(value, float) and math.isfinite(value):
        return float(value)
    raise TypeError(f"a coordinate must be a finite float; found {type(value).__name__}")


def plain_geometry(shape: BaseGeometry) -> dict[str, Any]:
    """An RFC 7946 geometry rebuilt from a validated shapely shape: a type from a closed set and floats.

    Not the feature's ``geometry`` object as the file had it: that may hold extra members (RFC 7946 allows
    foreign members), and folium would compile them as a template (module docstring).
    """
    kind = shape.geom_type
    if kind not in ALLOWED_GEOMETRIES:
        raise TypeError(f"geometry type {kind!r} is not drawn")
    return {"type": kind, "coordinates": _plain_coordinates(shapely.geometry.mapping(shape)["coordinates"])}
