"""The page's JSON-LD: one schema.org ClaimReview per claim of the events file and a Dataset, and nothing in the data
can end its script element. The claims are read from events.yaml here with PyYAML, not through geo.casefile."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_map import main
from geo.page import audit
from tests.conftest import DATA
from tests.datakit import replace_in
from tests.hostilekit import HOSTILE


class _Scripts(HTMLParser):
    """Every <script> element as a browser's tokenizer sees it: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open = dict(attrs)
            self.found.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.found[-1]
            self.found[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def linked_data_blocks(page: str) -> list[str]:
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return [text for attrs, text in parser.found if attrs == {"type": "application/ld+json"}]


def graph(page: str) -> list[dict[str, Any]]:
    blocks = linked_data_blocks(page)
    assert len(blocks) == 1, f"expected one JSON-LD block in the page, found {len(blocks)}"
    document = json.loads(blocks[0])
    assert document["@context"] == "https://schema.org"
    return list(document["@graph"])


def of_type(nodes: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [node for node in nodes if node["@type"] == kind]


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506 - strings, lists, dicts only


def build(data: Path, output: Path, *extra: str) -> str:
    assert main(["--data", str(data), "--output", str(output), *extra]) == 0
    return output.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build(DATA, tmp_path_factory.mktemp("linked") / "map.html")


def test_every_claim_in_the_events_file_has_a_claim_review(page: str) -> None:
    case = read_yaml(DATA / "case.yaml")
    seed, publisher = case["seed_article"], case["publisher"]
    claims = sorted(
        (event["id"], claim["quote"], claim["status"])
        for event in read_yaml(DATA / "events.yaml")["events"]
        for claim in event.get("claims", [])
    )
    assert len(claims) > 10
    reviews = of_type(graph(page), "ClaimReview")
    found = sorted(
        (review["url"].removeprefix("#event="), review["claimReviewed"], review["reviewRating"]["alternateName"])
        for review in reviews
    )
    assert found == claims
    nodes = by_id(graph(page))
    for review in reviews:
        assert review["url"].startswith("#event=")  # the case declares no canonical_url: page-relative
        assert resolve(review["author"], nodes) == {"@type": "Organization", "name": publisher["name"]}
        assert review["reviewRating"]["@type"] == "Rating"
        assert "ratingValue" not in review["reviewRating"]  # the statuses are no numeric scale (linkeddata.py)
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim"
        assert claim["datePublished"] == seed["published"]
        assert resolve(claim["author"], nodes) == {"@type": "Organization", "name": seed["outlet"]}
        appearance = resolve(claim["appearance"], nodes)
        assert appearance["@type"] == "CreativeWork"
        assert appearance["url"] == seed["url"]
        assert appearance["datePublished"] == seed["published"]
        assert appearance["headline"] == seed["title"]
        assert resolve(appearance["publisher"], nodes) == {"@type": "Organization", "name": seed["outlet"]}


def by_id(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The graph's nodes that declare an ``@id``, by it; an id declared twice fails (one node per id)."""
    declared = [node["@id"] for node in nodes if "@id" in node]
    assert len(declared) == len(set(declared)), f"an @id is declared twice: {declared}"
    return {node["@id"]: node for node in nodes if "@id" in node}


def resolve(value: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A reference ``{"@id": ...}`` (nothing else in it) replaced by the node it names, without its ``@id``."""
    assert set(value) == {"@id"}, f"expected a reference to a node declared once, found {value}"
    assert value["@id"] in nodes, f"{value['@id']} names no node of the graph"
    return {key: item for key, item in nodes[value["@id"]].items() if key != "@id"}


def test_shared_nodes_are_declared_once_and_every_reference_resolves(page: str) -> None:
    """The publisher, the seed article and its outlet appear once each; no review repeats them (issue #18's budget)."""
    nodes = graph(page)
    declared = by_id(nodes)
    assert len(of_type(nodes, "CreativeWork")) == 1
    assert len(of_type(nodes, "Organization")) == 2  # the map's publisher and the seed article's outlet
    references = [ref for node in nodes for ref in _references(node)]
    assert len(references) >= 3 * len(of_type(nodes, "ClaimReview"))  # author, claim author, appearance
    assert set(references) <= set(declared)
    assert set(declared) <= set(references)  # nothing declared that nothing uses
    block = linked_data_blocks(page)[0]
    assert block.count('"@type":"CreativeWork"') == 1 and block.count('"headline"') == 1


def _references(value: Any) -> list[str]:
    """Every ``@id`` that a node refers to (inside it, not the node's own)."""
    if isinstance(value, list):
        return [ref for item in value for ref in _references(item)]
    if not isinstance(value, dict):
        return []
    if set(value) == {"@id"}:
        return [value["@id"]]
    return [ref for key, item in value.items() if key != "@id" for ref in _references(item)]


def test_each_claim_has_exactly_one_review(page: str) -> None:
    """One ClaimReview per claim of events.yaml: no claim reviewed twice, none left out, the quote as the claim."""
    claims = [
        (event["id"], claim["quote"])
        for event in read_yaml(DATA / "events.yaml")["events"]
        for claim in event.get("claims", [])
    ]
    reviewed = [
        (review["url"].removeprefix("#event="), review["claimReviewed"])
        for review in of_type(graph(page), "ClaimReview")
    ]
    assert len(reviewed) == len(set(reviewed)) == len(claims) == len(set(claims))
    assert set(reviewed) == set(claims)
    for review in of_type(graph(page), "ClaimReview"):
        # Google's required properties, and no reviewBody (linkeddata.claim_review says why).
        assert {"claimReviewed", "reviewRating", "url"} <= set(review)
        assert "reviewBody" not in review


def test_one_dataset_describes_the_case_data(page: str) -> None:
    case = read_yaml(DATA / "case.yaml")
    datasets = of_type(graph(page), "Dataset")
    assert len(datasets) == 1
    dataset = datasets[0]
    assert dataset["name"] == case["title"]
    assert dataset["description"] == " ".join(case["description"].split())
    assert resolve(dataset["publisher"], by_id(graph(page)))["name"] == case["publisher"]["name"]
    assert "license" not in dataset  # the case names no licence, and the page invents none
    starts = [event["when"]["start"] for event in read_yaml(DATA / "events.yaml")["events"]]
    assert dataset["temporalCoverage"].split("/")[0] == min(starts)


def test_a_declared_canonical_url_and_licence_reach_the_json_ld(data_copy: Path, tmp_path: Path) -> None:
    replace_in(
        data_copy / "case.yaml",
        "publisher:\n  name: casemap\n",
        "publisher:\n  name: Example Desk\n  url: https://example.org/\n"
        "  canonical_url: https://example.org/maps/case.html\n"
        "  licence: https://creativecommons.org/licenses/by/4.0/\n",
    )
    nodes = graph(build(data_copy, tmp_path / "map.html"))
    reviews = of_type(nodes, "ClaimReview")
    assert reviews
    declared = by_id(nodes)
    for review in reviews:
        assert re.fullmatch(r"https://example\.org/maps/case\.html#event=[a-z0-9-]+", review["url"]), review["url"]
        author = {"@type": "Organization", "name": "Example Desk", "url": "https://example.org/"}
        assert resolve(review["author"], declared) == author
    # The shared nodes' ids live at the page's declared address too.
    assert all(key.startswith("https://example.org/maps/case.html#") for key in declared)
    (dataset,) = of_type(nodes, "Dataset")
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["url"] == "https://example.org/maps/case.html"


def test_a_publisher_url_that_is_no_web_address_is_refused_with_its_line(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_in(data_copy / "case.yaml", "publisher:\n  name: casemap\n", "publisher:\n  name: x\n  url: javascript:1\n")
    output = tmp_path / "map.html"
    assert main(["--data", str(data_copy), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"case\.yaml:\d+.*publisher\.url", err), err
    assert not output.exists()


def test_hostile_quotes_stay_text_inside_the_json(hostile_map: Path) -> None:
    page = hostile_map.read_text(encoding="utf-8")
    (block,) = linked_data_blocks(page)
    assert "<" not in block and ">" not in block and "\u2028" not in block
    nodes = graph(page)
    reviews = of_type(nodes, "ClaimReview")
    # Every hostile string comes back whole from the JSON: among them '</script><script>window.__pwned=1</script>'.
    assert {review["claimReviewed"] for review in reviews} == {text[:200] for text in HOSTILE}
    declared = by_id(nodes)
    assert {resolve(review["author"], declared)["name"] for review in reviews} == {HOSTILE[1]}  # the case's publisher
    assert resolve(of_type(nodes, "Dataset")[0]["publisher"], declared)["name"] == HOSTILE[1]
    # And the page's scripts are the build's: the hostile quotes opened no element (html.parser's reading).
    assert [attrs for attrs, _ in _all_scripts(page)] == [
        {"type": "application/ld+json"},
        {},
        {},
        {"type": "application/gzip+base85", "id": "casemap-data"},
        {},
    ]


def _all_scripts(page: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser.found


def _page(extra: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head>{extra}</head><body>'
        '<script type="application/gzip+base85" id="casemap-data">QUJD</script></body></html>'
    )


def test_check_page_allows_exactly_the_intended_json_ld() -> None:
    intended = audit.IntendedCode(scripts=(), styles=(), linked_data=('{"a":"\\u003c/script>"}',))
    audit.check_page(_page('<script type="application/ld+json">{"a":"\\u003c/script>"}</script>'), intended)
    refused = [
        ('<script type="application/ld+json">{"a":"other"}</script>', "did not write"),
        ("", "missing or changed"),
        ('<script type="application/ld+json">{"a":"</b>"}</script>', "attributes"),  # a '<' in it: not ours
        ('<script type="application/ld+json" id="x">{"a":"\\u003c/script>"}</script>', "attributes"),
    ]
    for extra, fault in refused:
        with pytest.raises(audit.PageIntegrityError, match=re.escape(fault)):
            audit.check_page(_page(extra), intended)
