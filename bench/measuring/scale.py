"""Synthetic cases of N events: build each from events.yaml and from events.jsonl, then open the page offline."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.common import DATA, DCW, SCALE_TIMEOUT_MS, log, median
from bench.measuring import synth
from bench.measuring.browser import Browser
from bench.measuring.pages import measure_page
from bench.measuring.processes import Run, checked, ours_command, run_child

if TYPE_CHECKING:
    from bench.measuring.session import Plan


def _refusal(result: dict[str, Any], first: Run, work: Path) -> bool:
    """Record why the unmodified build refused a file; True when it is to be measured with the size limit lifted
    (a refusal for size only: the YAML loader's 2,000,000 bytes, the JSON Lines reader's cap)."""
    fmt = result["format"]
    message = next((line for line in first.stderr.splitlines() if "bytes" in line), first.stderr.strip())
    result["refused_unmodified"] = message.replace(f"{work}/", "").strip()[:300]
    if "at most" not in first.stderr:
        result["error"] = first.stderr.replace(f"{work}/", "")[-1500:]
        log(f"  events.{fmt} not accepted: {result['refused_unmodified'] or first.stderr[-300:]}")
        return False
    log(f"  refused ({result['refused_unmodified']}); measuring with the limit lifted")
    return True


def _record(result: dict[str, Any], run: Run, k: int, runs: int) -> None:
    result["seconds"].append(run.seconds)
    result["max_rss_mb"].append(run.max_rss_mb)
    log(f"  build {k}/{runs}: {run.seconds:.2f} s, peak RSS {run.max_rss_mb:.0f} MB")


def build_format(work: Path, template: synth.Template, n: int, fmt: str, plan: Plan) -> dict[str, Any]:
    """Build N events from one events file format: the unmodified build first (an untimed warm-up in the full run,
    the one timed run otherwise), then with the size limit lifted if that alone refused it."""
    data_dir = synth.make_size(template, n, work, fmt)
    events_file = data_dir / f"events.{fmt}"
    html = work / f"map-{n}-{fmt}.html"
    size = events_file.stat().st_size
    runs, warm_up = plan.runs_for(n), plan.warm_up_for(n)
    log(f"scale {n:,} events, events.{fmt} {size / 1e6:.1f} MB: unmodified build" + (" (untimed warm-up)" * warm_up))
    first = run_child(ours_command(data_dir, html))
    result: dict[str, Any] = {
        "format": fmt,
        "events_bytes": size,
        "accepted": first.returncode == 0,
        "refused_unmodified": "",
        "limit_lifted": False,
        "warm_up": warm_up,
        "seconds": [],
        "max_rss_mb": [],
        "html": str(html),
        "data_dir": str(data_dir),
    }
    if first.returncode != 0:
        result["limit_lifted"] = _refusal(result, first, work)
        if not result["limit_lifted"]:
            return result
    elif not warm_up:
        _record(result, first, 1, runs)
    while len(result["seconds"]) < runs:
        run = checked(run_child(ours_command(data_dir, html, lift=result["limit_lifted"])), f"build of {n} ({fmt})")
        _record(result, run, len(result["seconds"]) + 1, runs)
    result["page_bytes"] = html.stat().st_size
    return result


def _template_figures(template: synth.Template) -> dict[str, Any]:
    return {
        "points": len(template.points),
        "added_places": template.added_places,
        "regions": sorted(set(template.regions)),
        "districts": list(template.districts),
        "vocabulary": len(template.chain),
    }


def _size_entry(formats: dict[str, Any]) -> dict[str, Any]:
    """The page to open: from the format the unmodified build accepts, the bulk format first."""
    measured = [f for f in ("jsonl", "yaml") if f in formats and formats[f]["seconds"]]
    accepted = [f for f in measured if formats[f]["accepted"]]
    primary = accepted[0] if accepted else measured[0] if measured else None
    entry: dict[str, Any] = {"formats": formats, "primary": primary}
    if len(measured) == 2:
        entry["identical_pages"] = (
            Path(formats["yaml"]["html"]).read_bytes() == Path(formats["jsonl"]["html"]).read_bytes()
        )
    return entry


def _open_primary(browser: Browser, entry: dict[str, Any], loads: int) -> None:
    html = Path(entry["formats"][entry["primary"]]["html"])
    log(f"  opening the {html.stat().st_size / 1e6:.1f} MB page offline ({loads} loads)")
    page = measure_page(browser, html, ours=True, loads=loads, timeout_ms=SCALE_TIMEOUT_MS)
    log(
        f"  drawn {median(page.drawn_ms) or float('nan'):.0f} ms, filter {median(page.filter_sync_ms) or 0:.1f} ms, "
        f"search {median(page.search_ms) or 0:.1f} ms (first {page.search_first_ms or 0:.0f} ms), "
        f"heap {median(page.heap_mb) or 0:.0f} MB"
    )
    entry["page"] = asdict(page)
    entry["html"] = str(html)


def scale(work: Path, browser: Browser, plan: Plan) -> dict[str, Any]:
    """Every size in the plan's formats (events.jsonl only while the build reads it), and the page of each size."""
    log("scale: template data folder (data/ + every cities500 settlement of the krai, regenerated)")
    template = synth.make_template(DATA, work, DCW)
    out: dict[str, Any] = {"template": _template_figures(template), "jsonl_supported": None, "sizes": {}}
    for n in sorted(plan.sizes):
        formats: dict[str, Any] = {}
        for fmt in plan.formats_for(n):
            if fmt == "jsonl" and out["jsonl_supported"] is False:
                continue
            formats[fmt] = build_format(work, template, n, fmt, plan)
            if fmt == "jsonl" and out["jsonl_supported"] is None:
                out["jsonl_supported"] = formats[fmt]["accepted"] or formats[fmt]["limit_lifted"]
        entry = _size_entry(formats)
        if entry["primary"] is not None:
            _open_primary(browser, entry, plan.loads_for(n))
        out["sizes"][n] = entry
    return out
