// core: state, own/table/list/text/mapOf, label tables, el, safeHref, link, fold, dayLabel; a piece of the one casemap script (assets.py)
/* casemap: the case application on top of a folium/Leaflet map.
 *
 * Every string that comes from the data reaches the page through el()/text nodes (textContent), never
 * through innerHTML, so no value in the data can become markup or script. The data arrives as one block
 * of gzip-compressed JSON in base64 (a script element of a type browsers never run).
 */

var Casemap = {};
// Data ids and link values are never keys of plain objects: an id such as "constructor" would find
// Object.prototype's member instead of nothing (issue #10, finding 6). They key Maps (mapOf); fixed tables
// of the code's own names have no prototype (table); a record decoded from the data is read through own().
var featureIndex = new Map(); // feature id -> {layer: L.Layer, feature: GeoJSON feature, key: layer key}
var drawnFeatures = []; // {layer, feature, key} in the order folium drew them; named by bindFeatures()
var state = null; // set by start()
var hasOwn = Object.prototype.hasOwnProperty;

function own(object, key) {
  // The value stored under key in object itself, never one inherited from a prototype.
  return object !== null && typeof object === "object" && hasOwn.call(object, key) ? object[key] : undefined;
}

function table(entries) {
  // A fixed lookup table with no prototype: table[anyString] is the entry or undefined.
  return Object.freeze(Object.assign(Object.create(null), entries));
}

function list(value) {
  // A layer's properties are shown as the build accepted them: a list that is not a list is no list.
  return Array.isArray(value) ? value : [];
}

function text(value) {
  // A property shown as text: strings and numbers only, anything else is left out.
  return typeof value === "string" || (typeof value === "number" && isFinite(value)) ? String(value) : "";
}

function mapOf(object) {
  // A decoded JSON object keyed by data ids, as a Map (Object.keys lists own keys only).
  var map = new Map();
  if (object !== null && typeof object === "object") {
    Object.keys(object).forEach(function (key) { map.set(key, object[key]); });
  }
  return map;
}

var STATUS_TEXT = table({
  corroborated: "Corroborated",
  corrected: "Corrected",
  disputed: "Disputed",
  unverified: "Unverified"
});
// What each status means (docs/claim-statuses.md), shown in the legend and the method panel.
var STATUS_MEANING = table({
  corroborated: "independent sources confirm the claim as the article states it.",
  corrected: "sources show the claim is wrong; the card says what is right.",
  disputed: "credible sources disagree with each other.",
  unverified: "no independent confirmation was found."
});
// How precisely an event's place is known, in plain words: the one table the list, the card, the search and the
// announcements read (issue #12: "known to the settlement" was jargon).
var PRECISION_TEXT = table({
  exact: "exact site known",
  settlement: "town known",
  district: "only the district is known",
  region: "only the region is known",
  undisclosed: "location undisclosed"
});
// Category and layer-group labels come from the case (case.yaml, through the data block): see labelsOf().
var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];

/* ---------- small DOM helpers: text only ---------- */

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { node.textContent = String(value); }
      else if (name === "className") { node.className = value; }
      else if (name.slice(0, 2) === "on") { node.addEventListener(name.slice(2), value); }
      else { node.setAttribute(name, value === true ? "" : String(value)); }
    });
  }
  (children || []).forEach(function (child) {
    if (child === null || child === undefined || child === "") { return; }
    // Anything that is not already a node is text, whatever its type (a number in a layer's properties).
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}

function safeHref(url) {
  // The build accepts only http(s) URLs; check again here as a second wall.
  try {
    var parsed = new URL(url);
    return (parsed.protocol === "https:" || parsed.protocol === "http:") ? parsed.href : null;
  } catch (e) {
    return null;
  }
}

function link(url, label) {
  // label: text or a node. dir=auto isolates the text from what stands beside it: a title in Arabic or Hebrew
  // does not reorder the date or the punctuation that follow it (Unicode bidi; HTML's dir=auto isolates).
  var href = safeHref(url);
  if (!href) { return el("span", { dir: "auto" }, [label]); }
  return el("a", { href: href, target: "_blank", rel: "noopener noreferrer", dir: "auto" }, [label]);
}

function fold(text) {
  // Fold spellings together for search: case, accents, and transliteration variants
  // (y/i, kh/h, tch/ch, doubled letters: the ways one name is written in Latin letters).
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/kh/g, "h").replace(/[yj]/g, "i").replace(/tch/g, "ch").replace(/ie/g, "e")
    .replace(/[^0-9a-z\u0400-\u04ff\u3400-\u9fff]+/g, " ").replace(/(.)\1+/g, "$1").trim();
}

/* ---------- dates ---------- */

function dayLabel(iso) {
  var parts = iso.split("-");
  return String(Number(parts[2])) + " " + MONTHS[Number(parts[1]) - 1] + " " + parts[0];
}
