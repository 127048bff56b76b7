"""Where things are on every screen (issue #12): the map, the details pane, the panel and the map controls.

Each test runs at the four sizes the issue names: a phone (390x844, touch), a tablet (768x1024), a laptop
(1280x800) and that laptop at 200 % zoom (640x400). The page is opened from disk with the network cut off.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from tests.conftest import DATA
from tests.pagekit import OpenedPage, read_payload

pytestmark = pytest.mark.browser

SIZES: dict[str, dict[str, Any]] = {
    "phone-390x844": {"width": 390, "height": 844, "device": {"has_touch": True, "is_mobile": True}},
    "tablet-768x1024": {"width": 768, "height": 1024},
    "laptop-1280x800": {"width": 1280, "height": 800},
    "zoomed-640x400": {"width": 640, "height": 400},
}

# Every visible map control's box (Leaflet's .leaflet-control: zoom, key, measure, full screen, scale,
# attribution, whatever else is added), as [left, top, right, bottom] with the control's class for messages.
CONTROL_BOXES = """() => Array.from(document.querySelectorAll('.leaflet-control')).map(c => {
    const r = c.getBoundingClientRect(), style = getComputedStyle(c);
    return {name: c.className, box: [r.left, r.top, r.right, r.bottom],
            shown: r.width > 0 && r.height > 0 && style.visibility !== 'hidden'}; }).filter(c => c.shown)"""

# The layout shifts recorded since the page started (buffered), after two frames so that what the last
# script changed has been laid out. Shifts right after the reader's input do not count (hadRecentInput).
LAYOUT_SHIFT = """() => new Promise(done => {
    let total = 0;
    new PerformanceObserver(list => { for (const e of list.getEntries()) { if (!e.hadRecentInput) total += e.value; } })
      .observe({type: 'layout-shift', buffered: true});
    requestAnimationFrame(() => requestAnimationFrame(() => done(total))); })"""

# What is drawn at the centre of each line box of an element (a link that wraps has one per line, and the centre
# of its bounding box may fall between them): the element itself (or its child), or what covers it.
UNCOVERED = """(node) => { const boxes = Array.from(node.getClientRects()).filter(r => r.width > 0 && r.height > 0);
    const seen = boxes.map(r => { const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const top = document.elementFromPoint(x, y);
        return {inView: x >= 0 && y >= 0 && x < innerWidth && y < innerHeight,
                uncovered: top !== null && (top === node || node.contains(top)),
                top: top ? top.tagName + '.' + top.className : null}; });
    return {inView: seen.length > 0 && seen.every(s => s.inView),
            uncovered: seen.length > 0 && seen.every(s => s.uncovered),
            top: seen.map(s => s.top).join(', ')}; }"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("layout") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def size(request: pytest.FixtureRequest) -> dict[str, Any]:
    return SIZES[request.param]


@pytest.fixture
def opened(open_page: Callable[..., OpenedPage], built: Path, size: dict[str, Any]) -> OpenedPage:
    return open_page(built, **size)


def event_with_most_sources(built: Path) -> dict[str, Any]:
    """The longest card the case has: the event citing the most sources (ties: the first in date order)."""
    events = read_payload(built.read_text(encoding="utf-8"))["events"]
    return max(events, key=lambda event: len(event["sources"]))


def choose_from_the_list(opened: OpenedPage, event_id: str) -> None:
    """Scroll the list to the event's row and click (or tap) it, as a reader would; wait for its card."""
    page = opened.page
    index = page.evaluate("(id) => Casemap.state.events.findIndex(e => e.id === id)", event_id)
    assert index >= 0, event_id
    page.evaluate("(i) => Casemap.state.list.reveal(i)", index)
    # The list draws only the rows in view and redraws on scroll: click and tap find the row again if a redraw
    # replaced it, and scroll it into view themselves.
    row = page.locator(f"#cm-event-{index}")
    if page.evaluate("() => matchMedia('(pointer: coarse)').matches"):
        row.tap()
    else:
        row.click()
    page.locator(f'.cm-pane .cm-event-card[data-event="{event_id}"]').wait_for(state="visible", timeout=5_000)


def box_of(opened: OpenedPage, selector: str) -> dict[str, float]:
    box = opened.page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not laid out"
    return {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}


def overlapping(a: list[float], b: list[float]) -> bool:
    """Whether two [left, top, right, bottom] boxes share any area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_map_keeps_a_third_of_the_screen_with_and_without_a_card(
    opened: OpenedPage, built: Path, size: dict[str, Any]
) -> None:
    width, height = size["width"], size["height"]
    for moment in ("after load", "with a card open"):
        if moment == "with a card open":
            choose_from_the_list(opened, event_with_most_sources(built)["id"])
        box = box_of(opened, ".folium-map")
        assert box["height"] >= height / 3, (moment, box)
        assert box["width"] >= width / 3, (moment, box)
        # On screen: inside the viewport, not pushed below it or off its side.
        assert box["x"] >= 0 and box["y"] >= 0, (moment, box)
        assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5, (moment, box)


def test_choosing_an_event_from_the_list_shows_every_source_link_uncovered(opened: OpenedPage, built: Path) -> None:
    event = event_with_most_sources(built)
    choose_from_the_list(opened, event["id"])
    page = opened.page
    assert page.locator(".leaflet-popup").count() == 0, "an event opens in the details pane, never a Leaflet popup"
    card = page.locator(".cm-pane .cm-event-card")
    assert card.locator("h2").inner_text() == event["title"]
    links = card.locator(".cm-source a[href]")
    assert links.count() >= len(event["sources"]) >= 2
    for i in range(links.count()):
        link = links.nth(i)
        link.scroll_into_view_if_needed()
        seen = link.evaluate(UNCOVERED)
        assert seen["inView"], f"source link {i} is off screen"
        assert seen["uncovered"], f"source link {i} is covered by {seen['top']}"


def test_the_pane_scrolls_on_its_own(opened: OpenedPage, built: Path) -> None:
    choose_from_the_list(opened, event_with_most_sources(built)["id"])
    page = opened.page
    body = page.locator(".cm-pane .cm-pane-body")
    sizes = body.evaluate("(b) => ({scroll: b.scrollHeight, client: b.clientHeight})")
    assert sizes["scroll"] > sizes["client"], f"the longest card fits without scrolling here: {sizes}"
    map_before = box_of(opened, ".folium-map")
    list_before = page.evaluate("() => document.querySelector('.cm-list').scrollTop")
    pane_before = box_of(opened, ".cm-pane")
    pane = box_of(opened, ".cm-pane .cm-pane-body")
    page.mouse.move(pane["x"] + pane["width"] / 2, pane["y"] + pane["height"] / 2)
    page.mouse.wheel(0, 400)
    # Wheel scrolling is asynchronous: wait until the pane has moved, then check nothing else did.
    body.evaluate(
        "(b) => new Promise(done => { const t = () => b.scrollTop > 0 ? done() : requestAnimationFrame(t); t(); })"
    )
    assert page.evaluate("() => document.scrollingElement.scrollTop") == 0
    assert box_of(opened, ".folium-map") == map_before
    assert page.evaluate("() => document.querySelector('.cm-list').scrollTop") == list_before
    assert box_of(opened, ".cm-pane") == pane_before, "the pane itself stays where it is"


def test_no_map_control_overlaps_another_or_the_pane(opened: OpenedPage, built: Path) -> None:
    page = opened.page
    for moment in ("after load", "with a card open"):
        if moment == "with a card open":
            choose_from_the_list(opened, event_with_most_sources(built)["id"])
        controls = page.evaluate(CONTROL_BOXES)
        assert len(controls) >= 4, controls  # zoom, scale, attribution and the case's own at the least
        map_box = box_of(opened, ".folium-map")
        edges = [map_box["x"], map_box["y"], map_box["x"] + map_box["width"], map_box["y"] + map_box["height"]]
        for i, first in enumerate(controls):
            inside = [first["box"][0] >= edges[0] - 0.5, first["box"][1] >= edges[1] - 0.5]
            inside += [first["box"][2] <= edges[2] + 0.5, first["box"][3] <= edges[3] + 0.5]
            assert all(inside), (moment, f"{first['name']} reaches outside the map", first["box"], edges)
            for second in controls[i + 1 :]:
                assert not overlapping(first["box"], second["box"]), (moment, first, second)
        if moment == "with a card open":
            pane = box_of(opened, ".cm-pane")
            pane_edges = [pane["x"], pane["y"], pane["x"] + pane["width"], pane["y"] + pane["height"]]
            covering = [c["name"] for c in controls if overlapping(c["box"], pane_edges)]
            assert covering == [], f"controls over the pane: {covering}"


def test_back_to_the_list_returns_to_the_panel_where_the_pane_stands_in_its_place(
    opened: OpenedPage, built: Path, size: dict[str, Any]
) -> None:
    page = opened.page
    choose_from_the_list(opened, event_with_most_sources(built)["id"])
    search = page.locator(".cm-search")
    if size["width"] >= 1100:
        # Wide: the pane has its own column, the list stays usable beside it.
        assert page.locator(".cm-pane-back").is_hidden()
        assert search.evaluate(UNCOVERED)["uncovered"]
        page.locator(".cm-pane-close").click()
    else:
        assert search.evaluate(UNCOVERED)["uncovered"] is False, "the pane stands in the panel's place"
        assert page.locator(".cm-pane-close").is_hidden()
        page.locator(".cm-pane-back").click()
    page.locator(".cm-pane").wait_for(state="hidden", timeout=5_000)
    search.scroll_into_view_if_needed()
    assert search.evaluate(UNCOVERED)["uncovered"]
    # The reader comes back to the row they chose, still selected.
    assert page.locator(".cm-item.cm-selected").count() == 1


def test_nothing_moves_as_the_page_loads(opened: OpenedPage) -> None:
    # Issue #12 measured 0.106 before the panel's column was reserved; web.dev calls under 0.1 good, this
    # layout should give none at all (the tolerance only absorbs sub-pixel rounding).
    assert opened.page.evaluate(LAYOUT_SHIFT) < 0.005


def test_one_viewport_tag_and_it_allows_pinch_zoom(open_page: Callable[..., OpenedPage], built: Path) -> None:
    opened = open_page(built, **SIZES["phone-390x844"])
    tags = opened.page.evaluate(
        "() => Array.from(document.querySelectorAll('meta[name=viewport]')).map(m => m.getAttribute('content'))"
    )
    assert len(tags) == 1, f"folium adds a second viewport tag (user-scalable=no) unless render.py drops it: {tags}"
    settings = {part.split("=")[0].strip(): part.split("=")[-1].strip() for part in tags[0].split(",")}
    assert settings.get("width") == "device-width"
    assert settings.get("user-scalable", "yes") not in ("no", "0"), tags[0]
    assert float(settings.get("maximum-scale", "10")) >= 5, tags[0]


def test_text_follows_the_readers_font_size_and_the_attribution_is_no_larger_than_the_list(
    opened: OpenedPage,
) -> None:
    sizes_at = """() => { const px = s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize);
        return {title: px('.cm-item-title'), date: px('.cm-item-date'), precision: px('.cm-precision'),
                attribution: px('.leaflet-control-attribution'), heading: px('.cm-panel h1')}; }"""
    page = opened.page
    default = page.evaluate(sizes_at)
    assert default["attribution"] <= min(default["title"], default["date"], default["precision"]), default
    # A reader who sets a larger default font (here 20 px instead of 16 px) gets every text 1.25 times larger:
    # the sizes are in rem, not px. (CSSOM writes are not inline markup, so the page's CSP allows them.)
    page.evaluate("() => { document.documentElement.style.fontSize = '20px'; }")
    larger = page.evaluate(sizes_at)
    for name, value in default.items():
        assert larger[name] == pytest.approx(value * 1.25, abs=0.05), name
