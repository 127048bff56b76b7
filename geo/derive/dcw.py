"""Read boundary polygons from DCW-GMT's netCDF file (Debian package ``gmt-dcw``), with its known flaws fixed.

DCW-GMT 2.1.1 stores each country or state as two uint16 variables, ``<CODE>_lon`` and ``<CODE>_lat``,
where CODE is the ISO country code followed by the state code (``RUKGD``); GMT itself writes the unit
as ``RU.KGD`` (``gmt coast -E``), and so do our case files. Degrees are ``min + value / scale``
(attributes of each variable; ``max`` is stored too, so a unit's bounding box is known without reading
it). A longitude value of 65535 starts a new ring; the latitude value beside it is 0 for an outer ring
and 1 for a hole of the outer ring before it (checked against every unit of 2.1.1: the ten flagged rings
all lie inside the ring that precedes them). Real coordinates never reach 65535 (the largest is 65534).
Longitudes run on from 180 to 360 for units that cross the antimeridian (RU reaches 191).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.common.errors import RawDatasetMissingError

DEBIAN_DCW_PATH = Path("/usr/share/gmt-dcw/dcw-gmt.nc")
RING_START = 65535
HOLE_FLAG = 1
# Name lists installed beside dcw-gmt.nc: "continent code name" and "country state name" per line.
COUNTRY_LIST, STATE_LIST = "dcw-countries.txt", "dcw-states.txt"

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


@dataclass(frozen=True)
class DcwUnit:
    """One unit as read: its GMT code (``RU.KGD``), country code, DCW name, polygon and the fixes applied."""

    code: str
    country: str
    name: str
    geometry: BaseGeometry
    fixes: tuple[str, ...]

    @property
    def is_state(self) -> bool:
        return "." in self.code


def variable_stem(code: str) -> str:
    """Return the netCDF variable stem of a GMT code: ``RU.KGD`` -> ``RUKGD``, ``EE`` -> ``EE``."""
    return code.replace(".", "")


def gmt_code(stem: str) -> str:
    """Return the GMT code of a variable stem: the first two letters are the country (``RUKGD`` -> ``RU.KGD``)."""
    return stem if len(stem) == 2 else f"{stem[:2]}.{stem[2:]}"


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


def unit_names(dataset_path: Path) -> dict[str, str]:
    """Return DCW's own name of every unit by GMT code, from the lists installed beside the file.

    The lists are optional (a user may pass only the .nc): a unit without a listed name is called by its code.
    """
    names: dict[str, str] = {}
    for list_name, code_of in ((COUNTRY_LIST, lambda p: p[1]), (STATE_LIST, lambda p: f"{p[0]}.{p[1]}")):
        path = dataset_path.parent / list_name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split(maxsplit=2)
            if len(parts) == 3 and not line.startswith("#"):
                names[code_of(parts)] = parts[2]
    return names


# --- known flaws, keyed by (dataset version, unit code) -----------------------------------------------------

Ring = tuple[np.ndarray, bool]  # (lon/lat coordinates, is a hole)


def _drop_ruzab_stray_triangle(rings: list[Ring]) -> list[Ring]:
    """DCW-GMT 2.1.1, RU.ZAB: drop the stray triangle stored as the unit's first outer ring.

    RUZAB has two outer rings. The first is a 4-vertex triangle of 0.16 km² at 107.70 E, 49.96 N, about
    2.5 km off the main polygon and partly overlapping the polygon of the neighbouring unit MN. It is a
    digitising sliver, not territory: the region is one contiguous polygon. If the ring is not there as
    described, the file is not the 2.1.1 we know, and reading stops rather than dropping the wrong ring.
    """
    first, is_hole = rings[0]
    if is_hole or len(first) != 4 or abs(first[0, 0] - 107.70) > 0.05 or abs(first[0, 1] - 49.96) > 0.05:
        raise RawDatasetMissingError(
            "DCW-GMT 2.1.1 RU.ZAB does not hold the stray triangle this reader removes; the file differs from "
            f"the published 2.1.1 (first ring: {len(first)} points at {first[0].round(2).tolist()})"
        )
    return rings[1:]


KNOWN_FLAWS: dict[tuple[str, str], tuple[str, Callable[[list[Ring]], list[Ring]]]] = {
    ("2.1.1", "RU.ZAB"): ("stray 0.16 km² triangle dropped", _drop_ruzab_stray_triangle),
}


# --- reading ------------------------------------------------------------------------------------------------


def _decode_axis(variable: Any) -> tuple[np.ndarray, np.ndarray]:
    variable.set_auto_maskandscale(False)
    raw = np.asarray(variable[:])
    return raw, float(variable.getncattr("min")) + raw.astype("float64") / float(variable.getncattr("scale"))


def _rings(lon_raw: np.ndarray, lon: np.ndarray, lat_raw: np.ndarray, lat: np.ndarray) -> list[Ring]:
    starts = np.flatnonzero(lon_raw == RING_START)
    ends = np.r_[starts[1:], lon_raw.size]
    return [
        (np.column_stack([lon[start + 1 : end], lat[start + 1 : end]]), bool(lat_raw[start] == HOLE_FLAG))
        for start, end in zip(starts, ends, strict=True)
    ]


def _polygon(rings: list[Ring]) -> BaseGeometry:
    """Assemble DCW rings (outer rings, each followed by its holes) into one (Multi)Polygon."""
    polygons: list[shapely.Polygon] = []
    shell: np.ndarray | None = None
    holes: list[np.ndarray] = []
    for ring, is_hole in rings:
        if is_hole:
            holes.append(ring)
            continue
        if shell is not None:
            polygons.append(shapely.Polygon(shell, holes))
        shell, holes = ring, []
    if shell is not None:
        polygons.append(shapely.Polygon(shell, holes))
    return shapely.make_valid(shapely.MultiPolygon(polygons)) if len(polygons) > 1 else polygons[0]


def _ring_near(ring: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    west, south, east, north = box
    lon, lat = ring[:, 0], ring[:, 1]
    return bool(lon.min() <= east and lon.max() >= west and lat.min() <= north and lat.max() >= south)


def _coarse(rings: list[Ring], box: tuple[float, float, float, float], tolerance_deg: float) -> list[Ring]:
    """Keep the outer rings (with their holes) whose box meets ``box``, each simplified by ``tolerance_deg``.

    For context outlines only: assembling a whole country (RU has thousands of islands and over a million
    points) takes a minute, while the rings near the extent, thinned first, take seconds.
    """
    kept: list[Ring] = []
    keep_holes = False
    for ring, is_hole in rings:
        if not is_hole:
            keep_holes = _ring_near(ring, box)
        if not keep_holes:
            continue
        thinned = shapely.get_coordinates(shapely.simplify(shapely.LinearRing(ring), tolerance_deg))
        if len(thinned) >= 4:
            kept.append((thinned, is_hole))
        elif not is_hole:
            keep_holes = False
    return kept


def read_outlines(
    dataset_path: Path, codes: Iterable[str], box: tuple[float, float, float, float], tolerance_deg: float
) -> list[DcwUnit]:
    """Read units for context: only their parts whose box meets ``box``, thinned by ``tolerance_deg`` (see _coarse).

    Units with no part near the box are left out; flaws are fixed as in read_units.
    """
    import netCDF4

    names = unit_names(dataset_path)
    units: list[DcwUnit] = []
    with netCDF4.Dataset(dataset_path) as dataset:
        version = str(dataset.getncattr("version"))
        for code in codes:
            rings, fixes = _unit_rings(dataset, version, code)
            near = _coarse(rings, box, tolerance_deg)
            if near:
                # Thinned rings may cross their holes or neighbours: repaired before anything clips them.
                shape = shapely.make_valid(_polygon(near))
                units.append(DcwUnit(code, code[:2], names.get(code, code), shape, fixes))
    return units


def _unit_rings(dataset: Any, version: str, code: str) -> tuple[list[Ring], tuple[str, ...]]:
    """One unit's rings as the file holds them, with its known flaw fixed, and the names of the fixes made."""
    stem = variable_stem(code)
    rings = _rings(*_decode_axis(dataset.variables[f"{stem}_lon"]), *_decode_axis(dataset.variables[f"{stem}_lat"]))
    if (flaw := KNOWN_FLAWS.get((version, code))) is not None:
        return flaw[1](rings), (flaw[0],)
    return rings, ()


def read_units(dataset_path: Path, codes: Iterable[str]) -> list[DcwUnit]:
    """Read DCW-GMT units by GMT code (``RU.KGD``, ``EE``), with the dataset's known flaws fixed.

    Returns the units in the order asked, in lon/lat (EPSG:4326; longitudes may exceed 180, see above).

    Raises
    ------
    RawDatasetMissingError
        If a code is not in the file.
    """
    import netCDF4  # imported here: building the map never needs it

    names = unit_names(dataset_path)
    units: list[DcwUnit] = []
    with netCDF4.Dataset(dataset_path) as dataset:
        version = str(dataset.getncattr("version"))
        for code in codes:
            stem = variable_stem(code)
            if f"{stem}_lon" not in dataset.variables:
                raise RawDatasetMissingError(
                    f"DCW code {code} is not in {dataset_path}: expected a code GMT knows, such as EE or RU.KGD "
                    f"(see {COUNTRY_LIST} and {STATE_LIST} beside it)"
                )
            rings, fixes = _unit_rings(dataset, version, code)
            units.append(DcwUnit(code, code[:2], names.get(code, code), _polygon(rings), fixes))
    return units


def unit_bounds(dataset_path: Path) -> dict[str, tuple[float, float, float, float]]:
    """Return every unit's bounding box (west, south, east, north) from its variables' min/max attributes."""
    import netCDF4

    bounds: dict[str, tuple[float, float, float, float]] = {}
    with netCDF4.Dataset(dataset_path) as dataset:
        for name, variable in dataset.variables.items():
            if not name.endswith("_lon"):
                continue
            lat = dataset.variables[name[:-4] + "_lat"]
            bounds[gmt_code(name[:-4])] = (
                float(variable.getncattr("min")),
                float(lat.getncattr("min")),
                float(variable.getncattr("max")),
                float(lat.getncattr("max")),
            )
    return bounds


def read_dcw_metadata(dataset_path: Path) -> DcwDataset:
    """Return the version attribute and checksum of a DCW-GMT file."""
    import netCDF4

    with netCDF4.Dataset(dataset_path) as dataset:
        version = str(dataset.getncattr("version"))
    return DcwDataset(path=dataset_path, version=version, sha256=file_sha256(dataset_path))
