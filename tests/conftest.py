"""Shared fixtures: project paths, a copy of the data folder, and the capabilities some tests need.

A test that needs the browser, the raw DCW-GMT dataset or the seed article skips where the capability is
missing, saying why; with CI=true it fails instead, so CI can never go green by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pagekit import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
DCW = Path("/usr/share/gmt-dcw/dcw-gmt.nc")
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing_capability(reason: str) -> None:
    """Skip outside CI; fail in CI, where every capability must be present."""
    if IN_CI:
        pytest.fail(f"CI must not skip: {reason}")
    pytest.skip(reason)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the committed data folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def article_text() -> str:
    if not ARTICLE.is_file():
        missing_capability(f"the seed article is not at {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dcw_path() -> Path:
    if not DCW.is_file():
        missing_capability(f"DCW-GMT is not installed at {DCW} (apt-get install gmt-dcw)")
    return DCW


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        missing_capability(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_capability("Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
