"""Hostile strings in every data field reach the page as text: nothing runs, everything shows as written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from build_map import main
from tests.datakit import edit_layer
from tests.pagekit import OpenedPage

# Each payload would set window.__pwned if it ever ran as script, in any of the contexts folium and the page use:
# HTML, attributes, <script> text, JavaScript strings and template literals, JSON inside a script, Jinja.
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    "`${window.__pwned=1}` and ${(() => { window.__pwned = 1 })()}",
    "'); window.__pwned=1; ('",
    '"><svg onload="window.__pwned=1"><a href="javascript:window.__pwned=1">x</a>',
    r"C:\cases\2019\0221 and \n \u0041 \\ backslashes",
    "line\u2028separator\u2029paragraph",
    "bidi \u202eevil\u202c and zero\u200bwidth\u200djoiner",
    "{{ 7*7 }} {% if true %}jinja{% endif %} <!-- comment -->",
    # Server-side template injection: would create the marker file if any template engine evaluated it.
    "{{ cycler.__init__.__globals__.os.system('touch /tmp/casemap-ssti-marker') }}",
    "&lt;b&gt;not bold&lt;/b&gt; &amp; &#x3C;script&#x3E;",
    "<style>body{display:none}</style>" + "very long " * 24,  # near the 300-character title limit
]


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=True)


def hostile_data(data: Path, article: Path) -> None:
    sources = ["sources:"]
    events = ["events:"]
    sentences = ["sentences:"]
    corrections = ["corrections:"]
    for number, text in enumerate(HOSTILE):
        sources += [
            f"  - id: hostile-{number}",
            f"    outlet: {yaml_string(text)}",
            f"    title: {yaml_string(text[::-1])}",
            f"    url: https://example.org/{number}?q=%22%3E%3Cscript%3E",
            '    published: "2021-02-25"',
            "    language: en",
            "    kind: online-news",
            f"    family: {yaml_string(text[:80])}",
            f"    note: {yaml_string(text)}",
        ]
        other = (number + 1) % len(HOSTILE)
        events += [
            f"  - id: hostile-{number}",
            f"    title: {yaml_string(text)}",
            f"    description: {yaml_string(text + ' / ' + text)}",
            "    category: case",
            "    when:",
            f'      start: "20{10 + number}-01-01"',
            f'      end: "20{10 + number}-03-31"',
            "      precision: approximate",
            f"      label: {yaml_string(text[:70])}",
            "    where:",
            f"      place: {['chita', 'zabaykalsky-krai', 'nerchinsk'][number % 3] if number % 4 else 'chita'}",
            f"      precision: {['settlement', 'region', 'settlement'][number % 3] if number % 4 else 'settlement'}",
            f"      note: {yaml_string(text)}",
            "    claims:",
            f"      - quote: {yaml_string(text[:200])}",
            "        status: disputed",  # needs two families: each hostile source is its own family
            f"        reason: {yaml_string(text)}",
            f"        other_account: {yaml_string(text)}",
            f"        sources: [hostile-{number}, hostile-{other}]",
            "    sources:",
            f"      - id: hostile-{number}",
            f"        confirms: {yaml_string(text)}",
            f"      - id: hostile-{other}",
            f"        confirms: {yaml_string(text[::-1])}",
        ]
        # The claims table accounts for the hostile article line by line; the log names every record.
        sentences += [
            f"  - text: {yaml_string(text[:200])}",
            "    kind: checked",
            f"    events: [hostile-{number}]",
            f"    zh: {yaml_string(text[:200])}",
            f"    mt_note: {yaml_string(text)}",
        ]
        corrections += [
            '  - date: "2026-11-26"',
            f"    records: [hostile-{number}]",
            f"    change: {yaml_string(text)}",
            f"    why: {yaml_string(text[::-1])}",
        ]
    events += [
        "  - id: hostile-undisclosed",
        f"    title: {yaml_string(HOSTILE[0])}",
        f"    description: {yaml_string(HOSTILE[1])}",
        "    category: military",
        '    when: {start: "2019-08-01", end: "2019-08-31", precision: month}',
        "    where: {precision: undisclosed}",
        "    sources: [{id: hostile-0, confirms: x}]",
    ]
    (data / "sources.yaml").write_text("\n".join(sources) + "\n", encoding="utf-8")
    (data / "events.yaml").write_text("\n".join(events) + "\n", encoding="utf-8")
    (data / "claims.yaml").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    (data / "corrections.yaml").write_text("\n".join(corrections) + "\n", encoding="utf-8")
    article.write_text("\n".join(text[:200] for text in HOSTILE), encoding="utf-8")

    def poison(collection: dict) -> None:
        for number, feature in enumerate(collection["features"]):
            props = feature["properties"]
            for key in ("name", "name_ru", "name_zh", "note", "known", "unknown", "size_reason"):
                if key in props:
                    props[key] = HOSTILE[(number + len(key)) % len(HOSTILE)]
            for role in props.get("roles", []):
                role["role"] = HOSTILE[1]
                role["sources"] = [{"id": "hostile-2", "confirms": HOSTILE[3]}]
            if "sources" in props:
                props["sources"] = [{"id": "hostile-4", "confirms": HOSTILE[0]}]

    for layer in ("places", "chita", "depots", "krai", "context"):
        edit_layer(data, layer, poison)


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from tests.conftest import DATA

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA, data)
    hostile_data(data, root / "article.txt")
    output = root / "map.html"
    assert main(["--data", str(data), "--output", str(output), "--article", str(root / "article.txt")]) == 0
    return output


def test_no_template_in_the_data_is_evaluated_at_build_time(hostile_map: Path) -> None:
    assert not Path("/tmp/casemap-ssti-marker").exists()  # noqa: S108 - the path the payload would write
    assert "49 jinja" not in hostile_map.read_text(encoding="utf-8")


def test_no_hostile_markup_survives_into_the_html(hostile_map: Path) -> None:
    page = hostile_map.read_text(encoding="utf-8")
    for text in HOSTILE:
        if "<" in text:
            assert text not in page
    assert page.count("</script>") == page.count("<script")


@pytest.mark.browser
def test_nothing_executes_and_every_string_shows_as_written(
    open_page: Callable[..., OpenedPage], hostile_map: Path
) -> None:
    opened = open_page(hostile_map)
    page = opened.page
    shown = []
    for index in range(page.evaluate("() => Casemap.state.events.length")):
        page.evaluate("(i) => Casemap.state.list.reveal(i)", index)
        event_id = page.evaluate("(i) => Casemap.state.events[i].id", index)
        page.locator(f"#cm-event-{index}").click()
        popup = page.locator(f'.cm-event-popup[data-event="{event_id}"]')
        popup.wait_for(timeout=5_000)
        shown.append(
            {
                "id": event_id,
                "title": popup.locator("h3").text_content(),
                "quote": popup.locator("blockquote").text_content() if popup.locator("blockquote").count() else None,
                "outlet": popup.locator(".cm-source a").first.text_content(),
                "row": page.locator(f"#cm-event-{index} .cm-item-title").text_content(),
            }
        )
    page.evaluate(
        """() => { const s = Casemap.state;
                   for (const key of ['places', 'chita', 'depots', 'krai', 'context']) {
                     s.layers[key].eachLayer(l => { l.openPopup(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()); });
                   }
                   document.querySelector('.cm-panel-foot button').click(); }"""
    )
    page.keyboard.press("Escape")  # the method panel is a modal dialog: the search behind it is inert until it closes
    by_id = {item["id"]: item for item in shown}
    for number, text in enumerate(HOSTILE):
        item = by_id[f"hostile-{number}"]
        assert item["title"] == text
        assert item["row"] == text
        assert item["quote"] == text[:200]
        assert item["outlet"].startswith(text)
    for text in HOSTILE:
        page.locator("input.cm-search").fill(text[:30])
        # The search runs on the input event, before fill returns: had it made markup from the text, the elements
        # would be here now (a handler such as onerror can only fire later from an element that exists).
        assert page.locator(".cm-results *:is(img, script, svg, iframe, a[href])").count() == 0, text
    # Let any task queued by the searches run: resolve after the next frame and the task after it.
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))")
    assert page.evaluate("() => window.__pwned") is None
    assert opened.errors == []
    # The map still draws: every layer present, the event list full.
    assert page.evaluate("() => Casemap.state.shown.length") == len(HOSTILE) + 1
    assert page.locator(".leaflet-overlay-pane path").count() > 10
    tooltip_text = page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-tooltip')).map(t => t.textContent)"
    )
    assert any(text in tooltip_text for text in HOSTILE)
