"""The map in a real browser (Debian Chromium via Playwright), opened from disk with the network cut off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from docs.screenshots import take_screenshots
from tests.conftest import DATA
from tests.pagekit import OpenedPage, read_payload

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("browser") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


@pytest.fixture
def opened(open_page: Callable[..., OpenedPage], built: Path) -> OpenedPage:
    return open_page(built)


def payload(built: Path) -> dict[str, Any]:
    return read_payload(built.read_text(encoding="utf-8"))


def test_offline_load_makes_no_request_and_logs_no_error(opened: OpenedPage) -> None:
    assert opened.requests == []
    assert opened.errors == []
    assert opened.page.title().startswith("The Vasilyev treason case")


def test_default_view_screenshot_is_not_blank(opened: OpenedPage, tmp_path: Path) -> None:
    # Under tmp_path: the README's screenshots come only from `python3 tasks.py screenshots`.
    path = tmp_path / "screenshot.png"
    opened.page.screenshot(path=str(path))
    # A blank map is one colour; a drawn one has many. Count distinct colours in the map area.
    colours = opened.page.evaluate(
        """() => { const c = document.querySelector('.leaflet-overlay-pane svg');
                   return c ? c.querySelectorAll('path').length : 0; }"""
    )
    assert colours > 10
    assert path.stat().st_size > 50_000


def test_the_readme_screenshots_are_drawn_and_the_same_bytes_every_time(browser: object, built: Path) -> None:
    """What `python3 tasks.py screenshots` writes to docs/, taken twice in memory here (the tests write no docs)."""
    first = take_screenshots(browser, built)
    second = take_screenshots(browser, built)
    assert sorted(first) == ["screenshot-filtered.png", "screenshot-popup.png", "screenshot.png"]
    for name, image in first.items():
        assert image.startswith(b"\x89PNG\r\n\x1a\n") and len(image) > 50_000, name
    differing = [name for name in first if first[name] != second[name]]
    assert differing == [], f"the same page gave different screenshots: {differing}"


def test_every_layer_and_event_is_drawn(opened: OpenedPage, built: Path) -> None:
    data = payload(built)
    drawn = opened.page.evaluate(
        """() => { const s = Casemap.state, out = {};
                   for (const [key, layer] of Object.entries(s.layers)) {
                     out[key] = s.map.hasLayer(layer) ? layer.getLayers().length : 0; }
                   return {layers: out, shown: s.shown.length, groups: s.groups.filter(g => g.visible).length,
                           areas: s.eventAreaGroup.getLayers().length, undisclosed: s.undisclosed.length,
                           kinds: s.events.map(e => e._kind)}; }"""
    )
    for layer in data["layers"]:
        if layer["visible"]:
            assert drawn["layers"][layer["key"]] == layer["features"], layer["key"]
    assert drawn["shown"] == len(data["events"])
    assert set(drawn["kinds"]) <= {"point", "area", "undisclosed"}
    points = sum(k == "point" for k in drawn["kinds"])
    assert drawn["groups"] >= 1 and points >= drawn["groups"]
    assert drawn["areas"] >= 1 and drawn["undisclosed"] >= 1
    # Region-level events are never pins: each area-kind event's place is a polygon or line feature.
    for event, kind in zip(data["events"], drawn["kinds"], strict=True):
        if event["where"]["precision"] in ("region", "district"):
            assert kind == "area", event["id"]
        if event["where"]["precision"] == "undisclosed":
            assert kind == "undisclosed", event["id"]
    # The dots canvas has ink where Chita's group is.
    ink = opened.page.evaluate(
        """() => { const s = Casemap.state, g = s.groups.find(g => g.place === 'chita');
                   const p = s.map.latLngToContainerPoint(g.latlng), c = document.querySelector('canvas.cm-dots');
                   const r = window.devicePixelRatio || 1;
                   return Array.from(c.getContext('2d').getImageData(p.x * r - 2, p.y * r - 2, 4, 4).data); }"""
    )
    assert max(ink[3::4]) > 0


def select_by_title(opened: OpenedPage, title_part: str) -> None:
    index = opened.page.evaluate("(t) => Casemap.state.events.findIndex(e => e.title.includes(t))", title_part)
    assert index >= 0
    opened.page.evaluate("(i) => Casemap.state.list.reveal(i)", index)
    opened.page.locator(f"#cm-event-{index}").click()
    opened.page.wait_for_selector(".cm-pane .cm-event-card", timeout=5_000)


def test_list_selects_an_event_flies_to_it_and_the_card_shows_sources(
    opened: OpenedPage, built: Path, tmp_path: Path
) -> None:
    data = payload(built)
    event = next(e for e in data["events"] if e["where"]["precision"] == "settlement" and e.get("claims"))
    place = data["places"][event["where"]["place"]]
    select_by_title(opened, event["title"])
    card = opened.page.locator(".cm-pane .cm-event-card")
    assert event["title"] in card.inner_text()
    assert "Sources" in card.inner_text().title() or "SOURCES" in card.inner_text()
    links = card.locator("a")
    assert links.count() >= 1
    for i in range(links.count()):
        assert links.nth(i).get_attribute("href").startswith(("http://", "https://"))
        assert links.nth(i).get_attribute("rel") == "noopener noreferrer"
    # The map flies to the place (the card shows first, the flight takes a moment): it comes into view, closer.
    opened.page.wait_for_function(
        "([lat, lon]) => Casemap.state.map.getBounds().contains([lat, lon]) && Casemap.state.map.getZoom() >= 7",
        arg=[place["lat"], place["lon"]],
        timeout=5_000,
    )
    assert opened.page.locator(".cm-item.cm-selected").count() == 1
    shot = tmp_path / "screenshot-popup.png"
    opened.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000


def test_keyboard_moves_through_the_list(opened: OpenedPage) -> None:
    # The arrow keys move the list's active row; Enter chooses it (a listbox: moving is not choosing, issue #12).
    opened.page.locator(".cm-list").focus()
    opened.page.keyboard.press("Home")
    opened.page.keyboard.press("ArrowDown")
    assert opened.page.evaluate("() => Casemap.state.selected") is None
    opened.page.keyboard.press("Enter")
    assert opened.page.evaluate("() => Casemap.state.selected") == 1
    opened.page.locator("button[aria-label='Next event']").click()
    assert opened.page.evaluate("() => Casemap.state.selected") == 2


def test_time_filter_hides_and_shows_the_right_events(opened: OpenedPage, built: Path, tmp_path: Path) -> None:
    data = payload(built)
    opened.page.locator("button", has_text="The case (2019").click()
    visible = opened.page.evaluate("() => Casemap.state.shown.map(i => Casemap.state.events[i].id)")
    ticks = opened.page.evaluate(
        "() => [Casemap.state.ticks[Casemap.state.range[0]], Casemap.state.ticks[Casemap.state.range[1]]]"
    )
    expected = [e["id"] for e in data["events"] if e["when"]["end"] >= ticks[0] and e["when"]["start"] <= ticks[1]]
    assert visible == expected
    assert 0 < len(visible) < len(data["events"])
    assert "treaty-of-nerchinsk" not in visible
    rows = opened.page.locator(".cm-item").count()
    assert rows == min(len(visible), rows) and rows > 0
    assert f"{len(visible)} of {len(data['events'])} events" in opened.page.locator(".cm-count").inner_text()
    shot = tmp_path / "screenshot-filtered.png"
    opened.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000
    # Moving the "from" thumb by keyboard narrows further; "All time" restores everything.
    opened.page.get_by_role("slider", name="Show events from").focus()
    opened.page.keyboard.press("End")
    assert opened.page.evaluate("() => Casemap.state.shown.length") <= len(visible)
    opened.page.locator("button", has_text="All time").click()
    assert opened.page.evaluate("() => Casemap.state.shown.length") == len(data["events"])


def test_deep_link_restores_event_view_and_filter(open_page: Callable[..., OpenedPage], built: Path) -> None:
    data = payload(built)
    # An event the link's own time range shows: one it hid would widen the range (test_reader_links).
    event = next(
        e
        for e in data["events"]
        if e["where"]["precision"] == "settlement"
        and e["when"]["start"] >= "2000-01-01"
        and e["when"]["end"] <= "2021-12-31"
    )
    fragment = f"#event={event['id']}&view=51.5000,115.0000,7&from=2000-01-01&to=2021-12-31"
    opened = open_page(built, fragment=fragment)
    state = opened.page.evaluate(
        """() => { const s = Casemap.state, c = s.map.getCenter();
                   return {selected: s.events[s.selected].id, zoom: s.map.getZoom(), lat: c.lat, lng: c.lng,
                           from: s.ticks[s.range[0]], to: s.ticks[s.range[1]]}; }"""
    )
    assert state["selected"] == event["id"]
    assert state["zoom"] == 7 and abs(state["lat"] - 51.5) < 0.01 and abs(state["lng"] - 115.0) < 0.01
    assert state["from"] >= "2000-01-01" and state["to"] <= "2021-12-31"
    assert opened.page.locator(".cm-pane .cm-event-card").count() == 1
    assert opened.errors == [] and opened.requests == []


READ_LINK_AND_VIEW = """() => { const m = Casemap.state.map, c = m.getCenter();
    return {hash: location.hash, lat: c.lat, lng: c.lng, zoom: m.getZoom()}; }"""


def fragment_parameters(hash_text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in hash_text.lstrip("#").split("&") if "=" in part)


def link_matches_view(seen: dict[str, Any]) -> bool:
    parameters = fragment_parameters(seen["hash"])
    if "event" not in parameters or "view" not in parameters:
        return False
    lat, lng, zoom = (float(number) for number in parameters["view"].split(","))
    # The page writes the centre to 4 decimals (writeHash in static/js/link.js).
    return bool(abs(lat - seen["lat"]) <= 1e-4 and abs(lng - seen["lng"]) <= 1e-4 and zoom == seen["zoom"])


def test_the_view_is_written_back_to_the_fragment(opened: OpenedPage) -> None:
    select_by_title(opened, "Treaty of Nerchinsk")
    # The map flies to the event and the page rewrites the link (history.replaceState, debounced) after each move.
    # Wait, each time, for the next rewrite (Playwright sees it as a same-document navigation; the predicate runs in
    # Python, as the page's CSP forbids wait_for_function's eval) until the link holds the view the map settled on.
    seen = opened.page.evaluate(READ_LINK_AND_VIEW)
    for _ in range(20):
        if link_matches_view(seen):
            break
        written = opened.page.url
        opened.page.wait_for_url(lambda url, written=written: url != written, timeout=5_000)
        seen = opened.page.evaluate(READ_LINK_AND_VIEW)
    assert fragment_parameters(seen["hash"])["event"] == "treaty-of-nerchinsk", seen
    assert link_matches_view(seen), seen


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Chita", "Chita"),
        ("Чита", "Chita"),
        ("赤塔", "Chita"),
        ("Zabaikalsky", "Zabaykalsky Krai"),
        ("Transbaikal", "Zabaykalsky Krai"),
        ("nerchinsk treaty", "Treaty of Nerchinsk"),
    ],
)
def test_search_finds_places_and_events_across_spellings(opened: OpenedPage, query: str, expected: str) -> None:
    opened.page.locator("input.cm-search").fill(query)
    results = opened.page.locator(".cm-result")
    assert results.count() >= 1
    assert any(expected in results.nth(i).inner_text() for i in range(results.count()))


def test_undisclosed_events_are_marked_not_pinned(opened: OpenedPage) -> None:
    opened.page.locator(".cm-undisclosed > button").click()
    opened.page.locator(".cm-undisclosed-list button").first.click()
    banner = opened.page.locator(".cm-undisclosed-banner")
    assert "undisclosed" in banner.inner_text().lower()


def test_layer_toggle_and_base_switch(opened: OpenedPage) -> None:
    if opened.page.locator(".cm-key-toggle").get_attribute("aria-expanded") == "false":  # the map key holds the toggles
        opened.page.locator(".cm-key-toggle").click()
    box = opened.page.locator("label", has_text="Distance from the Chinese border").locator("input")
    box.check()
    assert opened.page.evaluate("() => Casemap.state.map.hasLayer(Casemap.state.layers.bands)")
    # The street tiles are asked for and refused (no network): the vector layers still draw.
    with opened.page.expect_event("requestfailed", lambda request: "tile.openstreetmap.org" in request.url):
        opened.page.locator("label", has_text="Street map").locator("input").check()
    assert any("tile.openstreetmap.org" in url for url in opened.requests)
    assert opened.page.evaluate("() => Casemap.state.map.hasLayer(Casemap.state.layers.krai)")


def test_feature_card_of_a_depot_shows_what_is_known_and_sources(opened: OpenedPage) -> None:
    # A click on the depot's circle (fired on the layer, as Leaflet does for a click on its path).
    opened.page.evaluate(
        """() => { const l = Casemap.state.layers.depots.getLayers()[0];
                   l.fire('click', {latlng: l.getBounds().getCenter()}); }"""
    )
    card = opened.page.locator(".cm-pane .cm-feature-card")
    text = card.inner_text()
    assert "Known:" in text and "Not known:" in text and "Confidence" in text
    assert card.locator("a[rel='noopener noreferrer']").count() >= 1
    assert opened.page.locator(".leaflet-popup").count() == 0
