"""`build_map.py export` and `build_map.py import`: argument parsing and the all-or-nothing writes."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.common.atomic import writable_target, write_file_atomically
from geo.export.formats import WRITERS, layer_geojson, template_csv
from geo.export.importer import import_events
from geo.export.rows import load_export
from geo.page.build import check_output_path


def export_command(argv: list[str], *, default_case: Path) -> str:
    """Write the case's events (or one layer) in the chosen format; returns the line to print."""
    parser = argparse.ArgumentParser(
        prog="build_map.py export", description="Export a case's events (or one layer) with the cite-this-map fields."
    )
    parser.add_argument("--case", "--data", dest="case", type=Path, default=default_case, help="the case folder")
    parser.add_argument("--format", required=True, choices=tuple(WRITERS), help="the file format (docs/export.md)")
    parser.add_argument("--layer", default=None, help="geojson only: export this layer (its key) instead of events")
    parser.add_argument("--output", required=True, type=Path, help="the file to write (replaced atomically)")
    args = parser.parse_args(argv)
    if args.layer is not None and args.format != "geojson":
        parser.error("--layer needs --format geojson")
    target = check_output_path(args.output, data_dir=args.case, article=None)
    case = load_export(args.case)
    data = layer_geojson(case, args.layer) if args.layer else WRITERS[args.format](case)
    write_file_atomically(target, data)
    what = f"layer {args.layer}" if args.layer else f"{len(case.site.case.events)} events"
    return f"wrote {args.output} ({what}, {len(data):,} bytes)"


def import_command(argv: list[str]) -> str:
    """Turn a spreadsheet into the case's events file, or write the empty template; returns the line to print."""
    parser = argparse.ArgumentParser(
        prog="build_map.py import", description="Write a case's events file from a spreadsheet (docs/export.md)."
    )
    parser.add_argument("spreadsheet", nargs="?", type=Path, help="a .csv or .xlsx with the export's columns")
    parser.add_argument("--into", type=Path, help="the case folder whose events file is replaced")
    parser.add_argument("--template", type=Path, help="write an empty CSV template with notes on each column")
    args = parser.parse_args(argv)
    if args.template is not None:
        if args.spreadsheet is not None or args.into is not None:
            parser.error("--template takes no spreadsheet and no --into")
        if args.template.suffix.lower() != ".csv":
            parser.error(f"--template writes CSV: expected a file name ending in .csv, found {args.template.name!r}")
        data = template_csv()
        write_file_atomically(writable_target(args.template), data)
        return f"wrote {args.template} (the header row and a notes row; fill in one row per event)"
    if args.spreadsheet is None or args.into is None:
        parser.error("give a spreadsheet and --into DIR (or --template FILE.csv)")
    written, count = import_events(args.spreadsheet, args.into)
    return f"wrote {written} ({count} events from {args.spreadsheet})"
