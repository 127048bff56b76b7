"""The case's texts in the reader's language (issue #14, content.js): at lang=ru a translated event's card shows the
Russian title and says once that it is the casemap project's translation; an untranslated one shows the English with
lang="en" and the visible mark; search finds an event by its title in any language, whatever the page's language.

The page is built from a data copy holding the tests' fixture translation (tests/datakit.py) and a one-event Chinese
one written here; the marks' words are read from the catalogues (geo/page/messages), never written here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_map import main
from tests.conftest import copy_data
from tests.datakit import (
    FIXTURE_CHAPTER,
    FIXTURE_FEATURE,
    FIXTURE_FEATURE_LAYER,
    FIXTURE_FEATURE_NAME_RU,
    FIXTURE_TITLE_RU,
    FIXTURE_TRANSLATED_EVENT,
    FIXTURE_UNTRANSLATED_EVENT,
    FIXTURE_UNTRANSLATED_FEATURE,
    fixture_translation,
    write_translation,
)
from tests.pagekit import OpenedPage

pytestmark = pytest.mark.browser

MESSAGES = Path(__file__).resolve().parents[2] / "geo" / "page" / "messages"
LAPTOP: dict[str, Any] = {"width": 1280, "height": 800}
PHONE: dict[str, Any] = {"width": 390, "height": 844, "device": {"has_touch": True, "is_mobile": True}}
TITLE_ZH = "瓦西里耶夫在外贝加尔边疆区被拘留"
# A click on one feature of a layer, by its id (fired on the layer, as Leaflet does for a click on its path).
CLICK_FEATURE = """([key, id]) => {
  const hit = Casemap.state.layers[key].getLayers().find((l) => l.feature && l.feature.id === id);
  if (hit) { hit.fire('click', {latlng: hit.getBounds ? hit.getBounds().getCenter() : hit.getLatLng()}); }
  return !!hit;
}"""


def message(language: str, key: str) -> str:
    found: str = yaml.safe_load((MESSAGES / f"{language}.yaml").read_text(encoding="utf-8"))[key]
    return found


def english_event(data: Path, event_id: str) -> dict[str, Any]:
    events = yaml.safe_load((data / "events.yaml").read_text(encoding="utf-8"))["events"]
    found: dict[str, Any] = next(event for event in events if event["id"] == event_id)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The page and its data folder: the fixture's Russian, one Chinese title, nothing else translated."""
    data = copy_data(tmp_path_factory.mktemp("content") / "data")
    folder = data / "translations"
    if folder.exists():  # the committed case's own translations are not this test's
        for path in folder.iterdir():
            path.unlink()
    write_translation(data)
    chinese = {
        "language": "zh",
        "translator": "casemap project",
        "events": [{"id": FIXTURE_TRANSLATED_EVENT, "title": TITLE_ZH}],
    }
    write_translation(data, chinese, name="zh.yaml")
    output = data.parent / "map.html"
    assert main(["--data", str(data), "--output", str(output)]) == 0
    return output, data


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop-1280x800", "phone-390x844-touch"])
def test_a_translated_card_is_russian_and_says_whose_translation_it_is(
    open_page: Callable[..., OpenedPage], built: tuple[Path, Path], size: dict[str, Any]
) -> None:
    page, data = built
    opened = open_page(page, fragment=f"#lang=ru&event={FIXTURE_TRANSLATED_EVENT}", **size)
    card = opened.page.locator(f".cm-event-card[data-event='{FIXTURE_TRANSLATED_EVENT}']")
    heading = card.locator("h2")
    assert heading.inner_text() == FIXTURE_TITLE_RU and heading.get_attribute("lang") is None
    note = card.locator(".cm-translation-note")
    translator = fixture_translation(data)["translator"]
    assert note.count() == 1 and note.is_visible()
    assert note.inner_text() == message("ru", "content.translated").replace("{translator}", translator)
    # The article's words are the sources': the quote stays as the article wrote it.
    quote = english_event(data, FIXTURE_TRANSLATED_EVENT)["claims"][0]["quote"]
    assert card.locator("blockquote").first.inner_text() == quote
    assert opened.errors == []


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop-1280x800", "phone-390x844-touch"])
def test_an_untranslated_card_shows_the_english_marked_as_english(
    open_page: Callable[..., OpenedPage], built: tuple[Path, Path], size: dict[str, Any]
) -> None:
    page, data = built
    opened = open_page(page, fragment=f"#lang=ru&event={FIXTURE_UNTRANSLATED_EVENT}", **size)
    card = opened.page.locator(f".cm-event-card[data-event='{FIXTURE_UNTRANSLATED_EVENT}']")
    english = english_event(data, FIXTURE_UNTRANSLATED_EVENT)
    heading = card.locator("h2")
    assert heading.get_attribute("lang") == "en"
    mark = heading.locator(".cm-lang-mark")
    assert mark.is_visible() and mark.inner_text() == message("ru", "content.english")
    assert heading.inner_text() == f"{english['title']} {message('ru', 'content.english')}"
    description = card.locator("p[lang='en']", has_text=english["description"][:40])
    assert description.count() == 1 and description.locator(".cm-lang-mark").is_visible()
    assert card.locator(".cm-translation-note").count() == 0, "nothing in this card is translated"
    # The list's row of the same event keeps the English title's language too.
    assert opened.page.locator(".cm-item-title[lang='en']", has_text=english["title"]).count() >= 1
    assert opened.errors == []


def test_a_translated_chapter_and_the_untranslated_summary_are_marked(
    open_page: Callable[..., OpenedPage], built: tuple[Path, Path]
) -> None:
    page, data = built
    opened = open_page(page, fragment="#lang=ru", **LAPTOP)
    summary = opened.page.locator(".cm-summary")
    assert summary.locator("p[lang='en']").count() == len(
        yaml.safe_load((data / "story.yaml").read_text("utf-8"))["summary"]
    )
    assert summary.locator(".cm-lang-mark").count() == 1 and summary.locator(".cm-translation-note").count() == 0
    opened = open_page(page, fragment=f"#lang=ru&chapter={FIXTURE_CHAPTER}", **LAPTOP)
    chapter = opened.page.locator(f".cm-chapter-card[data-chapter='{FIXTURE_CHAPTER}']")
    fixture = next(c for c in fixture_translation(data)["chapters"] if c["id"] == FIXTURE_CHAPTER)
    assert chapter.locator("h2").inner_text() == fixture["title"]
    assert chapter.locator(".cm-translation-note").count() == 1 and chapter.locator(".cm-lang-mark").count() == 0
    assert [p.inner_text() for p in chapter.locator("p:not(.cm-translation-note)").all()][
        : len(fixture["text"])
    ] == fixture["text"]


def english_feature_name(data: Path, layer: str, feature_id: str) -> str:
    collection = yaml.safe_load((data / "layers" / f"{layer}.geojson").read_text(encoding="utf-8"))
    name: str = next(f for f in collection["features"] if f["id"] == feature_id)["properties"]["name"]
    return name


def test_a_derived_features_name_is_russian_in_the_map_key_and_its_card(
    open_page: Callable[..., OpenedPage], built: tuple[Path, Path]
) -> None:
    page, data = built
    opened = open_page(page, fragment="#lang=ru", **LAPTOP)
    english = english_feature_name(data, FIXTURE_FEATURE_LAYER, FIXTURE_FEATURE)
    if opened.page.locator(".cm-key-toggle").get_attribute("aria-expanded") == "false":
        opened.page.locator(".cm-key-toggle").click()
    # The map key's row for the feature's own style (case.yaml feature_styles) names it in Russian.
    rows = opened.page.locator(f".cm-key-layer[data-layer='{FIXTURE_FEATURE_LAYER}'] .cm-key-sub")
    assert rows.filter(has_text=FIXTURE_FEATURE_NAME_RU).count() == 1
    assert rows.filter(has_text=english).count() == 0
    assert opened.page.evaluate(CLICK_FEATURE, [FIXTURE_FEATURE_LAYER, FIXTURE_FEATURE])
    card = opened.page.locator(f".cm-pane .cm-feature-card[data-feature='{FIXTURE_FEATURE}']")
    assert (
        card.locator("h2").inner_text() == FIXTURE_FEATURE_NAME_RU and card.locator("h2").get_attribute("lang") is None
    )
    assert card.locator(".cm-translation-note").count() == 1
    # A feature of the same layer with no translation shows its English name, marked as English.
    untranslated = english_feature_name(data, FIXTURE_FEATURE_LAYER, FIXTURE_UNTRANSLATED_FEATURE)
    assert opened.page.evaluate(CLICK_FEATURE, [FIXTURE_FEATURE_LAYER, FIXTURE_UNTRANSLATED_FEATURE])
    card = opened.page.locator(f".cm-pane .cm-feature-card[data-feature='{FIXTURE_UNTRANSLATED_FEATURE}']")
    heading = card.locator("h2")
    assert heading.get_attribute("lang") == "en"
    assert heading.inner_text() == f"{untranslated} {message('ru', 'content.english')}"
    assert card.locator(".cm-translation-note").count() == 0
    assert opened.errors == []


def test_a_place_without_a_name_in_the_page_language_shows_the_english_name_marked(
    open_page: Callable[..., OpenedPage], built: tuple[Path, Path]
) -> None:
    """GeoNames gives some settlements no Chinese name (the depot anchors): at lang=zh the card of such a place shows
    its English name tagged lang="en" with the visible mark, as any English fallback; a place with a Chinese name
    shows it unmarked."""
    page, data = built
    features = yaml.safe_load((data / "layers" / "places.geojson").read_text(encoding="utf-8"))["features"]
    unnamed = next(f for f in features if not f["properties"]["name_zh"])
    named = next(f for f in features if f["properties"]["name_zh"])
    opened = open_page(page, fragment="#lang=zh", **LAPTOP)
    assert opened.page.evaluate(CLICK_FEATURE, ["places", unnamed["id"]])
    heading = opened.page.locator(f".cm-pane .cm-feature-card[data-feature='{unnamed['id']}'] h2")
    assert heading.get_attribute("lang") == "en"
    assert heading.inner_text() == f"{unnamed['properties']['name']} {message('zh', 'content.english')}"
    assert opened.page.evaluate(CLICK_FEATURE, ["places", named["id"]])
    heading = opened.page.locator(f".cm-pane .cm-feature-card[data-feature='{named['id']}'] h2")
    assert heading.inner_text() == named["properties"]["name_zh"] and heading.get_attribute("lang") is None
    assert opened.errors == []


@pytest.mark.parametrize("language", ["en", "ru", "zh"])
def test_search_finds_an_event_by_its_title_in_any_language(
    open_page: Callable[..., OpenedPage], built: tuple[Path, Path], language: str
) -> None:
    page, data = built
    opened = open_page(page, fragment=f"#lang={language}", **LAPTOP)
    english_title = english_event(data, FIXTURE_TRANSLATED_EVENT)["title"]
    for query in (FIXTURE_TITLE_RU, TITLE_ZH, english_title):
        opened.page.locator("input.cm-search").fill(query)
        found = opened.page.locator(f".cm-result[data-event='{FIXTURE_TRANSLATED_EVENT}']")
        assert found.count() == 1, f"{query!r} at lang={language}"
        assert opened.page.locator(".cm-result").first.get_attribute("data-event") == FIXTURE_TRANSLATED_EVENT, query
    assert opened.errors == []


def test_downloads_at_lang_ru_export_the_case_files_english(
    open_page: Callable[..., OpenedPage], built: tuple[Path, Path]
) -> None:
    # An export is the case's data as its files hold it (it can be imported back into a case): never the page's
    # translation, whatever language the page is read in.
    from tests.browser.test_reader_download import csv_rows, download

    page, data = built
    opened = open_page(page, fragment="#lang=ru", **LAPTOP)
    _, raw = download(opened.page, "events-csv")
    rows = {row["id"]: row for row in csv_rows(raw)}
    english = english_event(data, FIXTURE_TRANSLATED_EVENT)
    row = rows[FIXTURE_TRANSLATED_EVENT]
    assert (row["title"], row["description"], row["location_note"]) == (
        english["title"],
        english["description"],
        english["where"]["note"],
    )
    assert row["claim1_reason"] == english["claims"][0]["reason"]


def test_an_english_page_is_left_exactly_as_it_was(
    open_page: Callable[..., OpenedPage], built: tuple[Path, Path]
) -> None:
    page, data = built
    opened = open_page(page, fragment=f"#event={FIXTURE_TRANSLATED_EVENT}", **LAPTOP)
    card = opened.page.locator(f".cm-event-card[data-event='{FIXTURE_TRANSLATED_EVENT}']")
    assert card.locator("h2").inner_text() == english_event(data, FIXTURE_TRANSLATED_EVENT)["title"]
    assert opened.page.locator(".cm-lang-mark, .cm-translation-note").count() == 0
    # No text is set apart as English on an English page (the language switch's own button names its language).
    assert card.locator("[lang]").count() == 0 and opened.page.locator(".cm-item-title[lang]").count() == 0
