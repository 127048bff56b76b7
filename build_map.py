#!/usr/bin/env python3
"""Build the case map (output/map.html) from data/, or regenerate data/layers from the raw datasets.

python build_map.py                 # build output/map.html
python build_map.py regenerate      # rebuild data/layers/*.geojson and data/manifest.json
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
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the data folder (default: %(default)s)")
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


def main(argv: list[str] | None = None) -> int:
    """Run the command; print one line per problem and return 2 on a known error."""
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
