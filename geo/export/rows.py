"""A case's events as rows of the declared columns (geo.export.columns), with each event's geometry.

Everything comes from the build's validated records (geo.page.site.load_site), so an export holds exactly what
the page shows; a case the build refuses is refused here too, with the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from geo.casefile.records import Event, Interval, Source
from geo.export import columns
from geo.export.cite import cite
from geo.page.site import Site, centroid_lat_lon, layer_keys, load_site

Value = str | float | None
Row = dict[str, Value]


@dataclass(frozen=True)
class Place:
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class ExportCase:
    """What every export format is made from: the validated site, its places, the cite fields and the width."""

    site: Site
    places: dict[str, Place]
    cite: dict[str, str]
    claims: int
    sources: int

    @property
    def headers(self) -> list[str]:
        return columns.headers(self.claims, self.sources)

    def rows(self) -> list[Row]:
        return [event_row(event, self) for event in self.site.case.events]

    def geometry(self, event: Event) -> BaseGeometry | None:
        place = self.places.get(event.where.place) if event.where.place else None
        return place.geometry if place is not None else None


def load_export(folder: Path) -> ExportCase:
    site = load_site(folder, article=None)
    places = {
        feature["id"]: Place(str(feature["properties"].get("name", feature["id"])), geometry)
        for key in layer_keys(site.records)
        for feature, geometry in zip(site.layers[key].features, site.layers[key].geometries, strict=True)
    }
    events = site.case.events
    most_claims = max((len(event.claims) for event in events), default=0)
    most_sources = max((len(event.sources) for event in events), default=0)
    return ExportCase(site, places, cite(folder, site.records.title), max(most_claims, 1), max(most_sources, 1))


def edtf(interval: Interval | None) -> str:
    """The interval in EDTF (ISO 8601-2): level 0 day, month, year or day/day; one approximate day as level 1 '~'."""
    if interval is None:
        return ""
    if interval.precision == "day":
        return interval.start
    if interval.precision == "month":
        return interval.start[:7]
    if interval.precision == "year":
        return interval.start[:4]
    if interval.start == interval.end:
        return f"{interval.start}~"
    return f"{interval.start}/{interval.end}"


WHEN_COLUMNS = ("start", "end", "date_precision", "date_label", "date_edtf")
PUBLIC_COLUMNS = ("public_start", "public_end", "public_precision", "public_label", "public_edtf")


def _interval_cells(interval: Interval | None, names: tuple[str, ...]) -> Row:
    """An interval as its five columns (start, end, precision, label, EDTF); all empty when there is none."""
    if interval is None:
        return dict.fromkeys(names, "")
    values = (interval.start, interval.end, interval.precision, interval.label, edtf(interval))
    return dict(zip(names, values, strict=True))


def _source_url(source: Source | None) -> str:
    return "" if source is None else source.url or source.via


def _group_cells(event: Event, case: ExportCase) -> Row:
    cells: Row = {}
    for number in range(1, case.claims + 1):
        claim = event.claims[number - 1] if number <= len(event.claims) else None
        cells[f"claim{number}_quote"] = claim.quote if claim else ""
        cells[f"claim{number}_status"] = claim.status if claim else ""
        cells[f"claim{number}_reason"] = claim.reason if claim else ""
        cells[f"claim{number}_other_account"] = claim.other_account if claim else ""
        cells[f"claim{number}_sources"] = " ".join(claim.sources) if claim else ""
    for number in range(1, case.sources + 1):
        cited = event.sources[number - 1] if number <= len(event.sources) else None
        source = case.site.case.sources.get(cited.source) if cited else None
        cells[f"source{number}_id"] = cited.source if cited else ""
        cells[f"source{number}_confirms"] = cited.confirms if cited else ""
        cells[f"source{number}_outlet"] = source.outlet if source else ""
        cells[f"source{number}_title"] = source.title if source else ""
        cells[f"source{number}_url"] = _source_url(source)
        cells[f"source{number}_published"] = source.published if source else ""
    return cells


def event_row(event: Event, case: ExportCase) -> Row:
    """One event as the declared columns, in header order."""
    place = case.places.get(event.where.place) if event.where.place else None
    lat, lon = centroid_lat_lon(place.geometry) if place is not None else (None, None)
    cells: Row = {
        "id": event.id,
        "title": event.title,
        "category": event.category,
        "description": event.description,
        **_interval_cells(event.when, WHEN_COLUMNS),
        **_interval_cells(event.public, PUBLIC_COLUMNS),
        "place_id": event.where.place,
        "place_name": place.name if place is not None else "",
        "location_precision": event.where.precision,
        "location_note": event.where.note,
        "lat": lat,
        "lon": lon,
        **_group_cells(event, case),
    }
    return {name: cells[name] for name in case.headers}
