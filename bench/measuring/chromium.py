"""How the benchmark launches Chromium: Debian's build, never a downloaded browser.

The benchmark's own copy of the launch definition (the tests keep theirs in tests/pagekit.py), so that
bench/ imports nothing from tests/. Without the background-networking flags Chromium tries to reach Google's
hosts at every start, and those requests would be counted as the page's.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
