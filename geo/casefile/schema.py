"""The case-file schema, declared once: every file's records, their fields, and what each field takes.

The readers (geo.casefile.casedata, events, claims, corrections, case, layer) take from here the fields a record
may have (anything else is refused as an unknown field) and the closed sets a field's value must come from;
docs/data-schema.md is generated from here (``python3 -m geo.casefile.schemadoc``), and
tests/test_schema_doc.py checks that each declared limit is the one the reader enforces.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.casefile.builders import BUILDERS, GEOMETRY_KINDS
from geo.casefile.records import (
    CLAIM_STATUSES,
    CONFIDENCES,
    PLACE_PRECISIONS,
    QUOTE_MAX,
    SOURCE_KINDS,
    TEXT_MAX,
    TIME_PRECISIONS,
    TITLE_MAX,
)

SENTENCE_KINDS = ("checked", "opinion", "context", "heading")
SENTENCE_MAX = 1000
TOOLTIPS = ("permanent", "sticky", "hover", "none")
CASE_TEXT_MAX = 300
GEONAMEID_MAX = 99_999_999
DEPOT_RADIUS_MAX_KM = 100.0
# story.yaml: the summary is the page's first screen, so it is kept short (it must fit a phone's first card).
SUMMARY_PARAGRAPHS = 5
SUMMARY_MAX = 600
CHAPTER_PARAGRAPHS = 6
CHAPTER_TITLE_MAX = 120
STORY_TEXT_MAX = 1500


@dataclass(frozen=True)
class Field:
    """One field: what its value is, whether it must be given (or when), its limit, its closed set, its meaning."""

    name: str
    kind: str
    meaning: str
    required: bool | str = True
    max_chars: int = 0
    limit: str = ""
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """The records at one place of one file (``path`` as error messages name it, e.g. ``claims[]``)."""

    file: str
    path: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> set[str]:
        return {field.name for field in self.fields}

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)


def _text(name: str, limit: int, meaning: str, required: bool | str = True) -> Field:
    return Field(name, "text", meaning, required, max_chars=limit)


def _citations(file: str, path: str) -> Section:
    return Section(
        file,
        path,
        (
            Field("id", "id", "a source's id from sources.yaml"),
            _text("confirms", TEXT_MAX, "what this source confirms (or contradicts) about the record"),
        ),
    )


SOURCES = Section(
    "sources.yaml",
    "sources[]",
    (
        Field("id", "id", "unique among the sources"),
        _text("outlet", TITLE_MAX, "publication or institution (say here too if a copy was read)"),
        _text("title", TITLE_MAX, "as published"),
        _text("title_en", TITLE_MAX, "own translation of the title", required=False),
        Field("url", "URL", "the original's address (http or https)", "unless via is given, or kind is seed"),
        Field("via", "URL", "the copy actually read, where it was not the original", False),
        Field("published", "partial date", "YYYY-MM-DD, YYYY-MM or YYYY as known, or `undated`"),
        Field("language", "text", "ISO 639-1 code (two lowercase letters)", max_chars=8),
        Field("kind", "choice", "what the original is, not what was read", values=SOURCE_KINDS),
        _text("family", 80, "the wire, service or body the report's facts rest on (counts independence)"),
        _text("note", TEXT_MAX, "how it was read, what kind of copy, how a date was inferred", required=False),
    ),
)

EVENTS = Section(
    "events.yaml",
    "events[]",
    (
        Field("id", "id", "unique among the events"),
        _text("title", TITLE_MAX, "a short title"),
        _text("description", TEXT_MAX, "own words, 1-3 sentences"),
        Field("category", "choice", "one of case.yaml `categories` (the case's own closed set)"),
        Field("when", "interval", "when it happened (see `when` / `public` below)"),
        Field("public", "interval", "when it became public, where that differs", False),
        Field("where", "mapping", "where it happened (see `where` below)"),
        Field("claims", "list", "the seed article's claims about this event, one item per claim", False),
        Field("sources", "list", "at least one citation (see `sources[]` below)"),
    ),
)

INTERVAL = Section(
    "events.yaml",
    "when / public",
    (
        Field("start", "date", "YYYY-MM-DD: the earliest day it can have been"),
        Field("end", "date", "YYYY-MM-DD: the latest day (== start for a known day)"),
        Field("precision", "choice", "how well the date is known", values=TIME_PRECISIONS),
        _text("label", 80, "how the page says the date (generated when left out)", required="for approximate"),
    ),
)

WHERE = Section(
    "events.yaml",
    "where",
    (
        Field("place", "id", "a place or area id of the layers", "unless precision is undisclosed"),
        Field(
            "precision", "choice", "areas take district or region, points exact or settlement", values=PLACE_PRECISIONS
        ),
        _text("note", TEXT_MAX, "what is and is not known about the location", required=False),
    ),
)

CLAIMS = Section(
    "events.yaml",
    "claims[]",
    (
        _text("quote", QUOTE_MAX, "a verbatim substring of the seed article"),
        Field("status", "choice", "the verdict (docs/claim-statuses.md)", values=CLAIM_STATUSES),
        _text("reason", TEXT_MAX, "own words, naming the families that confirm, contradict or are silent"),
        _text("other_account", TEXT_MAX, "what the sources show instead", required="for corrected and disputed"),
        Field("sources", "list of ids", "exactly the event's sources that bear on this claim", False),
    ),
)

EVENT_SOURCES = _citations("events.yaml", "sources[]")

PLACES = Section(
    "places.yaml",
    "places[]",
    (
        Field("id", "id", "unique among the places"),
        Field("geonameid", "whole number", "the GeoNames id (cities500)", limit=f"1 to {GEONAMEID_MAX:,}"),
        _text("note", TEXT_MAX, "shown in the popup", required=False),
        _text("name_ru", 100, "a Russian name picked among GeoNames' alternate names", required=False),
        _text("name_zh", 100, "a Chinese name picked among GeoNames' alternate names", required=False),
        Field("roles", "list", "what the place is in the story, each role with its sources", False),
    ),
)

ROLES = Section(
    "places.yaml",
    "roles[]",
    (_text("role", TITLE_MAX, "the role"), Field("sources", "list", "citations, as an event's `sources[]`")),
)

DEPOTS = Section(
    "depots.yaml",
    "depots[]",
    (
        Field("id", "id", "unique among the depots"),
        _text("name", TITLE_MAX, "short English name"),
        Field("anchor", "mapping", "the cited settlement the area is drawn around: geonameid and name"),
        Field("radius_km", "number", "the area's radius", limit=f"0.5 to {DEPOT_RADIUS_MAX_KM:g}"),
        _text("size_reason", TEXT_MAX, "why the area is drawn at this size"),
        Field("confidence", "choice", "that a depot or garrison is in this area", values=CONFIDENCES),
        _text("known", TEXT_MAX, "what public reporting establishes"),
        _text("unknown", TEXT_MAX, "what it does not (exact site, current status)"),
        Field("sources", "list", "citations, as an event's `sources[]`"),
    ),
)

ANCHOR = Section(
    "depots.yaml",
    "anchor",
    (
        Field(
            "geonameid", "whole number", "a GeoNames settlement the reporting names", limit=f"1 to {GEONAMEID_MAX:,}"
        ),
        _text("name", 100, "for the reader of the file; checked against GeoNames"),
    ),
)

SENTENCES = Section(
    "claims.yaml",
    "sentences[]",
    (
        _text("text", SENTENCE_MAX, "the sentence, verbatim"),
        Field("kind", "choice", "what the map does with the sentence", values=SENTENCE_KINDS),
        Field("events", "list of ids", "the events whose claims quote this sentence", "for checked"),
        Field("layers", "list of ids", "the map layers that show this context", "for context"),
        _text("why", TEXT_MAX, "why it is not checked, or what is left out", required="for opinion, context, heading"),
        _text("zh", SENTENCE_MAX, "the Chinese original's sentence", required=False),
        _text("mt_note", TEXT_MAX, "where the machine translation changes the meaning", required=False),
    ),
)

CORRECTIONS = Section(
    "corrections.yaml",
    "corrections[]",
    (
        Field("date", "date", "when the change was made (the log is in date order)"),
        Field("records", "list of ids", "the events, sources or places changed (ids that exist)"),
        _text("change", TITLE_MAX, "what changed"),
        _text("why", TEXT_MAX, "the evidence and reasoning"),
    ),
)

CASE = Section(
    "case.yaml",
    "(top level)",
    (
        _text("title", 200, "the map's title"),
        _text("description", CASE_TEXT_MAX, "the page's description"),
        Field("view", "mapping", "bounds (south, west, north, east in degrees) and min_zoom, max_zoom (0 to 18)"),
        Field("time_presets", "list", "label, start and end (dates) of each preset of the time filter", False),
        Field("categories", "list", "the events' categories: id and label of each"),
        Field("groups", "list", "the layer groups: id and label of each"),
        _text("search_hint", 80, "the search box's placeholder", required=False),
        Field(
            "seed_article",
            "mapping",
            "path (a .txt file relative to the case folder), source, outlet, title, published, url",
            False,
        ),
        Field(
            "focus",
            "mapping",
            "the focus area: dcw (a DCW-GMT code like EE or RU.KGD), id, name, name_ru, name_zh, aliases",
        ),
        Field("neighbours", "list", "our ids and names for neighbouring DCW-GMT units, as focus", False),
        Field("country_names", "mapping", "shorter names for ISO country codes in border names", False),
        Field("publisher", "mapping", "who publishes the map, and where (see `publisher` below)", False),
        Field("layers", "list", "one record per map layer, in drawing order (see `layers[]` below)"),
        Field("aliases", "list", "people and things the search finds under other spellings (see `aliases[]`)", False),
    ),
)

ALIASES = Section(
    "case.yaml",
    "aliases[]",
    (
        _text("term", 100, "the name as the case writes it (e.g. in event titles)"),
        Field("aliases", "list", "its other spellings the sources use: other scripts, other romanisations"),
    ),
)

PUBLISHER = Section(
    "case.yaml",
    "publisher",
    (
        _text("name", 200, "the person or organisation publishing the map: the author of its fact checks"),
        Field("url", "URL", "the publisher's own address", False),
        Field("canonical_url", "URL", "where the map page itself is published (its deep links build on it)", False),
        Field("licence", "URL", "the licence the case data is published under (a licence's own page)", False),
    ),
)

LAYERS = Section(
    "case.yaml",
    "layers[]",
    (
        Field("key", "id", "unique among the layers; names layers/KEY.geojson"),
        _text("title", 120, "the layer control's name"),
        _text("description", CASE_TEXT_MAX, "what the layer shows"),
        Field("group", "choice", "one of the case's `groups`"),
        Field("kind", "choice", "the geometry kind, the builder's", values=GEOMETRY_KINDS),
        Field("visible", "true/false", "shown when the page opens (default true)", False),
        Field("tooltip", "choice", "how names show (default sticky)", False, values=TOOLTIPS),
        Field(
            "style",
            "mapping",
            "Leaflet path options: color, fillColor (#rrggbb), weight, opacity, "
            "fillOpacity, radius (points), dashArray",
        ),
        Field("feature_styles", "mapping", "styles by feature id, as style", False),
        Field("builder", "choice", "the derive step that makes the layer", values=tuple(BUILDERS)),
        Field("params", "mapping", "the builder's parameters (see the builders below)", False),
        Field("popup", "list", "properties the popup shows, from those the builder labels", False),
        _text("popup_note", CASE_TEXT_MAX, "a note under the popup", required=False),
    ),
)

STORY = Section(
    "story.yaml",
    "(story top level)",
    (
        Field(
            "summary",
            "list of texts",
            "the first screen: what happened, where, when, what is known and unknown, what the article is",
            limit=f"1 to {SUMMARY_PARAGRAPHS} paragraphs of at most {SUMMARY_MAX} characters",
        ),
        Field("chapters", "list", "the story's steps in reading order (see `chapters[]` below)"),
        Field("original", "id", "the source (sources.yaml) of the original the seed article translates", False),
    ),
)

CHAPTERS = Section(
    "story.yaml",
    "chapters[]",
    (
        Field("id", "id", "unique among the chapters; the page's link names it (`chapter=`)"),
        _text("title", CHAPTER_TITLE_MAX, "the chapter's heading"),
        Field(
            "text",
            "list of texts",
            "the chapter's paragraphs, own words, drawn from the events it covers",
            limit=f"1 to {CHAPTER_PARAGRAPHS} paragraphs of at most {STORY_TEXT_MAX:,} characters",
        ),
        Field("events", "list of ids", "the events the chapter covers (the map and the list show these)"),
        Field("view", "mapping", "south, west, north, east in degrees (default: the box of its events)", False),
        Field("from", "date", "start of the time window it opens at (it must hold the chapter's events)", False),
        Field("to", "date", "end of that window", False),
    ),
)

SECTIONS = (
    SOURCES,
    EVENTS,
    INTERVAL,
    WHERE,
    CLAIMS,
    EVENT_SOURCES,
    PLACES,
    ROLES,
    DEPOTS,
    ANCHOR,
    SENTENCES,
    CORRECTIONS,
    CASE,
    PUBLISHER,
    ALIASES,
    LAYERS,
    STORY,
    CHAPTERS,
)
