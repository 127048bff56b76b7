"""One build in a fresh interpreter, so that import time counts: run by bench/run.py, one process per run.

python bench/child.py ours DATA_DIR OUTPUT [--lift-size-limit]

``--lift-size-limit`` raises the YAML loader's size limit (geo.casefile.yamlsafe.MAX_FILE_BYTES, 2,000,000
bytes) for this process only: an events.yaml with 10,000 or more events exceeds it. The benchmark first tries
every size without it and reports which sizes the unmodified build refuses.
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
    if "--lift-size-limit" in flags:
        import geo.casefile.yamlsafe

        geo.casefile.yamlsafe.MAX_FILE_BYTES = 1 << 40  # read at call time by older versions of read_text
        defaults = getattr(geo.casefile.yamlsafe.read_text, "__kwdefaults__", None) or {}
        if "max_bytes" in defaults:  # newer versions take the limit as a keyword default
            defaults["max_bytes"] = 1 << 40
    from geo.common.errors import CasemapError
    from geo.page.build import build

    try:
        size = build(data_dir=Path(data_dir), output=Path(output), article_path=None)
    except CasemapError as error:
        print(f"error: {str(error)[:2000]}", file=sys.stderr)
        return 2
    print(size)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
