"""Write files so that a reader sees the old bytes or the new bytes, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _temporary_copy(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file in ``path``'s folder (same file system, so rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(name).unlink()
        raise
    Path(name).chmod(0o644)
    return Path(name)


def write_files_atomically(contents: Mapping[Path, bytes]) -> None:
    """Write several files: all temporary copies first, then one rename each.

    If writing any copy fails, no target is touched and every temporary copy is removed.
    """
    written: dict[Path, Path] = {}
    try:
        for path, data in contents.items():
            written[path] = _temporary_copy(path, data)
    except BaseException:
        for temporary in written.values():
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        raise
    for path, temporary in written.items():
        temporary.replace(path)


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write one file atomically."""
    write_files_atomically({path: data})
