// controls: layers, legend, base map, coordinates, measure, full screen, undisclosed; a piece of the one casemap script (assets.py)
/* ---------- map controls: layers + legend, coordinates, measure, full screen ---------- */

function control(position, build) {
  var Control = L.Control.extend({
    onAdd: function () {
      var node = build();
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
      return node;
    }
  });
  return new Control({ position: position });
}

function swatch(style, kind) {
  var s = el("span", { className: "cm-swatch cm-swatch-" + kind, "aria-hidden": "true" });
  s.style.borderColor = style.color || "#000";
  s.style.background = kind === "line" ? (style.color || "#000") : (style.fillColor || "transparent");
  if (style.dashArray) { s.style.borderStyle = "dashed"; }
  return s;
}

function layersControl() {
  var data = state.data;
  var body = el("div", { className: "cm-layers-body" });
  body.appendChild(el("div", { className: "cm-section-title", text: "Base map" }));
  data.bases.forEach(function (base) {
    var radio = el("input", { type: "radio", name: "cm-base", value: base.key, checked: base.key === state.base,
      onchange: function (e) { chooseBase(base.key, e); } });
    state.baseRadios.set(base.key, radio);
    body.appendChild(el("label", { className: "cm-check" }, [radio, " " + base.title]));
  });
  // The case's layer groups in its order (case.yaml `groups`); the events toggle leads the first group.
  list(data.groups).forEach(function (groupRecord, g) {
    var group = groupRecord.id;
    body.appendChild(el("div", { className: "cm-section-title", text: text(groupRecord.label) }));
    if (g === 0) {
      body.appendChild(el("label", { className: "cm-check" }, [
        el("input", { type: "checkbox", checked: true, onchange: function (e) { toggleEvents(e.target.checked); } }),
        " Case events"]));
    }
    data.layers.filter(function (l) { return l.group === group; }).forEach(function (layer) {
      var box = el("input", { type: "checkbox", checked: state.layerOn.get(layer.key), onchange: function () { setLayer(layer.key, box.checked); writeHash(); } });
      state.layerBoxes.set(layer.key, box);
      var kind = layer.kind === "point" ? "dot" : layer.kind === "line" ? "line" : "area";
      body.appendChild(el("label", { className: "cm-check" }, [box, " ", swatch(safeStyle(layer.style), kind), " " + text(layer.title)]));
    });
  });
  body.hidden = true;
  var toggle = el("button", { type: "button", className: "cm-ctl-button", "aria-expanded": "false", text: "Layers",
    onclick: function () { var open = body.hidden; body.hidden = !open; toggle.setAttribute("aria-expanded", String(open)); } });
  return el("div", { className: "cm-control cm-layers" }, [toggle, body]);
}

function legendControl() {
  var body = legend();
  // On a narrow screen the open legend would cover most of the map: it starts closed there.
  var narrow = window.matchMedia("(max-width: 760px)").matches;
  body.hidden = narrow;
  var toggle = el("button", { type: "button", className: "cm-ctl-button", "aria-expanded": String(!narrow), text: "Legend",
    onclick: function () { var open = body.hidden; body.hidden = !open; toggle.setAttribute("aria-expanded", String(open)); } });
  return el("div", { className: "cm-control cm-legend-control" }, [toggle, body]);
}

function legend() {
  var statuses = Object.keys(STATUS_TEXT).map(function (status) {
    return el("li", null, [el("span", { className: "cm-badge cm-status-" + status, text: STATUS_TEXT[status] }), " " + STATUS_MEANING[status]]);
  });
  return el("div", { className: "cm-legend" }, [
    el("div", { className: "cm-section-title", text: "How sure is each event?" }),
    el("ul", { className: "cm-legend-list" }, [
      el("li", null, [el("span", { className: "cm-swatch cm-swatch-event", "aria-hidden": "true" }), " Event at a known settlement (number: events there)"]),
      el("li", null, [el("span", { className: "cm-swatch cm-swatch-eventarea", "aria-hidden": "true" }), " Event known only to a region or district: the whole area is outlined, never a pin"]),
      el("li", null, [el("span", { className: "cm-swatch cm-swatch-undisclosed", "aria-hidden": "true", text: "?" }), " Location undisclosed: listed, not drawn"]),
      el("li", null, ["Dates are as precise as the sources: “early February 2021” stays fuzzy."])
    ]),
    el("div", { className: "cm-section-title", text: "The article's claims" }),
    el("ul", { className: "cm-legend-list cm-legend-status" }, statuses),
    el("div", { className: "cm-muted cm-small", text: "Sources are counted by family: outlets repeating one wire are one source; the article's own publisher never counts." })
  ]);
}

function toggleEvents(on) {
  if (on) { state.dots.addTo(state.map); state.eventAreaGroup.addTo(state.map); }
  else { state.map.removeLayer(state.dots); state.map.removeLayer(state.eventAreaGroup); }
}

function setLayer(key, on) {
  state.layerOn.set(key, on);
  var layer = state.layers[key];
  if (on && !state.map.hasLayer(layer)) { layer.addTo(state.map); }
  if (!on && state.map.hasLayer(layer)) { state.map.removeLayer(layer); }
  if (state.layerBoxes.has(key)) { state.layerBoxes.get(key).checked = on; }
  orderLayers();
}

function orderLayers() {
  // Drawing order is the order of the layer records (case.yaml `layers`: first drawn first, lowest).
  state.data.layers.map(function (layer) { return layer.key; }).forEach(function (key) {
    if (state.map.hasLayer(state.layers[key]) && state.layers[key].bringToFront) { state.layers[key].bringToFront(); }
  });
}

function chooseBase(key, event) {
  // A tile map reaches the network: it loads only on the reader's own click or key in Layers
  // (event.isTrusted), never from a script or a link (issue #10, finding 15).
  if (!event.isTrusted) { setBase(state.base); return; }
  setBase(key);
  writeHash();
}

function setBase(key) {
  var chosen = state.bases.get(key);
  state.bases.forEach(function (layer) { if (layer !== chosen && state.map.hasLayer(layer)) { state.map.removeLayer(layer); } });
  if (chosen && !state.map.hasLayer(chosen)) { chosen.addTo(state.map); }
  state.base = chosen || key === "plain" ? key : "plain";
  state.map.getContainer().classList.toggle("cm-plain", state.base === "plain");
  var radio = state.baseRadios.get(state.base);
  if (radio) { radio.checked = true; }
}

function coordinatesControl() {
  var box = el("div", { className: "cm-control cm-coords", "aria-live": "off", text: "Move over the map for coordinates" });
  state.map.on("mousemove", function (e) {
    box.textContent = e.latlng.lat.toFixed(4) + "° N, " + L.Util.wrapNum(e.latlng.lng, [-180, 180], true).toFixed(4) + "° E";
  });
  return box;
}

function measureControl() {
  var active = false, points = [], line = null, total = el("span", { className: "cm-measure-total" });
  var button = el("button", { type: "button", className: "cm-ctl-button", "aria-pressed": "false", text: "Measure distance",
    onclick: function () { setActive(!active); } });
  var clear = el("button", { type: "button", className: "cm-ctl-button", text: "Clear", onclick: function () { reset(); } });
  function reset() { points = []; if (line) { state.map.removeLayer(line); line = null; } total.textContent = ""; }
  function setActive(on) {
    active = on; button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? "Stop measuring" : "Measure distance";
    state.map.getContainer().classList.toggle("cm-measuring", on);
    if (on) { total.textContent = "Click points on the map"; }
  }
  state.map.on("click", function (e) {
    if (!active) { return; }
    points.push(e.latlng);
    if (!line) { line = L.polyline(points, { color: "#000", weight: 2, dashArray: "4 4", interactive: false }).addTo(state.map); }
    else { line.setLatLngs(points); }
    var metres = 0;
    for (var i = 1; i < points.length; i++) { metres += points[i - 1].distanceTo(points[i]); }
    total.textContent = (metres / 1000).toFixed(1) + " km (great circle)";
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && active) { setActive(false); } });
  return el("div", { className: "cm-control cm-measure" }, [button, clear, total]);
}

function fullscreenControl() {
  var button = el("button", { type: "button", className: "cm-ctl-button", text: "Full screen", "aria-pressed": "false",
    onclick: function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
    } });
  document.addEventListener("fullscreenchange", function () {
    var on = !!document.fullscreenElement;
    button.textContent = on ? "Exit full screen" : "Full screen"; button.setAttribute("aria-pressed", String(on));
    setTimeout(function () { state.map.invalidateSize(); }, 50);
  });
  return el("div", { className: "cm-control" }, [button]);
}

function undisclosedControl() {
  var count = state.undisclosed.length;
  if (!count) { return el("div"); }
  return el("div", { className: "cm-control cm-undisclosed" }, [
    el("span", { className: "cm-swatch cm-swatch-undisclosed", "aria-hidden": "true", text: "?" }),
    el("button", { type: "button", className: "cm-linkbutton", text: count + " event" + (count > 1 ? "s" : "") + " with an undisclosed location",
      onclick: function () { select(state.undisclosed[0], { fly: false }); } })
  ]);
}
