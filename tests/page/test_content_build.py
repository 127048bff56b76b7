"""Content translations through the build (issue #14): the payload carries each language that exists, keyed as the
page looks records up, and a translation naming what the case does not have stops the build, located, leaving the
previous page as it was. The translation is the tests' fixture (tests/datakit.py), written into a data copy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from build_map import main
from tests.datakit import (
    FIXTURE_CHAPTER,
    FIXTURE_FEATURE,
    FIXTURE_FEATURE_LAYER,
    FIXTURE_FEATURE_NAME_RU,
    FIXTURE_TITLE_ONLY_EVENT,
    FIXTURE_TITLE_RU,
    FIXTURE_TRANSLATED_EVENT,
    fixture_translation,
    line_of,
    replace_in,
    write_translation,
)
from tests.pagekit import read_payload


def build(data: Path, output: Path) -> int:
    return main(["--data", str(data), "--output", str(output)])


def test_the_payload_carries_the_translation_keyed_as_the_page_reads_it(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "translations").mkdir(exist_ok=True)
    for stale in (data_copy / "translations").iterdir():
        stale.unlink()  # the committed case's own translations, once ru-text and zh-text add them, are not this test's
    write_translation(data_copy)
    output = tmp_path / "map.html"
    assert build(data_copy, output) == 0
    translations = read_payload(output.read_text(encoding="utf-8"))["translations"]
    assert list(translations) == ["ru"], "only the languages that exist travel"
    ru, fixture = translations["ru"], fixture_translation(data_copy)
    assert ru["translator"] == "casemap project"
    event = ru["events"][FIXTURE_TRANSLATED_EVENT]
    assert event["title"] == FIXTURE_TITLE_RU and event["where_note"] == fixture["events"][0]["where_note"]
    # The claim is named in the file by its English quote, in the page by its place among the event's claims.
    events = yaml.safe_load((data_copy / "events.yaml").read_text(encoding="utf-8"))["events"]
    quotes = [c["quote"] for c in next(e for e in events if e["id"] == FIXTURE_TRANSLATED_EVENT)["claims"]]
    position = str(quotes.index(fixture["events"][0]["claims"][0]["quote"]))
    assert event["claims"] == {position: {"reason": fixture["events"][0]["claims"][0]["reason"]}}
    assert ru["events"][FIXTURE_TITLE_ONLY_EVENT] == {"title": fixture["events"][1]["title"]}
    assert ru["chapters"][FIXTURE_CHAPTER]["text"] == fixture["chapters"][0]["text"]
    assert ru["categories"] == {"case": {"label": "Дело"}}
    # A derived feature's name by its layer's key and its id there, as the page's data.featureIds name it.
    assert ru["features"] == {FIXTURE_FEATURE_LAYER: {FIXTURE_FEATURE: {"name": FIXTURE_FEATURE_NAME_RU}}}
    assert "summary" not in ru and "zh" not in translations


def test_a_case_without_translations_carries_none(data_copy: Path, tmp_path: Path) -> None:
    folder = data_copy / "translations"
    if folder.exists():
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    output = tmp_path / "map.html"
    assert build(data_copy, output) == 0
    assert read_payload(output.read_text(encoding="utf-8"))["translations"] == {}


# Each: the edit to the fixture file, the text on the line the problem is reported at, and what the message says.
BAD = {
    "unknown-id": (
        f"id: {FIXTURE_TITLE_ONLY_EVENT}",
        "id: no-such-event",
        "no-such-event",
        "no-such-event",
        "id",
        "an id of the case's events",
    ),
    "when-label-without-english": (
        "where_note: Город не назван.",
        "where_note: Город не назван.\n  when_label: август",
        "when_label: август",
        FIXTURE_TRANSLATED_EVENT,
        "when_label",
        "no when_label",
    ),
    # Checked against the committed layer's GeoJSON: borders.geojson has no such feature.
    "unknown-feature-id": (
        f"id: {FIXTURE_FEATURE}",
        "id: border-kazakhstan",
        f"layer: {FIXTURE_FEATURE_LAYER}",
        "border-kazakhstan",
        "id",
        f"the id of a named feature in the GeoJSON of layer {FIXTURE_FEATURE_LAYER}",
    ),
    # A depot's name is translated under depots[] (the page reads it there), never under features[].
    "depot-under-features": (
        f"layer: {FIXTURE_FEATURE_LAYER}\n  id: {FIXTURE_FEATURE}",
        "layer: depots\n  id: depot-chita",
        "layer: depots",
        "depot-chita",
        "id",
        "the id of a named feature in the GeoJSON of layer depots",
    ),
    "paragraph-count": (
        "  - Третий абзац главы.\n",
        "",
        "text:",
        FIXTURE_CHAPTER,
        "text",
        "3 paragraphs, as many as the English",
    ),
}


@pytest.mark.parametrize(("old", "new", "at", "record", "field", "expected"), BAD.values(), ids=BAD.keys())
def test_a_bad_translation_stops_the_build_located_and_leaves_the_page(
    data_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    at: str,
    record: str,
    field: str,
    expected: str,
) -> None:
    path = write_translation(data_copy)
    output = tmp_path / "map.html"
    assert build(data_copy, output) == 0
    before = output.read_bytes()
    replace_in(path, old, new)
    line = line_of(path, at)
    capsys.readouterr()
    assert build(data_copy, output) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line} [{record}] {field}: expected {expected}" in err, err
    assert "Traceback" not in err
    assert output.read_bytes() == before
