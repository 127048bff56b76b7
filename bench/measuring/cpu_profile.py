"""A CDP CPU profile of one page load, summarised by function and by script (Leaflet, casemap.js, folium's)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any


def script_ranges(html: str) -> list[tuple[int, int, str]]:
    """0-based line ranges of each inline <script> in a built page, labelled by what it is."""
    ranges = []
    for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", html, re.DOTALL):
        kind = re.search(r'type="([^"]*)"', match.group("attrs"))
        if kind and kind.group(1) not in ("text/javascript", "module"):
            continue  # a data block, not code
        body = match.group("body")
        first = html.count("\n", 0, match.start("body"))
        last = first + body.count("\n")
        # The page's own script is minified (assets.casemap_js_inlined): no comment survives, its code does.
        if "Casemap.start=function" in body or "casemap: the case application" in body:
            label = "casemap.js"
        elif "Leaflet" in body[:2000] and "leafletjs" in body[:4000]:
            label = "Leaflet"
        elif "Casemap.start(" in body or "L.map(" in body or "_add(" in body:
            label = "folium map + layer script"
        else:
            label = "other inline script"
        ranges.append((first, last, label))
    return ranges


def _label_for(frame: dict[str, Any], ranges: list[tuple[int, int, str]], page_url: str, lines: list[str]) -> str:
    name = frame.get("functionName") or "(anonymous)"
    url = frame.get("url") or ""
    if name.startswith("(") and not url:
        return name  # (program), (idle), (garbage collector), (root)
    if url != page_url:
        if not url and name == "wrapped":
            return "(bench wrapper around Casemap.start)"
        return f"native/other: {name}" if not url else f"{name} [{url.rsplit('/', 1)[-1]}]"
    line = frame.get("lineNumber", -1)
    for first, last, label in ranges:
        if first <= line <= last:
            if name == "(anonymous)" and label == "casemap.js" and 0 <= line < len(lines):
                # Name a callback by the line it is written on (line numbers within the built casemap script).
                return f"{label}: (anonymous) L{line - first} {lines[line].strip()[:70]}"
            return f"{label}: {name}"
    return f"page: {name}"


def cpu_profile_summary(profile: dict[str, Any], html_path: Path) -> dict[str, Any]:
    """Self and inclusive time per function (ms), and self time per script, from a CDP Profiler profile."""
    html = html_path.read_text(encoding="utf-8")
    ranges = script_ranges(html)
    page_url = html_path.resolve().as_uri()
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent: dict[int, int] = {}
    for node in profile["nodes"]:
        for child in node.get("children", []):
            parent[child] = node["id"]
    lines = html.split("\n")
    labels = {nid: _label_for(node["callFrame"], ranges, page_url, lines) for nid, node in nodes.items()}
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    # timeDeltas[i] is the time before sample i; charge each sample the time until the next one.
    durations = [(deltas[i + 1] if i + 1 < len(deltas) else 0) / 1000.0 for i in range(len(samples))]
    self_ms: dict[str, float] = defaultdict(float)
    inclusive_ms: dict[str, float] = defaultdict(float)
    by_script: dict[str, float] = defaultdict(float)
    for sample, duration in zip(samples, durations, strict=True):
        label = labels[sample]
        self_ms[label] += duration
        by_script[label.split(":", 1)[0] if ":" in label else label] += duration
        seen = set()
        node = sample
        while node in nodes:
            name = labels[node]
            if name not in seen and name != "(root)":
                inclusive_ms[name] += duration
                seen.add(name)
            node = parent.get(node, -1)
    total = sum(durations)
    busy = total - self_ms.get("(idle)", 0.0)
    return {
        "total_ms": total,
        "busy_ms": busy,
        "self": sorted(self_ms.items(), key=lambda kv: kv[1], reverse=True),
        "inclusive": sorted(inclusive_ms.items(), key=lambda kv: kv[1], reverse=True),
        "by_script": sorted(by_script.items(), key=lambda kv: kv[1], reverse=True),
    }
