"""Issue #10, findings 1 and 2: what a data file can make the build do, and what the page allows.

Each test here failed on the code before the fix (see docs/security.md for which test proves what). The checks of
single readers and fields for findings 1, 10, 13 and 14 that build no page are in tests/unit/test_security_values.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import folium
import pytest

from build_map import main
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

    def edit(collection: dict[str, Any]) -> None:
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


def test_folium_gets_neither_data_file_ids_nor_geometry(data_copy: Path, tmp_path: Path) -> None:
    """folium's layers are empty: ids, properties and geometry travel in the data block, features by position."""
    output = tmp_path / "map.html"
    assert build(data_copy, output) == 0
    page = output.read_text(encoding="utf-8")
    body_script = page.split('id="casemap-data"')[1]
    assert '"id":"chita"' not in body_script
    assert "113.4917" not in body_script  # the capital's longitude, in the chita layer
    payload = read_payload(page)
    assert payload["featureIds"]["chita"] == ["chita"]
    assert payload["properties"]["chita"][0]["id"] == "chita"
    # Delta-encoded integers at the layer's decimals (packedgeometry): only numbers, as before.
    assert payload["geometry"]["chita"] == {
        "decimals": 4,
        "shapes": [{"type": "Point", "coordinates": [1134917, 520431]}],
    }


# --- finding 2: the CSP allows only the scripts the build meant to write ------------------------------------


def test_a_script_smuggled_into_the_page_stops_the_build(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defence in depth: even if data reached a template again (a regression of finding 1), no page is written.

    On the code before the fix the data file alone did it: the build exited 0 and the CSP hashed the script.
    """
    add_geometry_member(data_copy, "depots", "x", SCRIPT_BREAKOUT)
    real_add_layers = render._add_layers

    def leaking_add_layers(folium_map: folium.Map, site: Any) -> dict[str, str]:
        # Simulate the regression: a value like the data file's geometry member above handed to folium again.
        names = real_add_layers(folium_map, site)
        geometry: dict[str, Any] = {"type": "Point", "coordinates": [1.0, 2.0], "x": SCRIPT_BREAKOUT}
        feature = {"type": "Feature", "properties": {}, "geometry": geometry}
        folium.GeoJson({"type": "FeatureCollection", "features": [feature]}).add_to(folium_map)
        return names

    monkeypatch.setattr(render, "_add_layers", leaking_add_layers)
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
        f'<div id="m"></div><script type="application/gzip+base85" id="casemap-data">{data}</script>'
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


@pytest.mark.parametrize("data", ["{}", "a&b", "x'y", 'x"y', "a\\b", "a`b", "a>b"])
def test_check_page_refuses_a_data_block_outside_its_alphabet(data: str) -> None:
    # Every character text85 leaves out is refused in the block ("<" ends the element before the audit sees it).
    with pytest.raises(audit.PageIntegrityError, match="data blocks"):
        audit.check_page(_page(data=data), _intended())


def test_the_csp_hashes_come_from_the_intended_code_only(tmp_path: Path) -> None:
    from tests.conftest import DATA

    output = tmp_path / "map.html"
    assert build(DATA, output) == 0
    page = output.read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None, "no CSP meta element"
    sources = re.search(r"script-src ([^;]*)", policy.group(1))
    assert sources is not None, f"no script-src in {policy.group(1)!r}"
    scripts = sources.group(1).split()
    found = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert sorted(scripts) == sorted({f"'{audit._hash(body)}'" for body in found})
    assert len(scripts) == 3  # Leaflet, the casemap script and the body script; folium's global-switch script is gone
