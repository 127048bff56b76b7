"""Issue #10, findings 1, 2, 10, 13 and 14: what a data file can make the build do, and what the page allows.

Each test here failed on the code before the fix (see docs/security.md for which test proves what).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from build_map import main
from geo.casefile import fields
from geo.casefile.yamlsafe import Mapping
from geo.common.errors import Problem
from geo.common.geojson import MAX_LAYER_BYTES, read_layer
from geo.page import audit, render
from tests.datakit import edit_layer
from tests.pagekit import read_payload

# Quote-free Jinja (folium's tojson turns quotes into \u0027, which a template cannot parse). Evaluated, the
# first gives 'cmevaluated'; the second ends the body script, starts a new one and then another.
EVALUATED = "{{ dict(cm=1)|first ~ dict(evaluated=1)|first }}"
SCRIPT_BREAKOUT = (
    "{% set lt = lipsum|string|first %}{% set gt = lipsum|string|last %}"
    "{% set sl = cycler.__init__.__globals__.os.sep %}{% set s = dict(script=1)|first %}"
    "{{ lt ~ sl ~ s ~ gt ~ lt ~ s ~ gt }}cmPwned{{ lt ~ sl ~ s ~ gt ~ lt ~ s ~ gt }}"
)


def build(data: Path, output: Path) -> int:
    return main(["--data", str(data), "--output", str(output)])


def add_geometry_member(data: Path, layer: str, name: str, value: object) -> None:
    """An extra member in the first feature's geometry (RFC 7946 allows foreign members), manifest resealed."""

    def edit(collection: dict) -> None:
        collection["features"][0]["geometry"][name] = value

    edit_layer(data, layer, edit)


# --- finding 1: build-time code execution through a geometry member ----------------------------------------


def test_an_extra_geometry_member_is_never_evaluated(data_copy: Path, tmp_path: Path) -> None:
    add_geometry_member(data_copy, "depots", "evaluate", EVALUATED)
    add_geometry_member(data_copy, "places", EVALUATED, [EVALUATED])
    output = tmp_path / "map.html"
    assert build(data_copy, output) == 0
    page = output.read_text(encoding="utf-8")
    assert "cmevaluated" not in page
    assert "evaluate" not in page.split('id="casemap-data"')[1]  # not in the body script either


def test_folium_gets_positions_not_data_file_ids(data_copy: Path, tmp_path: Path) -> None:
    """The body script (folium's output) names features by position; the ids travel in the data block."""
    output = tmp_path / "map.html"
    assert build(data_copy, output) == 0
    page = output.read_text(encoding="utf-8")
    body_script = page.split('id="casemap-data"')[1]
    assert '"id":"chita"' not in body_script
    assert '"id":0' in body_script
    payload = read_payload(page)
    assert payload["featureIds"]["chita"] == ["chita"]
    assert payload["properties"]["chita"][0]["id"] == "chita"


def test_geometry_reaches_folium_as_type_and_floats_only() -> None:
    import shapely

    shape = shapely.geometry.shape({"type": "MultiPolygon", "coordinates": [[[[1, 2], [3, 2], [3, 4], [1, 2]]]]})
    rebuilt = render.plain_geometry(shape)
    assert set(rebuilt) == {"type", "coordinates"}
    assert rebuilt["type"] == "MultiPolygon"
    flat = re.findall(r"[^\[\], ]+", json.dumps(rebuilt["coordinates"]))
    assert all(isinstance(json.loads(v), float) for v in flat)


# --- finding 2: the CSP allows only the scripts the build meant to write ------------------------------------


def test_a_script_smuggled_into_the_page_stops_the_build(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defence in depth: even if data reached a template again (a regression of finding 1), no page is written.

    On the code before the fix the data file alone did it: the build exited 0 and the CSP hashed the script.
    """
    add_geometry_member(data_copy, "depots", "x", SCRIPT_BREAKOUT)
    real = getattr(render, "plain_geometry", None)
    if real is not None:  # simulate the regression: a data value passing through folium again
        monkeypatch.setattr(render, "plain_geometry", lambda shape: {**real(shape), "x": SCRIPT_BREAKOUT})
    output = tmp_path / "map.html"
    output.write_text("previous map", encoding="utf-8")
    code = build(data_copy, output)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "a bug in casemap" in err
    assert "did not write" in err
    assert output.read_text(encoding="utf-8") == "previous map"


def _intended() -> audit.IntendedCode:  # an attribute, not an import: each test fails alone on old code
    return audit.IntendedCode(scripts=("\nok()\n",), styles=("p{}",))


def _page(extra: str = "", *, data: str = "QUJD") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>p{}</style></head><body>'
        f'<div id="m"></div><script type="application/gzip+base64" id="casemap-data">{data}</script>'
        f"{extra}<script>\nok()\n</script></body></html>"
    )


def test_check_page_accepts_exactly_the_intended_page() -> None:
    audit.check_page(_page(), _intended())


@pytest.mark.parametrize(
    ("extra", "fault"),
    [
        ("<script>alert(1)</script>", "did not write"),
        ("<SCRIPT >alert(1)</SCRIPT>", "did not write"),
        ('<script src="https://example.org/x.js"></script>', "attributes"),
        ('<script type="module">\nok()\n</script>', "attributes"),
        ("<script/>", "self-closing"),
        ('<div onclick="alert(1)"></div>', "event handler"),
        ('<div ONMOUSEOVER="alert(1)"></div>', "event handler"),
        ('<div title="x" data-x="&#106;avascript:alert(1)"></div>', "script URL"),
        ('<a href=" java\tscript:alert(1)">x</a>', "script URL"),
        ("<iframe srcdoc='x'></iframe>", "does not use"),
        ('<meta http-equiv="refresh" content="0;url=https://example.org">', "http-equiv"),
        ("<style>body{display:none}</style>", "did not write"),
        ("<script>", "did not write"),  # swallows the intended script that follows
    ],
)
def test_check_page_refuses_anything_else(extra: str, fault: str) -> None:
    with pytest.raises(audit.PageIntegrityError, match=re.escape(fault)):
        audit.check_page(_page(extra), _intended())


def test_check_page_refuses_a_script_left_open_at_the_end() -> None:
    with pytest.raises(audit.PageIntegrityError, match="never closed"):
        audit.check_page(_page() + "<script>ok()", _intended())


def test_check_page_refuses_a_data_block_that_is_not_base64() -> None:
    with pytest.raises(audit.PageIntegrityError, match="data blocks"):
        audit.check_page(_page(data="{}"), _intended())


def test_the_csp_hashes_come_from_the_intended_code_only(tmp_path: Path) -> None:
    from tests.conftest import DATA

    output = tmp_path / "map.html"
    assert build(DATA, output) == 0
    page = output.read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    scripts = re.search(r"script-src ([^;]*)", csp).group(1).split()
    found = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert sorted(scripts) == sorted({f"'{audit._hash(body)}'" for body in found})
    assert len(scripts) == 3  # Leaflet, the casemap script and the body script; folium's global-switch script is gone


# --- finding 10: layer content the page cannot draw ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "coordinates", "where"),
    [
        ("Point", [[113.5, 52.0]], "geometry.coordinates"),
        ("Point", [113.5], "geometry.coordinates"),
        ("Point", [113.5, True], "geometry.coordinates"),
        ("MultiPoint", [113.5, 52.0], "geometry.coordinates[0]"),
        ("LineString", [[113.5, 52.0]], "geometry.coordinates"),
        ("LineString", [[[113.5, 52.0], [114, 52]]], "geometry.coordinates"),
        ("MultiLineString", [[113.5, 52.0], [114, 52]], "geometry.coordinates[0][0]"),
        ("Polygon", [[113, 52], [114, 52], [114, 53], [113, 52]], "geometry.coordinates[0]"),
        ("Polygon", [[[113, 52], [114, 52], [113, 52]]], "geometry.coordinates[0]"),
        ("MultiPolygon", [[[113, 52], [114, 52], [114, 53], [113, 52]]], "geometry.coordinates[0][0]"),
        ("MultiPolygon", [[[[113, 52], [114, 52], [114, 53], [113, 53]]]], "geometry.coordinates[0][0]"),
    ],
)
def test_coordinate_nesting_is_checked_per_geometry_type(
    data_copy: Path, kind: str, coordinates: object, where: str
) -> None:
    def edit(collection: dict) -> None:
        collection["features"][0]["geometry"] = {"type": kind, "coordinates": coordinates}

    edit_layer(data_copy, "depots", edit)
    problems: list[Problem] = []
    assert read_layer(data_copy / "layers" / "depots.geojson", problems) is None
    assert [p.field for p in problems] == [where], problems
    assert problems[0].line == 2 and problems[0].record


# --- finding 13: the declared layer size limit is the real one ----------------------------------------------


def test_a_layer_larger_than_two_megabytes_but_within_the_limit_is_read(tmp_path: Path) -> None:
    from tests.conftest import DATA

    text = (DATA / "layers" / "chita.geojson").read_text(encoding="utf-8")
    padded = tmp_path / "chita.geojson"
    padded.write_text(text.rstrip("\n") + " " * 3_000_000 + "\n", encoding="utf-8")
    assert 3_000_000 < padded.stat().st_size < MAX_LAYER_BYTES
    problems: list[Problem] = []
    assert read_layer(padded, problems) is not None, problems


# --- finding 14: accepted but should be refused (the located messages are in test_bad_input.py) -------------


def _field(text: str, check: Callable[..., object], **limits: int) -> tuple[object, list[Problem]]:
    problems: list[Problem] = []
    record = Mapping(items={"v": text}, key_lines={"v": 1}, line=1)
    return check(fields.Context("f.yaml", problems), record, "v", **limits), problems


@pytest.mark.parametrize("text", ["\u0661\u0660", "\uff11\uff10", "1_0", " 10", "\u00b2", "1e1"])
def test_numbers_take_ascii_digits_only(text: str) -> None:
    value, problems = _field(text, fields.number, minimum=0, maximum=100)
    assert value is None and problems
    value, problems = _field(text, fields.integer, minimum=0, maximum=100)
    assert value is None and problems


def test_ascii_numbers_still_pass() -> None:
    assert _field("10.5", fields.number, minimum=0, maximum=100) == (10.5, [])
    assert _field("10", fields.integer, minimum=0, maximum=100) == (10, [])


def test_url_identity_folds_scheme_host_and_escapes_but_keeps_path_and_query_case() -> None:
    assert fields.url_identity("HTTPS://Example.ORG./a%2fb?q=%3c#part") == fields.url_identity(
        "https://example.org:443/a%2Fb?q=%3C"
    )
    assert fields.url_identity("https://example.org/watch?v=aBc") != fields.url_identity(
        "https://example.org/watch?v=AbC"
    )
    assert fields.url_identity("https://bit.ly/aBc") != fields.url_identity("https://bit.ly/abc")
    assert fields.url_identity("http://example.org/") != fields.url_identity("https://example.org/")
