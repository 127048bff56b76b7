"""The interface catalogues (geo/page/messages/*.yaml): the committed three agree, and each kind of disagreement
stops the build naming the file, the line and the key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from geo.common.errors import DataValidationError
from geo.page import assets, messages
from tests.casenames import case_names, name_pattern
from tests.conftest import DATA


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "messages"
    shutil.copytree(messages.MESSAGES_DIR, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def _problems(folder: Path) -> list[str]:
    with pytest.raises(DataValidationError) as caught:
        messages.load_messages(folder)
    return [str(problem) for problem in caught.value.problems]


def test_the_committed_catalogues_agree_and_hold_every_header() -> None:
    loaded = messages.load_messages()
    assert sorted(loaded) == ["en", "ru", "zh"]
    assert set(loaded["ru"]) == set(loaded["en"]) == set(loaded["zh"])
    assert loaded["ru"]["core.status.corroborated"] != loaded["en"]["core.status.corroborated"]
    assert loaded["ru"]["events.count"] == {
        "one": "{shown} из {n} события",
        "few": "{shown} из {n} событий",
        "many": "{shown} из {n} событий",
        "other": "{shown} из {n} события",
    }
    for language in messages.LANGUAGES:
        text = (messages.MESSAGES_DIR / f"{language}.yaml").read_text(encoding="utf-8")
        headers = re.findall(r"^# --- (\S+) ---$", text, re.MULTILINE)
        assert headers == [*assets.CASEMAP_JS, *messages.PY_SECTIONS], language


def test_a_key_missing_from_a_translation_is_named_with_the_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "zh.yaml", 'core.status.disputed: "有争议"\n', "")
    assert _problems(folder) == [
        f"{folder / 'zh.yaml'} core.status.disputed: expected the key (en.yaml has it, {folder / 'en.yaml'}); add it"
    ]


def test_a_key_en_lacks_is_named_with_its_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "ru.yaml", "# --- events.js ---\n", '# --- events.js ---\nevents.extra: "лишнее"\n')
    line = _line_of(folder / "ru.yaml", "events.extra:")
    assert _problems(folder) == [
        f"{folder / 'ru.yaml'}:{line} events.extra: expected only keys en.yaml has: add it there or remove it"
    ]


def test_a_placeholder_unlike_english_is_named_with_its_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "ru.yaml", '"{shown} из {n} событий"\n  many', '"{shown} из {count} событий"\n  many')
    line = _line_of(folder / "ru.yaml", "events.count:")
    (problem,) = _problems(folder)
    assert problem.startswith(
        f"{folder / 'ru.yaml'}:{line} events.count: expected each plural form with the placeholders"
    )


def test_a_plain_message_with_a_placeholder_english_lacks_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "zh.yaml", '"有争议"', '"有争议 {status}"')
    line = _line_of(folder / "zh.yaml", "core.status.disputed:")
    assert _problems(folder) == [
        f"{folder / 'zh.yaml'}:{line} core.status.disputed: expected the placeholders [], as en.yaml; found ['status']"
    ]


@pytest.mark.parametrize(
    ("language", "old", "new", "expected"),
    [
        # Russian needs one, few, many and other: a plural with English's two is refused.
        ("ru", '  few: "{shown} из {n} событий"\n  many: "{shown} из {n} событий"\n', "", "one, few, many, other"),
        # Chinese has only other.
        (
            "zh",
            '  other: "{n} 个事件中显示 {shown} 个"\n',
            '  one: "{n} 个"\n  other: "{n} 个事件中显示 {shown} 个"\n',
            "other",
        ),
    ],
)
def test_plural_categories_not_the_languages_are_named(
    tmp_path: Path, language: str, old: str, new: str, expected: str
) -> None:
    folder = _copy(tmp_path)
    _edit(folder / f"{language}.yaml", old, new)
    line = _line_of(folder / f"{language}.yaml", "events.count:")
    (problem,) = _problems(folder)
    assert problem.startswith(
        f"{folder / f'{language}.yaml'}:{line} events.count: expected exactly the plural categories {expected};"
    )


def test_a_text_where_english_has_a_plural_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "zh.yaml").read_text(encoding="utf-8")
    (folder / "zh.yaml").write_text(
        re.sub(r"events\.count:\n  other: (.*)\n", r"events.count: \1\n", text), encoding="utf-8"
    )
    line = _line_of(folder / "zh.yaml", "events.count:")
    (problem,) = _problems(folder)
    assert (
        problem
        == f"{folder / 'zh.yaml'}:{line} events.count: expected a mapping of the plural categories other, as en.yaml has"
    )


def test_a_key_under_another_pieces_header_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "en.yaml", "# --- events.js ---\n", '# --- events.js ---\ntime.stray: "x"\n')
    for language in ("ru", "zh"):
        _edit(folder / f"{language}.yaml", "# --- events.js ---\n", '# --- events.js ---\ntime.stray: "x"\n')
    line = _line_of(folder / "en.yaml", "time.stray:")
    problems = _problems(folder)
    assert (
        f"{folder / 'en.yaml'}:{line} time.stray: expected under '# --- time.js ---'; found under 'events.js'"
        in problems
    )
    assert len(problems) == 3  # one per catalogue


def test_a_missing_header_and_a_bad_key_are_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "en.yaml", "# --- mapkey.js ---\n", "")
    _edit(folder / "en.yaml", "# --- card.js ---\n", '# --- card.js ---\nCard.Title: "x"\n')
    line = _line_of(folder / "en.yaml", "Card.Title:")
    problems = _problems(folder)
    assert (
        f"{folder / 'en.yaml'}:{line} Card.Title: expected a key piece.name (lowercase, dots and underscores)"
        in problems
    )
    assert any(p.startswith(f"{folder / 'en.yaml'} headers: expected a '# --- piece ---' header") for p in problems)


def test_a_yaml_error_is_located_and_nothing_raises_past_the_check(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(
        folder / "ru.yaml",
        'core.status.corrected: "Исправлено"\n',
        'core.status.corrected: "Исправлено"\ncore.status.corrected: "x"\n',
    )
    line = _line_of(folder / "ru.yaml", 'core.status.corrected: "x"')
    assert (
        f"{folder / 'ru.yaml'}:{line} core.status.corrected: expected each key once per mapping (first at line {line - 1}); found a duplicate"
        in _problems(folder)
    )


def test_the_startup_text_is_escaped_json_of_the_fatal_keys_only() -> None:
    line = messages.startup_script({"en": {"main.fatal.title": "a </script> b", "core.x": "no"}, "ru": {}, "zh": {}})
    assert line == 'var STARTUP_TEXT = {"en": {"main.fatal.title": "a \\u003c/script> b"}, "ru": {}, "zh": {}};\n'
    assert "main.fatal.title" in assets.startup_text()


def test_the_catalogues_name_nothing_of_this_case() -> None:
    # Engine files: a word such as "считаются" holds a city's name in Cyrillic (found by the new-case page test).
    pattern = name_pattern(case_names(DATA))
    for language in messages.LANGUAGES:
        text = (messages.MESSAGES_DIR / f"{language}.yaml").read_text(encoding="utf-8")
        assert not pattern.findall(text), (language, pattern.findall(text))
