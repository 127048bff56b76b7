"""The time filter and the search as a reader uses them (issue #13, part B): one range control worked by keyboard
and pointer, the "became public" axis from a link, the selected event's lag, and a ranked search across scripts
whose results filter the list and come back from `q=` in the link.

Every expectation is computed from the case files (data/events.yaml, sources.yaml, depots.yaml, case.yaml)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from geo.casefile.case import Case, read_case
from geo.casefile.casedata import parse_depots, parse_sources
from geo.casefile.events import parse_events
from geo.casefile.records import Event, Interval, Source
from geo.common.errors import Problem
from tests.conftest import DATA
from tests.pagekit import OpenedPage

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844, "device": {"has_touch": True, "is_mobile": True}}
SHOWN_IDS = "() => Casemap.state.shown.map(i => Casemap.state.events[i].id)"
EVENT_OPTIONS = (
    "() => Array.from(document.querySelectorAll('#cm-search-results [data-event]')).map(o => o.dataset.event)"
)
PLACE_OPTIONS = (
    "() => Array.from(document.querySelectorAll('#cm-search-results [data-place]')).map(o => o.dataset.place)"
)


def read_or_fail(problems: list[Problem]) -> None:
    assert problems == [], problems


def case_records() -> Case:
    problems: list[Problem] = []
    case = read_case(DATA, problems)
    read_or_fail(problems)
    assert case is not None
    return case


def case_events() -> list[Event]:
    problems: list[Problem] = []
    categories = tuple(category.id for category in case_records().categories)
    events, _ = parse_events(DATA / "events.yaml", problems, categories=categories)
    read_or_fail(problems)
    return events


def case_sources() -> dict[str, Source]:
    problems: list[Problem] = []
    sources = parse_sources(DATA / "sources.yaml", problems)
    read_or_fail(problems)
    return sources


def overlapping(events: list[Event], start: str, end: str, *, public: bool) -> set[str]:
    """The events whose interval on the axis (public where it has one, when it happened otherwise) meets the window."""
    found = set()
    for event in events:
        interval: Interval = event.public if public and event.public is not None else event.when
        if interval.end >= start and interval.start <= end:
            found.add(event.id)
    return found


def event_text(event: Event, sources: dict[str, Source], category_labels: dict[str, str]) -> str:
    """What the page says it searches besides titles and places: texts, claims, statuses, sources' outlets."""
    parts = [event.description, event.when.label, event.public.label if event.public else "", event.where.note]
    parts.append(category_labels.get(event.category, ""))
    for claim in event.claims:
        parts += [claim.quote, claim.reason, claim.other_account, claim.status]
        parts += [f"{sources[s].outlet} {sources[s].title} {sources[s].title_en}" for s in claim.sources]
    for citation in event.sources:
        source = sources[citation.source]
        parts += [citation.confirms, source.outlet, source.title, source.title_en]
    return " ".join([event.title, *parts]).casefold()


def human_day(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("timeline") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


@pytest.fixture
def opened(open_page: Callable[..., OpenedPage], built: Path) -> OpenedPage:
    return open_page(built, width=1280, height=800)


def count_line(page: Any) -> str:
    return str(page.locator(".cm-count").inner_text())


def search(page: Any, query: str) -> None:
    page.locator("input.cm-search").fill(query)
    page.wait_for_selector("#cm-search-results [role=option]")


# --- the two axes -------------------------------------------------------------------------------------------------


def discriminating_window(events: list[Event]) -> tuple[str, str]:
    """A window (an event's public interval) where the two axes show different events: the test can tell them apart."""
    for event in events:
        if event.public is None:
            continue
        start, end = event.public.start, event.public.end
        if overlapping(events, start, end, public=True) != overlapping(events, start, end, public=False):
            return start, end
    raise AssertionError("no event's public interval tells the two axes apart")


@pytest.mark.parametrize("window", ["issue", "discriminating"])
def test_a_public_axis_link_shows_exactly_the_events_public_in_the_window(
    open_page: Callable[..., OpenedPage], built: Path, window: str
) -> None:
    events = case_events()
    start, end = ("2021-02-01", "2021-03-31") if window == "issue" else discriminating_window(events)
    opened = open_page(built, fragment=f"#axis=public&from={start}&to={end}")
    expected = overlapping(events, start, end, public=True)
    shown = opened.page.evaluate(SHOWN_IDS)
    assert set(shown) == expected and len(shown) == len(expected)
    assert f"{len(expected)} of {len(events)} events" in count_line(opened.page)
    assert opened.page.get_by_role("radio", name="Became public").is_checked()
    assert opened.page.locator(".cm-notice-list li").count() == 0  # the link's axis was understood, not ignored
    # Back to "Happened": the same days, now on the axis of when events happened.
    opened.page.get_by_role("radio", name="Happened").check()
    ticks = opened.page.evaluate(
        "() => [Casemap.state.ticks[Casemap.state.range[0]], Casemap.state.ticks[Casemap.state.range[1]]]"
    )
    assert set(opened.page.evaluate(SHOWN_IDS)) == overlapping(events, ticks[0], ticks[1], public=False)
    assert opened.errors == []


def test_the_axis_is_written_to_the_link_only_when_it_is_public(opened: OpenedPage) -> None:
    page = opened.page
    page.get_by_role("radio", name="Became public").check()
    page.wait_for_url(lambda url: "axis=public" in url, timeout=5_000)
    page.get_by_role("radio", name="Happened").check()
    page.wait_for_url(lambda url: "axis=" not in url, timeout=5_000)


def test_the_selected_events_lag_is_drawn_and_said_in_its_card(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    events = case_events()
    with_public = next(e for e in events if e.public is not None)
    without = next(e for e in events if e.public is None)
    opened = open_page(built, fragment=f"#event={with_public.id}")
    assert opened.page.locator(".cm-lag").is_visible()
    lag = opened.page.locator(".cm-pane .cm-lag-text").inner_text()
    assert lag.startswith("Known publicly") and "later" in lag
    # The line runs from where the event happened to where it became public on the scale: it has a width.
    assert opened.page.locator(".cm-lag").bounding_box()["width"] > 2
    other = open_page(built, fragment=f"#event={without.id}").page
    assert other.locator(".cm-pane .cm-event-card").count() == 1
    assert other.locator(".cm-lag").is_hidden()
    assert other.locator(".cm-pane .cm-lag-text").count() == 0


# --- the range control ----------------------------------------------------------------------------------------------


def test_the_range_control_works_by_keyboard_alone(opened: OpenedPage) -> None:
    events = case_events()
    ticks = sorted({day for e in events for day in (e.when.start, e.when.end)})
    page = opened.page
    start, until = (
        page.get_by_role("slider", name="Show events from"),
        page.get_by_role("slider", name="Show events until"),
    )
    assert until.get_attribute("aria-valuetext") == human_day(ticks[-1])
    start.focus()
    # End takes "from" as far as it may go: up to "until" (the last day), never past it.
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    assert start.get_attribute("aria-valuetext") == human_day(ticks[-1])
    assert set(page.evaluate(SHOWN_IDS)) == overlapping(events, ticks[-1], ticks[-1], public=False)
    page.keyboard.press("Home")
    assert len(page.evaluate(SHOWN_IDS)) == len(events)
    until.focus()
    page.keyboard.press("Home")  # down to "from", the first day
    assert set(page.evaluate(SHOWN_IDS)) == overlapping(events, ticks[0], ticks[0], public=False)
    assert until.get_attribute("aria-valuetext") == human_day(ticks[0])
    page.keyboard.press("ArrowRight")
    expected = overlapping(events, ticks[0], ticks[1], public=False)
    assert set(page.evaluate(SHOWN_IDS)) == expected
    assert f"{len(expected)} of {len(events)} events" in count_line(page)
    assert until.get_attribute("aria-valuenow") == "1" and start.get_attribute("aria-valuemax") == "1"
    page.keyboard.press("PageUp")
    page.keyboard.press("End")
    assert len(page.evaluate(SHOWN_IDS)) == len(events)


def test_the_thumbs_follow_a_finger_and_are_large_enough_to_touch(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    events = case_events()
    page = open_page(built, **PHONE).page
    until = page.get_by_role("slider", name="Show events until")
    until.scroll_into_view_if_needed()
    box = until.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    track = page.locator(".cm-track").bounding_box()
    # A tap at 60 % of the track brings the nearer thumb ("until") there; the list follows.
    page.touchscreen.tap(track["x"] + track["width"] * 0.6, track["y"] + track["height"] / 2)
    ticks = page.evaluate(
        "() => [Casemap.state.ticks[Casemap.state.range[0]], Casemap.state.ticks[Casemap.state.range[1]]]"
    )
    assert ticks[1] < max(e.when.end for e in events)
    assert set(page.evaluate(SHOWN_IDS)) == overlapping(events, ticks[0], ticks[1], public=False)
    assert 0 < len(page.evaluate(SHOWN_IDS)) < len(events)


# --- search ---------------------------------------------------------------------------------------------------------


def test_a_name_in_another_script_finds_the_persons_events(opened: OpenedPage) -> None:
    aliases = next(a for a in case_records().aliases if a.term == "Vasilyev")
    assert "Васильев" in aliases.aliases
    person = {e.id for e in case_events() if "vasilyev" in e.title.casefold()}
    assert person
    for spelling in ("Васильев", "瓦西里耶夫"):
        search(opened.page, spelling)
        assert person <= set(opened.page.evaluate(EVENT_OPTIONS)), spelling
        assert person <= set(opened.page.evaluate(SHOWN_IDS)), spelling


def test_verdict_puts_the_vasilyev_verdict_first(opened: OpenedPage) -> None:
    verdict = next(e for e in case_events() if e.id == "vasilyev-verdict")
    assert "verdict" in verdict.title.casefold().split()
    search(opened.page, "verdict")
    first = opened.page.locator("#cm-search-results [role=option]").first
    assert first.get_attribute("data-event") == verdict.id


def test_depot_lists_every_depot_region(opened: OpenedPage) -> None:
    problems: list[Problem] = []
    depots = {depot.id for depot in parse_depots(DATA / "depots.yaml", problems)}
    read_or_fail(problems)
    search(opened.page, "depot")
    assert depots <= set(opened.page.evaluate(PLACE_OPTIONS))


@pytest.mark.parametrize("query", ["Reuters", "disputed"])
def test_outlets_and_statuses_are_searched_and_a_q_link_filters_the_list(
    open_page: Callable[..., OpenedPage], built: Path, query: str
) -> None:
    events, sources = case_events(), case_sources()
    assert not any(query.casefold() in (s.casefold() for s in [a.term, *a.aliases]) for a in case_records().aliases)
    labels = {c.id: c.label for c in case_records().categories}
    expected = {e.id for e in events if query.casefold() in event_text(e, sources, labels)}
    assert 0 < len(expected) < len(events)
    opened = open_page(built, width=1280, height=800, fragment=f"#q={query}")
    assert opened.page.locator("input.cm-search").input_value() == query
    assert set(opened.page.evaluate(SHOWN_IDS)) == expected
    assert f"{len(expected)} of {len(events)} events" in count_line(opened.page)
    # Clearing the query restores the whole list and takes q out of the link.
    opened.page.locator("input.cm-search").fill("")
    assert len(opened.page.evaluate(SHOWN_IDS)) == len(events)
    opened.page.wait_for_url(lambda url: "q=" not in url, timeout=5_000)


def test_nibchu_finds_the_treaty_its_claim_quotes(opened: OpenedPage) -> None:
    quoted = {e.id for e in case_events() if any("Nibchu" in c.quote for c in e.claims)}
    assert quoted
    search(opened.page, "Nibchu")
    assert quoted <= set(opened.page.evaluate(EVENT_OPTIONS))


def test_the_results_filter_the_list_and_every_one_is_reached_by_the_arrow_keys(opened: OpenedPage) -> None:
    page = opened.page
    search(page, "china")
    options = page.locator("#cm-search-results [role=option]:not([aria-disabled])")
    count = options.count()
    events = page.evaluate(EVENT_OPTIONS)
    # More results than the 20 the box once cut at, and the list holds exactly the events among them.
    assert count > 20
    assert sorted(page.evaluate(SHOWN_IDS)) == sorted(events)
    assert f"{len(events)} of {len(case_events())} events" in count_line(page)
    for _ in range(count):
        page.keyboard.press("ArrowDown")
    last = options.nth(count - 1)
    assert page.locator("input.cm-search").get_attribute("aria-activedescendant") == last.get_attribute("id")
    assert last.get_attribute("aria-selected") == "true" and last.is_visible()
    page.keyboard.press("ArrowDown")  # past the last: back to the first
    page.keyboard.press("ArrowUp")  # and up again to the last
    assert page.locator("input.cm-search").get_attribute("aria-activedescendant") == last.get_attribute("id")


def test_a_click_outside_closes_the_results_and_keeps_the_query(opened: OpenedPage) -> None:
    page = opened.page
    search(page, "chita")
    map_box = page.locator(".folium-map").bounding_box()
    page.mouse.click(map_box["x"] + 30, map_box["y"] + map_box["height"] / 2)
    assert page.locator("#cm-search-results [role=option]").count() == 0
    assert page.locator("input.cm-search").get_attribute("aria-expanded") == "false"
    assert page.locator("input.cm-search").input_value() == "chita"


def test_a_tap_outside_closes_the_results_on_a_phone(open_page: Callable[..., OpenedPage], built: Path) -> None:
    page = open_page(built, **PHONE).page
    search(page, "chita")
    page.locator(".cm-panel header h1").tap()
    assert page.locator("#cm-search-results [role=option]").count() == 0
