// link: deep links read, checked and written; notices of what a link could not do; a piece of the one casemap script (assets.py)
/* ---------- deep links: #event=…&view=lat,lon,zoom&from=…&to=…&base=… ----------
 * A link is input from anyone: every value is checked against what this page has, a bad or unknown
 * value is ignored and named in a notice (issue #10, finding 9), and no value can make the page load
 * tiles from the network: only the reader's own choice in the map key does that (finding 15). */

var LINK_PARAMETERS = new Set(["event", "view", "from", "to", "base", "chapter", "status", "panel"]);
var NUMBER = /^[+-]?(?:\d{1,12}(?:\.\d{0,12})?|\.\d{1,12})$/;
var ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

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
      problems.push(["link part", part, "it is not valid percent-encoding"]);
      return;
    }
    if (k <= 0) { problems.push(["link part", part, "expected name=value"]); }
    else if (!LINK_PARAMETERS.has(name)) { problems.push([name, value, "this page knows only " + Array.from(LINK_PARAMETERS).join(", ")]); }
    else { params.set(name, value); }
  });
  return { params: params, problems: problems };
}

function linkView(value, problems) {
  // "lat,lon,zoom" as this page writes it: plain decimals within the map's range, or null.
  // The zoom range is the build's (data.view.maxZoom): the Leaflet map itself is made without limits.
  var parts = value.split(","), maxZoom = Number(state.data.view.maxZoom) || 18;
  var numbers = parts.length === 3 && parts.every(function (part) { return NUMBER.test(part); }) ? parts.map(Number) : null;
  if (numbers && Math.abs(numbers[0]) <= 90 && Math.abs(numbers[1]) <= 180 && numbers[2] >= 0 && numbers[2] <= maxZoom) {
    return { lat: numbers[0], lon: numbers[1], zoom: numbers[2] };
  }
  problems.push(["view", value, "expected latitude (-90 to 90), longitude (-180 to 180) and zoom (0 to " + maxZoom +
    "), as in view=52.03,113.5,7; the map keeps its view"]);
  return null;
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
  problems.push([name, value, "expected a date as YYYY-MM-DD; the time filter ignores it"]);
  return null;
}

function linkBase(value, problems) {
  // Only the offline base may be switched to by a link; a tile map waits for the reader (finding 15).
  if (value === state.base) { return; }
  var base = state.data.bases.filter(function (b) { return b.key === value; })[0];
  if (!base) { problems.push(["base", value, "no such base map; the plain map is shown"]); return; }
  if (!base.offline) {
    problems.push(["base", value, base.title + " not loaded: this offline page loads tiles from the network only " +
      "when you choose them in the map key"]);
    return;
  }
  setBase(value);
}

function linkEvent(value, problems) {
  for (var i = 0; i < state.events.length; i++) { if (state.events[i].id === value) { return i; } }
  problems.push(["event", value, "no event has this id; none is opened"]);
  return -1;
}

var hashTimer = null, lastWritten = null;
function writeHash() {
  if (!state || !state.ready) { return; }
  clearTimeout(hashTimer);
  hashTimer = setTimeout(function () {
    // The longitude is written within -180..180 so that the link reads back (linkView).
    var c = state.map.getCenter(), lng = L.Util.wrapNum(c.lng, [-180, 180], true), parts = [];
    if (state.selected !== null && state.selected !== undefined) { parts.push("event=" + encodeURIComponent(state.events[state.selected].id)); }
    parts.push("view=" + c.lat.toFixed(4) + "," + lng.toFixed(4) + "," + state.map.getZoom());
    if (state.range[0] !== 0 || state.range[1] !== state.ticks.length - 1) {
      parts.push("from=" + state.ticks[state.range[0]], "to=" + state.ticks[state.range[1]]);
    }
    if (state.base !== "plain") { parts.push("base=" + encodeURIComponent(state.base)); }
    parts = parts.concat(chapterHashPart(), statusHashPart(), panelHashPart());
    var hash = "#" + parts.join("&");
    if (location.hash !== hash) {
      lastWritten = hash;
      try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    }
  }, 150);
}

function restoreFromHash() {
  var link = readHash(), h = link.params, problems = link.problems;
  var selected = h.has("event") ? linkEvent(h.get("event"), problems) : -1;
  // The story's state first: a chapter resets the verdicts, categories and time window the link may then set.
  if (h.has("chapter")) { linkChapter(h.get("chapter"), problems); }
  if (h.has("status")) { setStatuses(linkStatuses(h.get("status"), problems)); }
  if (h.has("panel")) { linkPanel(h.get("panel"), problems); }
  if (selected !== -1) { foldSummary(); }
  if (h.has("base")) { linkBase(h.get("base"), problems); }
  var from = h.has("from") ? linkDay("from", h.get("from"), problems) : null;
  var to = h.has("to") ? linkDay("to", h.get("to"), problems) : null;
  if (from !== null || to !== null) {
    setRange(from !== null ? tickIndexFor(from, false) : 0, to !== null ? tickIndexFor(to, true) : state.ticks.length - 1);
  }
  var view = h.has("view") ? linkView(h.get("view"), problems) : null;
  if (view) { state.map.setView([view.lat, view.lon], view.zoom, { animate: false }); }
  if (selected !== -1) {
    select(selected, { fly: !view, instant: true, restore: !!view });
  }
  showNotices(problems);
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
  var dismiss = el("button", { type: "button", className: "cm-ctl-button", text: "Dismiss", onclick: function () { showNotices([]); } });
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
      "Link ignored: ", el("strong", { text: shown(problem[0]) }), " = “", el("code", { text: shown(problem[1]) }), "”: " + problem[2] + "."
    ]));
  });
  state.notice.classList.toggle("cm-notice-open", problems.length > 0);
}
