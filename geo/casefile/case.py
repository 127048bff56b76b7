"""case.yaml: everything particular to a case that is not an event, a source or a place, as typed records.

The engine names no case. A case folder declares here its title and description, the default view, time
presets, categories and layer groups with their labels, the focus area (a DCW-GMT unit) and names for its
neighbours, the seed article if there is one, and each map layer as one record. ``parse_case`` reads the
file strictly (geo.casefile.yamlsafe) and collects every problem, located as file:line [record] field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geo.casefile import fields, schema
from geo.casefile._read import mappings, pattern, texts, top_mapping
from geo.casefile.builders import ParamValue
from geo.casefile.fields import Context
from geo.casefile.layer import COUNTRY_CODE, LayerRecord, Style, parse_layers
from geo.casefile.yamlsafe import Mapping
from geo.common.errors import Problem, show_value

CASE_FILE = "case.yaml"
TOP_FIELDS = schema.CASE.names
# A DCW-GMT unit as GMT writes it (gmt coast -E): an ISO country code, optionally a dot and a state code.
DCW_CODE = re.compile(r"[A-Z]{2}(?:\.[A-Z0-9]{1,3})?")
AREA_FIELDS = {"dcw", "id", "name", "name_ru", "name_zh", "aliases"}
SEED_FIELDS = {"path", "source", "outlet", "title", "published", "url"}
TEXT_MAX = schema.CASE_TEXT_MAX

__all__ = ["CASE_FILE", "Case", "LayerRecord", "ParamValue", "Style", "parse_case", "read_case"]


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
class Alias:
    """A person or thing the search finds under any of its spellings (other scripts, other romanisations)."""

    term: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SeedArticle:
    """The article a case starts from: its text file (relative to the case folder, ending in .txt) if there is one."""

    path: str | None
    source: str | None
    outlet: str
    title: str
    published: str
    url: str | None


@dataclass(frozen=True)
class Publisher:
    """Who publishes the map (the author of its fact checks), where, and under which licence its data goes out."""

    name: str
    url: str | None
    canonical_url: str | None
    licence: str | None


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
    # Last, with a default: a case made in code (geo.derive.scaffold's probe) has no publisher.
    publisher: Publisher | None = None
    aliases: tuple[Alias, ...] = ()

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def article_path(self) -> Path | None:
        """The seed article's text file, when case.yaml names one (seed_article.path, relative to the folder)."""
        if self.seed_article is None or self.seed_article.path is None:
            return None
        return self.folder / self.seed_article.path

    def layer(self, key: str) -> LayerRecord:
        return next(layer for layer in self.layers if layer.key == key)


# --- sections ----------------------------------------------------------------------------------------------


def _labelled(ctx: Context, root: Mapping, key: str) -> tuple[Labelled, ...]:
    seen: dict[str, int] = {}
    found = []
    for record in mappings(ctx, root, key, min_items=1):
        fields.unknown_keys(ctx, record, {"id", "label"}, prefix=f"{key}[].")
        item_id = fields.slug(ctx, record, "id", prefix=f"{key}[].")
        fields.unique_ids(ctx, seen, item_id, record.line_of("id"))
        label = fields.text(ctx, record, "label", max_chars=80, prefix=f"{key}[].")
        if item_id is not None and label is not None:
            found.append(Labelled(item_id, label))
    return tuple(found)


def _view(ctx: Context, root: Mapping) -> View | None:
    view = fields.mapping(ctx, root.get("view"), line=root.line_of("view"), field="view")
    if view is None:
        return None
    fields.unknown_keys(ctx, view, {"bounds", "min_zoom", "max_zoom"}, prefix="view.")
    box = fields.mapping(ctx, view.get("bounds"), line=view.line_of("bounds"), field="view.bounds")
    sides = fields.box(ctx, box, prefix="view.bounds") if box is not None else None
    min_zoom = fields.integer(ctx, view, "min_zoom", minimum=0, maximum=18, prefix="view.")
    max_zoom = fields.integer(ctx, view, "max_zoom", minimum=0, maximum=18, prefix="view.")
    if min_zoom is not None and max_zoom is not None and min_zoom > max_zoom:
        ctx.problem(view.line_of("max_zoom"), "view.max_zoom", f"at least min_zoom ({min_zoom})", str(max_zoom))
        return None
    if sides is None or min_zoom is None or max_zoom is None:
        return None
    return View(Bounds(*sides), min_zoom, max_zoom)


def _time_presets(ctx: Context, root: Mapping) -> tuple[TimePreset, ...]:
    found = []
    for record in mappings(ctx, root, "time_presets"):
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
    seed = fields.optional_mapping(ctx, root, "seed_article")
    if seed is None:
        return None
    prefix = "seed_article."
    fields.unknown_keys(ctx, seed, SEED_FIELDS, prefix=prefix)
    # `path: null` says there is no text in the folder; the strict loader keeps every scalar a string.
    path = None if seed.get("path") in ("null", "~") else fields.text(ctx, seed, "path", required=False, prefix=prefix)
    # Relative to the case folder; it may climb out of it (`..`): the text of a published article is often kept
    # beside the repository rather than in it. Only a .txt file is taken, so a case cannot name a key or a
    # credentials file (id_rsa, .netrc) for the build to read; the reader refuses devices, pipes and huge files.
    if path is not None and (Path(path).is_absolute() or Path(path).suffix != ".txt"):
        expected = "a path to a .txt file, relative to the case folder"
        ctx.problem(seed.line_of("path"), prefix + "path", expected, show_value(path))
        path = None
    outlet = fields.text(ctx, seed, "outlet", max_chars=TEXT_MAX, prefix=prefix)
    title = fields.text(ctx, seed, "title", max_chars=TEXT_MAX, prefix=prefix)
    published = fields.partial_date(ctx, seed, "published", prefix=prefix)
    source = fields.slug(ctx, seed, "source", required=False, prefix=prefix)
    url = fields.url(ctx, seed, "url", required=False, prefix=prefix)
    if outlet is None or title is None or published is None:
        return None
    return SeedArticle(path=path, source=source, url=url, outlet=outlet, title=title, published=published)


def _publisher(ctx: Context, root: Mapping) -> Publisher | None:
    record = fields.optional_mapping(ctx, root, "publisher")
    if record is None:
        return None
    prefix = "publisher."
    fields.unknown_keys(ctx, record, schema.PUBLISHER.names, prefix=prefix)
    name = fields.text(ctx, record, "name", max_chars=schema.PUBLISHER.field("name").max_chars, prefix=prefix)
    url = fields.url(ctx, record, "url", required=False, prefix=prefix)
    canonical_url = fields.url(ctx, record, "canonical_url", required=False, prefix=prefix)
    licence = fields.url(ctx, record, "licence", required=False, prefix=prefix)
    if name is None:
        return None
    return Publisher(name=name, url=url, canonical_url=canonical_url, licence=licence)


def _area(ctx: Context, record: Mapping, prefix: str) -> AreaNames | None:
    fields.unknown_keys(ctx, record, AREA_FIELDS, prefix=prefix)
    code = pattern(ctx, record, "dcw", DCW_CODE, "a DCW-GMT code as GMT writes it, like EE or RU.KGD", prefix=prefix)
    area_id = fields.slug(ctx, record, "id", prefix=prefix)
    name = fields.text(ctx, record, "name", max_chars=100, prefix=prefix)
    name_ru = fields.text(ctx, record, "name_ru", required=False, max_chars=100, prefix=prefix) or ""
    name_zh = fields.text(ctx, record, "name_zh", required=False, max_chars=100, prefix=prefix) or ""
    aliases = texts(ctx, record, "aliases", prefix=prefix)
    if code is None or area_id is None or name is None:
        return None
    return AreaNames(code, area_id, name, name_ru, name_zh, aliases, record.line)


def _areas(ctx: Context, root: Mapping) -> tuple[AreaNames | None, tuple[AreaNames, ...]]:
    focus_record = fields.mapping(ctx, root.get("focus"), line=root.line_of("focus"), field="focus")
    focus = _area(ctx, focus_record, "focus.") if focus_record else None
    neighbours = [area for r in mappings(ctx, root, "neighbours") if (area := _area(ctx, r, "neighbours[]."))]
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
    if names is None:
        return found
    for code in names.items:
        if not COUNTRY_CODE.fullmatch(code):
            ctx.problem(names.line_of(code), "country_names", "ISO country codes like CN as keys", show_value(code))
        elif (name := fields.text(ctx, names, code, max_chars=100, prefix="country_names.")) is not None:
            found[code] = name
    return found


def _aliases(ctx: Context, root: Mapping) -> tuple[Alias, ...]:
    found = []
    for record in mappings(ctx, root, "aliases"):
        fields.unknown_keys(ctx, record, {"term", "aliases"}, prefix="aliases[].")
        term = fields.text(ctx, record, "term", max_chars=100, prefix="aliases[].")
        spellings = texts(ctx, record, "aliases", prefix="aliases[].")
        if not spellings and record.get("aliases") is None:
            ctx.problem(record.line, "aliases[].aliases", "a list of the term's other spellings", "nothing")
        elif term is not None and spellings:
            found.append(Alias(term, spellings))
    return tuple(found)


# --- the file -----------------------------------------------------------------------------------------------


def parse_case(path: Path, problems: list[Problem]) -> Case | None:
    """Read and validate a case.yaml; append every problem found and return None if there was any."""
    before = len(problems)
    if (top := top_mapping(path, problems, TOP_FIELDS)) is None:
        return None
    ctx, root = top
    groups = _labelled(ctx, root, "groups")
    focus, neighbours = _areas(ctx, root)
    # Every part is read (in file order) before deciding, so one run reports every problem.
    title = fields.text(ctx, root, "title", max_chars=200) or ""
    description = fields.text(ctx, root, "description", max_chars=TEXT_MAX) or ""
    view = _view(ctx, root)
    time_presets = _time_presets(ctx, root)
    categories = _labelled(ctx, root, "categories")
    search_hint = fields.text(ctx, root, "search_hint", required=False, max_chars=80) or ""
    seed_article = _seed(ctx, root)
    publisher = _publisher(ctx, root)
    country_names = _country_names(ctx, root)
    layers = parse_layers(ctx, root, {group.id for group in groups})
    aliases = _aliases(ctx, root)
    if view is None or focus is None or len(problems) != before:
        return None
    return Case(
        path=path,
        title=title,
        description=description,
        view=view,
        time_presets=time_presets,
        categories=categories,
        groups=groups,
        search_hint=search_hint,
        seed_article=seed_article,
        publisher=publisher,
        focus=focus,
        neighbours=neighbours,
        country_names=country_names,
        layers=layers,
        aliases=aliases,
    )


def read_case(folder: Path, problems: list[Problem]) -> Case | None:
    """Read ``<folder>/case.yaml``."""
    return parse_case(folder / CASE_FILE, problems)
