"""The page holding every accepted payload of tests/page/test_every_member.py, opened in Chromium: none of them runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.memberkit import MARKER, Outcome
from tests.pagekit import OpenedPage


@pytest.mark.browser
def test_the_page_with_every_accepted_payload_runs_none_of_them(
    open_page: Callable[..., OpenedPage], every_member_outcome: Outcome
) -> None:
    opened = open_page(every_member_outcome.page)
    page = opened.page
    page.evaluate(
        """() => { const s = Casemap.state;
                   for (const key of Object.keys(s.layers)) {
                     s.layers[key].eachLayer(l => { l.openPopup(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()); });
                   }
                   for (let i = 0; i < Math.min(s.events.length, 40); i++) { s.list.reveal(i); } }"""
    )
    page.locator(".cm-item-title").first.click()
    assert page.evaluate("() => typeof window.__cmPwned") == "undefined"
    assert opened.dialogs == []
    assert not MARKER.exists()
