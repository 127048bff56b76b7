"""What the layer builders share: the geography, the hand-edited places and depots, and the problems found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from geo.casefile.records import Depot, PlaceEntry
from geo.common.errors import Problem
from geo.derive.crs import GEOGRAPHIC_CRS
from geo.derive.geography import Geography
from geo.derive.geojson_text import normalise_geometry
from geo.derive.gshhg import GshhgDataset


@dataclass
class Inputs:
    """The builders' shared inputs. ``listed`` maps each place id a settlements layer names to that layer;
    ``gshhg`` is read only when a layer needs rivers or lakes."""

    geography: Geography
    places: list[PlaceEntry]
    depots: list[Depot]
    case_path: str
    places_path: str
    depots_path: str
    listed: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    gshhg: GshhgDataset | None = None


def rounded(value: float, digits: int = 1) -> float:
    return float(round(float(value), digits))


def frame(rows: list[dict[str, Any]], geometries: Sequence[BaseGeometry]) -> gpd.GeoDataFrame:
    """A layer frame in EPSG:4326 with geometries snapped to the output grid."""
    return gpd.GeoDataFrame(rows, geometry=[normalise_geometry(g) for g in geometries], crs=GEOGRAPHIC_CRS)
