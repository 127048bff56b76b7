"""Spreadsheet rows with the export's columns -> event records as events.yaml holds them, remembering each value's
row and column so that every problem the build's readers find can be reported at its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from geo.casefile.records import interval_label
from geo.export import columns
from geo.export.spreadsheet import COMMENT, Table

# What each events.yaml field of an interval or location is called in the spreadsheet.
WHEN = {"start": "start", "end": "end", "precision": "date_precision", "label": "date_label"}
PUBLIC = {key: f"public_{key}" for key in WHEN}
WHERE = {"place": "place_id", "precision": "location_precision", "note": "location_note"}
TOP = ("id", "title", "description", "category")
CLAIM_KEYS = ("quote", "status", "reason", "other_account", "sources")
SOURCE_KEYS = ("id", "confirms")
WHOLE = {"when": "start", "public": "public_start", "where": "location_precision", "claims": "claim1_quote"}
WHOLE["sources"] = "source1_id"
ID_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass
class Draft:
    """One row's event record, and which column group each of its claims and sources came from."""

    row: int
    cells: dict[str, str]
    record: dict[str, Any] = field(default_factory=dict)
    claim_numbers: list[int] = field(default_factory=list)
    source_numbers: list[int] = field(default_factory=list)

    def header(self, path: list[str | int | None], found: str = "") -> str:
        """The column a field path of the events file (as the readers name it) came from, or ""."""
        head = path[0] if path else None
        if len(path) == 1 and head in TOP:
            return str(head)
        if len(path) == 1:  # a whole part missing or malformed: its first column
            return WHOLE.get(str(head), "")
        if len(path) == 2 and isinstance(path[1], str):
            names = {"when": WHEN, "public": PUBLIC, "where": WHERE}.get(str(head), {})
            return names.get(path[1], "")
        if len(path) == 3 and head in ("claims", "sources") and isinstance(path[2], str):
            numbers = self.claim_numbers if head == "claims" else self.source_numbers
            index = path[1]
            if index is None and head == "sources":  # "sources[].id": find the cell holding the id found
                index = next((i for i, n in enumerate(numbers) if self.cells.get(f"source{n}_id") == found), None)
            if isinstance(index, int) and index < len(numbers):
                return f"{'claim' if head == 'claims' else 'source'}{numbers[index]}_{path[2]}"
        return ""


@dataclass(frozen=True)
class Parsed:
    drafts: list[Draft]
    problems: list[str]


def field_path(name: str) -> list[str | int | None]:
    """'claims[1].quote' -> ['claims', 1, 'quote']; 'sources[].id' -> ['sources', None, 'id']."""
    path: list[str | int | None] = []
    for part in name.split("."):
        match = re.fullmatch(r"([a-z_]+)(?:\[(\d*)\])?", part)
        if match is None:
            return []
        path.append(match.group(1))
        if match.group(2) is not None:
            path.append(int(match.group(2)) if match.group(2) else None)
    return path


def _is_comment(cells: list[str]) -> bool:
    return bool(cells) and cells[0].startswith(COMMENT)


def _header(table: Table, number: int, cells: list[str], problems: list[str]) -> list[str]:
    """The header row's column names; unknown and repeated names are problems."""
    seen: set[str] = set()
    for name in cells:
        if name and columns.column_of(name) is None:
            problems.append(
                f"{table.name}:{number}:{name}: expected a column of docs/export.md, found an unknown column"
            )
        elif name in seen:
            problems.append(f"{table.name}:{number}:{name}: expected each column once, found it again")
        seen.add(name)
    if "id" not in seen:
        problems.append(f"{table.name}:{number}: expected a header row with the export's columns (id, title, …)")
    return cells


def _row_cells(table: Table, number: int, names: list[str], cells: list[str], problems: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for index, value in enumerate(cells):
        name = names[index] if index < len(names) else ""
        if not name:
            if value:
                problems.append(f"{table.name}:{number}:{index + 1}: expected no value outside the named columns")
            continue
        out[name] = value[1:] if table.name.lower().endswith(".csv") and value.startswith("'") else value
    return out


def read_drafts(table: Table) -> Parsed:
    """Each data row of the table as a Draft (comment rows, starting with '#', and empty rows are skipped)."""
    problems: list[str] = []
    names: list[str] | None = None
    drafts: list[Draft] = []
    for number, cells in table.rows:
        if _is_comment(cells) or not any(cells):
            continue
        if names is None:
            names = _header(table, number, cells, problems)
            continue
        found = _row_cells(table, number, names, cells, problems)
        drafts.append(to_record(Draft(number, found)))
    if names is None:
        problems.append(f"{table.name}: expected a header row with the export's columns, found no rows")
    return Parsed(drafts, problems)


def _interval(cells: dict[str, str], names: dict[str, str]) -> dict[str, str] | None:
    values = {key: cells.get(header, "") for key, header in names.items()}
    if not any(values.values()):
        return None
    try:  # a label the build makes itself is left out, so the events file says only what a person wrote
        made = interval_label(values["start"], values["end"], values["precision"])
    except ValueError:  # a bad date: the readers report it
        made = None
    if values["label"] == made and values["precision"] != "approximate":
        values["label"] = ""
    return {key: value for key, value in values.items() if value}


def _groups(cells: dict[str, str], group: str) -> list[int]:
    """The numbers of the groups with an editable cell filled (a group with derived cells only is no item)."""
    numbers: set[int] = set()
    for name, value in cells.items():
        found = columns.column_of(name)
        if value and found is not None and found[0].group == group and found[0].editable:
            numbers.add(found[1])
    return sorted(numbers)


def to_record(draft: Draft) -> Draft:
    """Fill the draft's record from its cells, in the order events.yaml writes the fields."""
    cells, record = draft.cells, draft.record
    record.update({key: cells[key] for key in TOP if cells.get(key)})
    for key, names in (("when", WHEN), ("public", PUBLIC)):
        if (interval := _interval(cells, names)) is not None:
            record[key] = interval
    record["where"] = {key: cells[header] for key, header in WHERE.items() if cells.get(header)}
    claims = []
    for number in _groups(cells, "claim"):
        claim: dict[str, Any] = {
            key: cells[f"claim{number}_{key}"] for key in CLAIM_KEYS[:4] if cells.get(f"claim{number}_{key}")
        }
        if ids := [item for item in ID_SEPARATORS.split(cells.get(f"claim{number}_sources", "")) if item]:
            claim["sources"] = ids
        claims.append(claim)
        draft.claim_numbers.append(number)
    if claims:
        record["claims"] = claims
    sources = []
    for number in _groups(cells, "source"):
        sources.append(
            {key: cells[f"source{number}_{key}"] for key in SOURCE_KEYS if cells.get(f"source{number}_{key}")}
        )
        draft.source_numbers.append(number)
    record["sources"] = sources
    return draft
