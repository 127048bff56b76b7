"""Small readers shared by the case-file parsers: lists, flags, patterns and short texts, each located."""

from __future__ import annotations

import re
from pathlib import Path

from geo.casefile import fields
from geo.casefile.fields import Context
from geo.casefile.yamlsafe import Mapping, Value, load_yaml
from geo.common.errors import Problem, show_value


def top_mapping(path: Path, problems: list[Problem], allowed: set[str]) -> tuple[Context, Mapping] | None:
    """A case file read as one mapping, its top-level keys checked against ``allowed``; None when it cannot be read.

    Every problem is recorded in ``problems`` (the YAML's own, then a root that is no mapping or an unknown key).
    """
    loaded = load_yaml(path)
    problems.extend(loaded.problems)
    ctx = Context(str(path), problems)
    if loaded.root is None or loaded.problems:
        return None
    root = fields.mapping(ctx, loaded.root, line=1, field="")
    if root is None:
        return None
    fields.unknown_keys(ctx, root, allowed)
    return ctx, root


def items_of(
    ctx: Context, record: Mapping, key: str, *, min_items: int = 0, prefix: str = ""
) -> list[tuple[Value, int]]:
    value = record.get(key)
    if value is None and min_items == 0:
        return []
    found = fields.sequence(ctx, value, line=record.line_of(key), field=prefix + key, min_items=min_items)
    return list(zip(found.items, found.item_lines, strict=True)) if found else []


def mappings(ctx: Context, record: Mapping, key: str, *, min_items: int = 0) -> list[Mapping]:
    found = []
    for item, line in items_of(ctx, record, key, min_items=min_items):
        if (mapping := fields.mapping(ctx, item, line=line, field=f"{key}[]")) is not None:
            found.append(mapping)
    return found


def flag(ctx: Context, record: Mapping, key: str, *, default: bool, prefix: str = "") -> bool:
    value = record.get(key)
    if value is None:
        return default
    if value not in ("true", "false"):
        ctx.problem(record.line_of(key), prefix + key, "true or false", fields.describe(value))
        return default
    return value == "true"


def pattern(
    ctx: Context, record: Mapping, key: str, pattern: re.Pattern[str], expected: str, *, prefix: str = ""
) -> str | None:
    value = fields.text(ctx, record, key, max_chars=20, prefix=prefix)
    if value is not None and not pattern.fullmatch(value):
        ctx.problem(record.line_of(key), prefix + key, expected, show_value(value))
        return None
    return value


def texts(ctx: Context, record: Mapping, key: str, *, prefix: str = "") -> tuple[str, ...]:
    found: list[str] = []
    for item, line in items_of(ctx, record, key, prefix=prefix):
        if isinstance(item, str) and item and len(item) <= 100:
            found.append(item)
        else:
            ctx.problem(line, prefix + key, "short texts (at most 100 characters)", fields.describe(item))
    return tuple(found)


def text_items(
    ctx: Context, record: Mapping, key: str, *, max_chars: int, max_items: int | None = None, each: str = "a text"
) -> tuple[str, ...]:
    """A list of at least one non-blank text (paragraphs, roles), each within ``max_chars`` and, when given, at most
    ``max_items`` of them; every item that is not is a problem at its own line, and is left out."""
    items = items_of(ctx, record, key, min_items=1)
    if max_items is not None and len(items) > max_items:
        ctx.problem(record.line_of(key), key, f"at most {max_items} paragraphs", f"{len(items)}")
    found: list[str] = []
    for index, (item, line) in enumerate(items, 1):
        if not isinstance(item, str) or fields.is_blank(item):
            ctx.problem(line, f"{key}[{index}]", each, fields.describe(item))
        elif len(item) > max_chars:
            ctx.problem(line, f"{key}[{index}]", f"at most {max_chars:,} characters", f"{len(item):,} characters")
        else:
            found.append(item)
    return tuple(found)
