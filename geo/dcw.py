"""Read boundary polygons from DCW-GMT's netCDF file (Debian package ``gmt-dcw``).

DCW-GMT 2.1.1 stores each country or state as two uint16 variables, ``<CODE>_lon`` and ``<CODE>_lat``.
Degrees are ``min + value / scale`` (attributes of each variable). A longitude value of 65535 starts a
new ring; the latitude value beside it is 0 for an outer ring and 1 for a hole of the outer ring before
it (checked against every unit of 2.1.1: the ten flagged rings all lie inside the ring that precedes
them). Real coordinates never reach 65535 (the largest is 65534). Rings are closed and mostly clockwise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import GEOGRAPHIC_CRS
from geo.errors import RawDatasetMissingError

DEBIAN_DCW_PATH = Path("/usr/share/gmt-dcw/dcw-gmt.nc")
RING_START = 65535
HOLE_FLAG = 1

HOW_TO_GET_DCW = (
    "install it with `sudo apt-get install gmt-dcw` (Debian/Ubuntu), or download dcw-gmt-2.1.1 from the "
    "GMT team's DCW-GMT releases and pass its dcw-gmt.nc with --dcw PATH"
)


@dataclass(frozen=True)
class DcwDataset:
    """The DCW-GMT file: where it is, its version and the sha256 of its bytes."""

    path: Path
    version: str
    sha256: str


def locate_dcw(path: Path | None = None) -> Path:
    """Return the DCW-GMT netCDF path, or raise with instructions when it is missing."""
    candidate = path or DEBIAN_DCW_PATH
    if not candidate.is_file():
        raise RawDatasetMissingError(f"DCW-GMT boundaries not found at {candidate}: {HOW_TO_GET_DCW}")
    return candidate


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _decode_axis(variable) -> np.ndarray:
    variable.set_auto_maskandscale(False)
    raw = np.asarray(variable[:])
    return raw, float(variable.getncattr("min")) + raw.astype("float64") / float(variable.getncattr("scale"))


def _rings_to_polygon(lon_raw: np.ndarray, lon: np.ndarray, lat_raw: np.ndarray, lat: np.ndarray):
    """Assemble DCW rings (outer rings and their holes) into one (Multi)Polygon."""
    starts = np.flatnonzero(lon_raw == RING_START)
    ends = np.r_[starts[1:], lon_raw.size]
    polygons: list[shapely.Polygon] = []
    shell: np.ndarray | None = None
    holes: list[np.ndarray] = []
    for start, end in zip(starts, ends, strict=True):
        ring = np.column_stack([lon[start + 1 : end], lat[start + 1 : end]])
        if lat_raw[start] == HOLE_FLAG:
            holes.append(ring)
            continue
        if shell is not None:
            polygons.append(shapely.Polygon(shell, holes))
        shell, holes = ring, []
    if shell is not None:
        polygons.append(shapely.Polygon(shell, holes))
    return shapely.make_valid(shapely.MultiPolygon(polygons)) if len(polygons) > 1 else polygons[0]


def read_dcw_units(dataset_path: Path, codes: dict[str, str]) -> gpd.GeoDataFrame:
    """Read DCW-GMT units into a GeoDataFrame of polygons.

    Parameters
    ----------
    dataset_path
        The ``dcw-gmt.nc`` file.
    codes
        Maps our feature id to the DCW code (ISO country code plus state code without separator,
        e.g. ``{"zabaykalsky-krai": "RUZAB"}``).

    Returns
    -------
    GeoDataFrame with columns ``id``, ``dcw_code``, ``geometry`` in EPSG:4326, in the order of ``codes``.

    Raises
    ------
    RawDatasetMissingError
        If a code is not in the file.
    """
    import netCDF4  # imported here: building the map never needs it

    geometries = []
    with netCDF4.Dataset(dataset_path) as dataset:
        for code in codes.values():
            if f"{code}_lon" not in dataset.variables:
                raise RawDatasetMissingError(f"DCW code {code} is not in {dataset_path}; check dcw-states.txt")
            lon_raw, lon = _decode_axis(dataset.variables[f"{code}_lon"])
            lat_raw, lat = _decode_axis(dataset.variables[f"{code}_lat"])
            geometries.append(_rings_to_polygon(lon_raw, lon, lat_raw, lat))
    return gpd.GeoDataFrame(
        {"id": list(codes), "dcw_code": list(codes.values())}, geometry=geometries, crs=GEOGRAPHIC_CRS
    )


def read_dcw_metadata(dataset_path: Path) -> DcwDataset:
    """Return the version attribute and checksum of a DCW-GMT file."""
    import netCDF4

    with netCDF4.Dataset(dataset_path) as dataset:
        version = str(dataset.getncattr("version"))
    return DcwDataset(path=dataset_path, version=version, sha256=file_sha256(dataset_path))


# Known flaws of DCW-GMT 2.1.1, one function each (the regionmask pattern): call them by name.

ZABAYKALSKY_SLIVER_MAX_KM2 = 1.0


def drop_zabaykalsky_sliver(krai: shapely.Geometry, *, area_crs: str) -> shapely.Geometry:
    """Drop the stray triangle DCW-GMT 2.1.1 stores as a second ring of RUZAB.

    Flaw: RUZAB has two outer rings. The first is a 4-vertex triangle of 0.16 km² at 107.70 E, 49.96 N,
    about 2.5 km off the main polygon and partly overlapping Mongolia's polygon (MN). It is a digitising
    sliver, not territory: the krai is one contiguous region. Every other ring is kept.
    """
    parts = gpd.GeoSeries(shapely.get_parts(krai), crs=GEOGRAPHIC_CRS)
    keep = parts.to_crs(area_crs).area / 1e6 > ZABAYKALSKY_SLIVER_MAX_KM2
    return shapely.union_all(parts[keep].values)
