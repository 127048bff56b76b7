"""Export a case (events as CSV, XLSX, GeoJSON, KML; layers as GeoJSON) and import events from a spreadsheet."""
