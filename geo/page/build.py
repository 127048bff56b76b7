"""Build the map page from data/ and write it atomically; the previous map survives any failure."""

from __future__ import annotations

from pathlib import Path

from geo.common.atomic import writable_target, write_file_atomically
from geo.common.errors import DataValidationError, OutputPathError, Problem
from geo.common.safefiles import MAX_ARTICLE_BYTES, read_text
from geo.page.render import render_page
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


def read_article(path: Path) -> str:
    """The seed article, read like every input (regular file, size cap, UTF-8); it may live anywhere."""
    problems: list[Problem] = []
    text = read_text(path, problems, max_bytes=MAX_ARTICLE_BYTES, within=None)
    if text is None:
        raise DataValidationError(problems)
    return text


def build(*, data_dir: Path, output: Path, article_path: Path | None) -> int:
    """Validate data_dir, render the page and write it to output. Returns the number of bytes written."""
    target = check_output_path(output, data_dir=data_dir, article=article_path)
    article = read_article(article_path) if article_path is not None else None
    site = load_site(data_dir, article=article)
    page = render_page(site).encode("utf-8")
    write_file_atomically(target, page)
    return len(page)
