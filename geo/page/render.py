"""Render the validated site into one self-contained, deterministic HTML page with folium.

folium draws the map, the base layers and the vector layers; the case application (event list, time
filter, search, popups, legend, panels: ``static/casemap.js``) reads every string from data through one
JSON block and writes it into the page as text (textContent), never as HTML.

THE RULE (docs/security.md): nothing from a data file reaches a folium or branca template. branca compiles
every macro's output as a new Jinja template, so a ``{{ ... }}`` in any value handed to folium runs Python
at build time, and a ``</script>`` in it would end up in the page. Only these may pass through folium:

* numbers (geometry is rebuilt from shapely's parsed floats by ``plain_geometry``: RFC 7946 ``type`` and
  ``coordinates``, nothing else);
* values from closed sets the build defines (geometry types, the styles and titles in this module, the
  tile providers of ``BASE_LAYERS``);
* names the build makes (layer keys, branca element names, a feature's position in its layer).

Everything else (ids, names, properties, events, sources, the manifest) goes into the data block
(``DataBlock``: a plain Element, rendered once, base64 only) and casemap.js shows it as text.
``check_page`` then proves the rendered page holds exactly the scripts the build meant to write.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import html
import itertools
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from typing import Any, ClassVar
from urllib.parse import urlsplit

import branca.element
import folium
import shapely
import xyzservices.providers as xyz
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.casefile.casedata import Claim, Event, Interval, Source
from geo.casefile.sourcing import independent_families, is_single_source, seed_families
from geo.common.errors import CasemapError
from geo.common.geojson import ALLOWED_GEOMETRIES
from geo.page import assets
from geo.page.site import LAYER_NAMES, Site, centroid_lat_lon

PAGE_TITLE = "The Vasilyev treason case, Zabaykalsky Krai, 2019–2021: a sourced map"
PAGE_DESCRIPTION = (
    "An interactive, offline map of the 2021 Vasilyev treason case in Zabaykalsky Krai, Russia: the region on the "
    "China and Mongolia border, its ordnance-depot regions, and every event with its sources and claim status."
)
# DCW-GMT is a 1:1,000,000 dataset (accuracy ~2 km); beyond zoom 10 (~94 m a pixel at 52 N) the map would
# show precision the data does not have. Tiles are optional context and stop there too.
MAX_ZOOM = 10
MIN_ZOOM = 3
# The krai and its neighbours (lat/lon): the default view.
DEFAULT_BOUNDS = [[47.8, 105.5], [58.6, 123.0]]

LAYER_GROUPS = {
    "chita": ("case", "Chita (capital)", True),
    "places": ("case", "Places in the story", True),
    "depots": ("military", "Ordnance-depot regions", True),
    "bands": ("military", "Distance from the Chinese border", False),
    "krai": ("geography", "Zabaykalsky Krai", True),
    "borders": ("geography", "Borders with China and Mongolia", True),
    "context": ("geography", "Neighbouring regions", True),
}

# Okabe-Ito palette: distinguishable with every common form of colour blindness.
STYLES: dict[str, dict[str, Any]] = {
    "krai": {"color": "#0072B2", "weight": 2.5, "fillColor": "#0072B2", "fillOpacity": 0.05},
    "context": {"color": "#7a7a7a", "weight": 1, "fillColor": "#cccccc", "fillOpacity": 0.25},
    "bands": {"color": "#D55E00", "weight": 1, "dashArray": "2 4", "fillColor": "#D55E00", "fillOpacity": 0.10},
    "depots": {"color": "#CC79A7", "weight": 2, "dashArray": "6 4", "fillColor": "#CC79A7", "fillOpacity": 0.22},
    "borders": {"color": "#D55E00", "weight": 4, "opacity": 0.9},
    "places": {"color": "#333333", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1, "radius": 4},
    "chita": {"color": "#000000", "weight": 2, "fillColor": "#F0E442", "fillOpacity": 1, "radius": 8},
}
BASE_LAYERS = (
    ("plain", "Plain (no network)", None),
    ("streets", "Street map (OpenStreetMap)", xyz.OpenStreetMap.Mapnik),
    ("satellite", "Satellite (Esri World Imagery)", xyz.Esri.WorldImagery),
)


@contextlib.contextmanager
def deterministic_ids() -> Iterator[None]:
    """Number branca elements in creation order instead of with random hex, so builds are byte-identical."""
    counter = itertools.count(1)
    original = branca.element.Element.__dict__["_generate_id"]
    branca.element.Element._generate_id = classmethod(lambda cls: f"{next(counter):04d}")  # type: ignore[method-assign]
    try:
        yield
    finally:
        branca.element.Element._generate_id = original  # type: ignore[method-assign]


@contextlib.contextmanager
def compact_tojson() -> Iterator[None]:
    """Make folium's ``tojson`` filter write JSON without spaces after ',' and ':'.

    Coordinates are most of the page: '[113.4917, 52.0431], ' costs two bytes a pair more than it needs
    (about 30 KB here). Jinja reads the dumps arguments from its environment's policies.
    """
    policies = folium.GeoJson._template.environment.policies
    saved = policies.get("json.dumps_kwargs")
    policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    try:
        yield
    finally:
        policies["json.dumps_kwargs"] = saved


def packed_json(value: Any) -> str:
    """JSON, gzip-compressed (mtime 0, so the same data gives the same bytes) and base64-encoded.

    Base64 is safe anywhere in HTML and in a Jinja template: no '<', '&', quote or brace can occur.
    """
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    # Level 6: at 100,000 events level 9 takes 2.1 s for a page only 1.6 % smaller (bench/RESULTS.md).
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


class Page(branca.element.Figure):
    """The HTML document: language, title, description, and the inline assets in the head."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "<!--CSP-->\n"
        "<title>{{ this.page_title|e }}</title>\n"
        '<meta name="description" content="{{ this.page_description|e }}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "{{ this.header_text }}\n"
        "</head>\n"
        "<body>\n"
        "{{ this.html_text }}\n"
        "<script>\n"
        "{{ this.script_text }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, *, page_title: str, page_description: str) -> None:
        super().__init__(height="100%")
        self._name = "Page"
        self.page_title = _guard_constant(page_title)
        self.page_description = _guard_constant(page_description)
        self.header_text = self.html_text = self.script_text = ""

    def render(self, **kwargs: Any) -> str:
        """Render as branca's Figure does, keeping the body script so its hash can come from the build."""
        for child in self._children.values():
            child.render(**kwargs)
        self.header_text = self.header.render(**kwargs)
        self.html_text = self.html.render(**kwargs)
        self.script_text = self.script.render(**kwargs)
        return str(self._template.render(this=self, kwargs=kwargs))

    def intended_code(self) -> IntendedCode:
        """The inline scripts and styles the build means to emit, from its own texts (call after render)."""
        header = list(self.header._children.values())
        assets_of = [(child.tag, f"\n{child.text}\n") for child in header if isinstance(child, InlineAsset)]
        map_styles = [child.style_text for child in header if isinstance(child, MapStyle)]
        return IntendedCode(
            scripts=(*(body for tag, body in assets_of if tag == "script"), f"\n{self.script_text}\n"),
            styles=(*(body for tag, body in assets_of if tag == "style"), *map_styles),
        )


@dataclass(frozen=True)
class IntendedCode:
    """The bodies of the executable <script> and the <style> elements the build wrote on purpose."""

    scripts: tuple[str, ...]
    styles: tuple[str, ...]


class MapStyle(branca.element.Element):
    """The map's size, in place of folium's map header (see OfflineMap.render)."""

    def __init__(self, map_name: str) -> None:
        super().__init__()
        self._name = "MapStyle"
        if not re.fullmatch(r"map_[0-9a-f]+", map_name):
            raise TypeError(f"unexpected map element name {map_name!r}")
        self.style_text = (
            f"#{map_name} {{ position: relative; width: 100%; height: 100%; left: 0; top: 0; }}\n"
            ".leaflet-container { font-size: 1rem; }\n"
            "html, body { width: 100%; height: 100%; margin: 0; padding: 0; }"
        )
        self._template = Template("<style>{{ this.style_text }}</style>")


class OfflineMap(folium.Map):
    """A folium Map that links nothing: Leaflet and every stylesheet are inlined by the page instead."""

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []

    def render(self, **kwargs: Any) -> None:
        super().render(**kwargs)
        # folium's map header holds a second viewport tag, a rule for an element id the page does not have,
        # and a <script> setting Leaflet's global switches to their defaults after Leaflet has loaded (so it
        # does nothing). Keep only the sizing rule: every inline script in the page is one the build wrote.
        self.get_root().header.add_child(MapStyle(self.get_name()), name=self.get_name())


class InlineAsset(branca.element.Element):
    """An inline <script> or <style> element in the page head."""

    def __init__(self, tag: str, text: str) -> None:
        super().__init__()
        self._name = "InlineAsset"
        self.tag = tag
        self._template = Template(f"<{tag}>\n{{{{ this.text }}}}\n</{tag}>")
        self.text = assets.guard_inline(text, tag=tag)


class DataBlock(branca.element.Element):
    """The page's data as one JSON block, rendered once as text.

    Why not inside a folium macro: branca's MacroElement compiles each macro's output as a new Jinja
    template (``Element(html(self, kwargs))``), so a ``{{ ... }}`` in any string from the data would be
    evaluated at build time. A plain Element's output is inserted as it is.
    """

    _template = Template('<script type="application/gzip+base64" id="casemap-data">{{ this.payload }}</script>')

    def __init__(self, payload: str) -> None:
        super().__init__()
        self._name = "DataBlock"
        self.payload = payload


class CaseApp(JSCSSMixin):
    """Starts casemap.js with the map and its layers; carries only variable names, never data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        Casemap.start({
            map: {{ this.map_name }},
            layers: { {% for key, name in this.layer_names.items() %}{{ key|tojson }}: {{ name }}, {% endfor %} },
            bases: { {% for key, name in this.base_names.items() %}{{ key|tojson }}: {{ name }}, {% endfor %} },
            dataElement: "casemap-data"
        });
        {% endmacro %}
        """
    )

    def __init__(self, *, map_name: str, layer_names: dict[str, str], base_names: dict[str, str]) -> None:
        super().__init__()
        self._name = "CaseApp"
        self.map_name = map_name
        self.layer_names = layer_names
        self.base_names = base_names


def _source_payload(site: Site) -> dict[str, Any]:
    return {source_id: asdict(source) for source_id, source in sorted(site.case.sources.items())}


def _place_payload(site: Site) -> dict[str, Any]:
    """Every feature events can point at, with its names, layer and a point to fly to."""
    places: dict[str, Any] = {}
    for name in LAYER_NAMES:
        layer = site.layers[name]
        for feature, geometry in zip(layer.features, layer.geometries, strict=True):
            props = feature["properties"]
            lat, lon = centroid_lat_lon(geometry)
            minx, miny, maxx, maxy = geometry.bounds
            places[feature["id"]] = {
                "name": props.get("name", feature["id"]),
                "name_ru": props.get("name_ru", ""),
                "name_zh": props.get("name_zh", ""),
                "aliases": props.get("aliases", []),
                "layer": name,
                "kind": "point" if geometry.geom_type == "Point" else "area",
                "lat": lat,
                "lon": lon,
                "bounds": [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]],
            }
    return places


def _interval_payload(interval: Interval) -> dict[str, str]:
    return {"start": interval.start, "end": interval.end, "precision": interval.precision, "label": interval.label}


def event_payload(event: Event, sources: Mapping[str, Source], *, seed: frozenset[str]) -> dict[str, Any]:
    """One event as JSON, leaving out what it does not have (a case of 100,000 events pays for every key)."""
    where: dict[str, str] = {"precision": event.where.precision}
    if event.where.place:
        where["place"] = event.where.place
    if event.where.note:
        where["note"] = event.where.note
    out: dict[str, Any] = {
        "id": event.id,
        "title": event.title,
        "description": event.description,
        "category": event.category,
        "when": _interval_payload(event.when),
        "where": where,
        "sources": [{"source": c.source, "confirms": c.confirms} for c in event.sources],
    }
    if event.public is not None:
        out["public"] = _interval_payload(event.public)
    if event.claims:
        out["claims"] = [_claim_payload(claim, sources, seed=seed) for claim in event.claims]
    return out


def _claim_payload(claim: Claim, sources: Mapping[str, Source], *, seed: frozenset[str]) -> dict[str, Any]:
    """A claim with the independence the build computed: its families, and whether it rests on one."""
    families = independent_families(claim.sources, sources, seed=seed)
    out: dict[str, Any] = {
        "quote": claim.quote,
        "status": claim.status,
        "reason": claim.reason,
        "sources": list(claim.sources),
        "families": list(families),
    }
    if is_single_source(claim.status, families):
        out["single_source"] = True
    if claim.other_account:
        out["other_account"] = claim.other_account
    return out


def build_payload(site: Site) -> dict[str, Any]:
    """Everything casemap.js needs, as plain JSON (strings are shown as text, never parsed as HTML)."""
    manifest = site.manifest
    seed = seed_families(site.case.sources)
    return {
        "title": PAGE_TITLE,
        "events": [event_payload(event, site.case.sources, seed=seed) for event in site.case.events],
        "sources": _source_payload(site),
        "places": _place_payload(site),
        # By layer, in the order _add_layers hands the features to folium: folium knows a feature only by
        # its position (see the module docstring), casemap.js finds its id and properties here.
        "featureIds": {key: [f["id"] for f in site.layers[key].features] for key in LAYER_NAMES},
        "properties": {key: [f["properties"] for f in site.layers[key].features] for key in LAYER_NAMES},
        "layers": [
            {
                "key": key,
                "group": group,
                "title": title,
                "visible": visible,
                "style": STYLES[key],
                "features": len(site.layers[key].features),
            }
            for key, (group, title, visible) in LAYER_GROUPS.items()
        ],
        "bases": [{"key": key, "title": title, "offline": provider is None} for key, title, provider in BASE_LAYERS],
        "method": {
            "command": manifest.get("command", ""),
            "datasets": manifest.get("datasets", {}),
            "layers": {
                k: {f: v.get(f) for f in ("title", "licence", "attribution", "inputs", "sha256", "feature_count")}
                for k, v in manifest.get("layers", {}).items()
            },
        },
        "view": {"bounds": DEFAULT_BOUNDS, "maxZoom": MAX_ZOOM},
        "seed": next((source_id for source_id, s in sorted(site.case.sources.items()) if s.kind == "seed"), ""),
        "article": _article_payload(site),
        "corrections": [
            {"date": c.date, "records": list(c.records), "change": c.change, "why": c.why} for c in site.corrections
        ],
    }


def _article_payload(site: Site) -> dict[str, Any]:
    """How the seed article was accounted for: sentences by kind, for the method panel."""
    counts: dict[str, int] = {}
    for sentence in site.sentences:
        counts[sentence.kind] = counts.get(sentence.kind, 0) + 1
    return {"sentences": len(site.sentences), "by_kind": counts}


def _plain_coordinates(value: Any) -> Any:
    """Nested lists of Python floats, or an error: the only coordinate values allowed near a template."""
    if isinstance(value, list | tuple):
        return [_plain_coordinates(item) for item in value]
    if isinstance(value, float) and math.isfinite(value):
        return float(value)
    raise TypeError(f"a coordinate must be a finite float; found {type(value).__name__}")


def plain_geometry(shape: shapely.Geometry) -> dict[str, Any]:
    """An RFC 7946 geometry rebuilt from a validated shapely shape: a type from a closed set and floats.

    Not the feature's ``geometry`` object as the file had it: that may hold extra members (RFC 7946 allows
    foreign members), and folium would compile them as a template (module docstring).
    """
    kind = shape.geom_type
    if kind not in ALLOWED_GEOMETRIES:
        raise TypeError(f"geometry type {kind!r} is not drawn")
    return {"type": kind, "coordinates": _plain_coordinates(shapely.geometry.mapping(shape)["coordinates"])}


def _guard_constant(text: str) -> str:
    """Refuse a build constant that Jinja would read as template syntax when folium compiles it again."""
    if any(mark in text for mark in ("{{", "{%", "{#")):
        raise TypeError(f"{text!r} holds template syntax; it cannot pass through folium")
    return text


def _add_layers(folium_map: folium.Map, site: Site) -> dict[str, str]:
    names: dict[str, str] = {}
    for key in LAYER_NAMES:
        # Only build-made values go through folium (module docstring): the feature's position in its layer
        # as its id, and its geometry rebuilt from validated floats. casemap.js finds the data-file id and
        # the properties by that position in the data block.
        bare = [
            {"type": "Feature", "id": position, "properties": {}, "geometry": plain_geometry(shape)}
            for position, shape in enumerate(site.layers[key].geometries)
        ]
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": bare},
            name=_guard_constant(LAYER_GROUPS[key][1]),
            style_function=None,
            show=False,
            control=False,
            on_each_feature=folium.JsCode(f"Casemap.onEachFeature({json.dumps(key)})"),
            marker=folium.CircleMarker(**{k: v for k, v in STYLES[key].items() if k == "radius"})
            if key in ("places", "chita") or key == "borders"
            else None,
        )
        layer.add_to(folium_map)
        names[key] = layer.get_name()
    return names


def _add_bases(folium_map: folium.Map) -> dict[str, str]:
    names: dict[str, str] = {}
    for key, title, provider in BASE_LAYERS:
        if provider is None:
            continue
        tiles = folium.TileLayer(
            tiles=provider.build_url(scale_factor="{r}") if "{r}" in provider.url else provider.build_url(),
            attr=_guard_constant(provider.html_attribution),
            name=_guard_constant(title),
            max_zoom=MAX_ZOOM,
            max_native_zoom=min(int(provider.get("max_zoom", 18)), 19),
            show=False,
            control=False,
        )
        tiles.add_to(folium_map)
        names[key] = tiles.get_name()
    return names


def content_security_policy(intended: IntendedCode) -> str:
    """Allow exactly the inline scripts and styles the build meant to write, the tile hosts, and nothing else.

    The hashes come from the build's own texts, never from the rendered page: whatever a data file might
    have smuggled into the page gets no hash, and ``check_page`` stops the build before it is written.
    """
    script_hashes = sorted({_hash(body) for body in intended.scripts})
    style_hashes = sorted({_hash(body) for body in intended.styles})
    tile_hosts = sorted(
        {urlsplit(p.build_url()).netloc.replace("{s}", "*") for _, _, p in BASE_LAYERS if p is not None}
    )
    tile_sources = " ".join(f"https://{host}" for host in tile_hosts)
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(f"'{h}'" for h in script_hashes),
            # Leaflet positions map panes through element.style, which CSP does not govern; style elements are hashed.
            "style-src " + " ".join(f"'{h}'" for h in style_hashes),
            "img-src data: " + tile_sources,
            "font-src data:",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )


class PageIntegrityError(CasemapError):
    """The rendered page holds markup the build did not mean to write: a bug in casemap, never written out."""

    def __init__(self, faults: list[str]) -> None:
        self.faults = faults
        super().__init__(
            "internal error (a bug in casemap: please report it with the data that caused it): the rendered page "
            "is not the page the build meant to write, so nothing was written:\n" + "\n".join(f"  {f}" for f in faults)
        )


# The elements the page is made of; anything else (iframe, object, a, img, base, form, ...) is not ours.
PAGE_TAGS = frozenset({"html", "head", "meta", "title", "style", "script", "body", "div"})
DATA_BLOCK_ATTRIBUTES = (("type", "application/gzip+base64"), ("id", "casemap-data"))
# The CSP the build adds and branca's charset declaration; never a refresh or a cookie.
_PAGE_HTTP_EQUIV = frozenset({"content-security-policy", "content-type"})
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/=]*")
# Browsers drop ASCII whitespace and control characters inside a URL's scheme (WHATWG URL standard, "basic
# URL parser"); compare what is left.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")


class _PageAudit(HTMLParser):
    """Walk the page as html.parser reads it and record every script, style and attribute that could run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.data_blocks: list[str] = []
        self.faults: list[str] = []
        self._open: tuple[str, list[tuple[str, str | None]], int] | None = None
        self._body: list[str] = []

    def _fault(self, message: str) -> None:
        self.faults.append(f"line {self.getpos()[0]}: {message}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag in ("script", "style"):
            self._open, self._body = (tag, attrs, self.getpos()[0]), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag in ("script", "style"):
            # A browser ignores the '/' and opens the element: html.parser would not read its body.
            self._fault(f"a self-closing <{tag}/>")

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in PAGE_TAGS:
            self._fault(f"an element the page does not use: <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self._fault(f"an inline event handler {name}= on <{tag}>")
            if value is not None and _URL_NOISE.sub("", value).lower().startswith(_SCRIPT_SCHEMES):
                self._fault(f"a script URL in {name}= on <{tag}>")
        equiv = [value or "" for name, value in attrs if name == "http-equiv"]
        if any(value.lower() not in _PAGE_HTTP_EQUIV for value in equiv):
            self._fault(f"a <meta http-equiv> the page does not use: {equiv!r}"[:200])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is None or tag != self._open[0]:
            return
        kind, attrs, _ = self._open
        body = "".join(self._body)
        self._open = None
        if kind == "style":
            if attrs:
                self._fault("a <style> with attributes")
            self.styles.append(body)
        elif not attrs:
            self.scripts.append(body)
        elif sorted(attrs) == sorted(DATA_BLOCK_ATTRIBUTES) and _BASE64_TEXT.fullmatch(body):
            self.data_blocks.append(body)
        else:
            self._fault(f"a <script> with attributes {attrs!r}"[:200])

    def handle_pi(self, data: str) -> None:
        self._fault("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        self._fault("an unknown declaration")

    def close(self) -> None:
        super().close()
        if self._open is not None:
            self._fault(f"a <{self._open[0]}> that is never closed (opened at line {self._open[2]})")


def _unexpected(found: Sequence[str], intended: Sequence[str], kind: str) -> list[str]:
    faults = [f"a <{kind}> the build did not write: {body[:80]!r}" for body in found if body not in intended]
    faults += [f"an intended <{kind}> is missing or changed: {_hash(body)}" for body in intended if body not in found]
    if not faults and sorted(found) != sorted(intended):
        faults.append(f"the page holds {len(found)} <{kind}> elements; the build wrote {len(intended)}")
    return faults


def check_page(page: str, intended: IntendedCode) -> None:
    """Stop unless the page's scripts and styles are exactly the intended ones (html.parser's reading).

    Every script element (any case, any attributes), every inline event-handler attribute and every
    javascript: URL is accounted for; the data block must be the non-executable type with base64 only.
    """
    audit = _PageAudit()
    audit.feed(page)
    audit.close()
    faults = list(audit.faults)
    faults += _unexpected(audit.scripts, intended.scripts, "script")
    faults += _unexpected(audit.styles, intended.styles, "style")
    if len(audit.data_blocks) != 1:
        faults.append(f"the page holds {len(audit.data_blocks)} data blocks (base64 only); the build wrote 1")
    if faults:
        raise PageIntegrityError(faults)


def _hash(body: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")


def render_page(site: Site) -> str:
    """Render the site to the HTML text of the map page. Pure: same site, same bytes."""
    with deterministic_ids(), compact_tojson():
        page = Page(page_title=PAGE_TITLE, page_description=PAGE_DESCRIPTION)
        folium_map = OfflineMap(
            location=[53.5, 114.5],
            zoom_start=5,
            tiles=None,
            max_zoom=MAX_ZOOM,
            min_zoom=MIN_ZOOM,
            control_scale=False,
            prefer_canvas=False,
            zoom_control=False,
            zoom_snap=0.25,
        )
        page.add_child(folium_map)
        page.header.add_child(InlineAsset("style", assets.leaflet_css()), name="leaflet_css")
        page.header.add_child(InlineAsset("style", assets.casemap_css()), name="casemap_css")
        page.header.add_child(InlineAsset("script", assets.leaflet_js()), name="leaflet_js")
        page.header.add_child(InlineAsset("script", assets.casemap_js()), name="casemap_js")
        base_names = _add_bases(folium_map)
        layer_names = _add_layers(folium_map, site)
        page.html.add_child(DataBlock(packed_json(build_payload(site))), name="casemap_data")
        CaseApp(map_name=folium_map.get_name(), layer_names=layer_names, base_names=base_names).add_to(folium_map)
        text = page.render()
        intended = page.intended_code()
    csp = content_security_policy(intended)
    csp_attribute = html.escape(csp, quote=False).replace('"', "&quot;")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp_attribute}">'
    final = text.replace("<!--CSP-->", meta, 1)
    check_page(final, intended)
    return final
