#!/usr/bin/env python3
"""casemap's benchmark: our build against what an analyst would use instead, and at up to 100,000 events.

.venv/bin/python bench/run.py                  # full run: 10^3 to 10^6 events; writes bench/RESULTS.md
.venv/bin/python bench/run.py --quick          # at most 3 minutes: baseline pairs, the default page, 100,000 events
.venv/bin/python bench/run.py --events 1000000 # one size, with the baseline pairs and the default page

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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH, DCW, QUICK_SIZES, SIZES, log
from bench.reporting.document import write_outputs, write_report


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="at most 3 minutes: one run of 100,000 events")
    parser.add_argument("--events", type=int, help="one size of N events (single runs, like --quick)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="sizes, comma-separated")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md", help="results.json goes beside it")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (pages, profiles)")
    parser.add_argument("--report-only", type=Path, help="rewrite the report from a results.json (kept profiles)")
    return parser.parse_args(argv)


def plan_for(args: argparse.Namespace) -> Any:
    """--events N and --quick are single runs of one size (100,000 for --quick); the full run repeats every figure."""
    from bench.measuring.session import Plan  # Playwright and the browser only when measuring

    if args.events is not None:
        return Plan(sizes=(args.events,), quick=True)
    default = QUICK_SIZES if args.quick else SIZES
    return Plan(sizes=tuple(args.sizes or default), quick=args.quick)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.report_only:
        write_report(json.loads(args.report_only.read_text(encoding="utf-8")), args.output)
        return 0
    if not DCW.is_file():
        raise SystemExit(f"DCW-GMT not found at {DCW} (apt-get install gmt-dcw)")
    from bench.measuring.session import measure_all  # Playwright and the browser only when measuring

    work = Path(tempfile.mkdtemp(prefix="casemap-bench-"))
    log(f"working in {work}")
    plan = plan_for(args)
    log(f"plan: sizes {', '.join(f'{n:,}' for n in plan.sizes)}; allowance {plan.budget_s():.0f} s")
    results = measure_all(plan, work)
    raw = write_outputs(results, args.output)
    log(f"wrote {args.output}, {raw} and the plot in {results['elapsed_s'] / 60:.1f} min")
    if args.keep:
        log(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
