"""Independence is counted by family: wire copies are one source, and the seed's publisher is none."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from geo.casefile.sourcing import ClaimSources, check_statuses, independent_families, is_single_source, seed_families


@dataclass(frozen=True)
class Src:
    kind: str
    family: str


SOURCES = {
    "seed": Src("seed", "VOA"),
    "voa-zh": Src("broadcaster", "VOA"),
    "reuters": Src("wire", "TASS"),
    "moscow-times": Src("online-news", "tass "),
    "interfax": Src("wire", "Interfax"),
    "court": Src("court", "Chita court"),
}
SEED = seed_families(SOURCES)


def test_outlets_repeating_one_wire_are_one_family() -> None:
    assert independent_families(["reuters", "moscow-times"], SOURCES, seed=SEED) == ("TASS",)


def test_the_seed_and_its_publisher_never_count() -> None:
    assert frozenset({"voa"}) == SEED
    assert independent_families(["seed", "voa-zh", "court"], SOURCES, seed=SEED) == ("Chita court",)


@pytest.mark.parametrize(
    ("ids", "single"),
    [(("reuters", "moscow-times"), True), (("reuters", "interfax"), False), (("voa-zh", "reuters"), True)],
)
def test_a_corroborated_claim_on_one_family_is_flagged_single_source(ids: tuple[str, ...], single: bool) -> None:
    assert is_single_source("corroborated", independent_families(ids, SOURCES, seed=SEED)) is single


def test_only_corroborated_claims_are_flagged() -> None:
    assert is_single_source("unverified", independent_families(["reuters"], SOURCES, seed=SEED)) is False


@pytest.mark.parametrize(
    ("status", "ids", "refused"),
    [
        ("disputed", ("reuters", "moscow-times"), True),
        ("disputed", ("reuters", "interfax"), False),
        ("corroborated", ("voa-zh",), True),
        ("corrected", ("seed",), True),
        ("corrected", ("court",), False),
        ("unverified", ("voa-zh",), False),
        ("unverified", (), False),
    ],
)
def test_each_status_needs_the_families_its_definition_implies(
    status: str, ids: tuple[str, ...], refused: bool
) -> None:
    problems = check_statuses([ClaimSources("e", 7, status, ids)], SOURCES, file="events.yaml")
    assert bool(problems) is refused
    if refused:
        assert problems[0].line == 7
        assert problems[0].field == "status"
        assert problems[0].record == "e"
