"""Bad input stops the build with exit status 2 and one message per problem (file, line, record, field).

The table of cases below is also the documentation: docs/bad-input.md is generated from it
(`CASEMAP_WRITE_DOCS=1 pytest tests/page/test_bad_input.py`), and a test checks that the committed table is current.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from build_map import main
from tests.conftest import ROOT
from tests.datakit import edit_layer, events_to_jsonl, jsonl_line_count, line_of, replace_in, reseal

DOC = ROOT / "docs" / "bad-input.md"


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    mutate: Callable[[Path], object]  # a lambda chaining edits with `or` returns what the last one did
    file: str  # the file the message names, relative to the data folder
    record: str  # the record id the message names ("" for the whole file)
    field: str  # the field the message names ("" for the whole file)
    fragment: str  # part of the message
    line: Callable[[Path], int] | None = None  # the line the message names, from the mutated data


def ev(data: Path) -> Path:
    return data / "events.yaml"


def src(data: Path) -> Path:
    return data / "sources.yaml"


def at(file: str, needle: str) -> Callable[[Path], int]:
    return lambda data: line_of(data / file, needle)


def set_first(key: str, value: object, layer: str = "places") -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        def edit(collection: dict[str, Any]) -> None:
            feature = collection["features"][0]
            if key == "coordinates":
                feature["geometry"]["coordinates"] = value
            elif key == "geometry":
                feature["geometry"] = value
            else:
                feature["properties"][key] = value

        edit_layer(data, layer, edit)

    return mutate


def write(path_of: Callable[[Path], Path], data_bytes: bytes) -> Callable[[Path], object]:
    return lambda data: path_of(data).write_bytes(data_bytes)


def layer_text(data: Path, name: str, old: str, new: str) -> None:
    replace_in(data / "layers" / f"{name}.geojson", old, new)
    reseal(data)


BOWTIE = {"type": "Polygon", "coordinates": [[[113, 52], [114, 53], [114, 52], [113, 53], [113, 52]]]}

CASES = [
    Case(
        "missing-file",
        "events.yaml is missing",
        lambda d: ev(d).unlink(),
        "events.yaml",
        "",
        "",
        "no such file",
        lambda d: 0,
    ),
    Case(
        "unreadable-file",
        "events.yaml is a folder, not a file",
        lambda d: (ev(d).unlink(), ev(d).mkdir()),
        "events.yaml",
        "",
        "",
        "a regular file",
        lambda d: 0,
    ),
    Case(
        "wrong-encoding",
        "events.yaml saved as Latin-1 (é as one byte)",
        lambda d: ev(d).write_bytes(
            ev(d).read_text(encoding="utf-8").replace("Vasilyev", "Vasil\u00e9v", 1).encode("latin-1", "replace")
        ),
        "events.yaml",
        "",
        "",
        "UTF-8 text",
        lambda d: ev(d).read_bytes().split(b"Vasil\xe9v")[0].count(b"\n") + 1,
    ),
    Case(
        "byte-order-mark",
        "events.yaml starts with a UTF-8 byte-order mark",
        lambda d: ev(d).write_bytes(b"\xef\xbb\xbf" + ev(d).read_bytes()),
        "events.yaml",
        "",
        "",
        "without a byte-order mark",
        lambda d: 1,
    ),
    Case(
        "yaml-syntax",
        "an unclosed bracket",
        lambda d: replace_in(ev(d), "    category: case\n", "    category: [case\n"),
        "events.yaml",
        "",
        "",
        "valid YAML",
        lambda d: line_of(ev(d), "category: [case") + 1,
    ),
    Case(
        "yaml-object-tag",
        "a tag that would construct a Python object",
        lambda d: replace_in(ev(d), "    category: case\n", "    category: !!python/object/apply:os.system [id]\n"),
        "events.yaml",
        "",
        "",
        "plain YAML without tags",
        at("events.yaml", "!!python"),
    ),
    Case(
        "yaml-alias",
        "an anchor and an alias (the billion-laughs expansion trick)",
        lambda d: (
            replace_in(ev(d), "    category: case\n", "    category: &c case\n"),
            replace_in(ev(d), "    category: case\n", "    category: *c\n"),
        ),
        "events.yaml",
        "",
        "",
        "no aliases",
        at("events.yaml", "&c case"),
    ),
    Case(
        "deep-nesting",
        "a value nested 200 levels deep",
        lambda d: replace_in(ev(d), "    category: case\n", "    category: " + "[" * 200 + "]" * 200 + "\n"),
        "events.yaml",
        "",
        "",
        "levels of nesting",
        at("events.yaml", "[[[["),
    ),
    Case(
        "duplicate-key",
        "a key twice in one event",
        lambda d: replace_in(ev(d), "    category: case\n", "    category: case\n    category: history\n"),
        "events.yaml",
        "",
        "category",
        "each key once",
        at("events.yaml", "category: history"),
    ),
    Case(
        "duplicate-id",
        "two events with one id",
        lambda d: replace_in(ev(d), "  - id: vasilyev-arrest\n", "  - id: vasilyev-birth-window\n"),
        "events.yaml",
        "vasilyev-birth-window",
        "id",
        "a unique id",
        lambda d: [
            n
            for n, t in enumerate(ev(d).read_text(encoding="utf-8").splitlines(), 1)
            if t == "  - id: vasilyev-birth-window"
        ][1],
    ),
    Case(
        "missing-field",
        "an event without a title",
        lambda d: replace_in(ev(d), "    title: Vladimir Vasilyev born (window derived from his reported age)\n", ""),
        "events.yaml",
        "vasilyev-birth-window",
        "title",
        "a non-empty text",
        at("events.yaml", "- id: vasilyev-birth-window"),
    ),
    Case(
        "wrong-type",
        "a title that is a list",
        lambda d: replace_in(
            ev(d),
            "    title: Vladimir Vasilyev born (window derived from his reported age)\n",
            "    title: [Vladimir, Vasilyev]\n",
        ),
        "events.yaml",
        "vasilyev-birth-window",
        "title",
        "a text",
        at("events.yaml", "title: [Vladimir"),
    ),
    Case(
        "unknown-field",
        "a misspelt field name",
        lambda d: replace_in(ev(d), "    category: case\n", "    category: case\n    catgory: case\n"),
        "events.yaml",
        "vasilyev-birth-window",
        "catgory",
        "unknown field",
        at("events.yaml", "catgory"),
    ),
    Case(
        "coercion-time",
        "an unquoted 12:30 where a date belongs (YAML 1.1 reads it as 750)",
        lambda d: replace_in(ev(d), 'start: "1968-01-02"', "start: 12:30"),
        "events.yaml",
        "vasilyev-birth-window",
        "when.start",
        "YYYY-MM-DD",
        at("events.yaml", "start: 12:30"),
    ),
    Case(
        "coercion-no",
        "NO where a language code belongs (YAML 1.1 reads it as false)",
        lambda d: replace_in(src(d), "    language: en\n", "    language: NO\n"),
        "sources.yaml",
        "",
        "language",
        "ISO 639-1",
        at("sources.yaml", "language: NO"),
    ),
    Case(
        "impossible-date",
        "30 February",
        lambda d: replace_in(ev(d), 'start: "1968-01-02"', 'start: "1968-02-30"'),
        "events.yaml",
        "vasilyev-birth-window",
        "when.start",
        "exists in the calendar",
        at("events.yaml", "1968-02-30"),
    ),
    Case(
        "reversed-dates",
        "an interval that ends before it starts",
        lambda d: replace_in(ev(d), 'end: "1969-02-25"', 'end: "1967-02-25"'),
        "events.yaml",
        "vasilyev-birth-window",
        "when.end",
        "on or after start",
        at("events.yaml", "1967-02-25"),
    ),
    Case(
        "month-precision",
        "precision month with an interval that is not a calendar month",
        lambda d: replace_in(ev(d), 'end: "2019-08-31"', 'end: "2019-08-20"'),
        "events.yaml",
        "vasilyev-arrest",
        "when.end",
        "precision month",
        at("events.yaml", "2019-08-20"),
    ),
    Case(
        "unknown-place",
        "a place id no layer has",
        lambda d: replace_in(ev(d), "place: zabaykalsky-krai", "place: atlantis"),
        "events.yaml",
        "vasilyev-arrest",
        "where.place",
        "a place or area id",
        at("events.yaml", "place: atlantis"),
    ),
    Case(
        "region-as-pin",
        "an area given the precision of a settlement",
        lambda d: replace_in(
            ev(d),
            "      place: zabaykalsky-krai\n      precision: region",
            "      place: zabaykalsky-krai\n      precision: settlement",
        ),
        "events.yaml",
        "vasilyev-arrest",
        "where.precision",
        "never a pin",
        None,
    ),
    Case(
        "unknown-source",
        "an event citing a source not in the bibliography",
        lambda d: replace_in(ev(d), "      - id: reuters-2021-02-25\n", "      - id: reuters-2099\n"),
        "events.yaml",
        "vasilyev-birth-window",
        "sources[].id",
        "an id from sources.yaml",
        None,
    ),
    Case(
        "javascript-url",
        "a javascript: link",
        lambda d: replace_in(
            src(d),
            "url: https://www.themoscowtimes.com/2021/02/25/russian-imprisoned-for-handing-state-secrets-to-china-a73063",
            "url: javascript:alert(document.cookie)",
        ),
        "sources.yaml",
        "moscowtimes-2021-02-25",
        "url",
        "http:// or https://",
        at("sources.yaml", "javascript:"),
    ),
    Case(
        "data-url",
        "a data: link",
        lambda d: replace_in(
            src(d),
            "url: https://www.themoscowtimes.com/2021/02/25/russian-imprisoned-for-handing-state-secrets-to-china-a73063",
            "url: data:text/html;base64,PHNjcmlwdD4=",
        ),
        "sources.yaml",
        "moscowtimes-2021-02-25",
        "url",
        "http:// or https://",
        at("sources.yaml", "data:text"),
    ),
    Case(
        "vbscript-url",
        "a vbscript: link",
        lambda d: replace_in(
            src(d),
            "url: https://www.themoscowtimes.com/2021/02/25/russian-imprisoned-for-handing-state-secrets-to-china-a73063",
            "url: vbscript:msgbox(1)",
        ),
        "sources.yaml",
        "moscowtimes-2021-02-25",
        "url",
        "http:// or https://",
        at("sources.yaml", "vbscript:"),
    ),
    Case(
        "file-url",
        "a file: link",
        lambda d: replace_in(
            src(d),
            "url: https://www.themoscowtimes.com/2021/02/25/russian-imprisoned-for-handing-state-secrets-to-china-a73063",
            "url: file:///etc/passwd",
        ),
        "sources.yaml",
        "moscowtimes-2021-02-25",
        "url",
        "http:// or https://",
        at("sources.yaml", "file:///"),
    ),
    Case(
        "malformed-url",
        "a URL without its colon",
        lambda d: replace_in(
            src(d),
            "url: https://www.themoscowtimes.com/2021/02/25/russian-imprisoned-for-handing-state-secrets-to-china-a73063",
            "url: https//www.themoscowtimes.com/",
        ),
        "sources.yaml",
        "moscowtimes-2021-02-25",
        "url",
        "http:// or https://",
        at("sources.yaml", "https//"),
    ),
    Case(
        "control-character",
        "a title with a terminal escape character",
        lambda d: replace_in(
            ev(d),
            "    title: Vladimir Vasilyev born (window derived from his reported age)\n",
            '    title: "Vladimir \\e[2J Vasilyev"\n',
        ),
        "events.yaml",
        "vasilyev-birth-window",
        "title",
        "without control characters",
        at("events.yaml", "2J Vasilyev"),
    ),
    Case(
        "oversized-text",
        "a description of 6,000 characters",
        lambda d: replace_in(
            ev(d), "      Reports of 25 February 2021", "      " + "x" * 6000 + " Reports of 25 February 2021"
        ),
        "events.yaml",
        "vasilyev-birth-window",
        "description",
        "at most 5,000 characters",
        None,
    ),
    Case(
        "oversized-file",
        "an events file of 3 MB",
        lambda d: ev(d).write_text("# " + "x" * 3_000_000 + "\n", encoding="utf-8"),
        "events.yaml",
        "",
        "",
        "at most 2,000,000 bytes",
        lambda d: 0,
    ),
    Case(
        "empty-file",
        "an empty events file",
        lambda d: ev(d).write_text("", encoding="utf-8"),
        "events.yaml",
        "",
        "",
        "a YAML document",
        lambda d: 0,
    ),
    Case(
        "wrong-shape",
        "a list where the file's mapping belongs",
        lambda d: ev(d).write_text("- a\n- b\n", encoding="utf-8"),
        "events.yaml",
        "",
        "",
        "a mapping of fields",
        lambda d: 1,
    ),
    Case(
        "layer-json-syntax",
        "a layer cut off in the middle",
        lambda d: (d / "layers" / "places.geojson").write_text(
            '{"type":"FeatureCollection","features":[\n{"type":', encoding="utf-8"
        ),
        "layers/places.geojson",
        "",
        "",
        "valid JSON",
        lambda d: 2,
    ),
    Case(
        "layer-nan",
        "NaN as a coordinate",
        lambda d: layer_text(d, "places", "[116.5869,51.9798]", "[NaN,51.9798]"),
        "layers/places.geojson",
        "",
        "",
        "NaN or Infinity",
        None,
    ),
    Case(
        "layer-infinity",
        "Infinity as a coordinate",
        lambda d: layer_text(d, "places", "[116.5869,51.9798]", "[Infinity,51.9798]"),
        "layers/places.geojson",
        "",
        "",
        "NaN or Infinity",
        None,
    ),
    Case(
        "layer-out-of-range",
        "latitude 95",
        set_first("coordinates", [116.5869, 95.0]),
        "layers/places.geojson",
        "nerchinsk",
        "geometry.coordinates",
        "outside longitude",
        at("layers/places.geojson", '"id":"nerchinsk"'),
    ),
    Case(
        "layer-projected",
        "coordinates in metres (Web Mercator), not degrees",
        set_first("coordinates", [12978000.0, 6790000.0]),
        "layers/places.geojson",
        "nerchinsk",
        "geometry.coordinates",
        "projected metres",
        at("layers/places.geojson", '"id":"nerchinsk"'),
    ),
    Case(
        "layer-swapped",
        "latitude and longitude swapped",
        set_first("coordinates", [51.9798, 116.5869]),
        "layers/places.geojson",
        "nerchinsk",
        "geometry.coordinates",
        "outside longitude",
        None,
    ),
    Case(
        "layer-swapped-plausible",
        "a point moved outside the region its record names",
        set_first("coordinates", [117.4333, 49.6]),
        "layers/places.geojson",
        "nerchinsk",
        "geometry",
        "inside its region",
        at("layers/places.geojson", '"id":"nerchinsk"'),
    ),
    Case(
        "layer-invalid-geometry",
        "a self-intersecting polygon",
        set_first("geometry", BOWTIE, layer="depots"),
        "layers/depots.geojson",
        "",
        "geometry",
        "a valid geometry",
        None,
    ),
    Case(
        "layer-empty-geometry",
        "a geometry without coordinates",
        set_first("geometry", {"type": "Polygon", "coordinates": []}, layer="depots"),
        "layers/depots.geojson",
        "",
        "geometry.coordinates",
        "empty geometry",
        None,
    ),
    Case(
        "layer-duplicate-id",
        "two features with one id",
        lambda d: edit_layer(d, "places", lambda c: c["features"].append(c["features"][0])),
        "layers/places.geojson",
        "nerchinsk",
        "id",
        "a unique id",
        None,
    ),
    Case(
        "layer-duplicate-key",
        "a JSON key twice in one feature",
        lambda d: layer_text(d, "places", '"population":15360,', '"population":15360,"population":1,'),
        "layers/places.geojson",
        "",
        "",
        "duplicate key",
        None,
    ),
    Case(
        "layer-hand-edited",
        "a layer edited by hand, not regenerated",
        lambda d: (
            set_first("name", "Nerchinsk (edited)")(d)
            or (d / "layers" / "places.geojson").write_text(
                (d / "layers" / "places.geojson")
                .read_text(encoding="utf-8")
                .replace("Nerchinsk (edited)", "Nerchinsk (edited twice)"),
                encoding="utf-8",
            )
        ),
        "layers/places.geojson",
        "places",
        "sha256",
        "regenerate",
        lambda d: 0,
    ),
    # Issue #10 finding 10: geometry the build accepted but the page could not draw.
    Case(
        "layer-nested-point",
        "a Point whose coordinates are nested one level too deep",
        set_first("coordinates", [[113.4917, 52.0431]]),
        "layers/places.geojson",
        "nerchinsk",
        "geometry.coordinates",
        "a position [longitude, latitude]",
        at("layers/places.geojson", '"id":"nerchinsk"'),
    ),
    Case(
        "layer-text-coordinate",
        "a longitude written as text",
        set_first("coordinates", ["116.5869", 51.9798]),
        "layers/places.geojson",
        "nerchinsk",
        "geometry.coordinates",
        "a position [longitude, latitude]",
        at("layers/places.geojson", '"id":"nerchinsk"'),
    ),
    Case(
        "layer-flat-polygon",
        "a Polygon given one ring's positions without the list of rings around them",
        set_first(
            "geometry", {"type": "Polygon", "coordinates": [[113, 52], [114, 52], [114, 53], [113, 52]]}, "depots"
        ),
        "layers/depots.geojson",
        "",
        "geometry.coordinates[0]",
        "a linear ring",
        None,
    ),
    # Issue #10 finding 14: accepted but should be refused.
    Case(
        "layer-unclosed-ring",
        "a polygon ring whose last position is not its first",
        set_first(
            "geometry", {"type": "Polygon", "coordinates": [[[113, 52], [114, 52], [114, 53], [113, 53]]]}, "depots"
        ),
        "layers/depots.geojson",
        "",
        "geometry.coordinates[0]",
        "a closed ring",
        None,
    ),
    Case(
        "layer-antimeridian",
        "a polygon drawn across the antimeridian (179 E to 179 W)",
        set_first(
            "geometry",
            {"type": "Polygon", "coordinates": [[[179, 52], [-179, 52], [-179, 53], [179, 53], [179, 52]]]},
            "depots",
        ),
        "layers/depots.geojson",
        "",
        "geometry.coordinates[0][1]",
        "more than 180 degrees",
        None,
    ),
    Case(
        "year-zero",
        "a publication year 0000",
        lambda d: replace_in(src(d), 'published: "2021-03-01"', 'published: "0000"'),
        "sources.yaml",
        "seed-article",
        "published",
        '"0000"',
        at("sources.yaml", 'published: "0000"'),
    ),
    Case(
        "arabic-indic-date",
        "a publication date in Arabic-Indic digits",
        lambda d: replace_in(src(d), 'published: "2021-03-01"', 'published: "\u0662\u0660\u0662\u0661-\u0660\u0663"'),
        "sources.yaml",
        "seed-article",
        "published",
        "YYYY",
        at("sources.yaml", 'published: "\u0662'),
    ),
    Case(
        "fullwidth-year",
        "a publication year in fullwidth digits",
        lambda d: replace_in(src(d), 'published: "2021-03-01"', 'published: "\uff12\uff10\uff12\uff11"'),
        "sources.yaml",
        "seed-article",
        "published",
        "YYYY",
        at("sources.yaml", 'published: "\uff12'),
    ),
    Case(
        "blank-title",
        "an event title of spaces only",
        lambda d: replace_in(
            ev(d), "title: Vladimir Vasilyev born (window derived from his reported age)", 'title: "   "'
        ),
        "events.yaml",
        "vasilyev-birth-window",
        "title",
        "a visible character",
        at("events.yaml", 'title: "   "'),
    ),
    Case(
        "duplicate-url-case",
        "a source URL that differs from another only in the case of its scheme and host",
        lambda d: replace_in(
            src(d),
            "url: https://www.themoscowtimes.com/2021/02/25/russian-imprisoned-for-handing-state-secrets-to-china-a73063",
            "url: HTTPS://WWW.DevDiscourse.COM/article/law-order/"
            "1472647-russia-jails-man-for-eight-years-for-handing-over-secrets-to-china---tass",
        ),
        "sources.yaml",
        "moscowtimes-2021-02-25",
        "url",
        "each page once",
        at("sources.yaml", "url: HTTPS://WWW.DevDiscourse"),
    ),
    # --- how files are read (safefiles.read_bytes): type, size and place are checked before anything is read ---
    Case(
        "symlink-outside-case-folder",
        "events.yaml is a symlink to a file outside the data folder (a credentials file, say)",
        lambda d: (
            (d.parent / "credentials").write_text("token: ghp_NOT_A_REAL_TOKEN_0123456789\n", encoding="utf-8"),
            ev(d).unlink(),
            ev(d).symlink_to(d.parent / "credentials"),
        ),
        "events.yaml",
        "",
        "",
        "inside the case folder",
        lambda d: 0,
    ),
    Case(
        "symlink-loop",
        "events.yaml is a symlink to itself",
        lambda d: (ev(d).unlink(), ev(d).symlink_to(ev(d))),
        "events.yaml",
        "",
        "",
        "a symlink loop",
        lambda d: 0,
    ),
    Case(
        "named-pipe",
        "events.yaml is a named pipe nobody writes to (reading it would wait for ever)",
        lambda d: (ev(d).unlink(), os.mkfifo(ev(d))),
        "events.yaml",
        "",
        "",
        "found a named pipe",
        lambda d: 0,
    ),
    Case(
        "huge-sparse-file",
        "events.yaml is a 3 GiB sparse file (refused from its size, before a byte is read)",
        lambda d: os.truncate(ev(d), 3 << 30),
        "events.yaml",
        "",
        "",
        "at most 2,000,000 bytes",
        lambda d: 0,
    ),
    # --- JSON that Python's parser accepts but that used to crash a later step ---
    Case(
        "jsonl-lone-surrogate",
        "a lone surrogate escape (\\udc80) in events.jsonl",
        lambda d: (events_to_jsonl(d), replace_in(d / "events.jsonl", '"title": "', '"title": "\\udc80')),
        "events.jsonl",
        "",
        "",
        "lone surrogate",
        lambda d: 1,
    ),
    Case(
        "jsonl-long-number",
        "a 5,000-digit number in events.jsonl",
        lambda d: events_to_jsonl(d, '{"id": ' + "9" * 5000 + "}"),
        "events.jsonl",
        "",
        "",
        "more than 4,300 digits",
        jsonl_line_count,
    ),
    Case(
        "jsonl-deep-nesting",
        "980 levels of nesting in events.jsonl",
        lambda d: events_to_jsonl(d, '{"id": ' + "[" * 980 + "]" * 980 + "}"),
        "events.jsonl",
        "",
        "",
        "nesting deeper than 64 levels",
        jsonl_line_count,
    ),
    Case(
        "manifest-nan",
        "NaN in manifest.json (the page's method panel shows the datasets)",
        lambda d: replace_in(d / "manifest.json", '"datasets": {', '"datasets": {"size": NaN, '),
        "manifest.json",
        "",
        "",
        "NaN is not a number JSON allows",
        at("manifest.json", "NaN"),
    ),
    Case(
        "manifest-huge-number",
        "1e999 (beyond a float) in manifest.json",
        lambda d: replace_in(d / "manifest.json", '"datasets": {', '"datasets": {"size": 1e999, '),
        "manifest.json",
        "",
        "",
        "too large for a float",
        at("manifest.json", "1e999"),
    ),
    Case(
        "manifest-entry-wrong-type",
        "a manifest layer entry that is a number, not a mapping",
        lambda d: replace_in(d / "manifest.json", '"layers": {', '"layers": {"extra": 5, '),
        "manifest.json",
        "",
        "layers",
        "an entry for one of the layers",
        at("manifest.json", '"layers": {"extra"'),
    ),
    Case(
        "place-area-outside-region",
        "a place drawn as a polygon outside the region it names",
        set_first("geometry", {"type": "Polygon", "coordinates": [[[30, 10], [31, 10], [31, 11], [30, 11], [30, 10]]]}),
        "layers/places.geojson",
        "nerchinsk",
        "geometry",
        "inside its region",
        at("layers/places.geojson", '"id":"nerchinsk"'),
    ),
    # --- text from a data file reaches the terminal escaped (errors.terminal_text) ---
    Case(
        "escape-sequence-in-key",
        "a field name holding an escape sequence that would retitle the terminal",
        lambda d: replace_in(ev(d), "    category: case\n", '    category: case\n    "\\e]0;pwned\\a": x\n'),
        "events.yaml",
        "",
        "\\x1b]0;pwned\\x07",
        "an unknown field",
        at("events.yaml", "pwned"),
    ),
    Case(
        "escape-sequence-in-id",
        "an event id holding an escape sequence that would clear the screen",
        lambda d: replace_in(ev(d), "  - id: ", '  - id: "\\e[2J\\e[H"\n    was: '),
        "events.yaml",
        "\\x1b[2J\\x1b[H",
        "id",
        "text without control characters",
        at("events.yaml", "[2J"),
    ),
    Case(
        "escape-sequence-in-manifest",
        "a manifest value holding an escape sequence",
        lambda d: replace_in(d / "manifest.json", '"feature_count": ', '"feature_count": "\\u001b[2J", "was": '),
        "manifest.json",
        "countries",  # the first layer in drawing order, whose feature_count the replacement reaches
        "feature_count",
        "a whole number of features",
        at("manifest.json", '"countries": {'),  # the record's line: the layer entry holding the value
    ),
    Case(
        "missing-manifest",
        "manifest.json is missing",
        lambda d: (d / "manifest.json").unlink(),
        "manifest.json",
        "",
        "",
        "no such file",
        lambda d: 0,
    ),
]


def run_case(case: Case, data: Path, output: Path, capsys: pytest.CaptureFixture[str]) -> str:
    case.mutate(data)
    code = main(["--data", str(data), "--output", str(output)])
    captured = capsys.readouterr()
    assert code == 2, captured
    return captured.err


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_stops_the_build_with_a_located_message(
    case: Case, data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out" / "map.html"
    assert main(["--data", str(data_copy), "--output", str(output)]) == 0
    before = output.read_bytes()
    capsys.readouterr()
    err = run_case(case, data_copy, output, capsys)
    assert "Traceback" not in err
    assert err.startswith("error: ")
    lines = [line.strip() for line in err.splitlines()[1:]]
    path = str(data_copy / case.file)
    matching = [line for line in lines if line.startswith(path) and case.fragment in line]
    assert matching, err
    message = matching[0]
    if case.record:
        assert f"[{case.record}]" in message, message
    if case.field:
        assert f" {case.field}: expected" in message, message
    if case.line is not None:
        expected_line = case.line(data_copy)
        assert message.startswith(f"{path}:{expected_line} " if expected_line else f"{path} "), message
    else:
        assert re.match(re.escape(path) + r":\d+ ", message), message
    # Nothing a terminal would act on: every control character arrives escaped.
    assert all(ch.isprintable() or ch == "\n" for ch in err), repr(err)
    # One message per problem, and nothing else: every line names a file.
    assert all(line.startswith(str(data_copy)) for line in lines), err
    # The previous map is untouched and no temporary file is left behind.
    assert output.read_bytes() == before
    assert [p.name for p in output.parent.iterdir()] == ["map.html"]


def test_docs_table_lists_every_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import copy_data

    rows = []
    for case in CASES:
        data = copy_data(tmp_path / case.name / "data")
        err = run_case(case, data, tmp_path / case.name / "map.html", capsys)
        message = next(line.strip() for line in err.splitlines()[1:] if case.fragment in line)
        message = message.replace(str(data), "data").replace("|", "\\|")
        rows.append(f"| `{case.name}` | {case.what} | `{message}` |")
    table = "\n".join(
        [
            "# Bad input: what stops the build, and what it says",
            "",
            "Generated from `tests/page/test_bad_input.py` (`CASEMAP_WRITE_DOCS=1 pytest tests/page/test_bad_input.py`). Each case",
            "stops `python build_map.py` with exit status 2, prints one line per problem (file:line [record] field: what",
            "was expected; what was found), and leaves the previous map and the data untouched.",
            "",
            "| case | input | message |",
            "|---|---|---|",
            *rows,
            "",
        ]
    )
    if os.environ.get("CASEMAP_WRITE_DOCS") == "1":
        DOC.write_text(table, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == table, "docs/bad-input.md is stale: rerun with CASEMAP_WRITE_DOCS=1"
