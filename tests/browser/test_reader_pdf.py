"""`python3 tasks.py pdf` (casepdf.write_pdf): the printed case holds every event title and every source's full
address as text (issue #13), read back from the PDF with pypdf; expectations from data/events.yaml and sources.yaml."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from build_map import main
from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.browser


def squeezed(text: str) -> str:
    # Lines wrap anywhere in a long address and between words in a title: compare without any whitespace. The font
    # sets "fi", "ff", "ffi" as ligatures, which the PDF's text keeps (U+FB01...): NFKC spells them out again.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_the_pdf_holds_every_event_title_and_every_source_url(tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    assert main(["--data", str(DATA), "--output", str(page)]) == 0
    # As `tasks.py pdf` runs it: its own process, since a Playwright session of the other browser tests may be
    # running in this one (the sync API refuses to start inside another's event loop).
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "casepdf.py"), str(page), str(tmp_path / "case.pdf")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    pages = int(re.search(r"\((\d+) pages", done.stdout).group(1))  # type: ignore[union-attr]
    reader = PdfReader(tmp_path / "case.pdf")
    assert pages == len(reader.pages) > 2
    first = reader.pages[0].extract_text()
    text = squeezed("\n".join(p.extract_text() for p in reader.pages))
    events = yaml.safe_load((DATA / "events.yaml").read_text(encoding="utf-8"))["events"]
    sources = yaml.safe_load((DATA / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    missing_titles = [e["title"] for e in events if squeezed(e["title"]) not in text]
    urls = [s[key] for s in sources for key in ("url", "via") if s.get(key)]
    missing_urls = [url for url in urls if squeezed(url) not in text]
    assert missing_titles == [] and missing_urls == [], (missing_titles, missing_urls)
    # The first page is the map's: the title, its key; not the screen's controls.
    assert "Map key" in first and "Zoom in" not in first and "Copy link" not in text
    # The printed link names the file and the view, never the reader's folders.
    assert squeezed("This view: map.html#") in text and "file:" not in text
