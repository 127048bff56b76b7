"""Open a built map in headless Chromium with the network cut off, and record what it asked for and logged."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.page import eventcolumns, text85
from headless import CHROMIUM, CHROMIUM_ARGS

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
# Re-exported for bench/browser.py, which imports them from here until bench is split (issue #11).
__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "OpenedPage", "open_offline", "read_payload"]


@dataclass
class OpenedPage:
    context: Any  # the browser context the page lives in; whoever opened it closes it (see conftest.open_page)
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages (each dismissed)


def open_offline(
    browser: Any,
    path: Path,
    *,
    fragment: str = "",
    width: int = 1400,
    height: int = 850,
    device: dict[str, Any] | None = None,
) -> OpenedPage:
    """Load ``path`` from disk in a new context; abort and count every request that is not local; collect console
    errors. ``device`` adds Playwright context options (has_touch, is_mobile). The caller closes
    ``opened.context``: tests use the ``open_page`` fixture, which does."""
    context = browser.new_context(viewport={"width": width, "height": height}, **(device or {}))
    page = context.new_page()
    opened = OpenedPage(context, page)
    page.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(f"page error: {error}"))

    def dismiss(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)

    def route(route: Any) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            opened.requests.append(route.request.url)
            route.abort()

    try:
        page.route("**/*", route)
        page.goto(path.resolve().as_uri() + fragment)
        # A selector, not wait_for_function: polling a JS predicate uses eval, which the page's CSP forbids.
        page.wait_for_selector("html[data-casemap-ready='true']", state="attached", timeout=30_000)
    except BaseException:
        context.close()  # the caller never gets it, so cannot close it
        raise
    return opened


def read_block(html: str) -> dict[str, Any]:
    """Decode the page's data block (gzip, base 85) the way the casemap script does (decodeData): the events as
    columns (geo.page.eventcolumns)."""
    block = re.search(r'<script type="application/gzip\+base85" id="casemap-data">([^<]*)</script>', html)
    assert block is not None, "no data block in the page"
    payload: dict[str, Any] = json.loads(gzip.decompress(text85.decode(block.group(1).strip())))
    return payload


def read_payload(html: str) -> dict[str, Any]:
    """The data block as the page's scripts read it: decoded, its events expanded into objects (expandEvents)."""
    payload = read_block(html)
    return {**payload, "events": eventcolumns.expand(payload["events"])}
