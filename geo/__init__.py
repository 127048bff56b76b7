"""casemap: turn an investigation into one sourced, interactive, offline map.

The pipeline, one sub-package per stage (the page stage is still flat modules: site, render, build):

    case folder (case.yaml, events, sources, places) --casefile--> typed, validated records
    raw datasets + layer records --derive--> <case>/layers/*.geojson + manifest.json      (regenerate)
    records + layers --(casedata, site, render)--> output/map.html                         (build)
"""

__version__ = "0.1.0"
