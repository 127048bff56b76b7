"""The layer records of case.yaml: one record per map layer, with its style, builder parameters and popup fields.

A style is a set of Leaflet path options from a closed list, each value checked (colours as #rrggbb, numbers
in ranges, dash patterns as digits and spaces), so nothing free-form reaches the page's styling code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.casefile import fields, schema
from geo.casefile._read import flag, mappings, pattern, texts
from geo.casefile.builders import BUILDERS, GEOMETRY_KINDS, REMAINING, Builder, Param, ParamValue
from geo.casefile.colours import EVENT_COLOUR, MIN_DELTA_E, too_close_to_events
from geo.casefile.fields import Context
from geo.casefile.yamlsafe import Mapping, Value
from geo.common.errors import show_value

COUNTRY_CODE = re.compile(r"[A-Z]{2}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DASH_ARRAY = re.compile(r"[0-9]{1,2}(?: [0-9]{1,2}){1,5}")
# Leaflet path options (https://leafletjs.com/reference.html#path-option) a layer may set, and their ranges.
STYLE_NUMBERS = {"weight": (0.0, 20.0), "opacity": (0.0, 1.0), "fillOpacity": (0.0, 1.0), "radius": (1.0, 30.0)}
STYLE_COLOURS = ("color", "fillColor")
STYLE_KEYS = {*STYLE_NUMBERS, *STYLE_COLOURS, "dashArray"}
TOOLTIPS = schema.TOOLTIPS
LAYER_FIELDS = schema.LAYERS.names
TEXT_MAX = schema.CASE_TEXT_MAX

Style = dict[str, str | float]


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

    # Typed reads of a parameter whose type the builder catalogue fixes (parse_layers has checked it).
    def number(self, name: str) -> float:
        value = self.params[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"layer {self.key}: params.{name} should be a number; found {value!r}")
        return float(value)

    def numbers(self, name: str) -> tuple[float, ...]:
        value = self.params[name]
        if not isinstance(value, tuple):
            raise TypeError(f"layer {self.key}: params.{name} should be a list of numbers; found {value!r}")
        return tuple(float(item) for item in value)

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.params[name]
        if not isinstance(value, tuple):
            raise TypeError(f"layer {self.key}: params.{name} should be a list of codes or ids; found {value!r}")
        return tuple(str(item) for item in value)


def _style(ctx: Context, value: Value, *, line: int, field: str, allow_radius: bool) -> Style | None:
    """Return Leaflet path options from the closed set, each value checked (radius only where points are drawn)."""
    record = fields.mapping(ctx, value, line=line, field=field)
    if record is None:
        return None
    fields.unknown_keys(ctx, record, STYLE_KEYS, prefix=f"{field}.")
    style: Style = {}
    for key in record.items:
        if key in STYLE_COLOURS:
            style[key] = _colour(ctx, record, key, field=field)
        elif key == "dashArray":
            style[key] = pattern(ctx, record, key, DASH_ARRAY, "dash lengths like '6 4'", prefix=f"{field}.") or ""
        elif key in STYLE_NUMBERS:
            low, high = STYLE_NUMBERS[key]
            style[key] = fields.number(ctx, record, key, minimum=low, maximum=high, prefix=f"{field}.") or 0.0
        if key == "radius" and not allow_radius:
            ctx.problem(
                record.line_of(key), f"{field}.radius", "radius only on point layers and feature_styles", "radius"
            )
    return {key: value for key, value in style.items() if value != "" and key in record.items}


def _colour(ctx: Context, record: Mapping, key: str, *, field: str) -> str:
    """A #rrggbb colour that cannot be taken for the event colour (geo.casefile.colours), or "" after a problem."""
    colour = pattern(ctx, record, key, COLOUR, "a colour as #rrggbb", prefix=f"{field}.") or ""
    if colour and too_close_to_events(colour):
        expected = (
            f"a colour far from the event colour {EVENT_COLOUR} (the page draws events in it; "
            f"CIE colour difference at least {MIN_DELTA_E:g}): for example #7a7a7a, #D55E00 or #56B4E9"
        )
        ctx.problem(record.line_of(key), f"{field}.{key}", expected, show_value(colour))
        return ""
    return colour


def _param(ctx: Context, params: Mapping, name: str, spec: Param) -> ParamValue | None:
    field, line, value = f"params.{name}", params.line_of(name), params.get(name)
    if spec.type == "flag":
        return flag(ctx, params, name, default=bool(spec.default), prefix="params.")
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
        "ids": (fields.SLUG, f"place ids like 'old-town', or the word {REMAINING}"),
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
                found[name] = spec.default
            continue
        parsed = _param(ctx, params, name, spec)
        ok = ok and parsed is not None
        if parsed is not None:
            found[name] = parsed
    return found if ok else None


def _popup(ctx: Context, record: Mapping, builder: Builder) -> tuple[str, ...]:
    names = texts(ctx, record, "popup")
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
    ctx.record = record_key if isinstance(record_key := record.get("key"), str) else f"layer at line {record.line}"
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
    title = fields.text(ctx, record, "title", max_chars=120)
    description = fields.text(ctx, record, "description", max_chars=TEXT_MAX)
    tooltip = fields.choice(ctx, record, "tooltip", TOOLTIPS) if record.get("tooltip") is not None else "sticky"
    style = _style(ctx, record.get("style"), line=record.line_of("style"), field="style", allow_radius=kind == "point")
    feature_styles = _feature_styles(ctx, record)
    visible = flag(ctx, record, "visible", default=True)
    popup_note = fields.text(ctx, record, "popup_note", required=False, max_chars=TEXT_MAX) or ""
    if builder is None:
        return None
    params, popup = _params(ctx, record, builder), _popup(ctx, record, builder)
    if (
        key is None
        or kind is None
        or group is None
        or params is None
        or feature_styles is None
        or title is None
        or description is None
        or tooltip is None
        or style is None
    ):
        return None
    return LayerRecord(
        key=key,
        group=group,
        kind=kind,
        visible=visible,
        feature_styles=feature_styles,
        builder=builder.name,
        params=params,
        popup=popup,
        popup_note=popup_note,
        line=record.line,
        title=title,
        description=description,
        tooltip=tooltip,
        style=style,
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


def parse_layers(ctx: Context, root: Mapping, groups: set[str]) -> tuple[LayerRecord, ...]:
    """Read the `layers:` list: one record per layer, keys unique, each place in one settlements layer."""
    seen: dict[str, int] = {}
    layers = []
    for record in mappings(ctx, root, "layers", min_items=1):
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
