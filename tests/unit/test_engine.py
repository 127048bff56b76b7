"""The engine knows no case and keeps its shape: no name of this case in geo/, small units.

Issue #11: a case is a folder; the engine (geo/) names none of its places, people or regions, and every module and
function stays small enough to read. That the build reads only committed files without geopandas is checked by
building, in tests/page/test_build.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.casenames import case_names, name_pattern
from tests.conftest import DATA, ROOT

GEO = ROOT / "geo"
ENGINE_FILES = sorted(p for p in GEO.rglob("*") if p.suffix in (".py", ".js", ".css"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def test_the_case_names_are_found_where_they_are_written() -> None:
    # Guards the tests below: the names come from the case's files, and the pattern finds them in text.
    names = case_names(DATA)
    assert {"Chita", "Nerchinsk", "Borzya", "Krasnokamensk", "Vasilyev", "Zabaykalsky Krai", "Чита"} <= names
    pattern = name_pattern(names)
    assert pattern.search("the court in chita said")
    assert pattern.search("Забайкальский край")
    assert not pattern.search("Chitapur and Achitane")  # a name inside another word is not the name


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_engine_file_names_this_case(path: Path) -> None:
    pattern = name_pattern(case_names(DATA))
    found = [
        f"{number}: {match.group(0)}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (match := pattern.search(line))
    ]
    assert not found, f"{path.relative_to(ROOT)} names this case (move it to data/case.yaml): {found}"


def _long_functions(source: str) -> list[str]:
    tree = ast.parse(source)
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("path", [p for p in ENGINE_FILES if p.suffix == ".py"], ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it along a seam"
    assert not _long_functions(path.read_text(encoding="utf-8")), (
        f"{path.relative_to(ROOT)}: functions over {MAX_FUNCTION_LINES} lines"
    )


def test_the_size_rule_is_measured() -> None:
    # Guards the test above: a function of 61 lines (nested in a class, too) is caught, one of 60 is not.
    def source(lines: int) -> str:
        return "class C:\n    def f(self):\n" + "\n".join(f"        x{i} = {i}" for i in range(lines - 1)) + "\n"

    assert _long_functions(source(61)) == ["f (61 lines)"]
    assert _long_functions(source(60)) == []
