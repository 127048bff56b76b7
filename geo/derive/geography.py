"""The focus area, its neighbours and its borders, read once from DCW-GMT for all the layer builders.

Nothing here names a place. Neighbours are the DCW-GMT units whose boundary runs along the focus's, at
the focus's level: for a country (``EE``), the countries around it; for a first-level region
(``RU.KGD``), the regions around it, or the country itself where DCW-GMT has no regions for it (DCW-GMT
2.1.1 has regions for AR, AU, BR, CA, CN, IN, RU and US only). Borders are one line per neighbouring
country other than the focus's own, cut from the focus's boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.casefile.case import AreaNames, Case
from geo.common.errors import Problem
from geo.derive import dcw
from geo.derive.crs import GEOGRAPHIC_CRS, Projections, projections_for
from geo.derive.geojson_text import normalise_geometry
from geo.derive.geometry import (
    clip_to_extent,
    extent_around,
    share_edges_with,
    shared_border,
    simplify,
)

# The map's maximum zoom is at most 10 for a regional case (~94 m a pixel at 52 N). Simplifying at 50 m
# removes no detail a reader can see, and the source (1:1,000,000) holds none finer than ~500 m anyway.
SIMPLIFY_TOLERANCE_M = 50.0
# Neighbouring DCW-GMT units do not match vertex for vertex. Along RU.ZAB's borders the vertices lie within
# 100 m of the neighbour's boundary (median 14 m, 99th percentile 41 m for CN.NM; DCW-GMT quantises a
# region's coordinates to ~24 m), and none between 100 m and 500 m: 250 m separates shared stretches from
# merely nearby ones with margin.
BORDER_TOLERANCE_M = 250.0
# A region's polygon (RU.KGD) and its country's (RU) were not digitised together: along the Neman, RU.KGD lies up
# to ~400 m off the line where RU meets LT (DCW-GMT 2.1.1), while RU and LT match within 250 m. So a region's
# international border is found at country level, then carried onto the region's own boundary: the segments
# within 500 m of the country-level line. RU.ZAB's borders come out the same at 250 m and at 500 m.
REGION_TO_COUNTRY_TOLERANCE_M = 500.0
# Shorter pieces are places where the boundary passes near another unit, not a shared border.
BORDER_MIN_PIECE_M = 2000.0
# Candidates for neighbours are the units whose bounding box reaches within this of the focus's.
CANDIDATE_MARGIN_DEG = 0.1
DEFAULT_CONTEXT_MARGIN_KM = 250.0


@dataclass(frozen=True)
class Neighbour:
    """A unit touching the focus: DCW's unit, our names for it, and its geometry clipped and edge-shared."""

    unit: dcw.DcwUnit
    names: AreaNames
    country_name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Border:
    """The focus's land border with one country: the line and the units it was cut against."""

    country: str
    country_name: str
    line: BaseGeometry
    unit_codes: tuple[str, ...]


@dataclass(frozen=True)
class Geography:
    """Everything DCW-GMT gives the builders: the focus as written, neighbours, borders, projections."""

    focus: dcw.DcwUnit
    focus_names: AreaNames
    focus_geometry: BaseGeometry  # simplified and snapped to the output grid: what the layers measure against
    neighbours: tuple[Neighbour, ...]
    borders: tuple[Border, ...]
    projections: Projections
    dataset: dcw.DcwDataset
    country_names: dict[str, str]

    def provenance(self, codes: list[str] | tuple[str, ...]) -> str:
        """Name the dataset, its version and the units read, e.g. ``DCW-GMT 2.1.1 RU.KGD, RU, LT``."""
        return f"DCW-GMT {self.dataset.version} {', '.join(codes)}"

    def area_frame(self) -> gpd.GeoDataFrame:
        """The focus and its neighbours as drawn, for finding which one contains a point."""
        ids = [self.focus_names.id, *(n.names.id for n in self.neighbours)]
        shapes = [self.focus_geometry, *(n.geometry for n in self.neighbours)]
        return gpd.GeoDataFrame({"id": ids}, geometry=shapes, crs=GEOGRAPHIC_CRS)


def slug(text: str) -> str:
    """Return a lowercase id made from a name: 'Russian Federation' -> 'russian-federation'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _candidates(focus: dcw.DcwUnit, bounds: dict[str, tuple[float, float, float, float]]) -> list[str]:
    """Return the codes at the focus's level whose bounding boxes come near the focus's."""
    with_states = {code[:2] for code in bounds if "." in code}
    if focus.is_state:
        level = [c for c in bounds if "." in c or c not in with_states]
    else:
        level = [c for c in bounds if "." not in c]
    west, south, east, north = bounds[focus.code]
    near = [
        code
        for code in level
        if code not in (focus.code, focus.country)
        and bounds[code][0] <= east + CANDIDATE_MARGIN_DEG
        and bounds[code][2] >= west - CANDIDATE_MARGIN_DEG
        and bounds[code][1] <= north + CANDIDATE_MARGIN_DEG
        and bounds[code][3] >= south - CANDIDATE_MARGIN_DEG
    ]
    return sorted(near)


def _near_focus(focus: BaseGeometry) -> shapely.Polygon:
    """The focus's bounding box grown by the candidate margin: wider than any border tolerance."""
    return shapely.box(*shapely.bounds(focus)).buffer(CANDIDATE_MARGIN_DEG, join_style="mitre")


def _touching(focus: BaseGeometry, units: list[dcw.DcwUnit], projections: Projections) -> dict[str, BaseGeometry]:
    """Return, by code, each unit's stretch of the focus's boundary (empty units are not neighbours)."""
    box = _near_focus(focus)
    found = {}
    for unit in units:
        nearby = shapely.intersection(unit.geometry, box)
        if nearby.is_empty:
            continue
        line = shared_border(
            focus, nearby, tolerance_m=BORDER_TOLERANCE_M, min_piece_m=BORDER_MIN_PIECE_M, projections=projections
        )
        if not line.is_empty:
            found[unit.code] = line
    return found


def _names_for(
    case: Case, units: list[dcw.DcwUnit], path: str, problems: list[Problem]
) -> list[tuple[dcw.DcwUnit, AreaNames]]:
    """Pair each neighbour found with our names for it; a declared neighbour DCW-GMT does not show is an error."""
    declared = {area.dcw: area for area in case.neighbours}
    by_code = {unit.code: unit for unit in units}
    for area in case.neighbours:
        if area.dcw not in by_code:
            problems.append(
                Problem(
                    path,
                    area.line,
                    area.id,
                    "dcw",
                    f"a unit whose boundary runs along {case.focus.dcw} in DCW-GMT (found: {', '.join(by_code)})",
                    area.dcw,
                )
            )
    ordered = [by_code[a.dcw] for a in case.neighbours if a.dcw in by_code]
    ordered += [unit for unit in units if unit.code not in declared]
    return [
        (unit, declared.get(unit.code) or AreaNames(unit.code, slug(unit.name), unit.name, "", "", (), 0))
        for unit in ordered
    ]


def read_geography(case: Case, dcw_path: Path, problems: list[Problem]) -> Geography:
    """Read the focus and find its neighbours and borders in DCW-GMT; append problems with the case file."""
    dataset = dcw.read_dcw_metadata(dcw_path)
    (focus,) = dcw.read_units(dcw_path, [case.focus.dcw])
    projections = projections_for(focus.geometry)
    focus_frame = gpd.GeoDataFrame({"id": [case.focus.id]}, geometry=[focus.geometry], crs=GEOGRAPHIC_CRS)
    focus_simple = simplify(focus_frame, tolerance_m=SIMPLIFY_TOLERANCE_M, projections=projections).geometry.iloc[0]

    candidates = dcw.read_units(dcw_path, _candidates(focus, dcw.unit_bounds(dcw_path)))
    stretches = _touching(focus_simple, candidates, projections)
    touching = [unit for unit in candidates if unit.code in stretches]
    names = {**dcw.unit_names(dcw_path), **case.country_names}
    paired = _names_for(case, touching, str(case.path), problems)
    neighbours = _neighbours(case, focus_simple, paired, names, projections)
    borders = _borders(focus, focus_simple, paired, names, projections, dcw_path)
    return Geography(
        focus=focus,
        focus_names=case.focus,
        focus_geometry=normalise_geometry(focus_simple),
        neighbours=neighbours,
        borders=borders,
        projections=projections,
        dataset=dataset,
        country_names=names,
    )


def _context_margin_km(case: Case) -> float:
    margins = [layer.number("margin_km") for layer in case.layers if layer.builder == "neighbours"]
    return margins[0] if margins else DEFAULT_CONTEXT_MARGIN_KM


def _neighbours(
    case: Case,
    focus: BaseGeometry,
    paired: list[tuple[dcw.DcwUnit, AreaNames]],
    names: dict[str, str],
    projections: Projections,
) -> tuple[Neighbour, ...]:
    """Clip the neighbours to the focus's extent plus the margin, simplify them, and share the focus's edge."""
    if not paired:
        return ()
    extent = extent_around(focus, margin_km=_context_margin_km(case))
    frame = gpd.GeoDataFrame(
        {"id": [names_.id for _, names_ in paired]}, geometry=[unit.geometry for unit, _ in paired], crs=GEOGRAPHIC_CRS
    )
    frame = clip_to_extent(frame, extent=extent)
    frame = simplify(frame, tolerance_m=SIMPLIFY_TOLERANCE_M, projections=projections)
    frame = share_edges_with(focus, frame, snap_m=BORDER_TOLERANCE_M, projections=projections)
    return tuple(
        Neighbour(unit, area, names.get(unit.country, unit.country), geometry)
        for (unit, area), geometry in zip(paired, frame.geometry, strict=True)
    )


def _borders(
    focus: dcw.DcwUnit,
    focus_simple: BaseGeometry,
    paired: list[tuple[dcw.DcwUnit, AreaNames]],
    names: dict[str, str],
    projections: Projections,
    dcw_path: Path,
) -> tuple[Border, ...]:
    """One line per neighbouring country (not the focus's own): the focus's boundary along its units.

    For a region, the line is judged where the region's country meets the neighbour (see
    REGION_TO_COUNTRY_TOLERANCE_M), so the provenance names the country's unit too.
    """
    box = _near_focus(focus_simple)
    by_country: dict[str, list[dcw.DcwUnit]] = {}
    for unit, _ in paired:
        if unit.country != focus.country:
            by_country.setdefault(unit.country, []).append(unit)
    if not by_country:
        return ()
    country = dcw.read_units(dcw_path, [focus.country])[0] if focus.is_state else None
    borders = []
    for code in sorted(by_country):
        units = by_country[code]
        side = shapely.intersection(shapely.union_all([u.geometry for u in units]), box)
        line = _border_line(focus_simple, side, country, box, projections)
        codes = (focus.code, *([country.code] if country else []), *(u.code for u in units))
        borders.append(Border(code, names.get(code, code), line, codes))
    return tuple(borders)


def _border_line(
    focus: BaseGeometry,
    side: BaseGeometry,
    country: dcw.DcwUnit | None,
    box: BaseGeometry,
    projections: Projections,
) -> BaseGeometry:
    """The focus's boundary along ``side``; via the country-level line when the focus is a region."""

    def along(core: BaseGeometry, neighbour: BaseGeometry, tolerance_m: float) -> BaseGeometry:
        return shared_border(
            core, neighbour, tolerance_m=tolerance_m, min_piece_m=BORDER_MIN_PIECE_M, projections=projections
        )

    if country is None:
        return along(focus, side, BORDER_TOLERANCE_M)
    country_part = shapely.intersection(country.geometry, box)
    reference = along(country_part, side, BORDER_TOLERANCE_M)
    if reference.is_empty:
        return reference
    return along(focus, reference, REGION_TO_COUNTRY_TOLERANCE_M)
