"""Render the validated site into one self-contained, deterministic HTML page with folium.

folium draws the map, the base layers and the vector layers; the case application (event list, time
filter, search, popups, legend, panels: ``static/casemap.js``) reads every string from data through one
JSON block and writes it into the page as text (textContent), never as HTML.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import html
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import Any, ClassVar
from urllib.parse import urlsplit

import branca.element
import folium
import xyzservices.providers as xyz
from folium.elements import JSCSSMixin
from folium.template import Template

from geo import assets
from geo.casedata import Claim, Event, Interval, Source
from geo.site import LAYER_NAMES, Site, centroid_lat_lon
from geo.sourcing import independent_families, is_single_source, seed_families

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
        "{{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "{{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "{{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, *, page_title: str, page_description: str) -> None:
        super().__init__(height="100%")
        self._name = "Page"
        self.page_title = page_title
        self.page_description = page_description


class OfflineMap(folium.Map):
    """A folium Map that links nothing: Leaflet and every stylesheet are inlined by the page instead."""

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []


class InlineAsset(branca.element.Element):
    """An inline <script> or <style> element in the page head."""

    def __init__(self, tag: str, text: str) -> None:
        super().__init__()
        self._name = "InlineAsset"
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
        "properties": {key: {f["id"]: f["properties"] for f in site.layers[key].features} for key in LAYER_NAMES},
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
    }


def _add_layers(folium_map: folium.Map, site: Site) -> dict[str, str]:
    names: dict[str, str] = {}
    for key in LAYER_NAMES:
        # Only ids and geometry go through folium (its macro output is compiled again as a template, see
        # DataBlock); the properties travel in the data block and casemap.js looks them up by id.
        bare = [
            {"type": "Feature", "id": f["id"], "properties": {}, "geometry": f["geometry"]}
            for f in site.layers[key].features
        ]
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": bare},
            name=LAYER_GROUPS[key][1],
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
            attr=provider.html_attribution,
            name=title,
            max_zoom=MAX_ZOOM,
            max_native_zoom=min(int(provider.get("max_zoom", 18)), 19),
            show=False,
            control=False,
        )
        tiles.add_to(folium_map)
        names[key] = tiles.get_name()
    return names


_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def content_security_policy(page: str) -> str:
    """Allow exactly the inline scripts and styles this build produced, the tile hosts, and nothing else."""
    script_hashes = sorted({_hash(body) for body in _SCRIPT.findall(page)})
    style_hashes = sorted({_hash(body) for body in _STYLE.findall(page)})
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
    csp = content_security_policy(text)
    csp_attribute = html.escape(csp, quote=False).replace('"', "&quot;")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp_attribute}">'
    return text.replace("<!--CSP-->", meta, 1)
