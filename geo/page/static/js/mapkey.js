// mapkey: one map key (every symbol on the map explained, with its layer toggle; base maps; claim statuses); a piece of the one casemap script (assets.py)
/* ---------- the map key ----------
 * One collapsible control explains every symbol drawn and holds the toggles that draw them: the event symbols
 * first, then each reference layer in the case's groups with a swatch in its real style, and a row for every
 * feature style of the layer (case.yaml `feature_styles`: a border drawn in another colour than its layer has its own swatch),
 * then the base maps. It starts collapsed on narrow screens, where it would cover the map. */

function hexWithAlpha(hex, alpha) {
  // #rrggbb and an opacity as rgba(): a swatch's fill as the map draws it over a white ground.
  var n = parseInt(hex.slice(1), 16);
  return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
}

function keySwatch(style, kind) {
  // A swatch drawn from a layer's (checked) style: a line, a filled area or a dot, in its colours and dash.
  var s = el("span", { className: "cm-swatch cm-swatch-" + kind, "aria-hidden": "true" });
  var colour = style.color || "#3388ff";
  if (kind === "line") {
    s.style.borderTopColor = colour;
    s.style.borderTopStyle = style.dashArray ? "dashed" : "solid";
    s.style.borderTopWidth = Math.max(2, Math.min(5, style.weight || 3)) + "px";
  } else {
    s.style.borderColor = colour;
    s.style.borderStyle = style.dashArray ? "dashed" : "solid";
    var fill = style.fillColor || colour, opacity = style.fillOpacity !== undefined ? style.fillOpacity : 0.2;
    s.style.background = hexWithAlpha(fill, kind === "dot" ? opacity : Math.max(opacity, 0.15));
  }
  s.setAttribute("data-colour", colour);
  if (style.fillColor) { s.setAttribute("data-fill", style.fillColor); }
  return s;
}

function featureStyleRows(layer, kind) {
  // One row per distinct feature style of a layer, naming the features drawn in it in the page's language (content.js
  // overlays the names on the properties), listed as the language lists (、 in Chinese).
  var byStyle = new Map(), names = list(own(state.data.featureIds, layer.key)), props = list(own(state.data.properties, layer.key));
  mapOf(layer.featureStyles).forEach(function (style, id) {
    var merged = Object.assign({}, safeStyle(layer.style), safeStyle(style)), signature = JSON.stringify(merged);
    var position = names.indexOf(id), name = position >= 0 ? text(own(props[position], "name")) || id : id;
    if (!byStyle.has(signature)) { byStyle.set(signature, { style: merged, names: [], point: !!merged.radius }); }
    byStyle.get(signature).names.push(name);
  });
  return Array.from(byStyle.values()).map(function (entry) {
    return el("div", { className: "cm-key-sub" }, [keySwatch(entry.style, entry.point ? "dot" : kind), " " + entry.names.join(t("popups.separator"))]);
  });
}

function eventKeyRows() {
  var colours = eventColours();
  var dot = el("span", { className: "cm-swatch cm-swatch-event", "aria-hidden": "true" });
  dot.style.background = colours.colour; dot.style.borderColor = colours.edge;
  var area = el("span", { className: "cm-swatch cm-swatch-eventarea", "aria-hidden": "true" });
  area.style.borderColor = colours.colour; area.style.outlineColor = colours.edge;
  area.style.backgroundImage = "repeating-linear-gradient(45deg, " + hexWithAlpha(colours.colour, 0.55) + " 0 2px, transparent 2px 6px)";
  var toggle = el("input", { type: "checkbox", checked: true, onchange: function (e) { toggleEvents(e.target.checked); } });
  return [
    el("label", { className: "cm-check" }, [toggle, " ", t("mapkey.case_events")]),
    el("ul", { className: "cm-legend-list" }, [
      el("li", null, [dot, " ", t("mapkey.event_dot")]),
      el("li", null, [area, " ", t("mapkey.event_area")]),
      el("li", null, [el("span", { className: "cm-swatch cm-swatch-undisclosed", "aria-hidden": "true", text: "?" }),
        " ", t("mapkey.event_undisclosed")])
    ])
  ];
}

function layerKeyRows(body) {
  // The case's layer groups in its order (case.yaml `groups`), each layer with its toggle, swatch and feature styles.
  list(state.data.groups).forEach(function (groupRecord) {
    var layers = state.data.layers.filter(function (l) { return l.group === groupRecord.id; });
    if (!layers.length) { return; }
    body.appendChild(el("div", { className: "cm-section-title", text: text(groupRecord.label) }));
    layers.forEach(function (layer) {
      var box = el("input", { type: "checkbox", checked: state.layerOn.get(layer.key), onchange: function () { setLayer(layer.key, box.checked); writeHash(); } });
      state.layerBoxes.set(layer.key, box);
      var kind = layer.kind === "point" ? "dot" : layer.kind === "line" ? "line" : "area";
      body.appendChild(el("div", { className: "cm-key-layer", "data-layer": layer.key }, [
        el("label", { className: "cm-check" }, [box, " ", keySwatch(safeStyle(layer.style), kind), " " + text(layer.title)])
      ].concat(featureStyleRows(layer, kind))));
    });
  });
}

function baseTitle(base) {
  // A base map's name in the page's language: the catalogue's py.render.base.KEY (render.py BASE_LAYERS' keys).
  return t("py.render.base." + base.key);
}

function baseKeyRows(body) {
  body.appendChild(el("div", { className: "cm-section-title", text: t("mapkey.base_map") }));
  state.data.bases.forEach(function (base) {
    var radio = el("input", { type: "radio", name: "cm-base", value: base.key, checked: base.key === state.base,
      onchange: function (e) { chooseBase(base.key, e); } });
    state.baseRadios.set(base.key, radio);
    body.appendChild(el("label", { className: "cm-check" }, [radio, " ", baseTitle(base)]));
  });
}

function statusKeyRows(body) {
  body.appendChild(el("div", { className: "cm-section-title", text: t("mapkey.claims") }));
  body.appendChild(el("ul", { className: "cm-legend-list cm-legend-status" }, Object.keys(STATUS_TEXT).map(function (status) {
    return el("li", null, [el("span", { className: "cm-badge cm-status-" + status, text: STATUS_TEXT[status] }), " " + STATUS_MEANING[status]]);
  })));
  body.appendChild(el("div", { className: "cm-muted cm-small", text: t("mapkey.sources_note") }));
}

function mapKeyControl() {
  var body = el("div", { className: "cm-key-body", id: "cm-key-body" });
  body.appendChild(el("div", { className: "cm-section-title", text: t("mapkey.events") }));
  eventKeyRows().forEach(function (row) { body.appendChild(row); });
  layerKeyRows(body);
  baseKeyRows(body);
  statusKeyRows(body);
  // On a small map (a phone, a tablet's column, a zoomed-in laptop) the open key would cover most of it: it starts
  // closed there. The map's own size decides, not the screen's: the side panel takes part of a wide screen.
  // (The container's own box: Leaflet's getSize() is cached from before the side panel took its share.)
  function mapIsSmall() {
    var box = state.map.getContainer();
    return box.clientWidth < 640 || box.clientHeight < 480;
  }
  var narrow = mapIsSmall();
  body.hidden = narrow;
  function fit() {
    // The open key scrolls within the map: from where it starts down to the controls along the map's bottom edge
    // (scale, undisclosed list, attribution), so that it never runs under them or past the map.
    if (body.hidden) { return; }
    var container = state.map.getContainer(), reserve = 0;
    container.querySelectorAll(".leaflet-bottom").forEach(function (corner) { reserve = Math.max(reserve, corner.offsetHeight); });
    var room = container.getBoundingClientRect().bottom - body.getBoundingClientRect().top - reserve - 12;
    body.style.maxHeight = Math.max(100, Math.floor(room)) + "px";
  }
  var toggle = el("button", { type: "button", className: "cm-ctl-button cm-key-toggle", "aria-expanded": String(!narrow),
    "aria-controls": "cm-key-body", text: t("mapkey.toggle"),
    onclick: function () { setOpen(body.hidden); } });
  function setOpen(open) { body.hidden = !open; toggle.setAttribute("aria-expanded", String(open)); fit(); }
  state.map.on("resize", function () {
    // The map just became small (a card took a column from it on a laptop): the key closes, as it starts closed on a
    // small map, instead of covering half of what is left; the reader can open it again.
    var small = mapIsSmall();
    if (small && !narrow && !body.hidden) { setOpen(false); }
    narrow = small;
    fit();
  });
  // Measured once the control is in the page and laid out (here it is not yet attached).
  window.requestAnimationFrame(fit);
  return el("div", { className: "cm-control cm-key" }, [toggle, body]);
}
