"""Bulk events as JSON Lines: the same schema, the same messages with their lines, the same map."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from build_map import main
from tests.pagekit import read_payload


def to_jsonl(data: Path) -> None:
    """Rewrite events.yaml as events.jsonl (every scalar kept as the string YAML's base loader reads)."""
    events = yaml.load((data / "events.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["events"]  # noqa: S506 - BaseLoader makes only strings, lists and dicts
    lines = [json.dumps(event, ensure_ascii=False) for event in events]
    (data / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "events.yaml").unlink()


def test_jsonl_builds_the_same_map_as_yaml(data_copy: Path, tmp_path: Path) -> None:
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "yaml.html")]) == 0
    to_jsonl(data_copy)
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "jsonl.html")]) == 0
    from_yaml = read_payload((tmp_path / "yaml.html").read_text(encoding="utf-8"))
    from_jsonl = read_payload((tmp_path / "jsonl.html").read_text(encoding="utf-8"))
    assert from_jsonl["events"] == from_yaml["events"]


@pytest.mark.parametrize(
    ("edit", "fragment", "line"),
    [
        (lambda lines: lines.__setitem__(2, lines[2][:-1]), "one JSON object per line", 3),
        (
            lambda lines: lines.__setitem__(1, lines[1].replace('"category": "case"', '"category": 7')),
            "category: expected a text",
            2,
        ),
        (lambda lines: lines.__setitem__(0, lines[0].replace('{"id"', '{"title": "x", "id"')), "key 'title' twice", 1),
        (lambda lines: lines.__setitem__(3, "[1, 2]"), "a JSON object {...} on each line", 4),
        (lambda lines: lines.__setitem__(4, re.sub(r'"category": "[^"]*"', '"category": NaN', lines[4])), "NaN", 5),
    ],
)
def test_jsonl_errors_name_their_line(
    data_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[list[str]], None],
    fragment: str,
    line: int,
) -> None:
    to_jsonl(data_copy)
    path = data_copy / "events.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    edit(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "m.html")]) == 2
    err = capsys.readouterr().err
    assert any(text.strip().startswith(f"{path}:{line} ") and fragment in text for text in err.splitlines()), err


def test_two_events_files_are_refused(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = (data_copy / "events.yaml").read_text(encoding="utf-8")
    to_jsonl(data_copy)
    (data_copy / "events.yaml").write_text(events, encoding="utf-8")
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "m.html")]) == 2
    assert "one events file" in capsys.readouterr().err
