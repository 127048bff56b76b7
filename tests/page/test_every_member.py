"""Template syntax and script-closing text in every member of every input file: nothing is ever evaluated.

How the variants are made and judged is told in tests/memberkit.py, which holds the machinery; the variants are tried
once per run (the session fixture ``every_member_outcome`` in conftest.py) and the page is opened in
tests/browser/test_every_member_page.py.
"""

from __future__ import annotations

import json

from tests.conftest import DATA
from tests.memberkit import MARKER, PAYLOADS, Outcome, executable_scripts, input_files
from tests.pagekit import read_payload


def test_every_member_of_every_file_was_tried(every_member_outcome: Outcome) -> None:
    files = {v.file for v in every_member_outcome.accepted} | {v.file for v, _ in every_member_outcome.refused}
    assert files == {str(p.relative_to(DATA)) for p in input_files(DATA)}
    tried = {(v.file, v.pattern, v.kind) for v in every_member_outcome.accepted} | {
        (v.file, v.pattern, v.kind) for v, _ in every_member_outcome.refused
    }
    # Foreign members in geometry objects, feature properties and the manifest's layer entries are among them.
    assert ("layers/depots.geojson", ("features", "*", "geometry"), "name") in tried
    assert ("layers/places.geojson", ("features", "*", "properties"), "name") in tried
    assert ("manifest.json", ("layers", "krai"), "name") in tried
    assert ("events.yaml", ("events", "*", "title"), "value") in tried
    # The case records (#11) are inputs too: the page title, layer titles, styles and popups, and the claims
    # table and corrections log, each member with each payload.
    assert {"case.yaml", "claims.yaml", "corrections.yaml"} <= files
    assert ("case.yaml", ("title",), "value") in tried
    assert ("case.yaml", ("layers", "*", "style", "color"), "value") in tried
    assert ("case.yaml", ("layers", "*", "popup", "*"), "value") in tried
    print(
        f"every-member: {len(tried)} variants, {len(every_member_outcome.accepted)} accepted, {every_member_outcome.seconds:.1f} s"
    )


def test_a_refusal_is_located(every_member_outcome: Outcome) -> None:
    for variant, error in every_member_outcome.refused:
        assert error.problems, variant
        for problem in error.problems:
            assert "/data/" in problem.file, (variant, problem)
            assert problem.expected, (variant, problem)


def test_foreign_members_in_geometry_are_accepted_and_dropped(every_member_outcome: Outcome) -> None:
    """The red-team's route (finding 1) is open in the data and closed in the build: accepted, never rendered."""
    accepted = {(v.file, v.pattern, v.kind) for v in every_member_outcome.accepted}
    assert ("layers/depots.geojson", ("features", "*", "geometry"), "name") in accepted
    page = every_member_outcome.page.read_text(encoding="utf-8")
    assert "cmPwned" not in page.split('id="casemap-data"')[1]


def test_nothing_was_evaluated_and_every_accepted_payload_is_text(every_member_outcome: Outcome) -> None:
    page = every_member_outcome.page.read_text(encoding="utf-8")
    assert "cmevaluated" not in page
    data = json.dumps(read_payload(page), ensure_ascii=False)
    assert "cmevaluated" not in data
    assert not MARKER.exists()
    # The payloads reached the page, as data, written as they were.
    assert data.count(PAYLOADS[0]) + data.count(PAYLOADS[1]) >= 10


def test_the_page_holds_exactly_the_scripts_of_the_clean_build(every_member_outcome: Outcome) -> None:
    found = executable_scripts(every_member_outcome.page.read_text(encoding="utf-8"))
    assert len(found) == 3
    assert found == executable_scripts(every_member_outcome.clean.read_text(encoding="utf-8"))
