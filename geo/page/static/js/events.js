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
  // The time scale: every distinct day an event starts or ends on, in order. The slider moves over
  // these days, not over calendar time, so 1689 and 2021 both get room (a linear slider would
  // squeeze the whole case into its last pixel).
  var days = new Set();
  events.forEach(function (event) { days.add(event.when.start); days.add(event.when.end); });
  var ticks = Array.from(days).sort();
  return { groups: groups, groupsByPlace: groupsByPlace, areaEvents: areaEvents, undisclosed: undisclosed, ticks: ticks, eventsByPlace: eventsByPlace };
}

function applyFilter() {
  var from = state.ticks[state.range[0]], to = state.ticks[state.range[1]];
  var events = state.events, visible = state.visible, shown = [];
  var groups = state.groups;
  for (var g = 0; g < groups.length; g++) { groups[g].visible = 0; }
  var areaCounts = new Map();
  for (var i = 0; i < events.length; i++) {
    var e = events[i];
    var on = e.when.end >= from && e.when.start <= to && state.categories.get(e.category) !== false;
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
  renderRangeLabels();
  state.list.refresh();
  writeHash();
}

function select(i, options) {
  options = options || {};
  var event = state.events[i];
  state.selected = i;
  state.list.reveal(i);
  var content = eventPopup(event), map = state.map, latlng;
  state.dots.setSelected(event._kind === "point" ? event._group : -1);
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
    latlng = map.getCenter();
    content.insertBefore(el("div", { className: "cm-undisclosed-banner", text: "Location undisclosed: no public source says where this happened, so it has no place on the map." }), content.firstChild);
  }
  var open = function () {
    // A restored deep link keeps its saved view exactly: no panning to fit the popup.
    L.popup({ maxWidth: 380, className: "cm-event-popup-wrap", autoPanPadding: [20, 20], autoPan: !options.restore }).setLatLng(event._kind === "undisclosed" ? map.getCenter() : latlng).setContent(content).openOn(map);
  };
  if (options.fly === false || event._kind === "undisclosed" || options.instant) { open(); } else { map.once("moveend", open); }
  writeHash();
}

function step(delta) {
  var shown = state.shown;
  if (!shown.length) { return; }
  var pos = shown.indexOf(state.selected);
  var next = pos === -1 ? (delta > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, pos + delta));
  select(shown[next]);
}

/* ---------- the event list (virtualised: only the rows in view exist) ---------- */

var ROW_HEIGHT = 68;

function EventList(container) {
  var self = this;
  this.viewport = el("div", { className: "cm-list", role: "listbox", tabindex: "0", "aria-label": "Events in date order" });
  this.spacer = el("div", { className: "cm-list-spacer" });
  this.viewport.appendChild(this.spacer);
  container.appendChild(this.viewport);
  this.viewport.addEventListener("scroll", function () { self.draw(); });
  this.viewport.addEventListener("keydown", function (e) {
    var shown = state.shown, pos = shown.indexOf(state.selected);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      var next = pos === -1 ? 0 : Math.min(shown.length - 1, Math.max(0, pos + (e.key === "ArrowDown" ? 1 : -1)));
      if (shown.length) { select(shown[next]); }
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      if (shown.length) { select(shown[e.key === "Home" ? 0 : shown.length - 1]); }
    } else if (e.key === "Enter" && pos !== -1) {
      e.preventDefault(); select(state.selected);
    }
  });
}

EventList.prototype.refresh = function () {
  this.spacer.style.height = (state.shown.length * ROW_HEIGHT) + "px";
  state.countLabel.textContent = state.shown.length + " of " + state.events.length + " events";
  this.draw();
};

EventList.prototype.reveal = function (i) {
  var pos = state.shown.indexOf(i);
  if (pos === -1) { this.draw(); return; }
  var top = pos * ROW_HEIGHT, view = this.viewport;
  if (top < view.scrollTop || top + ROW_HEIGHT > view.scrollTop + view.clientHeight) {
    view.scrollTop = Math.max(0, top - view.clientHeight / 2 + ROW_HEIGHT / 2);
  }
  this.draw();
  this.viewport.setAttribute("aria-activedescendant", "cm-event-" + i);
};

EventList.prototype.draw = function () {
  var view = this.viewport, shown = state.shown;
  var first = Math.max(0, Math.floor(view.scrollTop / ROW_HEIGHT) - 3);
  var last = Math.min(shown.length, Math.ceil((view.scrollTop + (view.clientHeight || 600)) / ROW_HEIGHT) + 3);
  var rows = [];
  for (var k = first; k < last; k++) { rows.push(this.row(shown[k], k)); }
  while (this.spacer.firstChild) { this.spacer.removeChild(this.spacer.firstChild); }
  rows.forEach(function (r) { this.spacer.appendChild(r); }, this);
};

EventList.prototype.row = function (i, position) {
  var event = state.events[i];
  var statuses = [];
  list(event.claims).forEach(function (claim) { if (statuses.indexOf(claim.status) < 0) { statuses.push(claim.status); } });
  var node = el("div", {
    id: "cm-event-" + i, role: "option", className: "cm-item" + (i === state.selected ? " cm-selected" : ""),
    "aria-selected": i === state.selected ? "true" : "false", "data-event": event.id,
    onclick: function () { select(i); }
  }, [
    el("div", { className: "cm-item-date" }, [
      el("span", { className: "cm-item-when", text: eventWhen(event) }),
      el("span", null, statuses.map(function (status) { return el("span", { className: "cm-badge cm-status-" + status, text: STATUS_TEXT[status] || status }); }))
    ]),
    el("div", { className: "cm-item-title", text: event.title }),
    el("div", { className: "cm-precision cm-precision-" + event.where.precision, text: PRECISION_TEXT[event.where.precision] || "" })
  ]);
  node.style.top = (position * ROW_HEIGHT) + "px";
  return node;
};
