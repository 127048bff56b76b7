"""Collect the page's third-party assets from installed packages and make them inline.

Leaflet comes from PyPI's ``xstatic-leaflet`` (Leaflet 1.9.3, the version folium 0.20 targets). Images the
stylesheet references become data: URIs so the page needs no file beside it and no network.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

STATIC = Path(__file__).parent / "static"
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
    return inline_css_images((leaflet_dir() / "leaflet.css").read_text(encoding="utf-8"), base=leaflet_dir())


@cache
def casemap_js() -> str:
    return (STATIC / "casemap.js").read_text(encoding="utf-8")


@cache
def casemap_css() -> str:
    return (STATIC / "casemap.css").read_text(encoding="utf-8")


def guard_inline(text: str, *, tag: str) -> str:
    """Refuse asset text that would end its own <script> or <style> element early."""
    if f"</{tag}" in text.lower():
        raise ValueError(f"asset text contains </{tag}>; it cannot be inlined safely")
    return text
