"""script_json: JSON that no character of the data can break out of when it sits in a <script> element."""

from __future__ import annotations

import json

import pytest

from geo.page.linkeddata import event_link, linked_data_element, script_json
from tests.hostilekit import HOSTILE


@pytest.mark.parametrize("text", [*HOSTILE, "<!-- x", "</SCRIPT >", "Чита 赤塔 & <b>"])
def test_any_text_round_trips_and_leaves_no_character_that_could_end_the_element(text: str) -> None:
    body = script_json({"claimReviewed": text, "list": [text]})
    assert json.loads(body) == {"claimReviewed": text, "list": [text]}
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in body
    assert "Чита" in script_json("Чита")  # other scripts stay readable, not \u-escaped


def test_the_element_refuses_a_body_that_did_not_come_from_script_json() -> None:
    with pytest.raises(ValueError, match="script_json"):
        linked_data_element('{"a":"</script>"}')


def test_an_event_link_is_page_relative_unless_the_case_says_where_the_page_lives() -> None:
    from geo.casefile.case import Publisher

    assert event_link("vasilyev-arrest", None) == "#event=vasilyev-arrest"
    here = Publisher(name="x", url=None, canonical_url="https://example.org/map.html#old", licence=None)
    assert event_link("vasilyev-arrest", here) == "https://example.org/map.html#event=vasilyev-arrest"
