"""Property-based tests: whatever the files hold, the loaders accept them or report problems, never crash."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.casefile.casedata import load_case
from geo.casefile.events import PlaceIndex
from geo.casefile.yamlsafe import parse_yaml
from geo.common.errors import DataValidationError, Problem
from geo.common.geojson import read_layer

SETTINGS = settings(
    max_examples=int(os.environ.get("CASEMAP_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# The categories these tests' events use (a case declares its own in case.yaml).
CATEGORIES = ("case", "courts-security", "military", "history", "resources", "diplomacy")
INDEX = PlaceIndex(points=frozenset({"chita"}), areas=frozenset({"zabaykalsky-krai"}))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "2021-02-25",
            "2021-02-30",
            "12:30",
            "NO",
            "chita",
            "zabaykalsky-krai",
            "day",
            "region",
            "corroborated",
            "https://example.org",
            "javascript:alert(1)",
            "case",
            "src",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)

VALID_EVENT = {
    "id": "e",
    "title": "T",
    "description": "D",
    "category": "case",
    "when": {"start": "2021-02-25", "end": "2021-02-25", "precision": "day"},
    "where": {"place": "chita", "precision": "settlement"},
    "claims": [{"quote": "q", "status": "corroborated", "reason": "r", "sources": ["src"]}],
    "sources": [{"id": "src", "confirms": "x"}],
}
SOURCES = (
    "sources:\n  - {id: src, outlet: O, title: T, url: 'https://example.org', published: '2021', language: en,"
    " kind: wire, family: F}\n"
)


@st.composite
def mutated_events(draw: st.DrawFn) -> dict[str, Any]:
    """A valid event with some fields replaced, removed or added at random."""
    event: dict[str, Any] = json.loads(json.dumps(VALID_EVENT))
    for _ in range(draw(st.integers(0, 4))):
        path = draw(
            st.sampled_from(
                [
                    ("id",),
                    ("title",),
                    ("when",),
                    ("when", "start"),
                    ("when", "precision"),
                    ("where",),
                    ("where", "place"),
                    ("where", "precision"),
                    ("sources",),
                    ("claims",),
                    ("public",),
                    ("extra",),
                ]
            )
        )
        target = event
        for key in path[:-1]:
            target = target.setdefault(key, {}) if isinstance(target, dict) else {}
        if isinstance(target, dict):
            if draw(st.booleans()):
                target[path[-1]] = draw(values)
            else:
                target.pop(path[-1], None)
    return event


@SETTINGS
@given(st.text(max_size=300))
def test_yaml_parser_never_raises(text: str) -> None:
    loaded = parse_yaml(text, name="fuzz.yaml")
    assert loaded.root is not None or loaded.problems


def test_the_unmutated_event_loads(tmp_path: Path) -> None:
    # Guards the fuzz test below: if the valid event did not load, every example would take the error branch.
    (tmp_path / "events.yaml").write_text(yaml.safe_dump({"events": [VALID_EVENT]}), encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    case = load_case(
        events_path=tmp_path / "events.yaml",
        sources_path=tmp_path / "sources.yaml",
        index=INDEX,
        article=None,
        categories=CATEGORIES,
    )
    assert [(c.status, c.sources) for c in case.events[0].claims] == [("corroborated", ("src",))]


@SETTINGS
@given(st.lists(st.one_of(mutated_events(), values), max_size=4))
def test_event_loader_accepts_or_reports(
    tmp_path_factory: pytest.TempPathFactory, events: list[dict[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "events.yaml").write_text(yaml.safe_dump({"events": events}, allow_unicode=True), encoding="utf-8")
    (folder / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    try:
        case = load_case(
            events_path=folder / "events.yaml",
            sources_path=folder / "sources.yaml",
            index=INDEX,
            article=None,
            categories=CATEGORIES,
        )
    except DataValidationError as error:
        assert error.problems
        assert all(p.file.endswith(("events.yaml", "sources.yaml")) for p in error.problems)
    else:
        assert all(e.when.start <= e.when.end for e in case.events)


coordinate = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**7), 10**7), st.text(max_size=3)
)
position = st.lists(coordinate, min_size=0, max_size=4)
geometries = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", "Circle"]),
            "coordinates": st.recursive(position, lambda inner: st.lists(inner, max_size=5), max_leaves=12),
        }
    ),
    values,
)
features = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature"]),
        "id": st.one_of(st.text(max_size=8), st.integers()),
        "properties": st.one_of(st.none(), st.dictionaries(st.text(max_size=6), scalars, max_size=3)),
        "geometry": geometries,
    }
)


@SETTINGS
@given(
    st.one_of(
        st.fixed_dictionaries({"type": st.just("FeatureCollection"), "features": st.lists(features, max_size=5)}),
        values,
    )
)
def test_layer_reader_accepts_or_reports(tmp_path_factory: pytest.TempPathFactory, collection: object) -> None:
    path: Path = tmp_path_factory.mktemp("layer") / "fuzz.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    problems: list[Problem] = []
    layer = read_layer(path, problems)
    assert (layer is None) == bool(problems)
    if layer is not None:
        assert all(g.is_valid and not g.is_empty for g in layer.geometries)
