// search: the search box and its index of places and events; a piece of the one casemap script (assets.py)
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
