"""What the tests may not do: change a tracked file. A snapshot of the tracked files that differ from HEAD.

The snapshot holds each differing file's bytes' SHA-256 (or "deleted"), not only its `git status` line, so that a
test rewriting a file that was already edited before the run is caught too.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

Snapshot = dict[str, str]


def git_checkout_problem(root: Path) -> str | None:
    """Why ``root`` cannot be checked (no git, not a work tree), or None when it can."""
    git = shutil.which("git")
    if git is None:
        return "git is not installed"
    inside = subprocess.run(  # noqa: S603 - fixed command
        [git, "-C", str(root), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True, check=False
    )
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return f"{root} is not a git checkout"
    return None


def tracked_changes(root: Path) -> Snapshot:
    """Every tracked file that differs from HEAD (untracked files ignored), with its content hash."""
    git = shutil.which("git") or "git"
    listed = subprocess.run(  # noqa: S603 - fixed command
        [git, "-C", str(root), "status", "--porcelain=v1", "-z", "--untracked-files=no"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    snapshot: Snapshot = {}
    entries = iter(listed.split("\0"))
    for entry in entries:
        if not entry:
            continue
        status, name = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            next(entries, None)  # a rename or copy is followed by its source path
        path = root / name
        snapshot[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "deleted"
    return snapshot


def changed_between(before: Snapshot, after: Snapshot) -> list[str]:
    """The tracked files whose state differs between two snapshots, sorted."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
