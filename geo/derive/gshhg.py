"""Read rivers (WDBII) and lakes (GSHHS level 2) from GSHHG through GMT's own command line.

GSHHG (Wessel and Smith) ships as GMT's binned netCDF files (Debian ``gmt-gshhg-high`` installs them in
/usr/share/gmt-gshhg). The bins are GMT's format: a segment is stored per 2-degree bin (at the high
resolution), relative to the bin's corner, with shoreline crossings coded for polygon assembly. GMT reads
them; we ask ``gmt coast ... -M`` (Debian ``gmt``) for the segments as text, one ``> ... Level N`` header per
segment, and join the pieces ourselves. Reading the bins directly would mean re-implementing GMT's decoding;
pygmt (PyPI) drives the same library but needs GMT's shared library found at run time and pulls in
xarray and pandas extras; the command line needs nothing but the two Debian packages and gives plain text.

WDBII river classes, as GMT numbers them (``gmt coast -I``): 1 permanent major rivers, 2 additional major
rivers, 3 additional rivers, 4 minor rivers (5-10 intermittent and canals). GSHHS shoreline levels: 1 land
against ocean, 2 lake shores, 3 islands in lakes, 4 ponds on those islands. WDBII carries no names.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from geo.common.errors import RawDatasetMissingError

DEBIAN_GSHHG_DIR = Path("/usr/share/gmt-gshhg")
# "h" (high): GSHHG's second-finest resolution. The full one ("f", Debian gmt-gshhg-full, 41.5 MB against 11 MB)
# gives the same nearest river and lake to the capital of RU.ZAB (4.49 km and 37.4 km, geodesic, same nearest
# river vertex) and the China border's share along rivers to 0.1 % (89.1 % against 89.0 %): its lakes and rivers
# are WDBII's at both, which GSHHG's README calls "a much older and lower-quality data product" (data/README.md).
RESOLUTION = "h"
RIVER_FILE, SHORE_FILE = f"binned_river_{RESOLUTION}.nc", f"binned_GSHHS_{RESOLUTION}.nc"
LAKE_LEVEL = 2
# GMT returns whole bins; asking for this much more than the extent closes the lakes the extent cuts.
REQUEST_MARGIN_DEG = 2.0
GMT_TIMEOUT_S = 120

HOW_TO_GET_GSHHG = (
    "install GMT and GSHHG with `sudo apt-get install gmt gmt-gshhg-high` (Debian/Ubuntu), or pass the folder "
    "holding binned_river_h.nc and binned_GSHHS_h.nc with --gshhg PATH (GMT must be on PATH)"
)


@dataclass(frozen=True)
class GshhgDataset:
    """The GSHHG folder read, its version, the GMT that read it and the sha256 of the two files used."""

    folder: Path
    version: str
    gmt_version: str
    sha256: dict[str, str]


def _gmt() -> str:
    found = shutil.which("gmt")
    if found is None:
        raise RawDatasetMissingError(f"the `gmt` command is not on PATH: {HOW_TO_GET_GSHHG}")
    return found


def locate_gshhg(folder: Path | None = None) -> Path:
    """Return the GSHHG folder, or raise with instructions when its files or GMT are missing."""
    candidate = folder or DEBIAN_GSHHG_DIR
    missing = [name for name in (RIVER_FILE, SHORE_FILE) if not (candidate / name).is_file()]
    if missing:
        raise RawDatasetMissingError(f"GSHHG files {', '.join(missing)} not found in {candidate}: {HOW_TO_GET_GSHHG}")
    _gmt()
    return candidate


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_metadata(folder: Path) -> GshhgDataset:
    """The version GSHHG's files state, GMT's version, and the files' checksums."""
    import netCDF4  # regeneration only, like geo.derive.dcw

    versions = set()
    for name in (RIVER_FILE, SHORE_FILE):
        with netCDF4.Dataset(folder / name) as dataset:
            versions.add(str(dataset.getncattr("version")))
    if len(versions) != 1:
        raise RawDatasetMissingError(f"GSHHG files in {folder} state different versions ({sorted(versions)})")
    gmt_version = subprocess.run(  # noqa: S603 - GMT found on PATH, fixed arguments
        [_gmt(), "--version"], capture_output=True, text=True, check=True, timeout=GMT_TIMEOUT_S
    ).stdout.strip()
    sha = {name: _sha256(folder / name) for name in (RIVER_FILE, SHORE_FILE)}
    return GshhgDataset(folder, versions.pop(), gmt_version, sha)


def _coast(folder: Path, region: tuple[float, float, float, float], selection: list[str]) -> str:
    """Run ``gmt coast -M`` over a lon/lat region; in a scratch folder, since GMT leaves a gmt.history there."""
    west, south, east, north = region
    command = [
        _gmt(),
        "coast",
        f"-R{west:.4f}/{east:.4f}/{south:.4f}/{north:.4f}",
        f"-D{RESOLUTION}",
        *selection,
        "-M",
        f"--DIR_GSHHG={folder}",
        "--GMT_HISTORY=false",
    ]
    with tempfile.TemporaryDirectory(prefix="casemap-gmt-") as scratch:
        done = subprocess.run(  # noqa: S603 - fixed arguments, numbers formatted above
            command, cwd=scratch, capture_output=True, text=True, timeout=GMT_TIMEOUT_S, check=False
        )
    if done.returncode != 0:
        raise RawDatasetMissingError(f"`{' '.join(command)}` failed: {done.stderr.strip()[:500]}")
    return done.stdout


def parse_segments(text: str) -> list[tuple[int, list[tuple[float, float]]]]:
    """Split ``gmt coast -M`` text into (level, points) segments; a header ends in ``Level N``."""
    segments: list[tuple[int, list[tuple[float, float]]]] = []
    for line in text.splitlines():
        if line.startswith(">"):
            segments.append((int(line.rsplit(maxsplit=1)[-1]), []))
        elif line.strip():
            lon, lat = line.split()[:2]
            segments[-1][1].append((float(lon), float(lat)))
    return segments


def _request(extent: BaseGeometry) -> tuple[float, float, float, float]:
    west, south, east, north = extent.bounds
    m = REQUEST_MARGIN_DEG
    return (west - m, max(south - m, -90.0), east + m, min(north + m, 90.0))


def _joined(pieces: list[list[tuple[float, float]]]) -> BaseGeometry:
    """Join bin pieces end to end (they share their end points on bin edges); drop zero-length pieces."""
    lines = [shapely.LineString(p) for p in pieces if len(set(p)) > 1]
    return shapely.line_merge(shapely.MultiLineString(lines)) if lines else shapely.MultiLineString()


def river_lines(folder: Path, extent: BaseGeometry, river_class: int) -> BaseGeometry:
    """The WDBII rivers of one class, joined across bins and clipped to the extent."""
    text = _coast(folder, _request(extent), [f"-I{river_class}"])
    pieces = [points for level, points in parse_segments(text) if level == river_class]
    return shapely.intersection(_joined(pieces), extent)


def lake_polygons(folder: Path, extent: BaseGeometry, min_area_km2: float) -> list[BaseGeometry]:
    """GSHHS lakes (level 2) of at least the area given, assembled from bin pieces and clipped to the extent.

    GMT's ``-A`` filter drops smaller polygons using GSHHG's own stored areas. Pieces that do not close
    (a lake cut by the requested region) lie outside the extent, which the request's margin keeps inside.
    """
    level = f"-A{min_area_km2:g}/{LAKE_LEVEL}/{LAKE_LEVEL}"
    text = _coast(folder, _request(extent), [f"-W{LAKE_LEVEL}/0.1p", level])
    pieces = [points for lvl, points in parse_segments(text) if lvl == LAKE_LEVEL]
    rings = shapely.get_parts(_joined(pieces))
    lakes = shapely.get_parts(shapely.polygonize([ring for ring in rings if ring.is_closed]))
    clipped = [shapely.intersection(lake, extent) for lake in lakes]
    return sorted((lake for lake in clipped if not lake.is_empty), key=lambda g: (-g.area, g.bounds))
