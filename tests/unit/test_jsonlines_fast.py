"""JSON Lines read by the C scanner alone (jsonlines._plain) accept and refuse exactly what the strict reader does:
a line it does not take whole goes to the strict reader, which says what is wrong with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.casefile import fastpath, fields, jsonlines
from geo.casefile.fields import Context
from geo.casefile.yamlsafe import Mapping
from geo.common.errors import Problem

LINES = [
    '{"id":"a","when":{"start":"2001-01-01"},"sources":[{"id":"s","confirms":"x"}]}',
    '{"id":"a","id":"b"}',
    '{"id" :"a","id":"b"}',
    '{"id":"a","when":{"start":"x", "start" : "y"}}',
    '{"id":"a","sources":[{"id":"s","id":"t"}]}',
    '{"t":"a \\":" , "t":1}',
    '{"t":"\\u0022:","t":2}',
    '{"id":"a"} trailing',
    '{"id":"a"}\r',
    '  {"id":"a", "n": 1}  ',
    '{"n":NaN}',
    '{"n":1e999}',
    "[1, 2]",
    '"text"',
    '{"id":"Чита 中国 \\u2028"}',
    '{"id":"a",}',
]


@pytest.mark.parametrize("line", LINES)
def test_the_fast_reading_of_a_line_agrees_with_the_strict_reader(line: str) -> None:
    strict_problems: list[Problem] = []
    strict = jsonlines._strict_line("f.jsonl", 1, line, strict_problems)
    fast = jsonlines._plain(line, surrogates=False, huge=True)
    if fast is not None:  # taken whole: the strict reader takes it too, as the same object
        assert strict == fast and not strict_problems
    else:  # left to the strict reader, which decides
        assert (strict is None) == bool(strict_problems)


def test_keys_written_twice_are_refused_with_their_line(tmp_path: Path) -> None:
    good = LINES[0]
    data = "\n".join([good, good.replace('"id":"a"', '"id":"a" , "id" :"b"'), good, '{"x":{"k":1,"k":2}}']).encode()
    problems: list[Problem] = []
    found = list(jsonlines.iter_jsonl(tmp_path / "events.jsonl", data, problems=problems))
    assert [line for _, line in found] == [1, 3]
    assert [(p.line, "twice" in p.found) for p in problems] == [(2, True), (4, True)]


TEXTS = [
    "a",
    " a ",
    " ",
    "   ",
    "\t",
    "a\tb",
    "a\nb",
    "a\rb",
    "a\x7fb",
    "a\x85b",
    "\u200b",
    "\u200b x",
    "Чита",
    "~",
    "a" * 80,
]


@pytest.mark.parametrize("value", TEXTS)
def test_the_fast_text_check_accepts_what_fields_text_accepts(value: str) -> None:
    ctx = Context("f.jsonl", [])
    record = Mapping(items={"t": value}, key_lines={"t": 1}, line=1)
    accepted = fields.text(ctx, record, "t", max_chars=40) is not None
    assert fastpath.clean_text(value, 40) == accepted
