"""The strict YAML loader: strings stay strings, and every trap is reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.casefile.yamlsafe import Mapping, Sequence, load_yaml, parse_yaml


def test_plain_scalars_stay_strings_without_yaml11_coercions() -> None:
    loaded = parse_yaml("a: NO\nb: 12:30\nc: 2021-02-25\nd: 1e3\ne: ~\n", name="t.yaml")
    assert loaded.problems == []
    assert isinstance(loaded.root, Mapping)
    assert loaded.root.items == {"a": "NO", "b": "12:30", "c": "2021-02-25", "d": "1e3", "e": "~"}


def test_lines_are_remembered_for_keys_and_items() -> None:
    loaded = parse_yaml("top:\n  - x\n  - y: 1\n    z: 2\n", name="t.yaml")
    assert isinstance(loaded.root, Mapping)
    top = loaded.root.get("top")
    assert isinstance(top, Sequence)
    assert top.item_lines == [2, 3]
    second = top.items[1]
    assert isinstance(second, Mapping)
    assert second.line_of("z") == 4


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\na: 2\n", 2, "each key once per mapping \\(first at line 1\\)"),
        ("a: !!python/object:os.system x\n", 1, "plain YAML without tags"),
        ("a: !!int 5\n", 1, "plain YAML without tags"),
        ("a: &anchor 1\nb: *anchor\n", 1, "no aliases"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", 1, "at most 64 levels of nesting"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", 1, "valid YAML"),
        ("a: [1,\n", 2, "valid YAML"),
        ("a: 1\n b: 2\n", 2, "valid YAML"),
        ("---\na: 1\n---\nb: 2\n", 3, "single document"),
        ("", 0, "an empty file"),
    ],
)
def test_each_trap_is_reported_at_its_line(text: str, line: int, message: str) -> None:
    loaded = parse_yaml(text, name="t.yaml")
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.line == line
    assert problem.file == "t.yaml"
    import re

    assert re.search(message, str(problem)), str(problem)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfa: 1\n", "byte-order mark"),
        (b"a: 1\nb: caf\xe9\n", "UTF-8 text"),
        (b"a: " + b"x" * 2_100_000, "at most 2,000,000 bytes"),
    ],
)
def test_file_level_problems(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    loaded = load_yaml(path)
    assert loaded.root is None
    assert expected in str(loaded.problems[0])


def test_bad_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\nb: 2\nc: caf\xe9\n")
    assert load_yaml(path).problems[0].line == 3


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    loaded = load_yaml(tmp_path / "nope.yaml")
    assert "no such file" in str(loaded.problems[0])
