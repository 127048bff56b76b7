"""The baseline: what an analyst gets in about ten lines with GeoDataFrame.explore() and folium's Map.save().

The same boundaries (the raw DCW-GMT units named in data/case.yaml, unsimplified and unclipped) and the
same places (data/layers/places.geojson + chita.geojson), drawn with geopandas' defaults and saved as
folium saves any map (Leaflet, jQuery, Bootstrap and the tiles come from CDNs).

python bench/baseline.py OUTPUT.html [DATA_DIR] [DCW_PATH]
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# ---- the analyst's ten lines -------------------------------------------------------------------------
import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from geo.derive.dcw import read_units  # noqa: E402

out = Path(sys.argv[1])
data = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "data"
dcw = Path(sys.argv[3]) if len(sys.argv) > 3 else Path("/usr/share/gmt-dcw/dcw-gmt.nc")
case = yaml.safe_load((data / "case.yaml").read_text(encoding="utf-8"))
areas = [case["focus"], *case["neighbours"]]
shapes = [unit.geometry for unit in read_units(dcw, [a["dcw"] for a in areas])]
units = gpd.GeoDataFrame({"name": [a["name"] for a in areas]}, geometry=shapes, crs="EPSG:4326")
places = pd.concat([gpd.read_file(data / "layers" / f"{n}.geojson") for n in ("places", "chita")])
# types-geopandas declares tooltip as bool; geopandas documents (and the baseline uses) a column name as well.
m = units.explore(column="name", tooltip="name", legend=False)  # type: ignore[arg-type]
places.explore(m=m, color="black", tooltip="name", marker_kwds={"radius": 4})  # type: ignore[arg-type]
m.save(out)
# -------------------------------------------------------------------------------------------------------
