"""The words the views say (story, fact-check, cards, popups, method, print, download) come from the interface
catalogues (issue #14): the builders' popup labels travel as keys whose English is the builders' own, and every value
of a closed set the page names in words (confidences, sentence kinds, date precisions) has its key in every language.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from geo.casefile.builders import BUILDERS, label_key
from geo.casefile.records import CONFIDENCES, TIME_PRECISIONS
from geo.casefile.schema import SENTENCE_KINDS
from tests.conftest import ROOT

MESSAGES = ROOT / "geo" / "page" / "messages"
JS = ROOT / "geo" / "page" / "static" / "js"
VIEW_PIECES = ("story.js", "factcheck.js", "card.js", "popups.js", "method.js", "print.js", "download.js")
# t("key" or tn("key": a key written whole in the code.
KEY_IN_CODE = re.compile(r"\btn?\(\s*\"([a-z_.]+)\"")
# A key the code makes from a prefix and a value of a closed set (popups.js valueWord, factcheck.js sentenceKindText,
# method.js articleAccounting, print.js printEvent), with the set the build validates those values against.
MADE_KEYS: dict[str, tuple[str, ...]] = {
    "popups.confidence.": CONFIDENCES,
    "popups.kind.": ("border", "junction"),  # geo/derive/builders.py: a border line and a junction point
    "factcheck.kind.": SENTENCE_KINDS,
    "method.accounting.": SENTENCE_KINDS,
    "print.precision.": TIME_PRECISIONS,
}


def catalogue(language: str) -> dict[str, Any]:
    loaded = yaml.safe_load((MESSAGES / f"{language}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_every_builder_label_is_a_catalogue_key_with_the_builders_english() -> None:
    english = catalogue("en")
    for builder in BUILDERS.values():
        for name, label in builder.labels.items():
            assert english.get(label_key(builder.name, name)) == label, (builder.name, name)


@pytest.mark.parametrize("language", ["en", "ru", "zh"])
def test_every_key_the_views_name_is_in_the_catalogue(language: str) -> None:
    messages = catalogue(language)
    named = {key for piece in VIEW_PIECES for key in KEY_IN_CODE.findall((JS / piece).read_text(encoding="utf-8"))}
    assert len(named) > 50, "the views name fewer keys than they show strings: did the pattern stop matching?"
    # A name ending in "." is a prefix the code completes with a value: each is one MADE_KEYS knows.
    prefixes = {key for key in named if key.endswith(".")}
    assert prefixes == MADE_KEYS.keys()
    assert sorted(named - prefixes - messages.keys()) == []
    made = {prefix + value for prefix, values in MADE_KEYS.items() for value in values}
    assert sorted(made - messages.keys()) == []
