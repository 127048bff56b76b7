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
