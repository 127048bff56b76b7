"""Deep links carry all the state a reader sets, history follows the chosen events, and Copy link copies the link
(issue #13, part C), in Debian Chromium. Expectations come from the page's own data block (the case's data)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from build_map import main
from tests.conftest import DATA
from tests.pagekit import OpenedPage, read_payload

pytestmark = pytest.mark.browser

# What a link can say, read from the page: the opened event, the view, the time range, categories, layers, base.
STATE = """() => { const s = Casemap.state, c = s.map.getCenter();
    return {event: s.selected === null ? null : s.events[s.selected].id,
            view: [Number(c.lat.toFixed(4)), Number(c.lng.toFixed(4)), s.map.getZoom()],
            range: [s.ticks[s.range[0]], s.ticks[s.range[1]]],
            categories: Array.from(s.categoryText.keys()).filter(id => s.categories.get(id) !== false),
            layers: s.data.layers.map(l => l.key).filter(k => s.layerOn.get(k)),
            base: s.base, shown: s.shown.length,
            card: document.querySelector('.cm-pane:not([hidden]) .cm-event-card h2')?.textContent ?? null}; }"""
NOTICE = ".cm-notice[role='status']"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("links") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def data(built: Path) -> dict[str, Any]:
    return read_payload(built.read_text(encoding="utf-8"))


def parameters(url: str) -> dict[str, str]:
    fragment = url.split("#", 1)[1] if "#" in url else ""
    return {name: unquote(value) for name, _, value in (part.partition("=") for part in fragment.split("&") if part)}


def wait_for_link(page: Any, wanted: Callable[[dict[str, str]], bool]) -> dict[str, str]:
    """Wait until the page has written a link that satisfies ``wanted`` (writes are debounced, 150 ms)."""
    page.wait_for_url(lambda url: wanted(parameters(url)), timeout=10_000)
    return parameters(page.url)


def choose(page: Any, event_id: str) -> None:
    """Choose an event as a reader does: its row in the list, clicked."""
    index = page.evaluate("(id) => Casemap.state.events.findIndex(e => e.id === id)", event_id)
    assert index >= 0, event_id
    page.evaluate("(i) => Casemap.state.list.reveal(i)", index)
    page.locator(f"#cm-event-{index}").click()
    page.wait_for_selector(f".cm-pane .cm-event-card[data-event='{event_id}']", timeout=5_000)


def test_every_parameter_round_trips_through_the_link(
    open_page: Callable[..., OpenedPage], built: Path, data: dict[str, Any]
) -> None:
    events = data["events"]
    event = next(e for e in events if e["category"] == "case" and e["where"]["precision"] == "settlement")
    hidden_category = next(c["id"] for c in data["categories"] if c["id"] != event["category"])
    layer_off = next(layer["key"] for layer in data["layers"] if layer["visible"])
    layer_on = next(layer["key"] for layer in data["layers"] if not layer["visible"])
    days = sorted({day for e in events for day in (e["when"]["start"], e["when"]["end"])})
    # A range strictly inside all time that holds the event: from its start to the day before the last.
    from_index, to_index = days.index(event["when"]["start"]), len(days) - 2
    assert from_index > 0 and days[to_index] >= event["when"]["end"]
    opened = open_page(built, width=1280, height=800)
    page = opened.page
    page.locator(f".cm-categories input[data-category='{hidden_category}']").uncheck()
    page.locator(f".cm-key-layer[data-layer='{layer_off}'] input").uncheck()
    page.locator(f".cm-key-layer[data-layer='{layer_on}'] input").check()
    page.evaluate(
        # What a drag or a key on each thumb does (time.js RangeControl.moveThumb).
        "([a, b]) => { const t = Casemap.state.time; t.moveThumb(0, a); t.moveThumb(1, b); }",
        [from_index, to_index],
    )
    choose(page, event["id"])
    page.evaluate("() => Casemap.state.map.setView([52.1, 113.4], 7, {animate: false})")
    shown_categories = [c["id"] for c in data["categories"] if c["id"] != hidden_category]
    shown_layers = [
        layer["key"]
        for layer in data["layers"]
        if (layer["visible"] and layer["key"] != layer_off) or layer["key"] == layer_on
    ]
    expected = {
        "event": event["id"],
        "view": "52.1000,113.4000,7",
        "from": days[from_index],
        "to": days[to_index],
        "cat": ",".join(shown_categories),
        "layers": ",".join(shown_layers),
    }
    link = wait_for_link(page, lambda p: all(p.get(name) == value for name, value in expected.items()))
    before = page.evaluate(STATE)
    assert before["categories"] == shown_categories and before["layers"] == shown_layers
    again = open_page(built, fragment="#" + page.url.split("#", 1)[1], width=1280, height=800)
    after = again.page.evaluate(STATE)
    assert after == before, link
    assert again.page.locator(".cm-notice li").count() == 0
    assert opened.errors == [] and again.errors == []


# The story's, the time axis's and the search's parameters: each one alone in a link comes back in the page's own
# link (the page applied it), with no notice about it. The chapter is the story's first (data/story.yaml).
FEATURE_LINKS = [
    ("status", "corrected"),
    ("axis", "public"),
    ("q", "verdict"),
    ("panel", "claims"),
    ("chapter", None),
]


@pytest.mark.parametrize(("name", "value"), FEATURE_LINKS, ids=[s[0] for s in FEATURE_LINKS])
def test_a_feature_parameter_round_trips(
    open_page: Callable[..., OpenedPage], built: Path, data: dict[str, Any], name: str, value: str | None
) -> None:
    if value is None:
        value = data["story"]["chapters"][0]["id"]
    opened = open_page(built, fragment=f"#{name}={value}")
    assert wait_for_link(opened.page, lambda p: p.get(name) == value)[name] == value
    assert name not in opened.page.locator(".cm-notice").inner_text()
    assert opened.errors == []


BAD_LINKS = [
    # (fragment, parameter named, value named)
    ("#cat=no-such-category", "cat", "no-such-category"),
    ("#cat=case,constructor", "cat", "constructor"),
    ("#layers=no-such-layer", "layers", "no-such-layer"),
    ("#layers=krai,__proto__", "layers", "__proto__"),
    ("#view=99,999,40", "view", "99,999,40"),
    ("#event=no-such-event", "event", "no-such-event"),
    ("#from=2021-02-30", "from", "2021-02-30"),
]


@pytest.mark.parametrize(("fragment", "name", "value"), BAD_LINKS, ids=[f for f, _, _ in BAD_LINKS])
def test_each_kind_of_bad_value_is_named_in_the_notice(
    open_page: Callable[..., OpenedPage], built: Path, fragment: str, name: str, value: str
) -> None:
    opened = open_page(built, fragment=fragment)
    notice = opened.page.locator(NOTICE)
    assert notice.is_visible()
    assert f"Link ignored: {name} = “{value}”" in notice.inner_text()
    # The known ids of a list still apply; an all-unknown list is ignored rather than hiding everything.
    state = opened.page.evaluate(STATE)
    if fragment == "#cat=case,constructor":
        assert state["categories"] == ["case"]
    if fragment == "#layers=no-such-layer":
        assert state["layers"] == [
            layer["key"] for layer in read_payload(built.read_text("utf-8"))["layers"] if layer["visible"]
        ]
    assert opened.errors == [] and opened.requests == []


def test_a_linked_event_the_filters_hide_is_shown_and_the_notice_says_so(
    open_page: Callable[..., OpenedPage], built: Path, data: dict[str, Any]
) -> None:
    old = min(data["events"], key=lambda e: e["when"]["start"])
    window = ("2019-01-01", "2021-12-31")
    assert old["when"]["end"] < window[0] and old["category"] != "case"
    opened = open_page(built, fragment=f"#event={old['id']}&from={window[0]}&to={window[1]}&cat=case")
    state = opened.page.evaluate(STATE)
    assert state["event"] == old["id"] and state["card"] == old["title"]
    assert opened.page.evaluate("() => Casemap.state.visible[Casemap.state.selected]") == 1
    assert state["range"][0] <= old["when"]["start"] and old["category"] in state["categories"]
    text = opened.page.locator(NOTICE).inner_text()
    assert f"Link adjusted: event = “{old['id']}”" in text and "time range was widened" in text, text


def test_back_after_choosing_two_events_returns_to_the_first(
    open_page: Callable[..., OpenedPage], built: Path, data: dict[str, Any]
) -> None:
    first, second = [e["id"] for e in data["events"] if e["where"]["precision"] == "settlement"][:2]
    opened = open_page(built)
    page = opened.page
    start = wait_for_link(page, lambda p: "view" in p)
    choose(page, first)
    wait_for_link(page, lambda p: p.get("event") == first)
    # Moving the map replaces the entry: Back must still skip it and return to the first event, not an older view.
    page.evaluate("() => Casemap.state.map.setView([51.0, 114.0], 6, {animate: false})")
    wait_for_link(page, lambda p: p.get("view") == "51.0000,114.0000,6")
    choose(page, second)
    wait_for_link(page, lambda p: p.get("event") == second)
    page.go_back()
    wait_for_link(page, lambda p: p.get("event") == first)
    page.wait_for_selector(f".cm-pane .cm-event-card[data-event='{first}']", timeout=5_000)
    state = page.evaluate(STATE)
    assert state["event"] == first and state["view"] == [51.0, 114.0, 6]
    page.go_back()
    wait_for_link(page, lambda p: "event" not in p)
    page.wait_for_selector(".cm-pane", state="hidden", timeout=5_000)
    assert page.evaluate(STATE)["event"] is None and parameters(page.url)["view"] == start["view"]
    page.go_forward()
    wait_for_link(page, lambda p: p.get("event") == first)
    assert page.evaluate(STATE)["event"] == first
    assert opened.errors == []


def settle(page: Any) -> None:
    """Wait until the map has stopped flying and the link holds the view it stopped at (the next write each time).
    Stopped: the view is the same after two animation frames (a flight moves it at every frame; a write made
    mid-flight can equal the view read just after it, which is how the copy test once read a flight's middle)."""
    frames = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

    def written(view: list[float]) -> str:
        return ",".join(f"{n:.4f}" for n in view[:2]) + f",{view[2]}"

    for _ in range(40):
        before = page.evaluate(STATE)["view"]
        page.evaluate(frames)
        link, view = parameters(page.url).get("view"), page.evaluate(STATE)["view"]
        if link == written(view):
            if view == before:
                return
            continue  # still moving: the link will follow
        url = page.url
        page.wait_for_url(lambda now, url=url: now != url, timeout=5_000)
    raise AssertionError(f"the link never held the map's view: {page.url}")


@pytest.mark.parametrize("where", [".cm-panel-foot", ".cm-pane-bar"])
def test_copy_link_puts_the_current_link_on_the_clipboard(
    open_page: Callable[..., OpenedPage], built: Path, data: dict[str, Any], where: str
) -> None:
    event = data["events"][-1]["id"]
    opened = open_page(built, device={"permissions": ["clipboard-read", "clipboard-write"]})
    page = opened.page
    choose(page, event)
    settle(page)
    page.locator(f"{where} .cm-copy-link").click()
    page.wait_for_selector("#cm-announcer:has-text('Link copied')", state="attached", timeout=5_000)
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.evaluate("() => location.href")
    assert parameters(copied)["event"] == event
