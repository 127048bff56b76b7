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

The columns are lists of the events' own values (no per-event dict is made), written a batch at a time as the block
is (geo.page.packing); only the claims are made when written (packing.Lazy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import compress, repeat
from operator import is_not
from typing import Any

from geo.casefile.records import Citation, Claim, Event, Interval, Location
from geo.page.packing import Lazy, Members, Spelled, spelled_ints

# Each field is read from the events once, in one Python loop collecting the columns (event_columns; one more for the
# intervals, the places and the citations each): at 100,000 events a pass over the events for one field took about
# 45 ms, most of it waiting on memory (each event, then each value it holds, is read from RAM again), and the columns
# took a pass a field; one loop with nine appends took 170 ms. attrgetter with several names, then zip, was slower
# (230-250 ms): a tuple per event, and the garbage collector's scans they set off.
# The columns are lists (8 bytes an event each) that the block's writer (geo.page.packing) reads in batches.


def _coded(values: list[str]) -> Members:
    """Values from a small set as the set (sorted, so the same events give the same bytes) and one code per item;
    -1 codes a missing value (the empty text). Each code is written as its text, looked up (packing.Spelled)."""
    known = sorted(set(values) - {""})
    texts = {value: str(number) for number, value in enumerate(known)} | {"": "-1"}
    return Members(values=known, codes=Spelled(values, texts))


def _interval_columns(intervals: Sequence[Interval]) -> dict[str, Any]:
    starts: list[str] = []
    ends: list[str | None] = []
    precisions: list[str] = []
    labels: list[str] = []
    for interval in intervals:
        start, end = interval.start, interval.end
        starts.append(start)
        # Most events happen on one day or in one period named by its start: the end is written only where it differs.
        ends.append(None if end == start else end)
        precisions.append(interval.precision)
        labels.append(interval.label)
    return {"start": starts, "end": ends, "precision": _coded(precisions), "label": labels}


def _where_columns(places: Sequence[Location]) -> Members:
    precisions: list[str] = []
    names: list[str] = []
    notes: list[str] = []
    for place in places:
        precisions.append(place.precision)
        names.append(place.place)
        notes.append(place.note)
    return Members(
        precision=_coded(precisions),
        place=_coded(names),
        note=Members(at=list(compress(range(len(notes)), notes)), text=list(filter(None, notes))),
    )


def _source_columns(cited: Sequence[tuple[Citation, ...]]) -> Members:
    counts: list[int] = []
    sources: list[str] = []
    confirms: list[str] = []
    for citations in cited:
        counts.append(len(citations))
        for citation in citations:
            sources.append(citation.source)
            confirms.append(citation.confirms)
    return Members(count=spelled_ints(counts), source=_coded(sources), confirms=confirms)


def event_columns(events: Sequence[Event], claims_of: Callable[[Event], list[dict[str, Any]]]) -> Members:
    """The events as columns (the module's shape); ``claims_of`` makes an event's claims' JSON, when written."""
    ids: list[str] = []
    titles: list[str] = []
    descriptions: list[str] = []
    categories: list[str] = []
    whens: list[Interval] = []
    places: list[Location] = []
    cited: list[tuple[Citation, ...]] = []
    publics: list[Interval | None] = []
    claims: list[tuple[Claim, ...]] = []
    for event in events:
        ids.append(event.id)
        titles.append(event.title)
        descriptions.append(event.description)
        categories.append(event.category)
        whens.append(event.when)
        places.append(event.where)
        cited.append(event.sources)
        publics.append(event.public)
        claims.append(event.claims)
    public = list(compress(range(len(events)), map(is_not, publics, repeat(None))))
    claimed = list(compress(range(len(events)), claims))
    return Members(
        count=len(events),
        id=ids,
        title=titles,
        description=descriptions,
        category=_coded(categories),
        when=Members(_interval_columns(whens)),
        where=_where_columns(places),
        sources=_source_columns(cited),
        public=Members(at=public, **_interval_columns([when for when in publics if when is not None])),
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
