"""The interface language (issue #14, i18n-ui): lang= in the link, <html lang>, the switch in the panel keeping what the
reader set, plural and date forms per language, and the start-up notice in the reader's language without the data
block. Expected words come from the catalogues (geo/page/messages/*.yaml) and the page's own data block."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from geo.casefile.records import interval_label
from geo.page.messages import load_messages
from tests.conftest import DATA
from tests.pagekit import OpenedPage, read_payload

pytestmark = pytest.mark.browser

STATE = """() => { const s = Casemap.state, c = s.map.getCenter();
    return {event: s.selected === null ? null : s.events[s.selected].id,
            view: [Number(c.lat.toFixed(3)), Number(c.lng.toFixed(3)), s.map.getZoom()],
            range: [s.ticks[s.range[0]], s.ticks[s.range[1]]],
            categories: Array.from(s.categoryText.keys()).filter(id => s.categories.get(id) !== false),
            lang: document.documentElement.lang, hash: location.hash,
            pressed: document.querySelector('.cm-language [aria-pressed=true]').textContent,
            count: document.querySelector('.cm-count').textContent}; }"""
MESSAGES = load_messages()


def words(language: str, key: str) -> str:
    """A plain (not plural) message of a catalogue."""
    message = MESSAGES[language][key]
    assert isinstance(message, str), key
    return message


def russian_category(n: int) -> str:
    """CLDR's Russian cardinal plural category of a whole number."""
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("language") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def data(built: Path) -> dict[str, Any]:
    return read_payload(built.read_text(encoding="utf-8"))


def _switch(page: Any, name: str, *, keyboard: bool = False) -> None:
    """Choose a language in the panel's switch and wait for the page to start again in it."""
    button = page.locator(".cm-language button", has_text=name)
    with page.expect_navigation():
        if keyboard:
            button.focus()
            page.keyboard.press("Enter")
        else:
            button.click()
    page.wait_for_selector("html[data-casemap-ready='true']", state="attached", timeout=30_000)


def test_lang_in_the_link_sets_html_lang_and_the_words(
    open_page: Callable[..., OpenedPage], built: Path, data: dict[str, Any]
) -> None:
    for lang, tag in (("ru", "ru"), ("zh", "zh-Hans"), ("en", "en")):
        opened = open_page(built, fragment=f"#lang={lang}")
        state = opened.page.evaluate(STATE)
        assert state["lang"] == tag
        assert state["pressed"] == MESSAGES[lang][f"panel.language_name.{lang}"]
        # "K of N events" in the language's plural form for N (Intl.PluralRules), every event shown.
        n = len(data["events"])
        forms = MESSAGES[lang]["events.count"]
        assert isinstance(forms, dict)
        form = {"ru": russian_category(n), "zh": "other", "en": "one" if n == 1 else "other"}[lang]
        assert state["count"] == forms[form].replace("{shown}", str(n)).replace("{n}", str(n))
        # The buttons and labels the panel shows are the catalogue's.
        panel = opened.page.inner_text(".cm-panel")
        assert MESSAGES[lang]["panel.method"] in panel and MESSAGES[lang]["time.all"] in panel
        assert opened.errors == []


def test_generated_dates_are_written_in_the_language(
    open_page: Callable[..., OpenedPage], built: Path, data: dict[str, Any]
) -> None:
    english = open_page(built).page.inner_text(".cm-time .cm-section-title")
    assert re.search(
        r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b", english
    )
    for lang, script in (("ru", r"[а-я]"), ("zh", r"[年月日]")):
        label = open_page(built, fragment=f"#lang={lang}").page.inner_text(".cm-time .cm-section-title")
        assert re.search(script, label), label
        assert not re.search(
            r"(January|February|March|April|May|June|July|August|September|October|November|December)", label
        )
    # An event whose date the build wrote from its start and precision (records.interval_label, no hand-written
    # label) reads in the language in its card; a hand-written label is case text and stays as written.
    generated = next(
        e
        for e in data["events"]
        if e["when"]["precision"] == "day"
        and e["when"]["label"] == interval_label(e["when"]["start"], e["when"]["end"], "day")
    )
    for lang, script in (("ru", r"[а-я]"), ("zh", r"年")):
        card = open_page(built, fragment=f"#lang={lang}&event={generated['id']}").page.locator(
            ".cm-pane .cm-event-card"
        )
        text = card.locator(".cm-row").first.inner_text()  # the When row: its label and the date
        assert text.startswith(MESSAGES[lang]["markers.when"]), text
        assert generated["when"]["label"] not in text and re.search(script, text), text


def test_switching_language_keeps_the_event_the_filters_and_the_view(
    open_page: Callable[..., OpenedPage], built: Path, data: dict[str, Any]
) -> None:
    event = data["events"][len(data["events"]) // 2]["id"]
    categories = [c["id"] for c in data["categories"]]
    kept = ",".join(categories[:-1]) if len(categories) > 1 else categories[0]
    page = open_page(built, fragment=f"#cat={kept}&event={event}").page
    before = page.evaluate(STATE)
    assert before["event"] == event and before["lang"] == "en"
    _switch(page, words("ru", "panel.language_name.ru"))
    russian = page.evaluate(STATE)
    assert russian["lang"] == "ru" and "lang=ru" in russian["hash"]
    for key in ("event", "view", "range", "categories"):
        assert russian[key] == before[key], key
    _switch(page, words("zh", "panel.language_name.zh"), keyboard=True)
    chinese = page.evaluate(STATE)
    assert chinese["lang"] == "zh-Hans" and chinese["pressed"] == "中文"
    for key in ("event", "view", "range", "categories"):
        assert chinese[key] == before[key], key
    _switch(page, "English")
    back = page.evaluate(STATE)
    assert back["lang"] == "en" and "lang=" not in back["hash"] and back["event"] == event


def test_an_unknown_language_is_named_and_the_page_stays_english(
    open_page: Callable[..., OpenedPage], built: Path
) -> None:
    opened = open_page(built, fragment="#lang=fr")
    assert opened.page.evaluate("document.documentElement.lang") == "en"
    notice = opened.page.inner_text(".cm-notice[role='status']")
    assert "lang" in notice and "fr" in notice
    assert words("en", "link.problem.lang").split("{")[0] in notice


def test_the_start_up_notice_speaks_the_language_without_the_data_block(
    browser: Any, built: Path, tmp_path: Path
) -> None:
    html = built.read_text(encoding="utf-8")
    broken, replaced = re.subn(r'(id="casemap-data">)[^<]*(</script>)', r"\1AAAA\2", html)
    assert replaced == 1
    path = tmp_path / "broken.html"
    path.write_text(broken, encoding="utf-8")
    for lang in ("ru", "zh"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            page.route(re.compile(r"^https?://"), lambda route: route.abort())
            page.goto(path.resolve().as_uri() + f"#lang={lang}")
            fatal = page.locator(".cm-fatal[role='alert']")
            fatal.wait_for(timeout=10_000)
            text = fatal.inner_text()
            assert MESSAGES[lang]["main.fatal.title"] in text and MESSAGES[lang]["main.fatal.report"] in text
            assert page.evaluate("document.documentElement.lang") == {"ru": "ru", "zh": "zh-Hans"}[lang]
        finally:
            context.close()
