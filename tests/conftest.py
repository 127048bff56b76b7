"""Shared fixtures: project paths, a copy of the data folder, and the capabilities some tests need.

A test that needs the browser, the raw DCW-GMT dataset or the seed article skips where the capability is
missing, saying why; with CI=true it fails instead, so CI can never go green by skipping.

Running the tests never changes a tracked file: the tracked files that differ from HEAD are recorded when the session
starts, and the last test (test_tree.py, moved to the end of the run here) fails naming any file the run changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from headless import CHROMIUM, launch_chromium
from tests.pagekit import OpenedPage, open_offline
from tests.treekit import Snapshot, git_checkout_problem, tracked_changes

if TYPE_CHECKING:
    from tests.memberkit import Outcome

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# data/case.yaml names the seed article with this path, relative to data/; it leads to ARTICLE.
SEED_PATH = "../../shared/seed/article.txt"
ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
DCW = Path("/usr/share/gmt-dcw/dcw-gmt.nc")
GSHHG = Path("/usr/share/gmt-gshhg")
IN_CI = os.environ.get("CI", "").lower() == "true"
TREE_AT_START = pytest.StashKey[Snapshot | str]()  # the snapshot, or why there is none
LAST_TEST_MODULE = "test_tree.py"
# The test tiers, one folder each (README, "Tests"): what a test needs decides its tier, the heaviest need wins.
TIERS = ("unit", "page", "derive", "browser")


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = git_checkout_problem(ROOT)
    session.config.stash[TREE_AT_START] = problem if problem is not None else tracked_changes(ROOT)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Each test carries its tier's marker (the folder it sits in), so `-m "unit or page"` selects as a path would.
    for item in items:
        if item.path.parent.name in TIERS:
            item.add_marker(item.path.parent.name)
    # The tree check must see what every other test did, so it runs last (a stable sort keeps the rest in order).
    items.sort(key=lambda item: item.path.name == LAST_TEST_MODULE)


@pytest.fixture(scope="session")
def tree_at_start(request: pytest.FixtureRequest) -> Snapshot | str:
    return request.config.stash[TREE_AT_START]


def missing_capability(reason: str) -> None:
    """Skip outside CI; fail in CI, where every capability must be present."""
    if IN_CI:
        pytest.fail(f"CI must not skip: {reason}")
    pytest.skip(reason)


def copy_data(target: Path) -> Path:
    """Copy data/ to ``target``, its case.yaml naming the same seed article as the committed one.

    case.yaml names the article relative to the case folder (../../shared/seed/article.txt, beside the checkout);
    the copy's path is rewritten to lead from the copy to that same file, so copies check quotes as data/ does.
    """
    shutil.copytree(DATA, target)
    case = target / "case.yaml"
    text = case.read_text(encoding="utf-8")
    assert f"  path: {SEED_PATH}\n" in text, "data/case.yaml no longer names the seed article as tests expect"
    case.write_text(text.replace(f"  path: {SEED_PATH}\n", f"  path: {os.path.relpath(ARTICLE, target)}\n"), "utf-8")
    return target


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the committed data folder (see copy_data)."""
    return copy_data(tmp_path / "data")


@pytest.fixture(scope="session")
def article_text() -> str:
    if not ARTICLE.is_file():
        missing_capability(f"the seed article is not at {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dcw_path() -> Path:
    """DCW-GMT; and GSHHG with GMT, which the committed case's rivers and lakes are regenerated from."""
    if not DCW.is_file():
        missing_capability(f"DCW-GMT is not installed at {DCW} (apt-get install gmt-dcw)")
    if not (GSHHG / "binned_river_h.nc").is_file() or shutil.which("gmt") is None:
        missing_capability(f"GMT or GSHHG is not installed (apt-get install gmt gmt-gshhg-high; expected {GSHHG})")
    return DCW


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        missing_capability(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_capability("Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        left_open = len(chromium.contexts)
        chromium.close()
    # Every test closes the contexts it opens (open_page does); one left open is a leak to fix, not to ignore.
    assert left_open == 0, f"{left_open} browser context(s) left open by the tests"


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., OpenedPage]]:
    """open_offline in this test's browser; every context it opened is closed when the test ends."""
    opened: list[OpenedPage] = []

    def open_(path: Path, **options: Any) -> OpenedPage:
        page = open_offline(browser, path, **options)
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.context.close()


@pytest.fixture(scope="session")
def hostile_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile case's map, built once: tests/page checks its text, tests/browser opens it."""
    from tests.hostilekit import build_hostile_map  # the kits import this module's paths: imported when used

    return build_hostile_map(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def every_member_outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    """Every member of every input file tried once (minutes): tests/page checks the outcome, tests/browser opens it."""
    from tests.memberkit import MARKER, try_every_member

    shutil.rmtree(MARKER, ignore_errors=True)
    yield try_every_member(tmp_path_factory.mktemp("every-member"))
    shutil.rmtree(MARKER, ignore_errors=True)
