"""The data block made in pieces (geo.page.packing) is byte for byte the packing of the whole JSON at once."""

from __future__ import annotations

import gzip
import io
import json
import random
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from zlib_ng import gzip_ng_threaded, zlib_ng

from geo.page import packing, text85


def one_shot(value: Any, *, streamed: bool) -> str:
    """The packing without streaming: one JSON string and one base-85 call. An inline block is one gzip member at
    INLINE_LEVEL; a streamed block's deflate stream is what zlib-ng's own threaded gzip writer makes of the whole JSON
    written at once (one thread, the same level and block size), under the standard gzip header the packing writes
    (the writer puts XFL and OS the other way round; RFC 1952 has XFL first)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if not streamed:
        return text85.encode(zlib_ng.compress(raw, packing.INLINE_LEVEL, wbits=packing.GZIP_WBITS)).decode("ascii")
    sink = io.BytesIO()
    level, block = packing.STREAMED_LEVEL, packing.BLOCK_BYTES
    writer = gzip_ng_threaded.open(sink, "wb", compresslevel=level, threads=1, block_size=block)  # type: ignore[no-untyped-call]
    with writer:
        writer.write(raw)
    member = sink.getvalue()
    assert member[:8] == STANDARD_HEADER[:8] and member[8:10] == b"\xff\x00"  # the writer's own header
    return text85.encode(STANDARD_HEADER + member[10:]).decode("ascii")


STANDARD_HEADER = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255])  # gzip, deflate, no flags, mtime 0, XFL 0, OS unknown


def packed_and_path(value: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, bool]:
    """packed_json(value), and whether it was streamed through the packing thread
    (test_threaded_packing_equals_the_one_shot_packing holds which sizes take which path)."""
    spy = ThreadSpy(monkeypatch)
    text = packing.packed_json(value)
    return text, bool(spy.started)


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
    packed, streamed = packed_and_path({**head, "events": packing.Lazy(plain, dict), "tail": None}, monkeypatch)
    assert packed == one_shot({**head, "events": plain, "tail": None}, streamed=streamed)
    assert json.loads(gzip.decompress(text85.decode(packed)))["events"] == plain


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


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def written(value: dict[str, Any]) -> str:
    return "".join(packing.json_pieces(value))


INT_COLUMNS = [
    [],
    [0],
    [-1, 0, 1, -1, -1],
    [2**63, -(2**63) - 1, 10**30, -(10**30), 2**31 - 1],
    list(range(-3000, 3000, 7)),
]


@pytest.mark.parametrize("values", INT_COLUMNS)
@pytest.mark.parametrize("batch", [1, 7, 2000])
def test_an_int_column_is_written_as_json_writes_it(
    values: list[int], batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", batch)
    assert written({"a": packing.spelled_ints(values), "b": 1}) == compact({"a": values, "b": 1})
    assert written({"m": packing.Members(n=packing.spelled_ints(values))}) == compact({"m": {"n": values}})


@pytest.mark.parametrize("misfit", [True, False, 1.0, "1", None])
def test_an_int_column_refuses_what_is_not_an_int(misfit: Any) -> None:
    # A bool above all: json writes true, str() True, and a dict finds 1's text for True.
    with pytest.raises(TypeError, match=f"expected ints only, found {type(misfit).__name__}"):
        packing.spelled_ints([1, misfit, 2])


def test_a_spelled_column_writes_each_item_s_text_in_order() -> None:
    texts = {"a": "0", "b": "1", "": "-1"}
    assert written({"codes": packing.Spelled(["b", "a", "b", "", "a"], texts)}) == '{"codes":[1,0,1,-1,0]}'
    assert written({"codes": packing.Spelled([], texts)}) == '{"codes":[]}'
    with pytest.raises(KeyError):
        written({"codes": packing.Spelled(["a", "c"], texts)})


@pytest.mark.parametrize("count", [0, 6, 7, 8, 5000])
def test_a_list_longer_than_a_batch_is_written_in_batches_and_the_same(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 7)
    values = [[n, 'Чита\n"\\', None, {"k": n / 3}][n % 4] for n in range(count)]
    value = {"top": values, "m": packing.Members(inner=values, short=[1, 2])}
    pieces = list(packing.json_pieces(value))
    assert "".join(pieces) == compact({"top": values, "m": {"inner": values, "short": [1, 2]}})
    # No piece holds more than a batch of the list (the whole column is never one string).
    longest = max(len(compact(item)) for item in values) if values else 0
    assert max(map(len, pieces)) <= 7 * (longest + 1) + len('"inner":')


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
    packed, streamed = packed_and_path({"head": 1, "events": columns, "tail": None}, monkeypatch)
    assert packed == one_shot({"head": 1, "events": expected, "tail": None}, streamed=streamed)


# The packing thread (packing._packed_in_thread): the same bytes however the JSON is cut, errors from either thread
# raised in the caller, no thread left behind, and a bounded queue.


class ThreadSpy:
    """Records the packing threads packed_json_bytes starts (so a test knows which path it took)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started: list[packing._PackingThread] = []
        spy = self

        class Recorded(packing._PackingThread):
            def start(self) -> None:
                spy.started.append(self)
                super().start()

        monkeypatch.setattr(packing, "_PackingThread", Recorded)


def guarded(call: Callable[[], Any], seconds: float = 60) -> Any:
    """call() in a thread, joined with a timeout: a hang fails the test instead of stopping the run. Returns the
    result, or the exception it raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"packed_json_bytes did not return within {seconds} s"
    return outcome[0]


def column_payload(plain: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A payload with Lazy and Members members, and the same as plain values."""
    columns = packing.Members(
        count=len(plain),
        id=packing.Lazy(plain, lambda event: event["id"]),
        when=packing.Members(start=packing.Lazy(plain, lambda event: event["when"]["start"]), at=[0]),
        sources=packing.Lazy(plain, lambda event: event["sources"]),
    )
    expected = {
        "count": len(plain),
        "id": [e["id"] for e in plain],
        "when": {"start": [e["when"]["start"] for e in plain], "at": [0]},
        "sources": [e["sources"] for e in plain],
    }
    return {"head": "Чита", "events": columns, "list": packing.Lazy(plain, dict)}, {
        "head": "Чита",
        "events": expected,
        "list": plain,
    }


@pytest.mark.parametrize(
    ("count", "chunk", "block", "streamed"),
    [
        (3, packing.CHUNK_CHARACTERS, packing.BLOCK_BYTES, False),  # smaller than a chunk: packed inline
        (7777, packing.CHUNK_CHARACTERS, packing.BLOCK_BYTES, True),  # 2.9 M characters: chunks and blocks as built
        (300, 1000, 4096, True),  # many small chunks through a queue of one, a block across several
        (300, 1, 1000, True),  # every piece its own chunk
        (300, 5000, 7, True),  # blocks far smaller than the chunks, and of an odd size
    ],
)
def test_threaded_packing_equals_the_one_shot_packing(
    count: int, chunk: int, block: int, streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", chunk)
    monkeypatch.setattr(packing, "BLOCK_BYTES", block)
    monkeypatch.setattr(packing, "QUEUED_CHUNKS", 1 if chunk < 1000 else packing.QUEUED_CHUNKS)
    value, plain = column_payload(events(count))
    packed, took_the_thread = packed_and_path(value, monkeypatch)
    assert took_the_thread is streamed
    assert packed == one_shot(plain, streamed=streamed)
    assert json.loads(gzip.decompress(text85.decode(packed))) == plain


@pytest.mark.parametrize("seed", range(6))
def test_the_blocks_do_not_depend_on_how_the_json_was_cut(seed: int) -> None:
    # The JSON's chunks come in whatever sizes its pieces make; the blocks deflate takes are cut by bytes.
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    text = json.dumps(events(400), ensure_ascii=False).encode("utf-8")
    cuts = sorted(rng.sample(range(1, len(text)), rng.randint(1, 60)))
    chunks = [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    blocks = list(packing._blocks(chunks, 1000))
    assert b"".join(blocks) == text
    assert {len(block) for block in blocks[:-1]} == {1000} and 0 < len(blocks[-1]) <= 1000


def test_an_error_in_a_lazy_make_is_raised_and_the_thread_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 100)
    monkeypatch.setattr(packing, "BLOCK_BYTES", 1000)
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 1)
    spy = ThreadSpy(monkeypatch)
    before = threading.active_count()

    def make(item: int) -> str:
        if item == 500:
            raise KeyError(f"no event {item}")
        return f"event {item}" * 20

    raised = guarded(lambda: packing.packed_json_bytes({"events": packing.Lazy(range(1000), make)}))
    assert isinstance(raised, KeyError)
    assert raised.args == ("no event 500",)
    assert len(spy.started) == 1  # the error came while the thread was compressing
    assert threading.active_count() == before
    assert not spy.started[0].is_alive()


class FailingDeflate:
    """zlib-ng's block compressor, failing at the ``failing``-th block (counted in ``calls``) or waiting for
    ``go_on`` before each block."""

    real = zlib_ng._ParallelCompress
    failing = -1
    calls: ClassVar[list[int]] = []
    go_on: threading.Event | None = None

    def __init__(self, **settings: Any) -> None:
        self.compressor = self.real(**settings)

    def compress_and_crc(self, data: bytes, zdict: bytes) -> tuple[bytes, int]:
        if self.go_on is not None:
            self.go_on.wait()
        self.calls.append(len(data))
        if len(self.calls) == self.failing:
            raise MemoryError(f"deflate failed at block {self.failing}")
        done: tuple[bytes, int] = self.compressor.compress_and_crc(data, zdict)
        return done


@pytest.mark.parametrize("failing", [1, 2, 3, 40])
def test_an_error_in_the_deflate_is_raised_without_hanging(failing: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # A queue of one: the caller waits on a full queue while the thread fails, and must not wait forever. (zlib-ng
    # 1.1's own threaded writer, with two threads, left the caller waiting for ever here.)
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 100)
    monkeypatch.setattr(packing, "BLOCK_BYTES", 1000)
    monkeypatch.setattr(packing, "QUEUED_CHUNKS", 1)
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 1)
    monkeypatch.setattr(FailingDeflate, "calls", [])
    monkeypatch.setattr(FailingDeflate, "failing", failing)
    monkeypatch.setattr(zlib_ng, "_ParallelCompress", FailingDeflate)
    spy = ThreadSpy(monkeypatch)
    before = threading.active_count()
    raised = guarded(lambda: packing.packed_json_bytes({"events": packing.Lazy(range(2000), lambda n: "x" * 200)}))
    assert isinstance(raised, MemoryError)
    assert str(raised) == f"deflate failed at block {failing}"
    assert len(spy.started) == 1
    assert threading.active_count() == before


@pytest.mark.parametrize("fail_at", ["first", "middle", "last"])
def test_an_error_in_base85_is_raised_without_hanging(fail_at: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 1000)
    monkeypatch.setattr(packing, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(packing, "QUEUED_CHUNKS", 1)
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 1)
    value = column_payload(events(2000))[0]
    real_encode = text85.encode
    calls: list[int] = []

    def counted(data: bytes) -> bytes:
        calls.append(len(data))
        return real_encode(data)

    monkeypatch.setattr(text85, "encode", counted)
    packing.packed_json_bytes(value)
    total = len(calls)
    assert total >= 5  # a first, a middle and a last call, none the same
    failing = {"first": 1, "middle": total // 2, "last": total}[fail_at]
    calls.clear()

    def failing_encode(data: bytes) -> bytes:
        calls.append(len(data))
        if len(calls) == failing:
            raise MemoryError(f"base 85 failed at call {failing}")
        return real_encode(data)

    monkeypatch.setattr(text85, "encode", failing_encode)
    spy = ThreadSpy(monkeypatch)
    before = threading.active_count()
    raised = guarded(lambda: packing.packed_json_bytes(value))
    assert isinstance(raised, MemoryError)
    assert str(raised) == f"base 85 failed at call {failing}"
    assert len(spy.started) == 1
    assert threading.active_count() == before


def test_the_queue_bounds_what_the_caller_makes_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    # The compressor waits (as a slow one would) at its first block; the caller must stop at a full queue, not
    # turn the whole payload into chunks: that is what keeps memory bounded at a million events.
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 100)
    monkeypatch.setattr(packing, "BLOCK_BYTES", 1000)
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 1)
    go_on = threading.Event()
    monkeypatch.setattr(FailingDeflate, "calls", [])
    monkeypatch.setattr(FailingDeflate, "go_on", go_on)
    monkeypatch.setattr(zlib_ng, "_ParallelCompress", FailingDeflate)
    spy = ThreadSpy(monkeypatch)
    made: list[int] = []

    def make(item: int) -> str:
        made.append(item)
        return "x" * 200  # one item per chunk, five per block

    value = {"events": packing.Lazy(range(1000), make)}
    outcome: list[bytes] = []
    caller = threading.Thread(target=lambda: outcome.append(packing.packed_json_bytes(value)), daemon=True)
    caller.start()
    deadline = time.monotonic() + 60
    while not (spy.started and spy.started[0].chunks.full()) and time.monotonic() < deadline:
        time.sleep(0.005)  # waiting for a condition (the queue full), not a fixed time
    assert spy.started and spy.started[0].chunks.full(), "the queue never filled"
    # The thread holds the first block's five chunks, the queue is full, one chunk is being made or put.
    assert len(made) <= 5 + packing.QUEUED_CHUNKS + 2
    go_on.set()
    caller.join(60)
    assert not caller.is_alive()
    assert len(made) == 1000
    assert outcome == [one_shot({"events": ["x" * 200] * 1000}, streamed=True).encode("ascii")]


@pytest.mark.parametrize("batch", [1, 7, 2000])
def test_a_text_column_is_written_as_json_writes_it_whoever_writes_it(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Texts and nulls are written by orjson (packing._batch_json), anything else by json: the same text either way,
    # for every character, escapes and all; floats stay json's (orjson writes 1e-7 for json's 1e-07); a lone
    # surrogate, which orjson refuses, is json's too, and fails as it did when the text is encoded.
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", batch)
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    texts: list[str | None] = [every[start : start + 997] for start in range(0, len(every), 997)]
    texts[3:3] = [None, "", '"\\\n\u2028\x7f', None]
    upper = [text.upper() if text is not None else None for text in texts]
    made = packing.Lazy(texts, lambda text: text.upper() if text is not None else None)
    assert written({"a": texts, "b": made}) == compact({"a": texts, "b": upper})
    floats = [1e-07, 1e16, 0.1, "mixed", None, 2**70]
    assert written({"a": floats * 3000}) == compact({"a": floats * 3000})
    assert written({"a": ["ok", "\ud800"] * 5000}) == compact({"a": ["ok", "\ud800"] * 5000})
