"""The events in the data block as columns: one array per field, repeated values as small dictionaries and codes.

At 100,000 events the events were 58.5 MB of the block's 58.8 MB of JSON (bench/RESULTS.md), and about half of each
event's 585 bytes was structure: the same keys, nested objects and enum words written 100,000 times. One array per
field writes each key once, a closed-set value (category, precision, place, source id) as a small integer into a
dictionary written once, and leaves out what is not there (a note, a public date, claims) by position. The page turns
the columns back into the same event objects before anything reads them (features.js ``expandEvents``), and
``expand`` below is the same inverse in Python, for tests and the benchmark's page composition.

The shape (every array has one entry per event unless said otherwise; ``count`` is the number of events)::

    {"count": n, "id": [...], "title": [...], "description": [...],
     "category": {"values": [...], "codes": [...]},
     "when": {"start": [...], "end": [... or null where it is the start], "precision": {"values", "codes"},
              "label": [...]},
     "where": {"precision": {"values", "codes"}, "place": {"values", "codes": [... or -1: none]},
               "note": {"at": [event positions], "text": [...]}},
     "sources": {"count": [citations per event], "source": {"values", "codes": [one per citation]},
                 "confirms": [one per citation]},
     "public": {"at": [event positions], "start", "end", "precision", "label": as in "when", one per position},
     "claims": {"at": [event positions], "items": [[claim objects as event_payload writes them], ...]}}

The arrays are written as the block is (geo.page.packing.Lazy): no per-event dict or column list is held in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import Any

from geo.casefile.records import Event, Interval
from geo.page.packing import Lazy, Members


def _coded(items: Sequence[Any], value_of: Callable[[Any], str]) -> Members:
    """Values from a small set as the set (sorted, so the same events give the same bytes) and one code per item;
    -1 codes a missing value (the empty text). The codes are looked up by C calls alone (attrgetter, dict lookup):
    a Python function per item and column was a fifth of writing the block."""
    values = sorted({value_of(item) for item in items} - {""})
    code = {value: number for number, value in enumerate(values)} | {"": -1}
    return Members(values=values, codes=Lazy(Lazy(items, value_of), code.__getitem__))


def _end_unless_start(interval: Interval) -> str | None:
    # Most events happen on one day or in one period named by its start: the end is written only where it differs.
    return None if interval.end == interval.start else interval.end


def _interval_columns(intervals: Sequence[Interval]) -> dict[str, Any]:
    return {
        "start": Lazy(intervals, attrgetter("start")),
        "end": Lazy(intervals, _end_unless_start),
        "precision": _coded(intervals, attrgetter("precision")),
        "label": Lazy(intervals, attrgetter("label")),
    }


def _public(event: Event) -> Interval:
    if event.public is None:  # cannot happen: only events with a public date are listed
        raise ValueError(f"event {event.id} has no public date")
    return event.public


def event_columns(events: Sequence[Event], claims_of: Callable[[Event], list[dict[str, Any]]]) -> Members:
    """The events as columns (the module's shape), written lazily; ``claims_of`` makes an event's claims' JSON."""
    citations = [citation for event in events for citation in event.sources]
    noted = [position for position, event in enumerate(events) if event.where.note]
    public = [position for position, event in enumerate(events) if event.public is not None]
    claimed = [position for position, event in enumerate(events) if event.claims]
    places = [event.where for event in events]
    return Members(
        count=len(events),
        id=Lazy(events, attrgetter("id")),
        title=Lazy(events, attrgetter("title")),
        description=Lazy(events, attrgetter("description")),
        category=_coded(events, attrgetter("category")),
        when=Members(_interval_columns([event.when for event in events])),
        where=Members(
            precision=_coded(places, attrgetter("precision")),
            place=_coded(places, attrgetter("place")),
            note=Members(at=noted, text=Lazy(noted, lambda position: events[position].where.note)),
        ),
        sources=Members(
            count=Lazy(events, lambda event: len(event.sources)),
            source=_coded(citations, attrgetter("source")),
            confirms=Lazy(citations, attrgetter("confirms")),
        ),
        public=Members(at=public, **_interval_columns([_public(events[position]) for position in public])),
        claims=Members(at=claimed, items=Lazy(claimed, lambda position: claims_of(events[position]))),
    )


def _decoded(coded: Mapping[str, Any]) -> list[str | None]:
    values = coded["values"]
    return [values[code] if code >= 0 else None for code in coded["codes"]]


def _intervals(columns: Mapping[str, Any]) -> list[dict[str, Any]]:
    precisions = _decoded(columns["precision"])
    return [
        {"start": start, "end": start if end is None else end, "precision": precision, "label": label}
        for start, end, precision, label in zip(
            columns["start"], columns["end"], precisions, columns["label"], strict=True
        )
    ]


def expand(columns: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The event objects the columns were made from (geo.page.payload.event_payload's), as the page's expandEvents
    makes them."""
    count = columns["count"]
    categories = _decoded(columns["category"])
    whens = _intervals(columns["when"])
    where = columns["where"]
    precisions, places = _decoded(where["precision"]), _decoded(where["place"])
    notes = dict(zip(where["note"]["at"], where["note"]["text"], strict=True))
    sources = columns["sources"]
    cited = iter(zip(_decoded(sources["source"]), sources["confirms"], strict=True))
    public = dict(zip(columns["public"]["at"], _intervals(columns["public"]), strict=True))
    claims = dict(zip(columns["claims"]["at"], columns["claims"]["items"], strict=True))
    events: list[dict[str, Any]] = []
    for position in range(count):
        place: dict[str, Any] = {"precision": precisions[position]}
        if places[position] is not None:
            place["place"] = places[position]
        if position in notes:
            place["note"] = notes[position]
        event: dict[str, Any] = {
            "id": columns["id"][position],
            "title": columns["title"][position],
            "description": columns["description"][position],
            "category": categories[position],
            "when": whens[position],
            "where": place,
            "sources": [
                {"source": source, "confirms": confirms}
                for source, confirms in (next(cited) for _ in range(sources["count"][position]))
            ],
        }
        if position in public:
            event["public"] = public[position]
        if position in claims:
            event["claims"] = claims[position]
        events.append(event)
    return events
