"""The page's fast paths for large cases (issue #18) give what the plain ones give, in Debian Chromium.

- JSON longer than a string may be is parsed by members and batches of elements (features.js parseJsonBytes): forced
  here with limits of a few bytes, it must equal JSON.parse, on tricky documents and on the page's own data block.
- The search folds events' texts in blocks (search.js foldBlock): each text must come out as fold() makes it.
- The time filter (typed tick positions) shows exactly the events whose interval meets the range, for each range.
- The events' columns in the data block (geo/page/eventcolumns.py) expand in the page (columns.js expandEvents) into
  exactly the objects payload.event_payload makes; columns that do not fit are refused, naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from geo.casefile.sourcing import seed_families
from geo.page.eventcolumns import event_columns
from geo.page.packing import json_pieces
from geo.page.payload import event_payload
from geo.page.site import load_site
from tests.conftest import DATA
from tests.pagekit import OpenedPage, read_block, read_payload
from tests.unit.test_eventcolumns import claims_json, reference, synthetic

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("scale") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


PARSE_SCRIPT = """([text, limits]) => {
  const bytes = new TextEncoder().encode(text), plain = JSON.stringify(JSON.parse(text));
  return limits.map((limit) => JSON.stringify(Casemap.scaleChecks.parseJsonBytes(bytes, limit)) === plain);
}"""
TRICKY = [
    {
        "a": 1,
        "events": [{"t": 'x, y: {z} "q"', "u": [1, 2, {"q": '\\\\"'}]}, {"t": "é中 Ё", "v": None}, [], {}],
        "e": [],
    },
    [{"a": 1}, "a long string, with [brackets] and {braces}: and colons", 3.5e-3, True, None],
    {"one": "member"},
    {"nested": {"deeper": {"deepest": ["\\", "\u2028", "\ud83d\ude00"]}}},
    "just a string",
]


def test_json_split_at_members_and_elements_equals_json_parse(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    page = open_page(built).page
    for document in TRICKY:
        for indent in (None, 1):
            text = json.dumps(document, indent=indent, ensure_ascii=False)
            assert page.evaluate(PARSE_SCRIPT, [text, [1, 3, 16, 10**9]]) == [True] * 4, text
    # The page's own data block as it is written (the events as columns), split into batches of a few kilobytes.
    payload = json.dumps(read_block(built.read_text(encoding="utf-8")), ensure_ascii=False)
    assert len(payload) > 100_000
    assert page.evaluate(PARSE_SCRIPT, [payload, [4_096, 65_536]]) == [True, True]


FOLD_SCRIPT = """(texts) => {
  const c = Casemap.scaleChecks, folded = c.foldBlock(texts).split("\\n");
  return texts.map((t, k) => [t, folded[k], c.fold(t)]).filter((row) => row[1] !== row[2]);
}"""
EDGES = [
    "",
    "!",
    "Khabarovsk",
    "TCHITA  chita",
    "kkh tkh yie iie",
    "Ёлки-палки",
    "中国 國",
    "A\nB",
    "ŉ İ K ß",
    "a--a",
    "2001",
]


def test_folding_in_blocks_equals_fold_for_every_event_text(open_page: Callable[..., OpenedPage], built: Path) -> None:
    page = open_page(built).page
    payload: dict[str, Any] = read_payload(built.read_text(encoding="utf-8"))
    texts = [*EDGES]
    for event in payload["events"]:
        texts += [
            event["title"],
            event.get("description", ""),
            *(c.get("confirms", "") for c in event.get("sources", [])),
            *(c.get(k) or "" for c in event.get("claims") or [] for k in ("quote", "reason", "other_account")),
        ]
    assert len(texts) > 300
    assert page.evaluate(FOLD_SCRIPT, texts) == []
    assert page.evaluate(FOLD_SCRIPT, EDGES[::-1]) == []


RANGE_SCRIPT = """([a, b]) => {
  const s = Casemap.state;
  s.time.moveThumb(1, b); s.time.moveThumb(0, a); s.time.moveThumb(1, b);
  const from = s.ticks[s.range[0]], to = s.ticks[s.range[1]];
  const expected = s.events.map((e, i) => [e, i]).filter(([e]) => e.when.end >= from && e.when.start <= to).map(([, i]) => i);
  return { shown: s.shown, expected: expected, range: s.range };
}"""


def test_the_time_filter_shows_exactly_the_events_meeting_the_range(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    page = open_page(built).page
    last = page.evaluate("() => Casemap.state.ticks.length - 1")
    assert last > 20
    for a, b in [(0, last), (last // 3, last // 2), (last // 2, last // 2), (last - 1, last), (0, 0), (5, last - 5)]:
        found = page.evaluate(RANGE_SCRIPT, [a, b])
        assert found["range"] == [a, b]
        assert found["shown"] == found["expected"], (a, b)


EXPAND_SCRIPT = """(columns) => {
  try { return { events: Casemap.scaleChecks.expandEvents(columns) }; } catch (error) { return { error: error.message }; }
}"""


def test_the_page_expands_the_events_columns_into_event_payload_s_objects(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:

    page = open_page(built).page
    site = load_site(DATA, article=None)
    seed = seed_families(site.case.sources)
    expected = [event_payload(event, site.case.sources, seed=seed) for event in site.case.events]
    block = read_block(built.read_text(encoding="utf-8"))["events"]
    # Key for key and in event_payload's order (JSON.stringify keeps the objects' order, as json.dumps does).
    stringified = page.evaluate("(c) => JSON.stringify(Casemap.scaleChecks.expandEvents(c))", block)
    assert stringified == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
    # The events the page's scripts read are those objects (the index adds its own _-prefixed marks).
    shown = page.evaluate("() => Casemap.state.events.map((e) => e.id)")
    assert shown == [event["id"] for event in expected]
    # Every shape of event: undisclosed, notes, public dates, several citations, claims, texts with escapes.
    events = synthetic(700, seed=5)
    columns = json.loads("".join(json_pieces({"e": event_columns(events, claims_json)})))["e"]
    assert page.evaluate(EXPAND_SCRIPT, columns) == {"events": [reference(event) for event in events]}


MISFITS = [
    (
        lambda c: c["category"]["codes"].__setitem__(0, len(c["category"]["values"])),
        "category.codes/0:expected-code-of-a-value",
    ),
    (lambda c: c["title"].pop(), "title:expected-"),
    (lambda c: c["public"]["at"].reverse(), "public.at/1:expected-increasing-event-positions"),
    (lambda c: c["sources"]["count"].__setitem__(0, -1), "sources.count/0:expected-number-of-citations"),
    (lambda c: c.__setitem__("count", "many"), "count:expected-number-of-events"),
]


@pytest.mark.parametrize(("spoil", "message"), MISFITS)
def test_columns_that_do_not_fit_are_refused_by_field(
    open_page: Callable[..., OpenedPage], built: Path, spoil: Callable[[dict[str, Any]], None], message: str
) -> None:

    columns = read_block(built.read_text(encoding="utf-8"))["events"]
    assert len(columns["public"]["at"]) >= 2
    spoil(columns)
    found = open_page(built).page.evaluate(EXPAND_SCRIPT, columns)
    assert "casemap-events:" + message in found.get("error", ""), found
