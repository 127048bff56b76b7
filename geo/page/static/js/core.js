// core: state, own/table/list/text/mapOf, label tables, the interface language (t, tn, formatNumber, formatDay), el, safeHref, link, fold, dayLabel; a piece of the one casemap script (assets.py)
/* casemap: the case application on top of a folium/Leaflet map.
 *
 * Every string that comes from the data reaches the page through el()/text nodes (textContent), never
 * through innerHTML, so no value in the data can become markup or script. The data arrives as one block
 * of gzip-compressed JSON in base 85 (a script element of a type browsers never run; geo/page/text85.py).
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

// The claim statuses, in the legend's order, and how precisely an event's place is known, in plain words: the one
// set of words the list, the card, the search and the announcements read (issue #12: "known to the settlement" was
// jargon). Each entry reads the catalogue in the page's language when it is read (catalogueTable).
var STATUS_TEXT = catalogueTable("core.status.", ["corroborated", "corrected", "disputed", "unverified"]);
// What each status means (docs/claim-statuses.md), shown in the legend and the method panel.
var STATUS_MEANING = catalogueTable("core.status_meaning.", Object.keys(STATUS_TEXT));
var PRECISION_TEXT = catalogueTable("core.precision.", ["exact", "settlement", "district", "region", "undisclosed"]);
// Category and layer-group labels come from the case (case.yaml, through the data block): see labelsOf().

function catalogueTable(prefix, names) {
  // A fixed table of the code's own names whose values are catalogue messages (prefix + name), looked up when read.
  var entries = Object.create(null);
  names.forEach(function (name) {
    Object.defineProperty(entries, name, { enumerable: true, get: function () { return t(prefix + name); } });
  });
  return Object.freeze(entries);
}

/* ---------- the interface language (geo/page/messages/*.yaml, checked by the build; issue #14) ---------- */

// The languages the page speaks; the link's lang= chooses one (absent or unknown: English). Each has the BCP 47 tag
// <html lang> and Intl take: Simplified Chinese is zh-Hans (the catalogue is written in simplified characters); English
// dates read day month year, as the page wrote them before (en-GB).
var LANGUAGES = ["en", "ru", "zh"];
var LANGUAGE_TAGS = table({ en: "en", ru: "ru", zh: "zh-Hans" });
var INTL_LOCALES = table({ en: "en-GB", ru: "ru", zh: "zh-Hans" });
var messages = null; // data.messages: {en, ru, zh}, each key -> text or {plural category: text}; set by run()

function languageInLink() {
  // lang= in the link, decoded as link.js readHash decodes it (the last one wins), or null: read before the data
  // block decodes (the start-up notice needs it). link.js reads the same value and reloads only when they differ.
  var found = null;
  (location.hash || "").replace(/^#/, "").split("&").forEach(function (part) {
    var k = part.indexOf("=");
    try {
      if (k > 0 && decodeURIComponent(part.slice(0, k)) === "lang") { found = decodeURIComponent(part.slice(k + 1)); }
    } catch (e) { /* not valid percent-encoding: readHash names it in the notice */ }
  });
  return found;
}

var pageLanguage = LANGUAGES.indexOf(languageInLink()) >= 0 ? languageInLink() : "en";
document.documentElement.setAttribute("lang", LANGUAGE_TAGS[pageLanguage]);

function currentLanguage() { return pageLanguage; }

function lookupMessage(key) {
  var catalogue = messages ? own(messages, pageLanguage) : undefined, found = own(catalogue, key);
  if (found === undefined) { console.error("casemap: no message " + key + " in " + pageLanguage); }
  return found;
}

function fill(message, params) {
  // {name} -> params.name as text (a number as the language writes it); a name without a value stays visible.
  return String(message).replace(/\{([a-z_]+)\}/g, function (whole, name) {
    var value = own(params, name);
    if (value === undefined) { return whole; }
    return typeof value === "number" ? formatNumber(value) : String(value);
  });
}

function t(key, params) {
  // The message for key in the page's language, its placeholders filled; the key itself when the catalogue lacks it.
  var message = lookupMessage(key);
  return typeof message === "string" ? fill(message, params) : key;
}

function tn(key, n, params) {
  // The plural form the language uses for n (CLDR, through Intl.PluralRules), {n} and params filled.
  var forms = lookupMessage(key);
  if (forms === null || typeof forms !== "object") { return key; }
  var category = intlObject("PluralRules", INTL_LOCALES[pageLanguage], {}).select(n);
  var message = own(forms, category) !== undefined ? own(forms, category) : own(forms, "other");
  return message === undefined ? key : fill(message, Object.assign({}, params, { n: n }));
}

function intlObject(kind, locale, options) {
  // One Intl formatter per kind, locale and options, made once: making one costs far more than using it (a list of
  // 100,000 events writes a date for each).
  var key = kind + " " + locale + " " + JSON.stringify(options), made = intlObjects.get(key);
  if (!made) { made = new Intl[kind](locale, options); intlObjects.set(key, made); }
  return made;
}
var intlObjects = new Map();

function formatNumber(n, options) {
  return intlObject("NumberFormat", INTL_LOCALES[pageLanguage], options || {}).format(n);
}

function isoDate(iso) {
  // YYYY, YYYY-MM or YYYY-MM-DD as the UTC midnight it starts (never the reader's time zone).
  var parts = String(iso).split("-").map(Number);
  return new Date(Date.UTC(parts[0], (parts[1] || 1) - 1, parts[2] || 1));
}

function formatDate(iso, fields, language) {
  // In the page's language unless language says (markers.js compares with the English the build wrote).
  var locale = INTL_LOCALES[language || pageLanguage];
  return intlObject("DateTimeFormat", locale, Object.assign({ timeZone: "UTC" }, fields)).format(isoDate(iso));
}

function formatDay(iso) { return formatDate(iso, { day: "numeric", month: "long", year: "numeric" }); }
function formatMonth(iso) { return formatDate(iso, { month: "long", year: "numeric" }); }
function formatYear(iso) { return formatDate(iso, { year: "numeric" }); }

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
  return formatDay(iso);
}
