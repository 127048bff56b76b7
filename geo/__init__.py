"""casemap: turn an investigation into one sourced, interactive, offline map.

The pipeline has two commands and one module per stage:

    raw datasets --(dcw, geonames)--> GeoDataFrames --(layers)--> data/layers/*.geojson   (regenerate)
    data/ layers + case data --(casedata: load, validate)--(render)--> output/map.html      (build)
"""

__version__ = "0.1.0"
