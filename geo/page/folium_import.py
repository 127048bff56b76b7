"""folium, imported without its optional pandas.

folium.utilities tries ``import pandas`` so that a DataFrame may be passed as locations; when pandas is missing it
sets ``pd = None`` and every use checks for that (folium 0.20: utilities.py lines 40-43, 80, 158). The build never
passes a DataFrame, yet importing pandas (and the pyarrow it pulls in) was a third of the default build's wall time
(bench/RESULTS.md, 2026-11-27: folium's import 0.94 s, pandas 0.56 s of it). So the build imports folium as if pandas
were not installed. A process that has already imported pandas (geopandas in a test or the regeneration) keeps it:
nothing is unloaded, and folium then takes the real module as usual.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

# What folium imports only to accept more kinds of input than the build gives it.
OPTIONAL_FOR_FOLIUM = ("pandas",)


@contextmanager
def without_optional(names: tuple[str, ...] = OPTIONAL_FOR_FOLIUM) -> Iterator[None]:
    """Imports inside the block find ``names`` absent (None in sys.modules makes ``import`` raise ImportError);
    afterwards they can be imported again. Modules already imported are left as they are."""
    blocked = [name for name in names if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, "") is None:
                del sys.modules[name]
