// main: start-up and its failure notice, layer styles, labels, run; a piece of the one casemap script (assets.py)
/* ---------- start ---------- */

/* A map that cannot start says so in the page, never a grey map without a word (issue #10, finding 10).
 * folium's own script builds the layers and then calls Casemap.start: layer content the page cannot draw
 * throws there, and nothing after it runs; so once the page has loaded, a start that never came is shown. */
var started = false, firstError = null;
window.addEventListener("error", function (event) { firstError = firstError || event.message || startupText("main.fatal.unknown"); });
window.addEventListener("load", function () {
  if (!started) { showFatal(firstError || startupText("main.fatal.no_script")); }
});

function startupText(key) {
  // The notice's words travel in the script itself (STARTUP_TEXT, written by the build from the catalogues), not in
  // the data block: a block that cannot be decoded must still be reported in the reader's language.
  return own(own(STARTUP_TEXT, currentLanguage()), key) || own(own(STARTUP_TEXT, "en"), key) || key;
}

function showFatal(message) {
  document.documentElement.setAttribute("data-casemap-ready", "failed");
  if (document.querySelector(".cm-fatal")) { return; }
  document.body.appendChild(el("div", { className: "cm-fatal", role: "alert" }, [
    el("strong", { text: startupText("main.fatal.title") }), " ",
    startupText("main.fatal.report"), " ", el("code", { text: shown(message) })
  ]));
}

Casemap.start = function (options) {
  started = true;
  return decodeData(document.getElementById(options.dataElement)).then(function (data) { run(options, data); })
    .catch(function (error) {
      showFatal(error && error.message || String(error));
      throw error;
    });
};

var COLOUR = /^#[0-9a-fA-F]{6}$/, DASHES = /^[0-9]{1,2}( [0-9]{1,2}){1,5}$/;
var STYLE_RANGES = table({ weight: [0, 20], opacity: [0, 1], fillOpacity: [0, 1], radius: [1, 30] });

function safeStyle(style) {
  // Leaflet path options from the closed set, each value checked again here (the build checked them first):
  // colours as #rrggbb, numbers in range, dash patterns as digits and spaces. Anything else is left out.
  var out = {};
  ["color", "fillColor"].forEach(function (key) { var v = own(style, key); if (typeof v === "string" && COLOUR.test(v)) { out[key] = v; } });
  var dash = own(style, "dashArray");
  if (typeof dash === "string" && DASHES.test(dash)) { out.dashArray = dash; }
  Object.keys(STYLE_RANGES).forEach(function (key) {
    var v = own(style, key), range = STYLE_RANGES[key];
    if (typeof v === "number" && isFinite(v) && v >= range[0] && v <= range[1]) { out[key] = v; }
  });
  return out;
}

function styleLayer(leaflet, layer) {
  var base = safeStyle(layer.style), byFeature = mapOf(layer.featureStyles);
  leaflet.eachLayer(function (sub) {
    var id = sub.feature && sub.feature.id, style = Object.assign({}, base, safeStyle(byFeature.get(id)));
    if (sub.setStyle) { sub.setStyle(style); }
    // A point in any layer is a circle marker (render.py): its radius is part of its style.
    if (sub.setRadius) { sub.setRadius(style.radius || 5); }
  });
}

function labelsOf(records) {
  // id -> label, in the case's order, for a list of {id, label} records from case.yaml.
  var map = new Map();
  list(records).forEach(function (record) { if (typeof own(record, "id") === "string") { map.set(record.id, text(record.label)); } });
  return map;
}

// The map's credit line, one entry per dataset the case's layers were made from (the manifest's datasets). Leaflet
// writes attributions as HTML, so only the catalogue's fixed words reach it, escaped: a dataset name from the manifest
// serves as a key into the table, never as text. The keys are the engine's own (geo/casefile/builders.py, each
// builder's datasets); the values are catalogue keys.
var DATASET_CREDITS = table({
  dcw: "main.credit.dcw",
  geonames: "main.credit.geonames",
  "gshhg-rivers": "main.credit.gshhg",
  "gshhg-lakes": "main.credit.gshhg"
});

function datasetCredits(datasets) {
  var credits = [];
  Object.keys(datasets || {}).forEach(function (key) {
    var credit = own(DATASET_CREDITS, key);
    if (credit && credits.indexOf(t(credit)) < 0) { credits.push(t(credit)); }
  });
  return credits.concat([t("main.credit.leaflet")]).join(" · ");
}

function escapeHtml(words) {
  // For the one place text is handed to Leaflet as HTML (the credit line): the catalogue's words as text.
  return String(words).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// Leaflet's scale bar writes "km" and "m" in English (Control.Scale._updateMetric, Leaflet 1.9): the same bar, its
// label in the page's language. _getRoundNum and _updateScale are Leaflet 1.9's own steps, called as it calls them.
var ScaleControl = L.Control.Scale.extend({
  _updateMetric: function (maxMeters) {
    var meters = this._getRoundNum(maxMeters);
    var label = meters < 1000 ? t("main.scale_m", { distance: meters }) : t("main.scale_km", { distance: meters / 1000 });
    this._updateScale(this._mScale, label, meters / maxMeters);
  }
});

function run(options, data) {
  var map = options.map;
  messages = data.messages;
  // The events travel as columns (columns.js): every piece below reads them as objects.
  data.events = expandEvents(data.events);
  // The case's texts in the page's language, in place before anything is drawn (content.js).
  applyContentLanguage(data, currentLanguage());
  nameDocument(data);
  // Everything keyed by data ids becomes a Map before any lookup (finding 6).
  data.places = mapOf(data.places);
  data.sources = mapOf(data.sources);
  var layerRecords = new Map(list(data.layers).map(function (layer) { return [layer.key, layer]; }));
  addGeometry(options.layers, data);
  bindFeatures(data, layerRecords);
  var index = buildIndex(data);
  state = {
    data: data, map: map, events: data.events, layers: Object.assign(Object.create(null), options.layers),
    bases: mapOf(options.bases),
    groups: index.groups, areaEvents: index.areaEvents, undisclosed: index.undisclosed, ticks: index.ticks,
    eventsByPlace: index.eventsByPlace, scale: index.scale, categoryIds: index.categories, categoryOf: index.categoryOf,
    areaPlaces: index.areaPlaces, areaOf: index.areaOf, groupOf: index.groupOf,
    visible: new Uint8Array(data.events.length), shown: [], range: [0, Math.max(0, index.ticks.length - 1)],
    categories: new Map(), selected: null, layerOn: new Map(), layerBoxes: new Map(), baseRadios: new Map(), base: "plain",
    highlight: null, ready: false, layerRecords: layerRecords, categoryText: labelsOf(data.categories),
    axis: "happened", query: "", queryMatch: null
  };
  Casemap.state = state;
  if (!state.ticks.length) { state.ticks = ["0000-01-01"]; }

  // Style the folium layers from their records (case.yaml `style` and `feature_styles`), validated by the
  // build and checked again by safeStyle: styles never pass through folium's templates (docs/security.md).
  data.layers.forEach(function (layer) {
    styleLayer(options.layers[layer.key], layer);
    state.layerOn.set(layer.key, layer.visible === true);
    if (layer.visible === true) { options.layers[layer.key].addTo(map); }
  });
  orderLayers();

  // Event symbols above every area layer, and the map's click routing (symbols.js).
  drawEventSymbols(map, index);

  state.searchIndex = null;
  var panel = sidePanel();
  mountDownloads(panel);
  document.body.appendChild(panel);
  document.body.classList.add("cm-body");
  state.method = methodPanel();
  document.body.appendChild(state.method);

  L.control.zoom({ position: "topleft", zoomInTitle: t("main.zoom_in"), zoomOutTitle: t("main.zoom_out") }).addTo(map);
  control("topleft", fullscreenControl).addTo(map);
  // Measure above the key on the right: the open key unfolds downwards without moving it.
  control("topright", measureControl).addTo(map);
  control("topright", mapKeyControl).addTo(map);
  new ScaleControl({ position: "bottomleft", imperial: false }).addTo(map);
  control("bottomleft", coordinatesControl).addTo(map);
  control("bottomleft", undisclosedControl).addTo(map);
  map.getContainer().appendChild(noticeControl());
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(escapeHtml(datasetCredits(own(data.method, "datasets"))));
  installAccess();

  setBase("plain");
  map.invalidateSize();
  map.fitBounds(data.view.bounds, { animate: false, paddingBottomRight: [openKeyWidth(map), 0] });
  setRange(0, state.ticks.length - 1);
  state.ready = true;
  restoreFromHash();
  // Moving the map replaces the link; Back, Forward and a pasted link are followed by link.js (popstate, hashchange).
  map.on("moveend", writeHash);
  document.documentElement.setAttribute("data-casemap-ready", "true");
  prepareSearch();
}

// The tab, the bookmark and a printed page's header name the case in the page's language: the head the build wrote
// (case.yaml's English title and description) is replaced by the texts the page shows, as text.
function nameDocument(data) {
  if (typeof data.title === "string" && data.title) { document.title = data.title; }
  var description = document.querySelector('meta[name="description"]');
  if (description && typeof data.description === "string" && data.description) { description.setAttribute("content", data.description); }
}

// The open map key lies over the right of the map (mapkey.js keeps it open on a map of 640 x 480 or more): the first
// view leaves its width free, so that no part of the case's area starts hidden under it. The controls are not shown
// until the page is ready (casemap.css), so they are shown for this one measurement.
function openKeyWidth(map) {
  var key = map.getContainer().querySelector(".cm-key"), controls = map.getContainer().querySelector(".leaflet-control-container");
  if (!key || !controls || key.querySelector(".cm-key-body").hidden) { return 0; }
  controls.style.display = "block";
  var box = key.getBoundingClientRect(), right = map.getContainer().getBoundingClientRect().right;
  controls.style.removeProperty("display");
  return Math.ceil(right - box.left);
}

// The fast paths of issue #18 beside the plain ones they must equal, for tests/browser/test_page_scale.py.
Casemap.scaleChecks = Object.freeze({ fold: fold, parseJsonBytes: parseJsonBytes, base85Bytes: base85Bytes,
  textBlock: textBlock, blockKinds: blockKinds, mayHold: mayHold, expandEvents: expandEvents });

window.Casemap = Casemap;
