"""The page's data block: the payload as JSON, gzip-compressed and written in base 85 (text85), made in pieces.

At a million events the JSON is about 1.5 GB of text; building it as one string, then its UTF-8 bytes, then the
compressed bytes, then the encoded text held four copies at once. Here the JSON is written a batch of events at
a time straight into the compressor, and the compressed bytes are written in base 85 as they come (in multiples of
four bytes, so the pieces join into exactly the text one call would make). The bytes are those of
``text85.encode(gzip.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")), 6, mtime=0))``: deflate's
output does not depend on how its input is split (the compressor waits for more input rather than flush), and
tests/unit/test_packing.py checks it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from geo.page import text85

# Level 6: at 100,000 events level 9 takes 2.1 s for a page only 1.6 % smaller (bench/RESULTS.md).
LEVEL = 6
GZIP_WBITS = 31  # a gzip member with zlib's own header (mtime 0), as gzip.compress(..., mtime=0) writes
EVENTS_PER_BATCH = 2000
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
    events' columns (geo.page.eventcolumns) are one such object, holding a Lazy column per field."""


def _list_pieces(values: Lazy) -> Iterator[str]:
    yield "["
    items = iter(values)
    first = True
    while batch := list(islice(items, EVENTS_PER_BATCH)):
        yield ("" if first else ",") + _ENCODER.encode(batch)[1:-1]
        first = False
    yield "]"


def json_pieces(value: dict[str, Any]) -> Iterator[str]:
    """The JSON of a top-level object in pieces; a Lazy member is written a batch at a time, a Members member
    member by member, the same way."""
    yield "{"
    for number, (key, member) in enumerate(value.items()):
        yield ("," if number else "") + _ENCODER.encode(key) + ":"
        if isinstance(member, Lazy):
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


def _compressed(pieces: Iterable[str]) -> Iterator[bytes]:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, GZIP_WBITS)
    for piece in pieces:
        if out := compressor.compress(piece.encode("utf-8")):
            yield out
    yield compressor.flush()


def packed_json(value: dict[str, Any]) -> str:
    """JSON, gzip-compressed (mtime 0, so the same data gives the same bytes) and written in base 85 (text85).

    text85's alphabet is safe anywhere in HTML and in a Jinja template: no '<', '>', '&', quote or brace can occur.
    """
    return packed_json_bytes(value).decode("ascii")


def packed_json_bytes(value: dict[str, Any]) -> bytes:
    """packed_json as ASCII bytes (the page is written as bytes: no str of the whole block is needed)."""
    return b"".join(_text_pieces(_compressed(json_pieces(value))))
