"""Casefile: a case folder's hand-edited files to typed, validated records.

case      case.yaml: title, view, categories, focus area and neighbours, and each layer as one record
builders  the closed catalogue of layer builders: what each takes (params) and gives (kind, properties)
"""
