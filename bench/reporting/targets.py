"""The report's "Targets" section: each target with what was measured, met / not met (reported, never enforced)."""

from __future__ import annotations

from typing import Any

from bench.common import measured, median
from bench.reporting.text import fmt_bytes, fmt_ms, fmt_s, met

TARGETS = {
    "ratio": 0.7,  # default build wall time <= 0.7 x the baseline's
    "default_bytes": 600_000,  # 600 KB
    "default_drawn_ms": 1_000,
    "big_build_s": 20.0,
    "big_bytes": 25_000_000,  # 25 MB
    "big_drawn_ms": 5_000,
    "big_filter_ms": 200,
    "regen_s": 5.0,
}
Target = tuple[str, str, bool | None]  # what, measured, met (None: not measured)


def _default_targets(cmp_: dict[str, Any]) -> list[Target]:
    ratio = measured(cmp_["ratios"])
    op = cmp_["ours"]["page"]
    return [
        (
            "default build ≤ 0.7 × baseline wall time",
            f"{ratio:.2f} × (median per-pair ratio)",
            ratio <= TARGETS["ratio"],
        ),
        ("default file ≤ 600 KB (600,000 B)", f"{op['bytes']:,} B", op["bytes"] <= TARGETS["default_bytes"]),
        (
            "default page drawn within 1 s offline",
            fmt_ms(median(op["drawn_ms"])),
            op["drew"] and (median(op["drawn_ms"]) or 1e9) <= TARGETS["default_drawn_ms"],
        ),
    ]


def _accepted_target(big: dict[str, Any]) -> Target:
    accepted = [f"events.{f}" for f, e in big["formats"].items() if e["accepted"]]
    refused = [f"events.{f}" for f, e in big["formats"].items() if not e["accepted"]]
    measured = (
        (", ".join(accepted) + " accepted" if accepted else "")
        + ("; " if accepted and refused else "")
        + (", ".join(refused) + " refused" if refused else "")
    )
    return ("100,000 events: accepted by the unmodified build", measured, bool(accepted))


def _big_targets(big: dict[str, Any] | None) -> list[Target]:
    bigp = big.get("page") if big else None
    bigf = big["formats"].get(big["primary"]) if big and big.get("primary") else None
    fmt_note = f" (events.{big['primary']})" if big and bigf else ""
    build = median(bigf["seconds"]) if bigf else None
    return [
        (
            f"100,000 events: build < 20 s{fmt_note}",
            fmt_s(build) + (" (YAML limit lifted)" if bigf["limit_lifted"] else "") if bigf else "–",
            None if build is None else build < TARGETS["big_build_s"],
        ),
        (
            "100,000 events: file < 25 MB",
            fmt_bytes(bigp["bytes"]) if bigp else "–",
            None if not bigp else bigp["bytes"] < TARGETS["big_bytes"],
        ),
        (
            "100,000 events: drawn within 5 s",
            fmt_ms(median(bigp["drawn_ms"])) if bigp else "–",
            None if not bigp else bigp["drew"] and (median(bigp["drawn_ms"]) or 1e9) <= TARGETS["big_drawn_ms"],
        ),
        (
            "100,000 events: time filter < 200 ms",
            f"{fmt_ms(median(bigp['filter_sync_ms']))} (next frame {fmt_ms(median(bigp['filter_frame_ms']))})"
            if bigp
            else "–",
            None if not bigp else (median(bigp["filter_sync_ms"]) or 1e9) < TARGETS["big_filter_ms"],
        ),
    ]


def target_lines(results: dict[str, Any]) -> list[str]:
    sizes = (results.get("scale") or {}).get("sizes", {})
    big = sizes.get(100_000) or sizes.get("100000")  # int keys when fresh, strings after results.json
    rg = results["regeneration"]
    targets = _default_targets(results["compare"])
    if big:
        targets.append(_accepted_target(big))
    targets += _big_targets(big)
    targets.append(("regeneration < 5 s", fmt_s(measured(rg["seconds"])), measured(rg["seconds"]) < TARGETS["regen_s"]))
    lines = ["## Targets", "", "Reported, not enforced.", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {met(ok)} |" for name, value, ok in targets]
    return [*lines, ""]
