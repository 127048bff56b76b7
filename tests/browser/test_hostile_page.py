"""Hostile strings in every data field, opened in Chromium: nothing executes and every string shows as written.

The map is the one tests/page/test_hostile.py checks as text (the session fixture ``hostile_map``, tests/hostilekit.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostilekit import HOSTILE
from tests.pagekit import OpenedPage


@pytest.mark.browser
def test_nothing_executes_and_every_string_shows_as_written(
    open_page: Callable[..., OpenedPage], hostile_map: Path
) -> None:
    opened = open_page(hostile_map)
    page = opened.page
    shown = []
    for index in range(page.evaluate("() => Casemap.state.events.length")):
        page.evaluate("(i) => Casemap.state.list.reveal(i)", index)
        event_id = page.evaluate("(i) => Casemap.state.events[i].id", index)
        page.locator(f"#cm-event-{index}").click()
        card = page.locator(f'.cm-pane .cm-event-card[data-event="{event_id}"]')
        card.wait_for(timeout=5_000)
        shown.append(
            {
                "id": event_id,
                "title": card.locator("h2").text_content(),
                "quote": card.locator("blockquote").text_content() if card.locator("blockquote").count() else None,
                "outlet": card.locator(".cm-source a").first.text_content(),
                "row": page.locator(f"#cm-event-{index} .cm-item-title").text_content(),
            }
        )
    page.evaluate(
        """() => { const s = Casemap.state;
                   for (const key of ['places', 'chita', 'depots', 'krai', 'context']) {
                     s.layers[key].eachLayer(l => { l.openPopup(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()); });
                   }
                   document.querySelector('.cm-panel-foot button').click(); }"""
    )
    page.keyboard.press("Escape")  # the method panel is a modal dialog: the search behind it is inert until it closes
    by_id = {item["id"]: item for item in shown}
    for number, text in enumerate(HOSTILE):
        item = by_id[f"hostile-{number}"]
        assert item["title"] == text
        assert item["row"] == text
        assert item["quote"] == text[:200]
        assert item["outlet"].startswith(text)
    # The story's texts (story.yaml): the summary and every chapter's title and paragraphs, as written.
    assert page.locator(".cm-summary > p").all_text_contents()[:5] == HOSTILE[-5:]
    page.get_by_role("button", name="Start the story ▶").click()
    for number, text in enumerate(HOSTILE):
        chapter = page.locator(f'.cm-pane .cm-chapter-card[data-chapter="hostile-{number}"]')
        assert chapter.locator("h2").text_content() == text[:120]
        assert chapter.locator("p").all_text_contents() == [text, text[::-1]]
        chapter.locator(".cm-chapter-steps .cm-primary").click()
    for text in HOSTILE:
        page.locator("input.cm-search").fill(text[:30])
        # The search runs on the input event, before fill returns: had it made markup from the text, the elements
        # would be here now (a handler such as onerror can only fire later from an element that exists).
        assert page.locator(".cm-results *:is(img, script, svg, iframe, a[href])").count() == 0, text
    # Let any task queued by the searches run: resolve after the next frame and the task after it.
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))")
    assert page.evaluate("() => window.__pwned") is None
    assert opened.errors == []
    # The map still draws: every layer present, the event list full once the query (which filters it) is cleared.
    page.locator("input.cm-search").fill("")
    assert page.evaluate("() => Casemap.state.shown.length") == len(HOSTILE) + 1
    assert page.locator(".leaflet-overlay-pane path").count() > 10
    tooltip_text = page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-tooltip')).map(t => t.textContent)"
    )
    assert any(text in tooltip_text for text in HOSTILE)
