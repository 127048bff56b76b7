// markers: an event's popup, the canvas of event dots, a place's list of events; a piece of the one casemap script (assets.py)
/* ---------- events ---------- */

function eventWhen(event) {
  return event.when.label;
}

function eventLinks(indices, heading) {
  var items = indices.slice(0, 50).map(function (i) {
    var event = state.events[i];
    return el("li", null, [el("button", {
      type: "button", className: "cm-linkbutton", text: eventWhen(event) + " — " + event.title,
      onclick: function () { select(i, { fly: false }); }
    })]);
  });
  if (indices.length > 50) { items.push(el("li", { className: "cm-muted", text: "… and " + (indices.length - 50) + " more in the list" })); }
  return el("div", { className: "cm-events-here" }, [el("h4", { text: heading + " (" + indices.length + ")" }), el("ul", null, items)]);
}

function eventPopup(event) {
  var place = event.where.place ? state.data.places.get(event.where.place) : null;
  var whereText = (place ? place.name + " — " : "") + (PRECISION_TEXT[event.where.precision] || "");
  var body = [
    el("div", { className: "cm-kicker", text: state.categoryText.get(event.category) || event.category }),
    el("h3", { text: event.title }),
    row("When", eventWhen(event) + (event.when.precision === "approximate" ? " (approximate: " + event.when.start + " to " + event.when.end + ")" : "")),
    event.public ? row("Made public", event.public.label) : null,
    row("Where", whereText),
    event.where.note ? el("div", { className: "cm-muted", text: event.where.note }) : null,
    el("p", { text: event.description })
  ];
  list(event.claims).forEach(function (claim) { body.push(claimBlock(claim)); });
  body.push(sourcesBlock(event.sources));
  return el("div", { className: "cm-popup cm-event-popup", "data-event": event.id }, body);
}

/* A canvas layer that draws one dot per place that has visible point events: it scales to
 * 100,000 events because it draws places, not events, and filtering only recounts. */
var EventDots = L.Layer.extend({
  initialize: function (groups) { this._groups = groups; this._selected = -1; },
  onAdd: function (map) {
    this._map = map;
    this._canvas = L.DomUtil.create("canvas", "cm-dots leaflet-zoom-hide");
    map.getPanes().overlayPane.appendChild(this._canvas);
    map.on("moveend zoomend resize viewreset", this.redraw, this);
    map.on("click", this._onClick, this);
    map.on("mousemove", this._onMove, this);
    this.redraw();
  },
  onRemove: function (map) {
    L.DomUtil.remove(this._canvas);
    map.off("moveend zoomend resize viewreset", this.redraw, this);
    map.off("click", this._onClick, this);
    map.off("mousemove", this._onMove, this);
  },
  setSelected: function (groupIndex) { this._selected = groupIndex; this.redraw(); },
  radius: function (count) { return count > 1 ? 8 + Math.min(10, 2.5 * Math.log(count)) : 7; },
  redraw: function () {
    if (!this._map) { return; }
    var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
    var canvas = this._canvas;
    var topLeft = map.containerPointToLayerPoint([0, 0]);
    L.DomUtil.setPosition(canvas, topLeft);
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
      if (!group.visible) { continue; }
      if (!bounds.contains(group.latlng)) { continue; }
      var p = map.latLngToContainerPoint(group.latlng), r = this.radius(group.visible);
      this._screen.push([p.x, p.y, r, g]);
      ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
      ctx.fillStyle = "#E69F00"; ctx.fill();
      ctx.lineWidth = g === this._selected ? 3.5 : 1.5; ctx.strokeStyle = g === this._selected ? "#000" : "#4d3300"; ctx.stroke();
      if (group.visible > 1) { ctx.fillStyle = "#000"; ctx.fillText(String(group.visible), p.x, p.y + 0.5); }
    }
  },
  _hit: function (point) {
    var best = null, bestD = Infinity, s = this._screen || [];
    for (var i = 0; i < s.length; i++) {
      var dx = s[i][0] - point.x, dy = s[i][1] - point.y, d = dx * dx + dy * dy;
      if (d <= (s[i][2] + 3) * (s[i][2] + 3) && d < bestD) { best = s[i][3]; bestD = d; }
    }
    return best;
  },
  _onMove: function (e) {
    this._map.getContainer().classList.toggle("cm-pointer", this._hit(e.containerPoint) !== null);
  },
  _onClick: function (e) {
    var g = this._hit(e.containerPoint);
    if (g === null) { return; }
    L.DomEvent.stop(e);
    openGroup(g);
  }
});

function openGroup(g) {
  var group = state.groups[g];
  var visible = group.events.filter(function (i) { return state.visible[i]; });
  if (visible.length === 1) { select(visible[0], { fly: false }); return; }
  var place = state.data.places.get(group.place);
  L.popup({ maxWidth: 360 }).setLatLng(group.latlng)
    .setContent(el("div", { className: "cm-popup" }, [el("h3", { text: place.name }), eventLinks(visible, "Events at this place")]))
    .openOn(state.map);
}
