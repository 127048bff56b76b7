// events: index, filter, select, step, and the virtualised event list; a piece of the one casemap script (assets.py)
/* ---------- state, filtering and selection ---------- */

function buildIndex(data) {
  var events = data.events;
  var groupsByPlace = new Map(), groups = [], areaEvents = new Map(), eventsByPlace = new Map();
  var undisclosed = [];
  function push(map, key, i) {
    var list = map.get(key);
    if (list) { list.push(i); } else { map.set(key, [i]); }
  }
  events.forEach(function (event, i) {
    var placeId = event.where.place, place = placeId ? data.places.get(placeId) : null;
    if (placeId) { push(eventsByPlace, placeId, i); }
    if (!place || event.where.precision === "undisclosed") { undisclosed.push(i); event._kind = "undisclosed"; return; }
    if (place.kind === "point") {
      if (!groupsByPlace.has(placeId)) {
        groupsByPlace.set(placeId, groups.length);
        groups.push({ place: placeId, latlng: L.latLng(place.lat, place.lon), events: [], visible: 0 });
      }
      groups[groupsByPlace.get(placeId)].events.push(i);
      event._kind = "point"; event._group = groupsByPlace.get(placeId);
    } else {
      push(areaEvents, placeId, i);
      event._kind = "area";
    }
  });
  var ticks = axisTicks(events, "happened");
  return { groups: groups, groupsByPlace: groupsByPlace, areaEvents: areaEvents, undisclosed: undisclosed, ticks: ticks, eventsByPlace: eventsByPlace };
}

function axisTicks(events, axis) {
  // The time scale: every distinct day an event starts or ends on (on the axis: when it happened, or when it became
  // public where it says so), in order. The range moves over these days, not over calendar time, so 1689 and 2021
  // both get room (a linear scale would squeeze the whole case into its last pixel).
  var days = new Set();
  events.forEach(function (event) {
    var interval = axis === "public" && event.public ? event.public : event.when;
    days.add(interval.start); days.add(interval.end);
  });
  var ticks = Array.from(days).sort();
  return ticks.length ? ticks : ["0000-01-01"];
}

function applyFilter() {
  var from = state.ticks[state.range[0]], to = state.ticks[state.range[1]];
  var events = state.events, visible = state.visible, shown = [], matches = state.queryMatch;
  var groups = state.groups;
  for (var g = 0; g < groups.length; g++) { groups[g].visible = 0; }
  var areaCounts = new Map();
  for (var i = 0; i < events.length; i++) {
    var e = events[i];
    var interval = axisInterval(e);
    var on = interval.end >= from && interval.start <= to && state.categories.get(e.category) !== false &&
      (!matches || matches[i] === 1) && eventPassesStatus(e) && inChapter(i);
    visible[i] = on ? 1 : 0;
    if (!on) { continue; }
    shown.push(i);
    if (e._kind === "point") { groups[e._group].visible++; }
    else if (e._kind === "area") { areaCounts.set(e.where.place, (areaCounts.get(e.where.place) || 0) + 1); }
  }
  state.shown = shown;
  state.areaLayers.forEach(function (layer, placeId) {
    var on = (areaCounts.get(placeId) || 0) > 0;
    if (on && !state.eventAreaGroup.hasLayer(layer)) { state.eventAreaGroup.addLayer(layer); }
    if (!on && state.eventAreaGroup.hasLayer(layer)) { state.eventAreaGroup.removeLayer(layer); }
  });
  state.dots.redraw();
  if (state.undisclosedList) { state.undisclosedList.refresh(); }
  renderRangeLabels();
  state.list.refresh();
  if (state.factcheck) { state.factcheck.refresh(); }
  writeHash();
}

function select(i, options) {
  options = options || {};
  var event = state.events[i];
  rememberCardOpener();
  state.selected = i;
  state.list.reveal(i);
  announceSelection(i);
  var content = eventCard(event, i), map = state.map, latlng;
  showCard(content, { event: true });
  state.dots.setSelected(event._kind === "point" ? event._group : -1);
  if (state.time) { state.time.showLag(i); }
  if (state.highlight) { state.map.removeLayer(state.highlight); state.highlight = null; }
  if (event._kind === "point") {
    latlng = state.groups[event._group].latlng;
    if (options.fly !== false) { map.flyTo(latlng, Math.max(map.getZoom(), 7), { duration: options.instant ? 0 : 0.6, animate: !options.instant }); }
  } else if (event._kind === "area") {
    var place = state.data.places.get(event.where.place), entry = featureIndex.get(event.where.place);
    latlng = L.latLng(place.lat, place.lon);
    if (entry) {
      state.highlight = L.geoJSON(entry.feature, { interactive: false, style: { color: "#000", weight: 3, dashArray: "8 6", fill: false } }).addTo(map);
    }
    if (options.fly !== false) { map.flyToBounds(place.bounds, { padding: [30, 30], maxZoom: 8, duration: options.instant ? 0 : 0.6, animate: !options.instant }); }
  } else {
    content.insertBefore(el("div", { className: "cm-undisclosed-banner", text: t("events.undisclosed_banner") }), content.firstChild);
  }
  writeHash();
}

function visibleAt(indices) {
  return (indices || []).filter(function (i) { return state.visible[i]; });
}

function selectAmong(indices) {
  // One place's events (a dot, an area): keep the selected one if it is among them, else the first shown.
  var visible = visibleAt(indices);
  if (!visible.length) { return; }
  select(visible.indexOf(state.selected) >= 0 ? state.selected : visible[0], { fly: false });
}

function step(delta) {
  var shown = state.shown;
  if (!shown.length) { return; }
  var pos = shown.indexOf(state.selected);
  var next = pos === -1 ? (delta > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, pos + delta));
  select(shown[next]);
}

/* ---------- the event list (virtualised: only the rows in view exist) ----------
 * A listbox (WAI-ARIA APG): one Tab stop; the arrow keys, Page Up/Down, Home and End move the active row
 * (aria-activedescendant), Enter or Space selects it and opens its card. Moving is not choosing: the card does not
 * open at every arrow press. Only the rows in view exist (issue #18 wants 100,000 events), so every row says its
 * place in the whole list (aria-setsize, aria-posinset), and the active row is always drawn, in view or not, so
 * aria-activedescendant never names a row that does not exist. A screen reader user reaches every row with the
 * arrow keys from the list (the skip link's target), hearing "title, n of N". */

// A row is 4.25rem tall (casemap.css .cm-item), so it grows with the reader's font size; in px, measured
// once when the list is made.
var ROW_HEIGHT = 68;
var LIST_KEYS = table({ ArrowDown: 1, ArrowUp: -1, PageDown: "page", PageUp: "-page", Home: "first", End: "last" });

function rowHeight() {
  var rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return isFinite(rootPx) && rootPx > 0 ? Math.round(4.25 * rootPx) : 68;
}

function EventList(container) {
  ROW_HEIGHT = rowHeight();
  var self = this;
  this.active = -1; // the event index of the active row, or -1
  this.viewport = el("div", { id: "cm-list", className: "cm-list", role: "listbox", tabindex: "0", "aria-label": t("events.list") });
  this.spacer = el("div", { className: "cm-list-spacer" });
  this.viewport.appendChild(this.spacer);
  container.appendChild(this.viewport);
  this.viewport.addEventListener("scroll", function () { self.draw(); });
  this.viewport.addEventListener("focus", function () { self.activate(); });
  this.viewport.addEventListener("keydown", function (e) { self.onKey(e); });
}

EventList.prototype.onKey = function (e) {
  var shown = state.shown, move = LIST_KEYS[e.key];
  if (!shown.length) { return; }
  if (move !== undefined) {
    e.preventDefault();
    var pos = Math.max(0, shown.indexOf(this.active)), page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    var next = move === "first" ? 0 : move === "last" ? shown.length - 1 : pos + (move === "page" ? page : move === "-page" ? -page : move);
    this.reveal(shown[Math.min(shown.length - 1, Math.max(0, next))]);
  } else if ((e.key === "Enter" || e.key === " ") && this.active !== -1) {
    e.preventDefault();
    select(this.active);
    focusCardHeading();
  }
};

EventList.prototype.activate = function () {
  // The list takes the focus: its active row is the selected event if it is listed, else the first row. Only focus
  // from the keyboard scrolls it into view: focus that comes with a click or a tap must leave the list where it is,
  // or the row under the pointer moves away before the click ends and nothing is chosen.
  if (state.shown.indexOf(this.active) !== -1) { return; }
  var start = state.shown.indexOf(state.selected) !== -1 ? state.selected : state.shown[0];
  if (start === undefined) { return; }
  if (this.viewport.matches(":focus-visible")) { this.reveal(start); } else { this.active = start; this.draw(); }
};

EventList.prototype.refresh = function () {
  this.spacer.style.height = (state.shown.length * ROW_HEIGHT) + "px";
  state.countLabel.textContent = tn("events.count", state.events.length, { shown: state.shown.length });
  if (state.shown.indexOf(this.active) === -1) { this.active = -1; }
  this.draw();
};

EventList.prototype.reveal = function (i) {
  // Make event i the active row, scrolled into view.
  var pos = state.shown.indexOf(i);
  if (pos === -1) { this.draw(); return; }
  this.active = i;
  var top = pos * ROW_HEIGHT, view = this.viewport;
  if (top < view.scrollTop || top + ROW_HEIGHT > view.scrollTop + view.clientHeight) {
    view.scrollTop = Math.max(0, top - view.clientHeight / 2 + ROW_HEIGHT / 2);
  }
  this.draw();
};

EventList.prototype.draw = function () {
  // Rows in view (and the active row) are kept, added or removed; a row that stays is the same element, so a
  // click that began on it (mousedown focuses the list, which redraws) still ends on it.
  var view = this.viewport, shown = state.shown;
  var first = Math.max(0, Math.floor(view.scrollTop / ROW_HEIGHT) - 3);
  var last = Math.min(shown.length, Math.ceil((view.scrollTop + (view.clientHeight || 600)) / ROW_HEIGHT) + 3);
  var positions = [];
  for (var k = first; k < last; k++) { positions.push(k); }
  var activePos = shown.indexOf(this.active);
  if (activePos !== -1 && activePos < first) { positions.unshift(activePos); }
  if (activePos >= last) { positions.push(activePos); }
  var wanted = new Set(positions.map(function (k) { return "cm-event-" + shown[k]; }));
  Array.from(this.spacer.children).forEach(function (node) { if (!wanted.has(node.id)) { node.remove(); } });
  var cursor = this.spacer.firstChild;
  positions.forEach(function (k) {
    var i = shown[k], node = cursor && cursor.id === "cm-event-" + i ? cursor : null;
    if (node) { cursor = node.nextSibling; } else { node = this.spacer.insertBefore(this.row(i), cursor); }
    this.place(node, i, k);
  }, this);
  if (activePos === -1) { view.removeAttribute("aria-activedescendant"); }
  else { view.setAttribute("aria-activedescendant", "cm-event-" + this.active); }
};

EventList.prototype.place = function (node, i, position) {
  // What changes with the filter, the selection and the active row.
  node.className = "cm-item" + (i === state.selected ? " cm-selected" : "") + (i === this.active ? " cm-active" : "");
  node.setAttribute("aria-selected", i === state.selected ? "true" : "false");
  node.setAttribute("aria-setsize", String(state.shown.length));
  node.setAttribute("aria-posinset", String(position + 1));
  node.style.top = (position * ROW_HEIGHT) + "px";
};

EventList.prototype.row = function (i) {
  var event = state.events[i];
  var statuses = [];
  list(event.claims).forEach(function (claim) { if (statuses.indexOf(claim.status) < 0) { statuses.push(claim.status); } });
  return el("div", { id: "cm-event-" + i, role: "option", "data-event": event.id, onclick: function () { select(i); } }, [
    el("div", { className: "cm-item-date" }, [
      el("span", { className: "cm-item-when", text: eventWhen(event) }),
      el("span", null, statuses.map(function (status) { return el("span", { className: "cm-badge cm-status-" + status, text: STATUS_TEXT[status] || status }); }))
    ]),
    el("div", { className: "cm-item-title", dir: "auto", text: event.title }),
    el("div", { className: "cm-precision cm-precision-" + event.where.precision, text: PRECISION_TEXT[event.where.precision] || "" })
  ]);
};
