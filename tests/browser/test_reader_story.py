"""The story a first-time reader is told (issue #13 A): the case in brief on the first screen, the chapters walked
with Next, the verdict filter (status= in the link), and the article as a fact-check, sentence by sentence.

Expected sets are computed from the committed case files (data/events.yaml, story.yaml, claims.yaml), never listed by
hand. The page is opened from disk with the network cut off.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_map import main
from tests.axekit import axe_missing, open_for_axe, run_axe
from tests.conftest import DATA, missing_capability
from tests.pagekit import OpenedPage

pytestmark = pytest.mark.browser

LAPTOP: dict[str, Any] = {"width": 1280, "height": 800}
PHONE: dict[str, Any] = {"width": 390, "height": 844, "device": {"has_touch": True, "is_mobile": True}}
SHOWN_IDS = "() => Casemap.state.shown.map(i => Casemap.state.events[i].id)"
# The list's line saying how many events it shows ("K of N events").
LIST_COUNT = "() => document.querySelector('.cm-count').textContent"


def case_file(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("story") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


def box_in_viewport(opened: OpenedPage, selector: str) -> dict[str, float]:
    box = opened.page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not laid out"
    return {key: float(box[key]) for key in ("x", "y", "width", "height")}


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop-1280x800", "phone-390x844-touch"])
def test_the_case_in_brief_is_on_the_first_screen_with_a_way_into_the_story(
    open_page: Callable[..., OpenedPage], built: Path, size: dict[str, Any]
) -> None:
    opened = open_page(built, **size)
    story = case_file("story.yaml")
    summary = opened.page.locator(".cm-summary")
    for paragraph in story["summary"]:
        assert paragraph in summary.inner_text()
    box = box_in_viewport(opened, ".cm-summary")
    # All of it on screen, without scrolling: from its top to its buttons.
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"], box
    start = opened.page.get_by_role("button", name="Start the story ▶")
    assert start.is_visible()
    # The seed article is named in it: outlet, date, that it is a machine translation, and a link to the text.
    article = summary.locator(".cm-summary-article a")
    assert "machine translation" in article.inner_text() and "1 March 2021" in article.inner_text()
    assert (article.get_attribute("href") or "").startswith("https://")
    assert opened.errors == []


def test_next_walks_the_chapters_and_each_shows_exactly_its_events(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    opened = open_page(built, **LAPTOP)
    page = opened.page
    chapters = case_file("story.yaml")["chapters"]
    assert 6 <= len(chapters) <= 9
    page.get_by_role("button", name="Start the story ▶").click()
    for k, chapter in enumerate(chapters):
        card = page.locator(f'.cm-pane .cm-chapter-card[data-chapter="{chapter["id"]}"]')
        card.wait_for(state="visible", timeout=5_000)
        assert card.locator("h2").inner_text() == chapter["title"]
        assert sorted(page.evaluate(SHOWN_IDS)) == sorted(chapter["events"]), chapter["id"]
        assert page.evaluate(LIST_COUNT).startswith(f"{len(chapter['events'])} of ")
        rows = page.locator("#cm-list [role=option]").evaluate_all("rows => rows.map(r => r.dataset.event)")
        assert set(rows) <= set(chapter["events"]) and rows, (chapter["id"], rows)
        page.wait_for_function("id => location.hash.includes('chapter=' + id)", arg=chapter["id"])
        name = "Next chapter ▶" if k < len(chapters) - 1 else "Show all events ▶"
        card.get_by_role("button", name=name).click()
    # Past the last chapter: every event again, the story's state gone from the link.
    page.wait_for_function("() => Casemap.state.chapter === null")
    total = len(case_file("events.yaml")["events"])
    assert page.evaluate(LIST_COUNT) == f"{total} of {total} events"
    page.wait_for_function("() => !location.hash.includes('chapter=')")


def test_a_chapter_link_opens_it_and_choosing_an_event_in_it_opens_the_event(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    chapter = case_file("story.yaml")["chapters"][2]
    opened = open_page(built, fragment=f"#chapter={chapter['id']}", **LAPTOP)
    page = opened.page
    page.locator(f'.cm-chapter-card[data-chapter="{chapter["id"]}"]').wait_for(state="visible")
    assert sorted(page.evaluate(SHOWN_IDS)) == sorted(chapter["events"])
    page.locator(f'#cm-list [role=option][data-event="{chapter["events"][0]}"]').click()
    page.locator(f'.cm-pane .cm-event-card[data-event="{chapter["events"][0]}"]').wait_for(state="visible")
    assert page.evaluate("() => Casemap.state.chapter") == chapter["id"]


def events_with_status(statuses: set[str]) -> list[str]:
    return [
        event["id"]
        for event in case_file("events.yaml")["events"]
        if any(claim["status"] in statuses for claim in event.get("claims") or [])
    ]


def test_status_corrected_shows_exactly_the_events_with_a_corrected_claim(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    opened = open_page(built, fragment="#status=corrected", **LAPTOP)
    expected = events_with_status({"corrected"})
    assert expected, "the case has corrected claims"
    assert sorted(opened.page.evaluate(SHOWN_IDS)) == sorted(expected)
    total = len(case_file("events.yaml")["events"])
    assert opened.page.evaluate(LIST_COUNT) == f"{len(expected)} of {total} events"
    boxes = opened.page.evaluate(
        "() => Array.from(Casemap.state.statusBoxes).filter(([s, box]) => box.checked).map(([s]) => s)"
    )
    assert boxes == ["corrected"]
    assert opened.errors == []


def test_what_the_article_got_wrong_is_one_click_and_written_to_the_link(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    opened = open_page(built, **LAPTOP)
    page = opened.page
    page.locator(".cm-statuses").get_by_role("button", name="What the article got wrong").click()
    assert sorted(page.evaluate(SHOWN_IDS)) == sorted(events_with_status({"corrected", "disputed"}))
    page.wait_for_function("() => location.hash.includes('status=corrected,disputed')")
    # The four statuses are defined where the filter is.
    help_text = page.locator(".cm-status-help").text_content() or ""
    for word in ("Corroborated", "Corrected", "Disputed", "Unverified", "No claim"):
        assert word + ":" in help_text


def test_an_unknown_status_in_the_link_is_named_in_a_notice(open_page: Callable[..., OpenedPage], built: Path) -> None:
    opened = open_page(built, fragment="#status=bogus", **LAPTOP)
    notice = opened.page.locator(".cm-notice-list")
    # Named, and told what a status can be (an unknown parameter's notice would name it without the choices).
    assert "status" in notice.inner_text() and "bogus" in notice.inner_text()
    assert all(status in notice.inner_text() for status in ("corroborated", "corrected", "disputed", "unverified"))
    total = len(case_file("events.yaml")["events"])
    assert opened.page.evaluate(LIST_COUNT) == f"{total} of {total} events"


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop-1280x800", "phone-390x844-touch"])
def test_the_fact_check_lists_every_sentence_of_the_article_in_order(
    open_page: Callable[..., OpenedPage], built: Path, size: dict[str, Any]
) -> None:
    opened = open_page(built, **size)
    page = opened.page
    page.get_by_role("button", name="The article, checked").click()
    page.wait_for_function("() => location.hash.includes('panel=claims')")
    sentences = case_file("claims.yaml")["sentences"]
    shown = page.locator(".cm-sentence blockquote").all_inner_texts()
    assert [" ".join(s.split()) for s in shown] == [" ".join(s["text"].split()) for s in sentences]
    # The original's words marked as the original, in Chinese, wherever claims.yaml has them.
    originals = page.locator(".cm-zh [lang=zh]").all_inner_texts()
    assert originals == [s["zh"] for s in sentences if s.get("zh")]
    header = page.locator("#cm-article-source")
    assert header.locator("a").count() >= 2 and "machine translation" in header.inner_text()
    assert header.is_visible()


def test_a_sentences_event_opens_from_the_fact_check(open_page: Callable[..., OpenedPage], built: Path) -> None:
    opened = open_page(built, fragment="#panel=claims", **LAPTOP)
    page = opened.page
    corrected = events_with_status({"corrected"})[0]
    title = next(e["title"] for e in case_file("events.yaml")["events"] if e["id"] == corrected)
    page.locator(".cm-factcheck").get_by_role("button", name=f"Open the event: {title}").click()
    page.locator(f'.cm-pane .cm-event-card[data-event="{corrected}"]').wait_for(state="visible")
    # The card names the article it quotes, and leads to the quoted sentence in the fact-check.
    claim = page.locator(".cm-pane .cm-claim").first
    assert "machine translation" in claim.inner_text() and "1 March 2021 says:" in claim.inner_text()
    quote = " ".join(claim.locator("blockquote").inner_text().split())
    claim.get_by_role("button", name="This sentence in the fact-check").click()
    page.wait_for_function("() => document.activeElement.classList.contains('cm-sentence')")
    focused = page.evaluate("() => document.activeElement.querySelector('blockquote').textContent")
    assert quote in " ".join(focused.split())


def test_the_verdict_filter_filters_the_fact_check_too(open_page: Callable[..., OpenedPage], built: Path) -> None:
    opened = open_page(built, fragment="#panel=claims&status=corrected", **LAPTOP)
    page = opened.page
    texts = page.locator(".cm-sentence blockquote").all_inner_texts()
    corrected_quotes = [
        " ".join(claim["quote"].split())
        for event in case_file("events.yaml")["events"]
        for claim in event.get("claims") or []
        if claim["status"] == "corrected"
    ]
    sentences = [" ".join(s["text"].split()) for s in case_file("claims.yaml")["sentences"]]
    expected = [s for s in sentences if any(quote in s for quote in corrected_quotes)]
    assert expected and [" ".join(t.split()) for t in texts] == expected


@pytest.mark.parametrize("viewport", ["phone-390x844", "laptop-1280x800"])
def test_axe_finds_no_violation_in_a_chapter_or_the_fact_check(browser: Any, built: Path, viewport: str) -> None:
    problem = axe_missing()
    if problem:
        missing_capability(problem)
    chapter = case_file("story.yaml")["chapters"][0]["id"]
    opened = open_for_axe(browser, built, viewport=viewport, fragment=f"#chapter={chapter}&status=corrected,unverified")
    try:
        page = opened.page
        page.locator(".cm-chapter-card").wait_for(state="visible")
        found = {"chapter open": run_axe(page)}
        page.keyboard.press("Escape")
        page.get_by_role("button", name="The article, checked").click()
        page.locator(".cm-sentence").first.wait_for(state="visible")
        page.locator(".cm-status-help summary").click()  # the definitions unfolded
        found["fact-check shown"] = run_axe(page)
        violations = {state: [str(v) for v in found_here] for state, found_here in found.items() if found_here}
        assert violations == {}, violations
        assert opened.errors == []
    finally:
        opened.context.close()
