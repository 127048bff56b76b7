"""Parse JSON from a data file into plain values, refusing what would crash or mislead a later step.

Python's ``json`` module accepts inputs that break the build later, each of which once ended in a traceback:
``NaN``/``Infinity`` (not JSON, RFC 8259 section 6), a lone surrogate escape such as ``"\\udc80"`` (no UTF-8
encoding exists for it, so writing the page fails), an integer of more than 4,300 digits (Python's int-string
conversion limit raises ValueError), and deep nesting (the parser or a recursive walk overflows the stack).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from typing import Any

MAX_DEPTH = 64  # the deepest committed structure (a MultiPolygon's coordinates) is five levels down


class JsonRefused(ValueError):
    """The text is not JSON casemap accepts; ``line`` is 1-based, 0 when unknown.

    ``pattern`` (a regular expression) finds the refused construct in the text when the parser gives no line.
    """

    def __init__(self, message: str, line: int = 0, *, pattern: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.pattern = pattern


# Where the parser cannot say: the first place in the text that matches the construct refused.
_LONG_INTEGER = r"\d{" + str(sys.get_int_max_str_digits() or 4300) + "}"
_SURROGATE_ESCAPE = r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
_HUGE_FLOAT = r"\d[eE]\+?\d{3,}"  # an exponent beyond a float's range (about 1e308)


def _refuse_constant(name: str) -> float:
    raise JsonRefused(f"{name} is not a number JSON allows", pattern=r"[\[,:]\s*-?" + re.escape(name) + r"\b")


def _line_of(text: str, pattern: str) -> int:
    match = re.search(pattern, text) if pattern else None
    return text.count("\n", 0, match.end()) + 1 if match else 0


def _has_lone_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # the only str UTF-8 cannot encode is one holding a surrogate code point
        return True
    return False


def plain_json_problem(value: Any) -> str:
    """Say what makes a parsed JSON value unusable (deep nesting, a lone surrogate, 1e999), or return ''.

    Iterative, so checking deep nesting cannot itself overflow the stack.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nesting deeper than {MAX_DEPTH} levels"
        if isinstance(item, dict):
            for key, inner in item.items():
                if _has_lone_surrogate(key):
                    return "a lone surrogate escape (\\ud800-\\udfff) in a key"
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str) and _has_lone_surrogate(item):
            return "a lone surrogate escape (\\ud800-\\udfff), which has no UTF-8 encoding"
        elif isinstance(item, float) and not math.isfinite(item):  # 1e999 parses to inf
            return "a number too large for a float, such as 1e999"
    return ""


def loads(text: str, *, object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None) -> Any:
    """Parse JSON text; raise JsonRefused (never anything else) for input casemap does not accept.

    ``object_pairs_hook`` may raise JsonRefused or ValueError to refuse an object (duplicate keys).
    """
    try:
        value = json.loads(text, object_pairs_hook=object_pairs_hook, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise JsonRefused(error.msg, error.lineno) from None
    except JsonRefused as error:
        raise JsonRefused(str(error), error.line or _line_of(text, error.pattern)) from None
    except RecursionError:
        raise JsonRefused(f"nesting deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # an integer longer than sys.get_int_max_str_digits(), or a hook's refusal
        if "integer string conversion" not in str(error):
            raise JsonRefused(str(error)[:120]) from None
        limit = sys.get_int_max_str_digits()
        raise JsonRefused(f"a number of more than {limit:,} digits", _line_of(text, _LONG_INTEGER)) from None
    if problem := plain_json_problem(value):
        pattern = _SURROGATE_ESCAPE if "surrogate" in problem else _HUGE_FLOAT if "float" in problem else ""
        raise JsonRefused(problem, _line_of(text, pattern))
    return value
