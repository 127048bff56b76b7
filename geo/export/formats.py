"""The export formats: the rows of geo.export.rows as CSV, XLSX, GeoJSON and KML bytes, each with the cite fields.

Every format takes its columns from one header list (geo.export.columns.headers), so a column added there appears
in all four.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import IllegalCharacterError

from geo.common.errors import CasemapError
from geo.export import columns
from geo.export.kml import to_kml
from geo.export.rows import ExportCase, Row, Value
from geo.page.packedgeometry import plain_geometry

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection"); a leading "'"
# marks text, as spreadsheets themselves write it, and import removes one (docs/export.md).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def to_csv(case: ExportCase) -> bytes:
    """UTF-8 CSV (RFC 4180, CRLF): the cite line as a '#' comment row, the header row, one row per event."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"# {case.cite['text']}"])
    writer.writerow(case.headers)
    for row in case.rows():
        writer.writerow([csv_cell(row[name]) for name in case.headers])
    return buffer.getvalue().encode("utf-8")


def _text_cell(sheet: Any, row: int, column: int, value: Value) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, float):
        cell.value = value
        return
    cell.value = value or None
    if value:
        cell.data_type = "s"  # openpyxl makes a str starting with "=" a formula; data is never a formula


def to_xlsx(case: ExportCase) -> bytes:
    """Sheet "events" (header, one row per event, text cells but lat and lon) and sheet "cite"."""
    book = openpyxl.Workbook()
    events = book.active
    assert events is not None  # noqa: S101 - a new workbook always has its one sheet
    events.title = "events"
    try:
        for column, name in enumerate(case.headers, start=1):
            _text_cell(events, 1, column, name)
        for number, row in enumerate(case.rows(), start=2):
            for column, name in enumerate(case.headers, start=1):
                _text_cell(events, number, column, row[name])
        cite = book.create_sheet("cite")
        for number, key in enumerate(("title", "date", "version", "sha256", "text"), start=1):
            _text_cell(cite, number, 1, key)
            _text_cell(cite, number, 2, case.cite[key])
    except IllegalCharacterError as error:  # the readers refuse control characters; a guard, not a path
        raise CasemapError(f"a value XLSX cannot hold (a control character): {error}") from None
    stamp = datetime.fromisoformat(case.cite["date"])
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue(), stamp)


def _fixed_zip_times(archive: bytes, stamp: datetime) -> bytes:
    """The same archive with every member dated ``stamp``: openpyxl dates them now, and an export should be a
    function of its input, like the page."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            fixed = zipfile.ZipInfo(member.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(member)
            if member.filename == "docProps/core.xml":  # openpyxl sets "modified" to the time of saving
                data = _MODIFIED.sub(rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data)
            target.writestr(fixed, data)
    return out.getvalue()


def _feature(case: ExportCase, row: Row, index: int) -> dict[str, Any]:
    event = case.site.case.events[index]
    geometry = case.geometry(event)
    return {
        "type": "Feature",
        "id": event.id,
        "properties": dict(row),
        "geometry": plain_geometry(geometry) if geometry is not None else None,
    }


def to_geojson(case: ExportCase) -> bytes:
    """A FeatureCollection, one Feature per event (the point, the area's geometry, or null), with a "cite" member."""
    rows = case.rows()
    collection = {
        "type": "FeatureCollection",
        "cite": case.cite,
        "features": [_feature(case, row, index) for index, row in enumerate(rows)],
    }
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


WRITERS: dict[str, Callable[[ExportCase], bytes]] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "geojson": to_geojson,
    "kml": to_kml,
}


def layer_geojson(case: ExportCase, key: str) -> bytes:
    """One layer's FeatureCollection as committed, with its provenance (manifest entry and datasets) and cite."""
    keys = [layer.key for layer in case.site.records.layers]
    if key not in keys:
        raise CasemapError(f"--layer: expected one of the case's layers ({', '.join(keys)}), found {key!r}")
    manifest = case.site.manifest
    entry = dict(manifest.get("layers", {}).get(key, {}))
    datasets = manifest.get("datasets", {})
    entry["datasets"] = {name: datasets[name] for name in entry.get("datasets", []) if name in datasets}
    entry["title"] = next(layer.title for layer in case.site.records.layers if layer.key == key)
    collection = {
        "type": "FeatureCollection",
        "provenance": entry,
        "cite": case.cite,
        "features": case.site.layers[key].features,
    }
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def template_csv(claims: int = 2, sources: int = 3) -> bytes:
    """An empty import template: the header row and a notes row (a '#' comment row import skips)."""
    names = columns.headers(claims, sources)
    notes = []
    for name in names:
        found = columns.column_of(name)
        column = found[0] if found else None
        note = "" if column is None else column.meaning + ("" if column.editable else " (derived: ignored on import)")
        notes.append(note)
    notes[0] = f"# notes (this row is skipped): {notes[0]}"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerow([csv_cell(note) if index else note for index, note in enumerate(notes)])
    return buffer.getvalue().encode("utf-8")
