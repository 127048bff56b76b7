"""What both halves of the benchmark share: paths, the timeouts the report quotes, a log line and a median."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = ROOT / "data"
DCW = Path("/usr/share/gmt-dcw/dcw-gmt.nc")  # Debian's gmt-dcw
SIZES = (1_000, 10_000, 100_000, 1_000_000)  # the full run: growth over three orders of magnitude (issue #18)
QUICK_SIZES = (100_000,)  # --quick: one size, the one the first targets name
# events.yaml is the hand-written format: measured up to this size; beyond it the YAML loader refuses the file
# (2,000,000 bytes) and analysts bring bulk formats (events.jsonl), which every size is measured in.
YAML_MAX_EVENTS = 10_000
# How long a page may take to draw before it counts as "never drew" (the report quotes the baseline's).
BASELINE_TIMEOUT_MS = 15_000
DEFAULT_TIMEOUT_MS = 30_000
SCALE_TIMEOUT_MS = 180_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values that were measured (None when none were)."""
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def measured(values: Iterable[float | None]) -> float:
    """The median of figures every run records (build seconds, ratios, peak RSS): none at all means the results
    file is incomplete, which the report says rather than printing a figure it does not have."""
    found = median(values)
    if found is None:
        raise ValueError("a figure every run records is missing from the results: rerun the benchmark")
    return found
