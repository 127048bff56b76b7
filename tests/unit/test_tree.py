"""Running the tests never changes a tracked file (conftest.py runs this module last)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.treekit import Snapshot, changed_between, git_checkout_problem, tracked_changes


def test_the_tests_left_every_tracked_file_as_they_found_it(tree_at_start: Snapshot | str) -> None:
    if isinstance(tree_at_start, str):
        pytest.skip(f"cannot tell whether the tests changed a tracked file: {tree_at_start}")
    changed = changed_between(tree_at_start, tracked_changes(ROOT))
    assert changed == [], f"the tests changed these tracked files (write under tmp_path instead): {changed}"


def git(repo: Path, *arguments: str) -> None:
    subprocess.run(  # noqa: S603 - fixed command
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@localhost", *arguments],  # noqa: S607
        check=True,
        capture_output=True,
    )


def test_the_snapshot_names_a_tracked_file_that_changed_and_ignores_untracked_ones(tmp_path: Path) -> None:
    """The check above can fail: in a scratch repository, every way of changing a tracked file is named."""
    if git_checkout_problem(ROOT) == "git is not installed":
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for name in ("clean.txt", "edited.txt", "gone.txt"):
        (repo / name).write_text(name)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    (repo / "edited.txt").write_text("edited before the run")
    before = tracked_changes(repo)
    assert set(before) == {"edited.txt"}

    (repo / "untracked.png").write_bytes(b"new")
    assert changed_between(before, tracked_changes(repo)) == []
    (repo / "clean.txt").write_text("changed by a test")
    (repo / "edited.txt").write_text("edited again by a test")
    (repo / "gone.txt").unlink()
    assert changed_between(before, tracked_changes(repo)) == ["clean.txt", "edited.txt", "gone.txt"]


def test_a_folder_outside_git_is_reported_not_checked(tmp_path: Path) -> None:
    problem = git_checkout_problem(tmp_path)
    if problem == "git is not installed":
        pytest.skip(problem)
    assert problem == f"{tmp_path} is not a git checkout"
