"""The data block made in pieces (geo.page.packing) is byte for byte the one-shot packing it replaced."""

from __future__ import annotations

import gzip
import json
import random
import threading
import time
import types
from collections.abc import Callable
from typing import Any

import pytest
from zlib_ng import zlib_ng

from geo.page import packing, text85


def one_shot(value: Any, level: int = packing.STREAMED_LEVEL) -> str:
    """The packing without streaming: one JSON string, one gzip member (zlib-ng at ``level``), one base-85 call."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return text85.encode(zlib_ng.compress(raw, level, wbits=packing.GZIP_WBITS)).decode("ascii")


def packed_at_its_level(value: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """packed_json(value), and the level its path promises: a block streamed through the thread is compressed at
    STREAMED_LEVEL, one packed inline at INLINE_LEVEL (test_threaded_packing_equals_the_one_shot_packing holds which
    sizes take which path)."""
    spy = ThreadSpy(monkeypatch)
    text = packing.packed_json(value)
    return text, packing.STREAMED_LEVEL if spy.started else packing.INLINE_LEVEL


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
    streamed, level = packed_at_its_level({**head, "events": packing.Lazy(plain, dict), "tail": None}, monkeypatch)
    assert streamed == one_shot({**head, "events": plain, "tail": None}, level)
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
    packed, level = packed_at_its_level({"head": 1, "events": columns, "tail": None}, monkeypatch)
    assert packed == one_shot({"head": 1, "events": expected, "tail": None}, level)


# The compressing thread (packing._packed_in_thread): the same bytes, errors from either thread raised in the caller,
# no thread left behind, and a bounded queue.


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
    ("count", "chunk", "threaded"),
    [
        (3, packing.CHUNK_CHARACTERS, False),  # smaller than a chunk: packed inline
        (7777, packing.CHUNK_CHARACTERS, True),  # 2.9 M characters: three chunks of the real size
        (300, 1000, True),  # many small chunks through a queue of one
        (300, 1, True),  # every piece its own chunk
    ],
)
def test_threaded_packing_equals_the_one_shot_packing(
    count: int, chunk: int, threaded: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", chunk)
    monkeypatch.setattr(packing, "QUEUED_CHUNKS", 1 if chunk < 1000 else packing.QUEUED_CHUNKS)
    spy = ThreadSpy(monkeypatch)
    value, plain = column_payload(events(count))
    assert packing.packed_json(value) == one_shot(plain, packing.STREAMED_LEVEL if threaded else packing.INLINE_LEVEL)
    assert len(spy.started) == (1 if threaded else 0)


def test_an_error_in_a_lazy_make_is_raised_and_the_thread_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 100)
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


class CompressorError(Exception):
    """What FailingCompressor raises (zlib_ng.error's stub types it as an instance, not a class)."""


class FailingCompressor:
    """The packing's compressor (zlib-ng's), failing at its ``fail_at``-th compress call (at flush if fail_at is 0)."""

    def __init__(self, fail_at: int) -> None:
        self.real = zlib_ng.compressobj(packing.STREAMED_LEVEL, zlib_ng.DEFLATED, packing.GZIP_WBITS)
        self.fail_at = fail_at
        self.calls = 0

    def compress(self, data: bytes) -> bytes:
        self.calls += 1
        if self.calls == self.fail_at:
            raise CompressorError(f"compress failed at call {self.calls}")
        return self.real.compress(data)

    def flush(self) -> bytes:
        if self.fail_at == 0:
            raise CompressorError("flush failed")
        return self.real.flush()


@pytest.mark.parametrize("fail_at", ["first", "second", "middle", "flush"])
def test_an_error_in_the_compressor_is_raised_without_hanging(fail_at: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A queue of one: the caller waits on a full queue while the thread fails, and must not wait forever. "flush"
    # fails after the thread has taken the end mark.
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 1000)
    monkeypatch.setattr(packing, "QUEUED_CHUNKS", 1)
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 1)
    value = column_payload(events(300))[0]
    compressors: list[FailingCompressor] = []

    def compressobj(*_: int) -> FailingCompressor:
        compressors.append(FailingCompressor(failing))
        return compressors[-1]

    failing = -1
    monkeypatch.setattr(packing, "zlib_ng", types.SimpleNamespace(compressobj=compressobj, DEFLATED=zlib_ng.DEFLATED))
    assert packing.packed_json(value) == one_shot(column_payload(events(300))[1])  # the wrapper changes nothing
    total = compressors[0].calls
    assert total > 10  # many chunks: the middle one is well inside the stream
    failing = {"first": 1, "second": 2, "middle": total // 2, "flush": 0}[fail_at]
    spy = ThreadSpy(monkeypatch)
    before = threading.active_count()
    raised = guarded(lambda: packing.packed_json_bytes(value))
    assert isinstance(raised, CompressorError)
    assert str(raised) == ("flush failed" if fail_at == "flush" else f"compress failed at call {failing}")
    assert len(spy.started) == 1
    assert threading.active_count() == before


@pytest.mark.parametrize("fail_at", ["first", "middle", "last"])
def test_an_error_in_base85_is_raised_without_hanging(fail_at: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 1000)
    monkeypatch.setattr(packing, "QUEUED_CHUNKS", 1)
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 1)
    value = column_payload(events(2000))[0]  # deflate writes output every 30-60 KB of it: several pieces
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
    # The compressor waits (as a slow one would) at its first chunk; the caller must stop at a full queue, not
    # turn the whole payload into chunks: that is what keeps memory bounded at a million events.
    monkeypatch.setattr(packing, "CHUNK_CHARACTERS", 100)
    monkeypatch.setattr(packing, "EVENTS_PER_BATCH", 1)
    spy = ThreadSpy(monkeypatch)
    go_on = threading.Event()
    made: list[int] = []

    class WaitingCompressor(FailingCompressor):
        def compress(self, data: bytes) -> bytes:
            go_on.wait()
            return super().compress(data)

    compressor_module = types.SimpleNamespace(compressobj=lambda *_: WaitingCompressor(-1), DEFLATED=zlib_ng.DEFLATED)
    monkeypatch.setattr(packing, "zlib_ng", compressor_module)

    def make(item: int) -> str:
        made.append(item)
        return "x" * 200  # one item per chunk

    value = {"events": packing.Lazy(range(1000), make)}
    outcome: list[bytes] = []
    caller = threading.Thread(target=lambda: outcome.append(packing.packed_json_bytes(value)), daemon=True)
    caller.start()
    deadline = time.monotonic() + 60
    while not (spy.started and spy.started[0].chunks.full()) and time.monotonic() < deadline:
        time.sleep(0.005)  # waiting for a condition (the queue full), not a fixed time
    assert spy.started and spy.started[0].chunks.full(), "the queue never filled"
    # One chunk in the compressor, a full queue, one chunk being made or waiting to be put.
    assert len(made) <= packing.QUEUED_CHUNKS + 2
    go_on.set()
    caller.join(60)
    assert not caller.is_alive()
    assert len(made) == 1000
    assert outcome == [one_shot({"events": ["x" * 200] * 1000}).encode("ascii")]
