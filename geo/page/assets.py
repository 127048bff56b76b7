"""Collect the page's third-party assets from installed packages and make them inline.

Leaflet comes from PyPI's ``xstatic-leaflet`` (Leaflet 1.9.3, the version folium 0.20 targets). Images the
stylesheet references become data: URIs so the page needs no file beside it and no network.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

import rcssmin
import rjsmin
import xstatic.pkg.leaflet as xstatic_leaflet

STATIC = Path(__file__).parent / "static"
CASEMAP_JS_DIR = STATIC / "js"
# The page's own script, by concern, in the order it is joined (the one place the order is declared).
# How the pieces share state: the build joins them, in this order, inside one strict-mode function, so
# they are one script as before: one scope for their function declarations and shared variables
# (state, featureIndex, ...), nothing added to window but Casemap, and one <script> element whose hash
# the CSP lists (audit.py) as before. Top-level code runs in this order too: core.js declares the shared
# variables first; main.js exports window.Casemap last. Functions may call one another across pieces
# (they are hoisted within the one function). Each piece starts with a one-line comment naming what it holds.
CASEMAP_JS = (
    "core.js",  # shared state, safe lookups, label tables, DOM and text helpers
    "content.js",  # the case's texts in the page's language (data/translations), overlaid at start and marked
    "popups.js",  # source and claim blocks, a layer feature's popup
    "features.js",  # folium's features bound to ids and popups; the data block decoded
    "columns.js",  # the events' columns in the data block expanded into event objects (geo/page/eventcolumns.py)
    "markers.js",  # an event's card, a place's events
    "card.js",  # the details pane: showCard, closeCard
    "symbols.js",  # event symbols above the area layers (dots, event areas) and the map's click routing
    "events.js",  # index, filter, select, step, the event list
    "time.js",  # the time filter
    "search.js",  # the search box and its index
    "factcheck.js",  # the status filter; the article as a fact-check (panel=claims)
    "story.js",  # the case in brief and the chapters (story.yaml)
    "panel.js",  # the side panel
    "controls.js",  # map controls: layer and base switching, coordinates, full screen
    "geodesic.js",  # the geodesic distance on WGS84 (Vincenty's inverse)
    "measure.js",  # the measure-distance control
    "mapkey.js",  # the one map key: every symbol explained, layer toggles, base maps
    "undisclosed.js",  # the list of events with an undisclosed location
    "method.js",  # the sources and method panel
    "download.js",  # downloads: the events shown as GeoJSON, CSV and KML, each layer as GeoJSON
    "access.js",  # skip link, landmarks, announcements, map shapes out of the Tab order, modal dialog, Escape
    "link.js",  # deep links, history, copy link and notices
    "print.js",  # the print layout: map page, summary and chapters, every event with its sources, the method
    "main.js",  # start-up, layer styles, run
)
_CASEMAP_JS_OPEN = '(function () {\n  "use strict";\n\n'
_CASEMAP_JS_CLOSE = "})();\n"
_CSS_URL = re.compile(r"url\(\s*['\"]?(images/[A-Za-z0-9_.\-@]+\.png)['\"]?\s*\)")


def leaflet_dir() -> Path:
    return Path(xstatic_leaflet.BASE_DIR)


def leaflet_version() -> str:
    return str(xstatic_leaflet.VERSION)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def inline_css_images(css: str, *, base: Path) -> str:
    """Replace ``url(images/x.png)`` references with data: URIs of the files under ``base``."""
    return _CSS_URL.sub(lambda match: f'url("{_data_uri(base / match.group(1))}")', css)


def _strip_source_map(text: str) -> str:
    """Drop the sourceMappingURL comment: the .map file is not shipped, and a browser would ask for it."""
    return re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text)


@cache
def leaflet_js() -> str:
    return _strip_source_map((leaflet_dir() / "leaflet.js").read_text(encoding="utf-8"))


@cache
def leaflet_css() -> str:
    """Leaflet's stylesheet as the package ships it, with its images inlined as data: URIs; the page takes it minified
    like its own stylesheet (leaflet_css_inlined: 2.9 KB less of comments and white space)."""
    return inline_css_images((leaflet_dir() / "leaflet.css").read_text(encoding="utf-8"), base=leaflet_dir())


@cache
def casemap_js() -> str:
    """The pieces of static/js joined in CASEMAP_JS order, one blank line apart, inside one strict-mode function.

    The start-up notice's texts (messages.startup_script) come first: the one line the build writes into the script.
    """
    pieces = [(CASEMAP_JS_DIR / name).read_text(encoding="utf-8") for name in CASEMAP_JS]
    return _CASEMAP_JS_OPEN + startup_text() + "\n".join(pieces) + _CASEMAP_JS_CLOSE


def startup_text() -> str:
    """The start-up failure notice's words from the catalogues, first in the script: no need of the data block."""
    from geo.page import messages  # messages reads CASEMAP_JS from here: imported when first needed, not at load

    return messages.startup_script(messages.load_messages())


@cache
def casemap_css() -> str:
    return (STATIC / "casemap.css").read_text(encoding="utf-8")


# What the page inlines: the script and stylesheet above, minified. The page must stay within its size budget
# (600 KB, issue #18) and the readable text, comments and all, is 200 KB; rJSmin and rCSSmin (PyPI, used by
# django-compressor and webassets) only drop comments and white space, deterministically, so the same source gives
# the same bytes and the same CSP hash. Readers of the code read static/, not the page.
@cache
def casemap_js_inlined() -> str:
    return str(rjsmin.jsmin(casemap_js()))


@cache
def casemap_css_inlined() -> str:
    return str(rcssmin.cssmin(casemap_css()))


@cache
def leaflet_css_inlined() -> str:
    return str(rcssmin.cssmin(leaflet_css()))


def guard_inline(text: str, *, tag: str) -> str:
    """Refuse asset text that would end its own <script> or <style> element early."""
    if f"</{tag}" in text.lower():
        raise ValueError(f"asset text contains </{tag}>; it cannot be inlined safely")
    return text
