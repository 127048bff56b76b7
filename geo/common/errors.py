"""Exceptions casemap raises for problems a user can fix, and the Problem record they carry."""

from __future__ import annotations

from dataclasses import dataclass


class CasemapError(Exception):
    """Base class: a known problem with the inputs or the environment, reported without a traceback."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value of an input file.

    ``line`` is 1-based; 0 means the problem concerns the whole file. ``column`` names the column of a table (bulk
    events as CSV or Parquet), shown as FILE:ROW:COLUMN in place of the field.
    """

    file: str
    line: int
    record: str
    field: str
    expected: str
    found: str = ""
    column: str = ""

    def __str__(self) -> str:
        # Every part can hold text from a data file (a path, a key, an id, a value quoted in ``expected``):
        # each is escaped, so no part can reach the terminal as a control sequence.
        file, record, field = terminal_text(self.file), terminal_text(self.record), terminal_text(self.field)
        where = f"{file}:{self.line}" if self.line else file
        where += f":{terminal_text(self.column)}" if self.column else ""
        record = f" [{record}]" if record else ""
        field = f" {field}:" if field else ""
        found = f"; found {terminal_text(self.found)}" if self.found else ""
        return f"{where}{record}{field} expected {terminal_text(self.expected)}{found}"


class DataValidationError(CasemapError):
    """The data files hold one or more problems; all of them are listed, one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.record, p.field))
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the data:"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))


class RawDatasetMissingError(CasemapError):
    """A raw dataset needed to regenerate the layers is not installed."""


class OutputPathError(CasemapError):
    """An output path is unusable, for example the same file as an input."""


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def terminal_text(text: str, *, keep_newlines: bool = False) -> str:
    """Escape what a terminal would act on: C0 and C1 controls, DEL, bidi and other format characters.

    Printable letters of any script stay as they are (a Russian place name or path prints as written); a
    character that is not printable (``str.isprintable``: categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs but the
    space) is written as a Python escape such as ``\\x1b``. Backslashes are left alone: the output is for
    reading, and an escape can only ever spell printable characters.
    """
    return "".join(
        character if character.isprintable() or (keep_newlines and character == "\n") else _escape(character)
        for character in text
    )


def show_value(value: object, *, limit: int = 60) -> str:
    """Render a found value for an error message: quoted, control characters escaped, long text cut.

    Error messages go to a terminal; a value from a hostile file must not be able to move the
    cursor, clear the screen or hide itself, so everything outside printable ASCII is escaped.
    """
    text = value if isinstance(value, str) else repr(value)
    shown = text if len(text) <= limit else text[:limit] + "…"
    escaped = shown.encode("ascii", "backslashreplace").decode("ascii")
    escaped = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in escaped)
    if len(text) > limit:
        escaped += f" ({len(text)} characters)"
    return f'"{escaped}"' if isinstance(value, str) else escaped
