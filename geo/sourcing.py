"""How independent an event's sources are, and what each claim status demands of them.

Corroboration is counted by *family*: the wire, service or body a report's facts rest on. Three outlets that
repeat TASS are one family; a report by the seed article's own publisher (VOA for this case) never
corroborates the seed. Statuses are defined in docs/claim-statuses.md; this module enforces the part of each
definition that can be counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from geo.errors import Problem

# A corroborated claim needs this many independent families before it stops being flagged "single-source".
CORROBORATION_FAMILIES = 2


class SourceLike(Protocol):
    kind: str
    family: str


class CitationLike(Protocol):
    source: str


class ClaimLike(Protocol):
    status: str


class EventLike(Protocol):
    id: str
    claim: ClaimLike | None
    sources: tuple[CitationLike, ...]


def family_key(family: str) -> str:
    """Fold a family name for counting: 'TASS', 'tass' and ' TASS ' are one family."""
    return " ".join(family.split()).casefold()


def seed_families(sources: Mapping[str, SourceLike]) -> frozenset[str]:
    """The families of the seed article itself: its publisher cannot corroborate it."""
    return frozenset(family_key(s.family) for s in sources.values() if s.kind == "seed")


def independent_families(
    citations: Iterable[CitationLike], sources: Mapping[str, SourceLike], *, seed: frozenset[str]
) -> tuple[str, ...]:
    """The distinct families among cited sources, leaving out the seed and its publisher, in citation order."""
    found: dict[str, str] = {}
    for citation in citations:
        source = sources.get(citation.source)
        if source is None or source.kind == "seed" or family_key(source.family) in seed:
            continue
        found.setdefault(family_key(source.family), source.family)
    return tuple(found.values())


@dataclass(frozen=True)
class Independence:
    """What the build computed for one event: its independent families and whether a claim rests on one."""

    families: tuple[str, ...]
    single_source: bool


def assess(event: EventLike, sources: Mapping[str, SourceLike], *, seed: frozenset[str]) -> Independence:
    families = independent_families(event.sources, sources, seed=seed)
    corroborated = event.claim is not None and event.claim.status == "corroborated"
    return Independence(families, corroborated and len(families) < CORROBORATION_FAMILIES)


# The least each status needs, counted in independent families, and why.
STATUS_MINIMUM = {
    "corroborated": (1, "a corroborated claim needs at least one independent source (not the seed's publisher)"),
    "corrected": (1, "a correction needs at least one independent source showing what is right"),
    "disputed": (2, "a disputed claim needs sources of two independent families that disagree with each other"),
    "unverified": (0, ""),
}


def check_statuses(
    events: Iterable[EventLike],
    sources: Mapping[str, SourceLike],
    *,
    file: str,
    lines: Mapping[str, int],
) -> list[Problem]:
    """Refuse a status its sources cannot carry (``lines`` gives each event's claim.status line)."""
    seed = seed_families(sources)
    problems = []
    for event in events:
        if event.claim is None:
            continue
        minimum, why = STATUS_MINIMUM[event.claim.status]
        families = independent_families(event.sources, sources, seed=seed)
        if len(families) < minimum:
            found = ", ".join(families) or "none"
            problems.append(
                Problem(
                    file,
                    lines.get(event.id, 0),
                    event.id,
                    "claim.status",
                    f"{why}; or another status",
                    f"{len(families)} independent famil{'y' if len(families) == 1 else 'ies'} ({found})",
                )
            )
    return problems
