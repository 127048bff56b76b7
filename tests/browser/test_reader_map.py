"""What the map draws and how it answers (issue #12, mapping): in Debian Chromium, offline, at the reader's sizes.

Event dots answer clicks and taps before any shape beneath them; region-level events are drawn above the reference
layers; measure reads geodesic distance (checked against pyproj's WGS84 geodesic) and suppresses every card while
on; one map key explains every layer in its real colours; the undisclosed events are a filtered list.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from geo.page.assets import CASEMAP_JS_DIR
from tests.conftest import DATA
from tests.pagekit import OpenedPage, open_offline, read_payload

pytestmark = pytest.mark.browser

# The four sizes of issue #12's "Done when": a phone (touch), a tablet, a laptop, a laptop at 200 % zoom.
SIZES: dict[str, dict[str, Any]] = {
    "390x844-touch": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
    "768x1024": {"viewport": {"width": 768, "height": 1024}},
    "1280x800": {"viewport": {"width": 1280, "height": 800}},
    "640x400": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
FOCUS_POINTS = {"chita": (52.0317, 113.5009), "krasnokamensk": (50.0929, 118.0323), "inside": (51.0, 116.0)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("reader-map") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def data(built: Path) -> dict[str, Any]:
    return read_payload(built.read_text(encoding="utf-8"))


@pytest.fixture
def open_at(browser: Any, built: Path) -> Iterator[Callable[[str], OpenedPage]]:
    """Open the built page offline at one of SIZES; every context is closed when the test ends."""
    opened: list[OpenedPage] = []

    def open_(size: str) -> OpenedPage:
        options = dict(SIZES[size])
        viewport = options.pop("viewport")
        result = open_offline(browser, built, width=viewport["width"], height=viewport["height"], device=options)
        opened.append(result)
        return result

    yield open_
    for page in opened:
        page.context.close()


def client_point(page: Any, lat: float, lon: float) -> tuple[float, float]:
    """Where a latitude and longitude is on the screen (client pixels, whole numbers)."""
    x, y = page.evaluate(
        """([lat, lon]) => { const m = Casemap.state.map, p = m.latLngToContainerPoint([lat, lon]);
                              const r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
        [lat, lon],
    )
    return round(x), round(y)


def what_is_at(page: Any, x: float, y: float) -> str:
    """The pane or control the topmost element at a point belongs to."""
    return str(
        page.evaluate(
            """([x, y]) => { const e = document.elementFromPoint(x, y); if (!e) { return 'nothing'; }
                          if (e.closest('.leaflet-control-container')) { return 'control'; }
                          const pane = e.closest('.leaflet-pane:not(.leaflet-map-pane)');
                          return pane ? pane.className : e.tagName; }""",
            [x, y],
        )
    )


def press(opened: OpenedPage, size: str, x: float, y: float) -> None:
    """A tap on a touch screen, a click elsewhere."""
    if SIZES[size].get("has_touch"):
        opened.page.touchscreen.tap(x, y)
    else:
        opened.page.mouse.click(x, y)


def selected_event(opened: OpenedPage, data: dict[str, Any]) -> dict[str, Any]:
    """The event the page's URL names (event=…), once the page has written it."""
    from playwright.sync_api import expect

    expect(opened.page).to_have_url(re.compile(r"[#&]event="), timeout=5_000)
    event_id = re.search(r"[#&]event=([^&]+)", opened.page.url)
    assert event_id is not None
    return next(e for e in data["events"] if e["id"] == event_id.group(1))


@pytest.mark.parametrize("zoom", [None, 9.0], ids=["default-view", "zoom-9"])
@pytest.mark.parametrize("size", SIZES)
def test_the_chita_dot_selects_a_chita_event_over_the_shapes_beneath(
    open_at: Callable[[str], OpenedPage], data: dict[str, Any], size: str, zoom: float | None
) -> None:
    opened = open_at(size)
    close_the_key(opened)
    lat, lon = data["places"]["chita"]["lat"], data["places"]["chita"]["lon"]
    if zoom is not None:
        opened.page.evaluate(
            "([lat, lon, z]) => Casemap.state.map.setView([lat, lon], z, {animate: false})", [lat, lon, zoom]
        )
    x, y = client_point(opened.page, lat, lon)
    # Under the dot lie the Chita depot circle, the krai and Chita's own marker: shapes that took the click before.
    assert "leaflet-overlay-pane" in what_is_at(opened.page, x, y) or "cm-event" in what_is_at(opened.page, x, y)
    press(opened, size, x, y)
    event = selected_event(opened, data)
    assert event["where"].get("place") == "chita", event["id"]
    # No card of the shapes beneath: any popup open is the selected event's own.
    popups = opened.page.locator(".leaflet-popup")
    for i in range(popups.count()):
        assert popups.nth(i).locator(f"[data-event='{event['id']}']").count() == 1
    assert opened.errors == [] and opened.requests == []


@pytest.mark.parametrize("measuring", [False, True], ids=["reading", "measuring"])
def test_a_shape_beside_a_dot_answers_for_itself_unless_measuring(
    open_at: Callable[[str], OpenedPage], data: dict[str, Any], measuring: bool
) -> None:
    """The dots take only their own clicks: the Chita depot circle, clicked 25 px from the dot, gets its click;
    while measuring it gets none (the click adds a point instead)."""
    opened = open_at("1280x800")
    close_the_key(opened)
    lat, lon = data["places"]["chita"]["lat"], data["places"]["chita"]["lon"]
    opened.page.evaluate(
        """([lat, lon]) => { const s = Casemap.state; s.map.setView([lat, lon], 9, {animate: false});
                             window.depotClicks = 0; s.layers.depots.on('click', () => { window.depotClicks++; }); }""",
        [lat, lon],
    )
    if measuring:
        measure_on(opened)
    x, y = client_point(opened.page, lat, lon)
    assert "leaflet-overlay-pane" in what_is_at(opened.page, x + 25, y)
    opened.page.mouse.click(x + 25, y)
    assert opened.page.evaluate("() => window.depotClicks") == (0 if measuring else 1)
    assert ("Click or tap the next point" in opened.page.locator(".cm-measure-total").inner_text()) is measuring
    assert "event=" not in opened.page.url


def test_a_region_level_event_is_drawn_above_the_focus_layer(
    open_at: Callable[[str], OpenedPage], data: dict[str, Any]
) -> None:
    opened = open_at("1280x800")
    focus = next(layer["key"] for layer in data["layers"] if layer["key"] == "krai")
    found = opened.page.evaluate(
        """(focusKey) => {
          const s = Casemap.state, group = s.areaLayers.get('zabaykalsky-krai');
          const paths = [];
          group.eachLayer(g => g.eachLayer(l => paths.push(l._path)));
          const outline = paths.find(p => p.classList.contains('cm-event-area'));
          const focus = s.layers[focusKey].getLayers()[0]._path;
          const z = e => Number(getComputedStyle(e.closest('.leaflet-pane')).zIndex);
          // Points along the krai's boundary that are on screen: where both lines are drawn.
          const m = s.map, rect = m.getContainer().getBoundingClientRect(), hits = {outline: 0, focus: 0, other: 0};
          const rings = s.layers[focusKey].getLayers()[0].getLatLngs().flat(3);
          for (const ll of rings) {
            const p = m.latLngToContainerPoint(ll);
            if (p.x < 60 || p.y < 60 || p.x > rect.width - 320 || p.y > rect.height - 60) { continue; }
            const e = document.elementFromPoint(rect.left + p.x, rect.top + p.y);
            hits[e === outline ? 'outline' : e === focus ? 'focus' : 'other']++;
          }
          return {outlinePane: z(outline), focusPane: z(focus), stroke: outline.getAttribute('stroke'),
                  fill: outline.getAttribute('fill'), hits: hits,
                  shown: s.eventAreaGroup.hasLayer(group)};
        }""",
        focus,
    )
    assert found["shown"]
    assert found["outlinePane"] > found["focusPane"]
    assert found["stroke"].lower() == data["eventStyle"]["colour"].lower()
    assert found["fill"] == "url(#cm-event-hatch)"
    # On the boundary the event's outline is what the pointer meets; the krai's line beneath shows only in the gaps
    # between its dashes (10 on, 6 off: at most 6/16 of the points, a little more where the line turns).
    hits = found["hits"]
    assert hits["outline"] > 10 and hits["focus"] < 0.45 * (hits["outline"] + hits["focus"]), hits


def close_the_key(opened: OpenedPage) -> None:
    """Fold the map key away, as a reader does to see the map behind it."""
    toggle = opened.page.locator(".cm-key-toggle")
    if toggle.get_attribute("aria-expanded") == "true":
        toggle.click()


def measure_on(opened: OpenedPage) -> None:
    opened.page.locator(".cm-measure button", has_text="Measure distance").click()
    assert opened.page.locator(".cm-measure button[aria-pressed='true']").count() == 1


def readout_km(opened: OpenedPage) -> tuple[float, float]:
    text = opened.page.locator(".cm-measure-total").inner_text()
    match = re.search(r"Segment ([\d,.]+) km · total ([\d,.]+) km \(geodesic, WGS84\)", text)
    assert match is not None, text
    return float(match.group(1).replace(",", "")), float(match.group(2).replace(",", ""))


@pytest.mark.parametrize("size", SIZES)
def test_measure_reads_the_geodesic_distance_and_opens_no_card(open_at: Callable[[str], OpenedPage], size: str) -> None:
    from pyproj import Geod

    opened = open_at(size)
    close_the_key(opened)
    measure_on(opened)
    clicked = []
    # Chita and Krasnokamensk carry event dots and lie in depot circles: while measuring they only add points.
    for name in ("chita", "inside", "krasnokamensk"):
        x, y = client_point(opened.page, *FOCUS_POINTS[name])
        assert what_is_at(opened.page, x, y) != "control", f"{name} is under a control at {size}"
        press(opened, size, x, y)
        clicked.append(
            opened.page.evaluate("([x, y]) => Casemap.state.map.mouseEventToLatLng({clientX: x, clientY: y})", [x, y])
        )
    segment, total = readout_km(opened)
    geod = Geod(ellps="WGS84")
    legs = [geod.inv(a["lng"], a["lat"], b["lng"], b["lat"])[2] / 1000 for a, b in itertools.pairwise(clicked)]
    assert segment == pytest.approx(legs[-1], rel=0.01)
    assert total == pytest.approx(sum(legs), rel=0.01)
    # Nothing was selected and no card opened.
    assert "event=" not in opened.page.url
    assert opened.page.evaluate("() => Casemap.state.selected") is None
    assert opened.page.locator(".leaflet-popup").count() == 0


def test_geodesic_distance_matches_pyproj_everywhere_on_the_ellipsoid(browser: Any) -> None:
    """Vincenty's inverse as the page runs it (geodesic.js in a blank page), against pyproj, 400 pairs worldwide."""
    from pyproj import Geod

    rng = random.Random(20261126)  # noqa: S311  # test points, not secrets: the same 400 pairs every run
    pairs = [
        [rng.uniform(-89.9, 89.9), rng.uniform(-180, 180), rng.uniform(-89.9, 89.9), rng.uniform(-180, 180)]
        for _ in range(400)
    ]
    # The same point, the equator, a meridian through the poles, across the antimeridian (both ways Leaflet writes it).
    pairs += [[52, 113.5, 52, 113.5], [0, 0, 0, 90], [-90, 0, 90, 0], [10, 179, 10, -179], [10, 179, 10, 181]]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_script_tag(content=(CASEMAP_JS_DIR / "geodesic.js").read_text(encoding="utf-8"))
        got = page.evaluate(
            "(ps) => ps.map(([a, b, c, d]) => geodesicMetres({lat: a, lng: b}, {lat: c, lng: d}))", pairs
        )
        # Nearly antipodal: Vincenty's iteration does not settle; the page says so and falls back to the sphere.
        antipodal = page.evaluate("() => geodesicMetres({lat: 0, lng: 0}, {lat: 0.5, lng: 179.7})")
    finally:
        context.close()
    geod = Geod(ellps="WGS84")
    for (lat1, lon1, lat2, lon2), result in zip(pairs, got, strict=True):
        expected = geod.inv(lon1, lat1, lon2, lat2)[2]
        assert result["approximate"] is False
        assert result["metres"] == pytest.approx(expected, abs=0.001), (lat1, lon1, lat2, lon2)
    assert antipodal["approximate"] is True
    assert antipodal["metres"] == pytest.approx(geod.inv(0, 0, 179.7, 0.5)[2], rel=0.005)


@pytest.mark.parametrize("size", ["390x844-touch", "1280x800"])
def test_the_undisclosed_list_follows_the_filters_and_selects_without_drawing(
    open_at: Callable[[str], OpenedPage], data: dict[str, Any], size: str
) -> None:
    opened = open_at(size)
    page = opened.page
    undisclosed = [e for e in data["events"] if e["where"]["precision"] == "undisclosed"]
    page.locator(".cm-undisclosed > button").click()

    def listed() -> list[str]:
        return [
            str(event)
            for event in page.locator(".cm-undisclosed-list button").evaluate_all("bs => bs.map(b => b.dataset.event)")
        ]

    assert sorted(listed()) == sorted(e["id"] for e in undisclosed)
    category = next(e["category"] for e in undisclosed)
    page.locator(f".cm-cat-{category} input").uncheck()
    remaining = sorted(e["id"] for e in undisclosed if e["category"] != category)
    assert 0 < len(remaining) < len(undisclosed)
    assert sorted(listed()) == remaining
    assert f"{len(remaining)} event" in page.locator(".cm-undisclosed > button").inner_text()
    drawn_before = page.evaluate("() => document.querySelectorAll('.leaflet-pane path').length")
    page.locator(f".cm-undisclosed-list button[data-event='{remaining[0]}']").click()
    assert selected_event(opened, data)["id"] == remaining[0]
    # Nothing drawn for it: no new shape, no dot marked as selected, no highlight.
    assert page.evaluate("() => document.querySelectorAll('.leaflet-pane path').length") == drawn_before
    assert page.evaluate("() => [Casemap.state.dots._selected, Casemap.state.highlight]") == [-1, None]


def test_one_map_key_explains_every_layer_in_its_real_colours(
    open_at: Callable[[str], OpenedPage], data: dict[str, Any]
) -> None:
    opened = open_at("1280x800")
    page = opened.page
    controls = page.locator(".leaflet-control-container")
    assert controls.locator("button", has_text=re.compile(r"^(Layers|Legend)$")).count() == 0
    toggle = page.locator(".cm-key-toggle")
    assert toggle.count() == 1 and toggle.get_attribute("aria-expanded") == "true"
    for layer in data["layers"]:
        row = page.locator(f".cm-key-layer[data-layer='{layer['key']}']")
        assert layer["title"] in row.inner_text()
        colours = row.locator(".cm-swatch").evaluate_all("ss => ss.map(s => [s.dataset.colour, s.dataset.fill || ''])")
        wanted = {layer["style"]["color"], *(s["color"] for s in layer["featureStyles"].values() if "color" in s)}
        wanted_fills = {s["fillColor"] for s in layer["featureStyles"].values() if "fillColor" in s}
        assert wanted <= {c for c, _ in colours}, (layer["key"], colours)
        assert wanted_fills <= {f for _, f in colours}, (layer["key"], colours)
    # The Mongolia border's swatch is drawn green, as the map draws the line.
    mongolia = page.locator(".cm-key-layer[data-layer='borders'] .cm-key-sub", has_text="Border with Mongolia").locator(
        ".cm-swatch"
    )
    assert mongolia.evaluate("s => getComputedStyle(s).borderTopColor") == "rgb(0, 158, 115)"
    # The toggles are inside: the krai's box hides the krai.
    page.locator(".cm-key-layer[data-layer='krai'] input").uncheck()
    assert page.evaluate("() => Casemap.state.map.hasLayer(Casemap.state.layers.krai)") is False
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false" and page.locator(".cm-key-body").is_hidden()


@pytest.mark.parametrize(
    ("size", "key_open", "coordinates"), [("390x844-touch", False, False), ("1280x800", True, True)]
)
def test_the_key_starts_collapsed_and_coordinates_hide_on_a_phone(
    open_at: Callable[[str], OpenedPage], size: str, key_open: bool, coordinates: bool
) -> None:
    page = open_at(size).page
    assert page.locator(".cm-key-toggle").get_attribute("aria-expanded") == str(key_open).lower()
    assert page.locator(".cm-key-body").is_visible() is key_open
    assert page.locator(".cm-coords").is_visible() is coordinates
    page.locator(".cm-key-toggle").click()
    assert page.locator(".cm-key-body").is_visible() is not key_open


def test_the_key_closes_when_a_card_makes_the_map_small(open_at: Callable[[str], OpenedPage]) -> None:
    """At 1280x800 the key starts open on a 900 px map; a card then takes a column and leaves the map under 640 px
    wide, where the open key would cover half of it: it closes (and opens again on request)."""
    page = open_at("1280x800").page
    toggle = page.locator(".cm-key-toggle")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.locator("#cm-list [role=option]").first.click()
    page.locator(".cm-pane:not([hidden])").wait_for()
    assert page.evaluate("() => Casemap.state.map.getContainer().clientWidth") < 640
    page.wait_for_function("() => document.querySelector('.cm-key-toggle').getAttribute('aria-expanded') === 'false'")
    assert page.locator(".cm-key-body").is_hidden()
    toggle.click()
    assert page.locator(".cm-key-body").is_visible()


@pytest.mark.parametrize("size", SIZES)
def test_the_first_view_shows_the_case_area_beside_the_open_key(
    open_at: Callable[[str], OpenedPage], size: str
) -> None:
    """The case's area (data.view.bounds) starts wholly inside the map and clear of the open key: at 1280x800 the key
    is open on a 900 px map and used to lie over the east of the krai, its depots and events; where the key starts
    closed the area may use the whole width."""
    page = open_at(size).page
    found = page.evaluate(
        """() => { const m = Casemap.state.map, b = L.latLngBounds(Casemap.state.data.view.bounds);
                   const map = m.getContainer().getBoundingClientRect(), at = (ll) => m.latLngToContainerPoint(ll);
                   const nw = at(b.getNorthWest()), se = at(b.getSouthEast());
                   const body = document.querySelector('.cm-key-body');
                   const key = body.hidden ? null : document.querySelector('.cm-key').getBoundingClientRect();
                   return { left: map.left + nw.x, right: map.left + se.x, top: map.top + nw.y,
                            bottom: map.top + se.y, mapLeft: map.left, mapRight: map.right,
                            keyLeft: key ? key.left : null }; }"""
    )
    assert found["left"] >= found["mapLeft"] - 1 and found["right"] <= found["mapRight"] + 1, found
    if found["keyLeft"] is not None:
        assert found["right"] <= found["keyLeft"] + 1, found
    assert (size == "1280x800") == (found["keyLeft"] is not None), "the key starts open on the laptop only"
