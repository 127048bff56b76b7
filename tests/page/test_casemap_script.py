"""The page's own script is static/js's pieces, each once, joined in the one declared order (assets.CASEMAP_JS)."""

from __future__ import annotations

import re
from collections import Counter

import rjsmin

from geo.page import assets
from geo.page.render import render_page
from geo.page.site import load_site
from tests.conftest import DATA


def _piece_text(name: str) -> str:
    return (assets.CASEMAP_JS_DIR / name).read_text(encoding="utf-8")


def test_every_piece_in_static_js_is_in_the_order_once_and_nothing_else_is() -> None:
    on_disk = sorted(path.name for path in assets.CASEMAP_JS_DIR.iterdir() if path.suffix == ".js")
    twice = [name for name, count in Counter(assets.CASEMAP_JS).items() if count > 1]
    assert twice == [], f"listed more than once in assets.CASEMAP_JS: {twice}"
    assert sorted(assets.CASEMAP_JS) == on_disk, (
        f"static/js has {on_disk}, assets.CASEMAP_JS lists {sorted(assets.CASEMAP_JS)}: add or remove the name"
    )


def test_each_piece_opens_with_one_line_saying_what_it_holds() -> None:
    for name in assets.CASEMAP_JS:
        first = _piece_text(name).split("\n", 1)[0]
        assert re.fullmatch(r"// [a-z]+: .+; a piece of the one casemap script \(assets\.py\)", first), (name, first)


def _in_order(script: str) -> list[int]:
    """Where each piece's whole text starts in script (-1 if absent), in the declared order."""
    positions, start = [], 0
    for name in assets.CASEMAP_JS:
        found = script.find(_piece_text(name), start)
        positions.append(found)
        if found != -1:
            start = found + len(_piece_text(name))
    return positions


def test_the_script_is_the_pieces_in_order_inside_one_strict_function() -> None:
    script = assets.casemap_js()
    assert -1 not in _in_order(script)
    # The pieces, one blank line apart, inside one strict-mode function; nothing else.
    pieces = [_piece_text(name) for name in assets.CASEMAP_JS]
    assert all(piece.endswith(";\n") or piece.endswith("}\n") for piece in pieces)
    # First the one generated line: the start-up notice's words from the catalogues (messages.startup_script).
    assert script == '(function () {\n  "use strict";\n\n' + assets.startup_text() + "\n".join(pieces) + "})();\n"


def test_the_built_page_has_one_casemap_script_with_every_piece_in_order() -> None:
    page = render_page(load_site(DATA, article=None))
    scripts = [body for body in re.findall(r"<script>(.*?)</script>", page, re.DOTALL) if "var Casemap={}" in body]
    assert len(scripts) == 1
    # The page inlines the joined pieces minified (assets.casemap_js_inlined): comments and white space dropped.
    assert scripts[0] == "\n" + rjsmin.jsmin(assets.casemap_js()) + "\n"  # InlineAsset puts it on lines of its own
    assert len(scripts[0]) < 0.8 * len(assets.casemap_js())
    assert -1 not in _in_order(assets.casemap_js())
    # A piece that lost its place would be found only after the piece before it was passed over.
    reordered = "\n".join(_piece_text(name) for name in reversed(assets.CASEMAP_JS))
    assert _in_order(reordered).count(-1) == len(assets.CASEMAP_JS) - 1
