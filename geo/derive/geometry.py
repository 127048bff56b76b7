"""Pure geometry operations for deriving layers: GeoSeries/geometries in, geometries out.

Distances, buffers and simplification are done in metres in ``projections.local``, areas in
``projections.equal_area``, lengths on the ellipsoid; results return to EPSG:4326 once, at the end of
each function. The projections are centred on the case's focus area (geo.derive.crs.projections_for).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from geo.derive.crs import ELLIPSOID, GEOGRAPHIC_CRS, Projections

_GEOD = Geod(ellps=ELLIPSOID)
# The length of a degree of latitude, in km (mean; it varies from 110.6 at the equator to 111.7 at the poles).
KM_PER_DEGREE_LAT = 111.32


def one_geometry(value: object, *, what: str) -> BaseGeometry:
    """Narrow a shapely result the stubs type as "a geometry or an array" to the one geometry it is here."""
    if not isinstance(value, BaseGeometry):
        raise TypeError(f"expected one geometry for {what}; found {type(value).__name__}")
    return value


def area_km2(geometries: gpd.GeoSeries, *, projections: Projections) -> np.ndarray:
    """Return the area of each geometry in km², measured in the equal-area CRS."""
    return geometries.to_crs(projections.equal_area).area.to_numpy() / 1e6


def length_km(geometries: gpd.GeoSeries) -> np.ndarray:
    """Return the geodesic length of each (multi)line on the WGS 84 ellipsoid, in km."""
    return np.array([_GEOD.geometry_length(g) / 1000 for g in geometries.to_crs(GEOGRAPHIC_CRS)])


def extent_around(area: BaseGeometry, *, margin_km: float) -> shapely.Polygon:
    """Return the lon/lat box of ``area`` grown by about ``margin_km`` on every side.

    The margin is turned into degrees at the area's middle latitude (a degree of latitude is ~111.32 km,
    a degree of longitude that times the cosine of the latitude): a context box needs no more precision,
    and a lon/lat rectangle stays a rectangle on the map.
    """
    west, south, east, north = area.bounds
    lat_margin = margin_km / KM_PER_DEGREE_LAT
    lon_margin = margin_km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians((south + north) / 2)), 0.1))
    return shapely.box(
        west - lon_margin, max(south - lat_margin, -90.0), east + lon_margin, min(north + lat_margin, 90.0)
    )


def clip_to_extent(units: gpd.GeoDataFrame, *, extent: BaseGeometry) -> gpd.GeoDataFrame:
    """Clip units to a lon/lat box; neighbours like a whole country reach far beyond what a case needs."""
    clipped = units.copy()
    clipped["geometry"] = shapely.intersection(units.geometry.values, extent)
    return clipped


def simplify(units: gpd.GeoDataFrame, *, tolerance_m: float, projections: Projections) -> gpd.GeoDataFrame:
    """Simplify each geometry, preserving its topology, with a tolerance in metres."""
    local = units.to_crs(projections.local)
    local["geometry"] = local.geometry.simplify(tolerance_m, preserve_topology=True)
    if units.crs is None:  # unreachable: to_crs above refuses a frame without one
        raise ValueError("simplify needs a frame with a CRS")
    return local.to_crs(units.crs)


def share_edges_with(
    core: BaseGeometry, neighbours: gpd.GeoDataFrame, *, snap_m: float, projections: Projections
) -> gpd.GeoDataFrame:
    """Make each neighbour's edge along ``core`` be exactly ``core``'s edge.

    DCW-GMT stores each unit as its own polygon, so neighbours overlap or leave slivers along shared
    borders (tens of metres; more near junctions). Each neighbour is grown by ``snap_m`` only where it is
    within ``snap_m`` of the core, then the core is cut out: the shared border becomes the core's own
    vertices, so the two layers draw one line, and no neighbour overlaps the core.
    """
    local = neighbours.to_crs(projections.local)
    core_local = gpd.GeoSeries([core], crs=GEOGRAPHIC_CRS).to_crs(projections.local).iloc[0]
    near_core = shapely.buffer(core_local, snap_m)
    grown = shapely.union(local.geometry.values, shapely.intersection(local.geometry.buffer(snap_m).values, near_core))
    grown_geographic = gpd.GeoSeries(grown, crs=projections.local).to_crs(GEOGRAPHIC_CRS).values
    # Cut the core out in geographic coordinates, so the shared edge is made of the core's own vertices.
    result = neighbours.copy()
    result["geometry"] = shapely.make_valid(shapely.difference(grown_geographic, core))
    return result


def _segments(boundary: BaseGeometry) -> np.ndarray:
    """Split a (multi)line into its two-point segments, as an array of LineStrings."""
    parts = shapely.get_parts(boundary)
    pairs = [np.stack([c[:-1], c[1:]], axis=1) for c in (shapely.get_coordinates(p) for p in parts) if len(c) > 1]
    if not pairs:
        return np.array([], dtype=object)
    lines = shapely.linestrings(np.concatenate(pairs))
    if not isinstance(lines, np.ndarray):  # an (n, 2, 2) array makes n lines; the stubs also allow one LineString
        raise TypeError(f"expected an array of segments; found {type(lines).__name__}")
    return lines


def shared_border(
    core: BaseGeometry,
    neighbour: BaseGeometry,
    *,
    tolerance_m: float,
    min_piece_m: float,
    projections: Projections,
) -> BaseGeometry:
    """Return the part of ``core``'s boundary that runs along ``neighbour``, as a (Multi)LineString.

    ``neighbour`` is a polygon (its boundary is followed) or a line (followed itself). A boundary segment
    is shared when both its ends and its middle lie within ``tolerance_m`` of the neighbour's boundary;
    judging whole segments (not clipping with a buffer) keeps the border from
    running on along the next border for ``tolerance_m`` at a junction. Pieces shorter than
    ``min_piece_m`` are dropped: places where the boundary merely passes near the neighbour.
    """
    frame = gpd.GeoSeries([core, neighbour], crs=GEOGRAPHIC_CRS).to_crs(projections.local)
    segments = _segments(frame.iloc[0].boundary)
    target = frame.iloc[1]
    other = target.boundary if shapely.get_dimensions(target) == 2 else target
    shapely.prepare(other)
    starts, ends = shapely.get_point(segments, 0), shapely.get_point(segments, -1)
    middles = shapely.line_interpolate_point(segments, 0.5, normalized=True)
    near = (
        shapely.dwithin(starts, other, tolerance_m)
        & shapely.dwithin(ends, other, tolerance_m)
        & shapely.dwithin(middles, other, tolerance_m)
    )
    merged = shapely.line_merge(shapely.multilinestrings(segments[near])) if near.any() else shapely.MultiLineString()
    pieces = shapely.get_parts(merged)
    pieces = pieces[shapely.length(pieces) >= min_piece_m]
    result = shapely.line_merge(shapely.multilinestrings(pieces)) if len(pieces) else shapely.MultiLineString()
    border = one_geometry(result, what="a merged border")
    return gpd.GeoSeries([border], crs=projections.local).to_crs(GEOGRAPHIC_CRS).iloc[0]


def junction(first: BaseGeometry, second: BaseGeometry, *, projections: Projections) -> shapely.Point:
    """Return the point where two border lines meet: the middle of their closest pair of points."""
    frame = gpd.GeoSeries([first, second], crs=GEOGRAPHIC_CRS).to_crs(projections.local)
    nearest = shapely.shortest_line(frame.iloc[0], frame.iloc[1])
    middle = nearest.interpolate(0.5, normalized=True)
    point = gpd.GeoSeries([middle], crs=projections.local).to_crs(GEOGRAPHIC_CRS).iloc[0]
    if not isinstance(point, shapely.Point):  # reprojecting a point gives a point; the stubs say "a geometry"
        raise TypeError(f"expected a point for a junction; found {point.geom_type}")
    return point


def gap_m(first: BaseGeometry, second: BaseGeometry, *, projections: Projections) -> float:
    """Return the shortest distance between two geometries, in metres."""
    frame = gpd.GeoSeries([first, second], crs=GEOGRAPHIC_CRS).to_crs(projections.local)
    return float(shapely.distance(frame.iloc[0], frame.iloc[1]))


def distance_bands(
    region: BaseGeometry,
    border: BaseGeometry,
    *,
    distances_km: Sequence[float],
    projections: Projections,
    tolerance_m: float = 0.0,
) -> gpd.GeoSeries:
    """Return, for each distance, the part of ``region`` within that many km of ``border``.

    The bands are cumulative (the 100 km band contains the 50 km band), measured in the local CRS. The
    buffers' inner edges (round joins at every border vertex) are simplified by ``tolerance_m`` before
    the region is cut out, so the bands' outer edges keep the region's own vertices.
    """
    frame = gpd.GeoSeries([region, border], crs=GEOGRAPHIC_CRS).to_crs(projections.local)
    buffers = shapely.buffer(frame.iloc[1], np.asarray(distances_km, dtype=float) * 1000, quad_segs=16)
    buffers = shapely.simplify(buffers, tolerance_m, preserve_topology=True) if tolerance_m else buffers
    return gpd.GeoSeries(shapely.intersection(buffers, frame.iloc[0]), crs=projections.local).to_crs(GEOGRAPHIC_CRS)


def circles(points: gpd.GeoSeries, *, radius_km: Sequence[float], projections: Projections) -> gpd.GeoSeries:
    """Return a circle of the given radius (km) around each point, buffered in the local CRS."""
    local = points.to_crs(projections.local)
    return gpd.GeoSeries(
        shapely.buffer(local.values, np.asarray(radius_km, dtype=float) * 1000, quad_segs=16), crs=projections.local
    ).to_crs(GEOGRAPHIC_CRS)


def containing_area(points: gpd.GeoSeries, areas: gpd.GeoDataFrame) -> list[str]:
    """Return, for each point, the id of the first area that contains it, or '' when none does."""
    joined = gpd.sjoin(gpd.GeoDataFrame(geometry=points), areas[["id", "geometry"]], how="left", predicate="within")
    first = joined[~joined.index.duplicated(keep="first")]
    return [value if isinstance(value, str) else "" for value in first["id"].reindex(points.index)]
