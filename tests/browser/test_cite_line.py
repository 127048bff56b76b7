"""The method panel's "Cite this map" line: the same text as every export's (payload method.cite)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from build_map import main
from tests.conftest import DATA
from tests.pagekit import OpenedPage, read_payload


def test_the_method_panel_cites_title_date_version_and_data_digest(
    tmp_path: Path, open_page: Callable[..., OpenedPage]
) -> None:
    page_path = tmp_path / "map.html"
    assert main(["--case", str(DATA), "--output", str(page_path)]) == 0
    cite = read_payload(page_path.read_text(encoding="utf-8"))["method"]["cite"]
    opened = open_page(page_path, width=1280, height=800)
    page = opened.page
    page.get_by_role("button", name="Sources and method").click()
    page.wait_for_selector("[role=dialog][aria-modal=true]:not([hidden]) .cm-cite")
    line = page.locator(".cm-cite")
    assert line.text_content() == cite["text"]
    assert page.locator(".cm-cite code").text_content() == cite["sha256"]
    assert opened.requests == [] and opened.errors == []
