"""The export's columns, declared once: the CSV and XLSX headers, the GeoJSON properties and the KML ExtendedData
all come from here, and so does what ``build_map.py import`` reads back (docs/export.md describes them).

One row is one event. An event's claims and sources are numbered column groups (claim1_quote ... claimN_sources,
source1_id ... sourceM_published) up to the case's maximum, so every cell holds one value a spreadsheet user can
read, sort and edit (docs/export.md says why not a delimiter or a second sheet).

A column is *editable* when import reads it back into the events file (``field`` names the events.yaml field it
becomes, as the readers' messages name it); the others are *derived*: written for the reader of the export
(EDTF, the place's name and coordinates, the bibliography's outlet, title, URL and date) and ignored on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLAIM_GROUP = "claim"
SOURCE_GROUP = "source"


@dataclass(frozen=True)
class Column:
    """One column: its header (``{n}`` is the group number), the events.yaml field it edits ("" if derived)."""

    name: str
    kind: str
    meaning: str
    field: str = ""
    group: str = ""

    @property
    def editable(self) -> bool:
        return bool(self.field)

    def header(self, number: int = 0) -> str:
        return self.name.format(n=number)


EVENT_COLUMNS: tuple[Column, ...] = (
    Column("id", "id", "unique event id ([a-z0-9-])", "id"),
    Column("title", "text", "a short title", "title"),
    Column("category", "choice", "one of case.yaml `categories`", "category"),
    Column("description", "text", "own words, 1-3 sentences", "description"),
    Column("start", "date", "YYYY-MM-DD: the earliest day it can have happened", "when.start"),
    Column("end", "date", "YYYY-MM-DD: the latest day (= start for a known day)", "when.end"),
    Column("date_precision", "choice", "day, month, year or approximate", "when.precision"),
    Column("date_label", "text", "how the page says the date; required for approximate", "when.label"),
    Column("date_edtf", "EDTF", "the same interval in EDTF (ISO 8601-2): 2019-08-25, 2019-08, 2019 or start/end"),
    Column(
        "public_start", "date", "when it became public, where that differs (empty: no public interval)", "public.start"
    ),
    Column("public_end", "date", "latest day it can have become public", "public.end"),
    Column("public_precision", "choice", "day, month, year or approximate", "public.precision"),
    Column("public_label", "text", "how the page says the public date", "public.label"),
    Column("public_edtf", "EDTF", "the public interval in EDTF"),
    Column("place_id", "id", "a place or area id of the case's layers (empty when undisclosed)", "where.place"),
    Column("place_name", "text", "the place's or area's name in the layers"),
    Column(
        "location_precision",
        "choice",
        "exact, settlement (a point); district, region (an area); undisclosed",
        "where.precision",
    ),
    Column("location_note", "text", "what is and is not known about the location", "where.note"),
    Column("lat", "number", "latitude (WGS 84): the point, or the area's representative point; empty when undisclosed"),
    Column("lon", "number", "longitude (WGS 84), as lat"),
)

CLAIM_COLUMNS: tuple[Column, ...] = (
    Column("claim{n}_quote", "text", "a verbatim quote of the seed article", "claims[].quote", CLAIM_GROUP),
    Column(
        "claim{n}_status", "choice", "corroborated, corrected, disputed or unverified", "claims[].status", CLAIM_GROUP
    ),
    Column(
        "claim{n}_reason",
        "text",
        "why: the families that confirm, contradict or are silent",
        "claims[].reason",
        CLAIM_GROUP,
    ),
    Column(
        "claim{n}_other_account",
        "text",
        "what the sources show instead (corrected, disputed)",
        "claims[].other_account",
        CLAIM_GROUP,
    ),
    Column(
        "claim{n}_sources",
        "ids",
        "the event's source ids this claim rests on, separated by spaces",
        "claims[].sources",
        CLAIM_GROUP,
    ),
)

SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("source{n}_id", "id", "a source id of sources.yaml", "sources[].id", SOURCE_GROUP),
    Column(
        "source{n}_confirms",
        "text",
        "what this source confirms (or contradicts) about the event",
        "sources[].confirms",
        SOURCE_GROUP,
    ),
    Column("source{n}_outlet", "text", "the source's outlet (from sources.yaml)", group=SOURCE_GROUP),
    Column("source{n}_title", "text", "the source's title as published (from sources.yaml)", group=SOURCE_GROUP),
    Column(
        "source{n}_url", "URL", "the original's address, else the copy read (from sources.yaml)", group=SOURCE_GROUP
    ),
    Column(
        "source{n}_published",
        "partial date",
        "YYYY-MM-DD, YYYY-MM, YYYY or undated (from sources.yaml)",
        group=SOURCE_GROUP,
    ),
)

ALL_COLUMNS = EVENT_COLUMNS + CLAIM_COLUMNS + SOURCE_COLUMNS

# Cite this map: the fields every export carries (CSV comment row, XLSX "cite" sheet, GeoJSON "cite" member,
# KML Document ExtendedData), and the page's method panel.
CITE_FIELDS = ("title", "date", "version", "sha256")

_NUMBERED = re.compile(r"^(claim|source)([1-9][0-9]{0,2})_([a-z_]+)$")


def headers(claims: int, sources: int) -> list[str]:
    """The header row for a case whose events have at most ``claims`` claims and ``sources`` sources (>= 1 each)."""
    names = [column.header() for column in EVENT_COLUMNS]
    for number in range(1, max(claims, 1) + 1):
        names += [column.header(number) for column in CLAIM_COLUMNS]
    for number in range(1, max(sources, 1) + 1):
        names += [column.header(number) for column in SOURCE_COLUMNS]
    return names


def column_of(header: str) -> tuple[Column, int] | None:
    """The declared column a header names, with its group number (0 outside groups); None for an unknown header."""
    for column in EVENT_COLUMNS:
        if column.name == header:
            return column, 0
    numbered = _NUMBERED.match(header)
    if numbered is None:
        return None
    group, number, rest = numbered.group(1), int(numbered.group(2)), numbered.group(3)
    pattern = f"{group}{{n}}_{rest}"
    for column in CLAIM_COLUMNS + SOURCE_COLUMNS:
        if column.name == pattern:
            return column, number
    return None
