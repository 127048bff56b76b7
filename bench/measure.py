"""Run a Python script as ``__main__`` and, on exit, write this process's peak resident memory to a file.

python bench/measure.py SCRIPT [ARGS...]      (with CASEMAP_BENCH_HWM=/path/to/file in the environment)

Why not ru_maxrss from wait4()/getrusage(RUSAGE_CHILDREN): on Linux a child's ru_maxrss starts from the
high-water mark of the memory image it had before exec, which after fork (or vfork) is the parent's; a
benchmark parent holding a browser driver and the GeoNames table makes every child look ~450 MB. VmHWM in
/proc/self/status is the high-water mark of the process's own address space since exec: the build alone.
"""

import atexit
import os
import runpy
import sys
from pathlib import Path


def _record() -> None:
    target = os.environ.get("CASEMAP_BENCH_HWM")
    if not target:
        return
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                Path(target).write_text(line.split()[1] + "\n", encoding="ascii")  # kB
                return


atexit.register(_record)
script = Path(sys.argv[1]).resolve()
sys.argv = sys.argv[1:]
sys.path[0] = str(script.parent)  # as `python SCRIPT` would have it
runpy.run_path(str(script), run_name="__main__")
