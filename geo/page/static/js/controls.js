// controls: layer and base switching, coordinates, full screen; a piece of the one casemap script (assets.py)
/* ---------- map controls: layer and base switching, coordinates, full screen (the key, measure and the undisclosed
 * list have their own pieces: mapkey.js, measure.js, undisclosed.js) ---------- */

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
  // A tile map reaches the network: it loads only on the reader's own click or key in the map key
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
  var box = el("div", { className: "cm-control cm-coords", "aria-live": "off", text: t("controls.coordinates_hint") });
  state.map.on("mousemove", function (e) {
    box.textContent = t("controls.coordinates", { lat: e.latlng.lat.toFixed(4), lon: L.Util.wrapNum(e.latlng.lng, [-180, 180], true).toFixed(4) });
  });
  return box;
}

function fullscreenControl() {
  var button = el("button", { type: "button", className: "cm-ctl-button", text: t("controls.fullscreen"), "aria-pressed": "false",
    onclick: function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
    } });
  document.addEventListener("fullscreenchange", function () {
    var on = !!document.fullscreenElement;
    button.textContent = on ? t("controls.fullscreen_exit") : t("controls.fullscreen"); button.setAttribute("aria-pressed", String(on));
    setTimeout(function () { state.map.invalidateSize(); }, 50);
  });
  return el("div", { className: "cm-control" }, [button]);
}
