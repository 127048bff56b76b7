"""One builder per layer kind: a case's layer record and the geography in, a GeoDataFrame out.

Each builder makes exactly the properties geo.casefile.builders declares for it, in that order; the
features' ids and names come from the case file or from DCW-GMT, never from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.casefile.case import LayerRecord
from geo.common.errors import Problem
from geo.derive import context, settlements
from geo.derive.crs import GEOGRAPHIC_CRS
from geo.derive.geography import SIMPLIFY_TOLERANCE_M, Border, Geography, slug
from geo.derive.geometry import area_km2, distance_bands, gap_m, junction, length_km
from geo.derive.inputs import Inputs, frame, rounded

# Two borders whose lines come this close meet at a junction (a tripoint). Each line stops where the focus's
# boundary leaves that neighbour (segments judged within 250 m, geo.derive.geography), and DCW-GMT's stated
# accuracy is about 2 km at 1:1,000,000, so the two ends may lie up to ~2 x 2 km apart; RU.ZAB's lines with
# CN and MN end 2.0 km apart. Borders that do not meet (on two sides of a sea) lie tens of km apart or more.
JUNCTION_MAX_GAP_M = 5000.0


def _number(value: float) -> int | float:
    """Whole numbers as int (50, not 50.0), so property values read as the case file wrote them."""
    return int(value) if float(value).is_integer() else float(value)


def build_focus(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """The focus area's polygon, with its area in km²."""
    geo = inputs.geography
    names, note = geo.focus_names, f" ({'; '.join(geo.focus.fixes)})" if geo.focus.fixes else ""
    row = {
        "id": names.id,
        "name": names.name,
        "name_ru": names.name_ru,
        "name_zh": names.name_zh,
        "aliases": list(names.aliases),
        "area_km2": 0.0,
        "source": geo.provenance([geo.focus.code]) + note,
    }
    out = frame([row], [geo.focus_geometry])
    out["area_km2"] = [rounded(v) for v in area_km2(out.geometry, projections=geo.projections)]
    return out


def border_id(border: Border) -> str:
    return f"border-{slug(border.country_name)}"


def _junctions(geo: Geography) -> tuple[list[dict[str, Any]], list[BaseGeometry]]:
    rows: list[dict[str, Any]] = []
    points: list[BaseGeometry] = []
    borders = [b for b in geo.borders if not b.line.is_empty]
    for i, first in enumerate(borders):
        for second in borders[i + 1 :]:
            if gap_m(first.line, second.line, projections=geo.projections) > JUNCTION_MAX_GAP_M:
                continue
            countries = (geo.focus.country, first.country, second.country)
            names = [geo.country_names.get(code, code) for code in countries]
            rows.append(
                {
                    "id": "junction-" + "-".join(code.lower() for code in countries),
                    "name": "–".join(names) + " junction",
                    "kind": "junction",
                    "length_km": None,
                    "source": f"derived: where the borders with {names[1]} and {names[2]} meet",
                }
            )
            points.append(junction(first.line, second.line, projections=geo.projections))
    return rows, points


def build_borders(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """The focus's land border with each neighbouring country, one line each with its geodesic length."""
    geo = inputs.geography
    borders = [b for b in geo.borders if not b.line.is_empty]
    rows: list[dict[str, Any]] = [
        {
            "id": border_id(border),
            "name": f"Border with {border.country_name}",
            "kind": "border",
            "length_km": 0.0,
            "source": "derived from " + geo.provenance(border.unit_codes),
        }
        for border in borders
    ]
    lines = [border.line for border in borders]
    junction_rows, points = _junctions(geo) if record.params.get("junctions") else ([], [])
    out = frame(rows + junction_rows, lines + points)
    lengths = [rounded(v) for v in length_km(out.geometry.head(len(lines)))]
    out["length_km"] = lengths + [None] * len(points)
    return out


def build_neighbours(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """The units touching the focus, clipped to its extent plus a margin, with their country and side."""
    geo = inputs.geography
    rows = [
        {
            "id": n.names.id,
            "name": n.names.name,
            "name_ru": n.names.name_ru,
            "name_zh": n.names.name_zh,
            "aliases": list(n.names.aliases),
            "country": n.unit.country,
            "side": f"{slug(n.country_name)}-side",
            "source": f"{geo.provenance([n.unit.code])}, clipped",
        }
        for n in geo.neighbours
    ]
    return frame(rows, [n.geometry for n in geo.neighbours])


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def build_bands(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """The parts of the focus within each distance of its borders with the countries named (cumulative)."""
    geo = inputs.geography
    wanted = record.strings("border_with")
    borders = [b for b in geo.borders if b.country in wanted and not b.line.is_empty]
    missing = sorted(set(wanted) - {b.country for b in borders})
    if missing:
        found = ", ".join(b.country for b in geo.borders) or "none"
        inputs.problems.append(
            Problem(
                inputs.case_path,
                record.line,
                record.key,
                "params.border_with",
                f"countries the focus has a land border with ({found})",
                ", ".join(missing),
            )
        )
        return frame([], [])
    names = [b.country_name for b in borders]
    label = str(record.params.get("border_label") or f"the border{'s' if len(names) > 1 else ''} with {_joined(names)}")
    codes = tuple(dict.fromkeys(code for b in borders for code in b.unit_codes))
    distances = list(record.numbers("distances_km"))
    shapes = distance_bands(
        geo.focus_geometry,
        shapely.union_all([b.line for b in borders]) if len(borders) > 1 else borders[0].line,
        distances_km=distances,
        projections=geo.projections,
        tolerance_m=SIMPLIFY_TOLERANCE_M,
    )
    rows = [
        {
            "id": f"band-{_number(d)}km",
            "name": f"Within {_number(d)} km of {label}",
            "distance_km": _number(d),
            "area_km2": 0.0,
            "share_of_focus_pct": 0.0,
            "source": f"derived: focus area ∩ buffer of {label} ({geo.provenance(codes)})",
        }
        for d in distances
    ]
    out = frame(rows, list(shapes))
    focus_area = area_km2(gpd.GeoSeries([geo.focus_geometry], crs=GEOGRAPHIC_CRS), projections=geo.projections)[0]
    band_areas = area_km2(out.geometry, projections=geo.projections)
    out["area_km2"] = [rounded(v) for v in band_areas]
    out["share_of_focus_pct"] = [rounded(100 * v / rounded(focus_area)) for v in band_areas]
    return out


def build_settlements(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """Settlements from GeoNames by the place ids the record lists (or the remaining ones)."""
    return settlements.build(record, inputs)


def build_depots(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """Circles of a cited radius around each depot's anchor settlement."""
    return settlements.build_depots(inputs)


BUILD: dict[str, Callable[[LayerRecord, Inputs], gpd.GeoDataFrame]] = {
    "focus": build_focus,
    "borders": build_borders,
    "neighbours": build_neighbours,
    "bands": build_bands,
    "settlements": build_settlements,
    "depots": build_depots,
    "rivers": context.build_rivers,
    "lakes": context.build_lakes,
    "countries": context.build_countries,
}
