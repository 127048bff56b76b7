// features: folium's features bound to ids, popups, tooltips; the data block decoded; a piece of the one casemap script (assets.py)
Casemap.onEachFeature = function (key) {
  // folium creates the layers empty; addGeometry fills them from the data block: only remember each feature
  // here; its id, properties, popup and tooltip are attached by bindFeatures.
  // feature.id is the feature's position in its layer, a number the casemap script gives it: no value from a
  // data file passes through folium's templates (docs/security.md).
  return function (feature, layer) {
    drawnFeatures.push({ layer: layer, feature: feature, key: key });
  };
};

function addGeometry(layers, data) {
  // Each layer's geometries travel in the (gzip-compressed) data block, in the order of data.featureIds
  // (render.layer_geometry): compressed, a third of their size as folium's plain JSON. Leaflet's addData
  // calls the layer's onEachFeature and pointToLayer as folium set them up.
  list(data.layers).forEach(function (record) {
    var leaflet = own(layers, record.key);
    if (!leaflet) { return; }
    list(own(data.geometry, record.key)).forEach(function (geometry, position) {
      leaflet.addData({ type: "Feature", id: position, properties: {}, geometry: geometry });
    });
  });
}

function bindFeatures(data, records) {
  drawnFeatures.forEach(function (entry) {
    var key = entry.key, feature = entry.feature, layer = entry.layer, position = feature.id;
    // The id and properties travel in the data block, in the order folium drew the features.
    var id = list(own(data.featureIds, key))[position];
    if (typeof id !== "string") { return; }
    var properties = list(own(data.properties, key))[position];
    feature.id = id;
    feature.properties = properties !== null && typeof properties === "object" && !Array.isArray(properties) ? properties : {};
    featureIndex.set(id, entry);
    // The feature's card opens in the details pane (never a popup). The click is not stopped: an event dot
    // drawn over the feature answers it next (the map's click), and its card replaces this one.
    layer.on("click", function () { if (!state.measuring) { showCard(featureCard(key, feature)); } });
    var name = text(feature.properties.name) || id;
    // The tooltip as the layer record says (case.yaml `tooltip`): permanent, sticky, hover or none.
    var tooltip = (records.get(key) || {}).tooltip;
    if (tooltip === "permanent") {
      layer.bindTooltip(el("span", { text: name }), { permanent: true, direction: "right", className: "cm-label-permanent" });
    } else if (tooltip === "sticky" || tooltip === "hover") {
      layer.bindTooltip(el("span", { text: name }), { sticky: tooltip === "sticky" });
    }
  });
}

function base64Bytes(encoded) {
  // The browser's own decoder where it has one (Uint8Array.fromBase64, TC39 2025): at a million events the block is
  // over 100 MB, and a loop over atob's characters took a second or more of the start (issue #18).
  if (typeof Uint8Array.fromBase64 === "function") { return Uint8Array.fromBase64(encoded); }
  var binary = atob(encoded), bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
  return bytes;
}

function decodeData(element) {
  // The build stores the data as gzip, base64-encoded: a fifth of the size of the JSON for large cases.
  // The browser's own DecompressionStream inflates it; nothing is fetched.
  var bytes = base64Bytes(element.textContent.trim());
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text().then(JSON.parse);
}
