"""The colour the page draws events in, and how far a reference layer's colour must stay from it.

Events (the dots at settlements, the outlined and hatched areas of region- and district-level events) are drawn in
one colour, Okabe-Ito orange. A reference layer (a border, a tinted neighbour, a depot circle) in that colour or one
close to it reads as an event (issue #12: China was tinted in it), so case.yaml may not use such a colour.

"Close" is measured as the CIE 1976 colour difference (Euclidean distance in CIELAB under D65): about 2.3 is a
just-noticeable difference, and colours more than 25 apart read as different colours even as a pale fill. The
Okabe-Ito palette's vermillion (#D55E00) and yellow (#F0E442) are 33 and 35 from the event orange; its orange
itself is 0.
"""

from __future__ import annotations

import math

EVENT_COLOUR = "#E69F00"
# The dark edge drawn round every event symbol (dots and area outlines), so that even a pale event mark has one.
EVENT_EDGE = "#4D3300"
MIN_DELTA_E = 25.0

# sRGB to CIE XYZ (D65), IEC 61966-2-1:1999; the reference white D65 as XYZ with Y = 1.
_SRGB_TO_XYZ = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
_WHITE_D65 = (0.95047, 1.0, 1.08883)


def _linear(channel: int) -> float:
    """One sRGB channel (0-255) to linear light (the sRGB transfer function undone)."""
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (L*, a*, b*) of a colour written #rrggbb (CIE 15:2004, the 1976 formulae)."""
    rgb = [_linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    rows = zip(_SRGB_TO_XYZ, _WHITE_D65, strict=True)
    xyz = [sum(m * c for m, c in zip(row, rgb, strict=True)) / white for row, white in rows]
    epsilon, kappa = 216 / 24389, 24389 / 27

    def f(t: float) -> float:
        return t ** (1 / 3) if t > epsilon else (kappa * t + 16) / 116

    fx, fy, fz = (f(t) for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: str, second: str) -> float:
    """The CIE 1976 colour difference between two #rrggbb colours."""
    return math.dist(lab(first), lab(second))


def too_close_to_events(colour: str) -> bool:
    """True when a reference layer's colour could be taken for the event colour."""
    return delta_e(colour, EVENT_COLOUR) < MIN_DELTA_E
