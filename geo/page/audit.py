"""Prove the rendered page is the page the build meant to write, and allow exactly that code (the CSP).

``check_page`` parses the final page with html.parser: the executable scripts and the styles must be the
intended ones, no element may carry an event handler or a script URL, and the title and description (case
data, inserted as escaped text after rendering: docs/security.md) must read back as the case's own text.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from geo.common.errors import CasemapError


@dataclass(frozen=True)
class IntendedCode:
    """The bodies of the executable <script> and the <style> elements the build wrote on purpose.

    ``linked_data``: the bodies of the JSON-LD blocks (geo.page.linkeddata). Browsers never execute them (their type
    is no JavaScript type), so the CSP lists no hash for them; the audit still demands them exactly as written.
    """

    scripts: tuple[str, ...]
    styles: tuple[str, ...]
    linked_data: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageText:
    """The case's title and description as the page must show them (text, never markup)."""

    title: str
    description: str


def content_security_policy(intended: IntendedCode, *, tile_urls: Sequence[str]) -> str:
    """Allow exactly the inline scripts and styles the build meant to write, the tile hosts, and nothing else.

    The hashes come from the build's own texts, never from the rendered page: whatever a data file might
    have smuggled into the page gets no hash, and ``check_page`` stops the build before it is written.
    """
    script_hashes = sorted({_hash(body) for body in intended.scripts})
    style_hashes = sorted({_hash(body) for body in intended.styles})
    tile_hosts = sorted({urlsplit(url).netloc.replace("{s}", "*") for url in tile_urls})
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
DATA_BLOCK_ATTRIBUTES = (("type", "application/gzip+base85"), ("id", "casemap-data"))
LINKED_DATA_ATTRIBUTES = [("type", "application/ld+json")]
# The CSP the build adds and branca's charset declaration; never a refresh or a cookie.
_PAGE_HTTP_EQUIV = frozenset({"content-security-policy", "content-type"})
# The data block's text: geo/page/text85.py's alphabet, printable ASCII without " & ' < > \\ ` { }.
_BLOCK_TEXT = re.compile(r"[!#$%()*+,\-./0-9:;=?@A-Z\[\]^_a-z|~]*")
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
        self.linked_data: list[str] = []
        self.faults: list[str] = []
        self._open: tuple[str, list[tuple[str, str | None]], int] | None = None
        self._body: list[str] = []
        self.titles: list[str] = []
        self.descriptions: list[str] = []
        self._in_title = False

    def _fault(self, message: str) -> None:
        self.faults.append(f"line {self.getpos()[0]}: {message}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "title":
            self._in_title = True
            self.titles.append("")
        if tag == "meta" and ("name", "description") in attrs:
            self.descriptions.append(dict(attrs).get("content") or "")
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
        if self._in_title:
            self.titles[-1] += data
        if self._open is not None:
            self._body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
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
        elif sorted(attrs) == sorted(DATA_BLOCK_ATTRIBUTES) and _BLOCK_TEXT.fullmatch(body):
            self.data_blocks.append(body)
        elif attrs == LINKED_DATA_ATTRIBUTES and "<" not in body:
            self.linked_data.append(body)
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


def _text_faults(audit: _PageAudit, text: PageText) -> list[str]:
    """The title and description must read back as the case's own text, each exactly once."""
    faults = []
    if audit.titles != [text.title]:
        faults.append(f"the page's <title> is not the case's title: {audit.titles!r}"[:200])
    if audit.descriptions != [text.description]:
        faults.append(f"the page's description is not the case's: {audit.descriptions!r}"[:200])
    return faults


def check_page(page: str, intended: IntendedCode, *, text: PageText | None = None) -> None:
    """Stop unless the page's scripts and styles are exactly the intended ones (html.parser's reading).

    Every script element (any case, any attributes), every inline event-handler attribute and every
    javascript: URL is accounted for; the data block must be the non-executable type with base64 only, and the
    JSON-LD blocks exactly the intended ones, with no '<' in them (so none can end its element early).
    """
    audit = _PageAudit()
    audit.feed(page)
    audit.close()
    faults = list(audit.faults)
    faults += _unexpected(audit.scripts, intended.scripts, "script")
    faults += _unexpected(audit.styles, intended.styles, "style")
    faults += _unexpected(audit.linked_data, intended.linked_data, 'script type="application/ld+json"')
    if text is not None:
        faults += _text_faults(audit, text)
    if len(audit.data_blocks) != 1:
        faults.append(f"the page holds {len(audit.data_blocks)} data blocks (base64 only); the build wrote 1")
    if faults:
        raise PageIntegrityError(faults)


def _hash(body: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
