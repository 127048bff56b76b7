"""Hostile strings in every data field reach the page as text: no template is evaluated and no markup survives."""

from __future__ import annotations

from pathlib import Path

from tests.hostilekit import HOSTILE


def test_no_template_in_the_data_is_evaluated_at_build_time(hostile_map: Path) -> None:
    assert not Path("/tmp/casemap-ssti-marker").exists()  # noqa: S108 - the path the payload would write
    assert "49 jinja" not in hostile_map.read_text(encoding="utf-8")


def test_no_hostile_markup_survives_into_the_html(hostile_map: Path) -> None:
    page = hostile_map.read_text(encoding="utf-8")
    for text in HOSTILE:
        if "<" in text:
            assert text not in page
    assert page.count("</script>") == page.count("<script")
