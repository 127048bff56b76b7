"""Read every input file one way: regular files only, size capped before and while reading, links confined.

Who controls what: the data files (and any symlink among them) come from whoever wrote the case, who may not
be the person running the build. A data file must therefore not be able to make the build hang (a named pipe),
exhaust memory (``/dev/zero``, a huge sparse file, a file that keeps growing), or read a file from elsewhere on
the machine and quote it in an error message (a symlink to a credentials file). The command line (``--data``,
``--article``, ``--output``) is chosen by the person running the build, so the seed article may live anywhere.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Final

from geo.common.errors import Problem

MAX_FILE_BYTES = 2_000_000  # the case files are tens of KB; anything this large is a mistake or an attack
MAX_ARTICLE_BYTES = 5_000_000  # the seed article is about 20 KB; a book-length article still fits
_CHUNK = 1 << 20
# O_NONBLOCK: opening a named pipe that nobody writes to returns at once instead of waiting for a writer
# (open(2)); it changes nothing for regular files. O_NOFOLLOW: the path handed to open is already resolved,
# so a symlink appearing there now is a swap after the check and is refused (ELOOP).
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class _OwnFolder:
    """The default confinement of read_text: the folder the file is named in."""


OWN_FOLDER: Final = _OwnFolder()


def _kind(mode: int) -> str:
    """Name a file type for a message: what was found instead of a regular file."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _confined(path: Path, within: Path | None, problem: Callable[[str, str], None]) -> Path | None:
    """Resolve ``path``; refuse it when a symlink on the way leads outside ``within`` (the case folder)."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        problem("the file to exist", "no such file" if not path.is_symlink() else "a symlink to a missing file")
        return None
    except RuntimeError:  # a symlink loop (Python < 3.13)
        problem("a file (not a symlink loop)", "a symlink loop")
        return None
    except OSError as error:  # ELOOP is how Python 3.13 reports a symlink loop
        if error.errno == errno.ELOOP:
            problem("a file (not a symlink loop)", "a symlink loop")
        else:
            problem("a readable file", error.strerror or type(error).__name__)
        return None
    if within is not None and not real.is_relative_to(within.resolve()):
        problem(
            f"a file inside the case folder {within} (symlinks may point only inside it; copy the file in instead)",
            "a symlink leading outside it",  # where to is left out: the path itself can be sensitive
        )
        return None
    return real


def read_bytes(
    path: Path, problems: list[Problem], *, max_bytes: int = MAX_FILE_BYTES, within: Path | None
) -> bytes | None:
    """Read a whole regular file of at most ``max_bytes``; record a problem and return None otherwise.

    ``within`` is the case folder the file (after following symlinks) must lie in; None for a file the person
    running the build named on the command line. The file is checked three times: its type before opening (a
    device is never opened), its type and size after opening (fstat on the open descriptor, so what is read is
    what was checked), and its size while reading (a file that grows, or whose reported size is wrong, is cut
    at ``max_bytes`` + 1 bytes and refused).
    """
    name = str(path)

    def problem(expected: str, found: str) -> None:
        problems.append(Problem(name, 0, "", "", expected, found))

    real = _confined(path, within, problem)
    if real is None:
        return None
    regular = "a regular file (not a folder, pipe or device)"
    try:
        before = real.stat()
        if not stat.S_ISREG(before.st_mode):
            problem(regular, _kind(before.st_mode))
            return None
        descriptor = os.open(real, _OPEN_FLAGS)
    except OSError as error:
        problem("a readable file", error.strerror or type(error).__name__)
        return None
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            problem(regular, _kind(opened.st_mode))
            return None
        if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            problem("a file that stays in place while it is read", "a file replaced while it was opened")
            return None
        if opened.st_size > max_bytes:
            problem(f"at most {max_bytes:,} bytes", f"{opened.st_size:,} bytes")
            return None
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(descriptor, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        problem("a readable file", error.strerror or type(error).__name__)
        return None
    finally:
        os.close(descriptor)
    if total > max_bytes:
        problem(f"at most {max_bytes:,} bytes", f"more than {max_bytes:,} bytes (the file grew while read)")
        return None
    return b"".join(chunks)


def read_text(
    path: Path,
    problems: list[Problem],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    within: Path | _OwnFolder | None = OWN_FOLDER,
) -> str | None:
    """Read a UTF-8 text file safely (see read_bytes), refusing a byte-order mark or bytes that are not UTF-8.

    ``within`` defaults to the file's own folder: the case files sit directly in the case folder. Callers whose
    files sit deeper (layers/) pass the case folder; None means no confinement (command-line files only).
    """
    folder = path.parent if isinstance(within, _OwnFolder) else within
    data = read_bytes(path, problems, max_bytes=max_bytes, within=folder)
    if data is None:
        return None
    name = str(path)
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(name, 1, "", "", "UTF-8 without a byte-order mark (save without BOM)", "a BOM"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 4]
        problems.append(Problem(name, line, "", "", "UTF-8 text (re-save the file as UTF-8)", f"bytes {bad!r}"))
        return None
