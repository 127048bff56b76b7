"""Load and validate the hand-edited case files: sources, events, places and depot regions.

Every loader collects all problems (file, line, record id, field, value found, what was expected) and
raises one DataValidationError listing them; nothing is half-loaded.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.casefile import fields
from geo.casefile.fields import Context
from geo.casefile.jsonlines import load_jsonl
from geo.casefile.sourcing import ClaimSources, check_statuses
from geo.casefile.yamlsafe import Mapping, Sequence, load_yaml
from geo.common.errors import DataValidationError, Problem, show_value

CATEGORIES = ("case", "courts-security", "military", "history", "resources", "diplomacy")
TIME_PRECISIONS = ("day", "month", "year", "approximate")
PLACE_PRECISIONS = ("exact", "settlement", "district", "region", "undisclosed")
POINT_PRECISIONS = ("exact", "settlement")
AREA_PRECISIONS = ("district", "region")
CLAIM_STATUSES = ("corroborated", "corrected", "disputed", "unverified")
# What a source is (docs/claim-statuses.md): wires and broadcasters are graded apart from the outlets that
# repeat them, and ``seed`` is the article the map checks.
SOURCE_KINDS = (
    "wire",
    "newspaper",
    "broadcaster",
    "magazine",
    "online-news",
    "official",
    "court",
    "encyclopedia",
    "reference",
    "think-tank",
    "blog",
    "forum",
    "seed",
)
CONFIDENCES = ("low", "medium", "high")
MONTHS = tuple(calendar.month_name)[1:]

TITLE_MAX = 300
TEXT_MAX = 5000
QUOTE_MAX = 600


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    title: str
    title_en: str
    url: str
    published: str
    language: str
    kind: str
    family: str
    via: str
    note: str


@dataclass(frozen=True)
class Citation:
    """A source cited for a record, and what that source confirms."""

    source: str
    confirms: str


@dataclass(frozen=True)
class Interval:
    """A span of days (ISO strings, inclusive) with the precision it is known to."""

    start: str
    end: str
    precision: str
    label: str


@dataclass(frozen=True)
class Location:
    place: str
    precision: str
    note: str


@dataclass(frozen=True)
class Claim:
    """A claim of the seed article, its verdict, and the sources (ids among the event's) it rests on."""

    quote: str
    status: str
    reason: str
    other_account: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    description: str
    category: str
    when: Interval
    public: Interval | None
    where: Location
    claims: tuple[Claim, ...]
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class Role:
    role: str
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class PlaceEntry:
    """A settlement the case needs, by GeoNames id, with optional name picks and roles."""

    id: str
    geonameid: int
    note: str
    name_ru: str
    name_zh: str
    roles: tuple[Role, ...]
    line: int


@dataclass(frozen=True)
class Depot:
    id: str
    name: str
    anchor_geonameid: int
    anchor_name: str
    radius_km: float
    size_reason: str
    confidence: str
    known: str
    unknown: str
    sources: tuple[Citation, ...]
    line: int


def interval_label(start: str, end: str, precision: str) -> str:
    """Say a date interval as precisely as it is known: '25 February 2021', 'February 2021', '2021'."""
    first = date.fromisoformat(start)
    if precision == "day":
        return f"{first.day} {MONTHS[first.month - 1]} {first.year}"
    if precision == "month":
        return f"{MONTHS[first.month - 1]} {first.year}"
    if precision == "year":
        return str(first.year)
    return f"{start} – {end}"


def _check_precision(ctx: Context, record: Mapping, prefix: str, start: str, end: str, precision: str) -> bool:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    line = record.line_of("end")
    if last < first:
        ctx.problem(line, prefix + "end", f"a date on or after start {start}", show_value(end))
        return False
    if precision == "day" and first != last:
        ctx.problem(line, prefix + "end", f"the same day as start for precision day ({start})", show_value(end))
        return False
    if precision == "month":
        month_end = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        if first.day != 1 or last != month_end:
            expected = f"start on the 1st and end {month_end.isoformat()} for precision month"
            ctx.problem(line, prefix + "end", expected, f"{start} – {end}")
            return False
    if precision == "year" and (first != date(first.year, 1, 1) or last != date(first.year, 12, 31)):
        ctx.problem(line, prefix + "end", "January 1 to December 31 of one year for precision year", f"{start} – {end}")
        return False
    return True


def _interval(ctx: Context, parent: Mapping, key: str, *, required: bool) -> Interval | None:
    value = parent.get(key)
    if value is None and not required:
        return None
    record = fields.mapping(ctx, value, line=parent.line_of(key), field=key)
    if record is None:
        return None
    prefix = f"{key}."
    fields.unknown_keys(ctx, record, {"start", "end", "precision", "label"}, prefix=prefix)
    start = fields.full_date(ctx, record, "start", prefix=prefix)
    end = fields.full_date(ctx, record, "end", prefix=prefix)
    precision = fields.choice(ctx, record, "precision", TIME_PRECISIONS, prefix=prefix)
    label = fields.text(ctx, record, "label", required=precision == "approximate", max_chars=80, prefix=prefix)
    if start is None or end is None or precision is None:
        return None
    if not _check_precision(ctx, record, prefix, start, end, precision):
        return None
    return Interval(start, end, precision, label or interval_label(start, end, precision))


def _citations(ctx: Context, parent: Mapping, key: str = "sources") -> tuple[Citation, ...]:
    items = fields.sequence(ctx, parent.get(key), line=parent.line_of(key), field=key, min_items=1)
    if items is None:
        return ()
    cited: list[Citation] = []
    for item, line in zip(items.items, items.item_lines, strict=True):
        record = fields.mapping(ctx, item, line=line, field=f"{key}[]")
        if record is None:
            continue
        fields.unknown_keys(ctx, record, {"id", "confirms"}, prefix=f"{key}[].")
        source = fields.slug(ctx, record, "id", prefix=f"{key}[].")
        confirms = fields.text(ctx, record, "confirms", max_chars=TEXT_MAX, prefix=f"{key}[].")
        if source is not None and confirms is not None:
            cited.append(Citation(source, confirms))
    return tuple(cited)


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise DataValidationError(problems)


def _read(path: Path, key: str, problems: list[Problem]) -> tuple[Context, list[tuple[Mapping, int]]]:
    loaded = load_jsonl(path, key=key) if path.suffix == ".jsonl" else load_yaml(path)
    problems.extend(loaded.problems)
    ctx = Context(str(path), problems)
    if loaded.root is None or loaded.problems:
        return ctx, []
    return ctx, fields.records(ctx, loaded.root, key)


# --- sources -------------------------------------------------------------------------------------------

SOURCE_FIELDS = {"id", "outlet", "title", "title_en", "url", "via", "published", "language", "kind", "family", "note"}


def parse_sources(path: Path, problems: list[Problem]) -> dict[str, Source]:
    ctx, items = _read(path, "sources", problems)
    seen: dict[str, int] = {}
    urls: dict[str, str] = {}
    found: dict[str, Source] = {}
    for record, line in items:
        ctx.record = record.get("id") if isinstance(record.get("id"), str) else f"item at line {line}"
        fields.unknown_keys(ctx, record, SOURCE_FIELDS)
        source_id = fields.slug(ctx, record, "id")
        fields.unique_ids(ctx, seen, source_id, record.line_of("id"))
        kind = fields.choice(ctx, record, "kind", SOURCE_KINDS)
        values = {
            "outlet": fields.text(ctx, record, "outlet", max_chars=TITLE_MAX),
            "title": fields.text(ctx, record, "title", max_chars=TITLE_MAX),
            "title_en": fields.text(ctx, record, "title_en", required=False, max_chars=TITLE_MAX) or "",
            # ``url`` is the original's address, ``via`` the copy that was read when it was not the original. Where
            # the original's address is unknown only ``via`` is given; the seed may have neither (a text file).
            "url": fields.url(ctx, record, "url", required=kind != "seed" and record.get("via") is None) or "",
            "via": fields.url(ctx, record, "via", required=False) or "",
            "family": fields.text(ctx, record, "family", max_chars=80),
            "published": fields.partial_date(ctx, record, "published"),
            "language": fields.text(ctx, record, "language", max_chars=8),
            "note": fields.text(ctx, record, "note", required=False, max_chars=TEXT_MAX) or "",
        }
        language = values["language"]
        if language is not None and not re.fullmatch(r"[a-z]{2}", language):
            ctx.problem(
                record.line_of("language"), "language", "an ISO 639-1 code like 'ru' or 'en'", show_value(language)
            )
            continue
        # One page, one entry: two ids for the same page split what it confirms across two records. An
        # original and a copy are pages too (a copy read for one source is not another source's original).
        # URLs that differ only in the case of scheme or host (or of a percent-escape) are one page.
        repeated = False
        for key in ("url", "via"):
            address = values[key]
            identity = fields.url_identity(address) if address else ""
            if identity and identity in urls:
                expected = f"each page once (already listed as {urls[identity]})"
                ctx.problem(record.line_of(key), key, expected, show_value(address))
                repeated = True
            elif identity and source_id:
                urls[identity] = source_id
        if repeated:
            continue
        if source_id is not None and kind is not None and None not in values.values():
            found[source_id] = Source(id=source_id, kind=kind, **values)  # type: ignore[arg-type]
    return found


# --- places and depots ---------------------------------------------------------------------------------

PLACE_FIELDS = {"id", "geonameid", "note", "name_ru", "name_zh", "roles"}
GEONAMEID_MAX = 99_999_999


def parse_places(path: Path, problems: list[Problem]) -> list[PlaceEntry]:
    ctx, items = _read(path, "places", problems)
    seen: dict[str, int] = {}
    found: list[PlaceEntry] = []
    for record, line in items:
        ctx.record = record.get("id") if isinstance(record.get("id"), str) else f"item at line {line}"
        fields.unknown_keys(ctx, record, PLACE_FIELDS)
        place_id = fields.slug(ctx, record, "id")
        fields.unique_ids(ctx, seen, place_id, record.line_of("id"))
        geonameid = fields.integer(ctx, record, "geonameid", minimum=1, maximum=GEONAMEID_MAX)
        note = fields.text(ctx, record, "note", required=False, max_chars=TEXT_MAX) or ""
        name_ru = fields.text(ctx, record, "name_ru", required=False, max_chars=100) or ""
        name_zh = fields.text(ctx, record, "name_zh", required=False, max_chars=100) or ""
        roles: list[Role] = []
        if record.get("roles") is not None:
            role_items = fields.sequence(ctx, record.get("roles"), line=record.line_of("roles"), field="roles")
            for item, item_line in zip(
                role_items.items if role_items else [], role_items.item_lines if role_items else [], strict=True
            ):
                role_record = fields.mapping(ctx, item, line=item_line, field="roles[]")
                if role_record is None:
                    continue
                fields.unknown_keys(ctx, role_record, {"role", "sources"}, prefix="roles[].")
                role = fields.text(ctx, role_record, "role", max_chars=TITLE_MAX, prefix="roles[].")
                cited = _citations(ctx, role_record)
                if role is not None and cited:
                    roles.append(Role(role, cited))
        if place_id is not None and geonameid is not None:
            # Later checks against GeoNames concern the id: point their messages at its line.
            found.append(
                PlaceEntry(place_id, geonameid, note, name_ru, name_zh, tuple(roles), record.line_of("geonameid"))
            )
    return found


DEPOT_FIELDS = {"id", "name", "anchor", "radius_km", "size_reason", "confidence", "known", "unknown", "sources"}
DEPOT_RADIUS_MAX_KM = 100.0


def parse_depots(path: Path, problems: list[Problem]) -> list[Depot]:
    ctx, items = _read(path, "depots", problems)
    seen: dict[str, int] = {}
    found: list[Depot] = []
    for record, line in items:
        ctx.record = record.get("id") if isinstance(record.get("id"), str) else f"item at line {line}"
        fields.unknown_keys(ctx, record, DEPOT_FIELDS)
        depot_id = fields.slug(ctx, record, "id")
        fields.unique_ids(ctx, seen, depot_id, record.line_of("id"))
        anchor = fields.mapping(ctx, record.get("anchor"), line=record.line_of("anchor"), field="anchor")
        geonameid = anchor_name = None
        if anchor is not None:
            fields.unknown_keys(ctx, anchor, {"geonameid", "name"}, prefix="anchor.")
            geonameid = fields.integer(ctx, anchor, "geonameid", minimum=1, maximum=GEONAMEID_MAX, prefix="anchor.")
            anchor_name = fields.text(ctx, anchor, "name", max_chars=100, prefix="anchor.")
        values = {
            "name": fields.text(ctx, record, "name", max_chars=TITLE_MAX),
            "radius_km": fields.number(ctx, record, "radius_km", minimum=0.5, maximum=DEPOT_RADIUS_MAX_KM),
            "size_reason": fields.text(ctx, record, "size_reason", max_chars=TEXT_MAX),
            "confidence": fields.choice(ctx, record, "confidence", CONFIDENCES),
            "known": fields.text(ctx, record, "known", max_chars=TEXT_MAX),
            "unknown": fields.text(ctx, record, "unknown", max_chars=TEXT_MAX),
        }
        cited = _citations(ctx, record)
        if (
            depot_id is not None
            and geonameid is not None
            and anchor_name is not None
            and cited
            and None not in values.values()
        ):
            found.append(
                Depot(
                    id=depot_id,
                    anchor_geonameid=geonameid,
                    anchor_name=anchor_name,
                    sources=cited,
                    line=anchor.line_of("name") if anchor is not None else line,
                    **values,
                )  # type: ignore[arg-type]
            )
    return found


# --- events --------------------------------------------------------------------------------------------

EVENT_FIELDS = {"id", "title", "description", "category", "when", "public", "where", "claims", "sources"}
CLAIM_FIELDS = {"quote", "status", "reason", "other_account", "sources"}


def _location(ctx: Context, parent: Mapping) -> Location | None:
    record = fields.mapping(ctx, parent.get("where"), line=parent.line_of("where"), field="where")
    if record is None:
        return None
    fields.unknown_keys(ctx, record, {"place", "precision", "note"}, prefix="where.")
    precision = fields.choice(ctx, record, "precision", PLACE_PRECISIONS, prefix="where.")
    place = fields.slug(ctx, record, "place", required=precision != "undisclosed", prefix="where.")
    note = fields.text(ctx, record, "note", required=False, max_chars=TEXT_MAX, prefix="where.") or ""
    if precision is None or (place is None and precision != "undisclosed"):
        return None
    return Location(place or "", precision, note)


def _claim(ctx: Context, record: Mapping, prefix: str) -> Claim | None:
    fields.unknown_keys(ctx, record, CLAIM_FIELDS, prefix=prefix)
    quote = fields.text(ctx, record, "quote", max_chars=QUOTE_MAX, prefix=prefix)
    status = fields.choice(ctx, record, "status", CLAIM_STATUSES, prefix=prefix)
    reason = fields.text(ctx, record, "reason", max_chars=TEXT_MAX, prefix=prefix)
    other = fields.text(
        ctx, record, "other_account", required=status in ("corrected", "disputed"), max_chars=TEXT_MAX, prefix=prefix
    )
    source_ids: list[str] = []
    if record.get("sources") is not None:
        items = fields.sequence(ctx, record.get("sources"), line=record.line_of("sources"), field=prefix + "sources")
        for item, line in zip(items.items if items else [], items.item_lines if items else [], strict=True):
            if isinstance(item, str) and fields.SLUG.fullmatch(item):
                source_ids.append(item)
            else:
                ctx.problem(line, prefix + "sources[]", "the id of one of the event's sources", fields.describe(item))
    if quote is None or status is None or reason is None:
        return None
    return Claim(quote, status, reason, other or "", tuple(source_ids))


def _claims(ctx: Context, parent: Mapping) -> tuple[tuple[Claim, ...], bool]:
    """The event's claims, and whether every one of them was well-formed."""
    if parent.get("claims") is None:
        return (), True
    items = fields.sequence(ctx, parent.get("claims"), line=parent.line_of("claims"), field="claims", min_items=1)
    if items is None:
        return (), False
    found: list[Claim] = []
    for index, (item, line) in enumerate(zip(items.items, items.item_lines, strict=True)):
        record = fields.mapping(ctx, item, line=line, field=f"claims[{index}]")
        claim = _claim(ctx, record, f"claims[{index}].") if record is not None else None
        if claim is not None:
            found.append(claim)
    return tuple(found), len(found) == len(items.items)


FieldLines = dict[str, dict[str, int]]


def _field_lines(record: Mapping, line: int) -> dict[str, int]:
    """Lines of the fields cross-references are checked on, so their messages point at the field itself."""
    lines = {"event": line, "sources[].id": record.line_of("sources")}
    where = record.get("where")
    lines["where.place"] = where.line_of("place") if isinstance(where, Mapping) else record.line_of("where")
    claims = record.get("claims")
    for index, claim in enumerate(claims.items if isinstance(claims, Sequence) else []):
        if isinstance(claim, Mapping):
            for inner in ("quote", "status", "sources"):
                lines[f"claims[{index}].{inner}"] = claim.line_of(inner)
    lines["where.precision"] = where.line_of("precision") if isinstance(where, Mapping) else lines["where.place"]
    return lines


def parse_events(path: Path, problems: list[Problem]) -> tuple[list[Event], FieldLines]:
    """Return the events and, per event id, the lines of its cross-referenced fields."""
    ctx, items = _read(path, "events", problems)
    seen: dict[str, int] = {}
    lines: FieldLines = {}
    found: list[Event] = []
    for record, line in items:
        ctx.record = record.get("id") if isinstance(record.get("id"), str) else f"item at line {line}"
        fields.unknown_keys(ctx, record, EVENT_FIELDS)
        event_id = fields.slug(ctx, record, "id")
        fields.unique_ids(ctx, seen, event_id, record.line_of("id"))
        title = fields.text(ctx, record, "title", max_chars=TITLE_MAX)
        description = fields.text(ctx, record, "description", max_chars=TEXT_MAX)
        category = fields.choice(ctx, record, "category", CATEGORIES)
        when = _interval(ctx, record, "when", required=True)
        public = _interval(ctx, record, "public", required=False)
        where = _location(ctx, record)
        claims, claims_ok = _claims(ctx, record)
        cited = _citations(ctx, record)
        if None in (event_id, title, description, category, when, where) or not claims_ok or not cited:
            continue
        lines[event_id] = _field_lines(record, line)  # type: ignore[index]
        found.append(Event(event_id, title, description, category, when, public, where, claims, cited))  # type: ignore[arg-type]
    return found, lines


# --- cross-references ----------------------------------------------------------------------------------


def normalise_space(text: str) -> str:
    """Collapse runs of white space: YAML folding may re-wrap a quote without changing its words."""
    return " ".join(text.split())


def _line(lines: FieldLines, event_id: str, field: str) -> int:
    return lines.get(event_id, {}).get(field, lines.get(event_id, {}).get("event", 0))


def check_quotes(events: Iterable[Event], article: str, *, file: str, lines: FieldLines) -> list[Problem]:
    """Every claim quote must stand verbatim in the seed article (white space aside)."""
    haystack = normalise_space(article)
    return [
        Problem(
            file,
            _line(lines, event.id, f"claims[{index}].quote"),
            event.id,
            f"claims[{index}].quote",
            "a verbatim quote from the seed article",
            show_value(claim.quote),
        )
        for event in events
        for index, claim in enumerate(event.claims)
        if normalise_space(claim.quote) not in haystack
    ]


def check_claim_sources(events: Iterable[Event], *, file: str, lines: FieldLines) -> list[Problem]:
    """A claim rests on sources the event cites (where what each confirms is written), never on others."""
    problems = []
    for event in events:
        cited = {c.source for c in event.sources}
        for index, claim in enumerate(event.claims):
            field = f"claims[{index}].sources"
            problems += [
                Problem(file, _line(lines, event.id, field), event.id, field, "an id from the event's sources", source)
                for source in claim.sources
                if source not in cited
            ]
    return problems


def claim_sources(events: Iterable[Event], *, lines: FieldLines) -> list[ClaimSources]:
    """Each claim's status and sources, located, for the independence rules of geo.casefile.sourcing."""
    return [
        ClaimSources(
            f"{event.id} claims[{index}]",
            _line(lines, event.id, f"claims[{index}].status"),
            claim.status,
            claim.sources,
        )
        for event in events
        for index, claim in enumerate(event.claims)
    ]


def check_citations(
    cited_by: Iterable[tuple[str, int, tuple[Citation, ...]]], sources: dict[str, Source], *, file: str
) -> list[Problem]:
    """Every cited source id must be in the bibliography."""
    return [
        Problem(file, line, record_id, "sources[].id", "an id from sources.yaml", show_value(citation.source))
        for record_id, line, citations in cited_by
        for citation in citations
        if citation.source not in sources
    ]


@dataclass(frozen=True)
class PlaceIndex:
    """What the layers offer events to point at: point ids and area ids."""

    points: frozenset[str]
    areas: frozenset[str]


def check_places(events: Iterable[Event], index: PlaceIndex, *, file: str, lines: FieldLines) -> list[Problem]:
    """Every event's place exists in the layers, with a geometry that fits its precision."""
    problems = []
    for event in events:
        place, precision = event.where.place, event.where.precision
        line = _line(lines, event.id, "where.place")
        if not place:
            continue
        if place not in index.points and place not in index.areas:
            problems.append(
                Problem(file, line, event.id, "where.place", "a place or area id from data/layers", show_value(place))
            )
            continue
        expected = ""
        if precision in POINT_PRECISIONS and place not in index.points:
            expected = "district, region or undisclosed for an area (a region is never a pin)"
        elif precision in AREA_PRECISIONS and place not in index.areas:
            expected = "exact or settlement for a point place"
        if expected:
            precision_line = _line(lines, event.id, "where.precision")
            problems.append(Problem(file, precision_line, event.id, "where.precision", expected, precision))
    return problems


@dataclass(frozen=True)
class CaseData:
    sources: dict[str, Source]
    events: list[Event]


def load_case(*, events_path: Path, sources_path: Path, index: PlaceIndex, article: str | None) -> CaseData:
    """Load, validate and cross-check the events and the bibliography; raise listing every problem."""
    problems: list[Problem] = []
    sources = parse_sources(sources_path, problems)
    events, lines = parse_events(events_path, problems)
    if not problems:
        cited = [(e.id, _line(lines, e.id, "sources[].id"), e.sources) for e in events]
        problems += check_citations(cited, sources, file=str(events_path))
        problems += check_places(events, index, file=str(events_path), lines=lines)
        problems += check_claim_sources(events, file=str(events_path), lines=lines)
        if not problems:
            problems += check_statuses(claim_sources(events, lines=lines), sources, file=str(events_path))
        if article is not None:
            problems += check_quotes(events, article, file=str(events_path), lines=lines)
    _raise_if(problems)
    events.sort(key=lambda e: (e.when.start, e.when.end, e.id))
    return CaseData(sources=sources, events=events)
