"""Load everything the map shows from data/ and cross-check it: layers, manifest, sources and events.

Building the map reads only committed files (never the raw datasets). Every problem in every file is
collected and reported at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

from geo import casedata, safejson
from geo.casedata import CaseData, PlaceIndex
from geo.errors import DataValidationError, Problem, show_value
from geo.geojson import Layer, _line_of, read_layer
from geo.safefiles import read_text

LAYER_NAMES = ("context", "bands", "krai", "depots", "borders", "places", "chita")
POINT_LAYERS = ("places", "chita")
AREA_LAYERS = ("krai", "context", "depots", "bands", "borders")
# An event known only "along the border" is drawn as the border line: an extent, never a pin.
AREA_TYPES = {"Polygon", "MultiPolygon", "LineString", "MultiLineString"}


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, validated."""

    layers: dict[str, Layer]
    manifest: dict[str, Any]
    case: CaseData


def _manifest(path: Path, problems: list[Problem]) -> dict[str, Any]:
    text = read_text(path, problems)
    if text is None:
        return {}
    try:
        manifest = safejson.loads(text)
    except safejson.JsonRefused as error:
        problems.append(Problem(str(path), error.line, "", "", "plain JSON (no NaN, no deep nesting)", str(error)))
        return {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("layers"), dict):
        problems.append(Problem(str(path), 1, "", "layers", "a manifest with a 'layers' mapping", "something else"))
        return {}
    # The page's method panel reads these; a wrong type used to end in a traceback while rendering.
    shapes = {"command": str, "datasets": dict}
    wrong = [(key, kind) for key, kind in shapes.items() if key in manifest and not isinstance(manifest[key], kind)]
    wrong += [(f"layers.{name}", dict) for name, entry in manifest["layers"].items() if not isinstance(entry, dict)]
    datasets = manifest.get("datasets")
    if isinstance(datasets, dict):
        wrong += [(f"datasets.{name}", dict) for name, entry in datasets.items() if not isinstance(entry, dict)]
    for field, kind in wrong:
        what = "a text" if kind is str else "a mapping {...}"
        problems.append(Problem(str(path), 0, "", field, what, "another type (run `python build_map.py regenerate`)"))
    return {} if wrong else manifest


def _check_against_manifest(layer: Layer, entry: Any, manifest_path: Path, problems: list[Problem]) -> None:
    """A committed layer must be the file the manifest describes: edited layers are regenerated, not patched."""
    if not isinstance(entry, dict):
        problems.append(Problem(str(manifest_path), 0, layer.name, "layers", "an entry for this layer", "none"))
        return
    actual = hashlib.sha256(layer.text.encode("utf-8")).hexdigest()
    if entry.get("sha256") != actual:
        problems.append(
            Problem(
                str(layer.path),
                0,
                layer.name,
                "sha256",
                f"the checksum in {manifest_path.name} (run `python build_map.py regenerate`)",
                "a file that differs from it",
            )
        )
    if entry.get("feature_count") != len(layer.features):
        problems.append(
            Problem(
                str(layer.path),
                0,
                layer.name,
                "features",
                f"{show_value(entry.get('feature_count'))} features as the manifest says",
                str(len(layer.features)),
            )
        )


def _check_points_in_regions(layers: dict[str, Layer], problems: list[Problem]) -> None:
    """A point must lie in the region it names: catches swapped latitude and longitude."""
    areas = {
        feature["id"]: geometry
        for name in AREA_LAYERS
        if name in layers
        for feature, geometry in zip(layers[name].features, layers[name].geometries, strict=True)
        if geometry.geom_type in ("Polygon", "MultiPolygon")
    }
    for name in POINT_LAYERS:
        if name not in layers:
            continue
        layer = layers[name]
        for feature, geometry in zip(layer.features, layer.geometries, strict=True):
            region = feature["properties"].get("region")
            if isinstance(region, str) and region in areas and not areas[region].buffer(0.01).contains(geometry):
                # A place may be any geometry type the layer reader allows, not only a Point: name a point on it.
                point = geometry.representative_point()
                x, y = point.x, point.y
                problems.append(
                    Problem(
                        str(layer.path),
                        _line_of(layer.text, feature["id"], 0),
                        feature["id"],
                        "geometry",
                        f"a point inside its region {region} (are longitude and latitude swapped?)",
                        f"[{x}, {y}]",
                    )
                )


def place_index(layers: dict[str, Layer]) -> PlaceIndex:
    points = {f["id"] for name in POINT_LAYERS if name in layers for f in layers[name].features}
    areas = {
        f["id"]
        for name in AREA_LAYERS
        if name in layers
        for f, g in zip(layers[name].features, layers[name].geometries, strict=True)
        if g.geom_type in AREA_TYPES
    }
    return PlaceIndex(points=frozenset(points), areas=frozenset(areas))


def _layer_citations(layers: dict[str, Layer], sources: dict[str, casedata.Source], problems: list[Problem]) -> None:
    """Sources cited inside layers (depot regions, Chita's roles) must be in the bibliography."""
    for layer in layers.values():
        for feature in layer.features:
            props = feature["properties"]
            cited = list(props.get("sources") or [])
            for role in props.get("roles") or []:
                cited += role.get("sources") or [] if isinstance(role, dict) else []
            for citation in cited:
                source_id = citation.get("id") if isinstance(citation, dict) else citation
                if source_id not in sources:
                    problems.append(
                        Problem(
                            str(layer.path),
                            0,
                            feature["id"],
                            "sources[].id",
                            "an id from sources.yaml",
                            show_value(source_id),
                        )
                    )


def events_path(data_dir: Path, problems: list[Problem]) -> Path:
    """events.yaml (written by hand) or events.jsonl (bulk, machine-made); never both."""
    yaml_path, jsonl_path = data_dir / "events.yaml", data_dir / "events.jsonl"
    if yaml_path.exists() and jsonl_path.exists():
        problems.append(
            Problem(str(jsonl_path), 0, "", "", f"one events file: remove {yaml_path.name} or this one", "both")
        )
    return jsonl_path if jsonl_path.exists() else yaml_path


def load_site(data_dir: Path, *, article: str | None) -> Site:
    """Load and validate every committed file the map is built from."""
    problems: list[Problem] = []
    manifest_path = data_dir / "manifest.json"
    manifest = _manifest(manifest_path, problems)
    layers: dict[str, Layer] = {}
    for name in LAYER_NAMES:
        path = data_dir / "layers" / f"{name}.geojson"
        layer = read_layer(path, problems, within=data_dir)
        if layer is not None:
            layers[name] = layer
            if manifest:
                _check_against_manifest(layer, manifest["layers"].get(name), manifest_path, problems)
    _check_points_in_regions(layers, problems)
    try:
        case = casedata.load_case(
            events_path=events_path(data_dir, problems),
            sources_path=data_dir / "sources.yaml",
            index=place_index(layers),
            article=article,
        )
    except DataValidationError as error:
        problems.extend(error.problems)
        raise DataValidationError(problems) from None
    _layer_citations(layers, case.sources, problems)
    if problems:
        raise DataValidationError(problems)
    return Site(layers=layers, manifest=manifest, case=case)


def centroid_lat_lon(geometry: shapely.Geometry) -> tuple[float, float]:
    point = geometry.representative_point() if geometry.geom_type in AREA_TYPES else geometry.centroid
    return round(point.y, 4), round(point.x, 4)
