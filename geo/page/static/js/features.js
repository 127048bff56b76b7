// features: folium's features bound to ids, popups, tooltips; the data block and the layers' packed geometry decoded; a piece of the one casemap script (assets.py)
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
  // (render.layer_geometry), as delta-encoded integers (decodeLayer below decodes and checks them). Leaflet's
  // addData calls the layer's onEachFeature and pointToLayer as folium set them up.
  list(data.layers).forEach(function (record) {
    var leaflet = own(layers, record.key);
    if (!leaflet) { return; }
    decodeLayer(record.key, own(data.geometry, record.key)).forEach(function (geometry, position) {
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

// The data block's alphabet (geo/page/text85.py): the printable ASCII characters without " & ' < > \ ` { }, in
// order. BASE85_VALUES holds the digit of each UTF-16 code unit, 255 for every one outside the alphabet: 255 has
// bit 7 set and no digit (at most 84) has, so one test of a group's five digits OR-ed together finds a bad one.
var BASE85_VALUES = (function () {
  var values = new Uint8Array(65536).fill(255), next = 0;
  for (var code = 33; code < 127; code++) {
    if ("\"&'<>\\`{}".indexOf(String.fromCharCode(code)) < 0) { values[code] = next++; }
  }
  return values;
}());

function base85Bytes(encoded) {
  // Five characters make four bytes, most significant digit first; a last group of k + 1 characters makes k bytes
  // (it was padded with zero bytes; here with the highest digit, as Ascii85 and Z85 decoders do).
  // Why this shape (issue #18): a 100,000-event block is 17 million characters, and a loop per digit with its bounds
  // test and a write per byte took 140 ms of the start-up (CPU profile). Here a whole group is read without a branch
  // per character and written as one big-endian 32-bit word: about half the time in Chromium (tests/browser/
  // test_page_scale.py checks the bytes against text85.encode's). TextEncoder (text to bytes natively) was tried
  // and is slower in Chromium: it copies the 17 MB string before it encodes it.
  var length = encoded.length, rest = length % 5;
  if (rest === 1) { throw new Error("casemap-data:expected-whole-groups"); }
  var groups = (length - rest) / 5, bytes = new Uint8Array(groups * 4 + (rest ? rest - 1 : 0));
  var words = new DataView(bytes.buffer), values = BASE85_VALUES;
  for (var group = 0, at = 0; group < groups; group++, at += 5) {
    var a = values[encoded.charCodeAt(at)], b = values[encoded.charCodeAt(at + 1)], c = values[encoded.charCodeAt(at + 2)];
    var d = values[encoded.charCodeAt(at + 3)], e = values[encoded.charCodeAt(at + 4)];
    if ((a | b | c | d | e) & 128) { throw base85CharacterError(encoded, at); }
    var value = (((a * 85 + b) * 85 + c) * 85 + d) * 85 + e;
    if (value > 0xFFFFFFFF) { throw new Error("casemap-data:" + at + ":expected-four-bytes"); }
    words.setUint32(group * 4, value);  // big-endian (DataView's default): the most significant byte first
  }
  if (rest) {
    var last = 0, tail = groups * 5;
    for (var k = tail; k < tail + 5; k++) {
      var digit = k < length ? values[encoded.charCodeAt(k)] : 84;
      if (digit & 128) { throw base85CharacterError(encoded, k); }
      last = last * 85 + digit;
    }
    if (last > 0xFFFFFFFF) { throw new Error("casemap-data:" + tail + ":expected-four-bytes"); }
    for (var shift = 24, out = groups * 4; out < bytes.length; shift -= 8) { bytes[out++] = (last >>> shift) & 255; }
  }
  return bytes;
}

function base85CharacterError(encoded, from) {
  // The first character from `from` on that is not in the alphabet (only a broken page gets here).
  for (var k = from; k < encoded.length && BASE85_VALUES[encoded.charCodeAt(k)] !== 255; k++) { /* a digit */ }
  return new Error("casemap-data:" + k + ":expected-base85-character");
}

var INFLATE_SLICE = 4 * 1024 * 1024;  // bytes of the compressed block per write to the inflater

function decodeData(element) {
  // The build stores the data as gzip in base 85 (geo/page/packing.py): a fifth of the size of the JSON for large
  // cases. The browser's own DecompressionStream inflates it; nothing is fetched.
  // The compressed bytes go to the inflater in slices of 4 MB, each written when the last is taken: through a Blob's
  // stream they went in 64 KB chunks, each a round of promises (100,000 events: 897 chunks; inflating took 446 ms,
  // in 4 MB slices or in one write 390 ms, minimum of 5, Chromium 156). Not in one write: the streams' backpressure
  // then holds back nothing, and a million events' 590 MB of output would wait in the queue before it is read.
  var bytes = base85Bytes(element.textContent.trim()), inflater = new DecompressionStream("gzip");
  var writer = inflater.writable.getWriter();
  // A corrupt block rejects the read below; the writer's own rejections would only repeat its error, unhandled.
  (function writeFrom(at) {
    if (at >= bytes.length) { writer.close().catch(function () {}); return; }
    writer.write(bytes.subarray(at, at + INFLATE_SLICE)).then(function () { writeFrom(at + INFLATE_SLICE); }, function () {});
  }(0));
  return new Response(inflater.readable).arrayBuffer().then(function (buffer) { return parseJsonBytes(new Uint8Array(buffer), JSON_TEXT_LIMIT); });
}

/* ---------- JSON larger than a string may be ----------
 * A JavaScript string holds at most 536,870,888 characters in Chromium (V8's String::kMaxLength on 64-bit; checked
 * with 'x'.repeat(2 ** 29 - 23), which throws). A million events with short texts are about 590 MB of JSON: too long
 * for one string, so the page could not start. The block stays one JSON document (geo/page/payload.py); when its
 * bytes are more than a string may hold, the top-level object is split at its members, and a member that is still
 * too long (the events) into batches of its elements, each parsed on its own. JSON's structural characters are ASCII, and
 * no byte of a multi-byte UTF-8 character is ASCII, so the split can read bytes. */
var JSON_TEXT_LIMIT = 256 * 1024 * 1024;  // bytes parsed as one string: well under the limit, in characters or bytes
var UTF8 = new TextDecoder("utf-8");

function parseJsonBytes(bytes, limit) {
  return parseJsonSpan(bytes, 0, bytes.length, limit, null);
}

function parseJsonSpan(bytes, from, to, limit, known) {
  // The JSON value in bytes from..to: parsed whole when it may be one string, else member by member (an object)
  // or in batches of elements (an array), each of those the same way. `known` is the value's parts when the scan
  // of its parent found them already (jsonParts: one pass over the bytes serves two levels), else null.
  var at = from;
  while (at < to && bytes[at] <= 32) { at++; }
  // A string or number is parsed whole, however long: only objects and arrays can be split.
  if (to - from <= limit || (bytes[at] !== 123 && bytes[at] !== 91)) { return JSON.parse(UTF8.decode(bytes.subarray(from, to))); }
  var parts = known || jsonParts(bytes, at, to), out;
  if (parts.object) {
    out = {};
    parts.spans.forEach(function (m, k) {
      out[JSON.parse(UTF8.decode(bytes.subarray(m[0], m[1])))] = parseJsonSpan(bytes, m[2], m[3], limit, parts.children[k]);
    });
    return out;
  }
  out = [];
  var spans = parts.spans, k = 0;
  while (k < spans.length) {
    var first = k;
    while (k < spans.length && (k === first || spans[k][1] - spans[first][0] <= limit)) { k++; }
    var batch = k - first === 1 ? [parseJsonSpan(bytes, spans[first][0], spans[first][1], limit, parts.children[first])]
      : JSON.parse("[" + UTF8.decode(bytes.subarray(spans[first][0], spans[k - 1][1])) + "]");
    for (var j = 0; j < batch.length; j++) { out.push(batch[j]); }
  }
  return out;
}

function jsonParts(bytes, from, to) {
  // The members of the object (key start, key end, value start, value end) or the elements (start, end) of the
  // array that the bytes from..to hold, and, for each, the same parts of its own value when that is an object or
  // an array (children[k], else null), found in one pass that skips strings and deeper values.
  // Why two levels at once (issue #18): a million events are 590 MB of JSON; the top level is split at its members
  // and the events at their elements, and scanning the bytes once for each level took 4 s of the start-up.
  var at = from;
  while (bytes[at] <= 32) { at++; }
  var top = partsFrame(bytes, at), inner = null, children = [], depth = 0;
  for (var i = at + 1; i < to; i++) {
    var c = bytes[i];
    if (c === 34) {
      // A string: to its closing quote; a backslash escapes the byte after it. Read inline: a call per string (a
      // million events hold tens of millions of strings, keys included) cost more than the bytes.
      do { c = bytes[++i]; if (c === 92) { i++; c = 0; } } while (c !== 34 && i < to);
    } else if (c === 123 || c === 91) {
      depth++;
      if (depth === 1) { inner = partsFrame(bytes, i); }
    } else if (c === 125 || c === 93) {
      if (depth === 0) { closePart(bytes, top, i); break; }
      if (depth === 1) { closePart(bytes, inner, i); }
      depth--;
    } else if (depth <= 1 && c === 58) {
      var frame = depth === 0 ? top : inner;
      if (frame.colon < frame.start) { frame.colon = i; }
    } else if (depth <= 1 && c === 44) {
      if (depth === 1) { closePart(bytes, inner, i); inner.start = i + 1; continue; }
      if (closePart(bytes, top, i)) { children.push(inner); }
      inner = null;
      top.start = i + 1;
    }
  }
  if (top.spans.length > children.length) { children.push(inner); }
  return { object: top.object, spans: top.spans, children: children.map(function (f) { return f && { object: f.object, spans: f.spans, children: [] }; }) };
}

function partsFrame(bytes, open) {
  // The parts of one object or array being scanned: the next part starts at `start`; a member's colon at `colon`.
  return { object: bytes[open] === 123, start: open + 1, colon: -1, spans: [] };
}

function closePart(bytes, frame, end) {
  // The part from frame.start to end (a ',' or the closing bracket) recorded, white space trimmed; false if empty.
  var a = frame.start, b = end;
  while (a < b && bytes[a] <= 32) { a++; }
  while (b > a && bytes[b - 1] <= 32) { b--; }
  if (a === b) { return false; }
  if (!frame.object) { frame.spans.push([a, b]); return true; }
  var key = trimmedSpan(bytes, a, frame.colon), value = trimmedSpan(bytes, frame.colon + 1, b);
  frame.spans.push([key[0], key[1], value[0], value[1]]);
  return true;
}

function trimmedSpan(bytes, a, b) {
  while (a < b && bytes[a] <= 32) { a++; }
  while (b > a && bytes[b - 1] <= 32) { b--; }
  return [a, b];
}

/* Layer geometry as delta-encoded integers, decoded and checked. The format is geo/page/packedgeometry.py's: per
 * layer {decimals: d, shapes: [{type, coordinates, dimensions?}]}; each list of positions is one flat list of integers [x0, y0, x1 - x0, y1 - y0, ...] in units of 10^-d degree.
 * n / 10^d is exact (one IEEE division, correctly rounded as in Python), so Leaflet gets the layer file's numbers.
 * Input that does not fit is refused with an error naming layer, shape and what was expected (the start-up notice
 * shows it), never drawn wrongly: the build made it, so a misfit is a broken page, not data to guess at. */
var MAX_GEOMETRY_DECIMALS = 7; // packedgeometry.MAX_DECIMALS
// How deep each type's lists of positions lie in its coordinates (0: a Point's one position).
var POSITION_LIST_DEPTH = table({ Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 });

function geometryError(where, expected) {
  // Code words only (the notice shows them in <code> for a report): layer/position:what-was-expected.
  return new Error("casemap-geometry:" + where + ":expected-" + expected);
}

function decodePositions(flat, stride, scale, where) {
  // One flat list of deltas to [[x, y(, z)], ...]; every running value a safe integer within the world's bounds.
  if (!Array.isArray(flat) || !flat.length || flat.length % stride !== 0) { throw geometryError(where, "flat-list-of-whole-positions"); }
  var running = [0, 0, 0], positions = [];
  for (var i = 0; i < flat.length; i += stride) {
    var position = [];
    for (var axis = 0; axis < stride; axis++) {
      var step = flat[i + axis];
      if (!Number.isSafeInteger(step) || !Number.isSafeInteger(running[axis] + step)) { throw geometryError(where, "integers"); }
      running[axis] += step;
      position.push(running[axis] / scale);
    }
    if (Math.abs(running[0]) > 180 * scale || Math.abs(running[1]) > 90 * scale) { throw geometryError(where, "longitude-latitude-in-range"); }
    positions.push(position);
  }
  return positions;
}

function decodeCoordinates(value, depth, kind, stride, scale, where) {
  if (depth === 0) {
    var point = decodePositions(value, stride, scale, where);
    if (point.length !== 1) { throw geometryError(where, "one-position"); }
    return point[0];
  }
  if (depth === 1) {
    var positions = decodePositions(value, stride, scale, where);
    var ring = kind === "Polygon" || kind === "MultiPolygon", line = ring || kind === "LineString" || kind === "MultiLineString";
    // RFC 7946 sections 3.1.4 and 3.1.6: a line has two positions or more, a ring four or more and is closed.
    if (line && positions.length < (ring ? 4 : 2)) { throw geometryError(where, ring ? "ring-of-4-positions" : "line-of-2-positions"); }
    if (ring && positions[0].join() !== positions[positions.length - 1].join()) { throw geometryError(where, "closed-ring"); }
    return positions;
  }
  if (!Array.isArray(value) || !value.length) { throw geometryError(where, "non-empty-list"); }
  return value.map(function (item, index) { return decodeCoordinates(item, depth - 1, kind, stride, scale, where + "/" + index); });
}

function decodeLayer(key, packed) {
  // A layer's geometries as GeoJSON, in feature order; a layer the data block does not hold has none.
  if (packed === undefined) { return []; }
  var decimals = own(packed, "decimals"), shapes = own(packed, "shapes");
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_GEOMETRY_DECIMALS || !Array.isArray(shapes)) {
    throw geometryError(key, "decimals-and-shapes");
  }
  var scale = Math.pow(10, decimals);
  return shapes.map(function (shape, position) {
    var where = key + "/" + position, kind = own(shape, "type"), depth = own(POSITION_LIST_DEPTH, kind);
    var dimensions = own(shape, "dimensions");
    if (typeof kind !== "string" || depth === undefined) { throw geometryError(where, "geometry-type"); }
    if (dimensions !== undefined && dimensions !== 3) { throw geometryError(where, "dimensions-3-or-none"); }
    return { type: kind, coordinates: decodeCoordinates(own(shape, "coordinates"), depth, kind, dimensions === 3 ? 3 : 2, scale, where) };
  });
}
