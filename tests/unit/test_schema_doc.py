"""One schema: docs/data-schema.md is what the declaration generates, and each declared limit is the reader's."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo.casefile import casedata, schema, schema_translation
from geo.casefile.claims import parse_claims_table
from geo.casefile.corrections import parse_corrections
from geo.casefile.events import parse_events
from geo.casefile.schema import Section
from geo.casefile.schemadoc import COMMAND, document
from geo.casefile.story import parse_story
from geo.casefile.translations import parse_translation
from geo.common.errors import Problem
from tests.conftest import DATA, ROOT


def test_the_committed_schema_doc_is_the_generated_one() -> None:
    committed = (ROOT / "docs" / "data-schema.md").read_text(encoding="utf-8")
    assert committed == document(DATA), f"docs/data-schema.md is stale: run `{COMMAND}`"


def too_much(section: Section) -> dict[str, Any]:
    """A record breaking every declared limit: each text one character too long, each choice off its set."""
    record: dict[str, Any] = {}
    for field in section.fields:
        if field.max_chars:
            record[field.name] = "x" * (field.max_chars + 1)
        elif field.values:
            record[field.name] = "not-a-value"
    return record


def nested(top: Section, inner: dict[str, Section]) -> dict[str, Any]:
    record = too_much(top)
    for key, section in inner.items():
        record[key] = [too_much(section)] if key.endswith("s") else too_much(section)
    return record


# Each file's reader, its top-level key, and the sections a record of it holds (the key they sit under).
FILES: list[tuple[str, Callable[[Path, list[Problem]], object], str, Section, dict[str, Section]]] = [
    ("sources.yaml", casedata.parse_sources, "sources", schema.SOURCES, {}),
    (
        "events.yaml",
        lambda path, problems: parse_events(path, problems, categories=("a",)),
        "events",
        schema.EVENTS,
        {"when": schema.INTERVAL, "where": schema.WHERE, "claims": schema.CLAIMS, "sources": schema.EVENT_SOURCES},
    ),
    ("places.yaml", casedata.parse_places, "places", schema.PLACES, {"roles": schema.ROLES}),
    ("depots.yaml", casedata.parse_depots, "depots", schema.DEPOTS, {"anchor": schema.ANCHOR}),
    ("claims.yaml", parse_claims_table, "sentences", schema.SENTENCES, {}),
    ("corrections.yaml", parse_corrections, "corrections", schema.CORRECTIONS, {}),
    ("story.yaml", parse_story, "chapters", schema.CHAPTERS, {}),
    ("ru.yaml", parse_translation, "events", schema_translation.EVENTS, {"claims": schema_translation.CLAIMS}),
    ("zh.yaml", parse_translation, "depots", schema_translation.DEPOTS, {}),
    ("zh.yaml", parse_translation, "layers", schema_translation.LAYERS, {}),
]


@pytest.mark.parametrize(("name", "reader", "key", "top", "inner"), FILES, ids=[f"{f[0]}:{f[2]}" for f in FILES])
def test_every_declared_limit_and_closed_set_is_the_one_the_reader_enforces(
    tmp_path: Path, name: str, reader: Callable[..., object], key: str, top: Section, inner: dict[str, Section]
) -> None:
    path = tmp_path / name
    path.write_text(json.dumps({key: [nested(top, inner)]}, indent=1), encoding="utf-8")  # JSON is YAML
    problems: list[Problem] = []
    reader(path, problems)
    found = {(p.field.split(".")[-1], p.expected) for p in problems}
    assert not [p for p in problems if p.expected.startswith("one of the fields")], "a declared field was refused"
    for section in (top, *inner.values()):
        for field in section.fields:
            if field.max_chars:
                assert (field.name, f"at most {field.max_chars:,} characters") in found, (section.path, field.name)
            elif field.values:
                assert (field.name, f"one of {', '.join(field.values)}") in found, (section.path, field.name)
