"""story.yaml through the build: a bad id stops it with a located message, and the page carries the story."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_map import main
from tests.datakit import line_of, replace_in
from tests.pagekit import read_payload


def test_a_chapter_naming_an_unknown_event_stops_the_build_and_leaves_the_page(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "map.html"
    assert main(["--data", str(data_copy), "--output", str(output)]) == 0
    before = output.read_bytes()
    story = data_copy / "story.yaml"
    replace_in(
        story, "events: [vasilyev-closed-trial, vasilyev-trial-bench]", "events: [vasilyev-closed-trial, no-such-event]"
    )
    line = line_of(story, "no-such-event")
    capsys.readouterr()
    assert main(["--data", str(data_copy), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert f"{story}:{line} [closed-trial] events[]: expected an event id from events.yaml" in err
    assert "no-such-event" in err and "Traceback" not in err
    assert output.read_bytes() == before


def test_the_page_carries_the_story_and_every_sentence_in_order(data_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "map.html"
    assert main(["--data", str(data_copy), "--output", str(output)]) == 0
    payload = read_payload(output.read_text(encoding="utf-8"))
    story = yaml.safe_load((data_copy / "story.yaml").read_text(encoding="utf-8"))
    assert payload["story"]["summary"] == story["summary"]
    assert [c["id"] for c in payload["story"]["chapters"]] == [c["id"] for c in story["chapters"]]
    assert [c["events"] for c in payload["story"]["chapters"]] == [c["events"] for c in story["chapters"]]
    sentences = yaml.safe_load((data_copy / "claims.yaml").read_text(encoding="utf-8"))["sentences"]
    assert [s["text"] for s in payload["article"]["sentences"]] == [s["text"] for s in sentences]
    assert [s["n"] for s in payload["article"]["sentences"]] == list(range(1, len(sentences) + 1))
    assert payload["article"]["outlet"] and payload["article"]["url"].startswith("https://")


def test_a_case_without_a_story_builds_without_one(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "story.yaml").unlink()
    # The translations name the story's chapters: without the story they would name chapters the case lacks.
    shutil.rmtree(data_copy / "translations")
    output = tmp_path / "map.html"
    assert main(["--data", str(data_copy), "--output", str(output)]) == 0
    assert read_payload(output.read_text(encoding="utf-8"))["story"] is None
