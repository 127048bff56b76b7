"""Write the README's three screenshots (docs/screenshot*.png) of a built map page, the same bytes every time.

    python3 tasks.py screenshots              # builds the map into a temporary file, then runs this
    python docs/screenshots.py MAP.html [--output-dir DIR]

The page is opened from disk in Debian's headless Chromium with the network cut off (no tiles: the plain base
needs none). Each shot gets a fresh browser context with a fixed viewport, device scale factor, locale and time
zone; the view is set by the page's own deep link (no mouse, so no hover, focus ring or caret), and the shot is
taken once the page says it is ready, its fonts are loaded and the map has stopped moving, with CSS transitions
and animations finished (Playwright's animations="disabled"). The tests never write these files.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as `python docs/screenshots.py`, the project root is not on the path

from headless import launch_chromium  # noqa: E402 - needs the path above

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
VIEWPORT = {"width": 1400, "height": 850}
DEVICE_SCALE_FACTOR = 1
# A PNG of a drawn map is large; a blank or unstyled page compresses to far less (the tests use the same bound).
SMALLEST_DRAWN_PNG = 50_000
# The map has settled when its centre and zoom stay the same for this many frames with no pan, zoom or fly running.
SETTLED_FRAMES = 3

# Resolves once the map view has not changed for SETTLED_FRAMES animation frames and no Leaflet animation runs
# (popup auto-pan and flyTo animate with requestAnimationFrame, which animations="disabled" does not stop).
WAIT_UNTIL_SETTLED = """(frames) => new Promise((resolve) => {
    const map = Casemap.state.map;
    let last = null, still = 0;
    function tick() {
        const c = map.getCenter(), view = [c.lat, c.lng, map.getZoom()].join(",");
        const moving = Boolean((map._panAnim && map._panAnim._inProgress) || map._animatingZoom || map._flyToFrame);
        still = view === last && !moving ? still + 1 : 0;
        last = view;
        if (still >= frames) { resolve(view); } else { requestAnimationFrame(tick); }
    }
    requestAnimationFrame(tick);
})"""
FONTS_LOADED = "() => document.fonts.ready.then(() => document.fonts.status)"
# The README's popup: the first event placed at a settlement that carries checked claims (as the tests choose).
POPUP_EVENT = """() => { const e = Casemap.state.events.find(
    (e) => e.where && e.where.precision === "settlement" && Array.isArray(e.claims) && e.claims.length > 0);
    return e ? e.id : null; }"""
# The "The case (2019–2021)" preset, as a link (no click, so no focused button in the picture).
CASE_YEARS = "#from=2019-01-01&to=2021-12-31"


@dataclass(frozen=True)
class Shot:
    file_name: str
    fragment: str  # the deep link that sets the view; "" for the default view


def only_local(route: Any) -> None:
    """Let the page read itself from disk; refuse everything else (the shots must never depend on the network)."""
    if route.request.url.startswith(LOCAL_SCHEMES):
        route.continue_()
    else:
        route.abort()


def open_settled(browser: Any, page_file: Path, fragment: str) -> tuple[Any, Any]:
    """A fresh context with ``page_file#fragment`` loaded offline and settled; the caller closes the context."""
    context = browser.new_context(
        viewport=VIEWPORT,
        device_scale_factor=DEVICE_SCALE_FACTOR,
        locale="en-GB",
        timezone_id="UTC",
        color_scheme="light",
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        page.route("**/*", only_local)
        page.goto(page_file.resolve().as_uri() + fragment)
        # A selector, not wait_for_function: polling a JS predicate uses eval, which the page's CSP forbids.
        page.wait_for_selector("html[data-casemap-ready='true']", state="attached", timeout=30_000)
        status = page.evaluate(FONTS_LOADED)
        if status != "loaded":
            raise RuntimeError(f"the page's fonts did not load (document.fonts.status is {status!r})")
        page.evaluate(WAIT_UNTIL_SETTLED, SETTLED_FRAMES)
    except BaseException:
        context.close()
        raise
    return context, page


def shot_bytes(browser: Any, page_file: Path, fragment: str) -> bytes:
    context, page = open_settled(browser, page_file, fragment)
    try:
        shot: bytes = page.screenshot(animations="disabled", caret="hide", scale="css", type="png")
        return shot
    finally:
        context.close()


def popup_fragment(browser: Any, page_file: Path) -> str:
    context, page = open_settled(browser, page_file, "")
    try:
        event_id = page.evaluate(POPUP_EVENT)
    finally:
        context.close()
    if event_id is None:
        raise RuntimeError(f"{page_file} has no event at a settlement with claims to show in the popup screenshot")
    return "#event=" + str(event_id)


def take_screenshots(browser: Any, page_file: Path) -> dict[str, bytes]:
    """The README's screenshots of ``page_file``, by file name; raises if one looks blank."""
    shots = [
        Shot("screenshot.png", ""),
        Shot("screenshot-popup.png", popup_fragment(browser, page_file)),
        Shot("screenshot-filtered.png", CASE_YEARS),
    ]
    images = {shot.file_name: shot_bytes(browser, page_file, shot.fragment) for shot in shots}
    for name, image in images.items():
        if len(image) < SMALLEST_DRAWN_PNG:
            raise RuntimeError(
                f"{name} is {len(image)} bytes, expected a drawn map (over {SMALLEST_DRAWN_PNG}); "
                "open the page in a browser and check that it draws"
            )
    return images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docs/screenshots.py", description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="a map page built by build_map.py")
    parser.add_argument("--output-dir", type=Path, default=ROOT / "docs", help="where to write (default: docs/)")
    arguments = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            images = take_screenshots(browser, arguments.page)
        except RuntimeError as problem:
            print(f"docs/screenshots.py: {problem}; nothing written", file=sys.stderr)
            return 1
        finally:
            browser.close()
    for name, image in images.items():
        (arguments.output_dir / name).write_bytes(image)
        print(f"wrote {arguments.output_dir / name} ({len(image)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
