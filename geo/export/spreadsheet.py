"""Read a spreadsheet (CSV or XLSX) as rows of text cells, numbered as the spreadsheet shows them (first row 1).

Both are read like every input: a regular file, a size cap (geo.common.safefiles). A CSV is UTF-8 (a byte-order
mark, which spreadsheets write, is allowed), RFC 4180 quoting; a quoted cell may hold line breaks, so rows are CSV
records, not lines. An XLSX is read from its "events" sheet (else its first), with every value turned into the
text the export would have written: an integer-valued number without ".0", a date typed into a cell as YYYY-MM-DD.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl

from geo.common.errors import CasemapError, Problem
from geo.common.safefiles import read_bytes

MAX_SPREADSHEET_BYTES = 256_000_000  # the JSON Lines cap: a case of 100,000 events fits
COMMENT = "#"


class SpreadsheetError(CasemapError):
    """A spreadsheet the import cannot read, or cells it refuses: one ``FILE:row:column: expected …`` per line."""

    def __init__(self, lines: list[str]) -> None:
        count = len(lines)
        super().__init__("\n".join([f"{count} problem{'s' if count != 1 else ''} in the spreadsheet:", *lines]))


@dataclass(frozen=True)
class Table:
    name: str
    rows: list[tuple[int, list[str]]]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_rows(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SpreadsheetError(
            [f"{name}:{line}: expected UTF-8 text (save the CSV as UTF-8), found other bytes"]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, row))
    except csv.Error as error:
        raise SpreadsheetError([f"{name}:{len(rows) + 1}: expected RFC 4180 CSV, found {error}"]) from None
    return rows


def _xlsx_rows(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SpreadsheetError([f"{name}: expected an XLSX workbook, found {type(error).__name__}"]) from None
    try:
        sheet = book["events"] if "events" in book.sheetnames else book.worksheets[0]
        return [
            (number, [_cell_text(value) for value in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def read_table(path: Path) -> Table:
    """The rows of a .csv or .xlsx file; raises SpreadsheetError when it cannot be read."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SpreadsheetError([f"{name}: expected a .csv or .xlsx file, found {suffix or 'no suffix'}"])
    problems: list[Problem] = []
    data = read_bytes(path, problems, max_bytes=MAX_SPREADSHEET_BYTES, within=None)
    if data is None:
        raise SpreadsheetError([str(problem) for problem in problems])
    return Table(name, _csv_rows(data, name) if suffix == ".csv" else _xlsx_rows(data, name))
