"""Load hand-edited YAML strictly: every scalar a string, every value with its line, every problem reported.

PyYAML's safe loader applies YAML 1.1 coercions (``NO`` becomes False, ``12:30`` becomes 750,
``2021-02-25`` becomes a date) and silently keeps the last of two duplicate keys. Here the document is
composed into nodes with the base resolver (plain scalars stay strings), and the node tree is walked by
hand so that tags, anchors, aliases and duplicate keys are refused with the line they stand on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

from geo.common.errors import Problem, show_value
from geo.common.safefiles import MAX_FILE_BYTES, read_text

__all__ = ["MAX_FILE_BYTES", "Loaded", "Mapping", "Sequence", "Value", "load_yaml", "parse_yaml", "read_text"]
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

# JSON Lines records keep their numbers and booleans (yamlsafe makes only strings): text fields refuse them.
Value = Union[str, int, float, bool, "Mapping", "Sequence", None]


@dataclass
class Mapping:
    """A YAML mapping: its items in file order, the line of each key, and its own line."""

    items: dict[str, Value]
    key_lines: dict[str, int]
    line: int

    def get(self, key: str) -> Value:
        return self.items.get(key)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class Sequence:
    """A YAML sequence: its items and the line of each."""

    items: list[Value]
    item_lines: list[int]
    line: int


@dataclass
class Loaded:
    """The result of loading one file: its root value (None when unusable) and every problem found."""

    root: Value
    problems: list[Problem] = field(default_factory=list)


# libyaml's parser and composer (PyYAML's C extension) are about 2.5 times faster than the pure-Python ones and
# refuse nesting deeper than 1,000 levels instead of overflowing Python's stack. The base loader resolves every
# plain scalar to a string: no YAML 1.1 coercions.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
MAX_DEPTH = 64  # the case files nest five levels deep


def _convert(node: yaml.Node, name: str, problems: list[Problem], seen: set[int], depth: int = 0) -> Value:
    line = node.start_mark.line + 1
    if id(node) in seen:
        # The composer hands an alias (*name) back as the very node its anchor (&name) made.
        problems.append(
            Problem(name, line, "", "", "no aliases (*name): write the value out", "an alias of this value")
        )
        return None
    seen.add(id(node))
    if node.tag not in (_STR, _MAP, _SEQ):
        problems.append(Problem(name, line, "", "", "plain YAML without tags", f"tag {show_value(node.tag)}"))
        return None
    if isinstance(node, yaml.ScalarNode):
        text: str = node.value  # the base loader leaves every scalar a string
        return text
    if depth >= MAX_DEPTH:
        problems.append(Problem(name, line, "", "", f"at most {MAX_DEPTH} levels of nesting", "deeper nesting"))
        return None
    if isinstance(node, yaml.SequenceNode):
        return Sequence(
            items=[_convert(item, name, problems, seen, depth + 1) for item in node.value],
            item_lines=[item.start_mark.line + 1 for item in node.value],
            line=line,
        )
    mapping = Mapping(items={}, key_lines={}, line=line)
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
            problems.append(Problem(name, key_line, "", "", "a plain text key", "a complex or tagged key"))
            continue
        key = key_node.value
        if key in mapping.items:
            first = mapping.key_lines[key]
            problems.append(
                Problem(name, key_line, "", key, f"each key once per mapping (first at line {first})", "a duplicate")
            )
            continue
        mapping.items[key] = _convert(value_node, name, problems, seen, depth + 1)
        mapping.key_lines[key] = key_line
    return mapping


def parse_yaml(text: str, *, name: str) -> Loaded:
    """Parse YAML text into Mapping/Sequence/str values; never raises for bad input."""
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(str(part) for part in (error.context, error.problem) if part)
        problems.append(Problem(name, line, "", "", "valid YAML", what))
        return Loaded(None, problems)
    except yaml.YAMLError as error:
        problems.append(Problem(name, 0, "", "", "valid YAML", type(error).__name__))
        return Loaded(None, problems)
    if node is None:
        problems.append(Problem(name, 0, "", "", "a YAML document", "an empty file"))
        return Loaded(None, problems)
    return Loaded(_convert(node, name, problems, set()), problems)


def load_yaml(path: Path) -> Loaded:
    """Read and parse one YAML file, collecting every problem instead of raising."""
    problems: list[Problem] = []
    text = read_text(path, problems)
    if text is None:
        return Loaded(None, problems)
    loaded = parse_yaml(text, name=str(path))
    return Loaded(loaded.root, problems + loaded.problems)
