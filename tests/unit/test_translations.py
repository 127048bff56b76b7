"""data/translations/LANG.yaml read and cross-checked (geo.casefile.translations): each kind of problem located as
file:line [record] field, against a small set of English originals made here (the committed case's are the page
tier's: tests/page/test_content_build.py)."""

from __future__ import annotations

from pathlib import Path

from geo.casefile.schema_translation import ITEM_MAX
from geo.casefile.translations import (
    ContentTranslation,
    Originals,
    check_translation,
    claim_key,
    feature_key,
    parse_translation,
    read_translations,
)
from geo.common.errors import Problem
from tests.datakit import line_of

ENGLISH: Originals = {
    ("summary", ""): {"summary": ("First.", "Second.")},
    ("chapters", "arrest"): {"title": "Arrested", "text": ("One.", "Two.")},
    ("events", "arrest"): {
        "title": "Arrest",
        "description": "D.",
        "when_label": "",
        "public_label": "",
        "where_note": "",
    },
    ("events", "verdict"): {"title": "Verdict", "description": "D.", "when_label": "early 2021", "where_note": "N."},
    ("claims", claim_key("arrest", "He was arrested")): {"reason": "R.", "other_account": ""},
    ("places", "chita"): {"note": "N.", "roles": ("capital", "court")},
    ("categories", "case"): {"label": "The case"},
    ("layers", "borders"): {"title": "Borders", "description": "D.", "popup_note": ""},
    ("features", feature_key("borders", "border-china")): {"name": "Border with China"},
}
VALID = """\
language: ru
translator: casemap project
summary: ["Первый.", "Второй."]
chapters:
  - id: arrest
    title: "Арест"
    text: ["Один.", "Два."]
events:
  - id: arrest
    title: "Арест"
    claims:
      - quote: "He was arrested"
        reason: "Причина."
  - id: verdict
    when_label: "начало 2021 года"
    where_note: "Заметка."
places:
  - id: chita
    roles: ["столица", "суд"]
categories: [{id: case, label: "Дело"}]
layers: [{key: borders, title: "Границы"}]
features:
  - layer: borders
    id: border-china
    name: "Граница с Китаем"
"""


def read(tmp_path: Path, text: str, name: str = "ru.yaml") -> tuple[ContentTranslation | None, list[Problem], Path]:
    folder = tmp_path / "translations"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return parse_translation(path, problems), problems, path


def checked(tmp_path: Path, text: str) -> tuple[list[Problem], Path]:
    translation, problems, path = read(tmp_path, text)
    assert problems == [] and translation is not None, problems
    return check_translation(translation, ENGLISH), path


def located(problems: list[Problem]) -> list[tuple[int, str, str]]:
    return [(p.line, p.record, p.field) for p in problems]


def test_a_valid_translation_reads_every_section_and_checks_clean(tmp_path: Path) -> None:
    problems, _ = checked(tmp_path, VALID)
    assert problems == []
    translation, _, _ = read(tmp_path, VALID)
    assert translation is not None and translation.language == "ru" and translation.translator == "casemap project"
    keys = {(entry.section, entry.key) for entry in translation.entries}
    assert keys == set(ENGLISH)
    claim = next(entry for entry in translation.entries if entry.section == "claims")
    assert claim.texts == {"reason": "Причина."}


def test_an_unknown_event_id_is_located_at_its_id(tmp_path: Path) -> None:
    problems, path = checked(tmp_path, VALID.replace("  - id: verdict", "  - id: no-such-event"))
    assert located(problems) == [(line_of(path, "no-such-event"), "no-such-event", "id")]
    assert "an id of the case's events" in problems[0].expected


def test_an_unknown_chapter_category_and_place_are_each_located(tmp_path: Path) -> None:
    text = VALID.replace('  - id: arrest\n    title: "Арест"\n    text', '  - id: arest\n    title: "Арест"\n    text')
    text = text.replace("{id: case,", "{id: cases,").replace("  - id: chita", "  - id: chyta")
    problems, path = checked(tmp_path, text)
    assert sorted(located(problems)) == sorted(
        [
            (line_of(path, "id: arest"), "arest", "id"),
            (line_of(path, "id: cases"), "cases", "id"),
            (line_of(path, "id: chyta"), "chyta", "id"),
        ]
    )


def test_a_features_name_is_read_by_layer_and_id(tmp_path: Path) -> None:
    translation, problems, _ = read(tmp_path, VALID)
    assert problems == [] and translation is not None
    feature = next(entry for entry in translation.entries if entry.section == "features")
    assert (feature.key, feature.texts) == (feature_key("borders", "border-china"), {"name": "Граница с Китаем"})


def test_an_unknown_layer_and_an_unknown_feature_id_are_each_located(tmp_path: Path) -> None:
    # The layer is checked first: a feature id is only looked for in a layer the case has.
    text = VALID.replace("  - layer: borders\n    id: border-china", "  - layer: border\n    id: border-china")
    problems, path = checked(tmp_path, text)
    assert located(problems) == [(line_of(path, "layer: border"), "border-china", "layer")]
    assert problems[0].expected == "a layer key of case.yaml" and problems[0].found == '"border"'
    problems, path = checked(tmp_path, VALID.replace("id: border-china", "id: border-mongolia"))
    assert located(problems) == [(line_of(path, "layer: borders"), "border-mongolia", "id")]
    assert "named feature in the GeoJSON of layer borders" in problems[0].expected


def test_a_feature_name_field_the_format_lacks_is_refused(tmp_path: Path) -> None:
    _, problems, path = read(tmp_path, VALID.replace('    name: "Граница с Китаем"', '    title: "Граница"'))
    assert (line_of(path, 'title: "Граница"'), "border-china", "title") in located(problems)


def test_a_claim_quote_that_is_not_one_of_the_events_quotes_is_located(tmp_path: Path) -> None:
    # The quote names the claim: a translated quote, or one of another event, names none.
    problems, path = checked(tmp_path, VALID.replace('quote: "He was arrested"', 'quote: "Его арестовали"'))
    assert located(problems) == [(line_of(path, "Его арестовали"), "arrest", "claims[].quote")]
    assert "one of this event's claim quotes" in problems[0].expected


def test_a_when_label_where_the_event_has_none_is_refused(tmp_path: Path) -> None:
    text = VALID.replace(
        '    title: "Арест"\n    claims:', '    title: "Арест"\n    when_label: "август 2019"\n    claims:'
    )
    problems, path = checked(tmp_path, text)
    assert located(problems) == [(line_of(path, "август 2019"), "arrest", "when_label")]
    assert problems[0].expected == "no when_label: the English record has none to translate"


def test_paragraph_and_role_counts_that_differ_are_refused(tmp_path: Path) -> None:
    text = VALID.replace('summary: ["Первый.", "Второй."]', 'summary: ["Первый и второй."]')
    text = text.replace('text: ["Один.", "Два."]', 'text: ["Один.", "Два.", "Три."]')
    text = text.replace('roles: ["столица", "суд"]', 'roles: ["столица"]')
    problems, path = checked(tmp_path, text)
    assert sorted(located(problems)) == sorted(
        [
            (line_of(path, "summary:"), "summary", "summary"),
            (line_of(path, "Три."), "arrest", "text"),
            (line_of(path, "roles:"), "chita", "roles"),
        ]
    )
    by_field = {p.field: (p.expected, p.found) for p in problems}
    assert by_field["summary"] == ("2 paragraphs, as many as the English", "1")
    assert by_field["text"] == ("2 paragraphs, as many as the English", "3")
    assert by_field["roles"] == ("2 roles, as many as the English", "1")


def test_unknown_fields_are_refused_at_every_level(tmp_path: Path) -> None:
    text = VALID.replace("translator: casemap project\n", "translator: casemap project\nnotes: x\n")
    text = text.replace("  - id: verdict\n", '  - id: verdict\n    titel: "Приговор"\n')
    text = text.replace('        reason: "Причина."\n', '        reason: "Причина."\n        status: corrected\n')
    _, problems, path = read(tmp_path, text)
    assert sorted(located(problems)) == sorted(
        [
            (line_of(path, "notes:"), "", "notes"),
            (line_of(path, "titel:"), "verdict", "titel"),
            (line_of(path, "status: corrected"), "arrest", "claims[].status"),
        ]
    )
    assert all(p.found == "an unknown field" for p in problems)


def test_the_language_must_be_the_files_name_and_from_the_closed_set(tmp_path: Path) -> None:
    _, problems, _ = read(tmp_path, VALID.replace("language: ru", "language: zh"))
    assert located(problems) == [(1, "", "language")] and problems[0].expected == "ru, the file's name"
    _, problems, _ = read(tmp_path, VALID.replace("language: ru", "language: de"), name="zh.yaml")
    assert located(problems) == [(1, "", "language")] and problems[0].expected == "one of ru, zh"


def test_a_file_outside_the_closed_set_of_languages_is_refused_by_name(tmp_path: Path) -> None:
    read(tmp_path, VALID)
    read(tmp_path, VALID.replace("language: ru", "language: de"), name="de.yaml")
    problems: list[Problem] = []
    found = read_translations(tmp_path, problems)
    assert list(found) == ["ru"]
    assert [(Path(p.file).name, p.line) for p in problems] == [("de.yaml", 0)]
    assert "LANG one of ru, zh" in problems[0].expected


def test_a_case_without_a_translations_folder_has_no_translations(tmp_path: Path) -> None:
    problems: list[Problem] = []
    assert read_translations(tmp_path, problems) == {} and problems == []


def test_a_blank_or_over_long_item_in_a_list_of_texts_is_located_at_its_own_line(tmp_path: Path) -> None:
    long_role = "с" * (ITEM_MAX["roles"] + 1)
    text = VALID.replace('summary: ["Первый.", "Второй."]', 'summary:\n  - "Первый."\n  - "   "')
    text = text.replace('roles: ["столица", "суд"]', f'roles:\n      - "столица"\n      - "{long_role}"')
    translation, problems, path = read(tmp_path, text)
    assert translation is not None
    assert [(p.line, p.field, p.expected) for p in problems] == [
        (line_of(path, '"   "'), "summary[2]", "a text"),
        (line_of(path, long_role), "roles[2]", f"at most {ITEM_MAX['roles']:,} characters"),
    ]
