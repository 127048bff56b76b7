"""How independent an event's sources are, and what each claim status demands of them.

Corroboration is counted by *family*: the wire, service or body a report's facts rest on. Three outlets that
repeat one wire are one family; a report by the seed article's own publisher never
corroborates the seed. Statuses are defined in docs/claim-statuses.md; this module enforces the part of each
definition that can be counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from geo.common.errors import Problem

# A corroborated claim needs this many independent families before it stops being flagged "single-source".
CORROBORATION_FAMILIES = 2


class SourceLike(Protocol):
    # Read-only: the records (casefile.records.Source) are frozen dataclasses.
    @property
    def kind(self) -> str: ...

    @property
    def family(self) -> str: ...


def family_key(family: str) -> str:
    """Fold a family name for counting: 'TASS', 'tass' and ' TASS ' are one family."""
    return " ".join(family.split()).casefold()


def seed_families(sources: Mapping[str, SourceLike]) -> frozenset[str]:
    """The families of the seed article itself: its publisher cannot corroborate it."""
    return frozenset(family_key(s.family) for s in sources.values() if s.kind == "seed")


def independent_families(
    source_ids: Iterable[str], sources: Mapping[str, SourceLike], *, seed: frozenset[str]
) -> tuple[str, ...]:
    """The distinct families among the given sources, leaving out the seed and its publisher, in the given order."""
    found: dict[str, str] = {}
    for source_id in source_ids:
        source = sources.get(source_id)
        if source is None or source.kind == "seed" or family_key(source.family) in seed:
            continue
        found.setdefault(family_key(source.family), source.family)
    return tuple(found.values())


def is_single_source(status: str, families: tuple[str, ...]) -> bool:
    """A corroborated claim that fewer than two independent families confirm is flagged on the page."""
    return status == "corroborated" and len(families) < CORROBORATION_FAMILIES


# The least each status needs, counted in independent families, and why.
STATUS_MINIMUM = {
    "corroborated": (1, "a corroborated claim needs at least one independent source (not the seed's publisher)"),
    "corrected": (1, "a correction needs at least one independent source showing what is right"),
    "disputed": (2, "a disputed claim needs sources of two independent families that disagree with each other"),
    "unverified": (0, ""),
}


@dataclass(frozen=True)
class ClaimSources:
    """What a claim rests on, where it stands: the record it belongs to, its status line, status and source ids."""

    record: str
    line: int
    status: str
    source_ids: tuple[str, ...]


def check_statuses(claims: Iterable[ClaimSources], sources: Mapping[str, SourceLike], *, file: str) -> list[Problem]:
    """Refuse a status its sources cannot carry."""
    seed = seed_families(sources)
    problems = []
    for claim in claims:
        minimum, why = STATUS_MINIMUM[claim.status]
        families = independent_families(claim.source_ids, sources, seed=seed)
        if len(families) < minimum:
            found = ", ".join(families) or "none"
            count = f"{len(families)} independent famil{'y' if len(families) == 1 else 'ies'}"
            problems.append(
                Problem(file, claim.line, claim.record, "status", f"{why}; or another status", f"{count} ({found})")
            )
    return problems
