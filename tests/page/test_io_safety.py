"""Files are read and written safely by the build (issue #10, findings 3, 4, 5, 7, 8, 11, 12).

Reading: regular files only, a size cap, symlinks confined to the case folder, nothing quoted from a file outside
it. Writing: only over a regular file, keeping its mode (else the umask), temporary copies recognisable and cleaned
up. And no traceback, ever. The readers and writers on their own are tested in tests/unit/test_safe_files.py, an
interrupted regeneration in tests/derive/test_regenerate.py.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import geo.page.build
from build_map import main
from tests.conftest import ROOT
from tests.datakit import events_to_jsonl

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


def test_the_article_is_read_like_every_input(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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


def test_an_unexpected_error_is_one_line_naming_a_bug(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(site: object) -> bytes:
        raise ZeroDivisionError("a bug in rendering")

    monkeypatch.setattr(geo.page.build, "render_page_bytes", broken)
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


def test_a_symlink_loop_as_output_is_refused(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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


def test_a_mixed_state_after_a_killed_regenerate_stops_the_build(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGKILL between renames is the one interruption no code can undo: the checksums refuse what it leaves."""
    places = data_copy / "layers" / "places.geojson"
    places.write_text(places.read_text(encoding="utf-8").replace("Nerchinsk", "Nerchinsk (new)", 1), encoding="utf-8")
    assert build(data_copy, tmp_path / "map.html") == 2
    assert f"{places} [places] sha256: expected the checksum in manifest.json" in capsys.readouterr().err
