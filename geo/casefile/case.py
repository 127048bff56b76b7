"""case.yaml: everything particular to a case that is not an event, a source or a place, as typed records.

The engine names no case. A case folder declares here its title and description, the default view, time
presets, categories and layer groups with their labels, the focus area (a DCW-GMT unit) and names for its
neighbours, the seed article if there is one, and each map layer as one record. ``parse_case`` reads the
file strictly (geo.yamlsafe) and collects every problem, located as file:line [record] field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geo import fields
from geo.casefile.builders import BUILDERS, GEOMETRY_KINDS, REMAINING, Builder, Param
from geo.errors import Problem, show_value
from geo.fields import Context
from geo.yamlsafe import Mapping, Value, load_yaml

CASE_FILE = "case.yaml"
TOP_FIELDS = {
    "title",
    "description",
    "view",
    "time_presets",
    "categories",
    "groups",
    "search_hint",
    "seed_article",
    "focus",
    "neighbours",
    "country_names",
    "layers",
}
# A DCW-GMT unit as GMT writes it (gmt coast -E): an ISO country code, optionally a dot and a state code.
DCW_CODE = re.compile(r"[A-Z]{2}(?:\.[A-Z0-9]{1,3})?")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DASH_ARRAY = re.compile(r"[0-9]{1,2}(?: [0-9]{1,2}){1,5}")
# Leaflet path options (https://leafletjs.com/reference.html#path-option) a layer may set, and their ranges.
STYLE_NUMBERS = {"weight": (0.0, 20.0), "opacity": (0.0, 1.0), "fillOpacity": (0.0, 1.0), "radius": (1.0, 30.0)}
STYLE_COLOURS = ("color", "fillColor")
STYLE_KEYS = {*STYLE_NUMBERS, *STYLE_COLOURS, "dashArray"}
TOOLTIPS = ("permanent", "sticky", "hover", "none")
LAYER_FIELDS = {
    "key",
    "title",
    "description",
    "group",
    "kind",
    "visible",
    "tooltip",
    "style",
    "feature_styles",
    "builder",
    "params",
    "popup",
    "popup_note",
}
AREA_FIELDS = {"dcw", "id", "name", "name_ru", "name_zh", "aliases"}
SEED_FIELDS = {"path", "source", "outlet", "title", "published", "url"}
TEXT_MAX = 300

Style = dict[str, str | float]
ParamValue = float | bool | str | tuple[float, ...] | tuple[str, ...]


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float


@dataclass(frozen=True)
class View:
    bounds: Bounds
    min_zoom: int
    max_zoom: int


@dataclass(frozen=True)
class Labelled:
    """An id from the case's own closed set (a category, a layer group) and what readers see."""

    id: str
    label: str


@dataclass(frozen=True)
class TimePreset:
    label: str
    start: str
    end: str


@dataclass(frozen=True)
class SeedArticle:
    """The article a case starts from: its text file (relative to the case folder) when there is one."""

    path: str | None
    source: str | None
    outlet: str
    title: str
    published: str
    url: str | None


@dataclass(frozen=True)
class AreaNames:
    """Our id and names for a DCW-GMT unit (the focus, or a neighbour found touching it)."""

    dcw: str
    id: str
    name: str
    name_ru: str
    name_zh: str
    aliases: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class LayerRecord:
    """One map layer: everything regeneration, the build and the page need to know about it."""

    key: str
    title: str
    description: str
    group: str
    kind: str
    visible: bool
    tooltip: str
    style: Style
    feature_styles: dict[str, Style]
    builder: str
    params: dict[str, ParamValue]
    popup: tuple[str, ...]
    popup_note: str
    line: int

    @property
    def properties(self) -> tuple[str, ...]:
        return BUILDERS[self.builder].properties


@dataclass(frozen=True)
class Case:
    """A whole case.yaml. ``layers`` are in drawing order (first drawn first, i.e. lowest)."""

    path: Path
    title: str
    description: str
    view: View
    time_presets: tuple[TimePreset, ...]
    categories: tuple[Labelled, ...]
    groups: tuple[Labelled, ...]
    search_hint: str
    seed_article: SeedArticle | None
    focus: AreaNames
    neighbours: tuple[AreaNames, ...]
    country_names: dict[str, str]
    layers: tuple[LayerRecord, ...]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def layer(self, key: str) -> LayerRecord:
        return next(layer for layer in self.layers if layer.key == key)


# --- small readers ------------------------------------------------------------------------------------------


def _items(ctx: Context, record: Mapping, key: str, *, min_items: int = 0) -> list[tuple[Value, int]]:
    value = record.get(key)
    if value is None and min_items == 0:
        return []
    found = fields.sequence(ctx, value, line=record.line_of(key), field=key, min_items=min_items)
    return list(zip(found.items, found.item_lines, strict=True)) if found else []


def _mappings(ctx: Context, record: Mapping, key: str, *, min_items: int = 0) -> list[Mapping]:
    found = []
    for item, line in _items(ctx, record, key, min_items=min_items):
        if (mapping := fields.mapping(ctx, item, line=line, field=f"{key}[]")) is not None:
            found.append(mapping)
    return found


def _flag(ctx: Context, record: Mapping, key: str, *, default: bool, prefix: str = "") -> bool:
    value = record.get(key)
    if value is None:
        return default
    if value not in ("true", "false"):
        ctx.problem(record.line_of(key), prefix + key, "true or false", fields.describe(value))
        return default
    return value == "true"


def _pattern(
    ctx: Context, record: Mapping, key: str, pattern: re.Pattern[str], expected: str, *, prefix: str = ""
) -> str | None:
    value = fields.text(ctx, record, key, max_chars=20, prefix=prefix)
    if value is not None and not pattern.fullmatch(value):
        ctx.problem(record.line_of(key), prefix + key, expected, show_value(value))
        return None
    return value


def _texts(ctx: Context, record: Mapping, key: str, *, prefix: str = "") -> tuple[str, ...]:
    found: list[str] = []
    for item, line in _items(ctx, record, key):
        if isinstance(item, str) and item and len(item) <= 100:
            found.append(item)
        else:
            ctx.problem(line, prefix + key, "short texts (at most 100 characters)", fields.describe(item))
    return tuple(found)


def _labelled(ctx: Context, root: Mapping, key: str) -> tuple[Labelled, ...]:
    seen: dict[str, int] = {}
    found = []
    for record in _mappings(ctx, root, key, min_items=1):
        fields.unknown_keys(ctx, record, {"id", "label"}, prefix=f"{key}[].")
        item_id = fields.slug(ctx, record, "id", prefix=f"{key}[].")
        fields.unique_ids(ctx, seen, item_id, record.line_of("id"))
        label = fields.text(ctx, record, "label", max_chars=80, prefix=f"{key}[].")
        if item_id is not None and label is not None:
            found.append(Labelled(item_id, label))
    return tuple(found)


# --- sections ----------------------------------------------------------------------------------------------


def _view(ctx: Context, root: Mapping) -> View | None:
    view = fields.mapping(ctx, root.get("view"), line=root.line_of("view"), field="view")
    if view is None:
        return None
    fields.unknown_keys(ctx, view, {"bounds", "min_zoom", "max_zoom"}, prefix="view.")
    box = fields.mapping(ctx, view.get("bounds"), line=view.line_of("bounds"), field="view.bounds")
    values: dict[str, float | None] = {}
    if box is not None:
        fields.unknown_keys(ctx, box, {"south", "west", "north", "east"}, prefix="view.bounds.")
        for side, limit in (("south", 90.0), ("north", 90.0), ("west", 180.0), ("east", 180.0)):
            values[side] = fields.number(ctx, box, side, minimum=-limit, maximum=limit, prefix="view.bounds.")
    min_zoom = fields.integer(ctx, view, "min_zoom", minimum=0, maximum=18, prefix="view.")
    max_zoom = fields.integer(ctx, view, "max_zoom", minimum=0, maximum=18, prefix="view.")
    if min_zoom is not None and max_zoom is not None and min_zoom > max_zoom:
        ctx.problem(view.line_of("max_zoom"), "view.max_zoom", f"at least min_zoom ({min_zoom})", str(max_zoom))
        return None
    south, west, north, east = (values.get(side) for side in ("south", "west", "north", "east"))
    if south is not None and north is not None and south >= north:
        ctx.problem(box.line if box else view.line, "view.bounds", "south below north", f"{south:g} >= {north:g}")
        return None
    if None in (south, west, north, east, min_zoom, max_zoom):
        return None
    return View(Bounds(south, west, north, east), min_zoom, max_zoom)  # type: ignore[arg-type]


def _time_presets(ctx: Context, root: Mapping) -> tuple[TimePreset, ...]:
    found = []
    for record in _mappings(ctx, root, "time_presets"):
        fields.unknown_keys(ctx, record, {"label", "start", "end"}, prefix="time_presets[].")
        label = fields.text(ctx, record, "label", max_chars=80, prefix="time_presets[].")
        start = fields.full_date(ctx, record, "start", prefix="time_presets[].")
        end = fields.full_date(ctx, record, "end", prefix="time_presets[].")
        if start is not None and end is not None and start > end:
            ctx.problem(record.line_of("end"), "time_presets[].end", f"a date on or after {start}", end)
        elif label is not None and start is not None and end is not None:
            found.append(TimePreset(label, start, end))
    return tuple(found)


def _seed(ctx: Context, root: Mapping) -> SeedArticle | None:
    if root.get("seed_article") is None:
        return None
    seed = fields.mapping(ctx, root.get("seed_article"), line=root.line_of("seed_article"), field="seed_article")
    if seed is None:
        return None
    prefix = "seed_article."
    fields.unknown_keys(ctx, seed, SEED_FIELDS, prefix=prefix)
    # `path: null` says there is no text in the folder; the strict loader keeps every scalar a string.
    path = None if seed.get("path") in ("null", "~") else fields.text(ctx, seed, "path", required=False, prefix=prefix)
    if path is not None and (Path(path).is_absolute() or ".." in Path(path).parts):
        ctx.problem(seed.line_of("path"), prefix + "path", "a path inside the case folder", show_value(path))
        path = None
    values = {
        "outlet": fields.text(ctx, seed, "outlet", max_chars=TEXT_MAX, prefix=prefix),
        "title": fields.text(ctx, seed, "title", max_chars=TEXT_MAX, prefix=prefix),
        "published": fields.partial_date(ctx, seed, "published", prefix=prefix),
    }
    source = fields.slug(ctx, seed, "source", required=False, prefix=prefix)
    url = fields.url(ctx, seed, "url", required=False, prefix=prefix)
    if None in values.values():
        return None
    return SeedArticle(path=path, source=source, url=url, **values)  # type: ignore[arg-type]


def _area(ctx: Context, record: Mapping, prefix: str) -> AreaNames | None:
    fields.unknown_keys(ctx, record, AREA_FIELDS, prefix=prefix)
    code = _pattern(ctx, record, "dcw", DCW_CODE, "a DCW-GMT code as GMT writes it, like EE or RU.KGD", prefix=prefix)
    area_id = fields.slug(ctx, record, "id", prefix=prefix)
    name = fields.text(ctx, record, "name", max_chars=100, prefix=prefix)
    name_ru = fields.text(ctx, record, "name_ru", required=False, max_chars=100, prefix=prefix) or ""
    name_zh = fields.text(ctx, record, "name_zh", required=False, max_chars=100, prefix=prefix) or ""
    aliases = _texts(ctx, record, "aliases", prefix=prefix)
    if code is None or area_id is None or name is None:
        return None
    return AreaNames(code, area_id, name, name_ru, name_zh, aliases, record.line)


def _areas(ctx: Context, root: Mapping) -> tuple[AreaNames | None, tuple[AreaNames, ...]]:
    focus_record = fields.mapping(ctx, root.get("focus"), line=root.line_of("focus"), field="focus")
    focus = _area(ctx, focus_record, "focus.") if focus_record else None
    neighbours = [area for r in _mappings(ctx, root, "neighbours") if (area := _area(ctx, r, "neighbours[]."))]
    seen_ids: dict[str, int] = {focus.id: focus.line} if focus else {}
    seen_codes: dict[str, int] = {focus.dcw: focus.line} if focus else {}
    for area in neighbours:
        fields.unique_ids(ctx, seen_ids, area.id, area.line)
        if area.dcw in seen_codes:
            ctx.problem(area.line, "dcw", f"each unit named once (already at line {seen_codes[area.dcw]})", area.dcw)
        seen_codes.setdefault(area.dcw, area.line)
    return focus, tuple(neighbours)


def _country_names(ctx: Context, root: Mapping) -> dict[str, str]:
    if root.get("country_names") is None:
        return {}
    names = fields.mapping(ctx, root.get("country_names"), line=root.line_of("country_names"), field="country_names")
    found: dict[str, str] = {}
    for code in names.items if names else {}:
        if not COUNTRY_CODE.fullmatch(code):
            ctx.problem(names.line_of(code), "country_names", "ISO country codes like CN as keys", show_value(code))  # type: ignore[union-attr]
        elif (name := fields.text(ctx, names, code, max_chars=100, prefix="country_names.")) is not None:  # type: ignore[arg-type]
            found[code] = name
    return found


# --- layers ------------------------------------------------------------------------------------------------


def _style(ctx: Context, value: Value, *, line: int, field: str, allow_radius: bool) -> Style | None:
    """Return Leaflet path options from the closed set, each value checked (radius only where points are drawn)."""
    record = fields.mapping(ctx, value, line=line, field=field)
    if record is None:
        return None
    fields.unknown_keys(ctx, record, STYLE_KEYS, prefix=f"{field}.")
    style: Style = {}
    for key in record.items:
        if key in STYLE_COLOURS:
            style[key] = _pattern(ctx, record, key, COLOUR, "a colour as #rrggbb", prefix=f"{field}.") or ""
        elif key == "dashArray":
            style[key] = _pattern(ctx, record, key, DASH_ARRAY, "dash lengths like '6 4'", prefix=f"{field}.") or ""
        elif key in STYLE_NUMBERS:
            low, high = STYLE_NUMBERS[key]
            style[key] = fields.number(ctx, record, key, minimum=low, maximum=high, prefix=f"{field}.") or 0.0
        if key == "radius" and not allow_radius:
            ctx.problem(
                record.line_of(key), f"{field}.radius", "radius only on point layers and feature_styles", "radius"
            )
    return {key: value for key, value in style.items() if value != "" and key in record.items}


def _param(ctx: Context, params: Mapping, name: str, spec: Param) -> ParamValue | None:
    field, line, value = f"params.{name}", params.line_of(name), params.get(name)
    if spec.type == "flag":
        return _flag(ctx, params, name, default=bool(spec.default), prefix="params.")
    if spec.type == "number":
        return fields.number(ctx, params, name, minimum=spec.minimum, maximum=spec.maximum, prefix="params.")
    if spec.type == "text":
        return fields.text(ctx, params, name, max_chars=100, prefix="params.")
    if spec.type == "ids" and value == REMAINING:
        return REMAINING
    items = fields.sequence(ctx, value, line=line, field=field, min_items=1)
    if items is None:
        return None
    found: list[str] = []
    for item in items.items:
        found.append(item if isinstance(item, str) else "")
    if spec.type == "numbers":
        return _numbers(ctx, found, spec, line=line, field=field)
    pattern, expected = {
        "codes": (COUNTRY_CODE, "ISO country codes like CN"),
        "ids": (fields.SLUG, f"place ids like 'chita', or the word {REMAINING}"),
    }[spec.type]
    bad = [item for item in found if not pattern.fullmatch(item)]
    if bad:
        ctx.problem(line, field, expected, show_value(bad[0]))
        return None
    return tuple(found)


def _numbers(ctx: Context, texts: list[str], spec: Param, *, line: int, field: str) -> tuple[float, ...] | None:
    try:
        numbers = tuple(float(text) for text in texts)
    except ValueError:
        numbers = ()
    ok = bool(numbers) and all(spec.minimum <= n <= spec.maximum for n in numbers)
    if not ok or list(numbers) != sorted(set(numbers)):
        expected = f"ascending numbers from {spec.minimum:g} to {spec.maximum:g}, each once"
        ctx.problem(line, field, expected, show_value(", ".join(texts)))
        return None
    return numbers


def _params(ctx: Context, record: Mapping, builder: Builder) -> dict[str, ParamValue] | None:
    value = record.get("params")
    params = fields.mapping(ctx, value, line=record.line_of("params"), field="params") if value is not None else None
    if value is not None and params is None:
        return None
    params = params or Mapping({}, {}, record.line)
    fields.unknown_keys(ctx, params, set(builder.params), prefix="params.")
    found: dict[str, ParamValue] = {}
    ok = True
    for name, spec in builder.params.items():
        if params.get(name) is None:
            if spec.required:
                ctx.problem(params.line, f"params.{name}", f"a value ({spec.help})", "nothing")
                ok = False
            elif spec.default is not None:
                found[name] = spec.default  # type: ignore[assignment]
            continue
        parsed = _param(ctx, params, name, spec)
        ok = ok and parsed is not None
        if parsed is not None:
            found[name] = parsed
    return found if ok else None


def _popup(ctx: Context, record: Mapping, builder: Builder) -> tuple[str, ...]:
    names = _texts(ctx, record, "popup")
    for name in names:
        if name not in builder.labels:
            ctx.problem(
                record.line_of("popup"),
                "popup",
                f"properties the {builder.name} builder shows: {', '.join(builder.labels)}",
                show_value(name),
            )
    return tuple(name for name in names if name in builder.labels)


def _layer(ctx: Context, record: Mapping, groups: set[str]) -> LayerRecord | None:
    ctx.record = record.get("key") if isinstance(record.get("key"), str) else f"layer at line {record.line}"  # type: ignore[assignment]
    fields.unknown_keys(ctx, record, LAYER_FIELDS)
    key = fields.slug(ctx, record, "key")
    builder_name = fields.choice(ctx, record, "builder", tuple(BUILDERS))
    kind = fields.choice(ctx, record, "kind", GEOMETRY_KINDS)
    group = fields.text(ctx, record, "group", max_chars=80)
    if group is not None and group not in groups:
        ctx.problem(record.line_of("group"), "group", f"one of the groups: {', '.join(sorted(groups))}", group)
        group = None
    builder = BUILDERS.get(builder_name or "")
    if builder is not None and kind is not None and kind != builder.kind:
        ctx.problem(record.line_of("kind"), "kind", f"{builder.kind} (what the {builder.name} builder makes)", kind)
        kind = None
    values = {
        "title": fields.text(ctx, record, "title", max_chars=120),
        "description": fields.text(ctx, record, "description", max_chars=TEXT_MAX),
        "tooltip": fields.choice(ctx, record, "tooltip", TOOLTIPS) if record.get("tooltip") is not None else "sticky",
        "style": _style(
            ctx, record.get("style"), line=record.line_of("style"), field="style", allow_radius=kind == "point"
        ),
    }
    feature_styles = _feature_styles(ctx, record)
    visible = _flag(ctx, record, "visible", default=True)
    popup_note = fields.text(ctx, record, "popup_note", required=False, max_chars=TEXT_MAX) or ""
    if builder is None:
        return None
    params, popup = _params(ctx, record, builder), _popup(ctx, record, builder)
    if None in (key, kind, group, params, feature_styles, *values.values()):
        return None
    return LayerRecord(
        key=key,
        group=group,
        kind=kind,
        visible=visible,
        feature_styles=feature_styles,
        builder=builder.name,  # type: ignore[arg-type]
        params=params,
        popup=popup,
        popup_note=popup_note,
        line=record.line,
        **values,  # type: ignore[arg-type]
    )


def _feature_styles(ctx: Context, record: Mapping) -> dict[str, Style] | None:
    if record.get("feature_styles") is None:
        return {}
    by_id = fields.mapping(
        ctx, record.get("feature_styles"), line=record.line_of("feature_styles"), field="feature_styles"
    )
    if by_id is None:
        return None
    found: dict[str, Style] = {}
    for feature_id, value in by_id.items.items():
        if not fields.SLUG.fullmatch(feature_id):
            ctx.problem(by_id.line_of(feature_id), "feature_styles", "feature ids as keys", show_value(feature_id))
            continue
        style = _style(
            ctx, value, line=by_id.line_of(feature_id), field=f"feature_styles.{feature_id}", allow_radius=True
        )
        if style is not None:
            found[feature_id] = style
    return found


def _layers(ctx: Context, root: Mapping, groups: set[str]) -> tuple[LayerRecord, ...]:
    seen: dict[str, int] = {}
    layers = []
    for record in _mappings(ctx, root, "layers", min_items=1):
        layer = _layer(ctx, record, groups)
        if layer is not None:
            fields.unique_ids(ctx, seen, layer.key, record.line_of("key"))
            layers.append(layer)
    ctx.record = ""
    _check_settlement_places(ctx, layers)
    return tuple(layers)


def _check_settlement_places(ctx: Context, layers: list[LayerRecord]) -> None:
    """At most one settlements layer takes the `remaining` places, and no place is listed by two layers."""
    listed: dict[str, str] = {}
    remaining = [layer.key for layer in layers if layer.params.get("places") == REMAINING]
    if len(remaining) > 1:
        ctx.problem(0, "params.places", f"`{REMAINING}` in one layer only", ", ".join(remaining))
    for layer in layers:
        places = layer.params.get("places")
        for place in places if isinstance(places, tuple) else ():
            if place in listed:
                ctx.problem(layer.line, "params.places", f"each place in one layer (also in {listed[place]})", place)
            listed.setdefault(str(place), layer.key)


# --- the file -----------------------------------------------------------------------------------------------


def parse_case(path: Path, problems: list[Problem]) -> Case | None:
    """Read and validate a case.yaml; append every problem found and return None if there was any."""
    before = len(problems)
    loaded = load_yaml(path)
    problems.extend(loaded.problems)
    ctx = Context(str(path), problems)
    if loaded.root is None or loaded.problems:
        return None
    root = fields.mapping(ctx, loaded.root, line=1, field="")
    if root is None:
        return None
    fields.unknown_keys(ctx, root, TOP_FIELDS)
    groups = _labelled(ctx, root, "groups")
    focus, neighbours = _areas(ctx, root)
    case = Case(
        path=path,
        title=fields.text(ctx, root, "title", max_chars=200) or "",
        description=fields.text(ctx, root, "description", max_chars=TEXT_MAX) or "",
        view=_view(ctx, root),  # type: ignore[arg-type]
        time_presets=_time_presets(ctx, root),
        categories=_labelled(ctx, root, "categories"),
        groups=groups,
        search_hint=fields.text(ctx, root, "search_hint", required=False, max_chars=80) or "",
        seed_article=_seed(ctx, root),
        focus=focus,  # type: ignore[arg-type]
        neighbours=neighbours,
        country_names=_country_names(ctx, root),
        layers=_layers(ctx, root, {group.id for group in groups}),
    )
    return case if len(problems) == before else None


def read_case(folder: Path, problems: list[Problem]) -> Case | None:
    """Read ``<folder>/case.yaml``."""
    return parse_case(folder / CASE_FILE, problems)
