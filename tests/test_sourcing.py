"""Independence is counted by family: wire copies are one source, and the seed's publisher is none."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from geo.sourcing import assess, check_statuses, independent_families, seed_families


@dataclass(frozen=True)
class Src:
    kind: str
    family: str


@dataclass(frozen=True)
class Cite:
    source: str


@dataclass(frozen=True)
class Claim:
    status: str


@dataclass(frozen=True)
class Ev:
    id: str
    claim: Claim | None
    sources: tuple[Cite, ...]


SOURCES = {
    "seed": Src("seed", "VOA"),
    "voa-zh": Src("broadcaster", "VOA"),
    "reuters": Src("wire", "TASS"),
    "moscow-times": Src("online-news", "tass "),
    "interfax": Src("wire", "Interfax"),
    "court": Src("court", "Chita court"),
}


def _event(status: str | None, *ids: str) -> Ev:
    return Ev("e", Claim(status) if status else None, tuple(Cite(i) for i in ids))


def test_outlets_repeating_one_wire_are_one_family() -> None:
    seed = seed_families(SOURCES)
    assert independent_families(_event(None, "reuters", "moscow-times").sources, SOURCES, seed=seed) == ("TASS",)


def test_the_seed_and_its_publisher_never_count() -> None:
    seed = seed_families(SOURCES)
    assert seed == frozenset({"voa"})
    assert independent_families(_event(None, "seed", "voa-zh", "court").sources, SOURCES, seed=seed) == ("Chita court",)


@pytest.mark.parametrize(
    ("ids", "single"),
    [(("reuters", "moscow-times"), True), (("reuters", "interfax"), False), (("voa-zh", "reuters"), True)],
)
def test_a_corroborated_claim_on_one_family_is_flagged_single_source(ids: tuple[str, ...], single: bool) -> None:
    assert assess(_event("corroborated", *ids), SOURCES, seed=seed_families(SOURCES)).single_source is single


def test_only_corroborated_claims_are_flagged() -> None:
    assert assess(_event("unverified", "reuters"), SOURCES, seed=seed_families(SOURCES)).single_source is False


@pytest.mark.parametrize(
    ("status", "ids", "refused"),
    [
        ("disputed", ("reuters", "moscow-times"), True),
        ("disputed", ("reuters", "interfax"), False),
        ("corroborated", ("voa-zh",), True),
        ("corrected", ("seed",), True),
        ("corrected", ("court",), False),
        ("unverified", ("voa-zh",), False),
    ],
)
def test_each_status_needs_the_families_its_definition_implies(
    status: str, ids: tuple[str, ...], refused: bool
) -> None:
    problems = check_statuses([_event(status, *ids)], SOURCES, file="events.yaml", lines={"e": 7})
    assert bool(problems) is refused
    if refused:
        assert problems[0].line == 7
        assert problems[0].field == "claim.status"
