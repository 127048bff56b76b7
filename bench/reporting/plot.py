"""The growth plot (PNG) beside the report: each figure against the number of events, on log-log axes.

matplotlib is in the `bench` extra; the reporting half imports it only here, when a plot is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.common import median

PLOT_NAME = "growth.png"
# What is plotted: a label, the unit it is drawn in, and how to read it from one size's entry.
SERIES: tuple[tuple[str, str], ...] = (
    ("build wall time", "s"),
    ("build peak RSS", "GB"),
    ("page size", "MB"),
    ("drawn offline", "s"),
    ("time filter", "ms"),
    ("search", "ms"),
)


def series(sizes: dict[Any, Any]) -> dict[str, list[tuple[int, float]]]:
    """Each figure as (events, value) points, for the sizes where it was measured."""
    out: dict[str, list[tuple[int, float]]] = {f"{name} ({unit})": [] for name, unit in SERIES}
    for key in sorted(sizes, key=int):
        entry, n = sizes[key], int(key)
        built = entry["formats"].get(entry.get("primary")) if entry.get("primary") else None
        page = entry.get("page")
        values = [
            median(built["seconds"]) if built else None,
            (median(built["max_rss_mb"]) or 0) / 1000 if built else None,
            page["bytes"] / 1e6 if page else None,
            (median(page["drawn_ms"]) or 0) / 1000 if page and page["drew"] else None,
            median(page["filter_sync_ms"]) if page else None,
            median(page.get("search_ms") or []) if page else None,
        ]
        for (name, unit), value in zip(SERIES, values, strict=True):
            if value:
                out[f"{name} ({unit})"].append((n, value))
    return out


def write_plot(scale: dict[str, Any], folder: Path) -> dict[str, Any] | None:
    """Write growth.png into folder when two sizes or more were measured; what the report links to, or None."""
    points = series(scale.get("sizes", {}))
    if max((len(p) for p in points.values()), default=0) < 2:
        return None
    try:
        import matplotlib
    except ImportError:  # the test tools lack it; the benchmark's extra has it
        return {"file": None, "why": "matplotlib is not installed (pip install -e '.[bench]')"}
    matplotlib.use("Agg")  # no display: the benchmark runs headless
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
    everything = [n for p in points.values() for n, _ in p]
    first, last = min(everything), max(everything)
    for label, p in points.items():
        if len(p) >= 2:
            ax.plot([n for n, _ in p], [v for _, v in p], marker="o", label=label)
    # A line of slope 1 through the build's first point: what linear growth looks like on these axes.
    build = points[f"{SERIES[0][0]} ({SERIES[0][1]})"]
    if build:
        n0, v0 = build[0]
        ax.plot([first, last], [v0 * first / n0, v0 * last / n0], "k:", label="linear (slope 1)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("events")
    ax.set_title("casemap at scale: each figure against the number of events (medians)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / PLOT_NAME, metadata={"Software": None})  # no version stamp: same figures, same bytes
    plt.close(fig)
    return {"file": PLOT_NAME, "first": first, "last": last}
