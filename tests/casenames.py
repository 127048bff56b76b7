"""The names that belong to this case (data/): its places, regions and people, read from the case's own files.

Used to prove the engine names no case: no string in geo/ and no text of another case's page may hold one.
Nothing here is a hand list of names: every name comes from data/case.yaml, data/depots.yaml or the
committed layers the case's settlements and areas were derived into.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from geo.casefile.case import read_case

# Builders whose features are places or regions (geo.casefile.builders): their feature names are the case's.
NAMED_BUILDERS = ("focus", "neighbours", "settlements")


def _proper_words(title: str) -> set[str]:
    """Capitalised words after the first in a title ('The Vasilyev treason case, Zabaykalsky Krai' -> people, places)."""
    words = re.findall(r"[^\W\d_]+", title)
    return {word for word in words[1:] if word[0].isupper()}


def case_names(data: Path) -> set[str]:
    """Every place, region and person name of the case in ``data``, in each script the case gives them."""
    case = read_case(data, [])
    assert case is not None, "data/case.yaml must read without problems"
    names: set[str] = set(_proper_words(case.title))
    for area in (case.focus, *case.neighbours):
        names |= {area.name, area.name_ru, area.name_zh, *area.aliases}
    for layer in case.layers:
        if layer.builder not in NAMED_BUILDERS:
            continue
        collection = json.loads((data / "layers" / f"{layer.key}.geojson").read_text(encoding="utf-8"))
        for feature in collection["features"]:
            props = feature["properties"]
            names |= {props.get("name") or "", props.get("name_ru") or "", props.get("name_zh") or ""}
    depots = yaml.safe_load((data / "depots.yaml").read_text(encoding="utf-8"))
    names |= {depot["anchor"]["name"] for depot in depots["depots"]}
    return {name for name in names if len(name) >= 4 or not name.isascii()}


def name_pattern(names: set[str]) -> re.Pattern[str]:
    """Find any of the names as a whole word (Latin, case-insensitive) or anywhere (other scripts)."""
    latin = sorted((n for n in names if n.isascii()), key=len, reverse=True)
    other = sorted((n for n in names if not n.isascii()), key=len, reverse=True)
    parts = [rf"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z])" for n in latin] + [re.escape(n) for n in other]
    return re.compile("|".join(parts), re.IGNORECASE)
