// search: the search box and its index of places and events; a piece of the one casemap script (assets.py)
function searchControls() {
  // A combobox with a listbox of results (WAI-ARIA APG): the focus stays in the box; the arrow keys move the active
  // result (aria-activedescendant), Enter chooses it (the first when none is active), Escape closes the results
  // and, when they are closed, empties the box. The options hold text only: nothing focusable inside an option.
  var input = el("input", { type: "search", className: "cm-search", placeholder: "Search places and events" + (text(state.data.searchHint) ? " (" + text(state.data.searchHint) + ")" : ""), "aria-label": "Search places and events", autocomplete: "off",
    role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "cm-search-results" });
  var results = el("ul", { id: "cm-search-results", className: "cm-results", role: "listbox", "aria-label": "Search results" });
  var current = [], active = -1;
  function close() {
    results.textContent = "";
    current = [];
    setActive(-1);
    input.setAttribute("aria-expanded", "false");
  }
  function setActive(k) {
    active = k;
    Array.from(results.children).forEach(function (option, n) {
      option.setAttribute("aria-selected", String(n === k));
      option.classList.toggle("cm-active", n === k);
    });
    if (k === -1) { input.removeAttribute("aria-activedescendant"); return; }
    input.setAttribute("aria-activedescendant", "cm-result-" + k);
    results.children[k].scrollIntoView({ block: "nearest" });
  }
  function choose(item) {
    close();
    if (item.event !== undefined) { select(item.event); focusCardHeading(); return; }
    var place = state.data.places.get(item.place), entry = featureIndex.get(item.place);
    if (place.kind === "point") { state.map.flyTo([place.lat, place.lon], Math.max(state.map.getZoom(), 7)); }
    else { state.map.flyToBounds(place.bounds, { padding: [20, 20], maxZoom: 8 }); }
    if (entry) { showCard(featureCard(entry.key, entry.feature)); }
  }
  function run() {
    var words = fold(input.value).split(" ").filter(Boolean);
    close();
    if (!words.length) { return; }
    // Built on the first search, not at load: folding 100,000 events' texts takes most of a second.
    if (!state.searchIndex) { state.searchIndex = buildSearchIndex(); }
    state.searchIndex.forEach(function (item) {
      if (current.length < 20 && words.every(function (w) { return item.text.indexOf(w) !== -1; })) { current.push(item); }
    });
    current.forEach(function (item, k) {
      results.appendChild(el("li", { role: "option", id: "cm-result-" + k, className: "cm-result", "aria-selected": "false",
        // mousedown would take the focus from the box before the click chooses.
        onmousedown: function (e) { e.preventDefault(); }, onclick: function () { choose(item); }
      }, [el("span", { className: "cm-muted", text: item.kind + " " }), el("bdi", { text: item.label })]));
    });
    if (!current.length) { results.appendChild(el("li", { role: "option", "aria-disabled": "true", className: "cm-muted cm-nomatch", text: "No match" })); }
    input.setAttribute("aria-expanded", "true");
  }
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && current.length) { e.preventDefault(); choose(current[Math.max(0, active)]); }
    else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && current.length) {
      e.preventDefault();
      setActive(e.key === "ArrowDown" ? (active + 1) % current.length : (active <= 0 ? current.length : active) - 1);
    } else if (e.key === "Escape") {
      // Handled here, not by the page's Escape (which would close the card too): one thing closes per press.
      e.preventDefault();
      if (results.firstChild) { close(); } else { input.value = ""; }
    }
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
