"""Bytes as text for the page's data block: base 85, in an alphabet safe inside HTML and inside a Jinja template.

Base 85 writes 4 bytes as 5 characters (Ascii85, as PostScript and PDF use it, and Z85 do the same), where base64
writes 3 as 4: the data block is 6 % shorter, 15 KB of the default page (issue #18's 600 KB budget). Neither
standard alphabet fits here: both hold '<' (which could spell ``</script``) and '{' (which a template engine reads
as ``{{`` or ``{%``: folium and branca compile macro output as templates again). This alphabet is the 94 printable
ASCII characters without the nine that matter anywhere on the page: ``" & ' < > \\ ` { }``. Digits are written
most significant first, as in Ascii85; a last group of k < 4 bytes is padded with zeros and written as its first
k + 1 characters, as Z85 and Python's b85encode do.

The page decodes it in features.js (base85Bytes) with the same alphabet, which tests/unit/test_text85.py checks.
"""

from __future__ import annotations

import numpy as np

EXCLUDED = "\"&'<>\\`{}"
ALPHABET = "".join(chr(code) for code in range(33, 127) if chr(code) not in EXCLUDED)
assert len(ALPHABET) == 85
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


_VALUES = {char: value for value, char in enumerate(ALPHABET)}


def decode(text: str) -> bytes:
    """The bytes ``encode`` wrote (for tests and tools; the page has its own decoder)."""
    whole, rest = divmod(len(text), 5)
    if rest == 1:
        raise ValueError(f"base-85 text of {len(text)} characters: a last group of 1 character cannot be")
    padded = text + ALPHABET[-1] * ((5 - rest) % 5)
    out = bytearray()
    for start in range(0, len(padded), 5):
        value = 0
        for char in padded[start : start + 5]:
            if char not in _VALUES:
                raise ValueError(f"{char!r} at {start} is not in the base-85 alphabet")
            value = value * 85 + _VALUES[char]
        if value > 0xFFFFFFFF:
            raise ValueError(f"the group at {start} is larger than 4 bytes")
        out += value.to_bytes(4, "big")
    return bytes(out[: whole * 4 + max(rest - 1, 0)])
