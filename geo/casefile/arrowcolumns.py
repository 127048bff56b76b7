"""Checks over whole arrow columns for geo.casefile.columnar: the rules of geo.casefile.fastpath (the same patterns
and limits), applied to a column at once, and the arrays' values as numpy, and distinct values as Python objects.

No Python value is turned into an arrow value here, and no arrow array into numpy by pyarrow (to_numpy): each
imports pandas, to recognise pandas objects, which took 0.35 s and 48 MB at 100,000 events. Numbers are compared in
numpy, on the arrays' own buffers; tests/unit/test_columnar.py checks that reading imports no pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import is_not
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from geo.casefile import fastpath
from geo.casefile.fastpath import clean_text
from geo.casefile.fields import SLUG

SLUG_WHOLE = f"^(?:{SLUG.pattern})$"  # fields.SLUG, matched whole as fullmatch does


def joined(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def bits(array: pa.Array, buffer: int) -> np.ndarray:
    """A bitmap of ``array`` (buffer 0: valid; 1: a boolean array's values) as one bool per item."""
    packed = np.frombuffer(array.buffers()[buffer], dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little")[array.offset : array.offset + len(array)].astype(bool)


def integers(array: pa.Array) -> np.ndarray:
    """An integer array's values (whatever a null holds) as numpy, without a copy."""
    width = np.dtype(f"<i{array.type.bit_width // 8}")
    values: np.ndarray = np.frombuffer(array.buffers()[1], dtype=width, count=array.offset + len(array))
    return values[array.offset :]


def flags(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A boolean column as a numpy array, null read as False."""
    array = joined(values)
    flags = bits(array, 1)
    if array.null_count:
        flags &= bits(array, 0)
    return flags


def lengths(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Each text's length in characters (code points, as Python's len counts); NaN for null, so that every
    comparison with it is False."""
    lengths = joined(pc.utf8_length(values))
    found = integers(lengths).astype(np.float64)
    if lengths.null_count:
        found[~bits(lengths, 0)] = np.nan
    return found


def clean_texts(values: pa.ChunkedArray | pa.Array, texts: list[Any], max_chars: int) -> np.ndarray:
    """fastpath.clean_text for every value of a column (``texts``: the same values in Python), by pyarrow with
    clean_text's own patterns (RE2 reads these character classes of code points as Python's re does;
    tests/unit/test_columnar.py), and by clean_text itself for the few texts only its blank check can decide (no
    visible ASCII character: Chinese alone, say)."""
    length = lengths(values)
    fits = (length > 0) & (length <= max_chars)
    plain_values = pc.and_(pc.string_is_ascii(values), pc.ascii_is_printable(values))
    plain = flags(plain_values)
    # Printable ASCII is blank only when it is all spaces (the one printable white-space character).
    clean: np.ndarray = fits & plain & ~flags(pc.ascii_is_space(values))
    if not (fits & ~plain).any():
        return clean
    # The patterns are searched in the other texts alone (in the 100,000-event case, 6 % of the titles and 14 % of
    # the descriptions); the filter drops the nulls, as these positions do.
    others = np.flatnonzero(~plain & flags(pc.is_valid(values)))
    rest = pc.filter(values, pc.invert(plain_values))
    forbidden, visible = np.zeros(len(plain), dtype=bool), np.zeros(len(plain), dtype=bool)
    forbidden[others] = flags(pc.match_substring_regex(rest, fastpath.FORBIDDEN_CONTROL.pattern))
    visible[others] = flags(pc.match_substring_regex(rest, fastpath.VISIBLE_ASCII.pattern))
    clean |= fits & ~plain & ~forbidden & visible
    for row in np.flatnonzero(fits & ~plain & ~forbidden & ~visible).tolist():
        clean[row] = clean_text(texts[row], max_chars)
    return clean


def clean_ids(values: pa.ChunkedArray) -> np.ndarray:
    """fastpath.clean_id for every value of a column, by the same pattern (fields.SLUG, plain ASCII: Python's and
    RE2's readings of it agree, tests/unit/test_columnar.py)."""
    clean: np.ndarray = (lengths(values) <= fastpath.ID_MAX) & flags(pc.match_substring_regex(values, SLUG_WHOLE))
    return clean


def coded(values: pa.ChunkedArray | pa.Array) -> tuple[list[Any], np.ndarray]:
    """A column as its distinct values (None among them for null) and one code per row into them. Days,
    precisions, places, categories and source ids repeat: each distinct value becomes one Python object, shared by
    its rows."""
    distinct, codes = coded_array(values)
    return distinct.to_pylist(), codes


def coded_array(values: pa.ChunkedArray | pa.Array) -> tuple[pa.Array, np.ndarray]:
    """coded, with the distinct values left as an arrow array."""
    encoded = pc.dictionary_encode(values, null_encoding="encode")
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    return encoded.dictionary, integers(encoded.indices).astype(np.int64)


def leading_bytes(texts: pa.Array, width: int, rows: np.ndarray) -> np.ndarray:
    """The first ``width`` bytes of the texts of a string array at ``rows`` (a mask: texts of at least ``width``
    bytes), one row of a (len(texts), width) uint8 array each; zeros in the other rows."""
    found = np.zeros((len(texts), width), dtype=np.uint8)
    if rows.any():
        _, offsets, data = texts.buffers()
        starts = np.frombuffer(offsets, dtype=np.int32, count=texts.offset + len(texts))[texts.offset :]
        found[rows] = np.frombuffer(data, dtype=np.uint8)[starts[rows][:, None] + np.arange(width)]
    return found


def each(distinct: list[Any], codes: np.ndarray) -> list[Any]:
    """The value of each row."""
    return list(map(distinct.__getitem__, codes.tolist()))


def by_combination(
    columns: list[tuple[list[Any], np.ndarray]], make: Callable[..., Any], rows: np.ndarray | None = None
) -> list[Any]:
    """``make(*values)`` for each row (or each of ``rows``, positions), called once for each distinct combination of
    the columns' values."""
    codes_of = [codes if rows is None else codes[rows] for _, codes in columns]
    key = np.zeros(len(codes_of[0]), dtype=np.int64)
    for (distinct, _), codes in zip(columns, codes_of, strict=True):
        key = key * len(distinct) + codes  # a mixed-radix number; fewer than 10^6 values each, so within 64 bits
    _, first_rows, inverse = np.unique(key, return_index=True, return_inverse=True)
    # One list of values per column, for the first row of each combination: make is then mapped over them in C.
    values = [each(distinct, codes[first_rows]) for (distinct, _), codes in zip(columns, codes_of, strict=True)]
    return each(list(map(make, *values)), inverse.reshape(-1))


def given(values: list[Any]) -> np.ndarray:
    """True for each value that is not None."""
    return np.fromiter(map(is_not, values, repeat(None)), dtype=bool, count=len(values))


def placed(size: int, parts: list[tuple[np.ndarray, list[Any]]]) -> list[Any]:
    """``size`` rows, each holding its value from the part whose rows (positions, disjoint) name it, else None;
    put together by one map in C, not an assignment per row in Python."""
    slot = np.zeros(size, dtype=np.int64)  # into pool, whose first item is None
    pool: list[Any] = [None]
    for rows, values in parts:
        slot[rows] = len(pool) + np.arange(len(rows))
        pool += values
    return each(pool, slot)


def numbers(values: np.ndarray, kind: pa.DataType) -> pa.Array:
    """A numpy array of integers as an arrow array of ``kind`` (integers' inverse; pa.array would import pandas)."""
    width = np.dtype(f"<i{kind.bit_width // 8}")
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(np.ascontiguousarray(values, dtype=width))])


def bools(values: np.ndarray) -> pa.Array:
    """A numpy array of bools as an arrow boolean array (flags' inverse, without pa.array)."""
    bitmap = np.packbits(values, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bitmap)])
