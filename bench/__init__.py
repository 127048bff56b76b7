"""casemap's benchmark, in two halves joined by ``bench/run.py``.

- ``bench.measuring``: runs the builds (ours, the baseline, regeneration, synthetic cases) in fresh processes and
  opens the pages in Chromium; returns plain figures (the dict saved as bench/results.json).
- ``bench.reporting``: turns those figures into bench/RESULTS.md and writes both files; it measures nothing.

``child.py``, ``measure.py`` and ``baseline.py`` are scripts the measuring half runs in fresh processes.
Every use of the ``geo`` package by the benchmark goes through ``bench/geolink.py`` (except the baseline,
which is the analyst's own ten lines).
"""
