"""Print the built map to a PDF with the browser the tests use (Debian's Chromium, headless, driven by Playwright).

python casepdf.py output/map.html output/case.pdf [--fragment '#event=...']

The page is opened offline (every request that is not a local file is refused), switched to print media, which makes
the page lay itself out for print (geo/page/static/js/print.js), and printed on A4 by Chromium (Playwright page.pdf).
The PDF is written beside its target and moved into place, so a failed print leaves the previous PDF untouched.
`python3 tasks.py pdf` builds the map first when it is missing or older than its inputs, then calls this.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from headless import launch_chromium

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
READY = "html[data-casemap-ready='true']"
PRINT_READY = "html[data-casemap-print='ready']"


def refuse_network(route: Any) -> None:
    if route.request.url.startswith(LOCAL_SCHEMES):
        route.continue_()
    else:
        route.abort()


def print_page(page_path: Path, fragment: str = "") -> bytes:
    """The PDF of the page at ``page_path`` (its link state given by ``fragment``), laid out for print."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.route("**/*", refuse_network)
            page.goto(page_path.resolve().as_uri() + fragment)
            page.wait_for_selector(READY, state="attached", timeout=30_000)
            page.emulate_media(media="print")
            page.wait_for_selector(PRINT_READY, state="attached", timeout=30_000)
            pdf: bytes = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()
    return pdf


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def write_pdf(page_path: Path, pdf_path: Path, fragment: str = "") -> int:
    """Write the PDF of the page to ``pdf_path`` (atomically) and return its page count."""
    data = print_page(page_path, fragment)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=".case-", suffix=".pdf", dir=pdf_path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        pages = page_count(Path(scratch))
        Path(scratch).replace(pdf_path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the built map page (output/map.html)")
    parser.add_argument("pdf", type=Path, help="where to write the PDF (output/case.pdf)")
    parser.add_argument(
        "--fragment",
        default="",
        help="a link's state to print, as in '#event=...&view=...'; lang=ru or lang=zh: the PDF in that language",
    )
    args = parser.parse_args(argv)
    if not args.page.is_file():
        print(f"error: no map page at {args.page}: build it first with `python3 tasks.py map`", file=sys.stderr)
        return 2
    pages = write_pdf(args.page, args.pdf, args.fragment)
    print(f"wrote {args.pdf} ({pages} pages, {args.pdf.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
