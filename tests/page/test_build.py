"""The page as text: self-contained, deterministic, accessible, and never written over by a failed build."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from geo.casefile.case import read_case
from tests.conftest import ARTICLE, DATA, ROOT
from tests.pagekit import read_payload


def build(tmp_path: Path, data: Path = DATA, name: str = "map.html") -> Path:
    output = tmp_path / name
    assert main(["--data", str(data), "--output", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build(tmp_path_factory.mktemp("page")).read_text(encoding="utf-8")


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(tmp_path, name="a.html").read_bytes()
    second = build(tmp_path, name="b.html").read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_nothing_is_loaded_from_the_network(page: str) -> None:
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", page, re.IGNORECASE)
    assert "cdn.jsdelivr" not in page and "code.jquery.com" not in page and "cdnjs" not in page
    assert "sourceMappingURL" not in page


def test_page_is_lean(page: str) -> None:
    assert len(page.encode("utf-8")) < 1_000_000


def test_page_declares_language_title_and_description(page: str) -> None:
    assert '<html lang="en">' in page
    title = read_case(DATA, []).title  # type: ignore[union-attr]
    assert f"<title>{title}</title>" in page.replace("&amp;", "&")
    assert re.search(r'<meta name="description" content="[^"]{40,}">', page)


def test_csp_allows_exactly_the_inline_scripts_of_the_build(page: str) -> None:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert found is not None, "no CSP meta element"
    csp = found.group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) >= 3
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp and "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "https://tile.openstreetmap.org" in csp


def test_payload_carries_every_event_and_source(page: str) -> None:
    payload = read_payload(page)
    events_text = (DATA / "events.yaml").read_text(encoding="utf-8")
    assert len(payload["events"]) == len(re.findall(r"^  - id: ", events_text, re.MULTILINE))
    cited = {c["source"] for e in payload["events"] for c in e["sources"]}
    assert cited <= set(payload["sources"])
    assert all(e["when"]["label"] for e in payload["events"])


def test_output_equal_to_an_input_is_refused_before_any_work(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = data_copy / "events.yaml"
    before = target.read_bytes()
    assert main(["--data", str(data_copy), "--output", str(target)]) == 2
    assert "is an input" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_failed_build_keeps_the_previous_map(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = build(tmp_path, data=data_copy)
    before = output.read_bytes()
    events = data_copy / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace("category: case", "category: rumour", 1), encoding="utf-8"
    )
    assert main(["--data", str(data_copy), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"events\.yaml:\d+ \[[a-z0-9-]+\] category: expected one of case", err)
    assert "Traceback" not in err
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["map.html"]


def test_build_needs_no_raw_dataset_and_reads_only_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.derive.dcw

    monkeypatch.setattr(geo.derive.dcw, "DEBIAN_DCW_PATH", tmp_path / "absent.nc")
    assert build(tmp_path).stat().st_size > 100_000


@pytest.mark.article
def test_the_seed_article_is_the_one_case_yaml_names(
    article_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh clone: shared/ beside the checkout, case.yaml naming ../../shared/seed/article.txt."""
    data, shared = tmp_path / "clone" / "data", tmp_path / "shared" / "seed"
    shutil.copytree(DATA, data)
    shared.mkdir(parents=True)
    (shared / "article.txt").write_text(article_text, encoding="utf-8")
    claims = data / "claims.yaml"
    quoted = re.search(r'text: "([^"]{20,})"', claims.read_text(encoding="utf-8"))
    assert quoted is not None, "no quoted sentence of 20+ characters in claims.yaml"
    first = quoted.group(1)
    claims.write_text(claims.read_text(encoding="utf-8").replace(first, "Words the article never had."), "utf-8")
    output = ["--data", str(data), "--output", str(tmp_path / "m.html")]
    assert main(output) == 2  # the article beside the clone was read: the claims table no longer matches it
    assert "claims.yaml" in capsys.readouterr().err
    (shared / "article.txt").unlink()
    assert main(output) == 0  # not this repository's ../shared: the case's own path, now missing
    note = capsys.readouterr().err
    assert "seed article" in note and "not found" in note and "seed_article.path" in note
    assert main([*output, "--article", str(ARTICLE)]) == 2  # --article overrides case.yaml


@pytest.mark.article
def test_quotes_are_checked_against_the_seed_article(article_text: str, data_copy: Path, tmp_path: Path) -> None:
    events = data_copy / "events.yaml"
    text = events.read_text(encoding="utf-8")
    quoted = re.search(r'quote: "([^"]+)"', text)
    assert quoted is not None, "no quote in events.yaml"
    quote = quoted.group(1)
    assert quote in article_text
    events.write_text(text.replace(quote, quote + " and more", 1), encoding="utf-8")
    assert main(["--data", str(data_copy), "--output", str(tmp_path / "m.html"), "--article", str(ARTICLE)]) == 2


def test_building_never_imports_geopandas(tmp_path: Path) -> None:
    # A fresh interpreter builds the committed case; -X importtime lists every module it imported.
    output = tmp_path / "map.html"
    run = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-X", "importtime", str(ROOT / "build_map.py"), "--output", str(output)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "geo.page.render" in imported and output.is_file()  # the build ran and was traced
    assert not {name for name in imported if name.split(".")[0] == "geopandas"}


def test_the_build_runs_with_the_cyclic_collector_paused_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The collector's passes over a bulk build's millions of records were about a sixth of it at 100,000 events
    # (geo.page.build.cyclic_collection_paused): paused while records are read and the page is made, and put back as
    # it was, after a failed build too.
    import gc

    import geo.page.build as page_build
    from geo.page.render import render_page_bytes as real_render

    seen: list[bool] = []

    def render(site: object) -> bytes:
        seen.append(gc.isenabled())
        return real_render(site)  # type: ignore[arg-type]

    monkeypatch.setattr(page_build, "render_page_bytes", render)
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            assert main(["--data", str(DATA), "--output", str(tmp_path / "map.html")]) == 0
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert seen == [False, False]

    def failing(site: object) -> bytes:
        raise MemoryError("out of memory while rendering")

    monkeypatch.setattr(page_build, "render_page_bytes", failing)
    with pytest.raises(MemoryError):
        page_build.build(data_dir=DATA, output=tmp_path / "map.html", article_path=None)
    assert gc.isenabled()


def test_the_records_are_freed_before_the_cyclic_collector_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every object made while the collector was paused is young to it, so its first pass after the pause scans all
    # that are still alive: with the site held until then, 0.41 s at 100,000 events and about 5 s at 10^6.
    import gc
    import types
    import weakref

    import geo.page.build as page_build
    from geo.page.site import load_site as real_load_site

    sites: list[weakref.ref[object]] = []
    alive_when_put_back: list[bool] = []

    def load_site(*args: Any, **kwargs: Any) -> Any:
        site = real_load_site(*args, **kwargs)
        sites.append(weakref.ref(site))
        return site

    def enable() -> None:
        alive_when_put_back.append(any(ref() is not None for ref in sites))
        gc.enable()

    monkeypatch.setattr(page_build, "load_site", load_site)
    monkeypatch.setattr(
        page_build, "gc", types.SimpleNamespace(isenabled=gc.isenabled, disable=gc.disable, enable=enable)
    )
    gc.enable()
    assert page_build.build(data_dir=DATA, output=tmp_path / "map.html", article_path=None) > 0
    assert len(sites) == 1 and alive_when_put_back == [False]
    assert gc.isenabled()
