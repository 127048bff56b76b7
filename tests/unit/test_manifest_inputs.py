"""A layer's manifest checksum of case.yaml covers what regeneration reads for it, and nothing the page alone reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.casefile.case import Case, parse_case
from geo.common.errors import Problem
from geo.derive.manifest import case_digest
from tests.conftest import DATA

CASE_TEXT = (DATA / "case.yaml").read_text(encoding="utf-8")


def digests(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    case = parse_case(path, problems)
    assert problems == [] and isinstance(case, Case)
    return {layer.key: case_digest(case, layer) for layer in case.layers}


def edited(old: str, new: str) -> str:
    assert CASE_TEXT.count(old) == 1, old
    return CASE_TEXT.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    title: Distance from the Chinese border\n", "    title: Near the border\n"),  # a title
        ('{color: "#0072B2", weight: "2.5",', '{color: "#123456", weight: "3",'),  # a style
        ("    popup: [area_km2]\n", "    popup: []\n"),  # popup fields
        ("    tooltip: permanent\n", "    tooltip: sticky\n"),  # tooltip
        ("    visible: false\n", "    visible: true\n"),  # visibility
        ("  path: ../../shared/seed/article.txt\n", "  path: article.txt\n"),  # the seed article
        ("search_hint:", "# a comment moves every line below\nsearch_hint:"),
    ],
)
def test_an_edit_the_page_alone_reads_leaves_every_layer_current(tmp_path: Path, old: str, new: str) -> None:
    assert digests(tmp_path, edited(old, new)) == digests(tmp_path, CASE_TEXT)


@pytest.mark.parametrize(
    ("old", "new", "stale"),
    [
        ('distances_km: ["50", "100", "200"]', 'distances_km: ["50", "150", "200"]', {"bands"}),
        ('params: {margin_km: "250"}', 'params: {margin_km: "300"}', {"context"}),
        ("params: {places: [chita]}", "params: {places: [chita, borzya]}", {"chita", "places"}),
        ("    name: Mongolia\n", "    name: Mongol Uls\n", "every layer"),
        ("  RU: Russia\n", "  RU: Russian Federation\n", "every layer"),
    ],
)
def test_an_edit_regeneration_reads_marks_exactly_its_layers_stale(
    tmp_path: Path, old: str, new: str, stale: set[str] | str
) -> None:
    before, after = digests(tmp_path, CASE_TEXT), digests(tmp_path, edited(old, new))
    changed = {key for key in before if before[key] != after[key]}
    assert changed == (set(before) if stale == "every layer" else stale)
