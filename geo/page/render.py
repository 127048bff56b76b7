"""Render the validated site into one self-contained, deterministic HTML page with folium.

folium draws the map, the base layers and the vector layers; the case application (event list, time
filter, search, popups, legend, panels: ``static/js/``, joined into one script by ``assets.casemap_js``) reads
every string from data through one JSON block and writes it into the page as text (textContent), never as HTML.

THE RULE (docs/security.md): nothing from a data file reaches a folium or branca template. branca compiles
every macro's output as a new Jinja template, so a ``{{ ... }}`` in any value handed to folium runs Python
at build time, and a ``</script>`` in it would end up in the page. Only these may pass through folium:

* numbers (geometry is rebuilt from shapely's parsed floats by ``packedgeometry.plain_geometry``: RFC 7946 ``type`` and
  ``coordinates``, nothing else);
* values from closed sets the build defines or validated (geometry types, the tile providers of
  ``BASE_LAYERS``, the case's zoom range as whole numbers);
* names the build makes or validated as slugs (layer keys, branca element names, a feature's position).

Everything else (the case records' title, description, layer titles, styles, tooltips and popup fields; ids,
names, properties, events, sources, the manifest) goes into the data block (``DataBlock``: a plain Element,
rendered once, base64 only; built by geo.page.payload) and the casemap script shows it as text or applies it with
setStyle. The title and description are inserted after rendering as escaped text (``insert_page_text``), and
``audit.check_page`` proves the page holds exactly the scripts the build meant to write and the case's text.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

import xyzservices.providers as xyz

from geo.page.folium_import import without_optional

with without_optional():  # folium without pandas: a third of the default build's time (geo/page/folium_import.py)
    import branca.element
    import folium
    from folium.elements import JSCSSMixin
    from folium.template import Template

from geo.page import assets
from geo.page.audit import IntendedCode, PageText, check_page, content_security_policy
from geo.page.linkeddata import linked_data, linked_data_element, script_json
from geo.page.messages import load_messages
from geo.page.packedgeometry import encode_layer, plain_geometry
from geo.page.packing import packed_json_bytes
from geo.page.payload import build_payload
from geo.page.site import Site

# Placeholders for the case's title and description: replaced after rendering with escaped text, so the
# case's words never pass through a template (docs/security.md). Escaped text holds no "<", so it cannot
# recreate a placeholder.
TITLE_MARK = "<!--CASEMAP-TITLE-->"
DESCRIPTION_MARK = "<!--CASEMAP-DESCRIPTION-->"
CSP_MARK = "<!--CSP-->"
LINKED_DATA_MARK = "<!--CASEMAP-LINKED-DATA-->"
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
    # Patching a method on branca's class for one build is the point here, and the stubs type the attribute as
    # the bound method, not the classmethod object that stands in the class.
    branca.element.Element._generate_id = classmethod(lambda cls: f"{next(counter):04d}")  # type: ignore[method-assign, assignment]
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


class Page(branca.element.Figure):
    """The HTML document: language, title, description, and the inline assets in the head."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "<!--CSP-->\n"
        "<title><!--CASEMAP-TITLE--></title>\n"
        '<meta name="description" content="<!--CASEMAP-DESCRIPTION-->">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<!--CASEMAP-LINKED-DATA-->\n"
        "{{ this.header_text }}\n"
        "</head>\n"
        # The class is here, not added by casemap.js, so the page's grid (map | panel) holds from the first
        # paint and the map does not shrink when the panel arrives (layout shift, issue #12).
        '<body class="cm-body">\n'
        "{{ this.html_text }}\n"
        "<script>\n"
        "{{ this.script_text }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self) -> None:
        super().__init__(height="100%")
        self._name = "Page"
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

    # folium declares these as instance attributes, so a ClassVar here would clash with it (mypy); the lists are
    # empty and never mutated.
    default_js = []  # noqa: RUF012
    default_css = []  # noqa: RUF012

    # branca types Element.render as returning the HTML; MacroElement.render, which folium.Map inherits,
    # returns None, and so does this.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        super().render(**kwargs)  # type: ignore[no-untyped-call]  # unannotated in folium; untyped_calls_exclude misses super()
        # folium's map header holds a second viewport tag, a rule for an element id the page does not have,
        # and a <script> setting Leaflet's global switches to their defaults after Leaflet has loaded (so it
        # does nothing). Keep only the sizing rule: every inline script in the page is one the build wrote.
        root = self.get_root()
        if not isinstance(root, branca.element.Figure):  # folium.Map puts itself in a Figure when made
            raise TypeError(f"expected the map inside a Figure; found {type(root).__name__}")
        root.header.add_child(MapStyle(self.get_name()), name=self.get_name())


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

    _template = Template('<script type="application/gzip+base85" id="casemap-data">{{ this.payload }}</script>')

    def __init__(self, payload: str) -> None:
        super().__init__()
        self._name = "DataBlock"
        self.payload = payload


class CaseApp(JSCSSMixin):
    """Starts the casemap script with the map and its layers; carries only variable names, never data."""

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
        super().__init__()  # type: ignore[no-untyped-call]  # unannotated in branca; untyped_calls_exclude misses super()
        self._name = "CaseApp"
        self.map_name = map_name
        self.layer_names = layer_names
        self.base_names = base_names


def _guard_constant(text: str) -> str:
    """Refuse a build constant that Jinja would read as template syntax when folium compiles it again."""
    if any(mark in text for mark in ("{{", "{%", "{#")):
        raise TypeError(f"{text!r} holds template syntax; it cannot pass through folium")
    return text


def layer_geometry(site: Site) -> dict[str, dict[str, Any]]:
    """Each layer's geometries, rebuilt from validated floats, in feature order: they travel in the data block.

    Coordinates are most of a page with context layers; in folium's script they were sent as plain JSON
    (347 KB for this repository's case), in the data block they are gzip-compressed with the rest, as
    delta-encoded integers (packedgeometry: 47 KB of gzip instead of 86 KB as decimals). The casemap script
    decodes them and adds them to folium's empty layers (features.js addGeometry).
    """
    return {
        record.key: encode_layer([plain_geometry(shape) for shape in site.layers[record.key].geometries])
        for record in site.records.layers
    }


def _add_layers(folium_map: folium.Map, site: Site) -> dict[str, str]:
    """One empty folium GeoJson per layer record, in drawing order; geometry, styles and tooltips come later.

    Only build-made values go through folium (module docstring): the layer key (a validated slug) as its
    name. The geometry (``layer_geometry``), style, title and popup travel in the data block; the casemap
    script adds the features, each with its position in its layer as its id, and styles them (setStyle).
    """
    names: dict[str, str] = {}
    for record in site.records.layers:
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": []},
            name=_guard_constant(record.key),
            style_function=None,
            show=False,
            control=False,
            on_each_feature=folium.JsCode(f"Casemap.onEachFeature({json.dumps(record.key)})"),
            # A point in any layer (a settlement, a border junction) draws as a circle marker, sized by js/main.js.
            marker=folium.CircleMarker(),
        )
        layer.add_to(folium_map)
        names[record.key] = layer.get_name()
    return names


def _add_bases(folium_map: folium.Map, *, max_zoom: int) -> dict[str, str]:
    names: dict[str, str] = {}
    for key, title, provider in BASE_LAYERS:
        if provider is None:
            continue
        tiles = folium.TileLayer(
            tiles=provider.build_url(scale_factor="{r}") if "{r}" in provider.url else provider.build_url(),
            attr=_guard_constant(provider.html_attribution),
            name=_guard_constant(title),
            max_zoom=max_zoom,
            max_native_zoom=min(int(provider.get("max_zoom", 18)), 19),
            show=False,
            control=False,
        )
        tiles.add_to(folium_map)
        names[key] = tiles.get_name()
    return names


def _bases_payload() -> list[dict[str, Any]]:
    return [{"key": key, "title": title, "offline": provider is None} for key, title, provider in BASE_LAYERS]


def _tile_urls() -> list[str]:
    return [provider.build_url() for _, _, provider in BASE_LAYERS if provider is not None]


def _new_map(site: Site) -> OfflineMap:
    """The Leaflet map, its zoom range from the case's view (validated whole numbers)."""
    view = site.records.view
    return OfflineMap(
        location=[(view.bounds.south + view.bounds.north) / 2, (view.bounds.west + view.bounds.east) / 2],
        zoom_start=5,
        tiles=None,
        max_zoom=view.max_zoom,
        min_zoom=view.min_zoom,
        control_scale=False,
        prefer_canvas=False,
        zoom_control=False,
        zoom_snap=0.25,
    )


def insert_page_text(rendered: str, text: PageText) -> str:
    """Put the case's title and description into the rendered page as escaped text (never through a template)."""
    page = rendered.replace(TITLE_MARK, html.escape(text.title, quote=True), 1)
    return page.replace(DESCRIPTION_MARK, html.escape(text.description, quote=True), 1)


# The data block's place while the page is text (base64 letters: the audit still reads a data block); its bytes are
# joined in as bytes. In one str with the page's non-ASCII text, a million events' block took 4 bytes a character.
DATA_MARK = "CASEMAPDATABLOCK"
DATA_ELEMENT = '<script type="application/gzip+base85" id="casemap-data">{}</script>'


def render_page(site: Site) -> str:
    """Render the site to the HTML text of the map page. Pure: same site, same bytes."""
    page, data = render_page_parts(site)
    return page.replace(DATA_ELEMENT.format(DATA_MARK), DATA_ELEMENT.format(data.decode("ascii")), 1)


def render_page_bytes(site: Site) -> bytes:
    """The page as UTF-8 bytes, the data block joined in as bytes (render_page's bytes, without the big str)."""
    page, data = render_page_parts(site)
    before, after = page.split(DATA_ELEMENT.format(DATA_MARK))
    opening, closing = DATA_ELEMENT.split("{}")
    return b"".join((before.encode("utf-8"), opening.encode(), data, closing.encode(), after.encode("utf-8")))


def render_page_parts(site: Site) -> tuple[str, bytes]:
    """The page's text with DATA_MARK in its data block, and the block's base64 bytes. Case text reaches the page
    escaped (no '"' or '>') and the JSON-LD holds no '<', so neither can spell the marked element."""
    with deterministic_ids(), compact_tojson():
        page = Page()
        folium_map = _new_map(site)
        page.add_child(folium_map)
        page.header.add_child(InlineAsset("style", assets.leaflet_css_inlined()), name="leaflet_css")
        page.header.add_child(InlineAsset("style", assets.casemap_css_inlined()), name="casemap_css")
        page.header.add_child(InlineAsset("script", assets.leaflet_js()), name="leaflet_js")
        page.header.add_child(InlineAsset("script", assets.casemap_js_inlined()), name="casemap_js")
        base_names = _add_bases(folium_map, max_zoom=site.records.view.max_zoom)
        layer_names = _add_layers(folium_map, site)
        payload = {
            **build_payload(site, bases=_bases_payload()),
            "geometry": layer_geometry(site),
            # The interface words in the three languages (geo/page/messages/*.yaml, checked): core.js t() and tn().
            "messages": load_messages(),
        }
        data = packed_json_bytes(payload)
        page.html.add_child(DataBlock(DATA_MARK), name="casemap_data")
        CaseApp(map_name=folium_map.get_name(), layer_names=layer_names, base_names=base_names).add_to(folium_map)
        rendered = page.render()
        intended = page.intended_code()
    csp = content_security_policy(intended, tile_urls=_tile_urls())
    csp_attribute = html.escape(csp, quote=False).replace('"', "&quot;")
    # The CSP goes in first: the case's text, escaped, cannot hold the CSP placeholder.
    with_csp = rendered.replace(CSP_MARK, f'<meta http-equiv="Content-Security-Policy" content="{csp_attribute}">', 1)
    # The JSON-LD goes in after rendering, like the case's text: it is data, and never passes through a template.
    claims = script_json(linked_data(site))
    with_claims = with_csp.replace(LINKED_DATA_MARK, linked_data_element(claims), 1)
    text = PageText(title=site.records.title, description=site.records.description)
    final = insert_page_text(with_claims, text)
    check_page(final, dataclasses.replace(intended, linked_data=(claims,)), text=text)
    if final.count(DATA_ELEMENT.format(DATA_MARK)) != 1:
        raise RuntimeError("the page's data block mark is not there exactly once")  # a bug: check_page counts blocks
    return final, data
