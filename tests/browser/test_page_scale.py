"""The page's fast paths for large cases (issue #18) give what the plain ones give, in Debian Chromium.

- JSON longer than a string may be is parsed by members and batches of elements (features.js parseJsonBytes): forced
  here with limits of a few bytes, it must equal JSON.parse, on tricky documents and on the page's own data block.
- The search folds events' texts in blocks (search.js textBlock): each text must come out as fold() makes it.
- The time filter (typed tick positions) shows exactly the events whose interval meets the range, for each range.
- The events' columns in the data block (geo/page/eventcolumns.py) expand in the page (columns.js expandEvents) into
  exactly the objects payload.event_payload makes; columns that do not fit are refused, naming the field.
- A query word found in a block of folded texts (search.js blockKinds) is a whole word, a word's beginning or the
  inside of a word, by what stands on either side of it, at the block's ends and the texts' ends too.
- The data block's base-85 decoder (features.js base85Bytes, a word at a time) gives back text85.encode's bytes,
  and refuses text that is not base 85 with the character's position.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from geo.casefile.sourcing import seed_families
from geo.page import packing, text85
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
    # Members whose values are objects, scalars and arrays in turn: the scan of the top level also finds the parts
    # of each member's value (jsonParts), and each must go with its own member.
    {"first": {"k": [1, {"x": "a,b"}], "m": "}"}, "scalar": 2, "list": [[1, 2], {"y": ":"}, "s"], "last": {}},
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
  const c = Casemap.scaleChecks, folded = c.textBlock(texts).text.split("\\n");
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


def test_a_block_deflated_in_blocks_opens_as_one_stream_did(
    open_page: Callable[..., OpenedPage], built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large case's data block is deflated by zlib-ng's threaded writer a block at a time, each block ended by a sync
    # flush (geo.page.packing); the browser's DecompressionStream must inflate that as it did one stream. Forced here
    # on the default case with blocks of 4 KB (about fifty of them).
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 1000)
    monkeypatch.setattr(packing, "BLOCK_BYTES", 4096)
    streamed = tmp_path / "map.html"
    assert main(["--data", str(DATA), "--output", str(streamed)]) == 0
    html, inline_html = streamed.read_text(encoding="utf-8"), built.read_text(encoding="utf-8")
    assert html != inline_html and read_payload(html) == read_payload(inline_html)
    opened = open_page(streamed)
    shown = opened.page.evaluate("() => Casemap.state.events.map((e) => e.id)")
    assert shown == open_page(built).page.evaluate("() => Casemap.state.events.map((e) => e.id)") and len(shown) > 30
    assert opened.errors == []


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


DECODE_SCRIPT = """(texts) => texts.map((text) => {
  try { return Array.from(Casemap.scaleChecks.base85Bytes(text)); } catch (error) { return String(error.message); }
})"""


def test_base85_in_the_page_gives_back_the_bytes_text85_encoded(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    page = open_page(built).page
    rng = random.Random(85)  # noqa: S311 - reproducible test data, not secrets
    # Every length of a last group (0 to 3 bytes), the extremes of a group's value, and a few thousand random bytes.
    samples = [rng.randbytes(size) for size in [*range(13), 1000, 4097]]
    samples += [b"\xff" * 8, b"\x00" * 7, b"\xff\xff\xff\xff\x00\x01\x02"]
    decoded = page.evaluate(DECODE_SCRIPT, [text85.encode(data).decode("ascii") for data in samples])
    assert [bytes(values) for values in decoded] == samples


def test_base85_in_the_page_refuses_what_is_not_base85_with_its_position(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    page = open_page(built).page
    good = text85.encode(b"12345678").decode("ascii")  # two whole groups
    cases = {
        good[:5] + "<" + good[6:]: "casemap-data:5:expected-base85-character",
        good[:3] + "{": "casemap-data:3:expected-base85-character",
        good + "é" + "!": "casemap-data:10:expected-base85-character",  # in the last, short group, and not ASCII
        good[:9] + " ": "casemap-data:9:expected-base85-character",
        good + "a": "casemap-data:expected-whole-groups",
        "~~~~~" + good: "casemap-data:0:expected-four-bytes",
        good + "~~~": "casemap-data:10:expected-four-bytes",
    }
    assert page.evaluate(DECODE_SCRIPT, list(cases)) == list(cases.values())


KINDS_SCRIPT = """([texts, needle]) => {
  const c = Casemap.scaleChecks, found = [];
  c.blockKinds(c.textBlock(texts), needle, (k, kind) => found.push([k, kind]));
  return found;
}"""


def test_a_word_in_a_block_is_whole_a_beginning_or_inside_by_its_neighbours(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    page = open_page(built).page
    # Kinds: 0 a whole word, 1 a word's beginning, 2 inside a word. The first and the last text touch the block's
    # ends; the others are bounded by the "\n" between texts.
    texts = ["chita", "chitas", "xchita", "a chita b", "", "chita chitachita", "in chita"]
    found = page.evaluate(KINDS_SCRIPT, [texts, "chita"])
    assert found == [[0, 0], [1, 1], [2, 2], [3, 0], [5, 0], [5, 1], [5, 2], [6, 0]]
    assert page.evaluate(KINDS_SCRIPT, [["xchitax"], "chita"]) == [[0, 2]]
    assert page.evaluate(KINDS_SCRIPT, [["chitax", "y"], "chita"]) == [[0, 1]]


# Every occurrence of each needle, block by block (blockKinds over textBlock: the trigram filter, then the scan), and
# the same found text by text with plain indexOf over fold() of each text: the filter may only save work.
FILTER_SCRIPT = """([texts, needles]) => {
  const c = Casemap.scaleChecks, block = c.textBlock(texts);
  return needles.map((needle) => {
    const found = [], expected = [];
    c.blockKinds(block, needle, (k, kind) => found.push([k, kind]));
    texts.map(c.fold).forEach((text, k) => {
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
        const starts = at === 0 || text[at - 1] === " ", stops = at + needle.length === text.length || text[at + needle.length] === " ";
        expected.push([k, starts ? (stops ? 0 : 1) : 2]);
      }
    });
    return { needle: needle, found: found, expected: expected, mayHold: c.mayHold(block, needle) };
  });
}"""


def test_the_trigram_filter_never_hides_a_match_and_skips_a_block_without_the_needle(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    page = open_page(built).page
    # "abcd": both its trigrams are in the block, never side by side: the block is read and nothing is found; the
    # first and last texts touch the block's ends (a trigram of the block's first three characters counts).
    texts = [
        "abcd at the start",
        "abc",
        "bcd",
        "al-Qaeda",
        "Qaeda al",
        "Ёлки-палки",
        "中国 國",
        "1969 Chita",
        "the end abcd",
    ]
    needles = ["abcd", "ab", "a", "al qaeda", "l qa", "елки палки", "中国", "国 國", "1969", "ita", "qzxqzxq", "abce"]
    results = page.evaluate(FILTER_SCRIPT, [texts, needles])
    for result in results:
        assert result["found"] == result["expected"], result
    assert all(result["expected"] for result in results if result["needle"] not in ("qzxqzxq", "abce")), results
    for text in texts:  # each text a block of its own: its first and last trigram are the block's
        for result in page.evaluate(FILTER_SCRIPT, [[text], needles]):
            assert result["found"] == result["expected"], (text, result)
    held = {result["needle"]: result["mayHold"] for result in results}
    assert held["abcd"] and held["al qaeda"] and held["1969"], held
    # A block lacking one of the needle's trigrams is skipped; a needle shorter than three characters never is.
    assert not held["qzxqzxq"] and not held["abce"], held
    assert held["ab"] and held["a"], held
    absent = page.evaluate(FILTER_SCRIPT, [["abc", "bcd"], ["abcd", "bcda"]])
    assert [(r["found"], r["mayHold"]) for r in absent] == [([], True), ([], False)]
    # Random texts of a few letters (many overlaps, doubled letters folded, words cut by spaces and dashes) and
    # every needle of one to six characters taken from their folded texts.
    rng = random.Random(18)  # noqa: S311 - reproducible test data, not secrets
    texts = ["".join(rng.choice("abcy -ё") for _ in range(rng.randrange(0, 40))) for _ in range(60)]
    folded = page.evaluate("(texts) => texts.map(Casemap.scaleChecks.fold)", texts)
    needles = sorted(
        {t[i : i + size].strip() for t in folded for size in range(1, 7) for i in range(0, len(t), 5)} - {""}
    )
    assert len(needles) > 100
    for result in page.evaluate(FILTER_SCRIPT, [texts, needles]):
        assert result["found"] == result["expected"], result
