"""casemap: turn an investigation into one sourced, interactive, offline map. The engine names no case.

The pipeline, one sub-package per stage, with the shared helpers in ``common``:

    case folder (case.yaml, events, sources, places) --casefile--> typed, validated records
    raw datasets + layer records --derive--> <case>/layers/*.geojson + manifest.json      (regenerate)
    records + layers --page--> output/map.html                                             (build)
"""

__version__ = "0.1.0"
