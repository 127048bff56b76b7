"""One build in a fresh interpreter, so that import time counts: run by the benchmark, one process per run.

python bench/child.py ours DATA_DIR OUTPUT [--lift-size-limit]

``--lift-size-limit`` raises the readers' size limits (the YAML loader's 2,000,000 bytes, the JSON Lines cap)
for this process only: an events.yaml of 10,000 or more events exceeds the first, 10^6 events as events.jsonl
the second. The benchmark first tries every size without it and reports which sizes the unmodified build refuses.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    mode, data_dir, output, *flags = argv
    if mode != "ours":
        print(f"unknown mode {mode}", file=sys.stderr)
        return 2
    from bench import geolink

    if "--lift-size-limit" in flags:
        geolink.lift_size_limits()
    try:
        size = geolink.build_default_page(Path(data_dir), Path(output))
    except geolink.BuildRefused as error:
        print(f"error: {str(error)[:2000]}", file=sys.stderr)
        return 2
    print(size)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
