"""The case's texts in other languages (data/translations/LANG.yaml), checked against the English and made payload.

The English each translation renders (``originals``) is taken from the records the page shows: story.yaml, the
events and their claims, claims.yaml's sentences, case.yaml's labels, layers and texts, and the depots' and places'
texts as their layers carry them. The payload keys each language's texts the way the page looks its records up
(content.js overlays them at start): by id, by sentence number, a preset by start/end, a claim by its position in
its event's claims.
"""

from __future__ import annotations

from typing import Any

from geo.casefile.case import Case
from geo.casefile.claims import ArticleSentence
from geo.casefile.records import Event, Interval, interval_label
from geo.casefile.story import Story
from geo.casefile.translations import ContentTranslation, Originals, Text, claim_key, feature_key
from geo.common.geojson import Layer

# The feature properties a depot's or a place's translation renders (their layers carry depots.yaml's and
# places.yaml's texts under these names): the section that translates them, and the fields.
FEATURE_FIELDS = {"depots": ("name", "size_reason", "known", "unknown"), "places": ("note", "roles")}


def _hand_label(interval: Interval | None) -> str:
    """The interval's label where events.yaml wrote one; the generated one is the page's to say in each language."""
    if interval is None or interval.label == interval_label(interval.start, interval.end, interval.precision):
        return ""
    return interval.label


def _event_originals(events: list[Event]) -> dict[tuple[str, str], dict[str, Text]]:
    found: dict[tuple[str, str], dict[str, Text]] = {}
    for event in events:
        found[("events", event.id)] = {
            "title": event.title,
            "description": event.description,
            "when_label": _hand_label(event.when),
            "public_label": _hand_label(event.public),
            "where_note": event.where.note or "",
        }
        for claim in event.claims:
            found[("claims", claim_key(event.id, claim.quote))] = {
                "reason": claim.reason,
                "other_account": claim.other_account or "",
            }
    return found


def _case_originals(records: Case) -> dict[tuple[str, str], dict[str, Text]]:
    found: dict[tuple[str, str], dict[str, Text]] = {
        ("case", ""): {"title": records.title, "description": records.description, "search_hint": records.search_hint}
    }
    found.update({("categories", c.id): {"label": c.label} for c in records.categories})
    found.update({("groups", g.id): {"label": g.label} for g in records.groups})
    found.update({("time_presets", f"{p.start}/{p.end}"): {"label": p.label} for p in records.time_presets})
    for layer in records.layers:
        texts: dict[str, Text] = {
            "title": layer.title,
            "description": layer.description,
            "popup_note": layer.popup_note,
        }
        found[("layers", layer.key)] = texts
    return found


def _feature_originals(layers: dict[str, Layer]) -> dict[tuple[str, str], dict[str, Text]]:
    """Depots and places as their layers carry them (a feature with a depot's fields is a depot, with roles a place);
    every other named feature's name by layer and id."""
    found: dict[tuple[str, str], dict[str, Text]] = {}
    for key, layer in layers.items():
        for feature in layer.features:
            props = feature["properties"]
            if "known" in props:
                found[("depots", feature["id"])] = {
                    name: str(props.get(name) or "") for name in FEATURE_FIELDS["depots"]
                }
            elif "roles" in props:
                roles = tuple(str(role.get("role", "")) for role in props.get("roles") or [] if isinstance(role, dict))
                found[("places", feature["id"])] = {"note": str(props.get("note") or ""), "roles": roles}
            elif isinstance(props.get("name"), str) and props["name"]:
                # Any other named feature (a border, a band, a country): features[] of the translations. A depot's
                # name is depots[]'s, a place's is places.yaml's name_LANG: content.js reads them there.
                found[("features", feature_key(key, str(feature["id"])))] = {"name": props["name"]}
    return found


def originals(
    records: Case, events: list[Event], sentences: list[ArticleSentence], story: Story | None, layers: dict[str, Layer]
) -> Originals:
    """Every English text a translation may render, keyed as translations.Entry keys them."""
    found = {**_case_originals(records), **_event_originals(events), **_feature_originals(layers)}
    found.update({("sentences", str(s.number)): {"why": s.why or "", "mt_note": s.mt_note or ""} for s in sentences})
    if story is not None:
        found[("summary", "")] = {"summary": tuple(story.summary)}
        found.update({("chapters", c.id): {"title": c.title, "text": tuple(c.text)} for c in story.chapters})
    return found


def _json_text(value: Text) -> str | list[str]:
    return list(value) if isinstance(value, tuple) else value


def translation_payload(translation: ContentTranslation, events: list[Event]) -> dict[str, Any]:
    """One language's texts as the page looks them up; a claim by its event's id and its position there."""
    positions = {
        claim_key(event.id, claim.quote): (event.id, str(k)) for event in events for k, claim in enumerate(event.claims)
    }
    out: dict[str, Any] = {"translator": translation.translator}
    for entry in translation.entries:
        texts = {field: _json_text(value) for field, value in entry.texts.items()}
        if entry.section == "summary":
            out["summary"] = texts["summary"]
        elif entry.section == "case":
            out["case"] = texts
        elif entry.section == "features":
            layer, feature_id = entry.key.split("\n", 1)
            out.setdefault("features", {}).setdefault(layer, {})[feature_id] = texts
        elif entry.section == "claims":
            event_id, position = positions[entry.key]
            claims = out.setdefault("events", {}).setdefault(event_id, {}).setdefault("claims", {})
            claims[position] = texts
        else:
            out.setdefault(entry.section, {}).setdefault(entry.key, {}).update(texts)
    return out
