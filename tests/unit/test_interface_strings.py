"""No user-visible English left in the page's script: every word a reader sees comes from the catalogues (issue #14).

The pieces' source is tokenised (comments, strings, regular expressions) and every string literal is judged by where it
stands: a text shown (``text:``, ``aria-label``, ``title``, ``placeholder``, ``alt``, ``aria-valuetext``, a child of
el(), a notice's words) or words in any other place (a capital letter, a space between words, a letter of another
script) is named FILE:LINE with the literal. Code words stand beside: class names, selectors, tag names, event names,
catalogue keys (the arguments of t and tn), and the values of the code's closed sets.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from geo.page import assets

# The pieces i18n-ui converted (SESSION22); the other pieces are added here as they are converted.
CONVERTED = (
    "core.js",
    "main.js",
    "link.js",
    "events.js",
    "time.js",
    "search.js",
    "controls.js",
    "access.js",
    "measure.js",
    "panel.js",
    "markers.js",
    "symbols.js",
    "undisclosed.js",
    "features.js",
    "columns.js",
    "geodesic.js",
    "mapkey.js",
    "content.js",  # the content helper's marks (SESSION22 content)
    # i18n-views
    "story.js",
    "factcheck.js",
    "card.js",
    "popups.js",
    "method.js",
    "print.js",
    "download.js",
)
# Attributes whose value a reader sees or hears.
SHOWN_ATTRIBUTES = ("text", "aria-label", "title", "placeholder", "alt", "aria-valuetext", "aria-roledescription")
# Calls whose string arguments are code, never text.
CODE_CALLS = (
    "t",
    "tn",
    "el",
    "querySelector",
    "querySelectorAll",
    "closest",
    "matches",
    "getElementById",
    "createElement",
    "addEventListener",
    "removeEventListener",
    "setAttribute",
    "getAttribute",
    "removeAttribute",
    "hasAttribute",
    "toggleAttribute",
    "add",
    "remove",
    "toggle",
    "contains",
    "on",
    "off",
    "once",
    "fire",
    "error",
    "warn",
    "control",
    "setBase",
    "startupText",
    "own",
    "catalogueTable",
    "indexOf",
    "has",
    "get",
    "set",
    "split",
    "join",
    "replace",
    "test",
    "startsWith",
    "normalize",
    "intlObject",
    "matchMedia",  # a media query
    "kmlNode",  # download.js: a KML element's name
    "contentText",  # content.js: a tag and a record's field name, the text itself comes from the data
)
# Literals that are file-format syntax or a command, never words (download.js, method.js): matched whole.
CODE_LITERALS = (
    '<?xml version=\\"1.0\\" encoding=\\"UTF-8\\"?>\\n',
    "\\ufeff",
    "application/geo+json",
    "python build_map.py regenerate",
)
# Attributes whose value is code.
CODE_ATTRIBUTES = ("className", "type", "role", "name", "position", "key", "kind", "lang", "dir", "timeZone", "rel")
# One word of a class list or selector: lowercase ASCII with a mark of code in it (a dash, underscore, dot, #, [).
CODE_TOKEN = re.compile(r"""(?=.*[-_.#\[])[a-z0-9_.#\[\]="'>*+~:()-]+""")
WORDS = re.compile(r"[A-Za-z\u0400-\u04ff\u3400-\u9fff]{2,}")


@dataclass(frozen=True)
class Literal:
    line: int
    value: str
    before: str  # the code just before the literal, on its line
    key: bool = False  # the literal names a property ({"aria-label": ...}), it is not a value


_REGEX_PRECEDERS = set("(,=:[!&|?{};+-*%<>~^") | {""}


def string_literals(source: str) -> list[Literal]:
    """Every string literal of a script with its line and what precedes it; comments and regular expressions skipped."""
    found: list[Literal] = []
    i, line, n = 0, 1, len(source)
    last_significant = ""
    last_word = ""
    line_start = 0
    while i < n:
        char = source[i]
        if char == "\n":
            line, line_start = line + 1, i + 1
            i += 1
            continue
        if source.startswith("//", i):
            i = source.find("\n", i) if source.find("\n", i) != -1 else n
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            line += source.count("\n", i, end)
            i = end + 2
            continue
        if char in "\"'`":
            j, value = i + 1, []
            while source[j] != char:
                if source[j] == "\\":
                    value.append(source[j : j + 2])
                    j += 2
                    continue
                value.append(source[j])
                j += 1
            after = source[j + 1 :].lstrip(" ")[:1]
            found.append(Literal(line, "".join(value), source[line_start:i], key=after == ":"))
            i, last_significant = j + 1, char
            continue
        if char == "/" and (last_significant in _REGEX_PRECEDERS or last_word in ("return", "typeof")):
            j, in_class = i + 1, False
            while source[j] != "/" or in_class:
                in_class = (in_class or source[j] == "[") and source[j] != "]"
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            while i < n and source[i].isalpha():
                i += 1
            last_significant = "/"
            continue
        if not char.isspace():
            last_significant = char
            if char.isalnum() or char == "_":
                word = re.match(r"[A-Za-z0-9_$]+", source[i:])
                last_word = word.group(0) if word else ""
                i += len(last_word) or 1
                last_significant = "a"
                continue
            last_word = ""
        i += 1
    return found


def _attribute(before: str) -> str | None:
    match = re.search(r"""["']?([A-Za-z\-]+)["']?\s*:\s*$""", before)
    return match.group(1) if match else None


def _in_code_call(before: str) -> bool:
    match = re.search(r"""\b([A-Za-z_$][A-Za-z0-9_$]*)\s*\(\s*(?:[^()]*,\s*)?$""", before)
    return bool(match and match.group(1) in CODE_CALLS)


def _shown_position(before: str) -> bool:
    """A shown attribute, an assignment to what is shown, or a child in el()'s list of children."""
    if _attribute(before) in SHOWN_ATTRIBUTES:
        return True
    if re.search(r"\.(textContent|title|placeholder|alt|innerText)\s*=\s*$", before):
        return True
    shown = "|".join(SHOWN_ATTRIBUTES)
    if re.search(rf"""setAttribute\(\s*["']({shown})["']\s*,\s*$""", before):
        return True
    if _innermost_call(before) in CODE_CALLS and _innermost_call(before) != "el":
        return False  # an argument of a call inside the children, e.g. contentText("span", record, "field")
    return "el(" in before and bool(re.search(r"\[(?:[^\]]*,)?\s*$", before))


def _innermost_call(before: str) -> str | None:
    """The name of the call whose parenthesis is still open at the end of ``before`` (None outside any call)."""
    depth = 0
    for at in range(len(before) - 1, -1, -1):
        if before[at] == ")":
            depth += 1
        elif before[at] == "(":
            if depth == 0:
                match = re.search(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*$", before[:at])
                return match.group(1) if match else None
            depth -= 1
    return None


def _code_token(literal: Literal) -> bool:
    """One word without spaces that is code: an identifier, a language tag, or a name the code compares against."""
    if re.fullmatch(r"[a-z][A-Za-z0-9_\-:./()=]*", literal.value):
        return True  # an identifier, a class, an attribute name, a URL scheme, a CSS function
    if re.fullmatch(r"[A-Z][A-Za-z0-9\-]*", literal.value):
        return bool(re.search(r"(===|!==|==|!=|\bcase)\s*$", literal.before))  # a key name, a tag name compared
    return False


def _code_place(before: str) -> bool:
    """Code by its place: a code attribute, a code call's argument, a style or a console message."""
    if _attribute(before) in CODE_ATTRIBUTES or _in_code_call(before) or "console." in before:
        return True
    return bool(re.search(r"\.(font|background\w*|cssText|fillStyle|strokeStyle)\s*=\s*(.*\+\s*)?$", before))


def is_visible_text(literal: Literal) -> bool:
    """Whether a literal, by its place and its look, is words a reader sees."""
    if literal.key or not WORDS.search(literal.value) or literal.value in CODE_LITERALS:
        return False
    if _shown_position(literal.before):
        return True
    if _code_place(literal.before) or _code_token(literal):
        return False
    # Words with spaces are code only as a class list or a selector: every word marked as such (cm-x, .cm-y, #id).
    return not all(CODE_TOKEN.fullmatch(word) for word in literal.value.split())


def visible_literals(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    return [f"{path}:{lit.line}: {lit.value!r}" for lit in string_literals(source) if is_visible_text(lit)]


def test_the_converted_pieces_hold_no_user_visible_literal() -> None:
    left = [found for name in CONVERTED for found in visible_literals(assets.CASEMAP_JS_DIR / name)]
    assert left == [], "user-visible strings left in the script (move them to geo/page/messages/*.yaml):\n" + "\n".join(
        left
    )


def test_a_planted_literal_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    for name, planted in (
        ("panel.js", 'el("button", { type: "button", text: "Planted" });\n'),
        ("main.js", 'el("p", null, ["Planted words here", el("strong", { text: key })]);\n'),
        ("link.js", 'problems.push(["lang", value, "planted problem"]);\n'),
        ("mapkey.js", 'var box = el("input", { placeholder: "Planted" });\n'),
        ("controls.js", 'button.setAttribute("aria-label", "Planted"); x.title = "Zoom Planted";\n'),
    ):
        copy = tmp_path / name
        shutil.copy(assets.CASEMAP_JS_DIR / name, copy)
        lines = copy.read_text(encoding="utf-8").count("\n")
        with copy.open("a", encoding="utf-8") as file:
            file.write(planted)
        found = [entry for entry in visible_literals(copy) if entry.startswith(f"{copy}:{lines + 1}: ")]
        assert found, f"the literal planted in {name} was not found: {planted!r}"
