"""tasks.py's own steps, on a small tree of their own (the project's tree is never written here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import tasks


def _tree(root: Path) -> None:
    """Two packages as compile_sources compiles them: geo/, whose bytecode folder cannot be made (a file holds its
    name: even root cannot write there, as a read-only checkout would refuse), and bench/, which can be written."""
    (root / "geo").mkdir()
    (root / "geo" / "module.py").write_text("VALUE = 1\n", encoding="utf-8")
    (root / "geo" / "__pycache__").write_text("not a folder\n", encoding="utf-8")
    (root / "bench").mkdir()
    (root / "bench" / "module.py").write_text("VALUE = 2\n", encoding="utf-8")


def test_compile_sources_does_not_fail_the_task_where_bytecode_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """compileall exits 1 when it cannot write a module's bytecode; the build, tests and benchmark run from source
    then, so tasks.py goes on, says why in one note, and still compiles what it can."""
    _tree(tmp_path)
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    monkeypatch.setattr(tasks, "PYTHON", Path(sys.executable))
    tasks.compile_sources()  # with check=True this raised CalledProcessError (exit status 1)
    out = capsys.readouterr().out
    assert "note: compileall exited 1" in out
    assert "geo/module.py" in out  # the module it could not compile is named
    assert out.count("\n") == 2  # the command and the note: not an error per module
    assert list((tmp_path / "bench" / "__pycache__").glob("module.*.pyc"))
    assert (tmp_path / "geo" / "__pycache__").read_text(encoding="utf-8") == "not a folder\n"


def test_compile_sources_compiles_a_writable_tree_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path)
    (tmp_path / "geo" / "__pycache__").unlink()
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    monkeypatch.setattr(tasks, "PYTHON", Path(sys.executable))
    tasks.compile_sources()
    out = capsys.readouterr().out
    assert "note:" not in out
    for package in ("geo", "bench"):
        assert list((tmp_path / package / "__pycache__").glob("module.*.pyc"))
