// search: the search box, its ranked index and the query filter; a piece of the one casemap script (assets.py)
/* Ranking: each word of the query is scored where it matches best: in a title (an event's title, a place's names),
 * then in the event's place, then in any other text (description, quotes, other accounts, reasons, statuses, the
 * sources' outlets and titles, a place's layer); and, within each, a whole word before a word's beginning before
 * the inside of a word. Ties keep the index's order (places, then events by date). People and things are found
 * across scripts through the case's aliases (case.yaml `aliases`): a word that is one spelling of a term, or begins
 * one, matches every spelling of it. */

// The search box's words, catalogue keys search.* (the kinds of result: search.place, search.event).
var SEARCH_TEXT = catalogueTable("search.", ["placeholder", "label", "results", "place", "event", "none"]);
var RESULTS_SHOWN = 50;
var TIER_TITLE = 0, TIER_PLACE = 1, TIER_OTHER = 2;

function searchControls() {
  // A combobox with a listbox of results (WAI-ARIA APG): the focus stays in the box; the arrow keys move the active
  // result (aria-activedescendant), Enter chooses it (the first when none is active), Escape closes the results
  // and, when they are closed, empties the box. The options hold text only: nothing focusable inside an option.
  var hint = text(state.data.searchHint);
  var input = el("input", { type: "search", className: "cm-search", placeholder: hint ? t("search.placeholder_hint", { hint: hint }) : SEARCH_TEXT.placeholder, "aria-label": SEARCH_TEXT.label, autocomplete: "off",
    role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "cm-search-results" });
  var results = el("ul", { id: "cm-search-results", className: "cm-results", role: "listbox", "aria-label": SEARCH_TEXT.results });
  var box = el("div", { className: "cm-searchbox", role: "search" }, [input, results]);
  var current = [], active = -1;
  state.searchInput = input;
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
    close();
    var ranked = setQuery(input.value);
    if (ranked === null) { return; }
    current = ranked.slice(0, RESULTS_SHOWN);
    current.forEach(function (item, k) {
      results.appendChild(el("li", { role: "option", id: "cm-result-" + k, className: "cm-result", "aria-selected": "false",
        "data-event": item.event !== undefined ? state.events[item.event].id : null, "data-place": item.place,
        // mousedown would take the focus from the box before the click chooses.
        onmousedown: function (e) { e.preventDefault(); }, onclick: function () { choose(item); }
      }, [el("span", { className: "cm-muted", text: item.kind === "Place" ? SEARCH_TEXT.place : SEARCH_TEXT.event }), " ", el("bdi", { text: item.label })]));
    });
    if (!current.length) { results.appendChild(el("li", { role: "option", "aria-disabled": "true", className: "cm-muted cm-nomatch", text: SEARCH_TEXT.none })); }
    else if (ranked.length > current.length) {
      results.appendChild(el("li", { role: "option", "aria-disabled": "true", className: "cm-muted cm-nomatch", text: tn("search.more", ranked.length - current.length) }));
    }
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
      if (results.firstChild) { close(); } else { input.value = ""; setQuery(""); }
    }
  });
  // A click or a tap anywhere else closes the results (the query, and so the list's filter, stays).
  document.addEventListener("pointerdown", function (e) { if (results.firstChild && !box.contains(e.target)) { close(); } });
  return box;
}

function setQuery(value) {
  // The query filters the event list too: the list shows the events that match every word, "K of N" counts them.
  // Returns what the query found, best first (null for no query): one pass over the index serves both.
  var query = String(value || "").trim(), ranked = rankedMatches(query);
  state.query = query;
  state.queryMatch = null;
  if (ranked !== null) {
    var matches = new Uint8Array(state.events.length);
    ranked.forEach(function (item) { if (item.event !== undefined) { matches[item.event] = 1; } });
    state.queryMatch = matches;
  }
  applyFilter();
  return ranked;
}

function aliasGroups() {
  // Each declared term with its aliases, folded: the spellings that find one another.
  return list(state.data.aliases).map(function (entry) {
    return [text(own(entry, "term"))].concat(list(own(entry, "aliases")).map(text)).map(fold).filter(Boolean);
  });
}

function queryWords(query) {
  // Each word of the query with the spellings it stands for (itself, and every alias of a term it names or begins).
  if (!state.aliasGroups) { state.aliasGroups = aliasGroups(); }
  return fold(query).split(" ").filter(Boolean).map(function (word) {
    var spellings = [word];
    state.aliasGroups.forEach(function (group) {
      var named = group.some(function (s) { return s === word || (word.length >= 3 && s.indexOf(word) === 0); });
      if (named) { group.forEach(function (s) { if (spellings.indexOf(s) < 0) { spellings.push(s); } }); }
    });
    return spellings;
  });
}

function matchKind(haystack, needle) {
  // 0: a whole word; 1: the beginning of a word; 2: inside a word; -1: absent. The best of all occurrences.
  var best = -1, at = haystack.indexOf(needle);
  while (at !== -1 && best !== 0) {
    var starts = at === 0 || haystack.charAt(at - 1) === " ";
    var ends = at + needle.length === haystack.length || haystack.charAt(at + needle.length) === " ";
    var kind = starts ? (ends ? 0 : 1) : 2;
    if (best === -1 || kind < best) { best = kind; }
    at = haystack.indexOf(needle, at + 1);
  }
  return best;
}

function itemScore(item, words) {
  // The sum of each word's best score (tier * 3 + kind), or null when a word matches nowhere.
  var total = 0;
  for (var w = 0; w < words.length; w++) {
    var best = -1;
    for (var tier = 0; tier < item.fields.length; tier++) {
      for (var s = 0; s < words[w].length; s++) {
        var kind = matchKind(item.fields[tier], words[w][s]);
        if (kind !== -1 && (best === -1 || tier * 3 + kind < best)) { best = tier * 3 + kind; }
      }
      if (best !== -1 && best < (tier + 1) * 3) { break; }
    }
    if (best === -1) { return null; }
    total += best;
  }
  return total;
}

function rankedMatches(query) {
  // Every place and event the query finds, best first; null for an empty query.
  var words = queryWords(query);
  if (!words.length) { return null; }
  // Built on the first search, not at load: folding 100,000 events' texts takes most of a second.
  if (!state.searchIndex) { state.searchIndex = buildSearchIndex(); }
  var found = [];
  state.searchIndex.forEach(function (item, order) {
    var score = itemScore(item, words);
    if (score !== null) { found.push({ item: item, score: score, order: order }); }
  });
  found.sort(function (a, b) { return a.score - b.score || a.order - b.order; });
  return found.map(function (f) { return f.item; });
}

function sourceText(id) {
  var source = state.data.sources.get(id);
  return source ? [source.outlet, source.title, source.title_en].join(" | ") : "";
}

function claimText(claim) {
  return [claim.quote, claim.reason, claim.other_account, claim.status, STATUS_TEXT[claim.status]]
    .concat(list(claim.sources).map(sourceText)).join(" | ");
}

function eventOtherText(event) {
  // Everything about an event but its title and place: what a reader may remember of it.
  return [event.description, event.when.label, event.public ? event.public.label : "", event.where.note,
    state.categoryText.get(event.category) || ""]
    .concat(list(event.claims).map(claimText))
    .concat(list(event.sources).map(function (c) { return c.confirms + " | " + sourceText(c.source); })).join(" | ");
}

function buildSearchIndex() {
  // Each item's fields by tier: [title, place, other], folded once.
  var index = [], placeText = new Map();
  state.data.places.forEach(function (p, id) {
    placeText.set(id, fold([p.name, p.name_ru, p.name_zh].concat(list(p.aliases)).join(" | ")));
    var layer = state.layerRecords.get(p.layer);
    index.push({ place: id, kind: "Place", label: p.name + (p.name_ru ? " · " + p.name_ru : "") + (p.name_zh ? " · " + p.name_zh : ""),
      fields: [placeText.get(id), "", fold(layer ? text(layer.title) : "")] });
  });
  state.events.forEach(function (event, i) {
    // Each place's names are folded once and shared by its events.
    index.push({ event: i, kind: "Event", label: eventWhen(event) + " — " + event.title,
      fields: [fold(event.title), event.where.place ? placeText.get(event.where.place) || "" : "", fold(eventOtherText(event))] });
  });
  return index;
}
