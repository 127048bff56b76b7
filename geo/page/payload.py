"""The page's data block: everything the casemap script (static/js) shows, as plain JSON, from the validated site.

Every label the page shows about the case comes from here, read from the case records (case.yaml): the
title, the layers with their titles, groups, styles, tooltips and popup fields, the categories and groups
with their labels, the time presets, the search hint and the default view. The casemap script keeps only the
engine's own words ("Sources and method", the claim statuses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from functools import partial
from typing import Any

from geo.casefile.builders import label_key
from geo.casefile.case import Case, LayerRecord
from geo.casefile.claims import ArticleSentence
from geo.casefile.colours import EVENT_COLOUR, EVENT_EDGE
from geo.casefile.records import Claim, Event, Interval, Source
from geo.casefile.sourcing import independent_families, is_single_source, seed_families
from geo.casefile.story import Story
from geo.export.cite import cite
from geo.page.content import translation_payload
from geo.page.eventcolumns import event_columns
from geo.page.site import Site, centroid_lat_lon, layer_keys

# How the page shows each property a builder makes (geo.casefile.builders): a closed set of formats the
# page knows. A property not named here is shown as text.
POPUP_FORMATS = {
    "area_km2": "number-0",
    "length_km": "number-1",
    "share_of_focus_pct": "number-1",
    "distance_km": "number-0",
    "radius_km": "number-1",
    "population": "count",
    "region": "place",
    "country": "text",
    "confidence": "badge",
    "sources": "citations",
    "roles": "roles",
    "known": "paragraph",
    "unknown": "paragraph",
    "size_reason": "paragraph",
    "note": "paragraph",
}


def layer_payload(layer: LayerRecord, feature_count: int) -> dict[str, Any]:
    """One layer record as the page reads it: labels, style (validated values only) and popup fields."""
    return {
        "key": layer.key,
        "group": layer.group,
        "title": layer.title,
        "description": layer.description,
        "kind": layer.kind,
        "visible": layer.visible,
        "tooltip": layer.tooltip,
        "style": layer.style,
        "featureStyles": layer.feature_styles,
        "popup": [
            # A catalogue key, not the English label: the page says it in the reader's language.
            {"field": name, "label": label_key(layer.builder, name), "format": POPUP_FORMATS.get(name, "text")}
            for name in layer.popup
        ],
        "popupNote": layer.popup_note,
        "features": feature_count,
    }


def case_payload(records: Case) -> dict[str, Any]:
    """The case's own words and view: title, categories, groups, time presets, search hint, bounds."""
    bounds = records.view.bounds
    return {
        "title": records.title,
        "description": records.description,
        "categories": [{"id": c.id, "label": c.label} for c in records.categories],
        "groups": [{"id": g.id, "label": g.label} for g in records.groups],
        "timePresets": [{"label": p.label, "start": p.start, "end": p.end} for p in records.time_presets],
        "searchHint": records.search_hint,
        # Spellings the search treats as one (case.yaml `aliases`): shown nowhere, compared as folded text.
        "aliases": [{"term": a.term, "aliases": list(a.aliases)} for a in records.aliases],
        # The colour events are drawn in, which no layer's style may come close to (geo.casefile.colours).
        "eventStyle": {"colour": EVENT_COLOUR, "edge": EVENT_EDGE},
        "view": {
            "bounds": [[bounds.south, bounds.west], [bounds.north, bounds.east]],
            "minZoom": records.view.min_zoom,
            "maxZoom": records.view.max_zoom,
        },
    }


def _place_payload(site: Site) -> dict[str, Any]:
    """Every feature events can point at, with its names, layer and a point to fly to."""
    places: dict[str, Any] = {}
    for name in layer_keys(site.records):
        layer = site.layers[name]
        for feature, geometry in zip(layer.features, layer.geometries, strict=True):
            props = feature["properties"]
            lat, lon = centroid_lat_lon(geometry)
            minx, miny, maxx, maxy = geometry.bounds
            places[feature["id"]] = {
                "name": props.get("name", feature["id"]),
                "name_ru": props.get("name_ru", ""),
                "name_zh": props.get("name_zh", ""),
                "aliases": props.get("aliases", []),
                "layer": name,
                "kind": "point" if geometry.geom_type == "Point" else "area",
                "lat": lat,
                "lon": lon,
                "bounds": [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]],
            }
    return places


def _method_payload(manifest: dict[str, Any], records: Case) -> dict[str, Any]:
    fields = ("licence", "attribution", "inputs", "sha256", "feature_count")
    # The title is case.yaml's: a title edited since regeneration needs no regeneration (geo.derive.manifest).
    titles = {layer.key: layer.title for layer in records.layers}
    return {
        "command": manifest.get("command", ""),
        "datasets": manifest.get("datasets", {}),
        "layers": {
            k: {"title": titles.get(k, v.get("title")), **{f: v.get(f) for f in fields}}
            for k, v in manifest.get("layers", {}).items()
        },
    }


def build_payload(site: Site, *, bases: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the casemap script needs, as plain JSON (strings are shown as text, never parsed as HTML)."""
    keys = layer_keys(site.records)
    seed = seed_families(site.case.sources)
    return {
        **case_payload(site.records),
        # As columns (geo.page.eventcolumns), written as the data block is (geo.page.packing), never all at once; the
        # page expands them into event_payload's objects (features.js expandEvents).
        "events": event_columns(site.case.events, partial(claims_payload, sources=site.case.sources, seed=seed)),
        "sources": {source_id: _source_payload(source) for source_id, source in sorted(site.case.sources.items())},
        "places": _place_payload(site),
        # By layer, in the order render.add_layers hands the features to folium: folium knows a feature only by
        # its position (docs/security.md), the casemap script finds its id and properties here.
        "featureIds": {key: [f["id"] for f in site.layers[key].features] for key in keys},
        "properties": {key: [f["properties"] for f in site.layers[key].features] for key in keys},
        "layers": [layer_payload(layer, len(site.layers[layer.key].features)) for layer in site.records.layers],
        "bases": bases,
        "method": {**_method_payload(site.manifest, site.records), "cite": cite(site.folder, site.records.title)},
        "seed": next((source_id for source_id, s in sorted(site.case.sources.items()) if s.kind == "seed"), ""),
        "article": _article_payload(site),
        "story": _story_payload(site.story),
        "corrections": [
            {"date": c.date, "records": list(c.records), "change": c.change, "why": c.why} for c in site.corrections
        ],
        # The case's texts in the other languages, only those that exist (content.js overlays one at start).
        "translations": {
            language: translation_payload(translation, site.case.events)
            for language, translation in sorted(site.translations.items())
        },
    }


def _interval_payload(interval: Interval) -> dict[str, str]:
    return {"start": interval.start, "end": interval.end, "precision": interval.precision, "label": interval.label}


def _source_payload(source: Source) -> dict[str, Any]:
    """A source as the page shows it: every field but the editors' note (sources.yaml `note`: how the copy was read
    and why the family was assigned), which no view shows; it was a third of the sources' bytes (issue #18's budget)."""
    shown = asdict(source)
    del shown["note"]
    return shown


def event_payload(event: Event, sources: Mapping[str, Source], *, seed: frozenset[str]) -> dict[str, Any]:
    """One event as the page's scripts read it, leaving out what it does not have. The data block carries the events
    as columns (geo.page.eventcolumns); these are the objects the page expands them into (features.js expandEvents),
    and what tests compare both expansions with."""
    where: dict[str, str] = {"precision": event.where.precision}
    if event.where.place:
        where["place"] = event.where.place
    if event.where.note:
        where["note"] = event.where.note
    out: dict[str, Any] = {
        "id": event.id,
        "title": event.title,
        "description": event.description,
        "category": event.category,
        "when": _interval_payload(event.when),
        "where": where,
        "sources": [{"source": c.source, "confirms": c.confirms} for c in event.sources],
    }
    if event.public is not None:
        out["public"] = _interval_payload(event.public)
    if event.claims:
        out["claims"] = claims_payload(event, sources, seed=seed)
    return out


def claims_payload(event: Event, sources: Mapping[str, Source], *, seed: frozenset[str]) -> list[dict[str, Any]]:
    return [_claim_payload(claim, sources, seed=seed) for claim in event.claims]


def _claim_payload(claim: Claim, sources: Mapping[str, Source], *, seed: frozenset[str]) -> dict[str, Any]:
    """A claim with the independence the build computed: its families, and whether it rests on one."""
    families = independent_families(claim.sources, sources, seed=seed)
    out: dict[str, Any] = {
        "quote": claim.quote,
        "status": claim.status,
        "reason": claim.reason,
        "sources": list(claim.sources),
        "families": list(families),
    }
    if is_single_source(claim.status, families):
        out["single_source"] = True
    if claim.other_account:
        out["other_account"] = claim.other_account
    return out


def _article_payload(site: Site) -> dict[str, Any]:
    """The seed article: how it is named (case.yaml seed_article), and every sentence in order with what the map
    did with it (claims.yaml). Empty fields are left out; the verdicts are the events' claims, not repeated here."""
    counts: dict[str, int] = {}
    for sentence in site.sentences:
        counts[sentence.kind] = counts.get(sentence.kind, 0) + 1
    out: dict[str, Any] = {"by_kind": counts, "sentences": [_sentence_payload(s) for s in site.sentences]}
    seed = site.records.seed_article
    if seed is not None:
        named = {"source": seed.source, "outlet": seed.outlet, "title": seed.title, "published": seed.published}
        out.update({key: value for key, value in {**named, "url": seed.url}.items() if value})
    if site.story is not None and site.story.original:
        out["original"] = site.story.original
    return out


def _sentence_payload(sentence: ArticleSentence) -> dict[str, Any]:
    out: dict[str, Any] = {"n": sentence.number, "text": sentence.text, "kind": sentence.kind}
    optional = {
        "events": list(sentence.events),
        "layers": list(sentence.layers),
        "why": sentence.why,
        "zh": sentence.zh,
        "mt_note": sentence.mt_note,
    }
    out.update({key: value for key, value in optional.items() if value})
    return out


def _story_payload(story: Story | None) -> dict[str, Any] | None:
    """The summary and the chapters (story.yaml), or None when the case tells no story."""
    if story is None:
        return None
    return {
        "summary": list(story.summary),
        "chapters": [
            {
                "id": chapter.id,
                "title": chapter.title,
                "text": list(chapter.text),
                "events": [event_id for event_id, _ in chapter.events],
                "view": asdict(chapter.view) if chapter.view is not None else None,
                "from": chapter.start,
                "to": chapter.end,
            }
            for chapter in story.chapters
        ],
    }
