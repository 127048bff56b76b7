"""`build_map.py new DIR --title TEXT --area CODE`: a working case folder for any DCW-GMT unit.

Writes case.yaml (the focus, the neighbours DCW-GMT puts beside it, and the focus, borders, neighbours and
distance-band layers), an example event and source clearly marked as examples, and regenerates the layers
from the raw data. Nothing here names a place: every name comes from DCW-GMT's own lists.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from shapely.geometry.base import BaseGeometry

from geo.casefile.case import CASE_FILE, DCW_CODE, AreaNames, Bounds, Case, View
from geo.common.errors import CasemapError, DataValidationError, Problem, show_value
from geo.derive import dcw
from geo.derive.geography import Geography, read_geography, slug
from geo.derive.geometry import area_km2

if TYPE_CHECKING:  # annotations only: geopandas is imported where a series is made
    import geopandas as gpd

# Band widths are picked from this 1-2-5 series, so a case's bands read as round numbers.
NICE_KM = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
# The default view: the focus's bounds and this share of its size on every side, for a little context.
VIEW_MARGIN_SHARE = 0.1
MAX_ZOOM, MIN_ZOOM = 10, 3
TITLE_MAX = 200


class ScaffoldError(CasemapError):
    """`new` cannot make the case asked for (a bad code, a title it cannot use, a folder in the way)."""


@dataclass(frozen=True)
class Draft:
    """What the scaffold decides before writing: the case's title, focus, neighbours, view and band widths."""

    title: str
    focus: AreaNames
    neighbours: tuple[AreaNames, ...]
    view: View
    border_countries: tuple[str, ...]
    band_km: tuple[int, ...]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML), so any name writes safely."""
    return json.dumps(text, ensure_ascii=False)


def _names(unit_code: str, dcw_name: str) -> AreaNames:
    """Our names for a unit from DCW-GMT's: 'Kaliningrad Oblast (Kaliningradskaya Oblast)' -> name + alias."""
    match = re.fullmatch(r"(.+?) \((.+)\)", dcw_name)
    name, aliases = (match.group(1), (match.group(2),)) if match else (dcw_name, ())
    return AreaNames(unit_code, slug(name) or slug(unit_code), name, "", "", aliases, 0)


def band_widths_km(area: float) -> tuple[int, ...]:
    """Three band widths for an area (km²): about a quarter, half and all of its equivalent radius.

    A region's equivalent radius (that of a disc of the same area) is roughly how far inside it one can be
    from its edge; bands at a quarter, half and the whole of it divide any region into readable shares.
    """
    radius = math.sqrt(area / math.pi)
    picks = [max([n for n in NICE_KM if n <= radius * share] or [NICE_KM[0]]) for share in (0.25, 0.5, 1.0)]
    return tuple(sorted(set(picks)))


def _view(focus: BaseGeometry) -> View:
    west, south, east, north = shapely.bounds(focus)
    pad_x, pad_y = (east - west) * VIEW_MARGIN_SHARE, (north - south) * VIEW_MARGIN_SHARE
    bounds = Bounds(
        round(max(south - pad_y, -85.0), 1),
        round(west - pad_x, 1),
        round(min(north + pad_y, 85.0), 1),
        round(east + pad_x, 1),
    )
    return View(bounds, MIN_ZOOM, MAX_ZOOM)


def _check_request(folder: Path, title: str, area: str) -> None:
    problems = []
    if not DCW_CODE.fullmatch(area):
        problems.append(
            f"--area: expected a DCW-GMT code as GMT writes it, like EE or RU.KGD; found {show_value(area)}"
        )
    if not title.strip() or len(title) > TITLE_MAX or any(not ch.isprintable() for ch in title):
        problems.append(
            f"--title: expected a printable title of 1 to {TITLE_MAX} characters; found {show_value(title)}"
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        problems.append(f"DIR: expected a new or empty folder; {folder} already holds files (choose another)")
    if problems:
        raise ScaffoldError("; ".join(problems))


def _draft(title: str, area: str, dcw_path: Path) -> Draft:
    """Read the focus from DCW-GMT, find its neighbours and borders, and pick the view and band widths."""
    names = dcw.unit_names(dcw_path)
    focus_names = _names(area, names.get(area, area))
    probe = Case(
        path=Path(CASE_FILE),
        title=title,
        description="",
        view=View(Bounds(0, 0, 0, 0), MIN_ZOOM, MAX_ZOOM),
        time_presets=(),
        categories=(),
        groups=(),
        search_hint="",
        seed_article=None,
        focus=focus_names,
        neighbours=(),
        country_names={},
        layers=(),
    )
    problems: list[Problem] = []
    geography: Geography = read_geography(probe, dcw_path, problems)
    if problems:
        raise DataValidationError(problems)
    area_value = float(area_km2(_series(geography.focus_geometry), projections=geography.projections)[0])
    return Draft(
        title=title,
        focus=focus_names,
        neighbours=tuple(_names(n.unit.code, n.unit.name) for n in geography.neighbours),
        view=_view(geography.focus_geometry),
        border_countries=tuple(b.country for b in geography.borders if not b.line.is_empty),
        band_km=band_widths_km(area_value),
    )


def _series(geometry: BaseGeometry) -> gpd.GeoSeries:
    import geopandas as gpd

    return gpd.GeoSeries([geometry], crs="EPSG:4326")


def _area_yaml(area: AreaNames, indent: str) -> list[str]:
    lines = [f"dcw: {area.dcw}", f"id: {area.id}", f"name: {_q(area.name)}"]
    if area.aliases:
        lines.append(f"aliases: [{', '.join(_q(a) for a in area.aliases)}]")
    return [indent + line for line in lines]


LAYER_STYLES = {
    "context": '{color: "#7a7a7a", weight: "1", fillColor: "#cccccc", fillOpacity: "0.25"}',
    "bands": '{color: "#D55E00", weight: "1", dashArray: "2 4", fillColor: "#D55E00", fillOpacity: "0.10"}',
    "focus": '{color: "#0072B2", weight: "2.5", fillColor: "#0072B2", fillOpacity: "0.05"}',
    "borders": '{color: "#D55E00", weight: "4", opacity: "0.9"}',
}


def _layers_yaml(draft: Draft) -> list[str]:
    """The scaffold's layers in drawing order (neighbours, bands, focus, borders), each where it has features."""
    name = draft.focus.name
    layers = (
        []
        if not draft.neighbours
        else [
            (
                "context",
                "Neighbouring regions",
                f"The units around {name}, clipped to the map's extent.",
                "neighbours",
                ['params: {margin_km: "250"}', "popup: [country]"],
            ),
        ]
    )
    if draft.border_countries:
        widths = ", ".join(f'"{km}"' for km in draft.band_km)
        codes = ", ".join(draft.border_countries)
        layers.append(
            (
                "bands",
                "Distance from the borders",
                f"The parts of {name} near its land borders.",
                "bands",
                [
                    "visible: false",
                    "tooltip: none",
                    f"params: {{border_with: [{codes}], distances_km: [{widths}]}}",
                    "popup: [distance_km, area_km2, share_of_focus_pct]",
                ],
            )
        )
    layers.append(("focus", name, f"{name}'s boundary polygon, with its area.", "focus", ["popup: [area_km2]"]))
    if draft.border_countries:
        layers.append(
            (
                "borders",
                "Land borders",
                f"{name}'s land border with each neighbouring country.",
                "borders",
                ["popup: [length_km]"],
            )
        )
    lines = ["layers:"]
    for key, title, description, builder, extra in layers:
        kind = "line" if builder == "borders" else "area"
        lines += [
            f"  - key: {key}",
            f"    title: {_q(title)}",
            f"    description: {_q(description)}",
            "    group: geography",
            f"    kind: {kind}",
            f"    style: {LAYER_STYLES.get(key, LAYER_STYLES['focus'])}",
            f"    builder: {builder}",
            *(f"    {line}" for line in extra),
            "",
        ]
    return lines


def case_yaml(draft: Draft) -> str:
    """The text of a new case.yaml: strict YAML the case parser reads back (every scalar quoted or plain)."""
    b = draft.view.bounds
    lines = [
        "# A case scaffolded by `build_map.py new`. Edit freely; schema: geo/casefile/case.py.",
        "# Regenerate the layers after editing: python build_map.py regenerate --case THIS_FOLDER",
        "",
        f"title: {_q(draft.title)}",
        f"description: {_q(f'A sourced map of events in {draft.focus.name}.')}",
        "",
        "view:",
        f'  bounds: {{south: "{b.south:g}", west: "{b.west:g}", north: "{b.north:g}", east: "{b.east:g}"}}',
        f'  min_zoom: "{draft.view.min_zoom}"',
        f'  max_zoom: "{draft.view.max_zoom}"',
        "",
        "categories:",
        "  - {id: case, label: The case}",
        "",
        "groups:",
        "  - {id: geography, label: Geography}",
        "",
        "focus:",
        *_area_yaml(draft.focus, "  "),
        "",
        "# The units DCW-GMT puts beside the focus, with DCW-GMT's names: rename them, add name_ru/name_zh/aliases.",
        "neighbours:" if draft.neighbours else "neighbours: []",
    ]
    for area in draft.neighbours:
        area_lines = _area_yaml(area, "    ")
        lines += ["  - " + area_lines[0].strip(), *area_lines[1:]]
    return "\n".join([*lines, "", *_layers_yaml(draft)]).rstrip() + "\n"


def example_files(draft: Draft) -> dict[str, str]:
    """An example event and its source, each saying it is an example, so the case builds and shows one event."""
    events = "\n".join(
        [
            "# EXAMPLE ONLY: replace this event with the case's own (schema: docs/data-schema.md).",
            "events:",
            "  - id: example-event",
            "    title: Example event (replace me)",
            "    description: >-",
            "      An example so the new case builds and shows one event. It is not real: replace it, and its source,",
            "      with the case's own events.",
            "    category: case",
            "    when:",
            '      start: "2020-01-01"',
            '      end: "2020-12-31"',
            "    precision: year".replace("precision", "  precision"),
            "    where:",
            f"      place: {draft.focus.id}",
            "      precision: region",
            "    sources:",
            "      - id: example-source",
            "        confirms: Nothing; it is an example.",
            "",
        ]
    )
    sources = "\n".join(
        [
            "# EXAMPLE ONLY: replace this source with the case's own bibliography.",
            "sources:",
            "  - id: example-source",
            "    outlet: Example outlet (replace me)",
            "    title: Example source, not a real publication",
            "    url: https://example.org/replace-me",
            '    published: "2020"',
            "    language: en",
            "    kind: reference",
            "    family: Example family (replace me)",
            "    note: An example so the new case builds; replace it.",
            "",
        ]
    )
    return {"events.yaml": events, "sources.yaml": sources}


def new_case(folder: Path, *, title: str, area: str, dcw_path: Path | None = None) -> dict[str, Path]:
    """Scaffold a case folder for a DCW-GMT unit and regenerate its layers; return the layers written.

    Raises
    ------
    ScaffoldError
        If the code is malformed, the title unusable, or the folder already holds files.
    RawDatasetMissingError
        If DCW-GMT is missing or has no such unit.
    """
    from geo.derive.regenerate import regenerate  # the write step lives there

    _check_request(folder, title, area)
    located = dcw.locate_dcw(dcw_path)
    draft = _draft(title, area, located)
    folder.mkdir(parents=True, exist_ok=True)
    written = {CASE_FILE: case_yaml(draft), **example_files(draft)}
    for name, text in written.items():
        (folder / name).write_text(text, encoding="utf-8")
    return regenerate(folder, dcw_path=located)
