"""The page is driven by the case records (case.yaml), and what they hold reaches the page only as data.

The title and description are inserted after rendering as escaped text and read back by check_page; a layer's
title, style and popup fields travel in the data block, so changing them changes no script the build hashes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from build_map import main
from geo.casefile.case import read_case
from geo.page import audit
from tests.pagekit import read_payload

HOSTILE_TITLE = '</title><script>window.x=1</script>{{ 7*7 }} & "quoted"'


def build(data: Path, tmp_path: Path) -> str:
    output = tmp_path / "out" / "map.html"
    assert main(["--case", str(data), "--output", str(output)]) == 0
    return output.read_text(encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def executable_scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)


def test_the_title_and_description_are_the_case_records_as_escaped_text(data_copy: Path, tmp_path: Path) -> None:
    case_yaml = data_copy / "case.yaml"
    title = read_case(data_copy, []).title  # type: ignore[union-attr]
    replace_in(case_yaml, f'title: "{title}"', "title: " + repr(HOSTILE_TITLE))
    page = build(data_copy, tmp_path)
    assert f"<title>{html.escape(HOSTILE_TITLE, quote=True)}</title>" in page
    assert "window.x=1" not in "".join(executable_scripts(page))
    assert "49" not in re.search(r"<title>(.*?)</title>", page).group(1)  # type: ignore[union-attr]
    assert read_payload(page)["title"] == HOSTILE_TITLE


def test_check_page_refuses_a_title_that_is_not_the_case_s() -> None:
    intended = audit.IntendedCode(scripts=(), styles=())
    page = (
        '<html><head><title>Ours</title><meta name="description" content="About ours"></head><body>'
        '<script type="application/gzip+base85" id="casemap-data">AAAA</script></body></html>'
    )
    audit.check_page(page, intended, text=audit.PageText("Ours", "About ours"))
    with pytest.raises(audit.PageIntegrityError, match="title"):
        audit.check_page(page, intended, text=audit.PageText("Theirs", "About ours"))
    with pytest.raises(audit.PageIntegrityError, match="description"):
        audit.check_page(
            page.replace("About ours", "About &lt;b&gt;"), intended, text=audit.PageText("Ours", "About ours")
        )


def test_layer_titles_styles_and_popups_come_from_the_records_and_stay_out_of_scripts(
    data_copy: Path, tmp_path: Path
) -> None:
    clean = build(data_copy, tmp_path / "clean")
    case_yaml = data_copy / "case.yaml"
    replace_in(case_yaml, "title: Ordnance-depot regions", "title: Depot areas (renamed)")
    replace_in(case_yaml, '#CC79A7", weight: "2", dashArray: "6 4"', '#123456", weight: "3", dashArray: "6 4"')
    replace_in(case_yaml, "popup: [area_km2, share_of_focus_pct]", "popup: [share_of_focus_pct]")
    changed = build(data_copy, tmp_path / "changed")
    layers = {layer["key"]: layer for layer in read_payload(changed)["layers"]}
    assert layers["depots"]["title"] == "Depot areas (renamed)"
    assert layers["depots"]["style"]["color"] == "#123456" and layers["depots"]["style"]["weight"] == 3.0
    assert [field["field"] for field in layers["bands"]["popup"]] == ["share_of_focus_pct"]
    # The label travels as a catalogue key (the page says it in the reader's language); its English is the builder's.
    label = layers["bands"]["popup"][0]["label"]
    assert read_payload(changed)["messages"]["en"][label] == "Share of the focus area, %"
    # Every script the build hashes is byte for byte the same: none of these values passed through a template.
    assert executable_scripts(changed) == executable_scripts(clean)
    assert "#123456" not in "".join(executable_scripts(changed))


def test_the_drawing_order_and_groups_are_the_records_order(data_copy: Path, tmp_path: Path) -> None:
    payload = read_payload(build(data_copy, tmp_path))
    case = read_case(data_copy, [])
    assert case is not None
    assert [layer["key"] for layer in payload["layers"]] == [layer.key for layer in case.layers]
    assert [group["label"] for group in payload["groups"]] == [group.label for group in case.groups]
    assert [c["id"] for c in payload["categories"]] == [c.id for c in case.categories]
    assert payload["view"]["maxZoom"] == case.view.max_zoom
