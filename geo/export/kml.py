"""Events as KML 2.2 (OGC 07-147r2), written with the standard library's ElementTree, which escapes every text.

Why not GDAL's LIBKML driver (pyogrio): libkml wraps a text holding markup characters in a CDATA section without
splitting a "]]>" inside it, so a title or note from a data file could end the section and add KML elements of its
own (a NetworkLink that Google Earth fetches on opening). GDAL's plain KML driver escapes correctly, but folds a
"description" field into its own and writes neither the Document's name and description (the cite line) nor a
TimeSpan. The tests validate this output against the OGC schema (docs/export.md).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET  # writing only: nothing is parsed here
from collections.abc import Iterable

from shapely.geometry.base import BaseGeometry

from geo.common.errors import CasemapError
from geo.export.rows import ExportCase, Value

NAMESPACE = "http://www.opengis.net/kml/2.2"
# Characters XML 1.0 cannot hold at all (§2.2); the readers already refuse control characters, this is the guard.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Value) -> str:
    text = "" if value is None else repr(value) if isinstance(value, float) else value
    if bad := _NOT_XML.search(text):
        raise CasemapError(f"a value KML cannot hold: U+{ord(bad.group()):04X} (remove it from the case file)")
    return text


def _child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _text(text)
    return element


def _coordinates(points: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{point[0]!r},{point[1]!r}" for point in points)


def _geometry(parent: ET.Element, shape: BaseGeometry) -> None:
    """A shapely geometry as KML: Point, LineString, Polygon, or a MultiGeometry of them."""
    kind = shape.geom_type
    if kind == "Point":
        _child(_child(parent, "Point"), "coordinates", _coordinates(shape.coords))
    elif kind in ("LineString", "LinearRing"):
        _child(_child(parent, "LineString"), "coordinates", _coordinates(shape.coords))
    elif kind == "Polygon":
        polygon = _child(parent, "Polygon")
        ring = _child(_child(polygon, "outerBoundaryIs"), "LinearRing")
        _child(ring, "coordinates", _coordinates(shape.exterior.coords))  # type: ignore[attr-defined]
        for interior in shape.interiors:  # type: ignore[attr-defined]
            _child(
                _child(_child(polygon, "innerBoundaryIs"), "LinearRing"), "coordinates", _coordinates(interior.coords)
            )
    else:  # Multi* and GeometryCollection
        multi = _child(parent, "MultiGeometry")
        for part in shape.geoms:  # type: ignore[attr-defined]
            _geometry(multi, part)


def to_kml(case: ExportCase) -> bytes:
    """One Placemark per event: its title as name, a TimeSpan (start to end), every column as ExtendedData
    SimpleData, and the same geometry as the GeoJSON (none when undisclosed). The Document's name is the case's
    title and its description the cite line."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}kml")
    document = _child(root, "Document", id="events")
    _child(document, "name", case.cite["title"])
    _child(document, "description", case.cite["text"])
    schema = _child(document, "Schema", name="events", id="events-schema")
    for name in case.headers:
        _child(schema, "SimpleField", type="double" if name in ("lat", "lon") else "string", name=name)
    for event, row in zip(case.site.case.events, case.rows(), strict=True):
        placemark = _child(document, "Placemark")
        _child(placemark, "name", event.title)
        span = _child(placemark, "TimeSpan")
        _child(span, "begin", event.when.start)
        _child(span, "end", event.when.end)
        data = _child(_child(placemark, "ExtendedData"), "SchemaData", schemaUrl="#events-schema")
        for name in case.headers:
            if row[name] is not None:
                _child(data, "SimpleData", _text(row[name]), name=name)
        if (shape := case.geometry(event)) is not None:
            _geometry(placemark, shape)
    for element in root.iter():  # every element in the KML namespace (SubElement names them bare)
        if not element.tag.startswith("{"):
            element.tag = f"{{{NAMESPACE}}}{element.tag}"
    ET.indent(root, space=" ")
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="UTF-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"
