"""Load everything the map shows from a case folder and cross-check it: case records, layers, manifest, events.

Building the map reads only committed files (never the raw datasets). Every problem in every file is
collected and reported at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.casefile import bulk, casedata
from geo.casefile.case import Case, read_case
from geo.casefile.casedata import CaseData
from geo.casefile.claims import ArticleSentence, check_coverage, check_references, parse_claims_table
from geo.casefile.corrections import Correction, check_records, parse_corrections
from geo.casefile.events import PlaceIndex
from geo.casefile.records import Source
from geo.casefile.story import STORY_FILE, Story, check_story, parse_story
from geo.casefile.translations import ContentTranslation, check_translation, read_translations
from geo.common import safejson
from geo.common.errors import DataValidationError, Problem, show_value
from geo.common.geojson import Layer, _line_of, read_layer
from geo.common.safefiles import read_text
from geo.page.content import originals

# An event known only "along the border" is drawn as the border line: an extent, never a pin.
AREA_TYPES = {"Polygon", "MultiPolygon", "LineString", "MultiLineString"}


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, validated."""

    records: Case
    layers: dict[str, Layer]
    manifest: dict[str, Any]
    case: CaseData
    sentences: list[ArticleSentence]
    corrections: list[Correction]
    folder: Path  # the case folder, for the cite-this-map digest (geo.export.cite)
    story: Story | None = None
    translations: dict[str, ContentTranslation] = dataclasses.field(default_factory=dict)  # by language (ru, zh)


def _manifest(path: Path, problems: list[Problem], *, keys: tuple[str, ...]) -> dict[str, Any]:
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
    before = len(problems)
    _check_manifest_shape(manifest, str(path), text, problems, keys=keys)
    return manifest if len(problems) == before else {}


def _key_line(text: str, key: str) -> int:
    """The line a JSON key first appears on (0 when it cannot be found)."""
    index = text.find(json.dumps(key, ensure_ascii=False) + ":")
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def _is_text_mapping(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())


def layer_keys(records: Case) -> tuple[str, ...]:
    """The case's layer keys in drawing order (case.yaml ``layers``)."""
    return tuple(layer.key for layer in records.layers)


def _keys_of_kind(records: Case, *kinds: str) -> tuple[str, ...]:
    return tuple(layer.key for layer in records.layers if layer.kind in kinds)


def _check_manifest_shape(
    manifest: dict[str, Any], name: str, text: str, problems: list[Problem], *, keys: tuple[str, ...]
) -> None:
    """The manifest values the page shows (its method panel) must have the shapes the page expects."""

    def problem(key: str, record: str, field: str, expected: str, found: Any) -> None:
        problems.append(Problem(name, _key_line(text, key), record, field, expected, show_value(found)))

    if not isinstance(manifest.get("command", ""), str):
        problem("command", "", "command", "a text", manifest["command"])
    datasets = manifest.get("datasets", {})
    if not isinstance(datasets, dict) or not all(_is_text_mapping(d) for d in datasets.values()):
        problem("datasets", "", "datasets", "a mapping of dataset names to mappings of texts", datasets)
    for key, entry in manifest["layers"].items():
        if key not in keys:
            problem(key, "", "layers", f"an entry for one of the layers {', '.join(keys)}", key)
            continue
        if not isinstance(entry, dict):
            problem(key, key, "layers", "a mapping describing the layer", entry)
            continue
        for field in ("title", "licence", "attribution", "sha256"):
            if not isinstance(entry.get(field), str):
                problem(key, key, field, "a text", entry.get(field))
        count = entry.get("feature_count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            problem(key, key, "feature_count", "a whole number of features", count)
        if not _is_text_mapping(entry.get("inputs")):
            problem(key, key, "inputs", "a mapping of input files to their sha256", entry.get("inputs"))


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


def _check_points_in_regions(records: Case, layers: dict[str, Layer], problems: list[Problem]) -> None:
    """A point must lie in the region it names: catches swapped latitude and longitude."""
    areas = {
        feature["id"]: geometry
        for name in _keys_of_kind(records, "area", "line")
        if name in layers
        for feature, geometry in zip(layers[name].features, layers[name].geometries, strict=True)
        if geometry.geom_type in ("Polygon", "MultiPolygon")
    }
    # Each region is widened once, not once per place in it: a region's outline has thousands of vertices, and 79
    # places took 0.25 s widening them one by one (the benchmark's case, 27 November).
    widened: dict[str, BaseGeometry] = {}
    for name in _keys_of_kind(records, "point"):
        if name not in layers:
            continue
        layer = layers[name]
        for feature, geometry in zip(layer.features, layer.geometries, strict=True):
            region = feature["properties"].get("region")
            if not isinstance(region, str) or region not in areas:
                continue
            if region not in widened:
                widened[region] = areas[region].buffer(0.01)
            if not widened[region].contains(geometry):
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


def place_index(records: Case, layers: dict[str, Layer]) -> PlaceIndex:
    """What events may point at: the features of point layers, and the areas and lines of the others."""
    points = {f["id"] for name in _keys_of_kind(records, "point") if name in layers for f in layers[name].features}
    areas = {
        f["id"]
        for name in _keys_of_kind(records, "area", "line")
        if name in layers
        for f, g in zip(layers[name].features, layers[name].geometries, strict=True)
        if g.geom_type in AREA_TYPES
    }
    return PlaceIndex(points=frozenset(points), areas=frozenset(areas))


def _layer_citations(layers: dict[str, Layer], sources: dict[str, Source], problems: list[Problem]) -> None:
    """Sources cited inside layers (depot regions, a settlement's roles) must be in the bibliography."""
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
    """events.yaml (written by hand), or one bulk file: events.jsonl, events.csv or events.parquet; never two."""
    present = [data_dir / name for name in bulk.EVENT_FILES if (data_dir / name).exists()]
    if len(present) > 1:
        names = ", ".join(path.name for path in present)
        problems.append(Problem(str(present[-1]), 0, "", "", f"one events file: keep one of {names}", "several"))
    return present[-1] if present else data_dir / "events.yaml"


def _read_layers(records: Case, data_dir: Path, problems: list[Problem]) -> tuple[dict[str, Layer], dict[str, Any]]:
    """Every layer the case declares, each checked against the manifest."""
    keys = layer_keys(records)
    manifest_path = data_dir / "manifest.json"
    manifest = _manifest(manifest_path, problems, keys=keys)
    layers: dict[str, Layer] = {}
    for name in keys:
        layer = read_layer(data_dir / "layers" / f"{name}.geojson", problems, within=data_dir)
        if layer is not None:
            layers[name] = layer
            if manifest:
                _check_against_manifest(layer, manifest["layers"].get(name), manifest_path, problems)
    return layers, manifest


def load_site(data_dir: Path, *, article: str | None) -> Site:
    """Load and validate every committed file the map is built from, starting with the case records."""
    problems: list[Problem] = []
    records = read_case(data_dir, problems)
    if records is None:
        raise DataValidationError(problems)
    layers, manifest = _read_layers(records, data_dir, problems)
    _check_points_in_regions(records, layers, problems)
    try:
        case = casedata.load_case(
            events_path=events_path(data_dir, problems),
            sources_path=data_dir / "sources.yaml",
            index=place_index(records, layers),
            article=article,
            categories=tuple(category.id for category in records.categories),
        )
    except DataValidationError as error:
        problems.extend(error.problems)
        raise DataValidationError(problems) from None
    _layer_citations(layers, case.sources, problems)
    sentences = _article_accounting(data_dir, case, article, problems, keys=layer_keys(records))
    corrections = _corrections(data_dir, case, layers, problems)
    story = _story(data_dir, case, problems)
    translations = read_translations(data_dir, problems)
    if translations:  # the English the translations render: a pass over every event, for nothing without them
        english = originals(records, case.events, sentences, story, layers)
        for translation in translations.values():
            problems.extend(check_translation(translation, english))
    if problems:
        raise DataValidationError(problems)
    return Site(
        records=records,
        layers=layers,
        manifest=manifest,
        case=case,
        sentences=sentences,
        corrections=corrections,
        folder=data_dir,
        story=story,
        translations=translations,
    )


def _article_accounting(
    data_dir: Path, case: CaseData, article: str | None, problems: list[Problem], *, keys: tuple[str, ...]
) -> list[ArticleSentence]:
    """The claims table, checked against the article (when it is at hand) and the events' claims."""
    path = data_dir / "claims.yaml"
    quotes = {event.id: tuple(claim.quote for claim in event.claims) for event in case.events if event.claims}
    if not path.exists():
        if article is not None and quotes:
            expected = "a claims table accounting for every sentence of the seed article (see docs/data-schema.md)"
            problems.append(Problem(str(path), 0, "", "", expected, "no such file"))
        return []
    sentences = parse_claims_table(path, problems)
    if article is not None:
        problems.extend(check_coverage(sentences, article, file=str(path)))
    problems.extend(check_references(sentences, quotes, keys, file=str(path)))
    return sentences


def _corrections(data_dir: Path, case: CaseData, layers: dict[str, Layer], problems: list[Problem]) -> list[Correction]:
    """The corrections log, if the case keeps one; every record it names must exist."""
    path = data_dir / "corrections.yaml"
    if not path.exists():
        return []
    entries = parse_corrections(path, problems)
    known = (
        {e.id for e in case.events} | set(case.sources) | {f["id"] for layer in layers.values() for f in layer.features}
    )
    problems.extend(check_records(entries, known, file=str(path)))
    return entries


def _story(data_dir: Path, case: CaseData, problems: list[Problem]) -> Story | None:
    """The case's story (summary and chapters), if it tells one; its chapters name only events that exist."""
    path = data_dir / STORY_FILE
    if not path.exists():
        return None
    story = parse_story(path, problems)
    if story is None:
        return None
    dates = {event.id: (event.when.start, event.when.end) for event in case.events}
    problems.extend(check_story(story, dates, set(case.sources), file=str(path)))
    return story


def centroid_lat_lon(geometry: BaseGeometry) -> tuple[float, float]:
    """A point inside an area (representative point) or the centroid of a point set, rounded to about 10 m."""
    point = geometry.representative_point() if geometry.geom_type in AREA_TYPES else geometry.centroid
    return round(point.y, 4), round(point.x, 4)
