"""The page's interface words in English, Russian and Simplified Chinese: the three catalogues, read and checked.

``geo/page/messages/{en,ru,zh}.yaml`` are engine files (they name no case): a flat mapping key -> message, keys
grouped under ``# --- piece.js ---`` header lines in the order of assets.CASEMAP_JS, then ``# --- py.module ---``
for words Python puts on the page (SESSION22 contract). A message is a string with ``{name}`` placeholders, or,
when it depends on a count, a mapping of the language's CLDR plural categories used with ``{n}``.

Every catalogue must hold exactly en.yaml's keys, each key under its own piece's header, with en's placeholders and,
for a plural, exactly the language's categories: otherwise the build stops (exit 2) naming FILE:LINE and the key.
The catalogues travel in the data block as ``data.messages`` (render.py); core.js looks them up (t, tn).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from geo.casefile.yamlsafe import Mapping, load_yaml
from geo.common.errors import DataValidationError, Problem, show_value
from geo.page import assets

MESSAGES_DIR = Path(__file__).parent / "messages"
LANGUAGES = ("en", "ru", "zh")
# CLDR plural categories for cardinal numbers (unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html):
# English one/other; Russian one/few/many/other (other: fractions); Chinese has no plural forms.
PLURAL_CATEGORIES = {"en": ("one", "other"), "ru": ("one", "few", "many", "other"), "zh": ("other",)}
# A key names the piece that shows it, then what it is: lowercase words joined by dots and underscores.
KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
HEADER = re.compile(r"^# --- ([a-z]+\.js|py\.[a-z_]+) ---$")
# The words Python puts on the page, by module: one header each after the pieces' headers.
PY_SECTIONS = ("py.render", "py.builders", "py.payload", "py.cite", "py.casepdf")
# The start-up failure notice must show before (and without) the data block: these keys travel in the script.
STARTUP_PREFIX = "main.fatal"

Message = str | dict[str, str]
Catalogue = dict[str, Message]


def sections() -> tuple[str, ...]:
    """Every catalogue's header names, in order: each piece of the script, then the Python modules."""
    return (*assets.CASEMAP_JS, *PY_SECTIONS)


def section_of(key: str) -> str:
    """The header a key belongs under: ``events.count`` under events.js, ``py.render.x`` under py.render."""
    parts = key.split(".")
    return f"py.{parts[1]}" if parts[0] == "py" else f"{parts[0]}.js"


def _headers(text: str) -> list[tuple[int, str]]:
    """(line, section) of each header comment, in file order."""
    return [(n, m.group(1)) for n, line in enumerate(text.splitlines(), 1) if (m := HEADER.match(line))]


def _header_problems(name: str, headers: list[tuple[int, str]]) -> list[Problem]:
    found = [section for _, section in headers]
    if found == list(sections()):
        return []
    expected = "a '# --- piece ---' header for every piece of assets.CASEMAP_JS, then " + ", ".join(PY_SECTIONS)
    return [Problem(name, 0, "", "headers", expected + ", in that order", ", ".join(found) or "none")]


def _section_at(headers: list[tuple[int, str]], line: int) -> str:
    under = [section for at, section in headers if at < line]
    return under[-1] if under else ""


def _message(name: str, key: str, value: object, line: int, problems: list[Problem]) -> Message | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, Mapping) and all(isinstance(v, str) and v.strip() for v in value.items.values()):
        return {category: str(text) for category, text in value.items.items()}
    problems.append(
        Problem(name, line, "", key, "a message (text) or a mapping of plural categories to texts", show_value(value))
    )
    return None


def read_catalogue(path: Path, problems: list[Problem]) -> tuple[Catalogue, dict[str, int]]:
    """One catalogue's messages and the line of each key; its problems (syntax, keys, headers) added to problems."""
    name = str(path)
    loaded = load_yaml(path)
    problems.extend(loaded.problems)
    root = loaded.root
    if root is None:
        return {}, {}
    if not isinstance(root, Mapping):
        problems.append(Problem(name, 1, "", "", "a mapping of key: message", "another kind of value"))
        return {}, {}
    headers = _headers(path.read_text(encoding="utf-8"))
    problems.extend(_header_problems(name, headers))
    catalogue: Catalogue = {}
    for key, value in root.items.items():
        line = root.line_of(key)
        if not KEY.fullmatch(key):
            problems.append(Problem(name, line, "", key, "a key piece.name (lowercase, dots and underscores)"))
            continue
        if section_of(key) not in sections():
            problems.append(Problem(name, line, "", key, "a key starting with a piece of the script or py.<module>"))
        elif (under := _section_at(headers, line)) != section_of(key):
            problems.append(Problem(name, line, "", key, f"under '# --- {section_of(key)} ---'", f"under {under!r}"))
        message = _message(name, key, value, line, problems)
        if message is not None:
            catalogue[key] = message
    return catalogue, root.key_lines


def placeholders(message: Message) -> set[str]:
    """The {name}s a message uses (all its plural forms together)."""
    texts = [message] if isinstance(message, str) else list(message.values())
    return {found for text in texts for found in PLACEHOLDER.findall(text)}


def _compare(language: str, key: str, message: Message, english: Message) -> str | None:
    """What is wrong with one language's message for a key, measured against English's; None when nothing."""
    if isinstance(message, dict):
        wanted = PLURAL_CATEGORIES[language]
        if not isinstance(english, dict):
            return "a text, as en.yaml has (not a plural mapping)"
        if tuple(sorted(message)) != tuple(sorted(wanted)):
            return f"exactly the plural categories {', '.join(wanted)}; found {', '.join(message)}"
        if any(placeholders(text) != placeholders(english) for text in message.values()):
            return f"each plural form with the placeholders {sorted(placeholders(english))}, as en.yaml"
        return None
    if isinstance(english, dict):
        return f"a mapping of the plural categories {', '.join(PLURAL_CATEGORIES[language])}, as en.yaml has"
    if placeholders(message) != placeholders(english):
        return f"the placeholders {sorted(placeholders(english))}, as en.yaml; found {sorted(placeholders(message))}"
    return None


def compare_catalogues(
    language: str, path: Path, read: tuple[Catalogue, dict[str, int]], english: Catalogue, english_path: Path
) -> list[Problem]:
    """Keys missing from or extra in one catalogue, and each message unlike en's (placeholders, plural forms)."""
    catalogue, lines = read
    problems = [
        Problem(str(path), 0, "", key, f"the key (en.yaml has it, {english_path}); add it")
        for key in english
        if key not in catalogue
    ]
    for key, message in catalogue.items():
        if key not in english:
            problems.append(Problem(str(path), lines[key], "", key, "only keys en.yaml has: add it there or remove it"))
        elif (wrong := _compare(language, key, message, english[key])) is not None:
            problems.append(Problem(str(path), lines[key], "", key, wrong))
    return problems


def load_messages(folder: Path | None = None) -> dict[str, Catalogue]:
    """The three catalogues (MESSAGES_DIR's unless folder says), checked; DataValidationError lists every problem."""
    folder = MESSAGES_DIR if folder is None else folder
    problems: list[Problem] = []
    read = {language: read_catalogue(folder / f"{language}.yaml", problems) for language in LANGUAGES}
    english, english_path = read["en"][0], folder / "en.yaml"
    for language in LANGUAGES:
        problems += compare_catalogues(language, folder / f"{language}.yaml", read[language], english, english_path)
    if problems:
        raise DataValidationError(problems)
    return {language: catalogue for language, (catalogue, _) in read.items()}


def startup_script(catalogues: dict[str, Catalogue]) -> str:
    """The start-up failure notice's texts in each language, as a line of the script (the data block may not decode).

    JSON with '<' escaped, so no text can end the script element (letters stay UTF-8: a third of the escapes' bytes).
    """
    texts = {
        language: {key: text for key, text in catalogue.items() if key.startswith(STARTUP_PREFIX)}
        for language, catalogue in catalogues.items()
    }
    return "var STARTUP_TEXT = " + json.dumps(texts, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c") + ";\n"
