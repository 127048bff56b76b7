"""data/translations/LANG.yaml: the casemap project's own translation of a case's texts, read and cross-checked.

A file per language of schema_translation.CONTENT_LANGUAGES, named for it (``ru.yaml``) and saying so in
``language``; every section is optional and a record left out is simply not translated (the page shows the English,
marked). Reading gives one Entry per translated record, each field with its line; checking compares the entries with
the case's English texts (``Originals``, made by the page from the case's records): every id must exist, a claim is
named by its verbatim English quote, a field is translated only where the English has it, and lists of paragraphs
or roles have as many items as the English. Every problem is located as file:line [record] field.
"""

from __future__ import annotations

from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass
from pathlib import Path

from geo.casefile import fields
from geo.casefile import schema_translation as spec
from geo.casefile._read import items_of, text_items, top_mapping
from geo.casefile.fields import Context
from geo.casefile.schema import Section
from geo.casefile.yamlsafe import Mapping
from geo.common.errors import Problem, show_value

FOLDER = "translations"
# Files the folder may hold besides the translations: its own guide.
OTHER_FILES = ("README.md",)
Text = str | tuple[str, ...]
# (section, key) -> field -> the English text (or list of texts) the translation renders; a field the English
# lacks is absent. Claims are keyed by their event's id and their quote: claim_key().
Originals = AbcMapping[tuple[str, str], AbcMapping[str, Text]]

# Each list section: its declaration and the field (or fields) that name the record it translates.
LIST_SECTIONS: dict[str, tuple[Section, tuple[str, ...]]] = {
    "chapters": (spec.CHAPTERS, ("id",)),
    "events": (spec.EVENTS, ("id",)),
    "sentences": (spec.SENTENCES, ("n",)),
    "categories": (spec.LABELS, ("id",)),
    "groups": (spec.LABELS, ("id",)),
    "time_presets": (spec.PRESETS, ("start", "end")),
    "layers": (spec.LAYERS, ("key",)),
    "depots": (spec.DEPOTS, ("id",)),
    "places": (spec.PLACES, ("id",)),
    "features": (spec.FEATURES, ("layer", "id")),
}
SENTENCE_MAX_NUMBER = 100_000


@dataclass(frozen=True)
class Entry:
    """One translated record: its section, the key naming the English record, and each text with its line."""

    section: str
    key: str
    texts: dict[str, Text]
    lines: dict[str, int]
    line: int
    key_field: str


@dataclass(frozen=True)
class ContentTranslation:
    language: str
    translator: str
    file: str
    entries: tuple[Entry, ...]


def claim_key(event_id: str, quote: str) -> str:
    return f"{event_id}\n{quote}"


def feature_key(layer: str, feature_id: str) -> str:
    """A feature is named by its layer's key and its id there (ids are unique only within a layer's GeoJSON)."""
    return f"{layer}\n{feature_id}"


def _texts(ctx: Context, record: Mapping, key: str) -> tuple[str, ...] | None:
    """A list of non-empty texts (paragraphs, roles), each within its declared limit; None when absent or broken."""
    if record.get(key) is None:
        return None
    before = len(ctx.problems)
    found = text_items(ctx, record, key, max_chars=spec.ITEM_MAX[key])
    return found if len(ctx.problems) == before else None


def _field_texts(ctx: Context, record: Mapping, section: Section, skip: tuple[str, ...]) -> dict[str, Text]:
    """Every translated text of a record, read as its declaration says (a text, or a list of texts)."""
    found: dict[str, Text] = {}
    for field in section.fields:
        if field.name in skip or field.kind not in ("text", "list of texts"):
            continue
        if field.kind == "text":
            value: Text | None = fields.text(ctx, record, field.name, required=False, max_chars=field.max_chars)
        else:
            value = _texts(ctx, record, field.name)
        if value is not None:
            found[field.name] = value
    return found


def _key(ctx: Context, record: Mapping, names: tuple[str, ...]) -> str | None:
    """The key naming the English record: an id, a sentence number, or a preset's start/end."""
    if names == ("n",):
        number = fields.integer(ctx, record, "n", minimum=1, maximum=SENTENCE_MAX_NUMBER)
        return None if number is None else str(number)
    if names == ("start", "end"):
        start, end = fields.full_date(ctx, record, "start"), fields.full_date(ctx, record, "end")
        return None if start is None or end is None else f"{start}/{end}"
    if names == ("layer", "id"):
        layer, feature_id = fields.slug(ctx, record, "layer"), fields.slug(ctx, record, "id")
        return None if layer is None or feature_id is None else feature_key(layer, feature_id)
    return fields.slug(ctx, record, names[0])


def _entry(ctx: Context, name: str, record: Mapping, line: int) -> list[Entry]:
    """One record of a list section as an Entry, and its claims' entries for an event."""
    section, key_names = LIST_SECTIONS[name]
    # A feature's record is named by its id (its layer is the field beside it).
    first = record.get("id" if name == "features" else key_names[0])
    ctx.record = first if isinstance(first, str) else f"{name} item at line {line}"
    fields.unknown_keys(ctx, record, section.names)
    key = _key(ctx, record, key_names)
    texts = _field_texts(ctx, record, section, key_names)
    # An event's claims are read even when its id is not, so that each of their problems is reported too.
    claims = [claim for item in _mappings(ctx, record, "claims") if (claim := _claim(ctx, key or "", *item))]
    if key is None:
        return []
    lines = {field: record.line_of(field) for field in texts}
    return [Entry(name, key, texts, lines, line, key_names[0]), *claims]


def _claim(ctx: Context, event_id: str, record: Mapping, line: int) -> Entry | None:
    fields.unknown_keys(ctx, record, spec.CLAIMS.names, prefix="claims[].")
    quote = fields.text(ctx, record, "quote", max_chars=spec.QUOTE_MAX, prefix="claims[].")
    texts = _field_texts(ctx, record, spec.CLAIMS, ("quote",))
    if quote is None:
        return None
    lines = {field: record.line_of(field) for field in texts}
    return Entry("claims", claim_key(event_id, quote), texts, lines, record.line_of("quote"), "claims[].quote")


def _mappings(ctx: Context, record: Mapping, key: str) -> list[tuple[Mapping, int]]:
    return [
        (mapping, line)
        for item, line in items_of(ctx, record, key)
        if (mapping := fields.mapping(ctx, item, line=line, field=f"{key}[]")) is not None
    ]


def _top_entries(ctx: Context, root: Mapping) -> list[Entry]:
    """The summary and the case's own texts: records of their own, with no id."""
    entries: list[Entry] = []
    summary = _texts(ctx, root, "summary")
    if summary is not None:
        entries.append(Entry("summary", "", {"summary": summary}, {"summary": root.line_of("summary")}, 1, "summary"))
    case = fields.optional_mapping(ctx, root, "case")
    if case is not None:
        ctx.record = "case"
        fields.unknown_keys(ctx, case, spec.CASE.names, prefix="case.")
        texts = _field_texts(ctx, case, spec.CASE, ())
        entries.append(Entry("case", "", texts, {field: case.line_of(field) for field in texts}, case.line, "case"))
    return entries


def parse_translation(path: Path, problems: list[Problem]) -> ContentTranslation | None:
    """Read one translations file; its name (``ru.yaml``) is its language. Record every problem instead of raising."""
    if (top := top_mapping(path, problems, spec.TOP.names)) is None:
        return None
    ctx, root = top
    language = fields.choice(ctx, root, "language", spec.CONTENT_LANGUAGES)
    if language is not None and language != path.stem:
        ctx.problem(root.line_of("language"), "language", f"{path.stem}, the file's name", show_value(language))
    translator = fields.text(ctx, root, "translator", max_chars=spec.TRANSLATOR_MAX)
    entries = _top_entries(ctx, root)
    for name in LIST_SECTIONS:
        for record, line in _mappings(ctx, root, name):
            entries += _entry(ctx, name, record, line)
    if language is None or translator is None:
        return None
    return ContentTranslation(language, translator, str(path), tuple(entries))


def read_translations(data_dir: Path, problems: list[Problem]) -> dict[str, ContentTranslation]:
    """Every translations file of the case folder, by language; none when the folder has no translations/."""
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return {}
    found: dict[str, ContentTranslation] = {}
    for path in sorted(folder.iterdir()):
        if path.name in OTHER_FILES:
            continue
        if path.suffix != ".yaml" or path.stem not in spec.CONTENT_LANGUAGES:
            expected = f"a file named LANG.yaml for LANG one of {', '.join(spec.CONTENT_LANGUAGES)}"
            problems.append(Problem(str(path), 0, "", "", expected, show_value(path.name)))
            continue
        translation = parse_translation(path, problems)
        if translation is not None:
            found[translation.language] = translation
    return found


def _unknown_feature(entry: Entry, file: str, originals: Originals) -> Problem:
    """A feature whose layer is not the case's is located at `layer`; one its layer lacks, at `id`."""
    layer, feature_id = entry.key.split("\n", 1)
    if ("layers", layer) not in originals:
        return Problem(file, entry.line, feature_id, "layer", "a layer key of case.yaml", show_value(layer))
    expected = (
        f"the id of a named feature in the GeoJSON of layer {layer} (data/layers/); a depot's name is translated "
        "under depots[], a place's name is places.yaml's name_LANG"
    )
    return Problem(file, entry.line, feature_id, "id", expected, show_value(feature_id))


def _unknown(entry: Entry, file: str, originals: Originals) -> Problem:
    if entry.section == "claims":
        event_id, quote = entry.key.split("\n", 1)
        expected = "one of this event's claim quotes, verbatim from events.yaml (the quote names the claim)"
        return Problem(file, entry.line, event_id, entry.key_field, expected, show_value(quote))
    if entry.section == "features":
        return _unknown_feature(entry, file, originals)
    what = "a time preset's start and end" if entry.section == "time_presets" else "an id"
    expected = f"{what} of the case's {entry.section.replace('_', ' ')}"
    return Problem(file, entry.line, entry.key, entry.key_field, expected, show_value(entry.key))


def _mismatch(entry: Entry, field: str, english: Text | None, file: str) -> Problem | None:
    """The translated field against the English: present where it is, and as many items."""
    parts = entry.key.split("\n", 1)
    record = (parts[-1] if entry.section == "features" else parts[0]) or entry.section
    line, translated = entry.lines.get(field, entry.line), entry.texts[field]
    if not english:
        return Problem(file, line, record, field, f"no {field}: the English record has none to translate", "one")
    if isinstance(english, tuple) and isinstance(translated, tuple) and len(english) != len(translated):
        unit = "roles" if field == "roles" else "paragraphs"
        return Problem(
            file, line, record, field, f"{len(english)} {unit}, as many as the English", str(len(translated))
        )
    return None


def check_translation(translation: ContentTranslation, originals: Originals) -> list[Problem]:
    """Every entry names an English record of the case and translates only texts it has, item for item."""
    problems: list[Problem] = []
    for entry in translation.entries:
        english = originals.get((entry.section, entry.key))
        if english is None:
            if entry.section != "claims" or ("events", entry.key.split("\n", 1)[0]) in originals:
                problems.append(_unknown(entry, translation.file, originals))
            continue
        for field in entry.texts:
            if (problem := _mismatch(entry, field, english.get(field), translation.file)) is not None:
                problems.append(problem)
    return problems
