// download: what you see as GeoJSON, CSV and KML, and each layer as GeoJSON, made in the browser; a piece of the one casemap script (assets.py)
/* ---------- downloads ----------
 * Made here from the data block, never fetched: a Blob and a link with a download attribute, so they work from
 * file:// and offline. The events are those that pass the filters (state.shown, in the list's order); their columns
 * are the export's (docs/export.md, geo/export/columns.py: `build_map.py export` writes the same columns in the same
 * order with the same values). Every value from the data reaches the files as data: CSV cells quoted (RFC 4180),
 * GeoJSON through JSON.stringify, KML through the DOM and XMLSerializer; file names are made from the build's own
 * names (the title reduced to a slug, validated dates, layer keys), never from data text as it is. */

var EVENT_COLUMNS = ["id", "title", "category", "description", "start", "end", "date_precision", "date_label", "date_edtf",
  "public_start", "public_end", "public_precision", "public_label", "public_edtf", "place_id", "place_name",
  "location_precision", "location_note", "lat", "lon"];
var CLAIM_COLUMNS = ["quote", "status", "reason", "other_account", "sources"];
var SOURCE_COLUMNS = ["id", "confirms", "outlet", "title", "url", "published"];
// A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection":
// owasp.org/www-community/attacks/CSV_Injection); a leading apostrophe makes it text, as spreadsheets themselves mark
// text, and `build_map.py import` removes one (docs/export.md). "'" itself is marked so the import's removal is exact.
var FORMULA_START = /^[=+\-@\t\r']/;
var KML_NS = "http://www.opengis.net/kml/2.2";

function exportHeaders() {
  // The widths are the whole case's (the most claims and sources any event has, at least 1), so every download of
  // one map has the same columns whatever the filter.
  var claims = 1, sources = 1, headers = EVENT_COLUMNS.slice();
  state.events.forEach(function (event) {
    claims = Math.max(claims, list(event.claims).length);
    sources = Math.max(sources, list(event.sources).length);
  });
  for (var n = 1; n <= claims; n++) { CLAIM_COLUMNS.forEach(function (c) { headers.push("claim" + n + "_" + c); }); }
  for (var m = 1; m <= sources; m++) { SOURCE_COLUMNS.forEach(function (c) { headers.push("source" + m + "_" + c); }); }
  return headers;
}

function edtf(interval) {
  // The interval in EDTF (ISO 8601-2), as the export writes it: day, month or year at level 0; an approximate span
  // as start/end; one approximate day with level 1's "~".
  if (!interval) { return ""; }
  if (interval.precision === "day") { return interval.start; }
  if (interval.precision === "month") { return interval.start.slice(0, 7); }
  if (interval.precision === "year") { return interval.start.slice(0, 4); }
  return interval.start === interval.end ? interval.start + "~" : interval.start + "/" + interval.end;
}

var WHEN_COLUMNS = ["start", "end", "date_precision", "date_label", "date_edtf"];
var PUBLIC_COLUMNS = ["public_start", "public_end", "public_precision", "public_label", "public_edtf"];

function intervalCells(cells, names, interval) {
  // An interval as its five columns (start, end, precision, label, EDTF); all empty when there is none.
  var values = interval ? [text(interval.start), text(interval.end), text(interval.precision), englishText(interval, "label"), edtf(interval)]
    : ["", "", "", "", ""];
  names.forEach(function (name, i) { cells[name] = values[i]; });
}

function eventCells(event, headers) {
  // One event as the export's columns: strings, "" for nothing; lat and lon numbers or null.
  var where = event.where || {}, place = where.place ? state.data.places.get(where.place) : null;
  // The English of the case files, not the page's translation (content.js englishText).
  var cells = { id: event.id, title: englishText(event, "title"), category: event.category, description: englishText(event, "description") };
  intervalCells(cells, WHEN_COLUMNS, event.when);
  intervalCells(cells, PUBLIC_COLUMNS, event.public || null);
  cells.place_id = text(where.place);
  cells.place_name = place ? englishText(place, "name") : "";
  cells.location_precision = text(where.precision);
  cells.location_note = englishText(where, "note");
  cells.lat = place && typeof place.lat === "number" ? place.lat : null;
  cells.lon = place && typeof place.lon === "number" ? place.lon : null;
  list(event.claims).forEach(function (claim, i) {
    var n = "claim" + (i + 1) + "_";
    cells[n + "quote"] = text(claim.quote); cells[n + "status"] = text(claim.status); cells[n + "reason"] = englishText(claim, "reason");
    cells[n + "other_account"] = englishText(claim, "other_account"); cells[n + "sources"] = list(claim.sources).join(" ");
  });
  list(event.sources).forEach(function (cited, i) {
    var n = "source" + (i + 1) + "_", source = state.data.sources.get(cited.source) || {};
    cells[n + "id"] = text(cited.source); cells[n + "confirms"] = text(cited.confirms);
    cells[n + "outlet"] = text(own(source, "outlet")); cells[n + "title"] = text(own(source, "title"));
    cells[n + "url"] = text(own(source, "url")) || text(own(source, "via")); cells[n + "published"] = text(own(source, "published"));
  });
  var row = {};
  headers.forEach(function (name) { row[name] = hasOwn.call(cells, name) ? cells[name] : ""; });
  return row;
}

function eventGeometry(event) {
  // The place's own geometry as the map draws it (a point, or the area's real outline), or null.
  var entry = event.where && event.where.place ? featureIndex.get(event.where.place) : null;
  return entry ? entry.layer.toGeoJSON().geometry : null;
}

function shownEvents() {
  return state.shown.map(function (i) { return state.events[i]; });
}

function cite() {
  // The export's "Cite this map" fields (payload method.cite), where the build provides them.
  var value = own(state.data.method, "cite");
  return value && typeof own(value, "text") === "string" ? value : null;
}

/* ---------- the formats ---------- */

function csvCell(value) {
  if (value === null || value === undefined) { return ""; }
  // Numbers (lat, lon) are never marked: "-33.9" is a number a spreadsheet should read as one.
  var cell = String(value);
  if (typeof value === "string" && FORMULA_START.test(cell)) { cell = "'" + cell; }
  // RFC 4180 section 2: a field holding a quote, a comma or a line break is quoted, its quotes doubled.
  return /[",\r\n]/.test(cell) ? "\"" + cell.replace(/"/g, "\"\"") + "\"" : cell;
}

function eventsCsv() {
  var headers = exportHeaders(), lines = [];
  var citation = cite();
  if (citation) { lines.push(csvCell("# " + citation.text)); }
  lines.push(headers.map(csvCell).join(","));
  shownEvents().forEach(function (event) {
    var row = eventCells(event, headers);
    lines.push(headers.map(function (name) { return csvCell(row[name]); }).join(","));
  });
  // A byte-order mark first: spreadsheets read a CSV without one in the system's legacy code page, and Cyrillic
  // or Chinese text turns to mojibake. RFC 4180 lines end in CRLF.
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

function eventsGeojson() {
  var headers = exportHeaders(), collection = { type: "FeatureCollection" };
  var citation = cite();
  if (citation) { collection.cite = citation; }
  collection.features = shownEvents().map(function (event) {
    return { type: "Feature", id: event.id, properties: eventCells(event, headers), geometry: eventGeometry(event) };
  });
  return JSON.stringify(collection, null, 1) + "\n";
}

function layerGeojson(key) {
  // The layer's features as drawn, each with its id and the properties the build gave it, and the layer's
  // provenance from the manifest (licence, attribution, inputs, sha256), as `build_map.py export --layer` writes it.
  var features = drawnFeatures.filter(function (entry) { return entry.key === key; }).map(function (entry) {
    return { type: "Feature", id: entry.feature.id, properties: englishProperties(entry.feature.properties || {}), geometry: entry.layer.toGeoJSON().geometry };
  });
  var collection = { type: "FeatureCollection" }, provenance = own(own(state.data.method, "layers"), key);
  if (provenance) { collection.provenance = provenance; }
  if (cite()) { collection.cite = cite(); }
  collection.features = features;
  return JSON.stringify(collection, null, 1) + "\n";
}

function kmlNode(doc, name, children, value) {
  var node = doc.createElementNS(KML_NS, name);
  if (value !== undefined) { node.textContent = String(value); }
  (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
  return node;
}

function kmlCoordinates(doc, positions) {
  // KML writes lon,lat pairs separated by spaces (OGC KML 2.2, kml:coordinates).
  return kmlNode(doc, "coordinates", null, positions.map(function (p) { return p[0] + "," + p[1]; }).join(" "));
}

function kmlPolygon(doc, rings) {
  var boundary = function (name, ring) { return kmlNode(doc, name, [kmlNode(doc, "LinearRing", [kmlCoordinates(doc, ring)])]); };
  return kmlNode(doc, "Polygon", [boundary("outerBoundaryIs", rings[0])].concat(rings.slice(1).map(function (ring) {
    return boundary("innerBoundaryIs", ring);
  })));
}

function kmlGeometry(doc, geometry) {
  if (!geometry) { return null; }
  var c = geometry.coordinates;
  if (geometry.type === "Point") { return kmlNode(doc, "Point", [kmlCoordinates(doc, [c])]); }
  if (geometry.type === "LineString") { return kmlNode(doc, "LineString", [kmlCoordinates(doc, c)]); }
  if (geometry.type === "Polygon") { return kmlPolygon(doc, c); }
  // A multi-part geometry: each part as the single kind its type names after "Multi" (GeoJSON, RFC 7946 3.1).
  if (!/^Multi(Point|LineString|Polygon)$/.test(geometry.type)) { return null; }
  var single = geometry.type.slice(5);
  return kmlNode(doc, "MultiGeometry", c.map(function (part) { return kmlGeometry(doc, { type: single, coordinates: part }); }));
}

function eventsKml() {
  // One Placemark per event shown: its title as the name, its interval as a TimeSpan (Google Earth's time slider),
  // every export column as ExtendedData, and its place's geometry (none when the location is undisclosed).
  var doc = document.implementation.createDocument(KML_NS, "kml", null), headers = exportHeaders();
  var citation = cite();
  var folder = kmlNode(doc, "Document", [
    kmlNode(doc, "name", null, citation ? citation.title : state.data.title),
    citation ? kmlNode(doc, "description", null, citation.text) : null
  ]);
  shownEvents().forEach(function (event) {
    var row = eventCells(event, headers);
    var data = kmlNode(doc, "ExtendedData", headers.map(function (name) {
      var field = kmlNode(doc, "Data", [kmlNode(doc, "value", null, row[name] === null ? "" : row[name])]);
      field.setAttribute("name", name);
      return field;
    }));
    folder.appendChild(kmlNode(doc, "Placemark", [
      kmlNode(doc, "name", null, englishText(event, "title")),
      kmlNode(doc, "TimeSpan", [kmlNode(doc, "begin", null, event.when.start), kmlNode(doc, "end", null, event.when.end)]),
      data,
      kmlGeometry(doc, eventGeometry(event))
    ]));
  });
  doc.documentElement.appendChild(folder);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + new XMLSerializer().serializeToString(doc) + "\n";
}

/* ---------- files ---------- */

var ISO_DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, FILE_NAME = /^[a-z0-9][a-z0-9.-]{0,150}$/;

function fileStem() {
  // The case's title reduced to a slug (accents dropped, anything but a-z and 0-9 a hyphen): a name the build's
  // data cannot turn into a path, a hidden file or markup.
  var slug = String(state.data.title || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  // At most 48 characters, cut at a hyphen so no word is left half.
  if (slug.length > 48) { slug = slug.slice(0, 49).replace(/-[^-]*$/, ""); }
  return slug || "casemap";
}

function eventsFileName(extension) {
  var from = state.ticks[state.range[0]], to = state.ticks[state.range[1]];
  var range = ISO_DAY.test(from) && ISO_DAY.test(to) ? "-" + from + "-to-" + to : "";
  return checkedName(fileStem() + "-events" + range + "." + extension);
}

function checkedName(name) {
  return FILE_NAME.test(name) ? name : "casemap-download." + name.split(".").pop().replace(/[^a-z]/g, "");
}

function saveFile(name, type, body) {
  // A Blob and a link with a download attribute: no network, no server, and from file:// too.
  var url = URL.createObjectURL(new Blob([body], { type: type }));
  var anchor = el("a", { href: url, download: name, hidden: true });
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // The download has taken its copy once the click is handled; the URL is let go after it.
  window.setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
}

// name: the format's own name, the same in every language (shown on its button).
var EVENT_FORMATS = [
  { name: "GeoJSON", extension: "geojson", type: "application/geo+json", make: eventsGeojson },
  { name: "CSV", extension: "csv", type: "text/csv;charset=utf-8", make: eventsCsv },
  { name: "KML", extension: "kml", type: "application/vnd.google-earth.kml+xml", make: eventsKml }
];

function downloadControl() {
  // A disclosure in the panel's foot: the events shown in three formats, and a chosen layer as GeoJSON.
  var eventButtons = EVENT_FORMATS.map(function (format) {
    return el("button", { type: "button", "data-download": "events-" + format.extension, text: format.name,
      onclick: function () { saveFile(eventsFileName(format.extension), format.type, format.make()); } });
  });
  var picker = el("select", { id: "cm-download-layer", "data-download": "layer-choice" }, list(state.data.layers).map(function (layer) {
    return el("option", { value: layer.key, text: text(layer.title) });
  }));
  var layerButton = el("button", { type: "button", "data-download": "layer", text: t("download.layer_button"), onclick: function () {
    var key = picker.value;
    if (!state.layers[key]) { return; }
    saveFile(checkedName(fileStem() + "-layer-" + key + ".geojson"), "application/geo+json", layerGeojson(key));
  } });
  var body = el("div", { className: "cm-download-body", id: "cm-download-body", hidden: true }, [
    el("p", { className: "cm-small cm-muted", text: t("download.note") }),
    el("div", { className: "cm-download-row", role: "group", "aria-label": t("download.events") }, [
      el("span", { className: "cm-small", text: t("popups.label", { label: t("download.events") }) })
    ].concat(eventButtons)),
    el("div", { className: "cm-download-row" }, [
      el("label", { className: "cm-small", for: "cm-download-layer", text: t("popups.label", { label: t("download.layer") }) }), picker, layerButton
    ])
  ]);
  var toggle = el("button", { type: "button", className: "cm-download-toggle", "aria-expanded": "false",
    "aria-controls": "cm-download-body", text: t("download.toggle"), onclick: function () {
      body.hidden = !body.hidden;
      toggle.setAttribute("aria-expanded", String(!body.hidden));
    } });
  return { toggle: toggle, body: body };
}

function mountDownloads(panel) {
  // The control sits in the panel's foot, beside "Sources and method"; its choices open below it.
  var foot = panel.querySelector(".cm-panel-foot"), control = downloadControl();
  if (!foot) { return; }
  foot.appendChild(control.toggle);
  foot.appendChild(control.body);
}
