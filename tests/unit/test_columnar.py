"""Bulk events read by column (geo.casefile.columnar) give the same events, lines and problems as reading a line at a
time: each file below is read both ways through events.parse_events and compared whole; a file or row the columns
do not take goes to the line reader, which says what is wrong and where."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from geo.casefile import arrowcolumns, columnar, events, schema
from geo.casefile.fields import FULL_DATE
from geo.casefile.records import Event
from geo.common.errors import Problem

CATEGORIES = ("security", "legal")


def record(number: int, **changes: Any) -> dict[str, Any]:
    """A plainly valid event; ``changes`` replace members (None: the member is left out)."""
    made: dict[str, Any] = {
        "id": f"ev-{number}",
        "title": f"Event {number}",
        "description": "Чита: 中国 said so.",
        "category": "security",
        "when": {"start": "2021-02-03", "end": "2021-02-03", "precision": "day"},
        "where": {"place": "chita", "precision": "settlement"},
        "sources": [{"id": "tass-2021", "confirms": "the verdict"}],
    }
    made.update(changes)
    return {key: value for key, value in made.items() if value is not None}


def line(value: dict[str, Any], *, ascii_only: bool = False) -> str:
    return json.dumps(value, ensure_ascii=ascii_only, separators=(",", ":"))


def read_both(tmp_path: Path, data: bytes) -> tuple[Any, Any]:
    """parse_events on ``data`` by column (as the build reads) and by lines alone (the columns switched off)."""
    path = tmp_path / "events.jsonl"
    path.write_bytes(data)
    by_columns: list[Problem] = []
    columns = events.parse_events(path, by_columns, categories=CATEGORIES)
    switched_off = pytest.MonkeyPatch()
    switched_off.setattr(columnar, "read_jsonl", lambda data, categories: None)
    try:
        by_lines: list[Problem] = []
        lines = events.parse_events(path, by_lines, categories=CATEGORIES)
    finally:
        switched_off.undo()
    return (columns, by_columns), (lines, by_lines)


def rows_taken(data: bytes) -> int | None:
    """How many rows the columns took whole, or None when the file went by lines."""
    rows = columnar.read_jsonl(data, CATEGORIES)
    return None if rows is None else sum(event is not None for event in rows.events)


GOOD = [line(record(k)) for k in range(4)]


def joined(*lines: str, end: str = "\n") -> bytes:
    return (end.join(lines) + end).encode()


# Files that go by lines as a whole, and why.
WHOLE_FILE_BY_LINES = {
    "byte-order mark": b"\xef\xbb\xbf" + joined(*GOOD),
    "not UTF-8": joined(*GOOD).replace(b"Event 1", b"Event \xff"),
    "a key twice": joined(GOOD[0], GOOD[1].replace('"title"', '"title":"x","title"')),
    "a key twice, nested": joined(GOOD[0], GOOD[1].replace('"precision":"day"', '"precision":"day","end":"x"')),
    "a key twice, escaped": joined(GOOD[0], GOOD[1].replace('"title"', '"title":"x","titl\\u0065"')),
    "an unknown member": joined(GOOD[0], line(record(1, note="x"))),
    "an unknown member, null": joined(GOOD[0], line(record(1, note=None) | {"note": None})),
    "an unknown member, nested": joined(GOOD[0], GOOD[1].replace('"precision":"day"', '"precision":"day","x":1')),
    "an unknown member in a citation": joined(GOOD[0], GOOD[1].replace('"confirms"', '"page":3,"confirms"')),
    "NaN in an unknown member": joined(GOOD[0], GOOD[1].replace("{", '{"n":NaN,', 1)),
    "a number for a text": joined(GOOD[0], line(record(1, title=5))),
    "a list for an interval": joined(GOOD[0], line(record(1, when=["2021-02-03"]))),
    "a text for a citation": joined(GOOD[0], line(record(1, sources=["tass-2021"]))),
    "two objects on a line": joined(GOOD[0], GOOD[1] + GOOD[2]),
    "not JSON": joined(GOOD[0], GOOD[1][:-1]),
    "a trailing comma": joined(GOOD[0], GOOD[1][:-1] + ",}"),
    "an array line": joined(GOOD[0], "[1,2]"),
    "a lone surrogate": joined(GOOD[0], GOOD[1].replace("Event 1", "Event \\ud800")),
    "a raw tab in a text": joined(GOOD[0], GOOD[1].replace("Event 1", "Event\t1")),
    "a vertical tab line": joined(GOOD[0], "\x0b", GOOD[1]),
    "an unknown member in a claim": joined(GOOD[0], line(record(1, claims=[{"n": float("nan")}]))),
    "a number for a claim's text": joined(GOOD[0], line(record(1, claims=[{"quote": 5}]))),
    "an unknown member in a later block": joined(*(line(record(k)) for k in range(40_000)), line(record(1, z="x"))),
    # Found by a second reader: pyarrow reads two objects on a line and an object broken over two lines, and the
    # two cancel in a count of rows against lines (every later row then paired with the wrong line).
    "two objects on a line and one over two lines": joined(GOOD[0] + GOOD[1], GOOD[2].replace(",", ",\n", 1)),
    "two objects on a line and a refused one": joined(
        GOOD[0] + line(record(1, title="")), GOOD[2], GOOD[3].replace(",", ",\n", 1)
    ),
    "two objects on a line split by a carriage return": joined(
        GOOD[0] + "\r" + GOOD[1], GOOD[2].replace(",", ",\n", 1)
    ),
    "a null line": joined(GOOD[0], "null", GOOD[1]),
    "an empty file": b"",
    "blank lines only": b"\n \n\r\n",
}


@pytest.mark.parametrize("name", sorted(WHOLE_FILE_BY_LINES))
def test_a_file_the_columns_do_not_take_is_read_by_lines_with_the_same_result(tmp_path: Path, name: str) -> None:
    data = WHOLE_FILE_BY_LINES[name]
    assert columnar.read_jsonl(data, CATEGORIES) is None
    by_columns, by_lines = read_both(tmp_path, data)
    assert by_columns == by_lines


def changed(number: int, text: str) -> str:
    return text.replace('"ev-0"', f'"ev-{number}"')


# Rows that go by lines, in files the columns take: the line reader and the located readers decide.
ROWS_BY_LINES = [
    line(record(0, claims=[{"quote": "q", "status": "disputed", "sources": ["tass-2021"]}])),
    line(record(0, claims=[])),
    line(record(0, claims=[{"quote": "q"}])),
    line(record(0, claims=[{"quote": "q", "status": "disputed", "sources": []}])),
    "   " + line(record(0)),
    line(record(0, title="")),
    line(record(0, title="   ")),
    line(record(0, title="\u200b")),
    line(record(0, title="Event\u0007")),
    line(record(0, title="Event\u0085")),
    line(record(0, title="字" * 201)),
    line(record(0, title="字" * 200)),
    line(record(0, title="中国")),
    line(record(0, title="Ч\u2028ита")),
    line(record(0, description="x" * 2001)),
    line(record(0, id="Not A Slug")),
    line(record(0, id="ev-1")),  # repeated
    line(record(0, id=None)),
    line(record(0, category="people")),
    line(record(0, category="s" * 41)),
    line(record(0, category=None)),
    line(record(0, when=None)),
    line(record(0, when={"start": "2021-02-30", "end": "2021-02-30", "precision": "day"})),
    line(record(0, when={"start": "2021-02-03", "end": "2021-02-01", "precision": "day"})),
    line(record(0, when={"start": "2021-02-01", "end": "2021-02-28", "precision": "month"})),
    line(record(0, when={"start": "2021-02-01", "end": "2021-02-27", "precision": "month"})),
    line(record(0, when={"start": "2021-02-01", "end": "2021-03-01", "precision": "approximate"})),
    line(record(0, when={"start": "2021-02-01", "end": "2021-03-01", "precision": "approximate", "label": "Feb"})),
    line(record(0, when={"start": "2021-02-01", "end": "2021-03-01", "precision": "approximate", "label": ""})),
    line(record(0, when={"start": "2021-02-03", "end": "2021-02-03", "precision": "week"})),
    line(record(0, when={"start": "2021-02-03", "precision": "day"})),
    line(record(0, when={})),
    line(record(0) | {"when": None}),
    line(record(0) | {"public": None}),
    line(record(0, public={"start": "2021-02-25", "end": "2021-02-25", "precision": "day"})),
    line(record(0, public={"start": "2021-02-25", "end": "2021-02-25", "precision": "day", "label": None})),
    line(record(0, public={"start": "2021", "end": "2021", "precision": "year"})),
    line(record(0, public={})),
    line(record(0, where={"precision": "undisclosed"})),
    line(record(0, where={"precision": "undisclosed", "place": None})),
    line(record(0, where={"precision": "settlement"})),
    line(record(0, where={"place": "chita", "precision": "settlement", "note": ""})),
    line(record(0, where={"place": "chita", "precision": "settlement", "note": "near the station"})),
    line(record(0, where={"place": "Chita!", "precision": "settlement"})),
    line(record(0, where={"place": "chita", "precision": "city"})),
    line(record(0, where={})),
    line(record(0, sources=[])),
    line(record(0, sources=[None])),
    line(record(0, sources=[{"id": "tass-2021"}])),
    line(record(0, sources=[{"id": "tass-2021", "confirms": " "}])),
    line(record(0, sources=[{"id": "TASS", "confirms": "x"}])),
    line(record(0, sources=[{"id": "tass-2021", "confirms": "a"}, {"id": "rbc", "confirms": "b"}])),
    line(record(0, sources=[{"id": "tass-2021", "confirms": "a"}, {"id": "rbc", "confirms": ""}])),
    line(record(0, sources=[{"confirms": "a"}])),
    line(record(0), ascii_only=True),
    line(record(0, title="Event \U0001f600"), ascii_only=True),
    line(record(0, title='a \\ and a " and a /')),
    line(record(0)).replace('"title":', '"title" :  '),
    line(record(0)) + "\r",
    line(record(0)) + "   ",
    "",
    "  ",
    "\r",
]


@pytest.mark.parametrize("index", range(len(ROWS_BY_LINES)))
def test_each_row_reads_the_same_by_columns_as_by_lines(tmp_path: Path, index: int) -> None:
    data = joined(GOOD[1], changed(7, ROWS_BY_LINES[index]), GOOD[2])
    assert columnar.read_jsonl(data, CATEGORIES) is not None  # the file is read by column
    by_columns, by_lines = read_both(tmp_path, data)
    assert by_columns == by_lines


def test_a_mixed_file_reads_the_same_by_columns_as_by_lines(tmp_path: Path) -> None:
    """Every row above many times over, shuffled, with ids repeated across rows, in one file: the rows the columns
    take and the rows they leave meet (a repeated id after a refused row, a problem between two taken rows)."""
    shuffle = random.Random(18)  # noqa: S311  # a fixed, repeatable order of test rows, not a secret
    picked = [changed(shuffle.randrange(400), shuffle.choice(ROWS_BY_LINES + GOOD)) for _ in range(1500)]
    data = joined(*picked)
    (columns, column_problems), by_lines = read_both(tmp_path, data)
    assert (columns, column_problems) == by_lines
    taken = rows_taken(data)
    assert taken is not None and taken > 100  # the columns did the reading, not only the line reader
    assert column_problems  # and the line reader said what it found wrong, located
    assert all(problem.line > 0 for problem in column_problems)


def test_a_clean_file_is_taken_whole_by_the_columns(tmp_path: Path) -> None:
    data = joined(*(line(record(k)) for k in range(300)), end="\r\n")
    assert rows_taken(data) == 300
    (found, problems), by_lines = read_both(tmp_path, data)
    assert (found, problems) == by_lines and not problems
    events_found, lines = found
    assert len(events_found) == 300 and lines["ev-299"] == 300
    assert events_found[0] == Event(
        "ev-0",
        "Event 0",
        "Чита: 中国 said so.",
        "security",
        events_found[0].when,
        None,
        events_found[0].where,
        (),
        events_found[0].sources,
    )
    assert events_found[0].when.label and events_found[0].where.place == "chita"


def test_line_numbers_count_blank_lines_as_the_line_reader_does(tmp_path: Path) -> None:
    data = joined("", GOOD[0], "  ", "", GOOD[1], "\r", GOOD[2])
    rows = columnar.read_jsonl(data, CATEGORIES)
    assert rows is not None and rows.lines == [2, 5, 7]
    by_columns, by_lines = read_both(tmp_path, data)
    assert by_columns == by_lines


def test_the_columns_name_every_event_member() -> None:
    assert set(columnar.EVENT_COLUMNS.names) | {columnar.CLAIMS} == schema.EVENTS.names


IDS = ["a", "ev-1", "ev--1", "-ev", "ev-", "Ev", "ev_1", "ev 1", "ev-1\n", "\nev", "", "é", "a" * 80, "a" * 81, "0-0-0"]


def test_ids_are_checked_by_column_as_fastpath_checks_each() -> None:
    import pyarrow as pa

    from geo.casefile import fastpath

    by_column = arrowcolumns.clean_ids(pa.chunked_array([pa.array([*IDS, None], type=pa.string())]))
    assert by_column.tolist() == [fastpath.clean_id(value) for value in IDS] + [False]


TEXTS = [
    "a",
    " a ",
    " ",
    "\t",
    "a\tb",
    "a\nb",
    "a\x00b",
    "a\x08b",
    "a\x0bb",
    "a\x1fb",
    "a\x7fb",
    "a\x85b",
    "a\x9fb",
    "a\xa0b",
    "\xa0",
    "\u200b",
    "\u200b x",
    "\u2028",
    "\u3000",
    "Чита",
    "中国",
    "中国\x07",
    " 中国 ",
    "~",
    "é" * 40,
    "é" * 41,
    "\U0001f600",
    "",
]


def test_texts_are_checked_by_column_as_fastpath_checks_each() -> None:
    """Nulls between the texts, and a column of two chunks: the patterns are searched in the texts that are not
    printable ASCII alone and put back in their rows, which must not shift one row's answer to another."""
    import pyarrow as pa

    from geo.casefile import fastpath

    values = [text for pair in zip([None] * len(TEXTS), TEXTS, strict=True) for text in pair]
    half = len(values) // 2 + 1
    column = pa.chunked_array([pa.array(values[:half], type=pa.string()), pa.array(values[half:], type=pa.string())])
    by_column = arrowcolumns.clean_texts(column, values, 40)
    assert by_column.tolist() == [fastpath.clean_text(value, 40) for value in values]
    assert 0 < sum(by_column) < len(TEXTS)  # some texts taken, some not


def printed_by_a_fresh_interpreter(code: str) -> list[str]:
    """The words ``code`` prints, run by a new Python at the project's root (so that no module is imported yet)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout.split()


def test_reading_by_column_imports_no_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas at its first conversion of a Python value (0.35 s and 48 MB at 100,000 events): the
    columns are read without one, in a fresh interpreter."""
    path = tmp_path / "events.jsonl"
    path.write_bytes(joined(*GOOD, line(record(9, title="中国"))))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from geo.casefile import columnar\n"
        f"rows = columnar.read_jsonl(Path({str(path)!r}).read_bytes(), {CATEGORIES!r})\n"
        "print(sum(event is not None for event in rows.events), 'pandas' in sys.modules)"
    )
    assert printed_by_a_fresh_interpreter(code) == ["5", "False"]


def test_ids_repeated_across_blocks_go_to_the_line_reader(tmp_path: Path) -> None:
    """The file is read in blocks of 8 MB: an id in a later block that an earlier block had is still repeated."""
    many = [line(record(k)) for k in range(40_000)]
    data = joined(*many, line(record(0, title="Again")), line(record(40_000)))
    assert len(data) > columnar._BLOCK_BYTES  # more than one block
    assert rows_taken(data) == 40_001
    (found, problems), by_lines = read_both(tmp_path, data)
    assert (found, problems) == by_lines
    assert [p.line for p in problems] == [40_001] and "ev-0" in str(problems[0])


DAYS = ["2021-02-03", "2021-02-01", "2021-02-28", "2020-02-29", "2021-02-29", "2021-01-01", "2021-12-31", "2022-01-01"]
DAYS += ["0000-01-01", "0001-01-01", "9999-12-31", "2021-1-01", " 2021-02-03", "2021-02-03 ", "２０２１-02-03", "2021"]
DAYS += ["20210203", "2021-02-03T00:00", "", None]  # type: ignore[list-item]  # a member left out
# Days that have the shape but not a date (a month or a day out of range), leap years by the Gregorian rules, and
# digits that are not ASCII (as _days reads them in numpy from the texts' bytes).
DAYS += ["2021-13-01", "2021-00-10", "2021-04-31", "2021-04-30", "2021-02-00", "1900-02-29", "2000-02-29"]
DAYS += ["1969-12-31", "1970-01-01", "٢٠٢١-02-03", "2021-02-0３"]


def test_days_are_read_in_numpy_as_date_reads_each() -> None:
    """_days against date.fromisoformat and calendar.monthrange, on an array sliced so that its texts start inside
    the buffers (as a block's dictionary of days may)."""
    import calendar
    from datetime import date

    import pyarrow as pa

    def reference(text: str | None) -> tuple[int, ...]:
        try:  # fastpath._dates_fit's two tests
            day = date.fromisoformat(text) if text is not None and FULL_DATE.fullmatch(text) else None
        except ValueError:
            day = None
        if day is None:
            return (-1,) * 5
        last = calendar.monthrange(day.year, day.month)[1]
        first_of = date(day.year, day.month, 1).toordinal()
        year = (date(day.year, 1, 1).toordinal(), date(day.year, 12, 31).toordinal())
        return (day.toordinal(), first_of, first_of + last - 1, *year)

    texts = pa.array(["1999-12-31", *DAYS, "0001-01-01"], type=pa.string()).slice(1)
    found = columnar._days(texts)
    columns = [found.day, found.month_first, found.month_last, found.year_first, found.year_last]
    assert [tuple(int(value[k]) for value in columns) for k in range(len(texts))] == [
        reference(text) for text in texts.to_pylist()
    ]
    assert sum(found.day >= 0) == 14  # the texts above that are dates


def test_intervals_are_checked_by_column_as_fastpath_checks_each() -> None:
    """Every pair of the days above, at every precision (and one that is none), with and without a label."""
    import pyarrow as pa

    from geo.casefile import fastpath

    members = [
        {"start": start, "end": end, "precision": precision, "label": label}
        for start in DAYS
        for end in DAYS
        for precision in ("day", "month", "year", "approximate", "week", None)
        for label in (None, "About then", " ")
    ]
    column = pa.chunked_array([pa.array([*members, None], type=columnar.EVENT_COLUMNS.field("when").type)])
    expected = [fastpath.interval_of(m["start"], m["end"], m["precision"], m["label"]) for m in members] + [None]
    found = columnar._intervals(column)
    assert found == expected
    assert sum(interval is not None for interval in found) > 50  # the grid holds valid intervals of each kind


def test_a_file_of_more_lines_than_any_real_one_goes_by_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blank lines by the million would each hold two numbers in the line arrays; the line reader skips them in
    constant memory (found by a second reader: 20 million blank lines took 1.27 GB)."""
    data = joined(*GOOD) + b"\n" * 200
    assert columnar.read_jsonl(data, CATEGORIES) is not None
    monkeypatch.setattr(columnar, "_MAX_LINES", 100)
    assert columnar.read_jsonl(data, CATEGORIES) is None
