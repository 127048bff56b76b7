"""Builds in fresh processes: wall time (interpreter start-up and imports included) and the child's own peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import BENCH, DATA, DCW, ROOT

PYTHON = sys.executable


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
            command = [PYTHON, str(BENCH / "measure.py"), *command[1:]]
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
    return [PYTHON, BENCH / "child.py", "ours", data_dir, output, *(["--lift-size-limit"] if lift else [])]


def baseline_command(output: Path) -> list[Any]:
    return [PYTHON, BENCH / "baseline.py", output, DATA, DCW]


def regenerate_command(data_dir: Path) -> list[Any]:
    return [PYTHON, ROOT / "build_map.py", "regenerate", "--data", data_dir]
