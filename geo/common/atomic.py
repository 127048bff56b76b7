"""Write output files so that a reader sees the old bytes or the new bytes, never half of either.

What a write here guarantees:

* The target is refused unless it is missing or a regular file (a symlink is followed to one): writing the
  map over a named pipe, a device such as ``/dev/null``, a socket or a folder would replace that node with a
  regular file (rename(2) replaces any non-directory), and a symlink loop can never be written.
* A new file follows the umask (created with mode 0o666, which the kernel narrows by the umask, as any
  program's ``open`` does); a replaced file keeps its permission bits.
* Temporary copies are named ``.<target>.<pid>-<random>.casemap-tmp`` beside their target, so they are
  recognisably casemap's. A build killed before its rename leaves one; the next write to the same target
  removes those older than ``STALE_AFTER_SECONDS`` (never a younger one, which may belong to a build still
  running, never a symlink, never a file owned by another user, never another target's).

Several files "all at once" (``regenerate``: seven layers and the manifest that checksums them). POSIX renames
one name at a time, and the manifest lives outside the layers folder, so no single rename swaps them all. The
write is staged and then committed:

1. Stage: every new file is written and fsynced under a temporary name. Any failure here removes the
   temporary copies and touches no target.
2. Swap: with SIGINT, SIGTERM and SIGHUP held back (they are delivered after the swap), each existing target
   is first hard-linked to a backup name, then the new copy is renamed over it; the manifest is renamed last.
   If any rename fails, every target already swapped is restored from its backup (or removed, if it did not
   exist before), so the folder holds exactly the old files again.
3. Commit: the backups are removed and the folders fsynced.

Only SIGKILL or a power cut in the middle of step 2 (a few renames, milliseconds) can leave new layers beside
the old manifest. The build refuses that state by itself: every layer's sha256 must match the manifest
(``site._check_against_manifest``), so a mixed state stops the build with "run regenerate", and the next
``regenerate`` writes everything again (and removes the stale copies once they are old).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import signal
import stat
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from geo.common.errors import OutputPathError

TEMPORARY_SUFFIX = ".casemap-tmp"
STALE_AFTER_SECONDS = 3600  # a build takes seconds; an hour-old copy is from a build that was killed
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def writable_target(path: Path) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or the file its symlink leads to.

    Raises OutputPathError for a symlink loop or a target that exists and is not a regular file.
    """
    try:
        real = path.resolve(strict=False) if path.is_symlink() else path
    except (RuntimeError, OSError):  # Python < 3.13 raises RuntimeError for a symlink loop, later OSError
        raise OutputPathError(f"{path} is a symlink loop: remove it or choose another output path") from None
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        if real != path:  # like GNU cp, do not write through a dangling symlink: where it leads was not chosen
            raise OutputPathError(f"{path} is a symlink to a missing file: remove it or choose another path") from None
        return real
    except OSError as error:
        if error.errno == errno.ELOOP:  # Python 3.13's non-strict resolve() returns a loop unresolved
            raise OutputPathError(f"{path} is a symlink loop: remove it or choose another output path") from None
        raise OutputPathError(f"{path} cannot be used as an output ({error.strerror})") from None
    if not stat.S_ISREG(mode):
        raise OutputPathError(
            f"{path} is {_kind(mode)}, not a regular file: writing would replace it; give a file name instead"
        )
    return real


def _temporary_name(target: Path, kind: str = "") -> Path:
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{kind}{TEMPORARY_SUFFIX}"


def remove_stale_temporaries(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary copies of ``target`` that a killed write left; return what was removed."""
    now = time.time() if now is None else now
    prefix = f".{target.name}."
    removed: list[Path] = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in os.scandir(target.parent):
            if not (entry.name.startswith(prefix) and entry.name.endswith(TEMPORARY_SUFFIX)):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                ours = stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()
                if ours and now - info.st_mtime > STALE_AFTER_SECONDS:
                    Path(entry.path).unlink()
                    removed.append(Path(entry.path))
    return removed


def _stage(target: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``target`` (same file system, so rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        keep_mode: int | None = stat.S_IMODE(target.stat().st_mode) & 0o777
    except FileNotFoundError:
        keep_mode = None
    temporary = _temporary_name(target)
    descriptor = os.open(temporary, _CREATE_FLAGS, 0o666)  # the kernel applies the umask to 0o666
    try:
        if keep_mode is not None:
            os.fchmod(descriptor, keep_mode)
        with os.fdopen(descriptor, "wb", closefd=False) as stream:
            stream.write(data)
            stream.flush()
        os.fsync(descriptor)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    finally:
        os.close(descriptor)
    return temporary


def _backup(target: Path) -> Path | None:
    """A second name for the current ``target`` (a hard link; a copy where links are not supported)."""
    if not target.exists():
        return None
    backup = _temporary_name(target, ".old")
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C, kill and hang-up while a few renames run; they are delivered right after."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    except (AttributeError, ValueError, OSError):  # not POSIX, or not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _swap(staged: dict[Path, Path]) -> None:
    """Rename every staged copy over its target, all or none (see the module docstring)."""
    backups: dict[Path, Path | None] = {}
    swapped: list[Path] = []
    with _signals_held():
        try:
            for target, temporary in staged.items():
                backups[target] = _backup(target) if len(staged) > 1 else None
                temporary.replace(target)
                swapped.append(target)
        except BaseException:
            for target in swapped:
                with contextlib.suppress(OSError):
                    backup = backups[target]
                    if backup is not None:
                        backup.replace(target)
                    else:
                        target.unlink()  # it did not exist before
            _remove(list(staged.values()) + [b for b in backups.values() if b is not None])
            raise
        # A backup of a target not swapped is a second link to the same file, and rename(2) does nothing when
        # both names are links to one file: such backups are removed here, never renamed.
        _remove([b for b in backups.values() if b is not None])
    for folder in {target.parent for target in staged}:
        _sync_folder(folder)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def write_files_atomically(contents: Mapping[Path, bytes]) -> None:
    """Write several files all at once: stage every copy, then swap them in, in the order given (last wins).

    Put the file that describes the others (the manifest) last. Raises OutputPathError for an unusable target;
    if anything fails, every target holds its old bytes and no temporary copy is left.
    """
    targets = {writable_target(path): data for path, data in contents.items()}
    for target in targets:
        remove_stale_temporaries(target)
    staged: dict[Path, Path] = {}
    try:
        for target, data in targets.items():
            staged[target] = _stage(target, data)
    except BaseException:
        _remove(list(staged.values()))
        raise
    _swap(staged)


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write one file atomically."""
    write_files_atomically({path: data})
