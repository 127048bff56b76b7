"""Field checks shared by every data file: each returns the cleaned value or records a Problem.

A checker never raises for bad input; it appends to ``problems`` and returns None, so that loading
reports every problem of every file at once.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from geo.casefile.yamlsafe import Mapping, Sequence, Value
from geo.common.errors import Problem, show_value

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# [0-9], not \d: in Python \d also matches Arabic-Indic, fullwidth and every other Unicode digit, which
# int() reads as numbers but the page (and every reader of the file) does not.
FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PARTIAL_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
ASCII_INTEGER = re.compile(r"[0-9]+")
ASCII_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
# C0 controls other than tab and newline, DEL and C1 controls: never meaningful in the case data, and a
# way to hide text in terminals. Bidi and zero-width characters are allowed: they are real text in
# Arabic/Hebrew names and are shown exactly as written.
_FORBIDDEN_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ALLOWED_URL_SCHEMES = ("http", "https")
UNDATED = "undated"


@dataclass
class Context:
    """Where values come from: the file, the record being read, and the list problems go to."""

    file: str
    problems: list[Problem]
    record: str = ""

    def problem(self, line: int, field: str, expected: str, found: str = "") -> None:
        self.problems.append(Problem(self.file, line, self.record, field, expected, found))


def describe(value: Value) -> str:
    """Say what kind of YAML value was found, for messages."""
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return show_value(value)


def mapping(ctx: Context, value: Value, *, line: int, field: str) -> Mapping | None:
    if isinstance(value, Mapping):
        return value
    ctx.problem(line, field, "a mapping of fields (key: value)", describe(value))
    return None


def optional_mapping(ctx: Context, record: Mapping, key: str, *, field: str | None = None) -> Mapping | None:
    """record[key] as a mapping; None when the key is absent or null (an optional section), or not a mapping (named)."""
    if record.get(key) is None:
        return None
    return mapping(ctx, record.get(key), line=record.line_of(key), field=field or key)


def sequence(ctx: Context, value: Value, *, line: int, field: str, min_items: int = 0) -> Sequence | None:
    if not isinstance(value, Sequence):
        ctx.problem(line, field, "a list (lines starting with '- ')", describe(value))
        return None
    if len(value.items) < min_items:
        ctx.problem(line, field, f"at least {min_items} item{'s' if min_items > 1 else ''}", "an empty list")
        return None
    return value


def unknown_keys(ctx: Context, record: Mapping, allowed: set[str], *, prefix: str = "") -> None:
    for key in record.items:
        if key not in allowed:
            ctx.problem(record.line_of(key), prefix + key, f"one of the fields {sorted(allowed)}", "an unknown field")


def text(
    ctx: Context, record: Mapping, key: str, *, required: bool = True, max_chars: int = 1000, prefix: str = ""
) -> str | None:
    """Return a non-empty string field, or record why it is not one."""
    value = record.get(key)
    line = record.line_of(key)
    if value is None or value == "":
        if required:
            ctx.problem(line, prefix + key, "a non-empty text", "nothing" if key not in record.items else '""')
        return None
    if not isinstance(value, str):
        ctx.problem(line, prefix + key, "a text", describe(value))
        return None
    if is_blank(value):
        # A title of spaces (or of zero-width characters) shows as nothing: refuse it even where the field
        # is optional, since writing it was not leaving it out.
        ctx.problem(line, prefix + key, "a text with a visible character", show_value(value))
        return None
    if len(value) > max_chars:
        ctx.problem(line, prefix + key, f"at most {max_chars:,} characters", f"{len(value):,} characters")
        return None
    if bad := _FORBIDDEN_CONTROL.search(value):
        ctx.problem(line, prefix + key, "text without control characters", f"U+{ord(bad.group()):04X}")
        return None
    return value


def is_blank(value: str) -> bool:
    """True when nothing in ``value`` would show: only whitespace and invisible format characters (Cf)."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value)


def slug(ctx: Context, record: Mapping, key: str, *, required: bool = True, prefix: str = "") -> str | None:
    value = text(ctx, record, key, required=required, max_chars=80, prefix=prefix)
    if value is not None and not SLUG.fullmatch(value):
        ctx.problem(
            record.line_of(key), prefix + key, "a lowercase id like 'city-court' ([a-z0-9-])", show_value(value)
        )
        return None
    return value


def choice(ctx: Context, record: Mapping, key: str, options: tuple[str, ...], *, prefix: str = "") -> str | None:
    value = text(ctx, record, key, max_chars=40, prefix=prefix)
    if value is not None and value not in options:
        ctx.problem(record.line_of(key), prefix + key, f"one of {', '.join(options)}", show_value(value))
        return None
    return value


def full_date(ctx: Context, record: Mapping, key: str, *, prefix: str = "") -> str | None:
    """Return an ISO 8601 calendar date (YYYY-MM-DD) that exists, kept as a string."""
    value = text(ctx, record, key, max_chars=20, prefix=prefix)
    if value is None:
        return None
    if not FULL_DATE.fullmatch(value):
        ctx.problem(record.line_of(key), prefix + key, "a date as YYYY-MM-DD", show_value(value))
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        ctx.problem(record.line_of(key), prefix + key, "a date that exists in the calendar", show_value(value))
        return None
    return value


def partial_date(ctx: Context, record: Mapping, key: str, *, required: bool = True, prefix: str = "") -> str | None:
    """Return YYYY, YYYY-MM or YYYY-MM-DD (a publication date known to the year, month or day).

    ``undated`` is accepted too: a reference page that shows no date says so explicitly rather than
    leaving the field out, so a missing date is always a decision, never an omission.
    """
    value = text(ctx, record, key, required=required, max_chars=20, prefix=prefix)
    if value is None or value == UNDATED:
        return value
    parts = value.split("-")
    ok = bool(PARTIAL_DATE.fullmatch(value)) and int(parts[0]) >= 1  # there is no year 0 (ISO 8601 years from 1)
    if ok and len(parts) >= 2:
        ok = 1 <= int(parts[1]) <= 12
    if ok and len(parts) == 3:
        ok = 1 <= int(parts[2]) <= calendar.monthrange(int(parts[0]), int(parts[1]))[1]
    if not ok:
        ctx.problem(
            record.line_of(key),
            prefix + key,
            "a date as YYYY, YYYY-MM or YYYY-MM-DD that exists, or undated",
            show_value(value),
        )
        return None
    return value


def url(ctx: Context, record: Mapping, key: str, *, required: bool = True, prefix: str = "") -> str | None:
    """Return an absolute http(s) URL; every other scheme (javascript:, data:, file:) is refused."""
    value = text(ctx, record, key, required=required, max_chars=2000, prefix=prefix)
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        valid_port = parts.port is None or parts.port > 0
    except ValueError:
        parts, valid_port = None, False
    if (
        parts is None
        or not valid_port
        or parts.scheme.lower() not in ALLOWED_URL_SCHEMES
        or not parts.hostname
        or value != value.strip()
        or any(ch.isspace() for ch in value)
        or parts.username is not None
    ):
        ctx.problem(record.line_of(key), prefix + key, "an absolute http:// or https:// URL", show_value(value))
        return None
    return value


def url_identity(value: str) -> str:
    """The form two URLs of one page share: scheme and host in lower case, default port and a trailing dot of
    the host dropped, percent-escapes in upper case (RFC 3986 sections 6.2.2.1 and 6.2.3), and no fragment
    (a fragment names a part of the same page).

    The path and the query keep their case: RFC 3986 makes them case-sensitive, and real sources depend on it
    (video and short-link ids such as youtube.com/watch?v=aBc or bit.ly/aBc name different pages when only
    the case differs), so folding them would refuse two distinct sources as one.
    """
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port is None or port == default else f"{host}:{port}"
    path = re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group().upper(), parts.path or "/")
    query = re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group().upper(), parts.query)
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def number(
    ctx: Context, record: Mapping, key: str, *, minimum: float, maximum: float, prefix: str = ""
) -> float | None:
    """Return a finite number written as text, within [minimum, maximum]."""
    value = text(ctx, record, key, max_chars=40, prefix=prefix)
    if value is None:
        return None
    # ASCII digits only: float() also reads '١٠', '1_0' and ' 10 ', which no reader of the file would.
    parsed = float(value) if ASCII_DECIMAL.fullmatch(value) else math.nan
    if not math.isfinite(parsed) or not minimum <= parsed <= maximum:
        ctx.problem(record.line_of(key), prefix + key, f"a number from {minimum:g} to {maximum:g}", show_value(value))
        return None
    return parsed


# A bounding box's sides and their ranges, in the order their problems are reported.
BOX_SIDES = (("south", 90.0), ("north", 90.0), ("west", 180.0), ("east", 180.0))


def box(ctx: Context, record: Mapping, *, prefix: str) -> tuple[float, float, float, float] | None:
    """south, west, north, east of a bounding box record (the case's view, a chapter's view): each a number within
    its range, no other key, and south below north."""
    unknown_keys(ctx, record, {side for side, _ in BOX_SIDES}, prefix=prefix + ".")
    sides = {
        side: number(ctx, record, side, minimum=-limit, maximum=limit, prefix=prefix + ".") for side, limit in BOX_SIDES
    }
    south, west, north, east = sides["south"], sides["west"], sides["north"], sides["east"]
    if south is not None and north is not None and south >= north:
        ctx.problem(record.line, prefix, "south below north", f"{south:g} >= {north:g}")
        return None
    if south is None or west is None or north is None or east is None:
        return None
    return south, west, north, east


def integer(ctx: Context, record: Mapping, key: str, *, minimum: int, maximum: int, prefix: str = "") -> int | None:
    value = text(ctx, record, key, max_chars=20, prefix=prefix)
    if value is None:
        return None
    if not ASCII_INTEGER.fullmatch(value) or not minimum <= int(value) <= maximum:
        ctx.problem(record.line_of(key), prefix + key, f"a whole number from {minimum} to {maximum}", show_value(value))
        return None
    return int(value)


def id_list(
    ctx: Context,
    record: Mapping,
    key: str,
    *,
    expected: str,
    required: bool = False,
    min_items: int = 1,
    prefix: str = "",
) -> tuple[str, ...]:
    """Return a list of ids (``key: [a, b]``); absent is empty unless ``required``.

    ``expected`` says what each id names, for the message about an item that is not one.
    """
    value = record.get(key)
    if value is None and not required:
        return ()
    items = sequence(ctx, value, line=record.line_of(key), field=prefix + key, min_items=min_items)
    if items is None:
        return ()
    found: list[str] = []
    for item, line in zip(items.items, items.item_lines, strict=True):
        if isinstance(item, str) and SLUG.fullmatch(item):
            found.append(item)
        else:
            ctx.problem(line, f"{prefix}{key}[]", expected, describe(item))
    return tuple(found)


def records(ctx: Context, root: Value, key: str) -> list[tuple[Mapping, int]]:
    """Return the records of a file's top-level list ``key:`` with their lines."""
    top = mapping(ctx, root, line=1, field="")
    if top is None:
        return []
    unknown_keys(ctx, top, {key})
    items = sequence(ctx, top.get(key), line=top.line_of(key), field=key, min_items=1)
    if items is None:
        return []
    found: list[tuple[Mapping, int]] = []
    for item, line in zip(items.items, items.item_lines, strict=True):
        if (record := mapping(ctx, item, line=line, field=f"{key}[]")) is not None:
            found.append((record, line))
    return found


def unique_ids(ctx: Context, seen: dict[str, int], value: str | None, line: int) -> None:
    if value is None:
        return
    if value in seen:
        ctx.problem(line, "id", f"a unique id (already used at line {seen[value]})", show_value(value))
    else:
        seen[value] = line
