"""The reader by keyboard and screen reader (issue #12): axe-core finds nothing at the four screens, the Tab order
starts with a skip link and holds no map shape, Enter opens and Escape closes, the method panel is a modal dialog,
the list is a listbox whose every row a screen reader can reach, and selection is announced.

axe-core is the npm package pinned in tests/browser/axe/package-lock.json (python3 tasks.py test installs it),
injected into a context with bypass_csp=True (tests/axekit.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_map import main
from tests.axekit import VIEWPORTS, axe_missing, open_for_axe, pinned_axe_version, run_axe
from tests.conftest import DATA, ROOT, missing_capability
from tests.pagekit import OpenedPage

pytestmark = pytest.mark.browser

# Whatever shows the selected event's card: the details pane (layout's .cm-pane) or, before it, a Leaflet popup.
OPEN_CARD = ".cm-pane:not([hidden]), .leaflet-popup"
# Everything the keyboard can reach, as browsers decide it (tabindex >= 0 or natively focusable, and shown).
TAB_STOPS = """() => Array.from(document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex], path, svg, img')).filter(e =>
    e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0 && !e.closest('[hidden], [inert]'))"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("access") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


@pytest.fixture
def open_at(browser: Any, built: Path) -> Iterator[Callable[..., OpenedPage]]:
    """Open the built page at one of the four screens (axe injectable); every context is closed at the end."""
    opened: list[OpenedPage] = []

    def open_(viewport: str = "laptop-1280x800", fragment: str = "") -> OpenedPage:
        page = open_for_axe(browser, built, viewport=viewport, fragment=fragment)
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.context.close()


@pytest.fixture
def axe_installed() -> None:
    problem = axe_missing()
    if problem is not None:
        missing_capability(problem)


def message(key: str) -> str:
    """An English interface text, as the catalogue has it (geo/page/messages/en.yaml)."""
    found: str = yaml.safe_load((ROOT / "geo" / "page" / "messages" / "en.yaml").read_text(encoding="utf-8"))[key]
    return found


def focused(page: Any) -> dict[str, Any]:
    """What has the keyboard focus: its tag, id, role, classes, text, and whether it is part of the map's drawing or
    one of the map's controls."""
    found: dict[str, Any] = page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName.toLowerCase(), id: e.id, role: e.getAttribute('role') || '',
                           cls: String(e.className && e.className.baseVal !== undefined ? e.className.baseVal : e.className),
                           text: (e.textContent || '').trim().slice(0, 80),
                           inMap: !!e.closest('.leaflet-pane'), inControl: !!e.closest('.leaflet-control'),
                           inStory: !!e.closest('.cm-story'), inLanguage: !!e.closest('.cm-language')}; }"""
    )
    return found


def announced(page: Any) -> str:
    return page.locator("#cm-announcer").text_content() or ""


def skip_to_the_list(page: Any) -> None:
    """The second skip link (Tab, Tab, Enter): the focus is on the list of events."""
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def select_first_event_by_keyboard(page: Any) -> str:
    """Skip link to the list, Enter: the first event is opened. Returns the id of the event the list shows first."""
    skip_to_the_list(page)
    first = page.locator("#cm-list [role=option]").first.get_attribute("data-event")
    page.keyboard.press("Enter")
    wait_for_card(page)
    return str(first)


def wait_for_card(page: Any) -> None:
    """The card is shown and done appearing: Leaflet fades a popup in (opacity 0 -> 1 over 0.2 s), and text measured
    mid-fade has too little contrast (axe read 1.1:1 for a popup's text caught early)."""
    page.wait_for_selector(OPEN_CARD)
    page.wait_for_function(
        "s => Array.from(document.querySelectorAll(s)).every(e => getComputedStyle(e).opacity === '1')", arg=OPEN_CARD
    )


def open_method_dialog(page: Any) -> Any:
    opener = page.get_by_role("button", name="Sources and method")
    opener.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("[role=dialog][aria-modal=true]:not([hidden])")
    return opener


# --- axe-core --------------------------------------------------------------------------------------------------


def axe_in_every_state(page: Any) -> dict[str, list[str]]:
    """axe's violations after load, with search results shown, with an event selected, and with the method dialog
    open: one page, the states in turn (each undone by the keyboard before the next)."""
    found = {"loaded": run_axe(page)}
    page.locator(".cm-search").fill("chi")
    page.wait_for_selector("#cm-search-results [role=option]")
    found["search results shown"] = run_axe(page)
    page.keyboard.press("Escape")
    page.locator("#cm-list [role=option]").first.click()
    wait_for_card(page)
    found["event selected"] = run_axe(page)
    page.keyboard.press("Escape")
    open_method_dialog(page)
    found["method dialog open"] = run_axe(page)
    return {state: [str(v) for v in violations] for state, violations in found.items() if violations}


@pytest.mark.usefixtures("axe_installed")
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_axe_finds_no_violation(open_at: Callable[..., OpenedPage], viewport: str) -> None:
    opened = open_at(viewport)
    violations = axe_in_every_state(opened.page)
    assert opened.page.evaluate("() => axe.version") == pinned_axe_version()
    assert violations == {}, "\n".join(f"{state}: {v}" for state, found in violations.items() for v in found)
    assert opened.errors == []


def test_axe_harness_reports_a_violation_it_is_shown(open_at: Callable[..., OpenedPage], axe_installed: None) -> None:
    """The harness is not blind: an image without a text alternative, added to the page, is reported by rule."""
    page = open_at().page
    page.evaluate("() => document.body.appendChild(Object.assign(document.createElement('img'), {id: 'cm-probe'}))")
    rules = {v.rule: v.targets for v in run_axe(page)}
    assert rules.get("image-alt") == ("#cm-probe",)


# --- Tab order -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_first_tab_stops_are_skip_links_to_the_case_and_to_the_list(
    open_at: Callable[..., OpenedPage], viewport: str
) -> None:
    page = open_at(viewport).page
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "a" and "cm-skip" in first["cls"] and first["text"] == message("access.skip_case"), first
    # Shown while it has focus (a skip link nobody can see helps no sighted keyboard user).
    box = page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
    assert box["width"] > 20 and box["height"] > 10 and box["top"] >= 0 and box["left"] >= 0, box
    page.keyboard.press("Enter")
    # The case in brief: its heading has the focus, and the next Tab stop is inside the panel, not the map.
    assert focused(page)["id"] == "cm-summary-title"
    page.keyboard.press("Tab")
    after = focused(page)
    assert not after["inMap"] and not after["inControl"] and after["role"] != "region", after
    page = open_at(viewport).page
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    second = focused(page)
    assert "cm-skip" in second["cls"] and second["text"] == message("access.skip"), second
    page.keyboard.press("Enter")
    assert focused(page)["role"] == "listbox"


def test_no_map_shape_is_a_tab_stop(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    shapes = page.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length")
    assert shapes > 10  # the drawn layers are there ...
    stops = page.evaluate(f"() => ({TAB_STOPS})().map(e => !!e.closest('.leaflet-pane'))")
    assert stops and not any(stops)  # ... and none of them is in the Tab order
    # Walking the Tab order for real, from the skip link to the search box: only the map itself (one stop, Leaflet's
    # arrow-key panning), its controls and the case in brief above the search (its link and buttons) come between;
    # no shape (today 29 unnamed shapes stood first).
    walked: list[dict[str, Any]] = []
    while len(walked) < 40 and not (walked and "cm-search" in walked[-1]["cls"]):
        page.keyboard.press("Tab")
        walked.append(focused(page))
    assert "cm-skip" in walked[0]["cls"] and "cm-skip" in walked[1]["cls"] and "cm-search" in walked[-1]["cls"], walked
    between = walked[2:-1]
    assert not any(stop["inMap"] for stop in between), between
    assert all(
        stop["role"] == "region" or stop["inControl"] or stop["inStory"] or stop["inLanguage"] for stop in between
    ), between
    # The language switch under the title: its three buttons (issue #14).
    assert sum(stop["inLanguage"] for stop in between) == 3, between


# --- the list --------------------------------------------------------------------------------------------------


def test_the_list_is_a_listbox_whose_rows_say_where_they_are(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    total = page.evaluate("() => Casemap.state.shown.length")
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('#cm-list [role=option]')).map(o => ({
             setsize: o.getAttribute('aria-setsize'), posinset: o.getAttribute('aria-posinset'),
             focusables: o.querySelectorAll('a, button, input, select, textarea, [tabindex]').length}))"""
    )
    assert 0 < len(rows) < total  # virtualised: fewer rows exist than events ...
    assert {r["setsize"] for r in rows} == {str(total)}  # ... but each says how many there are
    positions = [int(r["posinset"]) for r in rows]
    assert positions == list(range(positions[0], positions[0] + len(rows)))
    assert all(r["focusables"] == 0 for r in rows)  # no button inside an option


# The listbox's active row: it exists inside the listbox, its position in the set, and whether it is scrolled into view.
ACTIVE_ROW = """() => { const box = document.getElementById('cm-list');
    const id = box.getAttribute('aria-activedescendant'), row = id ? document.getElementById(id) : null;
    if (!row || !box.contains(row)) { return {ok: false, pos: 0, shown: false}; }
    const r = row.getBoundingClientRect(), b = box.getBoundingClientRect();
    return {ok: true, pos: Number(row.getAttribute('aria-posinset')), shown: r.top >= b.top - 1 && r.bottom <= b.bottom + 1}; }"""


def test_every_row_is_reachable_by_keyboard_and_activedescendant_stays_valid(
    open_at: Callable[..., OpenedPage],
) -> None:
    page = open_at().page
    total = page.evaluate("() => Casemap.state.shown.length")
    skip_to_the_list(page)
    seen: list[int] = []
    for _ in range(total):
        state = page.evaluate(ACTIVE_ROW)
        assert state["ok"] and state["shown"], state
        seen.append(state["pos"])
        page.keyboard.press("ArrowDown")
    assert seen == list(range(1, total + 1))
    page.keyboard.press("Home")
    assert page.evaluate(ACTIVE_ROW)["pos"] == 1
    page.keyboard.press("End")
    assert page.evaluate(ACTIVE_ROW)["pos"] == total
    page.keyboard.press("PageUp")
    assert 1 <= page.evaluate(ACTIVE_ROW)["pos"] < total


def test_enter_opens_the_active_event_and_announces_it(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    first = select_first_event_by_keyboard(page)
    title = page.evaluate(f"() => Casemap.state.events.find(e => e.id === {first!r}).title")
    assert page.locator(f"#cm-list [role=option][data-event='{first}']").get_attribute("aria-selected") == "true"
    assert title in announced(page)
    live = page.locator("#cm-announcer")
    assert live.get_attribute("aria-live") == "polite" or live.get_attribute("role") == "status"
    # The selection stays in the URL. link.js writes the link 150 ms after the last change, and the fly to the event
    # is a change (moveend), so the link is written after the card has faded in: wait for it rather than race it.
    page.wait_for_function("id => location.hash.includes('event=' + id)", arg=first, timeout=5000)


def test_selection_from_elsewhere_is_announced(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    page.get_by_role("button", name="Next event", exact=True).click()
    first = page.evaluate("() => Casemap.state.events[Casemap.state.shown[0]].title")
    page.wait_for_function("t => document.getElementById('cm-announcer').textContent.includes(t)", arg=first)
    page.get_by_role("button", name="Next event", exact=True).click()
    second = page.evaluate("() => Casemap.state.events[Casemap.state.shown[1]].title")
    page.wait_for_function("t => document.getElementById('cm-announcer').textContent.includes(t)", arg=second)


# --- Escape ----------------------------------------------------------------------------------------------------


def test_escape_closes_the_card_and_returns_to_the_list(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    first = select_first_event_by_keyboard(page)
    page.keyboard.press("Escape")
    page.wait_for_selector(OPEN_CARD, state="hidden")
    now = focused(page)
    assert now["role"] == "listbox", now
    active = page.evaluate("() => document.getElementById('cm-list').getAttribute('aria-activedescendant')")
    assert page.locator(f"#{active}").get_attribute("data-event") == first


def test_escape_closes_search_results(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    search = page.locator(".cm-search")
    search.fill("chi")
    page.wait_for_selector("#cm-search-results [role=option]")
    assert search.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert page.locator("#cm-search-results [role=option]").count() == 0
    assert search.get_attribute("aria-expanded") == "false"
    assert "cm-search" in focused(page)["cls"]


# --- the Sources and method dialog -----------------------------------------------------------------------------


def test_method_panel_is_a_modal_dialog_that_traps_and_returns_focus(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    opener = open_method_dialog(page)
    dialog = page.locator("[role=dialog][aria-modal=true]")
    label = page.evaluate(
        """() => { const d = document.querySelector('[role=dialog]');
                   const by = d.getAttribute('aria-labelledby');
                   return by ? document.getElementById(by).textContent : d.getAttribute('aria-label'); }"""
    )
    assert label == "Sources and method"
    assert page.evaluate("() => document.querySelector('[role=dialog]').contains(document.activeElement)")
    # Tab from the last stop wraps to the first, Shift+Tab from the first to the last; a few presses each way from
    # the heading never leave it (the dialog's bibliography has dozens of links: walking them all is slow).
    ends = page.evaluate(
        f"""() => {{ const stops = ({TAB_STOPS})().filter(e => e.closest('[role=dialog]'));
                     stops[0].setAttribute('data-probe', 'first'); stops[stops.length - 1].setAttribute('data-probe', 'last');
                     return stops.length; }}"""
    )
    assert ends >= 2
    inside = "() => document.querySelector('[role=dialog]').contains(document.activeElement)"
    page.locator("[data-probe=last]").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('data-probe')") == "first"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('data-probe')") == "last"
    for key in ("Tab", "Shift+Tab"):
        for _ in range(4):
            page.keyboard.press(key)
            assert page.evaluate(inside), key
    # What is behind it cannot be reached by the pointer or assistive technology while it is open.
    assert page.evaluate("() => document.querySelector('.cm-panel').closest('[inert]') !== null")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert opener.evaluate("e => e === document.activeElement")
    assert page.evaluate("() => document.querySelector('[inert]')") is None


# --- words and text direction ----------------------------------------------------------------------------------


def test_precision_is_said_in_plain_words(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    words = page.evaluate(
        """() => { const out = {};
                   Casemap.state.events.forEach((e, i) => { out[e.where.precision] = i; });
                   return Object.fromEntries(Object.entries(out).map(([p, i]) => {
                     Casemap.state.list.reveal(i);
                     return [p, document.getElementById('cm-event-' + i).querySelector('.cm-precision').textContent]; })); }"""
    )
    expected = {
        "settlement": "town known",
        "district": "only the district is known",
        "region": "only the region is known",
        "undisclosed": "location undisclosed",
    }
    assert words and {p: expected[p] for p in words} == words
    assert "known to the settlement" not in page.evaluate("() => document.body.innerText")


def test_source_titles_and_event_titles_are_isolated_for_direction(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at().page
    page.locator("#cm-list [role=option]").first.click()
    page.wait_for_selector(OPEN_CARD)
    page.wait_for_selector(".cm-pane .cm-source")  # the method dialog lists every source too, hidden until opened
    not_isolated = page.evaluate(
        """() => Array.from(document.querySelectorAll('.cm-source > a, .cm-source > span:first-child, .cm-item-title'))
                 .filter(e => !(e.tagName === 'BDI' || e.getAttribute('dir') === 'auto' || e.querySelector('bdi')))
                 .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert not_isolated == []


def test_no_hover_only_hint_on_a_touch_screen(open_at: Callable[..., OpenedPage]) -> None:
    page = open_at("phone-390x844").page
    hints = page.evaluate(
        """() => Array.from(document.querySelectorAll('body *')).filter(e => e.childElementCount === 0 &&
                 /move over|hover/i.test(e.textContent) && e.getClientRects().length > 0).map(e => e.textContent)"""
    )
    assert hints == []


@pytest.mark.parametrize("viewport", ["phone-390x844", "laptop-1280x800"])
def test_a_row_far_down_the_list_is_chosen_by_the_first_click_or_tap(
    open_at: Callable[..., OpenedPage], viewport: str
) -> None:
    """The first click or tap into the list focuses it; that focus must not scroll the list back to its first row,
    or the row under the pointer moves away before the click ends and nothing is chosen."""
    page = open_at(viewport).page
    shown = page.evaluate("() => Casemap.state.shown.length")
    page.locator("#cm-list").evaluate("l => { l.scrollTop = l.scrollHeight; }")
    last = page.evaluate("() => Casemap.state.events[Casemap.state.shown[Casemap.state.shown.length - 1]].id")
    row = page.locator(f"#cm-list [role=option][data-event='{last}']")
    row.wait_for(state="attached")  # the list draws the rows in view on its scroll event, which comes a moment later
    assert shown > 20 and row.count() == 1
    if VIEWPORTS[viewport].get("touch"):
        row.tap()
    else:
        row.click()
    page.wait_for_selector(OPEN_CARD)
    assert page.evaluate("() => Casemap.state.events[Casemap.state.selected].id") == last
