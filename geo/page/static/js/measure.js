// measure: the measure-distance control (geodesic on WGS84; while on, clicks on the map only add points); a piece of the one casemap script (assets.py)
/* ---------- measure ----------
 * While measuring, every click on the map adds a point and does nothing else: routeMapClick (symbols.js) hands it
 * here before Leaflet or any shape sees it, so no card opens and no dot is selected. Distances are geodesic on the
 * WGS84 ellipsoid (geodesic.js), shown for the last segment and in total. */

function kmText(metres) {
  // Always the same number of decimals, so that "176.0 km" does not read as a rounder figure than "175.5 km".
  var digits = metres < 100000 ? 2 : 1;
  return t("measure.km", { distance: formatNumber(metres / 1000, { minimumFractionDigits: digits, maximumFractionDigits: digits }) });
}

function measureControl() {
  var points = [], segments = [], line = null, approximate = false;
  var readout = el("span", { className: "cm-measure-total", "aria-live": "polite" });
  var button = el("button", { type: "button", className: "cm-ctl-button", "aria-pressed": "false", text: t("measure.start"),
    onclick: function () { setActive(!measure.active); } });
  var clear = el("button", { type: "button", className: "cm-ctl-button", text: t("measure.clear"), onclick: function () { reset(); } });
  var measure = { active: false, add: add };
  state.measure = measure;

  function show() {
    if (!points.length) { readout.textContent = measure.active ? t("measure.first_point") : ""; return; }
    if (points.length === 1) { readout.textContent = t("measure.next_point"); return; }
    var total = segments.reduce(function (sum, m) { return sum + m; }, 0);
    readout.textContent = t(approximate ? "measure.readout_spherical" : "measure.readout",
      { segment: kmText(segments[segments.length - 1]), total: kmText(total) });
  }
  function add(latlng) {
    if (points.length) {
      var result = geodesicMetres(points[points.length - 1], latlng);
      segments.push(result.metres);
      approximate = approximate || result.approximate;
    }
    points.push(latlng);
    if (!line) { line = L.polyline(points, { color: "#000", weight: 2, dashArray: "4 4", interactive: false }).addTo(state.map); }
    else { line.setLatLngs(points); }
    show();
  }
  function reset() {
    points = []; segments = []; approximate = false;
    if (line) { state.map.removeLayer(line); line = null; }
    show();
  }
  function setActive(on) {
    measure.active = on;
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? t("measure.stop") : t("measure.start");
    state.map.getContainer().classList.toggle("cm-measuring", on);
    // A double click would add two points and zoom: while measuring it only adds the points.
    if (on) { state.map.doubleClickZoom.disable(); } else { state.map.doubleClickZoom.enable(); }
    show();
  }
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && measure.active) { setActive(false); } });
  return el("div", { className: "cm-control cm-measure" }, [button, clear, readout]);
}
