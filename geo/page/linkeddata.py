"""The page's machine-readable record: one schema.org ClaimReview per checked claim, and a Dataset for the case data.

Fact-checkers share one form for verdicts, schema.org's ClaimReview (https://schema.org/ClaimReview); Google's
guide to it (developers.google.com/search/docs/appearance/structured-data/factcheck) requires ``claimReviewed``,
``reviewRating.alternateName`` and ``url``, and recommends ``author``, ``datePublished`` and ``itemReviewed`` (a
Claim with its ``appearance``, ``author`` and ``datePublished``); it names no other property, so ``reviewBody`` is
left out (the reasoning is on the page itself, ``claim_review``). The guide also says Google Search is phasing out
ClaimReview results; Google's Fact Check Explorer still reads the markup.

The rating carries no number. schema.org's Rating takes a ``ratingValue`` on a ``worstRating``..``bestRating``
scale, and Google asks that a numeric scale be documented ("a number to text rating system"); but the map's four
statuses (docs/claim-statuses.md) are not points on one line: *unverified* says no independent source was found,
not that the claim is half true, and *disputed* says the sources disagree. A number would claim an order the
verdicts do not have, so ``alternateName`` (the status word, the only value Google shows) stands alone.

The block is built here with json.dumps and put into the rendered page by render.py, never through a folium or
branca template (docs/security.md). ``script_json`` escapes every character that could end or change the script
element (HTML's "script data" state ends at ``</script`` and treats ``<!--`` specially): audit.check_page then
allows exactly this block, which browsers do not execute (a script whose type is not a JavaScript MIME type is a
data block: HTML Living Standard, "the script element").
"""

from __future__ import annotations

import json
from typing import Any

from geo.casefile.case import Case, Publisher
from geo.casefile.records import Claim, Event
from geo.page.site import Site

LINKED_DATA_TYPE = "application/ld+json"
SCHEMA_ORG = "https://schema.org"
# Characters replaced by their JSON escapes. Inside a JSON string '\u003c' is the same '<' to every JSON reader,
# but to the HTML parser the text holds no '<' at all, so no '</script', '<!--' or '<script' can form; '>' and
# '&' are escaped alike for readers that scan for them, and U+2028/U+2029 (JSON allows them raw, older
# JavaScript string literals do not) so the text stays valid wherever it is pasted.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no character of it can end the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return "".join(_SCRIPT_ESCAPES.get(char, char) for char in text)


def event_link(event_id: str, publisher: Publisher | None) -> str:
    """The event's deep link (js/link.js reads ``#event=ID``), absolute when the case says where the page lives."""
    fragment = f"#event={event_id}"  # an id is a validated slug: nothing in it needs escaping in a URL
    if publisher is None or publisher.canonical_url is None:
        return fragment
    return publisher.canonical_url.split("#", 1)[0] + fragment


# The nodes every review shares are declared once in the graph and referenced by "@id" (JSON-LD 1.1, section 4.5
# "Embedding" and 3.3 "Node Identifiers"): 44 reviews repeated the seed article and its outlet 44 times, 20 KB of a
# page with a 600 KB budget (issue #18). The ids are fragments of the page itself, made absolute by the case's
# canonical_url when it declares one, so they never name a node outside this document.
PUBLISHER_ID = "casemap-publisher"
SEED_ARTICLE_ID = "casemap-seed-article"
SEED_OUTLET_ID = "casemap-seed-outlet"


def node_id(name: str, publisher: Publisher | None) -> str:
    """A node's ``@id``: ``#name`` in the page, absolute when the case says where the page lives."""
    if publisher is None or publisher.canonical_url is None:
        return f"#{name}"
    return publisher.canonical_url.split("#", 1)[0] + f"#{name}"


def reference(name: str, records: Case) -> dict[str, str]:
    """A reference to a node declared once in the graph (``shared_nodes``)."""
    return {"@id": node_id(name, records.publisher)}


def _organisation(name: str, url: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Organization", "name": name}
    if url is not None:
        out["url"] = url
    return out


def shared_nodes(records: Case) -> list[dict[str, Any]]:
    """The publisher, the seed article and its outlet, each once, with the ``@id`` the reviews refer to."""
    nodes: list[dict[str, Any]] = []
    if (publisher := records.publisher) is not None:
        nodes.append({"@id": node_id(PUBLISHER_ID, publisher), **_organisation(publisher.name, publisher.url)})
    if (seed := records.seed_article) is not None:
        nodes.append({"@id": node_id(SEED_OUTLET_ID, publisher), **_organisation(seed.outlet)})
        article: dict[str, Any] = {
            "@id": node_id(SEED_ARTICLE_ID, publisher),
            "@type": "CreativeWork",
            "headline": seed.title,
            "datePublished": seed.published,
            "publisher": reference(SEED_OUTLET_ID, records),
        }
        if seed.url is not None:
            article["url"] = seed.url
        nodes.append(article)
    return nodes


def _claim_node(records: Case) -> dict[str, Any]:
    """The claim as the seed article made it: the article is where it appeared, its outlet said it."""
    seed = records.seed_article
    if seed is None:
        return {"@type": "Claim"}
    return {
        "@type": "Claim",
        "appearance": reference(SEED_ARTICLE_ID, records),
        "author": reference(SEED_OUTLET_ID, records),
        "datePublished": seed.published,
    }


def claim_review(event: Event, claim: Claim, records: Case) -> dict[str, Any]:
    """One ClaimReview: the quote, the verdict as its status word, and the event's deep link, where the reasoning is.

    No ``reviewBody``: Google's guide neither requires nor recommends it (module docstring), and the reasoning
    (claim.reason, 13 KB for this case's 44 claims) is on the page the ``url`` opens, in the claim's card. Even with
    the shared nodes declared once the page stayed over its 600 KB budget with it (613 KB; issue #18).
    """
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "claimReviewed": claim.quote,
        "itemReviewed": _claim_node(records),
        "reviewRating": {"@type": "Rating", "alternateName": claim.status},
        "url": event_link(event.id, records.publisher),
    }
    if records.publisher is not None:
        review["author"] = reference(PUBLISHER_ID, records)
    return review


def dataset(site: Site) -> dict[str, Any]:
    """The case data as a schema.org Dataset: what it is, who publishes it, its licence, the time and area it covers."""
    records = site.records
    bounds = records.view.bounds
    out: dict[str, Any] = {
        "@type": "Dataset",
        "name": records.title,
        "description": records.description,
        "isAccessibleForFree": True,
        # schema.org GeoShape box: "south west north east" (https://schema.org/box).
        "spatialCoverage": {
            "@type": "Place",
            "geo": {"@type": "GeoShape", "box": f"{bounds.south:g} {bounds.west:g} {bounds.north:g} {bounds.east:g}"},
        },
    }
    events = site.case.events
    if events:
        # An ISO 8601 interval from the earliest event's first possible day to the latest one's last.
        out["temporalCoverage"] = f"{min(e.when.start for e in events)}/{max(e.when.end for e in events)}"
    if records.publisher is not None:
        out["creator"] = out["publisher"] = reference(PUBLISHER_ID, records)
    if records.publisher is not None and records.publisher.licence is not None:
        out["license"] = records.publisher.licence
    if records.publisher is not None and records.publisher.canonical_url is not None:
        out["url"] = records.publisher.canonical_url
    return out


def linked_data(site: Site) -> dict[str, Any]:
    """The JSON-LD document: the Dataset, the nodes the reviews share, then one ClaimReview per claim in event order."""
    reviews = [claim_review(event, claim, site.records) for event in site.case.events for claim in event.claims]
    return {"@context": SCHEMA_ORG, "@graph": [dataset(site), *shared_nodes(site.records), *reviews]}


def linked_data_element(body: str) -> str:
    """The script element that carries ``body`` (a ``script_json`` text: it holds no '<')."""
    if "<" in body:
        raise ValueError("linked data must come from script_json: it holds a '<' that could end its element")
    return f'<script type="{LINKED_DATA_TYPE}">{body}</script>'
