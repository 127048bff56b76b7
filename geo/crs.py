"""Transition shim: the CRS constants live in geo.derive.crs; geo.geojson still imports them from here."""

from geo.derive.crs import ELLIPSOID, GEOGRAPHIC_CRS

__all__ = ["ELLIPSOID", "GEOGRAPHIC_CRS"]
