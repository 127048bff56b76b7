"""The corrections log: every change to a published verdict, date, place or source, with its date and reason.

A fact-check that changes its own verdicts without saying so cannot be trusted; ``corrections.yaml`` is the
public record of those changes, newest last, and the page shows it in the method panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.casefile import fields, schema
from geo.casefile.records import TEXT_MAX, TITLE_MAX, read_records
from geo.common.errors import Problem, show_value

CORRECTION_FIELDS = schema.CORRECTIONS.names


@dataclass(frozen=True)
class Correction:
    """One entry of the log: on ``date``, ``change`` was made to ``records`` because ``why``."""

    date: str
    records: tuple[str, ...]
    change: str
    why: str
    line: int


def parse_corrections(path: Path, problems: list[Problem]) -> list[Correction]:
    """Read the log; entries must be in date order (a log is appended to, never reshuffled)."""
    ctx, items = read_records(path, "corrections", problems)
    found: list[Correction] = []
    for record, line in items:
        ctx.record = f"entry at line {line}"
        fields.unknown_keys(ctx, record, CORRECTION_FIELDS)
        day = fields.full_date(ctx, record, "date")
        change = fields.text(ctx, record, "change", max_chars=TITLE_MAX)
        why = fields.text(ctx, record, "why", max_chars=TEXT_MAX)
        ids = fields.id_list(ctx, record, "records", expected="the id of an event, source or place", required=True)
        if day is None or change is None or why is None or not ids:
            continue
        if found and day < found[-1].date:
            ctx.problem(record.line_of("date"), "date", f"on or after {found[-1].date} (the log is in date order)", day)
        found.append(Correction(day, tuple(ids), change, why, line))
    return found


def check_records(corrections: list[Correction], known_ids: set[str], *, file: str) -> list[Problem]:
    """Every record a correction names must exist (an event, a source or a place), so the log cannot rot."""
    return [
        Problem(file, entry.line, f"entry at line {entry.line}", "records[]", "an existing id", show_value(record_id))
        for entry in corrections
        for record_id in entry.records
        if record_id not in known_ids
    ]
