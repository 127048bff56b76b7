"""The records of a case's hand-edited files (sources, events, places, depots) and the readers they share.

Dates are intervals with the precision they are known to; citations name a source and what it confirms.

The records are frozen dataclasses with slots: a bulk build holds an Event and one or two Citations per event, a
million of each at 10^6 events. With slots an Event took 112 bytes against 160, its fields were read a third
faster (the page's columns read every field of every event) and it was freed twice as fast (27 November, 10^5
objects of nine fields).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.casefile import fields
from geo.casefile.fields import Context
from geo.casefile.jsonlines import load_jsonl
from geo.casefile.yamlsafe import Mapping, load_yaml
from geo.common.errors import DataValidationError, Problem, show_value

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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Citation:
    """A source cited for a record, and what that source confirms."""

    source: str
    confirms: str


@dataclass(frozen=True, slots=True)
class Interval:
    """A span of days (ISO strings, inclusive) with the precision it is known to."""

    start: str
    end: str
    precision: str
    label: str


@dataclass(frozen=True, slots=True)
class Location:
    place: str
    precision: str
    note: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim of the seed article, its verdict, and the sources (ids among the event's) it rests on."""

    quote: str
    status: str
    reason: str
    other_account: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    sources: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """A settlement the case needs, by GeoNames id, with optional name picks and roles."""

    id: str
    geonameid: int
    note: str
    name_ru: str
    name_zh: str
    roles: tuple[Role, ...]
    line: int


@dataclass(frozen=True, slots=True)
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


def read_interval(ctx: Context, parent: Mapping, key: str, *, required: bool) -> Interval | None:
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


def read_citations(ctx: Context, parent: Mapping, key: str = "sources") -> tuple[Citation, ...]:
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


def read_record_id(ctx: Context, record: Mapping, line: int, allowed: set[str], seen: dict[str, int]) -> str | None:
    """Begin a record of a list with ids: name it in messages (by its id, else its line), refuse fields the schema
    does not declare, and return its id, which must be unique in the file."""
    ctx.record = record_id if isinstance(record_id := record.get("id"), str) else f"item at line {line}"
    fields.unknown_keys(ctx, record, allowed)
    found = fields.slug(ctx, record, "id")
    fields.unique_ids(ctx, seen, found, record.line_of("id"))
    return found


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise DataValidationError(problems)


def read_records(path: Path, key: str, problems: list[Problem]) -> tuple[Context, list[tuple[Mapping, int]]]:
    loaded = load_jsonl(path, key=key) if path.suffix == ".jsonl" else load_yaml(path)
    problems.extend(loaded.problems)
    ctx = Context(str(path), problems)
    if loaded.root is None or loaded.problems:
        return ctx, []
    return ctx, fields.records(ctx, loaded.root, key)
