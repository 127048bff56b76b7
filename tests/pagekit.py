"""Open a built map in headless Chromium with the network cut off, and record what it asked for and logged."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@dataclass
class OpenedPage:
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_offline(browser: Any, path: Path, *, fragment: str = "", width: int = 1400, height: int = 850) -> OpenedPage:
    """Load ``path`` from disk; abort and count every request that is not local; collect console errors."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    opened = OpenedPage(page)
    page.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(f"page error: {error}"))

    def route(route: Any) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            opened.requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri() + fragment)
    page.wait_for_function("document.documentElement.dataset.casemapReady === 'true'", timeout=15_000)
    return opened
