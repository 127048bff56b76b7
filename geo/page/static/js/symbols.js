// symbols: event symbols above every area layer (dots at places, outlined and hatched event areas) and the map's click routing; a piece of the one casemap script (assets.py)
/* ---------- event symbols ----------
 * The case's layers are SVG paths in Leaflet's overlay pane (z-index 400). Events are drawn in two panes above it
 * and below the tooltips (650) and popups (700):
 *   cmEventAreas (440): a region- or district-level event's area, outlined and hatched in the event colour over a
 *     dark edge; only the outline answers the pointer, so the depot circles and places inside stay clickable;
 *   cmEventDots (460): one canvas dot per place with visible events, drawn for places, not events, so it scales to
 *     100,000 events (issue #18); the canvas lets every pointer event through (CSS) and the page tests hits itself.
 * The map's clicks are routed in the capture phase, before Leaflet sees them (routeMapClick): while measuring they
 * only add points; otherwise a dot under the pointer wins over any shape beneath it, at every zoom. */

var EVENT_PANES = table({ areas: 440, dots: 460 });
var HATCH_ID = "cm-event-hatch";

function eventColours() {
  // The event colour and its dark edge, as the build checked them (geo/casefile/colours.py), or Okabe-Ito orange.
  var style = own(state.data, "eventStyle"), colour = own(style, "colour"), edge = own(style, "edge");
  return {
    colour: typeof colour === "string" && COLOUR.test(colour) ? colour : "#E69F00",
    edge: typeof edge === "string" && COLOUR.test(edge) ? edge : "#4D3300"
  };
}

var EventDots = L.Layer.extend({
  initialize: function (groups) { this._groups = groups; this._selected = -1; this._screen = []; },
  onAdd: function (map) {
    this._map = map;
    this._canvas = L.DomUtil.create("canvas", "cm-dots leaflet-zoom-hide");
    map.getPane("cmEventDots").appendChild(this._canvas);
    map.on("moveend zoomend resize viewreset", this.redraw, this);
    this.redraw();
  },
  onRemove: function (map) {
    L.DomUtil.remove(this._canvas);
    this._screen = [];
    map.off("moveend zoomend resize viewreset", this.redraw, this);
  },
  setSelected: function (groupIndex) { this._selected = groupIndex; this.redraw(); },
  radius: function (count) { return count > 1 ? 8 + Math.min(10, 2.5 * Math.log(count)) : 7; },
  redraw: function () {
    if (!this._map) { return; }
    var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1, colours = eventColours();
    var canvas = this._canvas;
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    canvas.width = size.x * ratio; canvas.height = size.y * ratio;
    canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);
    ctx.font = "bold 11px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    var groups = this._groups, bounds = map.getBounds().pad(0.1);
    this._screen = [];
    for (var g = 0; g < groups.length; g++) {
      var group = groups[g];
      if (!group.visible || !bounds.contains(group.latlng)) { continue; }
      var p = map.latLngToContainerPoint(group.latlng), r = this.radius(group.visible);
      this._screen.push([p.x, p.y, r, g]);
      ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
      ctx.fillStyle = colours.colour; ctx.fill();
      ctx.lineWidth = g === this._selected ? 3.5 : 1.5; ctx.strokeStyle = g === this._selected ? "#000" : colours.edge; ctx.stroke();
      if (group.visible > 1) { ctx.fillStyle = "#000"; ctx.fillText(String(group.visible), p.x, p.y + 0.5); }
    }
  },
  hit: function (point, slop) {
    // The group whose dot is nearest the container point, within its radius and slop pixels (a finger is wider).
    var best = null, bestD = Infinity, s = this._screen;
    for (var i = 0; i < s.length; i++) {
      var dx = s[i][0] - point.x, dy = s[i][1] - point.y, d = dx * dx + dy * dy, reach = s[i][2] + slop;
      if (d <= reach * reach && d < bestD) { best = s[i][3]; bestD = d; }
    }
    return best;
  }
});

function selectPlace(placeId) {
  // A dot or an event area stands for all its place's events: selectAmong (events.js) keeps the selected one if it
  // is among them, else selects the first shown; its card lists the others at the place.
  selectAmong(state.eventsByPlace.get(placeId));
}

function hatchPattern(svg, colour) {
  // Diagonal lines in the event colour, defined once in the event areas' own SVG (fill: url(#cm-event-hatch)).
  var ns = "http://www.w3.org/2000/svg";
  var pattern = document.createElementNS(ns, "pattern"), line = document.createElementNS(ns, "line");
  [["id", HATCH_ID], ["patternUnits", "userSpaceOnUse"], ["width", "9"], ["height", "9"], ["patternTransform", "rotate(45)"]]
    .forEach(function (pair) { pattern.setAttribute(pair[0], pair[1]); });
  [["x1", "0"], ["y1", "0"], ["x2", "0"], ["y2", "9"], ["stroke", colour], ["stroke-width", "2"], ["stroke-opacity", "0.55"]]
    .forEach(function (pair) { line.setAttribute(pair[0], pair[1]); });
  pattern.appendChild(line);
  var defs = document.createElementNS(ns, "defs");
  defs.appendChild(pattern);
  svg.insertBefore(defs, svg.firstChild);
}

function eventAreaLayer(feature, placeId, renderer, colours) {
  // Dashes in the event colour with a dark edge, the inside hatched: never a reference layer's look. The edge is
  // dashed in step with the outline, so the reference line beneath (the focus area's own boundary) shows in the gaps.
  var edge = L.geoJSON(feature, { renderer: renderer, interactive: false, style: {
    color: colours.edge, weight: 5, opacity: 0.7, dashArray: "10 6", fill: false
  } });
  // className is a path option, not a style: it must be given when the path is made (cm-event-area: stroke-only hits).
  var outline = L.geoJSON(feature, { renderer: renderer, className: "cm-event-area", style: {
    color: colours.colour, weight: 3, dashArray: "10 6", opacity: 1, fillColor: "url(#" + HATCH_ID + ")", fillOpacity: 1
  } });
  outline.on("click", function (e) { L.DomEvent.stop(e); selectPlace(placeId); });
  return L.layerGroup([edge, outline]);
}

function drawEventSymbols(map, index) {
  // The two event panes, the event areas (added by applyFilter when they have visible events) and the dots.
  map.createPane("cmEventAreas").style.zIndex = String(EVENT_PANES.areas);
  map.createPane("cmEventDots").style.zIndex = String(EVENT_PANES.dots);
  map.getPane("cmEventAreas").classList.add("cm-event-areas-pane");
  map.getPane("cmEventDots").classList.add("cm-event-dots-pane");
  var colours = eventColours(), renderer = L.svg({ pane: "cmEventAreas" });
  renderer.addTo(map);
  hatchPattern(renderer._container, colours.colour);
  state.areaLayers = new Map();
  state.eventAreaGroup = L.layerGroup().addTo(map);
  index.areaEvents.forEach(function (placeEvents, placeId) {
    var entry = featureIndex.get(placeId);
    if (entry) { state.areaLayers.set(placeId, eventAreaLayer(entry.feature, placeId, renderer, colours)); }
  });
  state.dots = new EventDots(index.groups).addTo(map);
  routeMapClicks(map);
}

function routeMapClicks(map) {
  var container = map.getContainer();
  function onMap(e) {
    // Controls, popups and notices answer for themselves; a click that ended a drag is no click.
    var target = e.target instanceof Element ? e.target : null;
    if (!target || target.closest(".leaflet-control-container, .leaflet-popup-pane, .cm-notice")) { return false; }
    return !(map.dragging && map.dragging.moved());
  }
  container.addEventListener("click", function (e) {
    if (!onMap(e)) { return; }
    var point = map.mouseEventToContainerPoint(e);
    if (state.measure && state.measure.active) {
      L.DomEvent.stop(e);
      state.measure.add(map.containerPointToLatLng(point));
      return;
    }
    var g = map.hasLayer(state.dots) ? state.dots.hit(point, 4) : null;
    if (g === null) { return; }
    L.DomEvent.stop(e);
    selectPlace(state.groups[g].place);
  }, true);
  container.addEventListener("mousemove", function (e) {
    var over = onMap(e) && map.hasLayer(state.dots) && state.dots.hit(map.mouseEventToContainerPoint(e), 4) !== null;
    container.classList.toggle("cm-pointer", over && !(state.measure && state.measure.active));
  });
}
