"""The data block made in pieces (geo.page.packing) is byte for byte the one-shot packing it replaced."""

from __future__ import annotations

import gzip
import json
import random
from typing import Any

import pytest

from geo.page import packing, text85


def one_shot(value: Any) -> str:
    """The packing without streaming: one JSON string, one gzip call (mtime 0, level 6), one base-85 call."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return text85.encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def events(count: int) -> list[dict[str, Any]]:
    rng = random.Random(count)  # noqa: S311 - reproducible test data, not secrets
    words = ["Чита", "depot", "引渡", "court", "naïve", "\u200b", 'q"uote', "back\\slash", "line\nbreak", "x" * 40]
    return [
        {
            "id": f"ev-{n:06d}",
            "title": " ".join(rng.choices(words, k=rng.randint(1, 12))),
            "when": {"start": f"{rng.randint(1689, 2021)}-01-01", "precision": "year"},
            "n": rng.random(),
            "sources": [{"source": "s", "confirms": "x" * rng.randint(0, 300)}],
        }
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [0, 1, 2, 1999, 2000, 2001, 7777])
@pytest.mark.parametrize("batch", [1, 7, 2000])
def test_streamed_packing_equals_the_one_shot_packing(count: int, batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", batch)
    plain = events(count)
    head = {"title": "Case «title»", "categories": [{"id": "a", "label": "Ä"}], "view": {"minZoom": 3}}
    streamed = packing.packed_json({**head, "events": packing.Lazy(plain, dict), "tail": None})
    assert streamed == one_shot({**head, "events": plain, "tail": None})
    assert json.loads(gzip.decompress(text85.decode(streamed)))["events"] == plain


def test_a_lazy_list_is_made_when_written_and_can_be_read_again() -> None:
    made: list[int] = []

    def make(item: int) -> int:
        made.append(item)
        return item * 2

    lazy = packing.Lazy([1, 2, 3], make)
    assert made == []
    assert list(lazy) == [2, 4, 6]
    assert list(lazy) == [2, 4, 6]
    assert "".join(packing.json_pieces({"a": lazy})) == '{"a":[2,4,6]}'


def test_refused_numbers_stay_refused() -> None:
    with pytest.raises(ValueError, match="Out of range float values"):
        packing.packed_json({"events": packing.Lazy([float("nan")], float)})


@pytest.mark.parametrize("batch", [1, 3, 2000])
def test_members_with_lazy_columns_equal_the_one_shot_packing(batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", batch)
    plain = events(50)
    columns = packing.Members(
        count=len(plain),
        title=packing.Lazy(plain, lambda event: event["title"]),
        nested=packing.Members(at=[1, 2], n=packing.Lazy(plain, lambda event: event["n"]), empty=packing.Lazy([], str)),
    )
    expected = {
        "count": 50,
        "title": [e["title"] for e in plain],
        "nested": {"at": [1, 2], "n": [e["n"] for e in plain], "empty": []},
    }
    assert packing.packed_json({"head": 1, "events": columns, "tail": None}) == one_shot(
        {"head": 1, "events": expected, "tail": None}
    )
