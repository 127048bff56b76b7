"""Write layers as deterministic RFC 7946 GeoJSON (regeneration only: this module needs geopandas).

Written files have a fixed property order, one feature per line (diffs stay readable), coordinates
rounded to the layer's decimals (``decimals_for``) and a newline at the end, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
import math
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.casefile.layer import LayerRecord
from geo.derive.crs import GEOGRAPHIC_CRS
from geo.derive.geometry import one_geometry

# 4 decimals is 11 m of latitude: finer than DCW-GMT's 1:1,000,000 source (its own quantisation is about
# 24 m for a region at 52 N, its stated accuracy about 2 km) and finer than a pixel at the map's maximum zoom,
# so rounding loses nothing the data knows; a fifth decimal would only add bytes.
COORDINATE_DECIMALS = 4
GRID = 10.0**-COORDINATE_DECIMALS
# A degree of latitude is 110.6-111.7 km (WGS 84, equator to pole); the larger bounds what rounding can move.
METRES_PER_DEGREE = 111_700.0
# A layer simplified by T metres already moves its outline by up to T; rounding may add at most a tenth of that.
ROUNDING_SHARE_OF_TOLERANCE = 0.1


def decimals_for(tolerance_m: float | None) -> int:
    """The fewest decimals for a layer simplified by ``tolerance_m`` (None: drawn as the source has it).

    Rounding to d decimals moves a vertex by at most half a step in each axis, sqrt(2) * 0.5 * 10**-d degrees:
    79 m at 3 decimals, 790 m at 2. The rule: at most a tenth of the simplification tolerance, and never coarser
    than ``COORDINATE_DECIMALS``. So a layer simplified at 1 km gets 3 decimals (79 m, under a pixel at zoom 10,
    about 94 m at 52 N) and one at 10 km gets 2 (790 m, against the 10 km its outline already moved); a layer
    not simplified, or at less than 790 m, keeps 4.
    """
    if tolerance_m is None:
        return COORDINATE_DECIMALS
    for decimals in range(COORDINATE_DECIMALS + 1):
        worst_m = math.sqrt(2) * 0.5 * 10.0**-decimals * METRES_PER_DEGREE
        if worst_m <= ROUNDING_SHARE_OF_TOLERANCE * tolerance_m:
            return decimals
    return COORDINATE_DECIMALS


def layer_decimals(layer: LayerRecord) -> int:
    """The decimals a layer's file is written with: from its ``tolerance_m`` if its builder simplifies."""
    tolerance = layer.params.get("tolerance_m")
    return decimals_for(layer.number("tolerance_m") if tolerance is not None else None)


def _round(value: Any, decimals: int) -> Any:
    if isinstance(value, float):
        return round(value, decimals)
    return [_round(item, decimals) for item in value]


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


def _geometry_json(geometry: BaseGeometry, decimals: int) -> dict[str, Any]:
    mapping = shapely.geometry.mapping(geometry)
    if mapping["type"] == "GeometryCollection":
        raise ValueError("GeometryCollection is not written; split it first")
    return {"type": mapping["type"], "coordinates": _round(json.loads(json.dumps(mapping["coordinates"])), decimals)}


def feature_collection_text(
    frame: gpd.GeoDataFrame, *, properties: list[str], decimals: int = COORDINATE_DECIMALS
) -> str:
    """Serialise a GeoDataFrame (EPSG:4326) to GeoJSON text, one feature per line, properties in order."""
    if frame.crs is None or frame.crs.to_string() != GEOGRAPHIC_CRS:
        raise ValueError(f"layers are written in {GEOGRAPHIC_CRS}; got {frame.crs}")
    lines = []
    for row in frame.itertuples(index=False):
        props = {name: _plain(getattr(row, name)) for name in properties}
        geometry = one_geometry(row.geometry, what="a feature")
        feature = {
            "type": "Feature",
            "id": props["id"],
            "properties": props,
            "geometry": _geometry_json(geometry, decimals),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
