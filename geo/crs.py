"""Coordinate reference systems used for measuring, named once so every stage agrees."""

# Layers are stored and drawn in WGS 84 longitude/latitude (RFC 7946 section 4 requires it).
GEOGRAPHIC_CRS = "EPSG:4326"

# Areas: Lambert azimuthal equal-area centred on Zabaykalsky Krai (52 N, 116 E). Equal-area everywhere,
# with little shape distortion over a region of ~1,000 km, so km² read off it are true km².
EQUAL_AREA_CRS = "+proj=laea +lat_0=52 +lon_0=116 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

# Buffers (distance bands, depot radii) and simplification: azimuthal equidistant centred near the
# krai's border with China (50.5 N, 117.5 E). Distances from the centre are exact; over the krai (within
# ~800 km of it) the scale error of other distances stays under about 1 %.
LOCAL_CRS = "+proj=aeqd +lat_0=50.5 +lon_0=117.5 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

# Lengths are measured on the WGS 84 ellipsoid (pyproj.Geod), not in any projection.
ELLIPSOID = "WGS84"
