"""Settlement and depot layers: GeoNames places by id, and circles of a cited radius around depot anchors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import shapely

from geo.casefile.builders import REMAINING
from geo.casefile.case import LayerRecord
from geo.common.errors import Problem, show_value
from geo.derive import geonames
from geo.derive.crs import GEOGRAPHIC_CRS
from geo.derive.geography import slug
from geo.derive.geometry import area_km2, circles, containing_area
from geo.derive.inputs import Inputs, frame, rounded


@dataclass(frozen=True)
class Wanted:
    """A settlement a layer asks for: our id, its GeoNames id, what we say about it, and where it was written."""

    id: str
    geonameid: int
    note: str
    name_ru: str
    name_zh: str
    roles: list[dict[str, Any]]
    file: str
    line: int


def _from_places(inputs: Inputs, ids: set[str] | None) -> list[Wanted]:
    return [
        Wanted(
            p.id,
            p.geonameid,
            p.note,
            p.name_ru,
            p.name_zh,
            [
                {"role": r.role, "sources": [{"id": c.source, "confirms": c.confirms} for c in r.sources]}
                for r in p.roles
            ],
            inputs.places_path,
            p.line,
        )
        for p in inputs.places
        if (p.id in ids if ids is not None else p.id not in inputs.listed)
    ]


def _depot_anchors(inputs: Inputs) -> list[Wanted]:
    """Depot anchors that places.yaml does not list, each once."""
    listed = {p.geonameid for p in inputs.places}
    found = []
    for depot in inputs.depots:
        if depot.anchor_geonameid not in listed:
            listed.add(depot.anchor_geonameid)
            found.append(
                Wanted(
                    slug(depot.anchor_name),
                    depot.anchor_geonameid,
                    f"anchor of {depot.id}",
                    "",
                    "",
                    [],
                    inputs.depots_path,
                    depot.line,
                )
            )
    return found


def _wanted(record: LayerRecord, inputs: Inputs) -> list[Wanted]:
    places = record.params["places"]
    if places == REMAINING:
        wanted = _from_places(inputs, None)
    else:
        ids = set(record.strings("places"))
        unknown = sorted(ids - {p.id for p in inputs.places})
        for place_id in unknown:
            inputs.problems.append(
                Problem(inputs.case_path, record.line, record.key, "params.places", "ids of places.yaml", place_id)
            )
        wanted = _from_places(inputs, ids)
    return wanted + (_depot_anchors(inputs) if record.params.get("depot_anchors") else [])


def _check_name_picks(want: Wanted, problems: list[Problem]) -> None:
    alternates = set(geonames.alternate_names(want.geonameid))
    for field, pick in (("name_ru", want.name_ru), ("name_zh", want.name_zh)):
        if pick and pick not in alternates:
            problems.append(
                Problem(
                    want.file,
                    want.line,
                    want.id,
                    field,
                    "one of the place's GeoNames alternate names",
                    show_value(pick),
                )
            )


def _resolve(wanted: list[Wanted], problems: list[Problem]) -> tuple[list[dict[str, Any]], list[shapely.Point]]:
    rows, points = [], []
    for want in wanted:
        try:
            town = geonames.settlement(want.geonameid)
        except geonames.UnknownGeonameIdError:
            expected = "a geonameid in GeoNames cities500 (look it up on geonames.org)"
            problems.append(Problem(want.file, want.line, want.id, "geonameid", expected, str(want.geonameid)))
            continue
        _check_name_picks(want, problems)
        rows.append(
            {
                "id": want.id,
                "name": town.name,
                "name_ru": want.name_ru or town.name_ru,
                "name_zh": want.name_zh or town.name_zh,
                "geonameid": town.geonameid,
                "population": town.population,
                "country": town.country,
                "region": "",
                "note": want.note,
                "roles": want.roles,
                "source": f"GeoNames {town.geonameid}",
            }
        )
        points.append(shapely.Point(town.longitude, town.latitude))
    return rows, points


def build(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """The settlements a layer lists, with the area (focus or neighbour) each lies in."""
    rows, points = _resolve(_wanted(record, inputs), inputs.problems)
    if rows:
        regions = containing_area(gpd.GeoSeries(points, crs=GEOGRAPHIC_CRS), inputs.geography.area_frame())
        for row, region in zip(rows, regions, strict=True):
            row["region"] = region
    return frame(rows, points)


def build_depots(inputs: Inputs) -> gpd.GeoDataFrame:
    """Circles of each depot's radius around its anchor; the anchor's name must be its GeoNames name."""
    anchors: dict[int, shapely.Point] = {}
    for depot in inputs.depots:
        try:
            town = geonames.settlement(depot.anchor_geonameid)
        except geonames.UnknownGeonameIdError:
            expected = "a geonameid in GeoNames cities500 (look it up on geonames.org)"
            problems = inputs.problems
            problems.append(
                Problem(
                    inputs.depots_path, depot.line, depot.id, "anchor.geonameid", expected, str(depot.anchor_geonameid)
                )
            )
            continue
        if depot.anchor_name != town.name and depot.anchor_name not in geonames.alternate_names(town.geonameid):
            inputs.problems.append(
                Problem(
                    inputs.depots_path,
                    depot.line,
                    depot.id,
                    "anchor.name",
                    f"the GeoNames name of {depot.anchor_geonameid} ({town.name})",
                    show_value(depot.anchor_name),
                )
            )
        anchors[depot.anchor_geonameid] = shapely.Point(town.longitude, town.latitude)
    depots = [d for d in inputs.depots if d.anchor_geonameid in anchors]
    rows = [
        {
            "id": d.id,
            "name": d.name,
            "anchor_geonameid": d.anchor_geonameid,
            "anchor_name": d.anchor_name,
            "radius_km": d.radius_km,
            "area_km2": 0.0,
            "confidence": d.confidence,
            "known": d.known,
            "unknown": d.unknown,
            "size_reason": d.size_reason,
            "sources": [{"id": c.source, "confirms": c.confirms} for c in d.sources],
            "source": f"circle of {d.radius_km:g} km around GeoNames {d.anchor_geonameid}",
        }
        for d in depots
    ]
    projections = inputs.geography.projections
    shapes = circles(
        gpd.GeoSeries([anchors[d.anchor_geonameid] for d in depots], crs=GEOGRAPHIC_CRS),
        radius_km=[d.radius_km for d in depots],
        projections=projections,
    )
    out = frame(rows, list(shapes))
    out["area_km2"] = [rounded(v) for v in area_km2(out.geometry, projections=projections)]
    return out
