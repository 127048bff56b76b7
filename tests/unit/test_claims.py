"""The article accounted for: the claims table must cover the article exactly, and point at real events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo.casefile.claims import check_coverage, check_references, parse_claims_table
from geo.casefile.corrections import check_records, parse_corrections
from geo.common.errors import Problem

ARTICLE = "Spies abound. The court ruled in February. It was a sad day.\n\nHeadline without a stop\n"

TABLE = """\
sentences:
  - text: Spies abound.
    kind: opinion
    why: A characterisation, not a countable fact.
  - text: The court ruled in February.
    kind: checked
    events: [verdict]
  - text: It was a sad day.
    kind: opinion
    why: A judgement.
  - text: Headline without a stop
    kind: context
    layers: [krai]
    why: The layer shows it.
"""


def _parse(tmp_path: Path, text: str) -> tuple[list[Any], list[Problem]]:
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return parse_claims_table(path, problems), problems


def test_a_table_that_covers_the_article_passes(tmp_path: Path) -> None:
    sentences, problems = _parse(tmp_path, TABLE)
    assert problems == []
    assert [s.kind for s in sentences] == ["opinion", "checked", "opinion", "context"]
    assert check_coverage(sentences, ARTICLE, file="claims.yaml") == []
    claims = {"verdict": ("ruled in February",)}
    assert check_references(sentences, claims, ["krai"], file="claims.yaml") == []


def test_a_missing_sentence_is_reported_with_the_words_it_should_have(tmp_path: Path) -> None:
    sentences, _ = _parse(
        tmp_path, TABLE.replace("  - text: It was a sad day.\n    kind: opinion\n    why: A judgement.\n", "")
    )
    [problem] = check_coverage(sentences, ARTICLE, file="claims.yaml")
    assert problem.record == "sentence 3"
    assert "It was a sad day." in problem.expected
    assert "Headline" in problem.found


def test_an_unaccounted_tail_is_reported(tmp_path: Path) -> None:
    sentences, _ = _parse(tmp_path, TABLE)
    [problem] = check_coverage(sentences, ARTICLE + "One more sentence.\n", file="claims.yaml")
    assert problem.field == "sentences"
    assert "One more sentence." in problem.found


def test_a_sentence_the_article_lacks_is_reported(tmp_path: Path) -> None:
    sentences, _ = _parse(tmp_path, TABLE.replace("ruled in February", "ruled in March"))
    [problem] = check_coverage(sentences, ARTICLE, file="claims.yaml")
    assert problem.record == "sentence 2"
    assert problem.line == 5


@pytest.mark.parametrize(
    ("edit", "field", "expected"),
    [
        (("events: [verdict]", "events: [arrest]"), "events[]", "quotes others"),
        (("events: [verdict]", "events: [nothing-here]"), "events[]", "an event with a claim"),
        (("layers: [krai]", "layers: [rivers]"), "layers[]", "one of"),
    ],
)
def test_references_must_match_events_and_layers(
    tmp_path: Path, edit: tuple[str, str], field: str, expected: str
) -> None:
    sentences, problems = _parse(tmp_path, TABLE.replace(*edit))
    assert problems == []
    claims = {"verdict": ("ruled in February",), "arrest": ("arrested in August",)}
    found = check_references(sentences, claims, ["krai"], file="claims.yaml")
    assert any(p.field == field and expected in p.expected for p in found), found


def test_an_event_claim_no_sentence_names_is_reported(tmp_path: Path) -> None:
    sentences, _ = _parse(tmp_path, TABLE)
    claims = {"verdict": ("ruled in February",), "orphan": ("Spies abound",)}
    [problem] = check_references(sentences, claims, ["krai"], file="claims.yaml")
    assert "orphan" in problem.expected
    assert problem.found == '"Spies abound"'


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (("kind: opinion\n    why: A judgement.", "kind: opinion"), "why"),
        (("    events: [verdict]\n", ""), "events"),
        (("kind: opinion\n    why: A judgement.", "kind: rumour\n    why: A judgement."), "kind"),
        (("    layers: [krai]\n", ""), "layers"),
    ],
)
def test_malformed_rows_are_located(tmp_path: Path, edit: tuple[str, str], field: str) -> None:
    _, problems = _parse(tmp_path, TABLE.replace(*edit))
    assert any(p.field == field for p in problems), problems
    assert all(p.line > 0 for p in problems)


LOG = """\
corrections:
  - date: "2026-11-26"
    records: [verdict]
    change: Status unverified -> corroborated.
    why: Two independent reports found.
  - date: "2026-11-27"
    records: [verdict, court-release]
    change: Date window narrowed.
    why: The appeal period fixes it.
"""


def test_the_corrections_log_loads_and_checks_its_ids(tmp_path: Path) -> None:
    path = tmp_path / "corrections.yaml"
    path.write_text(LOG, encoding="utf-8")
    problems: list[Problem] = []
    entries = parse_corrections(path, problems)
    assert problems == []
    assert [e.records for e in entries] == [("verdict",), ("verdict", "court-release")]
    [missing] = check_records(entries, {"verdict"}, file=str(path))
    assert missing.found == '"court-release"'
    assert missing.line == 6


def test_the_corrections_log_is_in_date_order(tmp_path: Path) -> None:
    path = tmp_path / "corrections.yaml"
    path.write_text(LOG.replace('"2026-11-27"', '"2026-11-01"'), encoding="utf-8")
    problems: list[Problem] = []
    parse_corrections(path, problems)
    [problem] = problems
    assert problem.field == "date"
    assert problem.line == 6
