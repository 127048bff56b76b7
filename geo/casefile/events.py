"""Events: read events.yaml (or events.jsonl) into records, and cross-check them against the rest of the case.

Cross-references (sources cited, places pointed at, quotes from the seed article, claim sources) are
checked once every file has been read, each problem located at the field it concerns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.casefile import bulk, fastpath, fields, schema
from geo.casefile.fields import Context
from geo.casefile.jsonlines import to_mapping
from geo.casefile.records import (
    AREA_PRECISIONS,
    CLAIM_STATUSES,
    PLACE_PRECISIONS,
    POINT_PRECISIONS,
    QUOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Citation,
    Claim,
    Event,
    Location,
    Source,
    read_citations,
    read_interval,
    read_record_id,
    read_records,
)
from geo.casefile.sourcing import ClaimSources
from geo.casefile.yamlsafe import Mapping, Sequence
from geo.common.errors import Problem, show_value

# --- events --------------------------------------------------------------------------------------------

EVENT_FIELDS = schema.EVENTS.names
CLAIM_FIELDS = schema.CLAIMS.names


def _location(ctx: Context, parent: Mapping) -> Location | None:
    record = fields.mapping(ctx, parent.get("where"), line=parent.line_of("where"), field="where")
    if record is None:
        return None
    fields.unknown_keys(ctx, record, schema.WHERE.names, prefix="where.")
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
    source_ids = fields.id_list(
        ctx, record, "sources", expected="the id of one of the event's sources", min_items=0, prefix=prefix
    )
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


# Per event id, the lines of its cross-referenced fields; a bare line number when every field is on that line (a
# bulk record: one record a line or a row), so a million events do not keep a million small dicts.
FieldLines = dict[str, dict[str, int] | int]


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


@dataclass
class _Reading:
    """What reading one events file keeps: its context, the ids seen, the lines, the case's categories."""

    ctx: Context
    categories: tuple[str, ...]
    seen: dict[str, int] = field(default_factory=dict)
    lines: FieldLines = field(default_factory=dict)


def _located_event(reading: _Reading, record: Mapping, line: int) -> Event | None:
    """One record read field by field, each problem located (the hand-written path, and any bulk record the fast
    path did not accept)."""
    ctx = reading.ctx
    event_id = read_record_id(ctx, record, line, EVENT_FIELDS, reading.seen)
    title = fields.text(ctx, record, "title", max_chars=TITLE_MAX)
    description = fields.text(ctx, record, "description", max_chars=TEXT_MAX)
    category = fields.choice(ctx, record, "category", reading.categories)
    when = read_interval(ctx, record, "when", required=True)
    public = read_interval(ctx, record, "public", required=False)
    where = _location(ctx, record)
    claims, claims_ok = _claims(ctx, record)
    cited = read_citations(ctx, record)
    if (
        event_id is None
        or title is None
        or description is None
        or category is None
        or when is None
        or where is None
        or not claims_ok
        or not cited
    ):
        return None
    reading.lines[event_id] = _field_lines(record, line)
    return Event(event_id, title, description, category, when, public, where, claims, cited)


def _bulk_events(reading: _Reading, rows: Iterable[tuple[Event | None, dict[str, Any] | None, int]]) -> list[Event]:
    """Bulk records: each taken by column (geo.casefile.columnar) or plainly valid (geo.casefile.fastpath) taken as it
    is, any other read located."""
    found: list[Event] = []
    categories = frozenset(reading.categories)
    for taken, raw, line in rows:
        event = taken if raw is None else fastpath.plain_event(raw, categories, reading.seen)
        if event is not None:
            reading.seen[event.id] = line
            reading.lines[event.id] = line
        elif raw is not None:
            event = _located_event(reading, to_mapping(raw, line), line)
        if event is not None:
            found.append(event)
    return found


def parse_events(path: Path, problems: list[Problem], *, categories: tuple[str, ...]) -> tuple[list[Event], FieldLines]:
    """Return the events and, per event id, the lines of its cross-referenced fields.

    ``categories`` is the case's closed set (case.yaml ``categories``).
    """
    if path.suffix in bulk.SUFFIXES:
        reading = _Reading(Context(str(path), []), categories)
        unreadable: list[Problem] = []
        found = _bulk_events(reading, bulk.rows(path, unreadable, categories))
        # As with a YAML file that does not parse, a file with unreadable lines or rows is reported for those
        # alone: the records around them may be misread.
        problems.extend(unreadable or reading.ctx.problems)
        return ([] if unreadable else found), reading.lines
    ctx, items = read_records(path, "events", problems)
    reading = _Reading(ctx, categories)
    found = []
    for record, line in items:
        if (event := _located_event(reading, record, line)) is not None:
            found.append(event)
    return found, reading.lines


# --- cross-references ----------------------------------------------------------------------------------


def normalise_space(text: str) -> str:
    """Collapse runs of white space: YAML folding may re-wrap a quote without changing its words."""
    return " ".join(text.split())


def field_line(lines: FieldLines, event_id: str, field: str) -> int:
    found = lines.get(event_id, 0)
    return found if isinstance(found, int) else found.get(field, found.get("event", 0))


def check_quotes(events: Iterable[Event], article: str, *, file: str, lines: FieldLines) -> list[Problem]:
    """Every claim quote must stand verbatim in the seed article (white space aside)."""
    haystack = normalise_space(article)
    return [
        Problem(
            file,
            field_line(lines, event.id, f"claims[{index}].quote"),
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
                Problem(
                    file, field_line(lines, event.id, field), event.id, field, "an id from the event's sources", source
                )
                for source in claim.sources
                if source not in cited
            ]
    return problems


def claim_sources(events: Iterable[Event], *, lines: FieldLines) -> list[ClaimSources]:
    """Each claim's status and sources, located, for the independence rules of geo.casefile.sourcing."""
    return [
        ClaimSources(
            f"{event.id} claims[{index}]",
            field_line(lines, event.id, f"claims[{index}].status"),
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
        if not place:
            continue
        if place not in index.points and place not in index.areas:
            line = field_line(lines, event.id, "where.place")  # looked up for a problem only: 10^6 events have lines
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
            precision_line = field_line(lines, event.id, "where.precision")
            problems.append(Problem(file, precision_line, event.id, "where.precision", expected, precision))
    return problems
