"""Synthetic data folders for the scale benchmark: real places, generated events that follow docs/data-schema.md.

The template is a copy of data/ whose data/places.yaml also lists every GeoNames cities500 settlement of
Zabaykalsky Krai (country RU, admin1 "93"), with the layers and manifest regenerated from DCW-GMT so that
the copy is as consistent as the committed data. Each size then gets its own copy of the template with N
generated events, written as events.yaml (the hand-written format) or events.jsonl (the bulk format, one
JSON object per line, same fields), never both:

- where: mostly ``settlement`` at one of the template's point places (spread over the krai), some
  ``exact``, some ``region`` (the krai or a neighbouring region), some ``district`` (a depot region) and some
  ``undisclosed`` (no place);
- when: 1689-2021, weighted towards recent years (half of the events fall in 2000-2021), with every time
  precision (day, month, year, approximate with a label);
- sources: one or two citations of ids that exist in data/sources.yaml, each with a short ``confirms``;
- no ``claims`` (a claim's quote must stand verbatim in the seed article).

Texts are short (title ~30-70 characters, description ~60-200, confirms ~40-70) and made by a word-level
Markov chain trained on the project's own prose (events, depots, sources), so that they compress about as
well as real writing does: the page stores its data gzip-compressed, and text from a tiny vocabulary would
make it look smaller than a real case would be.
"""

from __future__ import annotations

import calendar
import itertools
import json
import random
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from bench import geolink

KRAI_ADMIN1 = ("RU", "93")
SYNTH_NOTE = "Synthetic benchmark place: every GeoNames cities500 settlement of Zabaykalsky Krai (RU admin1 93)."
CATEGORIES = ("case", "courts-security", "military", "history", "resources", "diplomacy")
MONTH_NAMES = tuple(calendar.month_name)[1:]
FORMATS = ("yaml", "jsonl")
# Files of the real case that name its events: the claims table (sentences -> events with claims), the
# corrections log (records -> event ids), the story (chapters -> event ids) and the translations folder (both).
# Generated events carry no claims and other ids, so a synthetic data folder has none of them (the build reads each
# only when present; claims.yaml is needed only for events with claims).
CASE_EVENT_FILES = ("claims.yaml", "corrections.yaml", "story.yaml")


@dataclass(frozen=True)
class Template:
    """A regenerated copy of data/ with many places, the ids events may point at, and a text model."""

    path: Path
    points: tuple[str, ...]  # ids of point places (settlement / exact)
    regions: tuple[str, ...]  # area ids for precision region
    districts: tuple[str, ...]  # area ids for precision district
    sources: tuple[str, ...]
    added_places: int
    chain: dict[str, tuple[str, ...]]  # word -> the words that follow it in the corpus (with repeats)
    starts: tuple[str, ...]  # words that start a sentence in the corpus


def _krai_settlements(cities_json: Path) -> list[dict[str, Any]]:
    cities = json.loads(cities_json.read_bytes())
    country, admin1 = KRAI_ADMIN1
    found = [c for c in cities.values() if c.get("countrycode") == country and c.get("admin1code") == admin1]
    return sorted(found, key=lambda c: int(c["geonameid"]))


def _corpus_texts(data_dir: Path) -> list[str]:
    """The project's own prose: event texts, depot descriptions, source titles and notes."""

    def load(name: str) -> Any:
        # Every scalar as a string (dates stay text); the data files have no tags or anchors.
        return yaml.load((data_dir / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506

    texts: list[str] = []
    if (data_dir / "events.yaml").is_file():
        for event in load("events.yaml").get("events", []):
            texts += [event.get("title", ""), event.get("description", "")]
            texts.append((event.get("where") or {}).get("note", ""))
            texts += [claim.get("reason", "") for claim in event.get("claims") or []]
            texts += [c.get("confirms", "") for c in event.get("sources") or []]
    for depot in load("depots.yaml").get("depots", []):
        texts += [depot.get(k, "") for k in ("name", "known", "unknown", "size_reason")]
    for source in load("sources.yaml").get("sources", []):
        texts += [source.get("title_en", ""), source.get("note", "")]
    return [t for t in texts if t]


def _train(texts: list[str]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    chain: dict[str, list[str]] = defaultdict(list)
    starts: list[str] = []
    for text in texts:
        words = text.split()
        if not words:
            continue
        starts.append(words[0])
        for a, b in itertools.pairwise(words):
            chain[a].append(b)
    return {k: tuple(v) for k, v in chain.items()}, tuple(starts)


def make_template(data_dir: Path, work: Path, dcw_path: Path) -> Template:
    """Copy data_dir to work/template, add the krai's settlements to places.yaml and regenerate the layers."""
    target = work / "template"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(data_dir, target)
    places_doc = yaml.safe_load((target / "places.yaml").read_text(encoding="utf-8"))
    depots_doc = yaml.safe_load((target / "depots.yaml").read_text(encoding="utf-8"))
    known = {int(p["geonameid"]) for p in places_doc["places"]}
    known |= {int(d["anchor"]["geonameid"]) for d in depots_doc["depots"]}
    lines = ["", "  # ---- added by bench/measuring/synth.py ----"]
    added = 0
    for city in _krai_settlements(geolink.cities500_path()):
        geonameid = int(city["geonameid"])
        if geonameid in known:
            continue
        lines += [f"  - id: gn-{geonameid}", f"    geonameid: {geonameid}", f"    note: {json.dumps(SYNTH_NOTE)}"]
        added += 1
    with (target / "places.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    reloaded = yaml.safe_load((target / "places.yaml").read_text(encoding="utf-8"))
    if len(reloaded["places"]) != len(places_doc["places"]) + added:
        raise RuntimeError("places.yaml did not take the appended entries: is `places:` its last key?")
    geolink.regenerate_layers(target, dcw_path)

    def ids(layer: str) -> list[str]:
        doc = json.loads((target / "layers" / f"{layer}.geojson").read_text(encoding="utf-8"))
        return [f["id"] for f in doc["features"]]

    sources_doc = yaml.safe_load((target / "sources.yaml").read_text(encoding="utf-8"))
    chain, starts = _train(_corpus_texts(data_dir))
    return Template(
        path=target,
        points=tuple(ids("chita") + ids("places")),
        regions=tuple(["zabaykalsky-krai"] * 6 + ids("context")),
        districts=tuple(ids("depots")),
        sources=tuple(s["id"] for s in sources_doc["sources"]),
        added_places=added,
        chain=chain,
        starts=starts,
    )


def _sentence(rng: random.Random, template: Template, low: int, high: int) -> str:
    target = rng.randint(low, high)
    words = [rng.choice(template.starts)]
    length = len(words[0])
    while length < target:
        followers = template.chain.get(words[-1])
        word = rng.choice(followers) if followers else rng.choice(template.starts)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words).rstrip(".,;:")
    return text[0].upper() + text[1:] + "."


def _when(rng: random.Random) -> dict[str, str]:
    # Half of the events in 2000-2021, the rest thinning out back to 1689 (the Treaty of Nerchinsk).
    year = 2021 - int(332 * rng.random() ** 4)
    kind = rng.choices(("day", "month", "year", "approximate"), weights=(55, 20, 10, 15))[0]
    if kind == "year":
        return {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31", "precision": "year"}
    month = rng.randint(1, 12)
    last_day = calendar.monthrange(year, month)[1]
    if kind == "month":
        return {
            "start": f"{year:04d}-{month:02d}-01",
            "end": f"{year:04d}-{month:02d}-{last_day:02d}",
            "precision": kind,
        }
    first = date(year, month, rng.randint(1, last_day))
    if kind == "day":
        return {"start": first.isoformat(), "end": first.isoformat(), "precision": kind}
    last = min(first + timedelta(days=rng.randint(1, 60)), date(2021, 12, 31))
    label = (
        f"between {first.day} {MONTH_NAMES[first.month - 1]} and {last.day} {MONTH_NAMES[last.month - 1]} {last.year}"
    )
    return {"start": first.isoformat(), "end": last.isoformat(), "precision": kind, "label": label}


def make_events(template: Template, count: int, *, seed: int = 1689) -> list[dict[str, Any]]:
    """`count` events as plain dicts in the schema's field order (deterministic for a seed and count)."""
    rng = random.Random(seed * 1_000_003 + count)  # noqa: S311 - reproducible test data, not secrets
    events = []
    for n in range(count):
        where_kind = rng.choices(
            ("settlement", "exact", "region", "district", "undisclosed"), weights=(78, 2, 7, 5, 8)
        )[0]
        event: dict[str, Any] = {
            "id": f"ev-{n:06d}",
            "title": _sentence(rng, template, 30, 70)[:-1][:300],
            "description": _sentence(rng, template, 60, 200),
            "category": rng.choice(CATEGORIES),
            "when": _when(rng),
        }
        if rng.random() < 0.1:
            day = (date.fromisoformat(event["when"]["end"]) + timedelta(days=rng.randint(0, 30))).isoformat()
            event["public"] = {"start": day, "end": day, "precision": "day"}
        where: dict[str, str] = {}
        if where_kind in ("settlement", "exact"):
            where["place"] = rng.choice(template.points)
        elif where_kind == "region":
            where["place"] = rng.choice(template.regions)
        elif where_kind == "district":
            where["place"] = rng.choice(template.districts)
        where["precision"] = where_kind
        if where_kind != "settlement" and rng.random() < 0.5:
            where["note"] = _sentence(rng, template, 30, 80)
        event["where"] = where
        picked = rng.sample(template.sources, rng.choices((1, 2), weights=(7, 3))[0])
        event["sources"] = [{"id": s, "confirms": _sentence(rng, template, 40, 70)} for s in picked]
        events.append(event)
    return events


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string escapes are a subset of YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def events_yaml(events: list[dict[str, Any]]) -> str:
    out = ["# Synthetic events for the scale benchmark (bench/synth.py). Schema: docs/data-schema.md.", "events:"]
    for event in events:
        out.append(f"  - id: {event['id']}")
        for key in ("title", "description"):
            out.append(f"    {key}: {_q(event[key])}")
        out.append(f"    category: {event['category']}")
        for key in ("when", "public"):
            if key in event:
                out.append(f"    {key}:")
                out += [f"      {k}: {_q(v)}" for k, v in event[key].items()]
        out.append("    where:")
        for k, v in event["where"].items():
            out.append(f"      {k}: {_q(v) if k == 'note' else v}")
        out.append("    sources:")
        for citation in event["sources"]:
            out += [f"      - id: {citation['id']}", f"        confirms: {_q(citation['confirms'])}"]
    return "\n".join(out) + "\n"


def events_jsonl(events: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in events)


def make_size(template: Template, count: int, work: Path, fmt: str) -> Path:
    """A data folder: the template with `count` synthetic events as events.yaml or events.jsonl.

    case.yaml, sources.yaml, places, depots and layers stay the template's; the real case's claims table and
    corrections log go (see CASE_EVENT_FILES).
    """
    target = work / f"data-{count}-{fmt}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template.path, target)
    events = make_events(template, count)
    for name in ("events.yaml", "events.jsonl", *CASE_EVENT_FILES):
        (target / name).unlink(missing_ok=True)
    # The translations name the real case's events and chapters as well (translations/LANG.yaml).
    shutil.rmtree(target / "translations", ignore_errors=True)
    if fmt == "yaml":
        (target / "events.yaml").write_text(events_yaml(events), encoding="utf-8")
    elif fmt == "jsonl":
        (target / "events.jsonl").write_text(events_jsonl(events), encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt}")
    return target
