"""The events' columns in the data block (geo.page.eventcolumns) expand into exactly the objects event_payload makes."""

from __future__ import annotations

import dataclasses
import json
import random
from typing import Any

import pytest

from geo.casefile.records import Citation, Claim, Event, Interval, Location
from geo.casefile.sourcing import seed_families
from geo.page import eventcolumns, packing
from geo.page.payload import build_payload, event_payload
from geo.page.site import load_site
from tests.conftest import DATA


def written(columns: packing.Members) -> str:
    """The columns as the data block writes them (member by member, Lazy columns in batches)."""
    return "".join(packing.json_pieces({"events": columns}))


def as_text(events: list[dict[str, Any]]) -> str:
    # Key order too: the page's objects list their keys in event_payload's order (exports and cards iterate them).
    return json.dumps(events, ensure_ascii=False)


def test_the_case_s_events_come_back_key_for_key() -> None:
    site = load_site(DATA, article=None)
    events = site.case.events
    # The case has what the sparse columns hold: place notes, public dates, claims, undisclosed places.
    assert any(e.where.note for e in events) and any(e.public for e in events) and any(e.claims for e in events)
    assert any(not e.where.place for e in events)
    seed = seed_families(site.case.sources)
    expected = [event_payload(event, site.case.sources, seed=seed) for event in events]
    block = json.loads(written(build_payload(site, bases=[])["events"]))["events"]
    assert as_text(eventcolumns.expand(block)) == as_text(expected)


def interval(rng: random.Random) -> Interval:
    start = f"{rng.randint(1689, 2021)}-{rng.randint(1, 12):02d}-01"
    end = start if rng.random() < 0.6 else f"2022-{rng.randint(1, 12):02d}-28"
    return Interval(
        start, end, rng.choice(["day", "month", "year", "approximate"]), rng.choice(["", "около 1900", start])
    )


def synthetic(count: int, seed: int) -> list[Event]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    words = ["Чита", "depot", "引渡", 'q"uote', "back\\slash", "line\nbreak", "\u2028", "null", "-1"]
    events = []
    for n in range(count):
        undisclosed = rng.random() < 0.2
        where = Location(
            "" if undisclosed else rng.choice(["chita", "borzya", "null"]),
            "undisclosed" if undisclosed else rng.choice(["exact", "settlement", "region"]),
            rng.choice(["", "", "", " ".join(rng.choices(words, k=3))]),
        )
        cited = tuple(
            Citation(rng.choice(["tass", "voa", "s-1"]), " ".join(rng.choices(words, k=4)))
            for _ in range(rng.randint(1, 3))
        )
        claims = (Claim("quote", "disputed", "reason", "other", ("tass",)),) if rng.random() < 0.1 else ()
        events.append(
            Event(
                f"ev-{n}",
                " ".join(rng.choices(words, k=5)),
                " ".join(rng.choices(words, k=9)),
                rng.choice(["arrest", "trial", "Ё"]),
                interval(rng),
                interval(rng) if rng.random() < 0.3 else None,
                where,
                claims,
                cited,
            )
        )
    return events


def claims_json(event: Event) -> list[dict[str, Any]]:
    return [{"quote": c.quote, "status": c.status, "sources": list(c.sources)} for c in event.claims]


def reference(event: Event) -> dict[str, Any]:
    """event_payload's object, its claims made by claims_json (the claims' own JSON is not the columns' concern)."""
    out = event_payload(event, {}, seed=frozenset())
    if event.claims:
        out["claims"] = claims_json(event)
    return out


@pytest.mark.parametrize("count", [0, 1, 2, 5, 2001, 4500])
def test_columns_round_trip_every_shape_of_event(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 1000)
    events = synthetic(count, seed=count)
    text = written(eventcolumns.event_columns(events, claims_json))
    assert as_text(eventcolumns.expand(json.loads(text)["events"])) == as_text([reference(e) for e in events])


def test_the_columns_are_written_the_same_for_the_same_events_and_in_batches_of_any_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = synthetic(3000, seed=7)
    first = written(eventcolumns.event_columns(events, claims_json))
    assert first == written(eventcolumns.event_columns(list(events), claims_json))
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 7)
    assert written(eventcolumns.event_columns(events, claims_json)) == first


def test_repeated_values_are_written_once_and_coded() -> None:
    events = synthetic(500, seed=3)
    block = json.loads(written(eventcolumns.event_columns(events, claims_json)))["events"]
    assert block["category"]["values"] == sorted({e.category for e in events})
    assert len(block["category"]["codes"]) == 500
    assert block["where"]["place"]["values"] == sorted({e.where.place for e in events if e.where.place})
    assert block["where"]["place"]["codes"].count(-1) == sum(1 for e in events if not e.where.place)
    # An end equal to the start is left out (null); the sparse columns list only the events that have the field.
    assert block["when"]["end"].count(None) == sum(1 for e in events if e.when.end == e.when.start)
    assert block["public"]["at"] == [k for k, e in enumerate(events) if e.public is not None]
    assert block["claims"]["at"] == [k for k, e in enumerate(events) if e.claims]
    assert block["where"]["note"]["at"] == [k for k, e in enumerate(events) if e.where.note]


def test_the_columns_are_smaller_than_the_objects() -> None:
    events = synthetic(2000, seed=11)
    objects = json.dumps([reference(e) for e in events], ensure_ascii=False, separators=(",", ":"))
    assert len(written(eventcolumns.event_columns(events, claims_json))) < 0.8 * len(objects)


def test_events_citing_nothing_count_zero_citations_and_come_back() -> None:
    events = [
        dataclasses.replace(event, sources=()) if position % 3 == 0 else event
        for position, event in enumerate(synthetic(50, seed=13))
    ]
    block = json.loads(written(eventcolumns.event_columns(events, claims_json)))["events"]
    assert block["sources"]["count"] == [len(event.sources) for event in events]
    assert block["sources"]["count"].count(0) == 17
    assert as_text(eventcolumns.expand(block)) == as_text([reference(e) for e in events])
