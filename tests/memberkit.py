"""Template syntax and script-closing text in every member of every input file: nothing is ever evaluated.

Every input file the build reads or could read (data/layers/*.geojson, data/manifest.json, every data/*.yaml)
is parsed into a tree; its members are grouped by path pattern (list indices collapsed to ``*``), and for each
pattern a hostile value replaces every scalar it matches (value variants), or a hostile member is added to
every mapping it matches (name variants: foreign members in geometry objects, properties, the manifest, ...).
Each variant goes through the build's own validation; the build must then either refuse it with located
problems (exit 2, DataValidationError) or accept it. Accepted variants are built together into one page,
which must hold exactly the scripts of the clean build, no evaluated template, and no marker file; the page
is then opened in Chromium (test_the_page_with_every_accepted_payload_runs_none_of_them).

The machinery for tests/page/test_every_member.py and tests/browser/test_every_member_page.py.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from geo.common import geojson
from geo.common.errors import DataValidationError, Problem
from geo.page import site
from geo.page.build import build
from geo.page.site import load_site
from tests.conftest import DATA

MARKER = Path("/tmp/casemapEveryMemberMarker")  # noqa: S108 - the path the payloads would create
# Quote-free Jinja: folium's tojson turns quotes into \u0027, which would stop a quoted payload from parsing
# as a template at all, so the quote-free forms are the ones that would really run there.
EVALUATES = "{{ dict(cm=1)|first ~ dict(evaluated=1)|first }}"
OS = "cycler.__init__.__globals__.os"
MAKES_MARKER = f"{{{{ {OS}.mkdir({OS}.sep ~ dict(tmp=1)|first ~ {OS}.sep ~ dict(casemapEveryMemberMarker=1)|first) }}}}"
SCRIPT = "</script><script>window.__cmPwned=1</script>"
PAYLOADS = [  # longest first: a field with a length limit gets the next shorter one
    " ".join(
        [
            "{{ 'cm' ~ 'evaluated' }}",
            EVALUATES,
            "{% set x = 1 %}{{ x }}",
            SCRIPT,
            MAKES_MARKER,
            f"{{{{ {OS}.mkdir('{MARKER}') }}}}",
            "<img src=x onerror=window.__cmPwned=1>",
        ]
    ),
    EVALUATES + SCRIPT,
    EVALUATES,
]
MEMBER_NAME = EVALUATES + SCRIPT


def input_files(data: Path) -> list[Path]:
    return sorted(data.glob("*.yaml")) + sorted((data / "layers").glob("*.geojson")) + [data / "manifest.json"]


def parse(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    # BaseLoader: every scalar stays text, as the build's own YAML loader reads it; it builds no objects.
    return yaml.load(text, Loader=yaml.BaseLoader) if path.suffix == ".yaml" else json.loads(text)  # noqa: S506


def serialise(path: Path, tree: Any) -> str:
    """Write a tree back: YAML files as JSON (a subset of YAML), layers one feature per line."""
    if path.suffix == ".geojson" and isinstance(tree, dict) and isinstance(tree.get("features"), list):
        rest = {k: v for k, v in tree.items() if k != "features"}
        head = json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[:-1]
        lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in tree["features"]]
        return head + (',"features":[\n' if rest else '"features":[\n') + ",\n".join(lines) + "\n]}\n"
    return json.dumps(tree, ensure_ascii=False, indent=1) + "\n"


Pattern = tuple[str, ...]


def patterns(node: Any, path: Pattern = ()) -> Iterator[tuple[Pattern, str]]:
    """Every (path pattern, kind) in a tree, list indices collapsed to '*'; kind is 'mapping' or 'scalar'."""
    if isinstance(node, dict):
        yield path, "mapping"
        for key, value in node.items():
            yield from patterns(value, (*path, key))
    elif isinstance(node, list):
        for value in node:
            yield from patterns(value, (*path, "*"))
    else:
        yield path, "scalar"


def matches(node: Any, pattern: Pattern) -> Iterator[tuple[Any, Any]]:
    """(container, key) of every member the pattern names; () names the root, which has no container."""
    head, rest = pattern[0], pattern[1:]
    keys: list[Any] = []
    if head == "*" and isinstance(node, list):
        keys = list(range(len(node)))
    elif isinstance(node, dict) and head in node:
        keys = [head]
    for key in keys:
        if rest:
            yield from matches(node[key], rest)
        else:
            yield node, key


@dataclass(frozen=True)
class Variant:
    file: str  # relative to the data folder
    pattern: Pattern
    kind: str  # "value" or "name"
    payload: str

    def apply(self, tree: Any) -> Any:
        if self.kind == "name" and not self.pattern:
            tree[MEMBER_NAME] = self.payload
            return tree
        for container, key in list(matches(tree, self.pattern)):
            if self.kind == "value":
                container[key] = self.payload
            elif isinstance(container[key], dict):
                container[key][MEMBER_NAME] = self.payload
        return tree


class Workspace:
    """A copy of data/ with its YAML in JSON form; writes variants in, reseals the manifest, restores."""

    def __init__(self, root: Path) -> None:
        self.data = root / "data"
        shutil.copytree(DATA, self.data)
        for path in self.data.glob("*.yaml"):
            path.write_text(serialise(path, parse(path)), encoding="utf-8")
        self.trees = {str(p.relative_to(self.data)): parse(p) for p in input_files(self.data)}
        self.originals = {name: (self.data / name).read_bytes() for name in self.trees}
        self.written: set[str] = set()

    def write(self, variants: list[Variant]) -> None:
        trees: dict[str, Any] = {}
        self.written = {variant.file for variant in variants} | {"manifest.json"}
        for variant in variants:
            tree = trees.get(variant.file) or copy.deepcopy(self.trees[variant.file])
            trees[variant.file] = variant.apply(tree)
        for name, tree in trees.items():
            (self.data / name).write_text(serialise(self.data / name, tree), encoding="utf-8")
        changed_layers = [name for name in trees if name.startswith("layers/")]
        if changed_layers:
            # Recompute the checksums the way regenerate would, so the payload reaches rendering.
            # By layer name, as the build looks entries up (a payload may have replaced the "file" member).
            manifest_tree = trees.get("manifest.json") or copy.deepcopy(self.trees["manifest.json"])
            for name in changed_layers:
                entry = (
                    manifest_tree.get("layers", {}).get(Path(name).stem) if isinstance(manifest_tree, dict) else None
                )
                if isinstance(entry, dict):
                    entry["sha256"] = hashlib.sha256((self.data / name).read_bytes()).hexdigest()
            (self.data / "manifest.json").write_text(serialise(self.data / "manifest.json", manifest_tree))

    def restore(self) -> None:
        for name in self.written:
            (self.data / name).write_bytes(self.originals[name])


def all_variants(workspace: Workspace) -> list[Variant]:
    found: list[Variant] = []
    for name, tree in workspace.trees.items():
        seen: set[tuple[Pattern, str]] = set()
        for pattern, kind in patterns(tree):
            if (pattern, kind) not in seen:
                seen.add((pattern, kind))
                found.append(Variant(name, pattern, "value" if kind == "scalar" else "name", PAYLOADS[0]))
    return found


class LayerCache:
    """read_layer, remembered by file content: the same bytes always validate the same way.

    Only clean reads are remembered, so every problem is still reported by read_layer itself. Without this,
    each variant would validate all seven unchanged layers again (most of the test's time).
    """

    def __init__(self) -> None:
        self.layers: dict[tuple[str, bytes], geojson.Layer] = {}

    def read_layer(self, path: Path, problems: list[Problem], *, within: Path | None = None) -> geojson.Layer | None:
        key = (str(path), hashlib.sha256(path.read_bytes()).digest())
        if key in self.layers:
            return self.layers[key]
        before = len(problems)
        layer = READ_LAYER(path, problems, within=within)
        if layer is not None and len(problems) == before:
            self.layers[key] = layer
        return layer


READ_LAYER = geojson.read_layer


def validation_outcome(workspace: Workspace, variants: list[Variant]) -> DataValidationError | None:
    """Run the build's validation on the variant; None when it accepts, the located refusal otherwise."""
    workspace.write(variants)
    try:
        load_site(workspace.data, article=None)
    except DataValidationError as error:
        return error
    finally:
        workspace.restore()
    return None


class ScriptBodies(HTMLParser):
    """The executable <script> elements of a page (no type attribute), read independently of geo.page.render."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[str] = []
        self._in: list[tuple[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in = attrs
            self.bodies.append("") if not attrs else None

    def handle_data(self, data: str) -> None:
        if self._in == []:
            self.bodies[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None


def executable_scripts(page: str) -> list[str]:
    parser = ScriptBodies()
    parser.feed(page)
    return sorted(parser.bodies)


@dataclass
class Outcome:
    page: Path
    clean: Path
    accepted: list[Variant]
    refused: list[tuple[Variant, DataValidationError]]
    seconds: float


def build_page(workspace: Workspace, variants: list[Variant], output: Path) -> None:
    workspace.write(variants)
    try:
        build(data_dir=workspace.data, output=output, article_path=None)
    finally:
        workspace.restore()


def try_every_member(root: Path) -> Outcome:
    """Try each variant in a workspace under ``root``, then build the accepted ones together into one page.
    The caller removes MARKER before and after (conftest's ``every_member_outcome`` does)."""
    started = time.monotonic()
    workspace = Workspace(root)
    clean = root / "clean.html"
    build(data_dir=workspace.data, output=clean, article_path=None)  # the YAML-as-JSON copy builds as it is
    accepted: list[Variant] = []
    refused: list[tuple[Variant, DataValidationError]] = []
    cache = LayerCache()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site, "read_layer", cache.read_layer)
        for variant in all_variants(workspace):
            for payload in PAYLOADS:
                attempt = Variant(variant.file, variant.pattern, variant.kind, payload)
                error = validation_outcome(workspace, [attempt])
                if error is None:
                    accepted.append(attempt)
                    break
                if not any("at most" in p.expected for p in error.problems):
                    break  # refused for what it is, not for its length: a shorter payload would be too
            if error is not None:
                refused.append((attempt, error))
    page = root / "every-accepted-payload.html"
    build_page(workspace, accepted, page)
    return Outcome(page, clean, accepted, refused, time.monotonic() - started)
