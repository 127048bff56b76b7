"""Compute every layer a case declares, in memory: case records and raw datasets in, frames out."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.casefile import casedata
from geo.casefile.case import Case, read_case
from geo.casefile.records import Depot, PlaceEntry
from geo.common.errors import DataValidationError, Problem
from geo.derive import gshhg
from geo.derive.builders import BUILD
from geo.derive.geography import Geography, read_geography
from geo.derive.inputs import Inputs

PLACES_FILE, DEPOTS_FILE = "places.yaml", "depots.yaml"
# Builders that read GSHHG (rivers and lakes); a case without them never needs GMT or GSHHG installed.
GSHHG_BUILDERS = frozenset({"rivers", "lakes"})


def read_inputs(case_dir: Path) -> tuple[Case, list[PlaceEntry], list[Depot]]:
    """Read case.yaml, and places.yaml and depots.yaml when a layer needs them; raise listing every problem."""
    problems: list[Problem] = []
    case = read_case(case_dir, problems)
    if case is None:
        raise DataValidationError(problems)
    builders = {layer.builder for layer in case.layers}
    anchors = any(layer.params.get("depot_anchors") for layer in case.layers)
    places = casedata.parse_places(case_dir / PLACES_FILE, problems) if builders & {"settlements", "countries"} else []
    needs_depots = "depots" in builders or anchors
    depots = casedata.parse_depots(case_dir / DEPOTS_FILE, problems) if needs_depots else []
    if problems:
        raise DataValidationError(problems)
    return case, places, depots


def _listed(case: Case) -> dict[str, str]:
    """Place ids named by a settlements layer, with the layer naming them."""
    return {
        str(place): layer.key
        for layer in case.layers
        if isinstance(layer.params.get("places"), tuple)
        for place in layer.strings("places")
    }


def check_feature_styles(case: Case, frames: dict[str, gpd.GeoDataFrame], problems: list[Problem]) -> None:
    """A feature style must name a feature the layer has: a typo would silently style nothing."""
    for layer in case.layers:
        ids = set(frames[layer.key]["id"]) if "id" in frames[layer.key] else set()
        for feature_id in sorted(set(layer.feature_styles) - ids):
            problems.append(
                Problem(
                    str(case.path),
                    layer.line,
                    layer.key,
                    "feature_styles",
                    f"ids of the layer's features ({', '.join(sorted(ids)) or 'none'})",
                    feature_id,
                )
            )


def read_gshhg(case: Case, gshhg_path: Path | None) -> gshhg.GshhgDataset | None:
    """GSHHG's files and GMT, when a layer needs them; raise RawDatasetMissingError saying how to get them."""
    if not {layer.builder for layer in case.layers} & GSHHG_BUILDERS:
        return None
    return gshhg.read_metadata(gshhg.locate_gshhg(gshhg_path))


def build_layers(
    case_dir: Path, dcw_path: Path, gshhg_path: Path | None = None
) -> tuple[Case, Geography, dict[str, gpd.GeoDataFrame], gshhg.GshhgDataset | None]:
    """Compute every layer of a case; raise DataValidationError listing every input problem."""
    case, places, depots = read_inputs(case_dir)
    rivers_and_lakes = read_gshhg(case, gshhg_path)
    problems: list[Problem] = []
    geography = read_geography(case, dcw_path, problems)
    inputs = Inputs(
        geography=geography,
        places=places,
        depots=depots,
        case_path=str(case.path),
        places_path=str(case_dir / PLACES_FILE),
        depots_path=str(case_dir / DEPOTS_FILE),
        listed=_listed(case),
        problems=problems,
        gshhg=rivers_and_lakes,
    )
    frames = {layer.key: BUILD[layer.builder](layer, inputs) for layer in case.layers}
    check_feature_styles(case, frames, problems)
    if problems:
        raise DataValidationError(problems)
    return case, geography, frames, rivers_and_lakes
