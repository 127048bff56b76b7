"""Case files: a good dataset loads, and each kind of error is reported at the right place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.casedata import PlaceIndex, interval_label, load_case
from geo.errors import DataValidationError

SOURCES = """\
sources:
  - id: court-release
    outlet: Zabaykalsky Krai Court
    title: Press release
    url: https://example.org/court
    published: "2021-02-25"
    language: ru
    kind: court
  - id: seed-article
    outlet: Seed
    title: The article
    published: 2021-03
    language: zh
    kind: seed
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
    claim:
      quote: handed down its verdict
      status: corroborated
      reason: the court's release confirms it
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

INDEX = PlaceIndex(points=frozenset({"chita"}), areas=frozenset({"zabaykalsky-krai"}))
ARTICLE = "The court handed down its verdict in early February."


def load(tmp_path: Path, events: str = EVENTS, sources: str = SOURCES, article: str | None = ARTICLE):
    (tmp_path / "events.yaml").write_text(events, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(sources, encoding="utf-8")
    return load_case(
        events_path=tmp_path / "events.yaml", sources_path=tmp_path / "sources.yaml", index=INDEX, article=article
    )


def test_good_dataset_loads_sorted_with_labels(tmp_path: Path) -> None:
    case = load(tmp_path)
    assert [e.id for e in case.events] == ["verdict", "release"]
    verdict = case.events[0]
    assert verdict.when.label == "early February 2021"
    assert verdict.public is not None and verdict.public.label == "25 February 2021"
    assert verdict.claim is not None and verdict.claim.status == "corroborated"
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
    ("status: corroborated", "status: true", 17, "verdict", "claim.status", "one of corroborated"),
    ("quote: handed down its verdict", "quote: acquitted", 16, "verdict", "claim.quote", "verbatim"),
    (
        "- id: court-release\n        confirms: the verdict",
        "- id: tass\n        confirms: x",
        19,
        "verdict",
        "sources[].id",
        "an id from sources.yaml",
    ),
    ("  - id: release", "  - id: verdict", 22, "verdict", "id", "unique id"),
    ("    title: Verdict\n", "    title: Verdict\n    colour: red\n", 4, "verdict", "colour", "unknown field"),
    ("    title: Verdict\n", "    title: Verdict\n    title: Again\n", 4, "", "title", "each key once"),
    (
        "    description: The court convicted him.\n",
        "    description: The court convicted him.\n    sources: []\n",
        20,
        "",
        "sources",
        "each key once",
    ),  # reported at the second occurrence, line 20
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
    ("kind: court", "kind: blog", "kind", "one of news"),
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
    assert case.events[0].claim is not None


def test_quote_whitespace_may_be_rewrapped(tmp_path: Path) -> None:
    events = EVENTS.replace("quote: handed down its verdict", "quote: >-\n        handed down\n        its verdict")
    assert load(tmp_path, events=events).events[0].claim.quote == "handed down its verdict"
