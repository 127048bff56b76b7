"""The layer builders a case file may name: what each takes and what each gives.

A layer record in case.yaml names one builder (``builder: bands``) with its parameters; the builder fixes
the layer's geometry kind and the properties of its features, in order. This catalogue is what case.yaml
is validated against (geo.casefile.case) and what geo.derive.builders implements; it imports nothing
heavy, so the build can read it too.
"""

from __future__ import annotations

from dataclasses import dataclass

GEOMETRY_KINDS = ("area", "line", "point")
# Values of a parameter, by type: "numbers" is a list of numbers, "codes" a list of ISO country codes,
# "ids" a list of place ids or the word `remaining`, "flag" true/false, "number" one number.
PARAM_TYPES = ("number", "numbers", "codes", "ids", "flag", "text")
# A parsed parameter value: one per type above.
ParamValue = float | bool | str | tuple[float, ...] | tuple[str, ...]


@dataclass(frozen=True)
class Param:
    """One parameter of a builder: its type, whether it is required, its default, and its range."""

    type: str
    required: bool = False
    default: ParamValue | None = None
    minimum: float = 0.0
    maximum: float = 0.0
    help: str = ""


@dataclass(frozen=True)
class Builder:
    """A builder: the geometry kind it makes, its feature properties in order with their popup labels."""

    name: str
    kind: str
    properties: tuple[str, ...]
    labels: dict[str, str]
    params: dict[str, Param]
    datasets: tuple[str, ...]
    inputs: tuple[str, ...]
    help: str


AREA_NAME_PROPERTIES = ("id", "name", "name_ru", "name_zh", "aliases")
SETTLEMENT_PROPERTIES = (
    "id",
    "name",
    "name_ru",
    "name_zh",
    "geonameid",
    "population",
    "country",
    "region",
    "note",
    "roles",
    "source",
)

# Parameters several builders share, declared once.
MARGIN_KM = Param("number", default=250.0, minimum=0, maximum=2000, help="how far around the focus to clip them")
TOLERANCE_M = Param("number", default=500.0, minimum=0, maximum=20000, help="simplification tolerance, metres")

BUILDERS: dict[str, Builder] = {
    builder.name: builder
    for builder in (
        Builder(
            "focus",
            "area",
            (*AREA_NAME_PROPERTIES, "area_km2", "source"),
            {"area_km2": "Area (equal-area projection), km²"},
            {},
            ("dcw",),
            ("case.yaml",),
            "the focus area's polygon, with its area",
        ),
        Builder(
            "borders",
            "line",
            ("id", "name", "kind", "length_km", "source"),
            {"length_km": "Length (geodesic, 1:1M line), km", "kind": "Kind"},
            {"junctions": Param("flag", default=True, help="also add a point where two borders meet (a tripoint)")},
            ("dcw",),
            ("case.yaml",),
            "the focus area's land border with each neighbouring country, one line each, with its length",
        ),
        Builder(
            "neighbours",
            "area",
            (*AREA_NAME_PROPERTIES, "country", "side", "source"),
            {"country": "Country"},
            {
                "margin_km": Param(
                    "number", default=250.0, minimum=0, maximum=2000, help="how far around the focus to clip them"
                )
            },
            ("dcw",),
            ("case.yaml",),
            "the DCW-GMT units touching the focus area, clipped to its extent plus a margin",
        ),
        Builder(
            "bands",
            "area",
            ("id", "name", "distance_km", "area_km2", "share_of_focus_pct", "source"),
            {
                "distance_km": "Distance, km",
                "area_km2": "Area, km²",
                "share_of_focus_pct": "Share of the focus area, %",
            },
            {
                "border_with": Param("codes", required=True, help="the countries whose borders the bands run from"),
                "distances_km": Param(
                    "numbers", required=True, minimum=1, maximum=2000, help="band widths in km, ascending"
                ),
                "border_label": Param(
                    "text", help="how band names call the border ('the eastern border'); default: 'the border with X'"
                ),
            },
            ("dcw",),
            ("case.yaml",),
            "the parts of the focus area within each distance of its borders with some countries (cumulative)",
        ),
        Builder(
            "settlements",
            "point",
            SETTLEMENT_PROPERTIES,
            {"population": "Population (GeoNames)", "region": "Region", "note": "Note", "roles": "Roles"},
            {
                "places": Param(
                    "ids",
                    required=True,
                    help="place ids from places.yaml, or `remaining` for every place no other layer lists",
                ),
                "depot_anchors": Param(
                    "flag", default=False, help="also the depots' anchor settlements not listed in places.yaml"
                ),
            },
            ("geonames",),
            ("places.yaml", "depots.yaml"),
            "settlements from GeoNames by the ids in places.yaml",
        ),
        Builder(
            "depots",
            "area",
            (
                "id",
                "name",
                "anchor_geonameid",
                "anchor_name",
                "radius_km",
                "area_km2",
                "confidence",
                "known",
                "unknown",
                "size_reason",
                "sources",
                "source",
            ),
            {
                "confidence": "Confidence",
                "known": "Known",
                "unknown": "Not known",
                "radius_km": "Radius, km",
                "anchor_name": "Around",
                "size_reason": "Why this size",
                "sources": "Sources",
                "area_km2": "Area, km²",
            },
            {},
            ("geonames",),
            ("depots.yaml",),
            "circles of a cited radius around the depots' anchor settlements",
        ),
        Builder(
            "rivers",
            "line",
            ("id", "name", "river_class", "source"),
            {"river_class": "WDBII class"},
            {
                "classes": Param(
                    "numbers",
                    default=(1.0, 2.0),
                    minimum=1,
                    maximum=4,
                    help="WDBII river classes, one feature each: 1 permanent major, 2 additional major, 3 additional",
                ),
                "margin_km": MARGIN_KM,
                "tolerance_m": TOLERANCE_M,
            },
            ("gshhg-rivers",),
            ("case.yaml",),
            "GSHHG's WDBII rivers by class around the focus area, clipped and simplified (unnamed: WDBII has no names)",
        ),
        Builder(
            "lakes",
            "area",
            ("id", "name", "lake_count", "source"),
            {"lake_count": "Lakes drawn"},
            {
                "min_area_km2": Param(
                    "number", default=10.0, minimum=0, maximum=100000, help="the smallest lake drawn, km²"
                ),
                "margin_km": MARGIN_KM,
                "tolerance_m": TOLERANCE_M,
            },
            ("gshhg-lakes",),
            ("case.yaml",),
            "GSHHG's lakes (GSHHS level 2) around the focus area, as one feature, clipped and simplified",
        ),
        Builder(
            "countries",
            "area",
            ("id", "name", "country", "source"),
            {"country": "Country"},
            {
                "margin_km": Param(
                    "number",
                    default=300.0,
                    minimum=0,
                    maximum=3000,
                    help="how far around the focus and every place in places.yaml to draw countries",
                ),
                "tolerance_m": Param(
                    "number", default=5000.0, minimum=0, maximum=50000, help="simplification tolerance, metres"
                ),
            },
            ("dcw", "geonames"),
            ("case.yaml", "places.yaml"),
            "the DCW-GMT countries around the focus and every place the case lists, clipped and simplified",
        ),
    )
}

REMAINING = "remaining"


def label_key(builder: str, name: str) -> str:
    """The interface catalogue's key for a builder's popup label (geo/page/messages/*.yaml, `py.builders`).

    The page says the label in the reader's language; en.yaml holds the English written above (a test compares them).
    """
    return f"py.builders.{builder}.{name}"
