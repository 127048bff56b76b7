"""The page is robust to its own inputs (issue #10, findings 6, 9, 10 and 15), in Debian Chromium.

- Data ids that are names on Object.prototype (`constructor`) draw like any other id.
- A deep link's bad or unknown value leaves the page working and is named in a visible status notice.
- A deep link never loads tiles: the page reaches the network only after the reader chooses a tile map.
- Generated and hand-built hostile fragments never raise an error, never reach the network, never erase the map.
- Layer properties of the wrong type leave gaps in a card; a layer the page cannot draw is reported in the page.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from build_map import main
from geo.page import text85
from tests.conftest import DATA
from tests.datakit import reseal
from tests.pagekit import OpenedPage, open_offline, read_block

pytestmark = pytest.mark.browser

NOTICE = ".cm-notice[role='status']"
# What a working page shows: the krai drawn, its vector paths in the overlay, rows in the event list.
DRAWN_SCRIPT = """() => { const s = Casemap.state;
    return {krai: s.map.hasLayer(s.layers.krai),
            paths: document.querySelectorAll('.leaflet-overlay-pane svg path').length,
            rows: document.querySelectorAll('.cm-list .cm-item').length,
            base: s.base, center: [s.map.getCenter().lat, s.map.getCenter().lng], zoom: s.map.getZoom()}; }"""


def build(data: Path, output: Path) -> Path:
    assert main(["--data", str(data), "--output", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(DATA, tmp_path_factory.mktemp("page-inputs") / "map.html")


def assert_page_works(opened: OpenedPage) -> dict[str, Any]:
    drawn: dict[str, Any] = opened.page.evaluate(DRAWN_SCRIPT)
    assert drawn["krai"], "the krai layer is not on the map"
    assert drawn["paths"] > 10, f"only {drawn['paths']} vector paths drawn"
    assert drawn["rows"] > 0, "the event list is empty"
    assert opened.errors == []
    return drawn


# ---------- finding 6: data ids that are names on Object.prototype ----------


def rename_id(data: Path, old: str, new: str) -> None:
    """Rename a place id everywhere it stands as a whole id (places, areas, events, layers, translations); reseal."""
    token = re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(old)}(?![A-Za-z0-9_-])")
    paths = [*data.glob("*.yaml"), *(data / "translations").glob("*.yaml"), *(data / "layers").glob("*.geojson")]
    changed = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        renamed = token.sub(new, text)
        if renamed != text:
            path.write_text(renamed, encoding="utf-8")
            changed += 1
    assert changed >= 2, f"{old} was not found in the layers and the events"
    reseal(data)


@pytest.mark.parametrize(
    ("old_id", "place_name", "event_title"),
    [
        ("krasnokamensk", "Krasnokamensk", "Uranium mining begins"),  # a point place (a settlement)
        ("inner-mongolia", "Inner Mongolia", "Peace Mission 2014"),  # an area place (an event's region)
    ],
)
def test_a_place_named_constructor_draws_and_its_event_opens(
    open_page: Callable[..., OpenedPage],
    data_copy: Path,
    tmp_path: Path,
    old_id: str,
    place_name: str,
    event_title: str,
) -> None:
    rename_id(data_copy, old_id, "constructor")
    output = build(data_copy, tmp_path / "map.html")
    opened = open_page(output)
    assert_page_works(opened)
    page = opened.page
    index = page.evaluate(
        "(t) => Casemap.state.events.findIndex(e => e.title.includes(t) && e.where.place === 'constructor')",
        event_title,
    )
    assert index >= 0, "the renamed event is not in the page"
    page.evaluate("(i) => Casemap.state.list.reveal(i)", index)
    page.locator(f"#cm-event-{index}").click()
    card = page.locator(".cm-pane .cm-event-card")
    card.wait_for(timeout=5_000)
    assert event_title in card.inner_text()
    assert place_name in card.inner_text()
    # The place itself: found by search, its feature card lists its events.
    page.locator("input.cm-search").fill(place_name)
    page.locator(".cm-result", has_text=place_name).first.click()
    place_card = page.locator(".cm-pane .cm-feature-card", has=page.locator(".cm-events-here"))
    place_card.wait_for(timeout=5_000)
    assert event_title in place_card.inner_text()
    assert opened.errors == [] and opened.requests == []


# ---------- finding 9: bad deep-link values are named, and ignored ----------

BAD_LINKS = [
    # (fragment, parameter named in the notice, value named in the notice)
    ("#base=constructor", "base", "constructor"),
    ("#base=__proto__", "base", "__proto__"),
    ("#base=toString", "base", "toString"),
    ("#base=hasOwnProperty", "base", "hasOwnProperty"),
    ("#view=1e308,1e308,99", "view", "1e308,1e308,99"),
    ("#view=99,999,40", "view", "99,999,40"),
    ("#view=NaN,NaN,NaN", "view", "NaN,NaN,NaN"),
    ("#view=51.5,115", "view", "51.5,115"),
    ("#view=,,", "view", ",,"),
    ("#view=51.5,115,11", "view", "51.5,115,11"),  # one past the build's maximum zoom
    ("#view=51.5,115,-1", "view", "51.5,115,-1"),
    ("#from=garbage", "from", "garbage"),
    ("#to=2021-13-45", "to", "2021-13-45"),
    ("#event=no-such-event", "event", "no-such-event"),
    ("#event=constructor", "event", "constructor"),
    ("#event=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "event", "<img src=x onerror=alert(1)>"),
    ("#colour=red", "colour", "red"),
    ("#constructor=1", "constructor", "1"),
    ("#event=%E0%A4%A", "event", "%E0%A4%A"),
]


@pytest.mark.parametrize(("fragment", "name", "value"), BAD_LINKS, ids=[f for f, _, _ in BAD_LINKS])
def test_a_bad_deep_link_value_is_named_and_the_page_keeps_working(
    open_page: Callable[..., OpenedPage], built: Path, fragment: str, name: str, value: str
) -> None:
    opened = open_page(built, fragment=fragment)
    drawn = assert_page_works(opened)
    assert drawn["base"] == "plain"
    notice = opened.page.locator(NOTICE)
    assert notice.is_visible()
    text = notice.inner_text()
    assert name in text and value in text, text
    # The value is text: nothing it holds became an element.
    assert opened.page.locator(f"{NOTICE} img, {NOTICE} script").count() == 0
    assert opened.requests == []


def test_good_deep_link_values_work_and_show_no_notice(open_page: Callable[..., OpenedPage], built: Path) -> None:
    fragment = "#event=treaty-of-nerchinsk&view=51.5000,115.0000,7&from=1600-01-01&to=2021-12-31&base=plain"
    opened = open_page(built, fragment=fragment)
    drawn = assert_page_works(opened)
    assert drawn["zoom"] == 7 and abs(drawn["center"][0] - 51.5) < 0.01 and abs(drawn["center"][1] - 115.0) < 0.01
    assert opened.page.evaluate("() => Casemap.state.events[Casemap.state.selected].id") == "treaty-of-nerchinsk"
    assert opened.page.locator(".cm-notice li").count() == 0
    assert opened.requests == []


def test_the_notice_is_visible_on_top_and_can_be_dismissed(
    open_page: Callable[..., OpenedPage], built: Path, tmp_path: Path
) -> None:
    opened = open_page(built, fragment="#base=constructor&view=99,999,40&event=nope", width=1280, height=800)
    page = opened.page
    notice = page.locator(NOTICE)
    box = notice.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 20
    # Nothing covers it: the element at its centre is the notice or inside it.
    on_top = page.evaluate(
        """() => { const n = document.querySelector('.cm-notice'), r = n.getBoundingClientRect();
                   const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                   return n.contains(hit); }"""
    )
    assert on_top
    page.screenshot(path=str(tmp_path / "notice.png"))
    assert page.locator(".cm-notice li").count() == 3
    page.locator(".cm-notice button", has_text="Dismiss").click()
    assert not notice.is_visible()
    assert_page_works(opened)


# ---------- finding 15: tiles only after the reader chooses them ----------


def test_a_deep_link_to_a_tile_map_reaches_no_network_until_the_reader_chooses_it(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    opened = open_page(built, fragment="#base=streets")
    page = opened.page
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.wait_for_load_state("networkidle")
    assert opened.requests == [], opened.requests  # every http(s) request the page made since it opened
    assert not [url for url in seen if url.startswith(("http:", "https:"))]
    drawn = assert_page_works(opened)
    assert drawn["base"] == "plain"
    text = page.locator(NOTICE).inner_text()
    assert "not loaded" in text and "map key" in text and "streets" in text

    # The reader chooses the street map: now, and only now, tiles are asked for (answered here with an empty body).
    tiles: list[str] = []

    def fulfil(route: Any) -> None:
        tiles.append(route.request.url)
        route.fulfill(status=200, body=b"", content_type="image/png")

    page.route(re.compile(r"^https?://"), fulfil)
    if page.locator(".cm-key-toggle").get_attribute("aria-expanded") == "false":  # the map key holds the base maps
        page.locator(".cm-key-toggle").click()
    with page.expect_request(re.compile(r"^https://[a-z.]*tile\.openstreetmap\.org/")):
        page.locator("label", has_text="Street map").locator("input").check()
    assert page.evaluate("() => Casemap.state.base") == "streets"
    assert tiles and all("tile.openstreetmap.org" in url for url in tiles)


# ---------- fuzzing the fragment in one open page ----------

HOSTILE_VALUES = [
    "constructor",
    "__proto__",
    "prototype",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "__defineGetter__",
    "streets",
    "satellite",
    "plain",
    "1e308,1e308,99",
    "-1e308,-1e308,-99",
    "NaN,NaN,NaN",
    "Infinity,-Infinity,5",
    "-91,0,5",
    "0,-181,5",
    "51,115,2.9",
    "51,115,10.25",
    "0x10,0b1,0o7",
    "51,115,7,9",
    "",
    ",",
    "9999-99-99",
    "0000-00-00",
    "2021-02-30",
    "-2021-01-01",
    "２０２１-０１-０１",
    "2021-01-01T00:00",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "%",
    "%E0%A4%A",
    "%00",
    "\u202eevil",
    "Чита",
    "赤塔",
    "😀" * 20,
    "x" * 2000,
]
HOSTILE_KEYS = ["event", "view", "from", "to", "base", "constructor", "__proto__", "toString", ""]


def fragment_text(pairs: list[tuple[str, str, bool]]) -> str:
    """Join pairs into a fragment, each either percent-encoded or written raw as a person might paste it."""
    parts = [
        f"{quote(key, safe='')}={quote(value, safe='')}" if encode else f"{key}={value}" for key, value, encode in pairs
    ]
    return "#" + "&".join(parts)


# Numbers as a view might hold them: ordinary, huge, tiny, negative, NaN and infinities, joined by commas.
view_like = st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=4).map(
    lambda numbers: ",".join(repr(n) for n in numbers)
)
# Mostly the page's own parameters (that is where the handling is), sometimes any text as a name.
fragments = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(HOSTILE_KEYS), st.text(max_size=8)).filter(lambda key: "&" not in key),
        st.one_of(st.sampled_from(HOSTILE_VALUES), view_like, st.text(max_size=30)),
        st.booleans(),
    ),
    min_size=1,
    max_size=5,
).map(fragment_text)

# Set the fragment and resolve once the page's own hashchange handler has run (listeners run in order).
SET_HASH = """async (hash) => {
    const target = new URL(location.href); target.hash = hash;
    if (target.hash === location.hash || target.hash === '') { return false; }
    const done = new Promise((resolve, reject) => {
        window.addEventListener('hashchange', () => resolve(true), {once: true});
        setTimeout(() => reject(new Error('no hashchange within 5 s')), 5000);
    });
    location.hash = target.hash;
    return done;
}"""


@pytest.fixture(scope="module")
def fuzz_page(browser: Any, built: Path) -> Iterator[OpenedPage]:
    # One page for the whole module (hypothesis runs many examples on it); closed with the module.
    opened = open_offline(browser, built)
    yield opened
    opened.context.close()


def check_fragment(opened: OpenedPage, fragment: str) -> None:
    # The page is shared: report what this fragment caused, and never let an earlier failure pass unseen.
    errors_before, requests_before = len(opened.errors), len(opened.requests)
    opened.page.evaluate(SET_HASH, fragment)
    drawn = opened.page.evaluate(DRAWN_SCRIPT)
    assert opened.errors[errors_before:] == [], (fragment, opened.errors[errors_before:])
    assert opened.requests[requests_before:] == [], (fragment, opened.requests[requests_before:])
    assert opened.errors == [] and opened.requests == [], "an earlier fragment broke the page"
    assert drawn["krai"] and drawn["paths"] > 10 and drawn["rows"] > 0, (fragment, drawn)
    assert drawn["base"] == "plain", fragment
    assert opened.page.locator(".cm-notice img, .cm-notice script, .cm-notice svg").count() == 0, fragment


@pytest.mark.parametrize("key", ["event", "view", "from", "to", "base", "constructor"])
def test_every_hostile_value_for_every_parameter(fuzz_page: OpenedPage, key: str) -> None:
    for value in HOSTILE_VALUES:
        for encode in (True, False):
            check_fragment(fuzz_page, fragment_text([(key, value, encode)]))


@seed(20261126)
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fragment=fragments)
def test_generated_fragments_never_break_the_page(fuzz_page: OpenedPage, fragment: str) -> None:
    check_fragment(fuzz_page, fragment)


# ---------- finding 10, page side: properties of the wrong type leave gaps, never errors ----------

WRONG_TYPES = {
    "places": {
        "name": 5,
        "name_ru": {"a": 1},
        "name_zh": [1],
        "population": "many",
        "region": "constructor",
        "note": 7,
        "roles": "a role",
        "source": None,
    },
    "chita": {"name": "Chita", "roles": [None, 5, {"role": 5, "sources": "x"}, {"role": "Seat", "sources": [None, 7]}]},
    "depots": {
        "name": "A depot",
        "confidence": {"x": 1},
        "known": 3,
        "unknown": [],
        "radius_km": "x",
        "anchor_name": 1,
        "size_reason": None,
        "sources": [None, 5, {"id": "constructor"}, {"source": ["x"], "confirms": 9}],
    },
    "krai": "not an object",
}


@pytest.mark.parametrize("layer_key", list(WRONG_TYPES))
def test_a_feature_card_with_wrongly_typed_properties_opens_without_error(
    open_page: Callable[..., OpenedPage], built: Path, layer_key: str
) -> None:
    opened = open_page(built)
    opened.page.evaluate(
        """([key, properties]) => { const layer = Casemap.state.layers[key].getLayers()[0];
               layer.feature.properties = properties;
               layer.fire('click', {latlng: layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter()}); }""",
        [layer_key, WRONG_TYPES[layer_key]],
    )
    card = opened.page.locator(".cm-pane .cm-feature-card")
    card.wait_for(timeout=5_000)
    assert "Geometry:" in card.inner_text()
    assert opened.errors == []
    assert_page_works(opened)


def fatal_message(browser: Any, html: str, path: Path) -> str:
    """Open a broken page offline and return the alert it shows because it could not start."""
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.route(re.compile(r"^https?://"), lambda route: route.abort())
        page.goto(path.resolve().as_uri())
        fatal = page.locator(".cm-fatal[role='alert']")
        fatal.wait_for(timeout=10_000)
        return str(fatal.inner_text())
    finally:
        context.close()  # also when the alert never comes: the session's browser checks that none is left open


def _first_shape(payload: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(shape for layer in payload["geometry"].values() for shape in layer["shapes"] if shape["type"] == kind)


def _nest_point(payload: dict[str, Any]) -> None:
    point = _first_shape(payload, "Point")
    point["coordinates"] = [point["coordinates"]]  # [[x, y]]: one level too deep


def _fraction_in_a_line(payload: dict[str, Any]) -> None:
    _first_shape(payload, "LineString")["coordinates"][3] = 0.5  # a delta that is no whole number of 10^-d degree


def _odd_line(payload: dict[str, Any]) -> None:
    _first_shape(payload, "LineString")["coordinates"].append(7)  # half a position


def _open_ring(payload: dict[str, Any]) -> None:
    shape = _first_shape(payload, "MultiPolygon")
    shape["coordinates"][0][0][-1] += 1  # the last position no longer meets the first


def _beyond_the_pole(payload: dict[str, Any]) -> None:
    layer = next(layer for layer in payload["geometry"].values() if layer["shapes"][0]["type"] == "Point")
    layer["shapes"][0]["coordinates"][1] = 91 * 10 ** layer["decimals"]  # latitude 91 at the layer's scale


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (_nest_point, "flat-list-of-whole-positions"),
        (_fraction_in_a_line, "integers"),
        (_odd_line, "flat-list-of-whole-positions"),
        (_open_ring, "closed-ring"),
        (_beyond_the_pole, "longitude-latitude-in-range"),
    ],
    ids=["nested-point", "fraction", "odd-length", "open-ring", "latitude-91"],
)
def test_a_layer_the_page_cannot_draw_is_reported_in_the_page(
    browser: Any, built: Path, tmp_path: Path, spoil: Callable[[dict[str, Any]], None], expected: str
) -> None:
    """A layer's delta-encoded geometry (it travels in the data block, render.layer_geometry) that does not fit the
    format: features.js refuses it (decodeLayer) and the page says so, naming what it expected,
    instead of drawing it wrongly or showing a map without its layers."""
    html = built.read_text(encoding="utf-8")
    payload = read_block(html)  # the block as written: the events stay columns
    spoil(payload)
    packed = text85.encode(gzip.compress(json.dumps(payload).encode("utf-8"), mtime=0)).decode("ascii")
    html, replaced = re.subn(r'(id="casemap-data">)[^<]*(</script>)', lambda m: m[1] + packed + m[2], html)
    assert replaced == 1
    fatal = fatal_message(browser, html, tmp_path / "broken.html")
    assert "could not start" in fatal and "casemap-geometry:" in fatal and f":expected-{expected}" in fatal


def test_leaflet_draws_the_layer_files_coordinates(open_page: Callable[..., OpenedPage], built: Path) -> None:
    """What Leaflet holds after decoding is each layer file's geometry, number for number (Leaflet's toGeoJSON
    writes 6 decimals; the files have at most 4)."""
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    drawn = open_page(built).page.evaluate(
        """() => { const out = {}; Object.keys(Casemap.state.layers).forEach(function (key) {
            out[key] = Casemap.state.layers[key].toGeoJSON().features.map(function (f) { return f.geometry; });
        }); return out; }"""
    )
    for key, entry in manifest["layers"].items():
        features = json.loads((DATA / entry["file"]).read_text(encoding="utf-8"))["features"]
        expected = [{"type": f["geometry"]["type"], "coordinates": f["geometry"]["coordinates"]} for f in features]
        assert drawn[key] == expected, key


def test_a_start_script_the_csp_refuses_is_reported_in_the_page(browser: Any, built: Path, tmp_path: Path) -> None:
    """folium's script edited by one space: its hash no longer matches the CSP, the browser refuses it, Casemap.start
    never runs, and the page must say so."""
    html = built.read_text(encoding="utf-8")
    html, edited = re.subn(r'dataElement: "casemap-data"', 'dataElement:  "casemap-data"', html)
    assert edited == 1
    fatal = fatal_message(browser, html, tmp_path / "refused.html")
    assert "could not start" in fatal and "did not run" in fatal
