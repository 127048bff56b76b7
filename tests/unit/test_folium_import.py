"""The build imports folium without pandas (geo/page/folium_import.py), and leaves pandas importable afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fresh(code: str) -> str:
    command = [sys.executable, "-c", code]  # our own interpreter and code written here
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)  # noqa: S603
    return done.stdout.strip()


def test_the_page_build_imports_neither_pandas_nor_pyarrow() -> None:
    # pandas and the pyarrow it loads were a third of the default build's wall time (bench/RESULTS.md).
    loaded = _fresh("import sys, geo.page.build; print(sorted({'pandas', 'pyarrow'} & set(sys.modules)))")
    assert loaded == "[]"


def test_folium_still_works_and_pandas_can_be_imported_after() -> None:
    code = (
        "import geo.page.render, folium, pandas, sys\n"
        "from folium.utilities import if_pandas_df_convert_to_numpy\n"
        "print(type(sys.modules['pandas']).__name__, if_pandas_df_convert_to_numpy([1]) == [1], folium.Map is not None)"
    )
    assert _fresh(code) == "module True True"


def test_a_pandas_already_imported_is_left_in_place() -> None:
    code = (
        "import pandas, sys\n"
        "from geo.page.folium_import import without_optional\n"
        "with without_optional():\n"
        "    import folium.utilities\n"
        "print(folium.utilities.pd is pandas, sys.modules['pandas'] is pandas)"
    )
    assert _fresh(code) == "True True"
