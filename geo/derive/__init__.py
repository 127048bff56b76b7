"""Derive: raw datasets (DCW-GMT, GeoNames) and a case's layer records to <case>/layers/*.geojson.

dcw, geonames   read the raw datasets (and fix their known flaws, keyed by dataset version and unit)
crs             the projections a case's measurements use, centred on its focus area
geometry        pure geometry operations: borders, bands, circles, simplification
builders        one small builder per layer kind, driven by the layer records in case.yaml
regenerate      runs the builders and writes the layers and the manifest (geojson_text writes GeoJSON)
scaffold        `build_map.py new`: a new case folder for any DCW-GMT unit
"""
