"""Regeneration from the raw datasets: byte-identical output, clear errors, and nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_map import main
from geo.casefile.case import read_case
from geo.common.atomic import TEMPORARY_SUFFIX
from geo.common.errors import DataValidationError, RawDatasetMissingError
from geo.derive.regenerate import regenerate
from tests.conftest import DATA

pytestmark = pytest.mark.raw


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_regeneration_reproduces_the_committed_layers_byte_for_byte(dcw_path: Path, data_copy: Path) -> None:
    shutil.rmtree(data_copy / "layers")
    (data_copy / "manifest.json").unlink()
    regenerate(data_copy, dcw_path=dcw_path)
    # The copy's case.yaml differs only in its seed article path (tests.conftest.copy_data), which no layer reads.
    assert snapshot(data_copy) == {**snapshot(DATA), "case.yaml": (data_copy / "case.yaml").read_bytes()}


def test_regeneration_twice_gives_the_same_bytes(dcw_path: Path, data_copy: Path) -> None:
    regenerate(data_copy, dcw_path=dcw_path)
    first = snapshot(data_copy)
    regenerate(data_copy, dcw_path=dcw_path)
    assert snapshot(data_copy) == first


def test_cli_regenerate_runs_from_main(dcw_path: Path, data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regenerate", "--data", str(data_copy), "--dcw", str(dcw_path)]) == 0
    layers = read_case(data_copy, []).layers  # type: ignore[union-attr]
    assert f"regenerated {len(layers)} layers" in capsys.readouterr().out


def test_missing_raw_dataset_says_how_to_get_it(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(data_copy)
    with pytest.raises(RawDatasetMissingError, match="apt-get install gmt-dcw"):
        regenerate(data_copy, dcw_path=tmp_path / "nowhere.nc")
    assert main(["regenerate", "--data", str(data_copy), "--dcw", str(tmp_path / "nowhere.nc")]) == 2
    assert "apt-get install gmt-dcw" in capsys.readouterr().err
    assert snapshot(data_copy) == before


def test_bad_input_leaves_every_layer_untouched(dcw_path: Path, data_copy: Path) -> None:
    depots = data_copy / "depots.yaml"
    depots.write_text(depots.read_text(encoding="utf-8").replace('radius_km: "', 'radius_km: "-', 1), encoding="utf-8")
    before = snapshot(data_copy)
    with pytest.raises(DataValidationError, match=r"depots.yaml:\d+ \[depot-[a-z-]+\] radius_km: expected a number"):
        regenerate(data_copy, dcw_path=dcw_path)
    # The whole folder, not only layers/: the manifest and any temporary copy beside it count too. (This looked for
    # "*.tmp", a name the temporary copies never have, so it could not fail.)
    assert snapshot(data_copy) == before
    assert not [p for p in data_copy.rglob("*") if p.name.endswith(TEMPORARY_SUFFIX)]


def test_unknown_geonameid_is_reported_with_its_line(dcw_path: Path, data_copy: Path) -> None:
    places = data_copy / "places.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(text.replace("geonameid: 2019326", "geonameid: 99999999"), encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "geonameid: 2019326" in t)
    with pytest.raises(DataValidationError) as raised:
        regenerate(data_copy, dcw_path=dcw_path)
    problem = raised.value.problems[0]
    assert (problem.record, problem.field) == ("nerchinsk", "geonameid")
    assert problem.line == line


def test_anchor_name_must_match_geonames(dcw_path: Path, data_copy: Path) -> None:
    depots = data_copy / "depots.yaml"
    depots.write_text(
        depots.read_text(encoding="utf-8").replace("name: Borzya", "name: Borzia-on-Thames"), encoding="utf-8"
    )
    with pytest.raises(DataValidationError, match=r"anchor\.name: expected the GeoNames name"):
        regenerate(data_copy, dcw_path=dcw_path)


def test_an_interrupted_regenerate_leaves_the_old_layers_and_manifest(
    dcw_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or a full disk) as regenerate renames its files: every layer and the manifest stay as they were."""
    from geo.derive.regenerate import regenerate

    places = data_copy / "places.yaml"
    places.write_text(
        places.read_text(encoding="utf-8").replace("Capital of Zabaykalsky Krai;", "Capital of the krai;", 1),
        encoding="utf-8",
    )

    def snapshot() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(data_copy.rglob("*")) if p.is_file()}

    before = snapshot()
    real_replace = Path.replace

    def interrupted(self: Path, target: Path) -> Path:
        if Path(target).name == "manifest.json":
            raise KeyboardInterrupt
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        regenerate(data_copy, dcw_path=dcw_path)
    assert snapshot() == before
    monkeypatch.undo()
    regenerate(data_copy, dcw_path=dcw_path)
    after = snapshot()
    assert after["chita.geojson"] != before["chita.geojson"]
    assert after["manifest.json"] != before["manifest.json"]
