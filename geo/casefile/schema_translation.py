"""The case-file schema of data/translations/LANG.yaml: the casemap project's own translation of the case's texts.

Declared beside geo.casefile.schema (whose Field and Section it uses) because schema.py is near the engine's
module limit; docs/data-schema.md lists these sections after schema.SECTIONS. The reader is geo.casefile.translations.
A translation is never the sources' words: quotes and source titles stay in their original language, and the page
marks every translated text as the project's translation.
"""

from __future__ import annotations

from geo.casefile.records import QUOTE_MAX, TEXT_MAX, TITLE_MAX

__all__ = ["CONTENT_LANGUAGES", "ITEM_MAX", "QUOTE_MAX", "SECTIONS", "SLACK"]
from geo.casefile.schema import CASE_TEXT_MAX, CHAPTER_TITLE_MAX, STORY_TEXT_MAX, SUMMARY_MAX, Field, Section

# The languages a case's texts may be translated into (the page's interface languages other than English).
CONTENT_LANGUAGES = ("ru", "zh")
# A translation may run longer than the English it renders (Russian runs about a fifth longer): twice its limit.
SLACK = 2
FILE = "translations/LANG.yaml"
TRANSLATOR_MAX = 80
LABEL_MAX = 80
_ID = "an id that exists in the case"
# The limit of each item of a list of texts: a summary's paragraph, a chapter's paragraph, a place's role.
ITEM_MAX = {"summary": SUMMARY_MAX * SLACK, "text": STORY_TEXT_MAX * SLACK, "roles": TITLE_MAX * SLACK}


def _tr(name: str, limit: int, english: str) -> Field:
    return Field(name, "text", f"the translation of {english}", False, max_chars=limit * SLACK)


def _list(name: str, meaning: str) -> Field:
    return Field(name, "list", meaning, False)


TOP = Section(
    FILE,
    "(translation top level)",
    (
        Field("language", "choice", "the file's language: must be its name", values=CONTENT_LANGUAGES),
        Field("translator", "text", "who translated (shown with every translated text)", max_chars=TRANSLATOR_MAX),
        Field(
            "summary",
            "list of texts",
            "story.yaml's summary",
            False,
            limit=f"as many paragraphs as it has, each at most {ITEM_MAX['summary']:,} characters",
        ),
        _list("chapters", "story.yaml's chapters (see `chapters[]` below)"),
        _list("events", "events.yaml's events (see `events[]` and `claims[]` below)"),
        _list("sentences", "claims.yaml's sentences, by number (see `sentences[]` below)"),
        _list("categories", "case.yaml's categories: id and label (see `categories[] / groups[]`)"),
        _list("groups", "case.yaml's groups: id and label (see `categories[] / groups[]`)"),
        _list("time_presets", "case.yaml's time presets: start, end (as there) and label"),
        _list("layers", "case.yaml's layers (see `layers[]` below)"),
        _list("depots", "depots.yaml's depots (see `depots[]` below)"),
        _list("places", "places.yaml's places (see `places[]` below)"),
        _list("features", "the names of the layers' features (see `features[]` below)"),
        Field("case", "mapping", "case.yaml's title, description, search_hint", False),
    ),
)
CHAPTERS = Section(
    FILE,
    "chapters[] (translated)",
    (
        Field("id", "id", "a chapter id of story.yaml"),
        _tr("title", CHAPTER_TITLE_MAX, "the title"),
        Field(
            "text",
            "list of texts",
            "the paragraphs",
            False,
            limit=f"as many paragraphs as the chapter, each at most {ITEM_MAX['text']:,} characters",
        ),
    ),
)
EVENTS = Section(
    FILE,
    "events[] (translated)",
    (
        Field("id", "id", "an event id of events.yaml"),
        _tr("title", TITLE_MAX, "the title"),
        _tr("description", TEXT_MAX, "the description"),
        _tr("when_label", LABEL_MAX, "`when.label`, only where events.yaml gives one"),
        _tr("public_label", LABEL_MAX, "`public.label`, only where events.yaml gives one"),
        _tr("where_note", TEXT_MAX, "`where.note`, only where events.yaml gives one"),
        _list("claims", "the event's claims (see `claims[]` below)"),
    ),
)
CLAIMS = Section(
    FILE,
    "claims[] (translated)",
    (
        Field(
            "quote", "text", "the claim's verbatim English quote: identifies it, never translated", max_chars=QUOTE_MAX
        ),
        _tr("reason", TEXT_MAX, "the reason"),
        _tr("other_account", TEXT_MAX, "the other account, only where the claim has one"),
    ),
)
SENTENCES = Section(
    FILE,
    "sentences[] (translated)",
    (
        Field("n", "whole number", "the sentence's number in claims.yaml (1-based, article order)"),
        _tr("why", TEXT_MAX, "`why`, only where the sentence has one"),
        _tr("mt_note", TEXT_MAX, "`mt_note`, only where the sentence has one"),
    ),
)
LABELS = Section(FILE, "categories[] / groups[] (translated)", (Field("id", "id", _ID), _tr("label", 80, "the label")))
PRESETS = Section(
    FILE,
    "time_presets[] (translated)",
    (
        Field("start", "date", "the preset's start, as in case.yaml"),
        Field("end", "date", "the preset's end, as in case.yaml"),
        _tr("label", LABEL_MAX, "the label"),
    ),
)
LAYERS = Section(
    FILE,
    "layers[] (translated)",
    (
        Field("key", "id", "a layer key of case.yaml"),
        _tr("title", 120, "the title"),
        _tr("description", CASE_TEXT_MAX, "the description"),
        _tr("popup_note", CASE_TEXT_MAX, "`popup_note`, only where the layer has one"),
    ),
)
DEPOTS = Section(
    FILE,
    "depots[] (translated)",
    (
        Field("id", "id", "a depot id of depots.yaml"),
        _tr("name", TITLE_MAX, "the name"),
        _tr("size_reason", TEXT_MAX, "`size_reason`"),
        _tr("known", TEXT_MAX, "`known`"),
        _tr("unknown", TEXT_MAX, "`unknown`"),
    ),
)
PLACES = Section(
    FILE,
    "places[] (translated)",
    (
        Field("id", "id", "a place id of places.yaml"),
        _tr("note", TEXT_MAX, "the note, only where the place has one"),
        Field(
            "roles",
            "list of texts",
            "each role's text",
            False,
            limit=f"as many as places.yaml gives, in its order, each at most {ITEM_MAX['roles']:,} characters",
        ),
    ),
)
FEATURES = Section(
    FILE,
    "features[] (translated)",
    (
        Field("layer", "id", "a layer key of case.yaml"),
        Field("id", "id", "a feature id in that layer's GeoJSON (a border, a distance band, a country)"),
        _tr("name", TITLE_MAX, "the feature's `name` (the map key, its card and its tooltip show it)"),
    ),
)
CASE = Section(
    FILE,
    "case (translated)",
    (
        _tr("title", 200, "the map's title"),
        _tr("description", CASE_TEXT_MAX, "the page's description"),
        _tr("search_hint", 80, "the search box's placeholder hint"),
    ),
)

SECTIONS = (TOP, CHAPTERS, EVENTS, CLAIMS, SENTENCES, LABELS, PRESETS, LAYERS, DEPOTS, PLACES, FEATURES, CASE)
