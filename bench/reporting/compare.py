"""The report's "Ours against the baseline" section, and the regeneration paragraph."""

from __future__ import annotations

from typing import Any

from bench.common import BASELINE_TIMEOUT_MS, measured, median
from bench.reporting.text import fmt_bytes, fmt_ms, fmt_s, spread

INTRO = (
    "Baseline: `bench/baseline.py`, the same boundaries (the raw DCW-GMT units of data/case.yaml) and places "
    "(data/layers/places.geojson + chita.geojson) with `GeoDataFrame.explore()` and folium's `Map.save()`. "
    "Ours: the default build of data/ (`geo.page.build.build(..., article_path=None)`). Each build runs in a fresh "
)


def _build_rows(cmp_: dict[str, Any]) -> list[str]:
    base_s = [r["seconds"] for r in cmp_["baseline"]["runs"]]
    ours_s = [r["seconds"] for r in cmp_["ours"]["runs"]]
    base_rss = [r["max_rss_mb"] for r in cmp_["baseline"]["runs"]]
    ours_rss = [r["max_rss_mb"] for r in cmp_["ours"]["runs"]]
    ratio = measured(cmp_["ratios"])
    return [
        f"| build wall time, median | {fmt_s(measured(base_s))} | {fmt_s(measured(ours_s))} | "
        f"{measured(ours_s) / measured(base_s):.2f} |",
        f"| build wall time, range | {spread(base_s)} | {spread(ours_s)} | per-pair ratio median **{ratio:.2f}** "
        f"(range {min(cmp_['ratios']):.2f}–{max(cmp_['ratios']):.2f}) |",
        f"| build peak RSS, median | {measured(base_rss):.0f} MB | {measured(ours_rss):.0f} MB | "
        f"{measured(ours_rss) / measured(base_rss):.2f} |",
    ]


def _page_rows(bp: dict[str, Any], op: dict[str, Any]) -> list[str]:
    never = f"never drew offline (waited {BASELINE_TIMEOUT_MS / 1000:.0f} s)"
    drawn_range = f"range {fmt_ms(min(op['drawn_ms']))}–{fmt_ms(max(op['drawn_ms']))}" if op["drawn_ms"] else "no range"
    return [
        f"| file size | {fmt_bytes(bp['bytes'])} ({bp['bytes']:,} B) | {fmt_bytes(op['bytes'])} ({op['bytes']:,} B) | "
        f"{op['bytes'] / bp['bytes']:.2f} |",
        f"| network requests when opened from disk | {bp['requests']} | {op['requests']} | |",
        f"| draws with the network cut off | {'yes' if bp['drew'] else 'no'} | {'yes' if op['drew'] else 'no'} | |",
        f"| navigation → map drawn, offline | "
        f"{fmt_ms(median(bp['drawn_ms'])) if bp['drew'] else never} | "
        f"{fmt_ms(median(op['drawn_ms']))} (median of {len(op['drawn_ms'])}; "
        f"{drawn_range}) | |",
        "| JS heap used after load (after GC) | "
        f"{fmt_bytes(measured(bp['heap_mb']) * 1e6 if bp['heap_mb'] else None)} | "
        f"{fmt_bytes(measured(op['heap_mb']) * 1e6 if op['heap_mb'] else None)} | |",
        f"| time filter: one range change (applyFilter), median of {len(op['filter_sync_ms'])} | – | "
        f"{fmt_ms(median(op['filter_sync_ms']))} ({fmt_ms(median(op['filter_frame_ms']))} to the next frame) | |",
    ]


def compare_lines(cmp_: dict[str, Any]) -> list[str]:
    bp, op = cmp_["baseline"]["page"], cmp_["ours"]["page"]
    return [
        "## Ours against the baseline",
        "",
        INTRO + f"process (imports included), {len(cmp_['baseline']['runs'])} pairs back to back after one untimed "
        "warm-up each.",
        "",
        "| | baseline (explore + save) | ours (default build) | ours / baseline |",
        "|---|---:|---:|---:|",
        *_build_rows(cmp_),
        *_page_rows(bp, op),
        "",
        "The baseline's requests (all aborted): " + ", ".join(f"`{u}`" for u in bp["request_urls"]) + ".",
        "",
    ]


def regeneration_lines(rg: dict[str, Any] | None) -> list[str]:
    if not rg:
        return [
            "## Regeneration",
            "",
            "Not measured in this run (`--quick` and `--events` leave it to the full run).",
            "",
        ]
    return [
        "## Regeneration",
        "",
        f"`build_map.py regenerate --data <copy of data/>` in a fresh process, {len(rg['seconds'])} runs after one "
        f"warm-up: median **{fmt_s(median(rg['seconds']))}** (range {spread(rg['seconds'])}), peak RSS "
        f"{median(rg['max_rss_mb']):.0f} MB. Output byte-identical to the committed layers and manifest: "
        f"{'yes' if rg['identical_to_committed'] else 'no'}.",
        "",
    ]
