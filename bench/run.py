#!/usr/bin/env python3
"""casemap's benchmark: our build against what an analyst would use instead, and at up to 100,000 events.

.venv/bin/python bench/run.py            # full run (~10 minutes on 2 cores); writes bench/RESULTS.md
.venv/bin/python bench/run.py --quick    # ~2-3 minutes: fewer repeats, no cProfile of the largest size

Everything is measured in one run on one machine; see bench/README.md for what each figure means. This file
only joins the halves: bench/measuring/ returns the figures, bench/reporting/ writes them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH, DCW, SIZES, log
from bench.reporting.document import write_outputs, write_report


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="~2-3 minutes: fewer repeats, no cProfile at 100k")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=list(SIZES))
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md", help="results.json goes beside it")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (pages, profiles)")
    parser.add_argument("--report-only", type=Path, help="rewrite the report from a results.json (kept profiles)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.report_only:
        write_report(json.loads(args.report_only.read_text(encoding="utf-8")), args.output)
        return 0
    if not DCW.is_file():
        raise SystemExit(f"DCW-GMT not found at {DCW} (apt-get install gmt-dcw)")
    from bench.measuring.session import Plan, measure_all  # Playwright and the browser only when measuring

    work = Path(tempfile.mkdtemp(prefix="casemap-bench-"))
    log(f"working in {work}")
    results = measure_all(Plan(sizes=tuple(args.sizes), quick=args.quick), work)
    raw = write_outputs(results, args.output)
    log(f"wrote {args.output} and {raw} in {results['elapsed_s'] / 60:.1f} min")
    if args.keep:
        log(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
