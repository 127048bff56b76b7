"""The page's data block: the payload as JSON, gzip-compressed and written in base 85 (text85), made in pieces.

At a million events the JSON is about 1.5 GB of text; building it as one string, then its UTF-8 bytes, then the
compressed bytes, then the encoded text held four copies at once. Here the JSON is written a batch of events at
a time straight into the compressor, and the compressed bytes are written in base 85 as they come (in multiples of
four bytes, so the pieces join into exactly the text one call would make). A block smaller than one chunk is
``text85.encode(zlib_ng.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")), 9, wbits=31))``; a
larger one is deflated in blocks in a second thread (below), in the layout of zlib-ng's threaded gzip writer.
tests/unit/test_packing.py holds each to the one-call bytes of its kind.

The compressor is zlib-ng (PyPI zlib-ng, its Python binding), not the standard library's zlib: the same deflate
format that every browser's DecompressionStream inflates, made with SIMD match finding. Measured on 27 November, the
10^5-event block (36.2 MB of JSON): zlib at level 6, 1.64 s for 9,525,202 bytes; zlib-ng at level 4, 0.57 s for
9,869,065 (3.6 % more). Level 6 in blocks (below) is 4 % smaller again and took 0.1-0.25 s longer at 10^5; the
page's budget at 10^6 (150 MB) has room, the build's time has not. A block small enough to be packed inline (the
default page's 618 KB of JSON) is compressed at level 9, where size is what counts (the page's 600 KB budget, a file
sent by mail) and the time is a few tens of milliseconds: 182,294 bytes in 0.04 s, where zlib's level 6 made
184,072. zlib-ng does not promise the same bytes as zlib, nor across processor families (zlib-ng issue #795): the
page is the same for the same input, version and machine kind, which is what the reproducibility tests hold (two
builds compared byte for byte).

A streamed block is written by a second thread (_PackingThread) while the caller's thread writes the next JSON: it
cuts the UTF-8 JSON into blocks of BLOCK_BYTES and deflates each on its own with the 32 KB before it as its
dictionary, ended on a byte boundary (a sync flush), all in one gzip member: pigz's layout, and that of zlib-ng's
own threaded gzip writer (gzip_ng_threaded), whose bytes for the whole JSON written at once the tests hold the block
to. The cut is by bytes, so the block does not depend on how the JSON was cut into pieces; it is 3 KB larger than
one deflate stream at 10^5 events. Why blocks and not one stream fed in pieces, as before: json's encoder holds the
GIL, and a streaming compressor takes the GIL back each time its output buffer fills (several times a megabyte),
each time waiting for the encoder to let go; measured on 27 November, the compressing thread took 0.83-0.95 s beside
the JSON where it took 0.46-0.59 s alone, and the caller waited for it. zlib-ng's block compressor deflates a whole
block into one buffer with the GIL let go once: 0.79-0.87 s for the 10^5 block against 1.00-1.17 s, four interleaved
pairs (through zlib-ng's writer, which this thread replaced: with two compressing threads it made 0.65-0.72 s, but
an error in one of them left the caller waiting for ever, and with one a late block could). A block smaller than one
chunk (the default page's) is packed inline in one stream: forced through a thread it took the same 60 ms.
"""

from __future__ import annotations

import json
import queue
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import Any

import orjson
from zlib_ng import zlib_ng

from geo.page import text85

# Deflate levels (the module's docstring gives the measurements): a streamed block for speed, an inline one for size.
STREAMED_LEVEL = 4
INLINE_LEVEL = 9
GZIP_WBITS = 31  # one gzip member with the compressor's own header (mtime 0): the same data gives the same bytes
EVENTS_PER_BATCH = 2000
# The JSON is made in chunks of this many characters (about 1-2 MB of UTF-8) and goes to the packing thread through a
# queue of QUEUED_CHUNKS; the thread deflates it in blocks of BLOCK_BYTES bytes: memory stays a few megabytes whatever
# the number of events.
CHUNK_CHARACTERS = 1 << 20
QUEUED_CHUNKS = 4
BLOCK_BYTES = 1 << 20
DEFLATE_WINDOW = 32 * 1024  # the dictionary each block is deflated with: the window deflate can look back over
# A gzip header (RFC 1952) with no name and mtime 0, so the same data gives the same bytes: XFL 0 (neither the fastest
# nor the best level), OS 255 (unknown).
_GZIP_HEADER = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255])
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class Lazy:
    """A list the payload holds as a recipe: ``make`` turns each item into JSON values when the block is written,
    so a million events never exist as dicts all at once."""

    def __init__(self, items: Iterable[Any], make: Callable[[Any], Any]) -> None:
        self.items = items
        self.make = make

    def __iter__(self) -> Iterator[Any]:
        return map(self.make, self.items)


class Members(dict[str, Any]):
    """An object written member by member (its Lazy members a batch at a time), never encoded as one string: the
    events' columns (geo.page.eventcolumns) are one such object, holding a column per field."""


class Spelled:
    """A list written as each item's JSON text, looked up in ``texts``: one dict lookup per item, no encoder.

    For a column of codes into a small set or of small counts, whose few texts are made once: at 100,000 events a
    column of 100,000 small ints took 4 ms this way, 13 ms through json's encoder and 21 ms by ",".join(map(str, ...)).
    ``texts`` must hold JSON (spelled_ints makes it for ints); an item missing from it is a KeyError."""

    def __init__(self, items: Sequence[Any], texts: Mapping[Any, str]) -> None:
        self.items = items
        self.texts = texts


def spelled_ints(values: Sequence[int]) -> Spelled:
    """A column of ints as a Spelled list: str(n) is json's text for an int. Anything else is refused, a bool
    above all (json writes true, str True, and True == 1 would find 1's text)."""
    if not set(map(type, values)) <= {int}:
        found = sorted(t.__name__ for t in set(map(type, values)) - {int})
        raise TypeError(f"spelled_ints expected ints only, found {', '.join(found)}: write such a column as a list")
    return Spelled(values, {value: str(value) for value in set(values)})


def _batches(values: Lazy | Sequence[Any]) -> Iterator[Sequence[Any]]:
    """The items a batch of EVENTS_PER_BATCH at a time: a sequence by slices, a Lazy list as made."""
    if isinstance(values, Lazy):
        items = iter(values)
        while batch := list(islice(items, EVENTS_PER_BATCH)):
            yield batch
    else:
        for start in range(0, len(values), EVENTS_PER_BATCH):
            yield values[start : start + EVENTS_PER_BATCH]


def _list_pieces(values: Lazy | Spelled | list[Any]) -> Iterator[str]:
    yield "["
    separator = ""
    if isinstance(values, Spelled):
        for batch in _batches(values.items):
            yield separator + ",".join(map(values.texts.__getitem__, batch))
            separator = ","
    else:
        for batch in _batches(values):
            yield separator + _batch_json(batch)[1:-1]
            separator = ","
    yield "]"


_TEXT_TYPES = {str, type(None)}


def _batch_json(batch: Sequence[Any]) -> str:
    """The batch as json's encoder writes it. A batch of texts (and nulls), the events' titles, descriptions and
    citations, is written by orjson: the same text for every character but the surrogates (tests), 0.10 s against
    0.45 s for the 10^5 block's columns (27 November). Numbers are left to json, whose floats orjson writes apart
    (1e-7 for 1e-07), and a text orjson refuses (a lone surrogate) to json, which fails on it as before."""
    if set(map(type, batch)) <= _TEXT_TYPES:
        try:
            return orjson.dumps(batch).decode("utf-8")
        except orjson.JSONEncodeError:
            pass
    return _ENCODER.encode(batch)


def json_pieces(value: dict[str, Any]) -> Iterator[str]:
    """The JSON of a top-level object in pieces; a Lazy or Spelled member, or a list longer than a batch, is written
    a batch at a time (the same bytes as one call, and no string of a whole column); a Members member member by
    member, the same way."""
    yield "{"
    for number, (key, member) in enumerate(value.items()):
        yield ("," if number else "") + _ENCODER.encode(key) + ":"
        if isinstance(member, Lazy | Spelled) or (isinstance(member, list) and len(member) > EVENTS_PER_BATCH):
            yield from _list_pieces(member)
        elif isinstance(member, Members):
            yield from json_pieces(member)
        else:
            yield _ENCODER.encode(member)
    yield "}"


def _text_pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The compressed bytes as base-85 text, in multiples of 4 bytes so the pieces join into one call's text."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk
        whole = len(data) - len(data) % 4
        if whole:
            yield text85.encode(data[:whole])
        carry = data[whole:]
    if carry:
        yield text85.encode(carry)


def _utf8_chunks(pieces: Iterable[str], characters: int) -> Iterator[bytes]:
    """The pieces joined into chunks of at least ``characters`` characters (the last may be shorter), as UTF-8."""
    held: list[str] = []
    count = 0
    for piece in pieces:
        held.append(piece)
        count += len(piece)
        if count >= characters:
            yield "".join(held).encode("utf-8")
            held, count = [], 0
    if held:
        yield "".join(held).encode("utf-8")


def _blocks(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The chunks' bytes, joined and cut again into blocks of exactly ``size`` bytes (the last may be shorter)."""
    held = b""
    for chunk in chunks:
        held += chunk
        start = 0
        while len(held) - start >= size:
            yield held[start : start + size]
            start += size
        held = held[start:]
    if held:
        yield held


def _deflated_in_blocks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks (UTF-8 JSON) as one gzip member whose deflate stream is made a block at a time: each block of
    BLOCK_BYTES deflated at STREAMED_LEVEL with the window before it as its dictionary and ended by a sync flush, then
    deflate's empty last block and the member's CRC-32 and size. pigz's layout, and zlib-ng's threaded gzip writer's
    (gzip_ng_threaded, which the tests hold these bytes to), made with that writer's own block compressor: it deflates
    a block into one buffer with the GIL let go once (the module's docstring says why that matters). Not the writer
    itself: with an error in its thread, zlib-ng 1.1's writer could leave the caller waiting for ever."""
    # zlib-ng's block compressor is underscored but declared in its stub (zlib_ng.pyi); the output buffer is sized as
    # gzip_ng_threaded sizes it (level 1 can grow a block by an eighth).
    compressor = zlib_ng._ParallelCompress(buffersize=BLOCK_BYTES + BLOCK_BYTES // 8 + 500, level=STREAMED_LEVEL)
    yield _GZIP_HEADER
    crc, size, window = 0, 0, b""
    for block in _blocks(chunks, BLOCK_BYTES):
        deflated, block_crc = compressor.compress_and_crc(block, window)
        crc = zlib_ng.crc32_combine(crc, block_crc, len(block))
        size += len(block)
        window = block[-DEFLATE_WINDOW:]
        yield deflated
    yield zlib_ng.compress(b"", wbits=-15)  # the last block: empty, final
    yield struct.pack("<II", crc, size & 0xFFFFFFFF)


class _PackingThread(threading.Thread):
    """Deflates and encodes the chunks put on its queue, in order, while the caller's thread writes the next ones.

    The caller puts every chunk, then the end mark (None), whatever happens; the thread takes chunks until the end
    mark even after it failed or was cancelled, so a put never waits forever on a full queue, and the caller's join
    always returns. An error is kept in ``error`` for the caller to raise."""

    def __init__(self) -> None:
        super().__init__(name="casemap-packing", daemon=True)
        self.chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_CHUNKS)
        self.cancelled = threading.Event()
        self.error: BaseException | None = None
        self.text = b""
        self._ended = False

    def _take(self) -> bytes | None:
        chunk = self.chunks.get()
        self._ended = chunk is None
        return chunk

    def _until_end(self) -> Iterator[bytes]:
        while (chunk := self._take()) is not None and not self.cancelled.is_set():
            yield chunk

    def run(self) -> None:
        try:
            self.text = b"".join(_text_pieces(_deflated_in_blocks(self._until_end())))
        except BaseException as error:  # not handled here: _packed_in_thread raises it in the caller
            self.error = error
        finally:
            while not self._ended:
                self._take()


def _packed_in_thread(chunks: Iterable[bytes]) -> bytes:
    """The chunks deflated in blocks (_deflated_in_blocks) and written in base 85, in a second thread."""
    worker = _PackingThread()
    worker.start()
    try:
        for chunk in chunks:
            if worker.error is not None:
                break  # no use making more: the error is raised below
            worker.chunks.put(chunk)
    except BaseException:
        worker.cancelled.set()
        raise
    finally:
        worker.chunks.put(None)
        worker.join()
    if worker.error is not None:
        raise worker.error
    return worker.text


def packed_json(value: dict[str, Any]) -> str:
    """JSON, gzip-compressed (mtime 0, so the same data gives the same bytes) and written in base 85 (text85).

    text85's alphabet is safe anywhere in HTML and in a Jinja template: no '<', '>', '&', quote or brace can occur.
    """
    return packed_json_bytes(value).decode("ascii")


def packed_json_bytes(value: dict[str, Any]) -> bytes:
    """packed_json as ASCII bytes (the page is written as bytes: no str of the whole block is needed)."""
    chunks = _utf8_chunks(json_pieces(value), CHUNK_CHARACTERS)
    first = next(chunks)  # there is one: the JSON of an object is at least "{}"
    second = next(chunks, None)
    if second is None:  # a small block (the default page's): a thread would gain nothing
        return text85.encode(zlib_ng.compress(first, INLINE_LEVEL, wbits=GZIP_WBITS))
    return _packed_in_thread(chain((first, second), chunks))
