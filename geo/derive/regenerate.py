"""Regenerate every layer of a case folder from the raw datasets, and the manifest that describes them.

Reads the case's layer records (case.yaml), DCW-GMT (boundaries), GSHHG through GMT (rivers and lakes, when
a layer asks for them) and GeoNames (settlements) plus the
hand-edited places.yaml and depots.yaml where a layer needs them; writes <case>/layers/*.geojson and
<case>/manifest.json atomically. The work is done in geo.derive; this module is the write step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.common.atomic import write_files_atomically
from geo.derive import dcw
from geo.derive.geojson_text import feature_collection_text, layer_decimals
from geo.derive.manifest import manifest_text
from geo.derive.pipeline import build_layers


@dataclass(frozen=True)
class Paths:
    """Where regeneration reads and writes, relative to the case folder."""

    data: Path

    @property
    def layers(self) -> Path:
        return self.data / "layers"

    @property
    def manifest(self) -> Path:
        return self.data / "manifest.json"


def regenerate(data_dir: Path, *, dcw_path: Path | None = None, gshhg_path: Path | None = None) -> dict[str, Path]:
    """Rebuild every layer and the manifest from the raw datasets; write them all or nothing.

    Returns the written layer paths by name. Raises RawDatasetMissingError when DCW-GMT is missing (or GSHHG and
    GMT, for a case with rivers or lakes) and
    DataValidationError when a hand-edited input is wrong; in both cases nothing is written.
    """
    paths = Paths(data_dir)
    located = dcw.locate_dcw(dcw_path)
    case, geography, frames, rivers_and_lakes = build_layers(data_dir, located, gshhg_path)
    texts = {
        layer.key: feature_collection_text(
            frames[layer.key], properties=list(layer.properties), decimals=layer_decimals(layer)
        )
        for layer in case.layers
    }
    manifest = manifest_text(case, geography, texts, frames, rivers_and_lakes)
    outputs = {paths.layers / f"{name}.geojson": text.encode("utf-8") for name, text in texts.items()}
    outputs[paths.manifest] = manifest.encode("utf-8")  # last: the manifest commits the layers it checksums
    write_files_atomically(outputs)
    return {name: paths.layers / f"{name}.geojson" for name in texts}
