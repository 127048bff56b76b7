"""Edit a copy of the data folder the way a person (or an attacker) would, keeping the manifest in step."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def reseal(data: Path) -> None:
    """Recompute each layer's checksum and feature count in the manifest, as if the edit had been regenerated."""
    manifest_path = data / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["layers"].values():
        layer = data / entry["file"]
        if layer.is_file():
            raw = layer.read_bytes()
            entry["sha256"] = hashlib.sha256(raw).hexdigest()
            with contextlib.suppress(ValueError, KeyError, TypeError):  # a deliberately broken layer keeps its count
                entry["feature_count"] = len(json.loads(raw)["features"])
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def replace_in(path: Path, old: str, new: str, *, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{old!r} is not in {path}")
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line on which ``needle`` first appears."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in {path}")


def edit_layer(data: Path, name: str, edit: Callable[[dict[str, Any]], None], *, seal: bool = True) -> None:
    """Apply ``edit`` to one feature collection and write it back one feature per line."""
    path = data / "layers" / f"{name}.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    edit(collection)
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    if seal:
        reseal(data)


def events_to_jsonl(data: Path, *extra_lines: str) -> Path:
    """Rewrite events.yaml as events.jsonl (every scalar kept as the string YAML's base loader reads), then
    append ``extra_lines`` as they are; returns the new file."""
    import yaml

    text = (data / "events.yaml").read_text(encoding="utf-8")
    events = yaml.load(text, Loader=yaml.BaseLoader)["events"]  # noqa: S506 - BaseLoader makes only strings, lists, dicts
    lines = [json.dumps(event, ensure_ascii=False) for event in events] + list(extra_lines)
    path = data / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "events.yaml").unlink()
    return path


def jsonl_line_count(data: Path) -> int:
    """The number of lines in events.jsonl: the line of the last one appended."""
    return len((data / "events.jsonl").read_text(encoding="utf-8").splitlines())


# A few records of a Russian translation for the tests (data/translations/ru.yaml is the ru-text helper's, not this):
# one event with its claim and where note, one event's title only, one chapter and one category (no summary: an
# untranslated summary shows the English, marked).
# The English claim quote is read from events.yaml at write time: the quote names the claim.
FIXTURE_TRANSLATED_EVENT = "vasilyev-arrest"
FIXTURE_TITLE_RU = "Васильев задержан в Забайкальском крае"
FIXTURE_TITLE_ONLY_EVENT = "vasilyev-verdict"
FIXTURE_UNTRANSLATED_EVENT = "court-announcement"
FIXTURE_CHAPTER = "arrest"
# One derived feature's name (features[]: by layer and id), and a feature of the same layer left untranslated.
FIXTURE_FEATURE_LAYER = "borders"
FIXTURE_FEATURE = "border-mongolia"
FIXTURE_FEATURE_NAME_RU = "Граница с Монголией"
FIXTURE_UNTRANSLATED_FEATURE = "border-china"


def fixture_translation(data: Path) -> dict[str, Any]:
    """The fixture translation's content, its claim quote taken from ``data``'s events.yaml."""
    import yaml

    events = yaml.safe_load((data / "events.yaml").read_text("utf-8"))["events"]
    quote = next(e for e in events if e["id"] == FIXTURE_TRANSLATED_EVENT)["claims"][0]["quote"]
    return {
        "language": "ru",
        "translator": "casemap project",
        "chapters": [
            {
                "id": FIXTURE_CHAPTER,
                "title": "Задержание в августе 2019 года",
                "text": ["Первый абзац главы.", "Второй абзац главы.", "Третий абзац главы."],
            }
        ],
        "events": [
            {
                "id": FIXTURE_TRANSLATED_EVENT,
                "title": FIXTURE_TITLE_RU,
                "description": "Источники сообщают только, что его задержали в Забайкальском крае.",
                "where_note": "Город не назван.",
                "claims": [{"quote": quote, "reason": "Причина вердикта по-русски."}],
            },
            {"id": FIXTURE_TITLE_ONLY_EVENT, "title": "Приговор по делу Васильева"},
        ],
        "categories": [{"id": "case", "label": "Дело"}],
        "features": [{"layer": FIXTURE_FEATURE_LAYER, "id": FIXTURE_FEATURE, "name": FIXTURE_FEATURE_NAME_RU}],
    }


def write_translation(data: Path, content: dict[str, Any] | None = None, *, name: str = "ru.yaml") -> Path:
    """Write a translations file into a data copy (the fixture unless ``content`` is given); returns its path."""
    import yaml

    folder = data / "translations"
    folder.mkdir(exist_ok=True)
    path = folder / name
    body = content if content is not None else fixture_translation(data)
    path.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return path
