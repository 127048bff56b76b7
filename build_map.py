#!/usr/bin/env python3
"""Build the case map (output/map.html) from data/, or regenerate data/layers from the raw datasets.

python build_map.py                 # build output/map.html
python build_map.py regenerate      # rebuild data/layers/*.geojson and data/manifest.json
python build_map.py regenerate --case DIR                  # the same for another case folder
python build_map.py new DIR --title TEXT --area CODE       # a new case folder for a DCW-GMT unit (EE, RU.KGD)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import CasemapError

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = ROOT / "data"
DEFAULT_OUTPUT = ROOT / "output" / "map.html"
DEFAULT_ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
EXIT_OK, EXIT_DATA_ERROR = 0, 2


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build_map.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=("build", "regenerate"),
        help="build: write the map page (default); regenerate: rebuild the layers from raw datasets",
    )
    parser.add_argument(
        "--case",
        "--data",
        dest="data",
        type=Path,
        default=DEFAULT_DATA,
        help="the case folder (default: %(default)s; --data is the old name)",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the map page (default: %(default)s)"
    )
    parser.add_argument(
        "--article",
        type=Path,
        default=None,
        help="the seed article to check quotes against (default: ../shared/seed/article.txt when it exists)",
    )
    parser.add_argument(
        "--dcw",
        type=Path,
        default=None,
        help="regenerate: the DCW-GMT dcw-gmt.nc file (default: /usr/share/gmt-dcw/dcw-gmt.nc)",
    )
    return parser.parse_args(argv)


def new_command(argv: list[str]) -> int:
    """`new DIR --title TEXT --area CODE`: scaffold a case for a DCW-GMT unit and regenerate its layers."""
    parser = argparse.ArgumentParser(
        prog="build_map.py new", description="Scaffold a case folder for a DCW-GMT unit and derive its layers."
    )
    parser.add_argument("folder", type=Path, help="the new case folder (must not exist, or be empty)")
    parser.add_argument("--title", required=True, help="the map's title")
    parser.add_argument(
        "--area", required=True, help="the focus: a DCW-GMT code as GMT writes it, a country (EE) or region (RU.KGD)"
    )
    parser.add_argument(
        "--dcw", type=Path, default=None, help="the DCW-GMT dcw-gmt.nc file (default: /usr/share/gmt-dcw/dcw-gmt.nc)"
    )
    args = parser.parse_args(argv)
    try:
        from geo.derive.scaffold import new_case

        written = new_case(args.folder, title=args.title, area=args.area, dcw_path=args.dcw)
    except CasemapError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_DATA_ERROR
    print(f"created {args.folder} with {len(written)} layers; edit its case.yaml, events.yaml and sources.yaml")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command; print one line per problem and return 2 on a known error."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["new"]:
        return new_command(argv[1:])
    args = parse_args(argv)
    try:
        if args.command == "regenerate":
            from geo.regenerate import regenerate

            written = regenerate(args.data, dcw_path=args.dcw)
            print(f"regenerated {len(written)} layers in {args.data / 'layers'} and {args.data / 'manifest.json'}")
            return EXIT_OK
        from geo.build import build

        article = args.article or (DEFAULT_ARTICLE if DEFAULT_ARTICLE.is_file() else None)
        if article is None:
            print("note: seed article not found; claim quotes are not checked in this build", file=sys.stderr)
        size = build(data_dir=args.data, output=args.output, article_path=article)
        print(f"wrote {args.output} ({size:,} bytes)")
        return EXIT_OK
    except CasemapError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_DATA_ERROR


if __name__ == "__main__":
    sys.exit(main())
