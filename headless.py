"""How casemap starts a browser: Debian's Chromium, headless, driven by Playwright (never a downloaded browser).

One definition shared by the tests (tests/conftest.py), the README's screenshots (docs/screenshots.py) and the
benchmark (bench/measuring/browser.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Debian's Chromium tries to reach Google's hosts at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Any) -> Any:
    """Start Debian's Chromium headless; the caller closes it."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
