// link: deep links read, checked and written; history; copy link; notices of what a link could not do; a piece of the one casemap script (assets.py)
/* ---------- deep links: #layers=…&from=…&to=…&cat=…&event=…&view=lat,lon,zoom (and base, axis, status, q, …) ----------
 * A link is input from anyone: every value is checked against what this page has, a bad or unknown
 * value is ignored and named in a notice (issue #10, finding 9), and no value can make the page load
 * tiles from the network: only the reader's own choice in the map key does that (finding 15).
 * The link carries all the state a reader can set (issue #13): each parameter is one record of LINK_PARAMETERS,
 *   read(value, problems, params): apply the value (undefined: the parameter is absent, so restore the default, as
 *     Back to a link without it must); name what it cannot use in problems;
 *   write(): the value to write, or null when the state is the default (the link stays short).
 * Records are read in this order: filters first, then the event (whose visibility the filters decide), then the
 * view; they are written in the same order. */

var LINK_PARAMETERS = [
  // The language first: a different one reloads the page, which then reads every other parameter in that language.
  { name: "lang", read: readLanguageParameter, write: function () { return currentLanguage() !== "en" ? currentLanguage() : null; } },
  { name: "base", read: readBaseParameter, write: function () { return state.base !== "plain" ? state.base : null; } },
  { name: "layers", read: readLayersParameter, write: writeLayersParameter },
  // A chapter before the filters: opening one resets the verdicts, categories and time window the link then sets.
  { name: "chapter", read: readChapterParameter, write: function () { return typeof state.chapter === "string" ? state.chapter : null; } },
  // The axis before the range: from and to are days on it.
  { name: "axis", read: readAxisParameter, write: function () { return state.axis === "public" ? "public" : null; } },
  // from and to are one range: "from" reads both.
  { name: "from", read: readRangeParameters, write: function () { return rangeIsAll() ? null : state.ticks[state.range[0]]; } },
  { name: "to", read: null, write: function () { return rangeIsAll() ? null : state.ticks[state.range[1]]; } },
  { name: "cat", read: readCategoriesParameter, write: writeCategoriesParameter },
  // The story's and the search's parameters read only when the page has their state (a case without story.yaml has
  // no chapters), so a link to a feature this page lacks is named in the notice, never half-applied.
  { name: "status", read: readStatusParameter, write: writeStatusParameter },
  { name: "q", read: readQueryParameter, write: function () { return typeof state.query === "string" && state.query ? state.query : null; } },
  { name: "panel", read: readPanelParameter, write: function () { return state.panelView === "claims" ? "claims" : null; } },
  { name: "event", read: readEventParameter, write: function () { return state.selected !== null && state.selected !== undefined ? state.events[state.selected].id : null; } },
  // The view last: opening an event's card resizes the map, which would move a view set before it.
  { name: "view", read: readViewParameter, write: writeViewParameter }
];
var LINK_NAMES = new Set(LINK_PARAMETERS.map(function (p) { return p.name; }));
var NUMBER = /^[+-]?(?:\d{1,12}(?:\.\d{0,12})?|\.\d{1,12})$/;
var ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// The claim statuses a link may name, and "none": events without a claim (SESSION21 contract).
var LINK_STATUSES = ["corroborated", "corrected", "disputed", "unverified", "none"];
var LINK_AXES = ["happened", "public"];
// A notice starts with what was done with the link: ignored (the default) or adjusted (problem[3]), keys of link.notice.
var LINK_LEAD_IGNORED = "link.notice.ignored", LINK_LEAD_CHANGED = "link.notice.adjusted";

function readHash() {
  // The fragment as a Map of parameter -> value, and a list of the parts that were not used.
  var params = new Map(), problems = [];
  (location.hash || "").replace(/^#/, "").split("&").forEach(function (part) {
    if (part === "") { return; }
    var k = part.indexOf("="), name, value;
    try {
      name = decodeURIComponent(k > 0 ? part.slice(0, k) : part);
      value = k > 0 ? decodeURIComponent(part.slice(k + 1)) : "";
    } catch (e) {
      problems.push([t("link.notice.part"), part, t("link.problem.encoding")]);
      return;
    }
    if (k <= 0) { problems.push([t("link.notice.part"), part, t("link.problem.name_value")]); }
    else if (!LINK_NAMES.has(name)) { problems.push([name, value, t("link.problem.unknown_name", { names: Array.from(LINK_NAMES).join(", ") })]); }
    else { params.set(name, value); }
  });
  return { params: params, problems: problems };
}

function readLanguageParameter(value, problems) {
  // lang=en|ru|zh; absent: English. The interface is written once, in the language the page started in (core.js
  // pageLanguage): another language is a reload of the same link, which keeps the event, the filters and the view.
  var wanted = value === undefined ? "en" : value;
  if (LANGUAGES.indexOf(wanted) < 0) {
    problems.push(["lang", value, t("link.problem.lang", { languages: LANGUAGES.join(", ") })]);
    return;
  }
  if (wanted !== currentLanguage()) { location.reload(); }
}

function switchLanguage(language) {
  // The language switch: this page's link with lang= changed, then the page again from it. Re-rendering in place would
  // ask every piece to redraw every word it wrote; the link already carries all the reader's state (issue #13).
  if (LANGUAGES.indexOf(language) < 0 || language === currentLanguage()) { return; }
  clearTimeout(hashTimer);
  var hash = currentHash().replace(/^#(lang=[a-z]+&?)?/, "#"), lead = language === "en" ? "" : "lang=" + language;
  hash = "#" + lead + (lead && hash.length > 1 ? "&" : "") + hash.slice(1);
  try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
  location.reload();
}

function commaList(value) {
  // "a,b,c" as a list of ids; the empty value is the empty list (nothing chosen).
  return value === "" ? [] : value.split(",");
}

/* ---------- each parameter: read and write ---------- */

function readViewParameter(value, problems) {
  // "lat,lon,zoom" as this page writes it: plain decimals within the map's range. Absent: the map keeps its view.
  // The zoom range is the build's (data.view.maxZoom): the Leaflet map itself is made without limits.
  if (value === undefined) { return; }
  var parts = value.split(","), maxZoom = Number(state.data.view.maxZoom) || 18;
  var numbers = parts.length === 3 && parts.every(function (part) { return NUMBER.test(part); }) ? parts.map(Number) : null;
  if (numbers && Math.abs(numbers[0]) <= 90 && Math.abs(numbers[1]) <= 180 && numbers[2] >= 0 && numbers[2] <= maxZoom) {
    state.map.setView([numbers[0], numbers[1]], numbers[2], { animate: false });
    return;
  }
  problems.push(["view", value, t("link.problem.view", { max_zoom: maxZoom })]);
}

function writeViewParameter() {
  // The longitude is written within -180..180 so that the link reads back (readViewParameter).
  var c = state.map.getCenter(), lng = L.Util.wrapNum(c.lng, [-180, 180], true);
  return c.lat.toFixed(4) + "," + lng.toFixed(4) + "," + state.map.getZoom();
}

function linkDay(name, value, problems) {
  // A real calendar day written YYYY-MM-DD, or null.
  var match = ISO_DAY.exec(value);
  if (match) {
    var day = new Date(0);
    day.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (day.getUTCFullYear() === Number(match[1]) && day.getUTCMonth() === Number(match[2]) - 1 &&
        day.getUTCDate() === Number(match[3])) { return value; }
  }
  problems.push([name, value, t("link.problem.date")]);
  return null;
}

function rangeIsAll() {
  return state.range[0] === 0 && state.range[1] === state.ticks.length - 1;
}

function readRangeParameters(value, problems, params) {
  // Both ends absent: all time. One end bad: that end is all time's.
  var from = params.has("from") ? linkDay("from", params.get("from"), problems) : null;
  var to = params.has("to") ? linkDay("to", params.get("to"), problems) : null;
  var a = from !== null ? tickIndexFor(from, false) : 0, b = to !== null ? tickIndexFor(to, true) : state.ticks.length - 1;
  if (a !== state.range[0] || b !== state.range[1]) { setRange(a, b); }
}

function readBaseParameter(value, problems) {
  // Only the offline base may be switched to by a link; a tile map waits for the reader (finding 15).
  if (value === undefined) { value = "plain"; }
  if (value === state.base) { return; }
  var base = state.data.bases.filter(function (b) { return b.key === value; })[0];
  if (!base) { problems.push(["base", value, t("link.problem.base")]); return; }
  if (!base.offline) {
    problems.push(["base", value, t("link.problem.base_online", { base: baseTitle(base) })]);
    return;
  }
  setBase(value);
}

function knownIds(name, value, known, problems, unknownKey) {
  // The ids of a comma list this page has; each unknown one named in the notice. A list of nothing but unknown ids
  // (a typo) gives null: the parameter is ignored rather than hiding everything.
  var wanted = commaList(value), found = new Set(wanted.filter(function (id) { return known.has(id); }));
  wanted.forEach(function (id) {
    if (!known.has(id)) { problems.push([name, id, t(unknownKey, { ids: Array.from(known).join(", ") })]); }
  });
  return wanted.length && !found.size ? null : found;
}

function readCategoriesParameter(value, problems) {
  // cat=: the categories shown; absent: all of them.
  var known = new Set(state.categoryText.keys());
  var shownIds = value === undefined ? null : knownIds("cat", value, known, problems, "link.problem.unknown_category");
  setCategories(shownIds || known);
}

function writeCategoriesParameter() {
  var ids = Array.from(state.categoryText.keys());
  var shownIds = ids.filter(function (id) { return state.categories.get(id) !== false; });
  return shownIds.length === ids.length ? null : shownIds.join(",");
}

function setCategories(shownIds) {
  // The categories shown, their boxes in the panel (panel.js marks each with data-category) agreeing.
  var changed = false;
  state.categoryText.forEach(function (label, id) {
    var on = shownIds.has(id);
    if ((state.categories.get(id) !== false) !== on) { changed = true; }
    state.categories.set(id, on);
  });
  document.querySelectorAll(".cm-categories input[data-category]").forEach(function (box) {
    box.checked = shownIds.has(box.getAttribute("data-category"));
  });
  if (changed) { applyFilter(); }
}

function readLayersParameter(value, problems) {
  // layers=: the keys of the layers shown; absent: the case's defaults (case.yaml `visible`).
  var keys = state.data.layers.map(function (layer) { return layer.key; });
  var shownKeys = (value === undefined ? null : knownIds("layers", value, new Set(keys), problems, "link.problem.unknown_layer")) || defaultLayers();
  keys.forEach(function (key) {
    if (state.layerOn.get(key) !== shownKeys.has(key)) { setLayer(key, shownKeys.has(key)); }
  });
}

function defaultLayers() {
  return new Set(state.data.layers.filter(function (layer) { return layer.visible === true; }).map(function (layer) { return layer.key; }));
}

function writeLayersParameter() {
  var defaults = defaultLayers();
  var shownKeys = state.data.layers.map(function (layer) { return layer.key; }).filter(function (key) { return state.layerOn.get(key); });
  var same = shownKeys.length === defaults.size && shownKeys.every(function (key) { return defaults.has(key); });
  return same ? null : shownKeys.join(",");
}

function lacking(name, value, problems, lackingKey) {
  // A parameter of a feature this page does not have (yet): named, never half-applied.
  if (value !== undefined) { problems.push([name, value, t(lackingKey)]); }
}

function readAxisParameter(value, problems) {
  // axis=public: the time filter reads when events became public (timeline helper: setAxis, state.axis).
  if (value !== undefined && LINK_AXES.indexOf(value) < 0) {
    problems.push(["axis", value, t("link.problem.axis", { axes: LINK_AXES.join(", ") })]);
    return;
  }
  var axis = value === undefined ? "happened" : value;
  if (state.axis !== axis) { setAxis(axis); syncAxisSwitch(); }
}

function readStatusParameter(value, problems) {
  // status=corrected,disputed: the claim statuses shown; absent: all (factcheck.js: setStatuses, state.statuses).
  if (value === undefined) { if (state.statuses) { setStatuses(null); } return; }
  var chosen = knownIds("status", value, new Set(LINK_STATUSES), problems, "link.problem.unknown_status");
  if (chosen) { setStatuses(Array.from(chosen)); }
}

function writeStatusParameter() {
  var chosen = state.statuses;
  if (!(chosen instanceof Set)) { return null; }
  return LINK_STATUSES.filter(function (status) { return chosen.has(status); }).join(",");
}

function readQueryParameter(value, problems) {
  // q=: the search text that filters the list (search.js: setQuery, state.query).
  var query = value === undefined ? "" : value;
  if ((state.query || "") !== query) { state.searchInput.value = query; setQuery(query); }
}

function readChapterParameter(value, problems) {
  // chapter=: the chapter of the story shown (story.js); absent: none, the story left quietly (no focus moves).
  if (!storyRecord()) { lacking("chapter", value, problems, "link.problem.no_story"); return; }
  if (value === undefined) { if (state.chapter) { leaveStory("collapsed", { quiet: true }); } return; }
  var k = chapterIndexOf(value);
  if (k < 0) { problems.push(["chapter", value, t("link.problem.unknown_chapter")]); return; }
  if (state.chapter !== value) { openChapter(k, { quiet: true }); }
}

function readPanelParameter(value, problems) {
  // panel=claims: the article as a fact-check in the list's place (factcheck.js); absent: the list.
  if (value === undefined) { if (state.panelView === "claims") { showPanelView("list"); } return; }
  if (!state.factcheck) { lacking("panel", value, problems, "link.problem.no_factcheck"); return; }
  if (value !== "claims") { problems.push(["panel", value, t("link.problem.panel")]); return; }
  if (state.panelView !== "claims") { openFactcheck({ focus: false }); }
}

function readEventParameter(value, problems, params) {
  // event=: the event opened; absent: none. An event the filters hide is shown by widening them, and the notice says so.
  if (value === undefined) { deselect(); return; }
  var i = -1;
  for (var k = 0; k < state.events.length; k++) { if (state.events[k].id === value) { i = k; break; } }
  if (i === -1) { problems.push(["event", value, t("link.problem.unknown_event")]); deselect(); return; }
  revealEvent(i, problems);
  foldSummary();  // a link to an event leads past the first screen, so the list shows its row (story.js)
  var restoreView = params.has("view");
  select(i, { fly: !restoreView, instant: true, restore: restoreView });
}

function revealEvent(i, problems) {
  // Widen the time range and the categories to include event i; what still hides it (status, search) is named.
  if (state.visible[i]) { return; }
  var event = state.events[i], span = axisInterval(event), widened = [];
  if (span.end < state.ticks[state.range[0]] || span.start > state.ticks[state.range[1]]) {
    setRange(Math.min(state.range[0], tickIndexFor(span.start, false)), Math.max(state.range[1], tickIndexFor(span.end, true)));
    widened.push(t("link.problem.widened_time", { from: state.ticks[state.range[0]], to: state.ticks[state.range[1]] }));
  }
  if (state.categories.get(event.category) === false) {
    var shownIds = new Set(Array.from(state.categoryText.keys()).filter(function (id) { return state.categories.get(id) !== false; }));
    shownIds.add(event.category);
    setCategories(shownIds);
    widened.push(t("link.problem.widened_category", { category: state.categoryText.get(event.category) || event.category }));
  }
  if (!state.visible[i]) { widened.push(t("link.problem.still_hidden")); }
  problems.push(["event", event.id, t("link.problem.revealed", { changes: widened.join(t("link.list_separator")) }), LINK_LEAD_CHANGED]);
}

function deselect() {
  // No event chosen: the card closes and no row or dot is marked.
  if (state.selected === null || state.selected === undefined) { return; }
  state.selected = null;
  closeCard();
  state.dots.setSelected(-1);
  if (state.highlight) { state.map.removeLayer(state.highlight); state.highlight = null; }
  state.list.draw();
}

/* ---------- writing the link, and history ----------
 * Choosing an event pushes a history entry, so Back returns to the event before (issue #13); moving the map and
 * changing a filter replace the current entry, so history is not flooded. Back and Forward restore what the entry's
 * link says (popstate). */

function currentHash() {
  var parts = [];
  LINK_PARAMETERS.forEach(function (parameter) {
    var value = parameter.write();
    // Commas stay readable: every comma list is split after decoding.
    if (value !== null && value !== undefined) { parts.push(parameter.name + "=" + encodeURIComponent(value).replace(/%2C/g, ",")); }
  });
  return "#" + parts.join("&");
}

function currentLink() {
  return location.href.split("#")[0] + currentHash();
}

var hashTimer = null, lastWritten = null, writtenEvent = null;
function writeHash() {
  if (!state || !state.ready) { return; }
  clearTimeout(hashTimer);
  hashTimer = setTimeout(function () {
    var hash = currentHash(), event = state.selected !== null && state.selected !== undefined ? state.events[state.selected].id : null;
    var push = event !== null && event !== writtenEvent;
    writtenEvent = event;
    if (location.hash === hash) { return; }
    lastWritten = hash;
    try {
      if (push) { history.pushState(null, "", hash); } else { history.replaceState(null, "", hash); }
    } catch (e) { location.hash = hash; }
  }, 150);
}

function restoreFromHash() {
  // Every parameter is read, present or not: Back to a link without cat= shows every category again.
  var link = readHash(), problems = link.problems;
  LINK_PARAMETERS.forEach(function (parameter) {
    if (parameter.read) { parameter.read(link.params.has(parameter.name) ? link.params.get(parameter.name) : undefined, problems, link.params); }
  });
  writtenEvent = state.selected !== null && state.selected !== undefined ? state.events[state.selected].id : null;
  lastWritten = location.hash;
  showNotices(problems);
  writeHash();
}

function followHistory() {
  // Back, Forward, or a link pasted into this tab: restore what it says (our own writes do not come here).
  if (location.hash !== lastWritten) { restoreFromHash(); }
}
window.addEventListener("popstate", function () { if (state && state.ready) { followHistory(); } });
window.addEventListener("hashchange", function () { if (state && state.ready) { followHistory(); } });

/* ---------- copy link ---------- */

// The copy-link button's words, catalogue keys (link.copy.*).
var COPY_TEXT = catalogueTable("link.copy.", ["button", "done", "manual", "close"]);

function copyLinkButton() {
  return el("button", { type: "button", className: "cm-ctl-button cm-copy-link", text: COPY_TEXT.button, onclick: function (e) { copyLink(e.currentTarget); } });
}

function copyLink(button) {
  var url = currentLink();
  function copied() {
    announcer().textContent = COPY_TEXT.done;
    button.textContent = COPY_TEXT.done;
    setTimeout(function () { button.textContent = COPY_TEXT.button; }, 2000);
  }
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(url).then(copied, function () { showLinkField(button, url); });
  } else {
    showLinkField(button, url);
  }
}

function showLinkField(button, url) {
  // Where the clipboard is refused (a browser's setting, an old browser): the link in a selected field to copy by hand.
  var old = button.parentNode.querySelector(".cm-link-field");
  if (old) { old.remove(); }
  var field = el("input", { type: "text", readonly: true, value: url, className: "cm-link-input", "aria-label": COPY_TEXT.manual });
  var box = el("div", { className: "cm-link-field" }, [
    el("label", null, [COPY_TEXT.manual, field]),
    el("button", { type: "button", className: "cm-ctl-button", text: COPY_TEXT.close, onclick: function () { box.remove(); button.focus(); } })
  ]);
  button.parentNode.insertBefore(box, button.nextSibling);
  field.focus();
  field.select();
}

/* ---------- notices: what the page did not do with its link, said in the page ---------- */

function shown(value) {
  // A value as the reader can read it: control and bidirectional-override characters escaped, long text cut.
  var text = String(value).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, function (c) {
    return "\\u" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4);
  });
  return text.length > 120 ? text.slice(0, 120) + "…" : text;
}

function noticeControl() {
  // One live region, present from the start so screen readers announce what is added to it.
  var list = el("ul", { className: "cm-notice-list" });
  var dismiss = el("button", { type: "button", className: "cm-ctl-button", text: t("link.notice.dismiss"), onclick: function () { showNotices([]); } });
  var box = el("div", { className: "cm-notice", role: "status", "aria-live": "polite" }, [list, dismiss]);
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  state.noticeList = list;
  state.notice = box;
  return box;
}

function showNotices(problems) {
  var list = state.noticeList;
  while (list.firstChild) { list.removeChild(list.firstChild); }
  problems.forEach(function (problem) {
    list.appendChild(el("li", null, [
      t(problem[3] || LINK_LEAD_IGNORED) + " ", el("strong", { text: shown(problem[0]) }), t("link.notice.before_value"), el("code", { text: shown(problem[1]) }),
      t("link.notice.after_value", { problem: problem[2] })
    ]));
  });
  state.notice.classList.toggle("cm-notice-open", problems.length > 0);
}
