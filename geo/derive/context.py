"""Context layers: rivers and lakes from GSHHG, and the countries around everything a case shows (DCW-GMT).

They orient a reader, they are not evidence: each is clipped to the extent the case needs and simplified
for the map's zoom range. Nothing here names a place; ids come from the data (class numbers, DCW codes).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.casefile.case import LayerRecord
from geo.common.errors import Problem
from geo.derive import dcw, geonames, gshhg
from geo.derive.crs import GEOGRAPHIC_CRS
from geo.derive.geojson_text import decimals_for
from geo.derive.geometry import extent_around, simplify
from geo.derive.inputs import Inputs, frame

# GMT's names for WDBII's river classes (`gmt coast -I`), shown as each feature's name.
RIVER_CLASS_NAMES = {
    1: "permanent major rivers",
    2: "additional major rivers",
    3: "additional rivers",
    4: "minor rivers",
}


def _parts(shape: BaseGeometry, kinds: tuple[str, ...]) -> BaseGeometry:
    """Only the parts of a clipped shape of the layer's kind: clipping a polygon along a box edge can leave
    lines or points where the outline runs on the edge, and a layer holds one kind."""
    # Twice: a repaired shape may be a collection holding a multipolygon (two levels of parts).
    parts = [part for part in shapely.get_parts(shapely.get_parts(shape)) if part.geom_type in kinds]
    if kinds[0] == "Polygon":
        return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]
    return shapely.MultiLineString(parts) if len(parts) != 1 else parts[0]


def _simplified(shapes: list[BaseGeometry], tolerance_m: float, inputs: Inputs) -> list[BaseGeometry]:
    """Simplify in metres (the focus-centred projection), preserving topology; empty shapes stay empty."""
    if not shapes:
        return []
    kinds = [("Polygon",) if shape.geom_type.endswith("Polygon") else ("LineString",) for shape in shapes]
    shapes_frame = gpd.GeoDataFrame(geometry=shapes, crs=GEOGRAPHIC_CRS)
    out = simplify(shapes_frame, tolerance_m=tolerance_m, projections=inputs.geography.projections)
    # Simplified in metres and brought back to degrees, a coarse outline can touch itself; snapped to the
    # layer's output grid (geojson_text.decimals_for), it can again: repaired on the grid, so what is written is valid.
    grid = 10.0 ** -decimals_for(tolerance_m)
    snapped = [shapely.set_precision(shapely.make_valid(shape), grid, mode="pointwise") for shape in out.geometry]
    return [_parts(shapely.make_valid(shape), kind) for shape, kind in zip(snapped, kinds, strict=True)]


def _dataset(inputs: Inputs) -> gshhg.GshhgDataset:
    if inputs.gshhg is None:  # the pipeline reads GSHHG whenever a layer's builder needs it
        raise ValueError("a GSHHG layer was built without GSHHG read")
    return inputs.gshhg


def _river_classes(record: LayerRecord, inputs: Inputs) -> list[int]:
    classes = record.numbers("classes")
    if all(value.is_integer() for value in classes):
        return [int(value) for value in classes]
    found = ", ".join(f"{value:g}" for value in classes)
    inputs.problems.append(
        Problem(inputs.case_path, record.line, record.key, "params.classes", "whole class numbers (1-4)", found)
    )
    return []


def build_rivers(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """One feature per WDBII class: the class's rivers, joined across GSHHG's bins, clipped and simplified."""
    data = _dataset(inputs)
    extent = extent_around(inputs.geography.focus_geometry, margin_km=record.number("margin_km"))
    rows: list[dict[str, Any]] = []
    lines: list[BaseGeometry] = []
    for river_class in _river_classes(record, inputs):
        line = _parts(gshhg.river_lines(data.folder, extent, river_class), ("LineString",))
        if line.is_empty:
            continue
        rows.append(
            {
                "id": f"rivers-class-{river_class}",
                "name": f"Rivers: {RIVER_CLASS_NAMES[river_class]} (WDBII class {river_class})",
                "river_class": river_class,
                "source": f"GSHHG {data.version} WDBII rivers, class {river_class}, read with GMT {data.gmt_version}",
            }
        )
        lines.append(line)
    return frame(rows, _simplified(lines, record.number("tolerance_m"), inputs))


def build_lakes(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """The GSHHS lakes of at least a given area, as one (multi)polygon, clipped and simplified."""
    data = _dataset(inputs)
    extent = extent_around(inputs.geography.focus_geometry, margin_km=record.number("margin_km"))
    min_area = record.number("min_area_km2")
    lakes = [_parts(lake, ("Polygon",)) for lake in gshhg.lake_polygons(data.folder, extent, min_area)]
    if not lakes:
        return frame([], [])
    row = {
        "id": "lakes",
        "name": f"Lakes of {min_area:g} km² or more",
        "lake_count": len(lakes),
        "source": f"GSHHG {data.version} GSHHS shorelines, level 2 (lakes), read with GMT {data.gmt_version}",
    }
    (shape,) = _simplified([_parts(shapely.union_all(lakes), ("Polygon",))], record.number("tolerance_m"), inputs)
    return frame([row], [shape])


def _place_points(inputs: Inputs) -> list[BaseGeometry]:
    """Where the case's places lie (GeoNames); an unknown id is reported by the settlements layer, with its line."""
    points: list[BaseGeometry] = []
    for place in inputs.places:
        try:
            found = geonames.settlement(place.geonameid)
        except geonames.UnknownGeonameIdError:
            continue
        points.append(shapely.Point(found.longitude, found.latitude))
    return points


def countries_extent(record: LayerRecord, inputs: Inputs) -> shapely.Polygon:
    """The box around the focus and every place in places.yaml, grown by the layer's margin."""
    reach = shapely.union_all([inputs.geography.focus_geometry, *_place_points(inputs)])
    return extent_around(reach, margin_km=record.number("margin_km"))


def build_countries(record: LayerRecord, inputs: Inputs) -> gpd.GeoDataFrame:
    """Every DCW-GMT country whose box meets the extent, clipped to it and simplified, in code order."""
    geo = inputs.geography
    extent = countries_extent(record, inputs)
    west, south, east, north = extent.bounds
    bounds = dcw.unit_bounds(geo.dataset.path)
    codes = sorted(
        code
        for code, (w, s, e, n) in bounds.items()
        if "." not in code and w <= east and e >= west and s <= north and n >= south
    )
    # Thinned at a tenth of the tolerance before assembly (a degree of latitude is ~111 km): no outline moves
    # by more than the simplification below allows, and a whole-country read takes seconds, not minutes.
    thinning_deg = record.number("tolerance_m") / 10 / 111_000
    outlines = dcw.read_outlines(geo.dataset.path, codes, extent.bounds, thinning_deg)
    units = [unit for unit in outlines if unit.geometry.intersects(extent)]
    rows = [
        {
            "id": f"country-{unit.code.lower()}",
            "name": geo.country_names.get(unit.code, unit.name),
            "country": unit.code,
            "source": f"{geo.provenance([unit.code])}, clipped and simplified",
        }
        for unit in units
    ]
    clipped = [_parts(shapely.intersection(unit.geometry, extent), ("Polygon",)) for unit in units]
    return frame(rows, _simplified(clipped, record.number("tolerance_m"), inputs))
