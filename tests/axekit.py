"""Run axe-core (npm, pinned in tests/browser/axe/package-lock.json) against a built page, offline.

The page's Content-Security-Policy allows only the scripts the build wrote, so axe is injected into a context made
with ``bypass_csp=True`` (docs: Playwright's Browser.new_context). axe.min.js is read from the npm install that
``python3 tasks.py test`` makes (npm ci); nothing is fetched while the tests run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.pagekit import OpenedPage, open_offline

AXE_FOLDER = Path(__file__).resolve().parent / "browser" / "axe"
AXE_SCRIPT = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"

# The four screens issue #12 names: a phone (touch), a tablet, a laptop, and a 1280x800 laptop at 200 % zoom.
VIEWPORTS = {
    "phone-390x844": {"width": 390, "height": 844, "touch": True},
    "tablet-768x1024": {"width": 768, "height": 1024, "touch": False},
    "laptop-1280x800": {"width": 1280, "height": 800, "touch": False},
    "zoomed-640x400": {"width": 640, "height": 400, "touch": False},
}


def pinned_axe_version() -> str:
    lock = json.loads((AXE_FOLDER / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"]["node_modules/axe-core"]["version"])


def axe_missing() -> str | None:
    """Why axe cannot run here, or None when the pinned version is installed."""
    installed = AXE_FOLDER / "node_modules" / "axe-core" / "package.json"
    if not AXE_SCRIPT.is_file() or not installed.is_file():
        return f"axe-core is not installed under {AXE_FOLDER} (python3 tasks.py test runs npm ci there)"
    found = json.loads(installed.read_text(encoding="utf-8")).get("version")
    if found != pinned_axe_version():
        return f"axe-core {found} is installed, the lockfile pins {pinned_axe_version()}: run python3 tasks.py test"
    return None


class _ContextOptions:
    """A browser whose new_context adds options (touch, no CSP), so open_offline's offline routing is reused."""

    def __init__(self, browser: Any, **options: Any) -> None:
        self._browser = browser
        self._options = options

    def new_context(self, **options: Any) -> Any:
        return self._browser.new_context(**options, **self._options)


def open_for_axe(browser: Any, path: Path, *, viewport: str, fragment: str = "") -> OpenedPage:
    """Open ``path`` offline at one of VIEWPORTS, in a context where axe can be injected. The caller closes it."""
    size = VIEWPORTS[viewport]
    options: dict[str, Any] = {"bypass_csp": True}
    if size["touch"]:
        options.update(has_touch=True, is_mobile=True)
    return open_offline(
        _ContextOptions(browser, **options), path, fragment=fragment, width=size["width"], height=size["height"]
    )


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]  # CSS selectors of the failing nodes, as axe names them
    summaries: tuple[str, ...]  # axe's failureSummary for each node (what to fix)

    def __str__(self) -> str:
        pairs = zip(self.targets, self.summaries, strict=True)
        shown = "; ".join(f"{target} -> {summary.strip().splitlines()[-1].strip()}" for target, summary in pairs)
        return f"{self.rule} ({self.impact}, {len(self.targets)}): {self.help}: {shown}"


def run_axe(page: Any) -> list[Violation]:
    """Inject axe.min.js and run every rule axe enables by default (WCAG 2.x A/AA and best practices)."""
    if page.evaluate("() => typeof window.axe") != "object":
        page.add_script_tag(path=str(AXE_SCRIPT))
    raw = page.evaluate(
        """async () => {
             const result = await axe.run(document, {resultTypes: ['violations']});
             return result.violations.map(v => ({
               rule: v.id, impact: v.impact || '', help: v.help,
               targets: v.nodes.map(n => n.target.map(String).join(' ')),
               summaries: v.nodes.map(n => n.failureSummary || '')}));
           }"""
    )
    return [Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"]), tuple(v["summaries"])) for v in raw]
