"""Cite this map: the case's title, the build date, casemap's version and a digest of the case data.

Every export and the page's method panel carry the same fields (docs/export.md, "Cite this map"). Both the date
and the digest are properties of the input, so the same case folder gives the same page, byte for byte.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import stat
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from geo.common.errors import CasemapError, show_value

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
_CHUNK = 1 << 20


def case_files(folder: Path) -> list[tuple[str, Path]]:
    """Every regular file of the case folder with its path relative to it (POSIX), in byte order of those paths.

    Paths with a part starting with '.' (editor backups, the atomic writer's temporaries) are left out.
    """
    found: list[tuple[str, Path]] = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                continue
        except OSError:  # a dangling symlink or a loop: no file to digest (the build reports what it needs)
            continue
        found.append((relative.as_posix(), path))
    return sorted(found, key=lambda item: item[0].encode("utf-8", "surrogateescape"))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def case_digest(folder: Path) -> str:
    """The sha256 of what ``sha256sum`` prints for the case files in path order ("HEX  PATH\\n" per file).

    Derived layers and the manifest are included: they are what the map draws. A user can check it with
    `find . -type f ! -path '*/.*' | sed 's|^\\./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum`.
    """
    listing = hashlib.sha256()
    for relative, path in case_files(folder):
        listing.update(f"{_file_sha256(path)}  {relative}\n".encode("utf-8", "surrogateescape"))
    return listing.hexdigest()


def build_date(folder: Path, environ: dict[str, str] | None = None) -> str:
    """SOURCE_DATE_EPOCH as a UTC date when set (reproducible-builds.org), else the newest case file's mtime."""
    environ = dict(os.environ) if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        if not epoch.isdigit() or len(epoch) > 12:
            raise CasemapError(
                f"SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 UTC, found {show_value(epoch)}; "
                "set it to a number such as the output of `git log -1 --format=%ct`, or unset it"
            )
        seconds = int(epoch)
    else:
        seconds = max((int(path.stat().st_mtime) for _, path in case_files(folder)), default=0)
    return datetime.fromtimestamp(seconds, UTC).date().isoformat()


def casemap_version() -> str:
    """The version pyproject.toml declares (the checkout's own), else the installed package's."""
    try:
        with PYPROJECT.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return importlib.metadata.version("casemap")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def cite_line(title: str, date: str, version: str, sha256: str) -> str:
    return f"Cite this map: {title}. Built {date} with casemap {version}; case data sha256 {sha256}."


def cite(folder: Path, title: str) -> dict[str, str]:
    """The cite fields of a case folder and the line made of them (docs/export.md)."""
    date, version, sha256 = build_date(folder), casemap_version(), case_digest(folder)
    return {
        "title": title,
        "date": date,
        "version": version,
        "sha256": sha256,
        "text": cite_line(title, date, version, sha256),
    }
