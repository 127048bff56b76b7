"""A case with hostile strings in every data field (for tests/page/test_hostile.py and tests/browser/test_hostile_page.py).

The map is built once per run (the session fixture ``hostile_map`` in conftest.py) and checked by both tiers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from build_map import main
from tests.datakit import edit_layer, replace_in

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
    (data / "story.yaml").write_text("\n".join(hostile_story()) + "\n", encoding="utf-8")
    # The committed translations name the real case's records; the hostile case has its own, as hostile.
    for committed in (data / "translations").glob("*.yaml"):
        committed.unlink()
    (data / "translations" / "ru.yaml").write_text("\n".join(hostile_translation()) + "\n", encoding="utf-8")
    article.write_text("\n".join(text[:200] for text in HOSTILE), encoding="utf-8")
    # The map's publisher is the author of every ClaimReview in the page's JSON-LD.
    replace_in(data / "case.yaml", "publisher:\n  name: casemap\n", f"publisher:\n  name: {yaml_string(HOSTILE[1])}\n")

    def poison(collection: dict[str, Any]) -> None:
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


def hostile_story() -> list[str]:
    """story.yaml with a hostile string in the summary and in every chapter's title and text."""
    story = ["original: hostile-1", "summary:", *(f"  - {yaml_string(text)}" for text in HOSTILE[-5:]), "chapters:"]
    for number, text in enumerate(HOSTILE):
        story += [
            f"  - id: hostile-{number}",
            f"    title: {yaml_string(text[:120])}",
            f"    text: [{yaml_string(text)}, {yaml_string(text[::-1])}]",
            f"    events: [hostile-{number}]",
        ]
    return story


def hostile_translation() -> list[str]:
    """translations/ru.yaml with a hostile string as the translator and in the summary, chapters and events."""
    lines = ["language: ru", f"translator: {yaml_string(HOSTILE[2][:60])}", "summary:"]
    lines += [f"  - {yaml_string(text[::-1])}" for text in HOSTILE[-5:]]
    chapters, events = ["chapters:"], ["events:"]
    for number, text in enumerate(HOSTILE):
        chapters += [
            f"  - id: hostile-{number}",
            f"    title: {yaml_string(text[::-1][:120])}",
            f"    text: [{yaml_string(text[::-1])}, {yaml_string(text)}]",
        ]
        events += [
            f"  - id: hostile-{number}",
            f"    title: {yaml_string(text[::-1])}",
            f"    description: {yaml_string(text)}",
        ]
    return lines + chapters + events


def build_hostile_map(root: Path) -> Path:
    """The committed case with a hostile string in every text field, built into ``root``/map.html."""
    import shutil

    from tests.conftest import DATA

    data = root / "data"
    shutil.copytree(DATA, data)
    hostile_data(data, root / "article.txt")
    output = root / "map.html"
    assert main(["--data", str(data), "--output", str(output), "--article", str(root / "article.txt")]) == 0
    return output
