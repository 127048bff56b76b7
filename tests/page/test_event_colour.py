"""Reference layers never use the event colour: the colour difference, the committed case, and the located refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_map import main
from geo.casefile.case import read_case
from geo.casefile.colours import EVENT_COLOUR, MIN_DELTA_E, delta_e, lab
from geo.common.errors import Problem
from tests.conftest import DATA
from tests.datakit import line_of, replace_in


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        # sRGB primaries and white in CIELAB (D65), as tabulated by Bruce Lindbloom's calculator and CIE 15:2004.
        ("#ffffff", (100.0, 0.0, 0.0)),
        ("#000000", (0.0, 0.0, 0.0)),
        ("#ff0000", (53.24, 80.09, 67.20)),
        ("#00ff00", (87.73, -86.18, 83.18)),
        ("#0000ff", (32.30, 79.19, -107.86)),
    ],
)
def test_lab_matches_published_values(colour: str, expected: tuple[float, float, float]) -> None:
    assert lab(colour) == pytest.approx(expected, abs=0.05)


def test_the_event_colour_is_its_own_nearest_and_okabe_ito_neighbours_are_far() -> None:
    assert delta_e(EVENT_COLOUR, EVENT_COLOUR) == 0
    assert delta_e(EVENT_COLOUR, "#E8A010") < MIN_DELTA_E  # a shade anyone would take for the event orange
    assert delta_e(EVENT_COLOUR, "#D55E00") > MIN_DELTA_E  # Okabe-Ito vermillion, the Chinese border
    assert delta_e(EVENT_COLOUR, "#F0E442") > MIN_DELTA_E  # Okabe-Ito yellow, the Chita marker


def test_no_committed_layer_colour_is_near_the_event_colour() -> None:
    problems: list[Problem] = []
    case = read_case(DATA, problems)
    assert problems == [] and case is not None
    colours = [
        (layer.key, key, value)
        for layer in case.layers
        for style in (layer.style, *layer.feature_styles.values())
        for key, value in style.items()
        if key in ("color", "fillColor")
    ]
    assert len(colours) > 10
    near = [(key, field, value) for key, field, value in colours if delta_e(str(value), EVENT_COLOUR) < MIN_DELTA_E]
    assert near == []


def test_a_layer_in_the_event_colour_stops_the_build_at_its_line(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "map.html"
    output.write_text("the previous map", encoding="utf-8")
    replace_in(data_copy / "case.yaml", 'heilongjiang: {fillColor: "#D55E00"', 'heilongjiang: {fillColor: "#e8a010"')
    assert main(["--data", str(data_copy), "--output", str(output)]) == 2
    message = capsys.readouterr().err
    line = line_of(data_copy / "case.yaml", "heilongjiang: {fillColor")
    assert f"case.yaml:{line}" in message
    assert "feature_styles.heilongjiang.fillColor" in message and "#E69F00" in message and "#e8a010" in message
    assert output.read_text(encoding="utf-8") == "the previous map"
