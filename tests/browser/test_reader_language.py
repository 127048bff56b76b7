"""The page in Russian and Chinese (issue #14, "Done when"): `<html lang>` follows `lang=`, no English interface string
is left, switching language keeps the reader's event and filters, and every sentence with a Chinese original shows it.

The English strings looked for are derived from the interface catalogues (geo/page/messages/*.yaml), never listed by
hand; the sentences from data/claims.yaml. The page is opened from disk with the network cut off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_map import main
from tests.conftest import DATA, ROOT
from tests.pagekit import OpenedPage

pytestmark = pytest.mark.browser

MESSAGES = ROOT / "geo" / "page" / "messages"
LANGUAGES = ("ru", "zh")
LAPTOP: dict[str, Any] = {"width": 1280, "height": 800}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# The rule for what is looked for: the literal text of an English message between its placeholders, trimmed of
# punctuation and symbols; kept when it has at least MIN_LETTERS Latin letters (so "of", "km", "◀" and ":" are not
# looked for: too short to say anything, and common inside names), and when the translation of the same key does not
# contain it (a name or format the translation keeps as it is: "GeoJSON", "sha256", "WDBII").
MIN_LETTERS = 4
TRIM = " \t\n.,:;!?()[]—–-·◀▶“”«»'\"%²"
# Where English is the data's, not the interface's: quotes and the original's words, code, names and titles isolated
# as <bdi>, and any element marked as being in another language (content.js marks an untranslated text lang="en").
NOT_INTERFACE = "script, style, code, pre, blockquote, q, bdi"
# Every text node and every aria-label, title, placeholder and alt of the document, each with its element's language,
# leaving out what NOT_INTERFACE covers; hidden parts count too (the method dialog, the download choices). Then the
# case's own words are taken out of them: every string of the decoded data block (the records as shown, translations
# applied; the catalogues left out) and of the layers' features, longest first. What is left is what the interface
# says, so an English word in a case text the translators have not reached (corrections, source notes, feature names)
# is not taken for an interface string, and an interface string is found whatever case text stands beside it.
INTERFACE_TEXTS = """(skip) => {
  const out = [], page = document.documentElement.lang;
  const foreign = (node) => { const marked = node.closest('[lang]'); return marked && marked.lang !== page; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || foreign(parent) || !node.textContent.trim()) { continue; }
    out.push(node.textContent);
  }
  document.querySelectorAll('[aria-label], [title], [placeholder], [alt]').forEach((element) => {
    if (element.closest(skip) || foreign(element)) { return; }
    ['aria-label', 'title', 'placeholder', 'alt'].forEach((name) => {
      if (element.hasAttribute(name)) { out.push(element.getAttribute(name)); }
    });
  });
  const data = new Set(), seen = new Set();
  const gather = (value, key) => {
    if (key === 'messages' || value === null || value === undefined) { return; }
    if (typeof value === 'string') { if (value.trim().length >= 3) { data.add(value.trim()); } return; }
    if (typeof value !== 'object' || seen.has(value)) { return; }
    seen.add(value);
    if (value instanceof Map) { value.forEach((item) => gather(item)); return; }
    if (Array.isArray(value)) { value.forEach((item) => gather(item)); return; }
    Object.keys(value).forEach((name) => gather(value[name], name));
  };
  gather(Casemap.state.data);
  gather(Casemap.state.events);
  const features = (group) => group.eachLayer((layer) => {
    if (layer.feature) { gather(layer.feature.properties); } else if (layer.eachLayer) { features(layer); }
  });
  Object.values(Casemap.state.layers).forEach(features);
  const words = Array.from(data).sort((a, b) => b.length - a.length);
  return out.map((text) => words.reduce((left, word) => left.length >= word.length && left.includes(word)
    ? left.split(word).join(' \u2029 ') : left, text));
}"""
# A click on a layer's first feature, as Leaflet fires it for a click on its path (features.js opens its card).
CLICK_FIRST_FEATURE = """(key) => {
  let found = null;
  const walk = (group) => group.eachLayer((layer) => {
    if (found) { return; }
    if (layer.feature) { found = layer; } else if (layer.eachLayer) { walk(layer); }
  });
  walk(Casemap.state.layers[key]);
  if (!found) { return false; }
  found.fire('click', { latlng: found.getLatLng ? found.getLatLng() : found.getBounds().getCenter() });
  return true;
}"""
READY = "html[data-casemap-ready='true']"


def catalogue(language: str) -> dict[str, Any]:
    loaded = yaml.safe_load((MESSAGES / f"{language}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{language}.yaml is not a mapping"
    return loaded


def forms(message: Any) -> list[str]:
    """A message's texts: the string, or every plural category's."""
    return [str(form) for form in message.values()] if isinstance(message, dict) else [str(message)]


def latin_letters(fragment: str) -> int:
    return sum(1 for character in fragment if "a" <= character.lower() <= "z")


def english_fragments(language: str) -> dict[str, str]:
    """Every English interface fragment that must not show at ``language``, with the key it comes from."""
    english, translated = catalogue("en"), catalogue(language)
    found: dict[str, str] = {}
    for key, message in english.items():
        theirs = " ".join(forms(translated.get(key, "")))
        for form in forms(message):
            for part in PLACEHOLDER.split(form):
                fragment = part.strip(TRIM)
                if latin_letters(fragment) >= MIN_LETTERS and fragment not in theirs:
                    found.setdefault(fragment, key)
    return found


def leftovers(texts: Iterable[str], fragments: dict[str, str]) -> list[str]:
    """Each fragment found in the texts as whole words, as 'key: fragment in «text»'."""
    found = []
    joined = "\n".join(texts)
    for fragment, key in sorted(fragments.items()):
        match = re.search(rf"(?<![A-Za-z]){re.escape(fragment)}(?![A-Za-z])", joined)
        if match:
            context = joined[max(0, match.start() - 30) : match.end() + 30].replace("\n", " | ")
            found.append(f"{key}: {fragment!r} in «{context}»")
    return found


def case_file(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("language") / "map.html"
    assert main(["--data", str(DATA), "--output", str(output)]) == 0
    return output


def claimed_event() -> dict[str, Any]:
    """The event with the most claims (a card with badges, reasons and sources), from events.yaml."""
    events = case_file("events.yaml")
    events = events["events"] if isinstance(events, dict) else events
    return max(events, key=lambda event: (len(event.get("claims") or []), len(event.get("sources") or [])))


def assert_html_lang(opened: OpenedPage, language: str) -> None:
    lang = opened.page.evaluate("() => document.documentElement.lang")
    # "ru", "zh", or the same with a script or region ("zh-Hans", "zh-CN").
    assert lang.split("-")[0] == language, f"<html lang> is {lang!r} at lang={language}"


def texts_now(opened: OpenedPage) -> list[str]:
    texts: list[str] = opened.page.evaluate(INTERFACE_TEXTS, NOT_INTERFACE)
    return texts


def popup_layers() -> list[str]:
    """The keys of the layers whose feature card shows fields (case.yaml `popup`), from the case file."""
    return [layer["key"] for layer in case_file("case.yaml")["layers"] if layer.get("popup")]


def first_screen_and_features(opened: OpenedPage) -> list[str]:
    """The summary (the first screen), the hidden dialogs and choices (method, download), the open map key, each
    layer's feature card in turn, and the print layout."""
    page = opened.page
    texts = texts_now(opened)
    if page.locator(".cm-key-toggle").get_attribute("aria-expanded") == "false":
        page.locator(".cm-key-toggle").click()
    texts += texts_now(opened)
    for key in popup_layers():
        assert page.evaluate(CLICK_FIRST_FEATURE, key), f"layer {key} has no feature to click"
        page.locator(".cm-pane .cm-feature-card").wait_for()
        texts += texts_now(opened)
    page.emulate_media(media="print")
    page.wait_for_selector("html[data-casemap-print='ready']", state="attached")
    texts += texts_now(opened)
    return texts


def every_view(open_page: Callable[..., OpenedPage], built: Path, language: str) -> list[str]:
    """The interface texts of every view a reader can open, each opened by its link."""
    story = case_file("story.yaml")
    chapters = [chapter["id"] for chapter in story.get("chapters") or []]
    # The first chapter ("the case in brief" before it) and the last ("show all events" after it) read differently.
    views = [f"&event={claimed_event()['id']}&panel=claims", "&status=corrected,disputed&panel=claims"]
    views += [f"&chapter={chapter}" for chapter in sorted({chapters[0], chapters[-1]})]
    opened = open_language(open_page, built, language)
    texts = first_screen_and_features(opened)
    for fragment in views:
        opened = open_language(open_page, built, language, fragment)
        texts += texts_now(opened)
    return texts


def open_language(open_page: Callable[..., OpenedPage], built: Path, language: str, fragment: str = "") -> OpenedPage:
    opened = open_page(built, fragment=f"#lang={language}{fragment}", **LAPTOP)
    assert_html_lang(opened, language)
    assert opened.errors == [], opened.errors  # a missing key logs console.error (core.js t())
    return opened


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_lang_follows_the_link(open_page: Callable[..., OpenedPage], built: Path, language: str) -> None:
    open_language(open_page, built, language)
    english = open_page(built, **LAPTOP)
    assert english.page.evaluate("() => document.documentElement.lang") == "en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_documents_title_and_description_are_the_page_languages(
    open_page: Callable[..., OpenedPage], built: Path, language: str
) -> None:
    """The tab, a bookmark and a printed page's header name the case in the page's language (translations/LANG.yaml
    case), not in the English the build wrote into <head>."""
    translated = yaml.safe_load((DATA / "translations" / f"{language}.yaml").read_text(encoding="utf-8"))["case"]
    page = open_language(open_page, built, language).page
    assert page.title() == translated["title"]
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description == " ".join(translated["description"].split())
    english = open_page(built, **LAPTOP).page
    assert english.title() == case_file("case.yaml")["title"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_interface_string_is_left(open_page: Callable[..., OpenedPage], built: Path, language: str) -> None:
    fragments = english_fragments(language)
    # The rule leaves most of the catalogue to look for: a rule that skipped everything could not fail.
    assert len(fragments) >= len(catalogue("en")) // 2, len(fragments)
    texts = every_view(open_page, built, language)
    english = open_page(built, **LAPTOP)
    # The same views in English do show the fragments: the views collected hold the pieces' strings.
    shown_in_english = leftovers(first_screen_and_features(english), english_fragments(language))
    assert len(shown_in_english) >= len(fragments) // 4, len(shown_in_english)
    left = leftovers(texts, fragments)
    assert left == [], f"{len(left)} English interface strings at lang={language}:\n" + "\n".join(left)


# The reader's state a language switch must keep: the event, the verdicts, the categories, the time window, the view.
READER_STATE = """() => {
  const s = Casemap.state;
  return {
    event: s.selected === null || s.selected === undefined ? null : s.events[s.selected].id,
    statuses: s.statuses ? Array.from(s.statuses).sort() : null,
    hidden: Array.from(s.categories).filter(([, on]) => !on).map(([id]) => id).sort(),
    range: [s.ticks[s.range[0]], s.ticks[s.range[1]]],
    panel: s.panelView,
    shown: s.shown.length,
  };
}"""


def wrong_event() -> dict[str, Any]:
    """An event the article got wrong (a corrected or disputed claim), with a dated interval, from events.yaml."""
    events = case_file("events.yaml")
    events = events["events"] if isinstance(events, dict) else events
    return next(e for e in events if any(c["status"] in ("corrected", "disputed") for c in e.get("claims") or []))


def switch_language(opened: OpenedPage, language: str) -> None:
    """Choose ``language`` with the page's own switch, as a reader does, and wait for the page in it."""
    opened.page.locator(f".cm-language-button[lang|='{language}']").click()
    opened.page.wait_for_selector(f"html[lang|='{language}']{READY[4:]}", state="attached")


@pytest.mark.parametrize("language", LANGUAGES)
def test_switching_language_keeps_the_event_and_the_filters(
    open_page: Callable[..., OpenedPage], built: Path, language: str
) -> None:
    event = wrong_event()
    categories = [c["id"] for c in case_file("case.yaml")["categories"]]
    others = [c for c in categories if c != event["category"]]
    shown = [c for c in categories if c != others[0]]
    opened = open_page(
        built,
        fragment=f"#cat={','.join(shown)}&status=corrected,disputed&from={event['when']['start']}&to={event['when']['end']}"
        f"&event={event['id']}",
        **LAPTOP,
    )
    page = opened.page
    # One more filter set by hand, after the link: the switch keeps the live state, not only the link it was opened by.
    page.locator(f".cm-categories input[data-category='{others[1]}']").uncheck()
    page.locator(".cm-views button").nth(1).click()  # the claims view (factcheck.js panelViewSwitch)
    before = page.evaluate(READER_STATE)
    assert before["event"] == event["id"] and before["hidden"] == sorted(others[:2]) and before["panel"] == "claims"
    switch_language(opened, language)
    assert page.evaluate(READER_STATE) == before
    assert f"lang={language}" in page.evaluate("() => location.hash")
    # And back: English again, the same state.
    switch_language(opened, "en")
    assert page.evaluate(READER_STATE) == before


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
def test_every_sentence_with_a_chinese_original_shows_it(
    open_page: Callable[..., OpenedPage], built: Path, language: str
) -> None:
    # Sentences are numbered by their place in claims.yaml (1-based, article order), as the page numbers them.
    sentences = case_file("claims.yaml")["sentences"]
    originals = {n: str(sentence["zh"]).strip() for n, sentence in enumerate(sentences, 1) if sentence.get("zh")}
    assert originals, "claims.yaml has no sentence with a Chinese original"
    opened = (
        open_language(open_page, built, language, "&panel=claims")
        if language != "en"
        else open_page(built, fragment="#panel=claims", **LAPTOP)
    )
    shown = opened.page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('#cm-factcheck [data-sentence]'))
             .map((item) => [item.dataset.sentence, Array.from(item.querySelectorAll('[lang="zh"]'))
               .map((node) => node.textContent.trim())]))"""
    )
    missing = {n: zh for n, zh in originals.items() if zh not in shown.get(str(n), [])}
    assert missing == {}, f"at lang={language}, sentences without their Chinese original: {sorted(missing)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_is_in_the_page_language(built: Path, tmp_path: Path, language: str) -> None:
    """casepdf.py prints the page in the language its link names: the print layout's headings are the catalogue's."""
    import subprocess
    import sys
    import unicodedata

    from pypdf import PdfReader

    # Its own process, as tasks.py runs it (a Playwright session of these tests is running in this one).
    done = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(ROOT / "casepdf.py"),
            str(built),
            str(tmp_path / "case.pdf"),
            f"--fragment=#lang={language}",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr

    def squeezed(text: str) -> str:  # lines wrap anywhere; ligatures spelled out (as test_reader_pdf does)
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    text = squeezed("\n".join(page.extract_text() for page in PdfReader(tmp_path / "case.pdf").pages))
    events = case_file("events.yaml")["events"]
    english, translated = catalogue("en"), catalogue(language)
    headings = {key: {"n": len(events)} for key in ("print.key", "print.chapters", "print.events", "method.title")}

    def said(messages: dict[str, Any], key: str) -> str:
        return squeezed(PLACEHOLDER.sub(lambda m: str(headings[key].get(m.group(0)[1:-1], "")), messages[key]))

    assert [key for key in headings if said(translated, key) not in text] == []
    assert [key for key in headings if said(english, key) in text] == []
