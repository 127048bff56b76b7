"""Build the map page from data/ and write it atomically; the previous map survives any failure."""

from __future__ import annotations

from pathlib import Path

from geo.atomic import write_file_atomically
from geo.errors import OutputPathError
from geo.render import render_page
from geo.site import load_site


def input_paths(data_dir: Path) -> list[Path]:
    """The files a build reads, for the output-equals-input check."""
    return [p for p in data_dir.rglob("*") if p.is_file()]


def check_output_path(output: Path, *, data_dir: Path, article: Path | None) -> None:
    """Refuse an output path that is an input (or inside the data folder) before doing any work."""
    resolved = output.resolve()
    inputs = {p.resolve() for p in input_paths(data_dir)} | ({article.resolve()} if article else set())
    if resolved in inputs or resolved.is_relative_to(data_dir.resolve()):
        raise OutputPathError(f"output {output} is an input or inside the data folder {data_dir}: choose another path")
    if resolved.is_dir():
        raise OutputPathError(f"output {output} is a folder: give a file name such as {output / 'map.html'}")


def build(*, data_dir: Path, output: Path, article_path: Path | None) -> int:
    """Validate data_dir, render the page and write it to output. Returns the number of bytes written."""
    check_output_path(output, data_dir=data_dir, article=article_path)
    article = article_path.read_text(encoding="utf-8") if article_path is not None else None
    site = load_site(data_dir, article=article)
    page = render_page(site).encode("utf-8")
    write_file_atomically(output, page)
    return len(page)
