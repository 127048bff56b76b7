"""Case files: a good dataset loads, and each kind of error is reported at the right place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.casefile.casedata import CaseData, load_case
from geo.casefile.events import PlaceIndex
from geo.casefile.records import interval_label
from geo.common.errors import DataValidationError

SOURCES = """\
sources:
  - id: court-release
    outlet: Zabaykalsky Krai Court
    title: Press release
    url: https://example.org/court
    published: "2021-02-25"
    language: ru
    kind: court
    family: Zabaykalsky Krai Court
  - id: tass-report
    outlet: TASS
    title: Report
    url: https://example.org/tass
    published: "2021-02-25"
    language: ru
    kind: wire
    family: TASS
  - id: voa-report
    outlet: VOA
    title: Earlier report
    via: https://example.org/voa-mirror
    published: "2021-01-29"
    language: zh
    kind: broadcaster
    family: VOA
  - id: seed-article
    outlet: Seed
    title: The article
    published: 2021-03
    language: zh
    kind: seed
    family: VOA
"""

EVENTS = """\
events:
  - id: verdict
    title: Verdict
    description: The court convicted him.
    category: case
    when:
      start: "2021-02-01"
      end: "2021-02-10"
      precision: approximate
      label: early February 2021
    public: {start: "2021-02-25", end: "2021-02-25", precision: day}
    where:
      place: zabaykalsky-krai
      precision: region
    claims:
      - quote: handed down its verdict
        status: corroborated
        reason: the court's release confirms it
        sources: [court-release]
    sources:
      - id: court-release
        confirms: the verdict
  - id: release
    title: Court release
    description: The court announced it.
    category: courts-security
    when: {start: "2021-02-25", end: "2021-02-25", precision: day}
    where: {place: chita, precision: settlement}
    sources: [{id: court-release, confirms: the release}]
"""

# The categories these tests' events use (a case declares its own in case.yaml).
CATEGORIES = ("case", "courts-security", "military", "history", "resources", "diplomacy")
INDEX = PlaceIndex(points=frozenset({"chita"}), areas=frozenset({"zabaykalsky-krai"}))
ARTICLE = "The court handed down its verdict in early February."


def load(tmp_path: Path, events: str = EVENTS, sources: str = SOURCES, article: str | None = ARTICLE) -> CaseData:
    (tmp_path / "events.yaml").write_text(events, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(sources, encoding="utf-8")
    return load_case(
        events_path=tmp_path / "events.yaml",
        sources_path=tmp_path / "sources.yaml",
        index=INDEX,
        article=article,
        categories=CATEGORIES,
    )


def test_good_dataset_loads_sorted_with_labels(tmp_path: Path) -> None:
    case = load(tmp_path)
    assert [e.id for e in case.events] == ["verdict", "release"]
    verdict = case.events[0]
    assert verdict.when.label == "early February 2021"
    assert verdict.public is not None and verdict.public.label == "25 February 2021"
    assert [(c.status, c.sources) for c in verdict.claims] == [("corroborated", ("court-release",))]
    assert case.sources["seed-article"].url == ""


@pytest.mark.parametrize(
    ("start", "end", "precision", "label"),
    [
        ("2021-02-25", "2021-02-25", "day", "25 February 2021"),
        ("2019-08-01", "2019-08-31", "month", "August 2019"),
        ("1689-01-01", "1689-12-31", "year", "1689"),
    ],
)
def test_interval_labels_say_only_what_is_known(start: str, end: str, precision: str, label: str) -> None:
    assert interval_label(start, end, precision) == label


# Each case: (text to replace, replacement, file, line, record, field, message fragment).
EVENT_ERRORS = [
    ('start: "2021-02-01"', 'start: "2021-02-30"', 7, "verdict", "when.start", "exists in the calendar"),
    ('start: "2021-02-01"', "start: 12:30", 7, "verdict", "when.start", "YYYY-MM-DD"),
    ('end: "2021-02-10"', 'end: "2021-01-10"', 8, "verdict", "when.end", "on or after start"),
    ("precision: approximate", "precision: fuzzy", 9, "verdict", "when.precision", "one of day, month"),
    ("      label: early February 2021\n", "", 7, "verdict", "when.label", "non-empty text"),
    ("category: case\n", "category: gossip\n", 5, "verdict", "category", "one of case"),
    ("place: zabaykalsky-krai", "place: atlantis", 13, "verdict", "where.place", "a place or area id"),
    ("precision: region", "precision: settlement", 14, "verdict", "where.precision", "never a pin"),
    ("status: corroborated", "status: true", 17, "verdict", "claims[0].status", "one of corroborated"),
    ("quote: handed down its verdict", "quote: acquitted", 16, "verdict", "claims[0].quote", "verbatim"),
    (
        "- id: court-release\n        confirms: the verdict",
        "- id: tass\n        confirms: x",
        20,
        "verdict",
        "sources[].id",
        "an id from sources.yaml",
    ),
    ("  - id: release", "  - id: verdict", 23, "verdict", "id", "unique id"),
    ("    title: Verdict\n", "    title: Verdict\n    colour: red\n", 4, "verdict", "colour", "unknown field"),
    ("    title: Verdict\n", "    title: Verdict\n    title: Again\n", 4, "", "title", "each key once"),
    (
        "    description: The court convicted him.\n",
        "    description: The court convicted him.\n    sources: []\n",
        21,
        "",
        "sources",
        "each key once",
    ),  # reported at the second occurrence, line 21
]


@pytest.mark.parametrize(("old", "new", "line", "record", "field", "message"), EVENT_ERRORS)
def test_event_error_names_line_record_and_field(
    tmp_path: Path, old: str, new: str, line: int, record: str, field: str, message: str
) -> None:
    assert old in EVENTS
    with pytest.raises(DataValidationError) as raised:
        load(tmp_path, events=EVENTS.replace(old, new, 1))
    problems = raised.value.problems
    matching = [p for p in problems if p.field == field and message in str(p)]
    assert matching, "\n".join(map(str, problems))
    assert matching[0].file.endswith("events.yaml")
    assert matching[0].record == record
    assert matching[0].line == line


SOURCE_ERRORS = [
    ("url: https://example.org/court", "url: javascript:alert(1)", "url", "http:// or https://"),
    ("url: https://example.org/court", "url: data:text/html,hi", "url", "http:// or https://"),
    ("url: https://example.org/court", "url: file:///etc/passwd", "url", "http:// or https://"),
    ("url: https://example.org/court", "url: https://", "url", "http:// or https://"),
    ('published: "2021-02-25"', 'published: "2021-13-01"', "published", "exists"),
    ("language: ru", "language: NO", "language", "ISO 639-1"),
    ("kind: court", "kind: news", "kind", "one of wire"),
]


@pytest.mark.parametrize(("old", "new", "field", "message"), SOURCE_ERRORS)
def test_source_errors(tmp_path: Path, old: str, new: str, field: str, message: str) -> None:
    with pytest.raises(DataValidationError) as raised:
        load(tmp_path, sources=SOURCES.replace(old, new, 1))
    problem = next(p for p in raised.value.problems if p.field == field)
    assert message in str(problem)
    assert problem.record == "court-release"
    assert problem.line == next(n for n, t in enumerate(SOURCES.replace(old, new, 1).splitlines(), 1) if new in t)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    broken = EVENTS.replace("category: case", "category: gossip").replace(
        'end: "2021-02-25", precision: day}', 'end: "2021-02-24", precision: day}'
    )
    with pytest.raises(DataValidationError) as raised:
        load(tmp_path, events=broken)
    fields = {(p.record, p.field) for p in raised.value.problems}
    assert {("verdict", "category"), ("verdict", "public.end")} <= fields
    assert re.match(r"\d+ problems in the data:", str(raised.value))


def test_quotes_are_not_checked_without_the_article(tmp_path: Path) -> None:
    case = load(tmp_path, events=EVENTS.replace("handed down its verdict", "not in the article"), article=None)
    assert case.events[0].claims[0].quote == "not in the article"


def test_quote_whitespace_may_be_rewrapped(tmp_path: Path) -> None:
    events = EVENTS.replace("quote: handed down its verdict", "quote: >-\n          handed down\n          its verdict")
    assert load(tmp_path, events=events).events[0].claims[0].quote == "handed down its verdict"


# --- claims, sources that bear on them, and what each status demands (issue #15) ---------------------------

CITED = "    sources:\n      - id: court-release\n        confirms: the verdict\n"
EXTRA_CITATIONS = (
    "      - id: tass-report\n        confirms: the same verdict\n"
    "      - id: voa-report\n        confirms: the seed publisher's earlier report\n"
)


def with_second_claim(claim: str, *, cite_more: bool = False) -> str:
    """The good events with ``claim`` (indented as a claims item) added to the verdict, and optionally two more sources."""
    assert CITED in EVENTS
    return EVENTS.replace(CITED, claim + CITED + (EXTRA_CITATIONS if cite_more else ""), 1)


def line_in(text: str, needle: str, *, after: int = 0) -> int:
    """The number of the first line after line ``after`` that contains ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if n > after and needle in line)


CLAIM_ITEM_ERRORS = [
    # (second claim, field, message fragment, text on the reported line)
    (
        "      - quote: in early February\n        status: maybe\n        reason: r\n",
        "claims[1].status",
        "one of corroborated",
        "status: maybe",
    ),
    # A missing field is reported at the claim's first line.
    (
        "      - quote: in early February\n        status: unverified\n",
        "claims[1].reason",
        "non-empty",
        "- quote: in early",
    ),
    (
        "      - quote: in early February\n        status: corrected\n        reason: r\n        sources: [court-release]\n",
        "claims[1].other_account",
        "non-empty",
        "- quote: in early",
    ),
    (
        "      - quote: in early February\n        status: unverified\n        reason: r\n        sources: [Court Release]\n",
        "claims[1].sources[]",
        "the id of one of the event's sources",
        "sources: [Court Release]",
    ),
    ("      - just a sentence\n", "claims[1]", "a mapping of fields", "- just a sentence"),
    (
        "      - quote: in early February\n        status: unverified\n        reason: r\n        source: [court-release]\n",
        "claims[1].source",
        "one of the fields",
        "source: [court-release]",
    ),
]


@pytest.mark.parametrize(("claim", "field", "message", "on_line"), CLAIM_ITEM_ERRORS)
def test_a_bad_claim_is_reported_with_its_index_and_line(
    tmp_path: Path, claim: str, field: str, message: str, on_line: str
) -> None:
    events = with_second_claim(claim)
    with pytest.raises(DataValidationError) as raised:
        load(tmp_path, events=events)
    matching = [p for p in raised.value.problems if p.field == field]
    assert matching, "\n".join(map(str, raised.value.problems))
    assert message in str(matching[0])
    assert matching[0].record == "verdict"
    assert matching[0].line == line_in(events, on_line)


def test_a_claim_may_not_rest_on_a_source_the_event_does_not_cite(tmp_path: Path) -> None:
    # tass-report is in the bibliography but not among the verdict's sources: what it confirms is written nowhere.
    events = with_second_claim(
        "      - quote: in early February\n        status: corroborated\n        reason: r\n        sources: [tass-report]\n"
    )
    with pytest.raises(DataValidationError) as raised:
        load(tmp_path, events=events)
    [problem] = raised.value.problems
    assert (problem.record, problem.field, problem.found) == ("verdict", "claims[1].sources", "tass-report")
    assert "an id from the event's sources" in problem.expected
    assert problem.line == line_in(events, "sources: [tass-report]")


def test_the_same_claim_passes_once_the_event_cites_the_source(tmp_path: Path) -> None:
    events = with_second_claim(
        "      - quote: in early February\n        status: corroborated\n        reason: r\n        sources: [tass-report]\n",
        cite_more=True,
    )
    verdict = next(e for e in load(tmp_path, events=events).events if e.id == "verdict")
    assert [c.sources for c in verdict.claims] == [("court-release",), ("tass-report",)]


def test_a_source_needs_a_url_or_the_copy_read(tmp_path: Path) -> None:
    # The copy alone is enough (the original's address may be unknown) ...
    case = load(tmp_path)
    assert (case.sources["voa-report"].url, case.sources["voa-report"].via) == ("", "https://example.org/voa-mirror")
    # ... but a source with neither cannot be found again by a reader.
    sources = SOURCES.replace("    via: https://example.org/voa-mirror\n", "", 1)
    with pytest.raises(DataValidationError) as raised:
        load(tmp_path, sources=sources)
    [problem] = raised.value.problems
    assert (problem.record, problem.field) == ("voa-report", "url")
    assert problem.line == line_in(sources, "  - id: voa-report")


def test_a_source_with_both_keeps_the_original_and_the_copy(tmp_path: Path) -> None:
    sources = SOURCES.replace(
        "    url: https://example.org/court\n",
        "    url: https://example.org/court\n    via: https://mirror.example.org/court\n",
        1,
    )
    court = load(tmp_path, sources=sources).sources["court-release"]
    assert (court.url, court.via) == ("https://example.org/court", "https://mirror.example.org/court")


STATUS_RULES = [
    # (status, other_account line or "", claim sources, refused?, found fragment)
    (
        "disputed",
        "        other_account: o\n",
        "[court-release]",
        True,
        "1 independent family (Zabaykalsky Krai Court)",
    ),
    ("disputed", "        other_account: o\n", "[court-release, tass-report]", False, ""),
    ("corroborated", "", "[voa-report]", True, "0 independent families (none)"),  # the seed's own publisher
    ("corroborated", "", "[voa-report, tass-report]", False, ""),
    ("corrected", "        other_account: o\n", "[voa-report]", True, "0 independent families"),
    ("corrected", "        other_account: o\n", "[tass-report]", False, ""),
    ("unverified", "", "[voa-report]", False, ""),
]


@pytest.mark.parametrize(("status", "other", "claim_sources", "refused", "found"), STATUS_RULES)
def test_status_rules_are_enforced_by_load_case(
    tmp_path: Path, status: str, other: str, claim_sources: str, refused: bool, found: str
) -> None:
    claim = (
        f"      - quote: in early February\n        status: {status}\n        reason: r\n{other}"
        f"        sources: {claim_sources}\n"
    )
    events = with_second_claim(claim, cite_more=True)
    if not refused:
        verdict = next(e for e in load(tmp_path, events=events).events if e.id == "verdict")
        assert verdict.claims[1].status == status
        return
    with pytest.raises(DataValidationError) as raised:
        load(tmp_path, events=events)
    [problem] = raised.value.problems
    assert (problem.record, problem.field) == ("verdict claims[1]", "status")
    assert found in problem.found
    assert problem.line == line_in(events, f"status: {status}", after=line_in(events, "- quote: in early February"))


# --- the committed case -------------------------------------------------------------------------------------

ONE_FAMILY = re.compile(r"\bone (independent )?family\b", re.IGNORECASE)


def test_committed_verdicts_carry_what_their_status_demands(article_text: str) -> None:
    from geo.page.eventcolumns import expand
    from geo.page.packing import json_pieces
    from geo.page.payload import build_payload
    from geo.page.site import load_site
    from tests.conftest import DATA

    payload = build_payload(load_site(DATA, article=article_text), bases=[])
    events = expand(json.loads("".join(json_pieces({"events": payload["events"]})))["events"])
    claims = [(event["id"], claim) for event in events for claim in event.get("claims", [])]
    assert claims
    # Corrected and disputed claims say what the sources show instead.
    lacking = [eid for eid, c in claims if c["status"] in ("corrected", "disputed") and not c.get("other_account")]
    assert lacking == []
    # Where the data's reason says a corroborated claim rests on one family, the build flags it single-source,
    # and it flags nothing else; a flagged claim shows exactly one independent family.
    says_one = {
        (eid, c["quote"]) for eid, c in claims if c["status"] == "corroborated" and ONE_FAMILY.search(c["reason"])
    }
    flagged = {(eid, c["quote"]) for eid, c in claims if c.get("single_source")}
    assert says_one, "the case has corroborated claims on one family (the Vasilyev reports all relay TASS)"
    assert flagged == says_one
    assert all(len(c["families"]) == 1 for _, c in claims if c.get("single_source"))
    assert all("VOA" not in c["families"] for _, c in claims)


def test_the_chronological_key_orders_as_start_end_and_id_do() -> None:
    # One text stands for the tuple (start, end, id) (casedata.chronological_key): ids that begin other ids, ids
    # with the characters that sort lowest in a slug, and spans sharing a start or an end.
    import random

    from geo.casefile.casedata import chronological_key
    from geo.casefile.records import Event, Interval, Location

    rng = random.Random(245)  # noqa: S311 - reproducible test data, not secrets
    days = ["1999-12-31", "2021-02-03", "2021-02-25", "2021-03-01", "2021-03"]  # and one day written shorter
    ids = ["a", "a-", "a-1", "a-10", "a-1-0", "a0", "ab", "b", "0", "-", "a-1a"]
    events = []
    for _ in range(400):
        start, end = sorted(rng.choices(days, k=2))
        when = Interval(start, end, "day", start)
        events.append(Event(rng.choice(ids), "t", "d", "c", when, None, Location("p", "exact", ""), (), ()))
    by_tuple = sorted(events, key=lambda e: (e.when.start, e.when.end, e.id))
    by_text = sorted(events, key=chronological_key)
    assert [(e.when.start, e.when.end, e.id) for e in by_text] == [(e.when.start, e.when.end, e.id) for e in by_tuple]
