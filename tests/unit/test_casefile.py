"""case.yaml: the committed case parses into the records the engine needs; every mistake is located and all are listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.casefile.builders import BUILDERS
from geo.casefile.case import Case, parse_case, read_case
from geo.common.errors import Problem
from tests.conftest import DATA

CASE_TEXT = (DATA / "case.yaml").read_text(encoding="utf-8")


def parse(tmp_path: Path, text: str) -> tuple[Case | None, list[Problem]]:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return parse_case(path, problems), problems


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def edited(old: str, new: str, *, count: int = 1) -> str:
    assert old in CASE_TEXT, old
    return CASE_TEXT.replace(old, new, count)


def test_the_committed_case_parses_into_layer_records() -> None:
    problems: list[Problem] = []
    case = read_case(DATA, problems)
    assert problems == [] and case is not None
    assert [layer.key for layer in case.layers] == [
        "countries",
        "context",
        "bands",
        "krai",
        "lakes",
        "rivers",
        "depots",
        "borders",
        "places",
        "chita",
    ]
    assert case.focus.dcw == "RU.ZAB"
    assert {n.dcw for n in case.neighbours} == {"MN", "CN.NM", "CN.HL", "RU.BU", "RU.AMU", "RU.IRK", "RU.SA"}
    bands = case.layer("bands")
    assert bands.params == {
        "border_with": ("CN",),
        "distances_km": (50.0, 100.0, 200.0),
        "border_label": "the Chinese border",
    }
    assert bands.visible is False and bands.tooltip == "none" and bands.style["dashArray"] == "2 4"
    assert case.layer("chita").style["radius"] == 8.0 and case.layer("chita").tooltip == "permanent"
    assert case.layer("borders").feature_styles["border-mongolia"] == {"color": "#009E73"}
    assert case.view.max_zoom == 10 and case.view.bounds.south == 47.8
    assert [p.label for p in case.time_presets] == ["The case (2019–2021)"]
    vasilyev = next(alias for alias in case.aliases if alias.term == "Vasilyev")
    assert {"Васильев", "瓦西里耶夫", "Vasiliev"} <= set(vasilyev.aliases)
    assert case.seed_article is not None and case.seed_article.path == "../../shared/seed/article.txt"
    assert case.article_path == DATA / "../../shared/seed/article.txt"
    # Every layer's properties are its builder's, and every popup field is one the builder labels.
    for layer in case.layers:
        assert layer.properties == BUILDERS[layer.builder].properties
        assert set(layer.popup) <= set(BUILDERS[layer.builder].labels)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ('color: "#0072B2"', 'color: "blue"', 'color: "blue"', r"style\.color: expected a colour as #rrggbb"),
        ('weight: "2.5"', 'weight: "25"', 'weight: "25"', r"style\.weight: expected a number from 0 to 20"),
        ('dashArray: "2 4"', 'dashArray: "2;alert(1)"', "dashArray", r"style\.dashArray: expected dash lengths"),
        ('fillOpacity: "0.05"', 'fillOpacity: "0.05", onclick: "x"', "onclick", r"style\.onclick: expected one of"),
        (
            'weight: "2.5",',
            'weight: "2.5", radius: "3",',
            'radius: "3"',
            r"style\.radius: expected radius only on point",
        ),
        ("builder: focus", "builder: heatmap", "builder: heatmap", r"builder: expected one of focus, borders"),
        (
            "    kind: line",
            "    kind: area  # was line",
            "# was line",
            r"kind: expected line \(what the rivers builder",  # the first line layer
        ),
        ("popup: [area_km2]", "popup: [area_km2, aliases]", "popup: [area_km2, aliases]", r"popup: expected prop"),
        ("    group: military\n", "    group: weapons\n", "group: weapons", r"group: expected one of the groups"),
        ('distances_km: ["50", "100", "200"]', 'distances_km: ["100", "50"]', "distances_km", r"ascending numbers"),
        ("border_with: [CN]", "border_with: [China]", "border_with", r"params\.border_with: expected ISO country"),
        ('    params: {margin_km: "250"}\n', "", "builder: neighbours", None),
        ("    visible: false", "    visible: no", "visible: no", r"visible: expected true or false"),
        ("  dcw: RU.ZAB", "  dcw: RUZAB", "dcw: RUZAB", r"focus\.dcw: expected a DCW-GMT code as GMT writes it"),
        ('start: "2019-01-01"', 'start: "2022-01-01"', 'end: "2021-12-31"', r"time_presets\[\]\.end: expected a date"),
        ('max_zoom: "10"', 'max_zoom: "2"', "max_zoom", r"view\.max_zoom: expected at least min_zoom"),
        ("  - key: places", "  - key: krai  # again", "# again", r"id: expected a unique id \(already used at line"),
        (
            "    params: {places: [chita]}",
            "    params: {places: [chita, nerchinsk], extra: x}",
            "extra",
            r"params\.extra",
        ),
        ("search_hint:", "search_hnt:", "search_hnt", r"search_hnt: expected one of the fields"),
        ("{term: Iskander, aliases:", "{term: Iskander, spellings:", "term: Iskander", r"aliases\[\]\.spellings"),
        ("{term: FSB, aliases: [ФСБ]}", "{term: FSB}", "term: FSB", r"aliases\[\]\.aliases: expected a list"),
        (
            "{term: spy, aliases: [间谍]}",
            "{term: spy, aliases: " + '"' + "x" * 101 + '"}',
            "term: spy",
            r"aliases\[\]\.aliases",
        ),
    ],
)
def test_each_mistake_is_reported_at_its_line(
    tmp_path: Path, old: str, new: str, needle: str, message: str | None
) -> None:
    text = edited(old, new)
    case, problems = parse(tmp_path, text)
    if message is None:  # an optional parameter left out takes its default
        assert problems == [] and case is not None
        assert case.layer("context").params == {"margin_km": 250.0}
        return
    assert case is None
    shown = [str(p) for p in problems]
    assert any(re.search(message, s) for s in shown), shown
    hit = next(p for p in problems if re.search(message, str(p)))
    assert hit.file.endswith("case.yaml") and hit.line == line_of(text, needle), (hit, line_of(text, needle))


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = edited('color: "#0072B2"', 'color: "blue"').replace("builder: depots", "builder: mines")
    text = text.replace("popup: [length_km]", "popup: [length_mi]")
    _, problems = parse(tmp_path, text)
    fields = sorted(p.field for p in problems)
    assert fields == ["builder", "popup", "style.color"]


def test_a_place_can_be_in_one_settlements_layer_only(tmp_path: Path) -> None:
    text = edited("params: {places: [chita]}", "params: {places: [chita]}").replace(
        'params: {places: remaining, depot_anchors: "true"}', "params: {places: [nerchinsk, chita]}"
    )
    _, problems = parse(tmp_path, text)
    assert [(p.field, p.found) for p in problems] == [("params.places", "chita")]


def test_a_required_parameter_must_be_given(tmp_path: Path) -> None:
    text = edited("      border_with: [CN]\n", "")
    _, problems = parse(tmp_path, text)
    assert [(p.record, p.field, p.found) for p in problems] == [("bands", "params.border_with", "nothing")]


@pytest.mark.parametrize("path", ["../../etc/passwd", "/home/someone/article.txt", "../.ssh/id_rsa"])
def test_seed_article_path_is_a_relative_txt_file(tmp_path: Path, path: str) -> None:
    text = edited("  path: ../../shared/seed/article.txt", f"  path: {path}")
    _, problems = parse(tmp_path, text)
    assert [(p.field, p.expected) for p in problems] == [
        ("seed_article.path", "a path to a .txt file, relative to the case folder")
    ]


def test_a_case_without_seed_article_names_no_article(tmp_path: Path) -> None:
    start, end = CASE_TEXT.index("seed_article:"), CASE_TEXT.index("focus:")
    case, problems = parse(tmp_path, CASE_TEXT[:start] + CASE_TEXT[end:])
    assert problems == [] and case is not None
    assert case.seed_article is None and case.article_path is None


def test_yaml_tricks_are_refused_before_the_schema(tmp_path: Path) -> None:
    text = CASE_TEXT.replace("title: ", "title: &t ", 1) + "\nextra: *t\n"
    _, problems = parse(tmp_path, text)
    assert problems and all(p.file.endswith("case.yaml") for p in problems)
