"""Casefile: a case folder's hand-edited files to typed, validated records.

case, layer       case.yaml: title, view, categories, focus area and neighbours, and each layer as one record
builders          the closed catalogue of layer builders: what each takes (params) and gives (kind, properties)
records           the records of events, sources, places and depots, and the readers they share
casedata, events  sources, places, depots and events read and cross-checked (load_case)
claims            the claims table (claims.yaml); corrections: the corrections log; sourcing: independence
yamlsafe, jsonlines, fields   strict readers and located field checks
"""
