/* casemap: the case application on top of a folium/Leaflet map.
 *
 * Every string that comes from the data reaches the page through el()/text nodes (textContent), never
 * through innerHTML, so no value in the data can become markup or script. The data arrives as one block
 * of gzip-compressed JSON in base64 (a script element of a type browsers never run).
 */
(function () {
  "use strict";

  var Casemap = {};
  // Data ids and link values are never keys of plain objects: an id such as "constructor" would find
  // Object.prototype's member instead of nothing (issue #10, finding 6). They key Maps (mapOf); fixed tables
  // of the code's own names have no prototype (table); a record decoded from the data is read through own().
  var featureIndex = new Map(); // feature id -> {layer: L.Layer, feature: GeoJSON feature, key: layer key}
  var drawnFeatures = []; // {layer, feature, key} in the order folium drew them; named by bindFeatures()
  var state = null; // set by start()
  var hasOwn = Object.prototype.hasOwnProperty;

  function own(object, key) {
    // The value stored under key in object itself, never one inherited from a prototype.
    return object !== null && typeof object === "object" && hasOwn.call(object, key) ? object[key] : undefined;
  }

  function table(entries) {
    // A fixed lookup table with no prototype: table[anyString] is the entry or undefined.
    return Object.freeze(Object.assign(Object.create(null), entries));
  }

  function list(value) {
    // A layer's properties are shown as the build accepted them: a list that is not a list is no list.
    return Array.isArray(value) ? value : [];
  }

  function text(value) {
    // A property shown as text: strings and numbers only, anything else is left out.
    return typeof value === "string" || (typeof value === "number" && isFinite(value)) ? String(value) : "";
  }

  function mapOf(object) {
    // A decoded JSON object keyed by data ids, as a Map (Object.keys lists own keys only).
    var map = new Map();
    if (object !== null && typeof object === "object") {
      Object.keys(object).forEach(function (key) { map.set(key, object[key]); });
    }
    return map;
  }

  var STATUS_TEXT = table({
    corroborated: "Corroborated",
    corrected: "Corrected",
    disputed: "Disputed",
    unverified: "Unverified"
  });
  // What each status means (docs/claim-statuses.md), shown in the legend and the method panel.
  var STATUS_MEANING = table({
    corroborated: "independent sources confirm the claim as the article states it.",
    corrected: "sources show the claim is wrong; the popup says what is right.",
    disputed: "credible sources disagree with each other.",
    unverified: "no independent confirmation was found."
  });
  var PRECISION_TEXT = table({
    exact: "exact site",
    settlement: "known to the settlement",
    district: "known only to the district",
    region: "known only to the region",
    undisclosed: "location undisclosed"
  });
  // Category and layer-group labels come from the case (case.yaml, through the data block): see labelsOf().
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  /* ---------- small DOM helpers: text only ---------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) { return; }
        if (name === "text") { node.textContent = String(value); }
        else if (name === "className") { node.className = value; }
        else if (name.slice(0, 2) === "on") { node.addEventListener(name.slice(2), value); }
        else { node.setAttribute(name, value === true ? "" : String(value)); }
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") { return; }
      // Anything that is not already a node is text, whatever its type (a number in a layer's properties).
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function safeHref(url) {
    // The build accepts only http(s) URLs; check again here as a second wall.
    try {
      var parsed = new URL(url);
      return (parsed.protocol === "https:" || parsed.protocol === "http:") ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(url, label) {
    var href = safeHref(url);
    if (!href) { return el("span", { text: label }); }
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label });
  }

  function fold(text) {
    // Fold spellings together for search: case, accents, and transliteration variants
    // (y/i, kh/h, tch/ch, doubled letters: the ways one name is written in Latin letters).
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/kh/g, "h").replace(/[yj]/g, "i").replace(/tch/g, "ch").replace(/ie/g, "e")
      .replace(/[^0-9a-z\u0400-\u04ff\u3400-\u9fff]+/g, " ").replace(/(.)\1+/g, "$1").trim();
  }

  /* ---------- dates ---------- */

  function dayLabel(iso) {
    var parts = iso.split("-");
    return String(Number(parts[2])) + " " + MONTHS[Number(parts[1]) - 1] + " " + parts[0];
  }

  /* ---------- features of the folium layers ---------- */

  function fmt(n, digits) {
    return Number(n).toLocaleString("en-GB", { maximumFractionDigits: digits || 0 });
  }

  function sourceItem(citation) {
    var id = text(own(citation, "id") !== undefined ? own(citation, "id") : own(citation, "source"));
    var source = state.data.sources.get(id) || { outlet: id, title: "", url: "", published: "" };
    var label = source.outlet + (source.title ? " — " + source.title : "");
    var confirms = text(own(citation, "confirms"));
    // url is the original; via the copy that was read where it was not (a mirror, syndication or archive).
    var copy = source.via ? el("div", { className: "cm-muted cm-small" }, [
      source.url ? "Read at a copy: " : "Original address unknown; read at a copy: ", link(source.via, hostOf(source.via))
    ]) : null;
    var family = source.family && source.kind !== "seed" ? " · rests on " + source.family : "";
    return el("li", { className: "cm-source" }, [
      source.url ? link(source.url, label) : el("span", { text: label }),
      el("span", { className: "cm-muted", text: (source.published ? " (" + source.published + ")" : "") + family }),
      copy,
      confirms ? el("div", { className: "cm-confirms", text: confirms }) : null
    ]);
  }

  function hostOf(url) {
    try { return new URL(url).host; } catch (e) { return url; }
  }

  function seedName() {
    // The article the claims quote, named wherever its words appear.
    var seed = state.data.sources.get(text(state.data.seed));
    return seed ? seed.outlet + (seed.published ? ", " + seed.published : "") : "The article";
  }

  function independenceText(claim) {
    var families = list(claim.families);
    if (!families.length) { return "No independent source"; }
    return families.length + " independent source" + (families.length > 1 ? "s" : "") + ": " + families.join(", ");
  }

  function claimBlock(claim) {
    var status = text(claim.status);
    return el("div", { className: "cm-claim cm-status-" + status }, [
      el("div", null, [
        el("span", { className: "cm-badge cm-status-" + status, text: STATUS_TEXT[status] || status }),
        claim.single_source ? el("span", { className: "cm-badge cm-single", text: "1 independent source" }) : null
      ]),
      el("div", { className: "cm-label", text: seedName() + " says:" }),
      el("blockquote", { text: text(claim.quote) }),
      el("div", null, [el("strong", { text: "Why: " }), text(claim.reason)]),
      claim.other_account ? el("div", null, [el("strong", { text: "What the sources show: " }), text(claim.other_account)]) : null,
      el("div", { className: "cm-muted cm-small", text: independenceText(claim) })
    ]);
  }

  function sourcesBlock(citations, heading) {
    var items = list(citations);
    if (!items.length) { return null; }
    return el("div", { className: "cm-sources" }, [
      el("h4", { text: heading || "Sources" }),
      el("ul", null, items.map(sourceItem))
    ]);
  }

  function row(label, value) {
    if (value === null || value === undefined || value === "") { return null; }
    return el("div", { className: "cm-row" }, [el("span", { className: "cm-label", text: label + ": " }), String(value)]);
  }

  function popupField(field, p, body) {
    // One popup field of a layer record (case.yaml `popup`), shown by the format the build gave it.
    var value = own(p, field.field), label = text(field.label);
    if (field.format === "citations") { body.push(sourcesBlock(value, label)); return; }
    if (field.format === "roles") {
      list(value).forEach(function (role) {
        body.push(el("div", { className: "cm-role" }, [el("strong", { text: text(own(role, "role")) }),
          sourcesBlock(own(role, "sources"), "Sources for this role")]));
      });
      return;
    }
    if (field.format === "paragraph") {
      if (text(value)) { body.push(el("p", null, [el("strong", { text: label + ": " }), text(value)])); }
      return;
    }
    if (field.format === "badge") {
      if (text(value)) { body.push(el("div", { className: "cm-badge cm-conf-" + text(value), text: label + ": " + text(value) })); }
      return;
    }
    if (field.format === "place") {
      var place = typeof value === "string" ? state.data.places.get(value) : null;
      body.push(row(label, place ? place.name : text(own(p, "country"))));
      return;
    }
    var shown = text(value);
    if (typeof value === "number" && isFinite(value)) {
      if (field.format === "number-0") { shown = fmt(value); }
      else if (field.format === "number-1") { shown = fmt(value, 1); }
      else if (field.format === "count") { shown = value ? fmt(value) : ""; }
    }
    body.push(row(label, shown));
  }

  function featurePopup(key, feature) {
    // Every property is read as the type it should have (text(), list()): content the build let through
    // with another type leaves a gap in the popup, never an error (issue #10, finding 10). Which
    // properties a layer's popup shows, and their labels, come from its record (data.layers[].popup).
    var p = feature.properties !== null && typeof feature.properties === "object" ? feature.properties : {};
    var record = state.layerRecords.get(key) || { popup: [], popupNote: "" };
    var names = [text(p.name_ru), text(p.name_zh)].filter(Boolean).join(" · ");
    var body = [el("h3", { text: text(p.name) || text(feature.id) }), names ? el("div", { className: "cm-muted", text: names }) : null];
    list(record.popup).forEach(function (field) { popupField(field, p, body); });
    if (text(record.popupNote)) { body.push(el("p", { className: "cm-muted", text: text(record.popupNote) })); }
    var atPlace = state ? (state.eventsByPlace.get(feature.id) || []) : [];
    if (atPlace.length) { body.push(eventLinks(atPlace, "Events here")); }
    body.push(el("div", { className: "cm-muted cm-small", text: "Geometry: " + text(p.source) }));
    return el("div", { className: "cm-popup" }, body);
  }

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

  /* ---------- the side panel: search, time filter, list ---------- */

  function renderRangeLabels() {
    var from = state.ticks[state.range[0]], to = state.ticks[state.range[1]];
    state.rangeLabel.textContent = from + " – " + to;
    state.fromInput.setAttribute("aria-valuetext", dayLabel(from));
    state.toInput.setAttribute("aria-valuetext", dayLabel(to));
  }

  function setRange(a, b) {
    var max = state.ticks.length - 1;
    a = Math.max(0, Math.min(max, a)); b = Math.max(0, Math.min(max, b));
    if (a > b) { var t = a; a = b; b = t; }
    state.range = [a, b];
    state.fromInput.value = String(a); state.toInput.value = String(b);
    applyFilter();
  }

  function tickIndexFor(iso, last) {
    // "from": the first tick on or after iso; "to": the last tick on or before it.
    var ticks = state.ticks, i;
    if (!last) {
      for (i = 0; i < ticks.length; i++) { if (ticks[i] >= iso) { return i; } }
      return ticks.length - 1;
    }
    for (i = ticks.length - 1; i >= 0; i--) { if (ticks[i] <= iso) { return i; } }
    return 0;
  }

  function timeControls() {
    var max = state.ticks.length - 1;
    state.fromInput = el("input", { type: "range", min: "0", max: String(max), step: "1", value: "0", "aria-label": "Show events from", className: "cm-range cm-from" });
    state.toInput = el("input", { type: "range", min: "0", max: String(max), step: "1", value: String(max), "aria-label": "Show events until", className: "cm-range cm-to" });
    state.rangeLabel = el("div", { className: "cm-range-label", "aria-live": "polite" });
    var onInput = function () { setRange(Number(state.fromInput.value), Number(state.toInput.value)); };
    state.fromInput.addEventListener("input", onInput);
    state.toInput.addEventListener("input", onInput);
    // Year marks at their ordinal positions: the scale is by event, so gaps in time take no room.
    var marks = el("div", { className: "cm-marks", "aria-hidden": "true" });
    var lastYear = null, lastPos = -100;
    state.ticks.forEach(function (tick, i) {
      var year = tick.slice(0, 4), pos = max ? (100 * i / max) : 0;
      if (year !== lastYear && pos - lastPos > 12) {
        var mark = el("span", { text: year }); mark.style.left = pos + "%"; marks.appendChild(mark); lastPos = pos;
      }
      lastYear = year;
    });
    // "All time", then the case's own presets (case.yaml `time_presets`).
    var presets = el("div", { className: "cm-presets" }, [
      el("button", { type: "button", text: "All time", onclick: function () { setRange(0, max); } })
    ].concat(list(state.data.timePresets).map(function (preset) {
      return el("button", { type: "button", text: text(preset.label), onclick: function () {
        setRange(tickIndexFor(text(preset.start), false), tickIndexFor(text(preset.end), true));
      } });
    })));
    return el("div", { className: "cm-time", role: "group", "aria-label": "Time filter" }, [
      el("div", { className: "cm-section-title" }, ["Time ", state.rangeLabel]),
      el("div", { className: "cm-ranges" }, [state.fromInput, state.toInput]), marks, presets
    ]);
  }

  function searchControls() {
    var input = el("input", { type: "search", className: "cm-search", placeholder: "Search places and events" + (text(state.data.searchHint) ? " (" + text(state.data.searchHint) + ")" : ""), "aria-label": "Search places and events", autocomplete: "off", "aria-controls": "cm-search-results" });
    var results = el("ul", { id: "cm-search-results", className: "cm-results", role: "listbox", "aria-label": "Search results" });
    var current = [];
    function choose(item) {
      results.textContent = "";
      if (item.event !== undefined) { select(item.event); return; }
      var place = state.data.places.get(item.place), entry = featureIndex.get(item.place);
      if (place.kind === "point") { state.map.flyTo([place.lat, place.lon], Math.max(state.map.getZoom(), 7)); }
      else { state.map.flyToBounds(place.bounds, { padding: [20, 20], maxZoom: 8 }); }
      if (entry) { state.map.once("moveend", function () { entry.layer.openPopup(place.kind === "point" ? undefined : L.latLng(place.lat, place.lon)); }); }
    }
    function run() {
      var words = fold(input.value).split(" ").filter(Boolean);
      results.textContent = "";
      current = [];
      if (!words.length) { return; }
      // Built on the first search, not at load: folding 100,000 events' texts takes most of a second.
      if (!state.searchIndex) { state.searchIndex = buildSearchIndex(); }
      state.searchIndex.forEach(function (item) {
        if (current.length < 20 && words.every(function (w) { return item.text.indexOf(w) !== -1; })) { current.push(item); }
      });
      current.forEach(function (item, k) {
        results.appendChild(el("li", { role: "option", id: "cm-result-" + k }, [el("button", {
          type: "button", className: "cm-result", onclick: function () { choose(item); }
        }, [el("span", { className: "cm-muted", text: item.kind + " " }), item.label])]));
      });
      if (!current.length) { results.appendChild(el("li", { className: "cm-muted", text: "No match" })); }
    }
    input.addEventListener("input", run);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && current.length) { e.preventDefault(); choose(current[0]); }
      if (e.key === "ArrowDown") { var b = results.querySelector("button"); if (b) { e.preventDefault(); b.focus(); } }
      if (e.key === "Escape") { input.value = ""; results.textContent = ""; }
    });
    return el("div", { className: "cm-searchbox", role: "search" }, [input, results]);
  }

  function buildSearchIndex() {
    var index = [], placeText = new Map();
    state.data.places.forEach(function (p, id) {
      placeText.set(id, fold([p.name, p.name_ru, p.name_zh].concat(p.aliases || []).join(" | ")));
      index.push({ place: id, kind: "Place", label: p.name + (p.name_ru ? " · " + p.name_ru : "") + (p.name_zh ? " · " + p.name_zh : ""),
        text: placeText.get(id) });
    });
    state.events.forEach(function (event, i) {
      // Each place's names are folded once and shared by its events.
      var text = fold([event.title, event.description, event.when.label].join(" | ")) +
        (event.where.place ? " | " + (placeText.get(event.where.place) || "") : "");
      index.push({ event: i, kind: "Event", label: eventWhen(event) + " — " + event.title, text: text });
    });
    return index;
  }

  function sidePanel() {
    state.countLabel = el("span", { className: "cm-count", "aria-live": "polite" });
    var nav = el("div", { className: "cm-nav" }, [
      el("button", { type: "button", text: "◀ Previous", "aria-label": "Previous event", onclick: function () { step(-1); } }),
      state.countLabel,
      el("button", { type: "button", text: "Next ▶", "aria-label": "Next event", onclick: function () { step(1); } })
    ]);
    var categories = el("div", { className: "cm-categories", role: "group", "aria-label": "Categories" },
      Array.from(state.categoryText.keys()).map(function (cat) {
        var box = el("input", { type: "checkbox", checked: true, onchange: function () { state.categories.set(cat, box.checked); applyFilter(); } });
        return el("label", { className: "cm-cat cm-cat-" + cat }, [box, " " + state.categoryText.get(cat)]);
      }));
    var panel = el("aside", { className: "cm-panel", "aria-label": "The case: search, time and events" }, [
      el("header", null, [el("h1", { text: state.data.title })]),
      searchControls(),
      timeControls(),
      categories,
      nav
    ]);
    state.list = new EventList(panel);
    panel.appendChild(el("div", { className: "cm-panel-foot" }, [
      el("button", { type: "button", text: "Sources and method", onclick: function () { toggleMethod(true); } })
    ]));
    return panel;
  }

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

  /* ---------- sources and method ---------- */

  function toggleMethod(open) {
    state.method.hidden = !open;
    if (open) { state.method.querySelector("button").focus(); }
  }

  function methodPanel() {
    var method = state.data.method, datasets = method.datasets || {};
    var datasetItems = Object.keys(datasets).map(function (key) {
      var d = datasets[key];
      return el("li", null, [el("strong", { text: d.dataset + " " + (d.version || "") }), " — " + d.attribution + ". Licence: " + d.licence +
        ". From " + d.package + ", file " + d.file + ", sha256 ", el("code", { text: d.sha256 })]);
    });
    var layerItems = Object.keys(method.layers || {}).map(function (key) {
      var l = method.layers[key];
      return el("li", null, [el("strong", { text: l.title }), " (" + l.feature_count + (l.feature_count === 1 ? " feature, " : " features, ") + l.licence + "), sha256 ", el("code", { text: l.sha256 })]);
    });
    var sources = Array.from(state.data.sources.keys()).map(function (id) { return sourceItem({ id: id, confirms: "" }); });
    var close = el("button", { type: "button", text: "Close", onclick: function () { toggleMethod(false); } });
    var panel = el("div", { className: "cm-method", role: "dialog", "aria-label": "Sources and method", hidden: true }, [
      close,
      el("h2", { text: "Sources and method" }),
      el("p", { text: "Every layer is derived by script from the datasets below and regenerated byte for byte with: " }),
      el("pre", { text: method.command || "python build_map.py regenerate" }),
      el("p", { text: "Every event cites its sources; the seed article's claims are marked corroborated, corrected, disputed or unverified against other reporting. Places known only to a region are drawn as the region." }),
      el("h3", { text: "What the statuses mean" }),
      el("ul", null, Object.keys(STATUS_TEXT).map(function (status) {
        return el("li", null, [el("strong", { text: STATUS_TEXT[status] + ": " }), STATUS_MEANING[status]]);
      })),
      el("p", { text: "A claim is counted as confirmed by independent families of sources: outlets that repeat one wire or service are one family, and the article's own publisher never counts. A corroborated claim resting on one family is marked “1 independent source”." }),
      articleAccounting(),
      el("h3", { text: "Corrections log (" + list(state.data.corrections).length + ")" }),
      el("ul", null, list(state.data.corrections).map(function (c) {
        return el("li", null, [el("strong", { text: text(c.date) + ": " }), text(c.change) + " ", el("span", { className: "cm-muted", text: text(c.why) })]);
      })),
      el("h3", { text: "Datasets" }), el("ul", null, datasetItems),
      el("h3", { text: "Layers" }), el("ul", null, layerItems),
      el("h3", { text: "Bibliography (" + sources.length + ")" }), el("ul", null, sources)
    ]);
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { toggleMethod(false); } });
    return panel;
  }

  function articleAccounting() {
    var article = state.data.article || {}, counts = article.by_kind || {};
    if (!article.sentences) { return null; }
    var parts = ["checked", "opinion", "context", "heading"].filter(function (kind) { return own(counts, kind); }).map(function (kind) {
      return own(counts, kind) + " " + ({ checked: "checked against other reporting", opinion: "opinion or analysis", context: "context shown by a map layer", heading: "headings" })[kind];
    });
    return el("p", { text: "Every sentence of " + seedName() + " is accounted for: " + article.sentences + " sentences, " + parts.join(", ") + "." });
  }

  /* ---------- deep links: #event=…&view=lat,lon,zoom&from=…&to=…&base=… ----------
   * A link is input from anyone: every value is checked against what this page has, a bad or unknown
   * value is ignored and named in a notice (issue #10, finding 9), and no value can make the page load
   * tiles from the network: only the reader's own choice in Layers does that (finding 15). */

  var LINK_PARAMETERS = new Set(["event", "view", "from", "to", "base"]);
  var NUMBER = /^[+-]?(?:\d{1,12}(?:\.\d{0,12})?|\.\d{1,12})$/;
  var ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

  function readHash() {
    // The fragment as a Map of parameter -> value, and a list of the parts that were not used.
    var params = new Map(), problems = [];
    (location.hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      if (part === "") { return; }
      var k = part.indexOf("="), name, value;
      try {
        name = decodeURIComponent(k > 0 ? part.slice(0, k) : part);
        value = k > 0 ? decodeURIComponent(part.slice(k + 1)) : "";
      } catch (e) {
        problems.push(["link part", part, "it is not valid percent-encoding"]);
        return;
      }
      if (k <= 0) { problems.push(["link part", part, "expected name=value"]); }
      else if (!LINK_PARAMETERS.has(name)) { problems.push([name, value, "this page knows only event, view, from, to and base"]); }
      else { params.set(name, value); }
    });
    return { params: params, problems: problems };
  }

  function linkView(value, problems) {
    // "lat,lon,zoom" as this page writes it: plain decimals within the map's range, or null.
    // The zoom range is the build's (data.view.maxZoom): the Leaflet map itself is made without limits.
    var parts = value.split(","), maxZoom = Number(state.data.view.maxZoom) || 18;
    var numbers = parts.length === 3 && parts.every(function (part) { return NUMBER.test(part); }) ? parts.map(Number) : null;
    if (numbers && Math.abs(numbers[0]) <= 90 && Math.abs(numbers[1]) <= 180 && numbers[2] >= 0 && numbers[2] <= maxZoom) {
      return { lat: numbers[0], lon: numbers[1], zoom: numbers[2] };
    }
    problems.push(["view", value, "expected latitude (-90 to 90), longitude (-180 to 180) and zoom (0 to " + maxZoom +
      "), as in view=52.03,113.5,7; the map keeps its view"]);
    return null;
  }

  function linkDay(name, value, problems) {
    // A real calendar day written YYYY-MM-DD, or null.
    var match = ISO_DAY.exec(value);
    if (match) {
      var day = new Date(0);
      day.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      if (day.getUTCFullYear() === Number(match[1]) && day.getUTCMonth() === Number(match[2]) - 1 &&
          day.getUTCDate() === Number(match[3])) { return value; }
    }
    problems.push([name, value, "expected a date as YYYY-MM-DD; the time filter ignores it"]);
    return null;
  }

  function linkBase(value, problems) {
    // Only the offline base may be switched to by a link; a tile map waits for the reader (finding 15).
    if (value === state.base) { return; }
    var base = state.data.bases.filter(function (b) { return b.key === value; })[0];
    if (!base) { problems.push(["base", value, "no such base map; the plain map is shown"]); return; }
    if (!base.offline) {
      problems.push(["base", value, base.title + " not loaded: this offline page loads tiles from the network only " +
        "when you choose them in Layers"]);
      return;
    }
    setBase(value);
  }

  function linkEvent(value, problems) {
    for (var i = 0; i < state.events.length; i++) { if (state.events[i].id === value) { return i; } }
    problems.push(["event", value, "no event has this id; none is opened"]);
    return -1;
  }

  var hashTimer = null, lastWritten = null;
  function writeHash() {
    if (!state || !state.ready) { return; }
    clearTimeout(hashTimer);
    hashTimer = setTimeout(function () {
      // The longitude is written within -180..180 so that the link reads back (linkView).
      var c = state.map.getCenter(), lng = L.Util.wrapNum(c.lng, [-180, 180], true), parts = [];
      if (state.selected !== null && state.selected !== undefined) { parts.push("event=" + encodeURIComponent(state.events[state.selected].id)); }
      parts.push("view=" + c.lat.toFixed(4) + "," + lng.toFixed(4) + "," + state.map.getZoom());
      if (state.range[0] !== 0 || state.range[1] !== state.ticks.length - 1) {
        parts.push("from=" + state.ticks[state.range[0]], "to=" + state.ticks[state.range[1]]);
      }
      if (state.base !== "plain") { parts.push("base=" + encodeURIComponent(state.base)); }
      var hash = "#" + parts.join("&");
      if (location.hash !== hash) {
        lastWritten = hash;
        try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
      }
    }, 150);
  }

  function restoreFromHash() {
    var link = readHash(), h = link.params, problems = link.problems;
    var selected = h.has("event") ? linkEvent(h.get("event"), problems) : -1;
    if (h.has("base")) { linkBase(h.get("base"), problems); }
    var from = h.has("from") ? linkDay("from", h.get("from"), problems) : null;
    var to = h.has("to") ? linkDay("to", h.get("to"), problems) : null;
    if (from !== null || to !== null) {
      setRange(from !== null ? tickIndexFor(from, false) : 0, to !== null ? tickIndexFor(to, true) : state.ticks.length - 1);
    }
    var view = h.has("view") ? linkView(h.get("view"), problems) : null;
    if (view) { state.map.setView([view.lat, view.lon], view.zoom, { animate: false }); }
    if (selected !== -1) {
      select(selected, { fly: !view, instant: true, restore: !!view });
    }
    showNotices(problems);
  }

  /* ---------- notices: what the page did not do with its link, said in the page ---------- */

  function shown(value) {
    // A value as the reader can read it: control and bidirectional-override characters escaped, long text cut.
    var text = String(value).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4);
    });
    return text.length > 120 ? text.slice(0, 120) + "…" : text;
  }

  function noticeControl() {
    // One live region, present from the start so screen readers announce what is added to it.
    var list = el("ul", { className: "cm-notice-list" });
    var dismiss = el("button", { type: "button", className: "cm-ctl-button", text: "Dismiss", onclick: function () { showNotices([]); } });
    var box = el("div", { className: "cm-notice", role: "status", "aria-live": "polite" }, [list, dismiss]);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    state.noticeList = list;
    state.notice = box;
    return box;
  }

  function showNotices(problems) {
    var list = state.noticeList;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    problems.forEach(function (problem) {
      list.appendChild(el("li", null, [
        "Link ignored: ", el("strong", { text: shown(problem[0]) }), " = “", el("code", { text: shown(problem[1]) }), "”: " + problem[2] + "."
      ]));
    });
    state.notice.classList.toggle("cm-notice-open", problems.length > 0);
  }

  /* ---------- start ---------- */

  /* A map that cannot start says so in the page, never a grey map without a word (issue #10, finding 10).
   * folium's own script builds the layers and then calls Casemap.start: layer content the page cannot draw
   * throws there, and nothing after it runs; so once the page has loaded, a start that never came is shown. */
  var started = false, firstError = null;
  window.addEventListener("error", function (event) { firstError = firstError || event.message || "unknown error"; });
  window.addEventListener("load", function () {
    if (!started) { showFatal(firstError || "the page's start-up script did not run"); }
  });

  function showFatal(message) {
    document.documentElement.setAttribute("data-casemap-ready", "failed");
    if (document.querySelector(".cm-fatal")) { return; }
    document.body.appendChild(el("div", { className: "cm-fatal", role: "alert" }, [
      el("strong", { text: "The map could not start. " }),
      "Please report this with the file you opened: ", el("code", { text: shown(message) })
    ]));
  }

  Casemap.start = function (options) {
    started = true;
    return decodeData(document.getElementById(options.dataElement)).then(function (data) { run(options, data); })
      .catch(function (error) {
        showFatal(error && error.message || String(error));
        throw error;
      });
  };

  var COLOUR = /^#[0-9a-fA-F]{6}$/, DASHES = /^[0-9]{1,2}( [0-9]{1,2}){1,5}$/;
  var STYLE_RANGES = table({ weight: [0, 20], opacity: [0, 1], fillOpacity: [0, 1], radius: [1, 30] });

  function safeStyle(style) {
    // Leaflet path options from the closed set, each value checked again here (the build checked them first):
    // colours as #rrggbb, numbers in range, dash patterns as digits and spaces. Anything else is left out.
    var out = {};
    ["color", "fillColor"].forEach(function (key) { var v = own(style, key); if (typeof v === "string" && COLOUR.test(v)) { out[key] = v; } });
    var dash = own(style, "dashArray");
    if (typeof dash === "string" && DASHES.test(dash)) { out.dashArray = dash; }
    Object.keys(STYLE_RANGES).forEach(function (key) {
      var v = own(style, key), range = STYLE_RANGES[key];
      if (typeof v === "number" && isFinite(v) && v >= range[0] && v <= range[1]) { out[key] = v; }
    });
    return out;
  }

  function styleLayer(leaflet, layer) {
    var base = safeStyle(layer.style), byFeature = mapOf(layer.featureStyles);
    leaflet.eachLayer(function (sub) {
      var id = sub.feature && sub.feature.id, style = Object.assign({}, base, safeStyle(byFeature.get(id)));
      if (sub.setStyle) { sub.setStyle(style); }
      // A point in any layer is a circle marker (render.py): its radius is part of its style.
      if (sub.setRadius) { sub.setRadius(style.radius || 5); }
    });
  }

  function labelsOf(records) {
    // id -> label, in the case's order, for a list of {id, label} records from case.yaml.
    var map = new Map();
    list(records).forEach(function (record) { if (typeof own(record, "id") === "string") { map.set(record.id, text(record.label)); } });
    return map;
  }

  function run(options, data) {
    var map = options.map;
    // Everything keyed by data ids becomes a Map before any lookup (finding 6).
    data.places = mapOf(data.places);
    data.sources = mapOf(data.sources);
    var layerRecords = new Map(list(data.layers).map(function (layer) { return [layer.key, layer]; }));
    bindFeatures(data, layerRecords);
    var index = buildIndex(data);
    state = {
      data: data, map: map, events: data.events, layers: Object.assign(Object.create(null), options.layers),
      bases: mapOf(options.bases),
      groups: index.groups, areaEvents: index.areaEvents, undisclosed: index.undisclosed, ticks: index.ticks,
      eventsByPlace: index.eventsByPlace,
      visible: new Uint8Array(data.events.length), shown: [], range: [0, Math.max(0, index.ticks.length - 1)],
      categories: new Map(), selected: null, layerOn: new Map(), layerBoxes: new Map(), baseRadios: new Map(), base: "plain",
      highlight: null, ready: false, layerRecords: layerRecords, categoryText: labelsOf(data.categories)
    };
    Casemap.state = state;
    if (!state.ticks.length) { state.ticks = ["0000-01-01"]; }

    // Style the folium layers from their records (case.yaml `style` and `feature_styles`), validated by the
    // build and checked again by safeStyle: styles never pass through folium's templates (docs/security.md).
    data.layers.forEach(function (layer) {
      styleLayer(options.layers[layer.key], layer);
      state.layerOn.set(layer.key, layer.visible === true);
      if (layer.visible === true) { options.layers[layer.key].addTo(map); }
    });
    orderLayers();

    // Region-level events: the area itself, tinted and outlined, in a pane just below the vector layers so
    // the borders and places stay readable on top (the area's own popup lists its events too).
    map.createPane("cmEventAreas").style.zIndex = 390;
    state.areaLayers = new Map();
    state.eventAreaGroup = L.layerGroup().addTo(map);
    index.areaEvents.forEach(function (placeEvents, placeId) {
      var entry = featureIndex.get(placeId);
      if (!entry) { return; }
      var layer = L.geoJSON(entry.feature, { pane: "cmEventAreas", style: { color: "#E69F00", weight: 2.5, dashArray: "8 6", fillColor: "#E69F00", fillOpacity: 0.08 } });
      layer.on("click", function (e) {
        L.DomEvent.stop(e);
        var visible = placeEvents.filter(function (i) { return state.visible[i]; });
        if (visible.length === 1) { select(visible[0], { fly: false }); return; }
        L.popup({ maxWidth: 360 }).setLatLng(e.latlng).setContent(el("div", { className: "cm-popup" }, [
          el("h3", { text: data.places.get(placeId).name }),
          el("div", { className: "cm-muted", text: "Events known only to this area (no more precise place is public)" }),
          eventLinks(visible, "Events")])).openOn(map);
      });
      state.areaLayers.set(placeId, layer);
    });
    state.dots = new EventDots(index.groups).addTo(map);

    state.searchIndex = null;
    var panel = sidePanel();
    document.body.appendChild(panel);
    document.body.classList.add("cm-body");
    state.method = methodPanel();
    document.body.appendChild(state.method);

    L.control.zoom({ position: "topleft" }).addTo(map);
    control("topleft", fullscreenControl).addTo(map);
    control("topright", layersControl).addTo(map);
    control("bottomright", legendControl).addTo(map);
    control("topleft", measureControl).addTo(map);
    L.control.scale({ position: "bottomleft", imperial: false }).addTo(map);
    control("bottomleft", coordinatesControl).addTo(map);
    control("bottomleft", undisclosedControl).addTo(map);
    map.getContainer().appendChild(noticeControl());
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Boundaries: DCW-GMT (LGPL-3.0) · Places: GeoNames (CC BY 4.0) · Leaflet");

    setBase("plain");
    map.invalidateSize();
    map.fitBounds(data.view.bounds, { animate: false });
    setRange(0, state.ticks.length - 1);
    state.ready = true;
    restoreFromHash();
    map.on("moveend", writeHash);
    window.addEventListener("hashchange", function () {
      // A link pasted into the same tab; our own updates use replaceState and do not come here.
      if (location.hash !== lastWritten) { restoreFromHash(); }
    });
    document.documentElement.setAttribute("data-casemap-ready", "true");
  }

  window.Casemap = Casemap;
})();
