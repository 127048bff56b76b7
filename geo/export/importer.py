"""`build_map.py import`: a spreadsheet with the export's columns -> the case's events file, all or nothing.

The rows become an events file (YAML, or JSON Lines where the case keeps its events that way), written first into a
staged copy of the case folder and loaded there by the build's own readers and cross-checks (geo.page.site
.load_site), so an import that succeeds is a case that builds. Each problem the readers find in the new events file
is mapped back to its spreadsheet row and column through the line it was written on.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from geo.common.atomic import writable_target, write_file_atomically
from geo.common.errors import DataValidationError, Problem, terminal_text
from geo.export.drafts import Draft, field_path, read_drafts
from geo.export.spreadsheet import SpreadsheetError, read_table
from geo.page.build import case_article, read_article
from geo.page.site import load_site

# Where each line of the written events file came from: (the draft, its column or "").
LineOrigins = dict[int, tuple[Draft, str]]


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes (a subset of YAML's) plus every character that is not printable,
    so no line break (U+2028, U+0085) or control character can change what the reader reads back."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(
        ch if ch.isprintable() else (f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}") for ch in quoted
    )


class _Writer:
    def __init__(self, header: list[str]) -> None:
        self.lines = list(header)
        self.origins: LineOrigins = {}

    def line(self, text: str, draft: Draft, column: str = "") -> None:
        self.lines.append(text)
        self.origins[len(self.lines)] = (draft, column)

    def mapping(self, indent: str, first: str, record: dict[str, object], draft: Draft, path: list[str | int]) -> None:
        """Write a mapping, one field a line; ``first`` is the indent of its first line (a '- ' for list items)."""
        for number, (key, value) in enumerate(record.items()):
            lead = first if number == 0 else indent
            if isinstance(value, dict):
                self.line(f"{lead}{key}:", draft, draft.header([*path, key]))
                self.mapping(indent + "  ", indent + "  ", value, draft, [*path, key])
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                self.line(f"{lead}{key}:", draft, draft.header([*path, key]))
                for index, item in enumerate(value):
                    self.mapping(indent + "    ", indent + "  - ", item, draft, [*path, key, index])
            elif isinstance(value, list):
                items = ", ".join(yaml_string(str(item)) for item in value)
                self.line(f"{lead}{key}: [{items}]", draft, draft.header([*path, key]))
            else:
                self.line(f"{lead}{key}: {yaml_string(str(value))}", draft, draft.header([*path, key]))


def events_yaml(drafts: list[Draft], header: list[str]) -> tuple[str, LineOrigins]:
    writer = _Writer(header)
    writer.lines.append("events:")
    for draft in drafts:
        writer.mapping("    ", "  - ", draft.record, draft, [])
        writer.lines.append("")
    return "\n".join(writer.lines) + "\n", writer.origins


def events_jsonl(drafts: list[Draft]) -> tuple[str, LineOrigins]:
    lines = [json.dumps(draft.record, ensure_ascii=False) for draft in drafts]
    return "".join(line + "\n" for line in lines), {number: (draft, "") for number, draft in enumerate(drafts, 1)}


def leading_comments(path: Path) -> list[str]:
    """The comment block that opens an existing events.yaml (what the file is, its conventions): kept."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    kept: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#") and line.strip():
            break
        kept.append(line)
    return kept


def _cell_problem(problem: Problem, table: str, origins: LineOrigins) -> str:
    origin = origins.get(problem.line)
    found = f", found {terminal_text(problem.found)}" if problem.found else ""
    if origin is None:  # the whole file, or a line no row wrote
        field = f" {terminal_text(problem.field)}:" if problem.field else ""
        return f"{table}:{field} expected {terminal_text(problem.expected)}{found}"
    draft, column = origin
    found_value = problem.found.strip('"')
    column = draft.header(field_path(problem.field), found_value) or column
    where = f"{table}:{draft.row}:{column}" if column else f"{table}:{draft.row}"
    return f"{where}: expected {terminal_text(problem.expected)}{found}"


def _validate(case: Path, name: str, text: str, article: str | None) -> tuple[list[Problem], list[str]]:
    """What the build would find with ``text`` as the case's events file ``name``, loaded in a staged copy: the
    problems of that file, and those of the case's other files (named at their real paths) as lines."""
    with tempfile.TemporaryDirectory(prefix="casemap-import-") as folder:
        staged = Path(folder) / "case"
        shutil.copytree(case, staged, ignore=shutil.ignore_patterns(".*", "events.yaml", "events.jsonl"))
        (staged / name).write_text(text, encoding="utf-8")
        try:
            load_site(staged, article=article)
        except DataValidationError as error:
            mine = [p for p in error.problems if p.file == str(staged / name)]
            others = [str(p).replace(str(staged), str(case), 1) for p in error.problems if p.file != str(staged / name)]
            return mine, others
    return [], []


def import_events(spreadsheet: Path, case: Path) -> tuple[Path, int]:
    """Write the spreadsheet's events into the case; returns the file written and the number of events."""
    table = read_table(spreadsheet)
    parsed = read_drafts(table)
    if parsed.problems:
        raise SpreadsheetError(parsed.problems)
    if not parsed.drafts:
        raise SpreadsheetError([f"{table.name}: expected at least one event row below the header, found none"])
    name = "events.jsonl" if (case / "events.jsonl").exists() else "events.yaml"
    target = writable_target(case / name)
    if name == "events.jsonl":
        text, origins = events_jsonl(parsed.drafts)
    else:
        text, origins = events_yaml(parsed.drafts, leading_comments(case / name))
    article_path = case_article(case)
    article = read_article(article_path, named_by_case=True) if article_path and article_path.exists() else None
    mine, others = _validate(case, name, text, article)
    if mine or others:
        raise SpreadsheetError([_cell_problem(p, table.name, origins) for p in mine] + others)
    write_file_atomically(target, text.encode("utf-8"))
    return case / name, len(parsed.drafts)
