"""Bytes as text for the page's data block: base 85, in an alphabet safe inside HTML and inside a Jinja template.

Base 85 writes 4 bytes as 5 characters (Ascii85, as PostScript and PDF use it, and Z85 do the same), where base64
writes 3 as 4: the data block is 6 % shorter, 15 KB of the default page (issue #18's 600 KB budget). Neither
standard alphabet fits here: both hold '<' (which could spell ``</script``) and '{' (which a template engine reads
as ``{{`` or ``{%``: folium and branca compile macro output as templates again). This alphabet is the 94 printable
ASCII characters without the nine that matter anywhere on the page: ``" & ' < > \\ ` { }``. Digits are written
most significant first, as in Ascii85; a last group of k < 4 bytes is padded with zeros and written as its first
k + 1 characters, as Z85 and Python's b85encode do.

The page decodes it in features.js (base85Bytes) with the same alphabet; tests/browser/test_page_scale.py checks
that it gives back these bytes.
"""

from __future__ import annotations

import numpy as np

EXCLUDED = "\"&'<>\\`{}"
ALPHABET = "".join(chr(code) for code in range(33, 127) if chr(code) not in EXCLUDED)
# 94 printable characters less the nine: 85 (tests/unit/test_text85.py checks).
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def encode(data: bytes) -> bytes:
    """``data`` as base-85 ASCII bytes (vectorised: a million events' 130 MB block takes about a second)."""
    whole, rest = divmod(len(data), 4)
    padded = data + b"\0" * ((4 - rest) % 4)
    groups = np.frombuffer(padded, dtype=">u4").astype(np.uint32)
    digits = np.empty((len(groups), 5), dtype=np.uint8)
    for place in range(4, -1, -1):  # least significant digit first, into its column
        digits[:, place] = groups % 85
        groups //= 85
    text = np.take(_ALPHABET_BYTES, digits).tobytes()
    return text if not rest else text[: whole * 5 + rest + 1]


_VALUES = np.full(256, 255, dtype=np.uint8)
_VALUES[_ALPHABET_BYTES] = np.arange(85, dtype=np.uint8)


def decode(text: str) -> bytes:
    """The bytes ``encode`` wrote (for tests and tools; the page has its own decoder, features.js base85Bytes)."""
    whole, rest = divmod(len(text), 5)
    if rest == 1:
        raise ValueError(f"base-85 text of {len(text)} characters: a last group of 1 character cannot be")
    raw = text.encode("ascii", errors="replace") + ALPHABET[-1].encode("ascii") * ((5 - rest) % 5)
    digits = _VALUES[np.frombuffer(raw, dtype=np.uint8)]
    if (bad := np.flatnonzero(digits == 255)).size:
        raise ValueError(f"{text[bad[0]]!r} at {bad[0]} is not in the base-85 alphabet")
    value = np.zeros(len(digits) // 5, dtype=np.uint64)
    for place in range(5):
        value = value * 85 + digits[place::5]
    if (large := np.flatnonzero(value > 0xFFFFFFFF)).size:
        raise ValueError(f"the group at {large[0] * 5} is larger than 4 bytes")
    return value.astype(">u4").tobytes()[: whole * 4 + max(rest - 1, 0)]
