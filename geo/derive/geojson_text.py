"""Write layers as deterministic RFC 7946 GeoJSON (regeneration only: this module needs geopandas).

Written files have a fixed property order, one feature per line (diffs stay readable), coordinates
rounded to ``COORDINATE_DECIMALS`` and a newline at the end, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
import math
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.derive.crs import GEOGRAPHIC_CRS
from geo.derive.geometry import one_geometry

# 4 decimals is 11 m of latitude: finer than DCW-GMT's 1:1,000,000 source (its own quantisation is about
# 24 m for a region at 52 N, its stated accuracy about 2 km) and finer than a pixel at the map's maximum zoom,
# so rounding loses nothing the data knows; a fifth decimal would only add bytes.
COORDINATE_DECIMALS = 4
GRID = 10.0**-COORDINATE_DECIMALS


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


def normalise_geometry(geometry: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid without breaking validity, and orient rings as RFC 7946 section 3.1.6 asks."""
    snapped = shapely.set_precision(geometry, GRID)
    return shapely.orient_polygons(snapped, exterior_cw=False)


def _geometry_json(geometry: BaseGeometry) -> dict[str, Any]:
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
        geometry = one_geometry(row.geometry, what="a feature")
        feature = {"type": "Feature", "id": props["id"], "properties": props, "geometry": _geometry_json(geometry)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
