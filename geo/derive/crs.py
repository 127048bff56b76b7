"""Coordinate reference systems: the fixed geographic one, and the projections derived from a case's focus area.

Nothing here names a place: the equal-area and local projections are centred on whatever area a case
focuses on, so measurements are as good for Estonia as for a Siberian region.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

# Layers are stored and drawn in WGS 84 longitude/latitude (RFC 7946 section 4 requires it).
GEOGRAPHIC_CRS = "EPSG:4326"

# Lengths are measured on the WGS 84 ellipsoid (pyproj.Geod), not in any projection.
ELLIPSOID = "WGS84"

# Projection centres are rounded to this many degrees so that a tiny change of the focus polygon (a
# re-simplification) does not change every derived coordinate: 0.1 degree is ~11 km, far inside the
# range over which both projections stay accurate (see Projections).
CENTRE_STEP_DEG = 0.1


@dataclass(frozen=True)
class Projections:
    """The two projected CRSs every measurement uses, centred on one point.

    ``equal_area`` is Lambert azimuthal equal-area: equal-area everywhere, with little shape distortion
    within ~1,000 km of its centre, so km² read off it are true km². ``local`` is azimuthal
    equidistant: distances from the centre are exact and, within ~800 km of it, the scale error of other
    distances stays under about 1 % (Snyder, *Map Projections: A Working Manual*, USGS PP 1395, p. 191-202);
    buffers (distance bands, radii) and simplification tolerances are applied in it.
    """

    lat: float
    lon: float

    @property
    def equal_area(self) -> str:
        return f"+proj=laea +lat_0={self.lat:g} +lon_0={self.lon:g} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

    @property
    def local(self) -> str:
        return f"+proj=aeqd +lat_0={self.lat:g} +lon_0={self.lon:g} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


def _rounded(value: float) -> float:
    return round(round(value / CENTRE_STEP_DEG) * CENTRE_STEP_DEG, 6)


def projections_for(area: BaseGeometry) -> Projections:
    """Return the projections centred on an area's centroid (computed in lon/lat, rounded).

    A lon/lat centroid is off the true one by a few km for a region of ~1,000 km: irrelevant for a
    projection centre, which only needs to lie near the middle of what is measured.
    """
    centre = shapely.centroid(area)
    return Projections(lat=_rounded(centre.y), lon=_rounded(centre.x))
