"""Bulk events in one pass: a plain record (from JSON Lines, CSV or Parquet) becomes an Event when every field is
plainly valid, without the per-field located readers.

At 100,000 events the located readers (geo.casefile.fields, one call per field, each value wrapped with its line)
were most of the build (bench/RESULTS.md: 1.4 million calls to ``fields.text``). Here a record is tested once, with
the same rules (the same patterns, limits and closed sets), and accepted only when nothing at all is unusual. Any
record that is not accepted (a bad value, an unknown field, claims, an empty string where a field may be left out)
returns None and goes through the located readers, which say what is wrong and where: so the fast path decides
nothing on its own, and every message stays the one the readers write.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from functools import lru_cache
from typing import Any, TypeGuard

from geo.casefile import fields, schema
from geo.casefile.fields import FULL_DATE, SLUG, Context
from geo.casefile.records import (
    PLACE_PRECISIONS,
    TEXT_MAX,
    TIME_PRECISIONS,
    TITLE_MAX,
    Citation,
    Event,
    Interval,
    Location,
    _check_precision,
    interval_label,
)
from geo.casefile.yamlsafe import Mapping

EVENT_FIELDS = frozenset(schema.EVENTS.names)
WHERE_FIELDS = frozenset(schema.WHERE.names)
INTERVAL_FIELDS = frozenset({"start", "end", "precision", "label"})
CITATION_FIELDS = frozenset({"id", "confirms"})
# A printable ASCII character other than space is visible: a text holding one is not blank (fields.is_blank).
VISIBLE_ASCII = re.compile(r"[!-~]")
FORBIDDEN_CONTROL = fields._FORBIDDEN_CONTROL
_NO_LINES = Mapping(items={}, key_lines={}, line=0)
LABEL_MAX = 80  # records.read_interval
ID_MAX = 80  # fields.slug
CHOICE_MAX = 40  # fields.choice
DAY_MAX = 20  # a longer text is no day: not parsed


def clean_text(value: object, max_chars: int) -> TypeGuard[str]:
    """True when fields.text would accept ``value`` as it is: a non-empty, visible text within the limit."""
    if type(value) is not str or not 0 < len(value) <= max_chars:
        return False
    if value.isascii() and value.isprintable():
        # U+0020..U+007E only (two C calls, isascii without reading the text): no control character, and blank
        # only when it is all spaces; at 100,000 events the two regex searches per text were a tenth of reading.
        return not value.isspace()
    return (VISIBLE_ASCII.search(value) is not None or not fields.is_blank(value)) and FORBIDDEN_CONTROL.search(
        value
    ) is None


def clean_id(value: object) -> TypeGuard[str]:
    return type(value) is str and len(value) <= ID_MAX and SLUG.fullmatch(value) is not None


@lru_cache(maxsize=65536)
def _clean_reference(value: str) -> bool:
    return len(value) <= ID_MAX and SLUG.fullmatch(value) is not None


def clean_reference(value: object) -> TypeGuard[str]:
    """clean_id for the ids events point at (places, sources): a few hundred ids, each met thousands of times."""
    return type(value) is str and _clean_reference(value)


@lru_cache(maxsize=65536)
def _dates_fit(start: str, end: str, precision: str) -> bool:
    """Both days exist and the interval fits its precision (records._check_precision, whose message is not needed)."""
    if not (FULL_DATE.fullmatch(start) and FULL_DATE.fullmatch(end)):
        return False
    try:
        date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return False
    return _check_precision(Context("", []), _NO_LINES, "", start, end, precision)


@lru_cache(maxsize=65536)
def made_interval(start: str, end: str, precision: str) -> Interval:
    """The interval with the label the build makes; shared, as many events fall on one day."""
    return Interval(start, end, precision, interval_label(start, end, precision))


def interval(value: object) -> Interval | None:
    if type(value) is not dict or not value.keys() <= INTERVAL_FIELDS:
        return None
    return interval_of(value.get("start"), value.get("end"), value.get("precision"), value.get("label"))


def interval_of(start: object, end: object, precision: object, label: object) -> Interval | None:
    """The interval of these members (None: a member left out), or None when any is not plainly valid."""
    if label is None:
        return unlabelled(start, end, precision)
    made = dated(start, end, precision)
    if made is None or not clean_text(label, LABEL_MAX):
        return None
    return Interval(made.start, made.end, made.precision, label)


def unlabelled(start: object, end: object, precision: object) -> Interval | None:
    """interval_of without a label: the build writes one, except for an approximate date, which needs its own."""
    return None if precision == "approximate" else dated(start, end, precision)


def dated(start: object, end: object, precision: object) -> Interval | None:
    """The interval with the label the build makes, or None when the days or the precision are not plainly valid."""
    if type(start) is not str or type(end) is not str or type(precision) is not str:
        return None
    if precision not in TIME_PRECISIONS or len(start) > DAY_MAX or len(end) > DAY_MAX:
        return None
    return made_interval(start, end, precision) if _dates_fit(start, end, precision) else None


@lru_cache(maxsize=65536)
def _shared_location(place: str, precision: str) -> Location:
    """A location without a note; shared, as many events happen at one place."""
    return Location(place, precision, "")


def location(value: object) -> Location | None:
    if type(value) is not dict or not value.keys() <= WHERE_FIELDS:
        return None
    return location_of(value.get("place"), value.get("precision"), value.get("note"))


def location_of(place: object, precision: object, note: object) -> Location | None:
    """The location of these members (None: a member left out), or None when any is not plainly valid."""
    if precision not in PLACE_PRECISIONS:
        return None
    if place is None and precision != "undisclosed":
        return None
    if place is not None and not clean_reference(place):
        return None
    if note is not None and not clean_text(note, TEXT_MAX):
        return None
    return Location(place or "", precision, note) if note else _shared_location(place or "", precision)


def citations(value: object) -> tuple[Citation, ...] | None:
    if type(value) is not list or not value:
        return None
    found = []
    for item in value:
        if type(item) is not dict or not item.keys() <= CITATION_FIELDS:
            return None
        source, confirms = item.get("id"), item.get("confirms")
        if not clean_reference(source) or not clean_text(confirms, TEXT_MAX):
            return None
        found.append(Citation(source, confirms))
    return tuple(found)


def plain_event(record: dict[str, Any], categories: Collection[str], seen: Collection[str]) -> Event | None:
    """The event of a record every field of which is plainly valid, or None (the located readers then decide).

    ``categories`` is the case's closed set; ``seen`` the ids already read (a repeated id goes to the readers).
    """
    if not record.keys() <= EVENT_FIELDS or record.get("claims") is not None:
        return None
    event_id, title, description = record.get("id"), record.get("title"), record.get("description")
    category = record.get("category")
    if not clean_id(event_id) or event_id in seen:
        return None
    if not clean_text(title, TITLE_MAX) or not clean_text(description, TEXT_MAX):
        return None
    if type(category) is not str or category not in categories or len(category) > CHOICE_MAX:
        return None
    when = interval(record.get("when"))
    public_value = record.get("public")
    public = None if public_value is None else interval(public_value)
    where = location(record.get("where"))
    cited = citations(record.get("sources"))
    if when is None or (public_value is not None and public is None) or where is None or cited is None:
        return None
    return Event(event_id, title, description, category, when, public, where, (), cited)
