"""Build the map page from data/ and write it atomically; the previous map survives any failure."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.casefile.case import read_case
from geo.common.atomic import writable_target, write_file_atomically
from geo.common.errors import DataValidationError, OutputPathError, Problem
from geo.common.safefiles import MAX_ARTICLE_BYTES, OWN_FOLDER, read_text
from geo.page.render import render_page_bytes
from geo.page.site import load_site


def input_paths(data_dir: Path) -> list[Path]:
    """The files a build reads, for the output-equals-input check."""
    return [p for p in data_dir.rglob("*") if p.is_file()]


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a symlink loop: it is no file, so it cannot be the output
        return None


def check_output_path(output: Path, *, data_dir: Path, article: Path | None) -> Path:
    """Refuse an output path that is an input, inside the data folder, or not a regular file, before any work.

    Returns the file the build will replace (the output itself, or the regular file its symlink leads to).
    """
    target = writable_target(output)
    resolved = _resolved(target)
    if resolved is None:
        raise OutputPathError(f"{output} is a symlink loop: remove it or choose another output path")
    inputs = {r for p in input_paths(data_dir) if (r := _resolved(p))} | ({_resolved(article)} if article else set())
    data_folder = _resolved(data_dir)
    if resolved in inputs or (data_folder is not None and resolved.is_relative_to(data_folder)):
        raise OutputPathError(f"output {output} is an input or inside the data folder {data_dir}: choose another path")
    return target


def case_article(data_dir: Path) -> Path | None:
    """The seed article the case's case.yaml names, or None (none named, or a case.yaml load_site will refuse)."""
    case = read_case(data_dir, [])
    return case.article_path if case is not None else None


def read_article(path: Path, *, named_by_case: bool = False) -> str:
    """The seed article, read like every input (regular file, size cap, UTF-8).

    One named on the command line may live anywhere. One named by case.yaml (whose author may not be the person
    building) may sit outside the case folder, but a symlink at its name must not lead out of the folder it names.
    """
    problems: list[Problem] = []
    text = read_text(path, problems, max_bytes=MAX_ARTICLE_BYTES, within=OWN_FOLDER if named_by_case else None)
    if text is None:
        raise DataValidationError(problems)
    return text


@contextmanager
def cyclic_collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the build.

    A bulk build makes millions of objects that hold no cycles (events, their intervals and citations, tuples,
    strings), and the collector's passes scan them all again each time the young objects outnumber its threshold:
    at 100,000 events, three interleaved runs on a quiet machine (27 November) took 5.0-6.9 s with the collector and
    4.2-5.6 s without it, at the same peak memory. Reference counting still frees everything that is not in a
    cycle; the few cycles a build makes (folium's elements and their parents) wait for the collector's next pass
    once it is on again. What runs inside must have let go of the build's records before it ends (see page_bytes):
    every object made while the collector was off is young to it, so the first pass after it is put back scans all
    that are still alive."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def page_bytes(data_dir: Path, article: str | None) -> bytes:
    """The page's bytes. The site (every record the build read) is freed by reference counting as this returns.

    So it is gone before build() puts the cyclic collector back: with the records still alive, the collector's first
    pass after the pause scanned them all, 0.41 s at 100,000 events and about 5 s at 10^6 (cProfile, 27 November),
    and was charged to no function of ours."""
    site = load_site(data_dir, article=article)
    return render_page_bytes(site)


def build(*, data_dir: Path, output: Path, article_path: Path | None, article_named_by_case: bool = False) -> int:
    """Validate data_dir, render the page and write it to output. Returns the number of bytes written."""
    target = check_output_path(output, data_dir=data_dir, article=article_path)
    article = read_article(article_path, named_by_case=article_named_by_case) if article_path is not None else None
    with cyclic_collection_paused():
        page = page_bytes(data_dir, article)
    write_file_atomically(target, page)
    return len(page)
