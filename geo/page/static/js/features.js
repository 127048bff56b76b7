// features: folium's features bound to ids, popups, tooltips; the data block decoded; a piece of the one casemap script (assets.py)
Casemap.onEachFeature = function (key) {
  // folium creates the layers before the data block is decoded: only remember each feature here;
  // its id, properties, popup and tooltip are attached in start(), once the data is there.
  // feature.id is the feature's position in its layer, a number the build makes: no value from a data
  // file passes through folium's templates (docs/security.md).
  return function (feature, layer) {
    drawnFeatures.push({ layer: layer, feature: feature, key: key });
  };
};

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
    layer.bindPopup(function () { return featurePopup(key, feature); }, { maxWidth: 360, autoPanPadding: [20, 20] });
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

function decodeData(element) {
  // The build stores the data as gzip, base64-encoded: a fifth of the size of the JSON for large cases.
  // The browser's own DecompressionStream inflates it; nothing is fetched.
  var binary = atob(element.textContent.trim()), bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text().then(JSON.parse);
}
