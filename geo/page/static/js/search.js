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
    current = Array.from(ranked.slice(0, RESULTS_SHOWN), searchItem);
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
    var matches = new Uint8Array(state.events.length), places = state.searchIndex.places.length;
    for (var k = 0; k < ranked.length; k++) { if (ranked[k] >= places) { matches[ranked[k] - places] = 1; } }
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

/* ---------- the index: folded text in blocks, shared texts once (issue #18: search a million events) ----------
 * Items are numbered: the places first, then the events (index order, as before). An event's own texts (its title;
 * its description, labels, notes, claims and what its citations confirm) are folded in blocks of SEARCH_BLOCK events,
 * one string per tier, the events' texts kept apart by "\n": a query word is found with one indexOf per occurrence
 * over a block, not one call per event. Texts many events share (their place's names, their category's label, their
 * sources' outlets and titles) are folded once and reach the events through codes. */

var SEARCH_BLOCK = 2048;
// Codes to text in one native call (no character outside fold's ranges is left, so no lone surrogate either).
var UTF16 = new TextDecoder("utf-16le");

function foldBlock(texts) {
  // fold() of each text, joined by "\n" (fold turns every character it does not keep into a space, so no folded
  // text holds one; a text's own line breaks are made spaces first), as character codes. The steps that need Unicode
  // tables stay the browser's (NFD, combining marks, lower case); the rest are passes over character codes.
  return foldCodes(texts.map(function (t) { t = String(t || ""); return t.indexOf("\n") === -1 ? t : t.replace(/\n/g, " "); }).join("\n")
    .normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase());
}

function foldCodes(lowered) {
  // fold()'s steps after lowercasing, in two passes over character codes (each regex pass over a million events'
  // texts took seconds). First kh -> h and y, j -> i. Then, in one pass (tch and ie share no letter, so neither
  // step makes or breaks the other's match): tch -> ch and ie -> e; every run of characters fold does not keep
  // becomes one space; a run of one character becomes one; no space is left at either end of a text.
  var n = lowered.length, a = new Uint16Array(n), m = 0, i, c;
  for (i = 0; i < n; i++) {
    c = lowered.charCodeAt(i);
    if (c === 107 && lowered.charCodeAt(i + 1) === 104) { c = 104; i++; }  // kh
    else if (c === 121 || c === 106) { c = 105; }  // y, j
    a[m++] = c;
  }
  n = m; m = 0;
  var last = 10;
  for (i = 0; i < n; i++) {
    c = a[i];
    if (c === 116 && i + 2 < n && a[i + 1] === 99 && a[i + 2] === 104) { continue; }  // tch: drop the t
    if (c === 105 && i + 1 < n && a[i + 1] === 101) { c = 101; i++; }  // ie
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 10 || (c >= 0x400 && c <= 0x4ff) || (c >= 0x3400 && c <= 0x9fff))) { c = 32; }
    if (c === 10) { if (last === 32) { m--; } }
    else if (c === 32 ? last === 32 || last === 10 : c === last) { continue; }
    a[m++] = c; last = c;
  }
  if (m && a[m - 1] === 32) { m--; }
  return a.subarray(0, m);
}

/* A block's trigram filter: one bit for each run of three characters its folded text holds, a character being one
 * of 38 classes (the 26 letters, the 10 digits, space or line break, any other). A needle one of whose trigrams
 * the block lacks is not in it: the block is skipped unread, which makes a rare word or a miss cheap. Classes only
 * merge characters, so a needle's trigram is always among its block's: never a match missed. */
var GRAM_CLASSES = 38;

function gramClass(c) {
  return c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? c - 22 : c < 128 ? 36 : 37;
}

function gramOf(a, b, c) {
  // The trigram of three characters' classes: its bit in a block's filter.
  return (a * GRAM_CLASSES + b) * GRAM_CLASSES + c;
}

function mayHold(block, needle) {
  // False when the block lacks one of needle's trigrams (a needle of one or two characters is always looked for).
  for (var i = 2; i < needle.length; i++) {
    var g = gramOf(gramClass(needle.charCodeAt(i - 2)), gramClass(needle.charCodeAt(i - 1)), gramClass(needle.charCodeAt(i)));
    if (!(block.grams[g >> 5] & (1 << (g & 31)))) { return false; }
  }
  return true;
}

function textBlock(texts) {
  // A block's folded texts as one string, where each ends (the offset of its "\n", or the string's length), and
  // its trigram filter.
  var codes = foldBlock(texts), n = codes.length, ends = new Int32Array(texts.length), k = 0;
  var grams = new Int32Array(GRAM_CLASSES * GRAM_CLASSES * GRAM_CLASSES / 32 + 1);
  for (var a = 0, b = 0, i = 0; i < n; i++) {
    var c = gramClass(codes[i]), g = gramOf(a, b, c);
    if (i >= 2) { grams[g >> 5] |= 1 << (g & 31); }
    if (c === 36 && codes[i] === 10) { ends[k++] = i; }
    a = b; b = c;
  }
  ends[k] = n;
  return { text: UTF16.decode(codes), ends: ends, grams: grams };
}

function eventOwnText(event) {
  // An event's other texts but those it shares with others (category, sources): what a reader may remember of it.
  return [event.description, event.when.label, event.public ? event.public.label : "", event.where.note]
    .concat(list(event.claims).map(function (c) { return [c.quote, c.reason, c.other_account, c.status, STATUS_TEXT[c.status]].join(" | "); }))
    .concat(list(event.sources).map(function (c) { return c.confirms; })).join(" | ");
}

function searchBase() {
  // The index but the events' folded blocks: the places, and the codes that lead from events to shared texts.
  var places = [], placeCodes = new Map(), events = state.events, n = events.length;
  state.data.places.forEach(function (p, id) {
    var layer = state.layerRecords.get(p.layer);
    placeCodes.set(id, places.length);
    places.push({ id: id, label: p.name + (p.name_ru ? " · " + p.name_ru : "") + (p.name_zh ? " · " + p.name_zh : ""),
      names: [p.name, p.name_ru, p.name_zh].concat(list(p.aliases)).join(" | "), layer: layer ? text(layer.title) : "" });
  });
  var sourceIds = Array.from(state.data.sources.keys()), sourceCodes = new Map(sourceIds.map(function (id, k) { return [id, k]; }));
  var placeOf = new Int32Array(n).fill(-1), citeStart = new Int32Array(n + 1), cites = [];
  function cite(id) { if (sourceCodes.has(id)) { cites.push(sourceCodes.get(id)); } }
  for (var i = 0; i < n; i++) {
    var event = events[i];
    if (event.where.place && placeCodes.has(event.where.place)) { placeOf[i] = placeCodes.get(event.where.place); }
    list(event.claims).forEach(function (c) { list(c.sources).forEach(cite); });
    list(event.sources).forEach(function (c) { cite(c.source); });
    citeStart[i + 1] = cites.length;
  }
  return {
    places: places, placeOf: placeOf, blocks: [], citeStart: citeStart, cites: Int32Array.from(cites),
    placeNames: textBlock(places.map(function (p) { return p.names; })),
    placeLayers: textBlock(places.map(function (p) { return p.layer; })),
    categories: textBlock(state.categoryIds.map(function (id) { return state.categoryText.get(id) || ""; })),
    sources: textBlock(sourceIds.map(function (id) { return sourceText(id); }))
  };
}

function extendSearchIndex(index) {
  // Fold the next block of events; false when every event is in the index.
  var first = index.blocks.length * SEARCH_BLOCK;
  if (first >= state.events.length) { return false; }
  var chunk = state.events.slice(first, first + SEARCH_BLOCK);
  index.blocks.push({ first: first, title: textBlock(chunk.map(function (e) { return eventTitles(e).join(" | "); })), other: textBlock(chunk.map(eventOwnText)) });
  return true;
}

function searchIndex() {
  // The whole index: what prepareSearch has not built yet is built now.
  if (!state.searchIndex) { state.searchIndex = searchBase(); }
  while (extendSearchIndex(state.searchIndex)) { /* the remaining blocks */ }
  return state.searchIndex;
}

function prepareSearch() {
  // Build the index while the page is idle, a block at a time, so that neither the start nor the first query waits
  // for it (a million events' texts take seconds to fold) and the page stays responsive meanwhile.
  var idle = window.requestIdleCallback || function (f) { return setTimeout(function () { f({ timeRemaining: function () { return 0; } }); }, 50); };
  function work(deadline) {
    if (!state.searchIndex) { state.searchIndex = searchBase(); }
    var more = extendSearchIndex(state.searchIndex);
    while (more && deadline.timeRemaining() > 8) { more = extendSearchIndex(state.searchIndex); }
    if (more) { idle(work); }
  }
  idle(work);
}

function blockKinds(block, needle, each) {
  // Every occurrence of needle in a block: each(k, kind) with the text's place k in the block and matchKind's kind.
  var text = block.text, ends = block.ends, k = 0, at = mayHold(block, needle) ? text.indexOf(needle) : -1;
  while (at !== -1) {
    while (ends[k] < at) { k++; }
    var before = at === 0 ? " " : text.charAt(at - 1), after = at + needle.length === text.length ? " " : text.charAt(at + needle.length);
    var starts = before === " " || before === "\n", stops = after === " " || after === "\n";
    each(k, starts ? (stops ? 0 : 1) : 2);
    at = text.indexOf(needle, at + 1);
  }
}

function sharedKinds(block, needle) {
  // The best kind of each of a few shared texts (places, categories, sources), -1 where absent; null when none match.
  var kinds = new Int8Array(block.ends.length).fill(-1), any = false;
  blockKinds(block, needle, function (k, kind) { if (kinds[k] === -1 || kind < kinds[k]) { kinds[k] = kind; any = true; } });
  return any ? kinds : null;
}

function wordScores(index, spellings, total) {
  // Each item's best score for one query word (tier * 3 + kind; 255 where the word is absent), over its spellings.
  var P = index.places.length, n = state.events.length, best = new Uint8Array(total).fill(255);
  function better(item, score) { if (score < best[item]) { best[item] = score; } }
  spellings.forEach(function (needle) {
    var names = sharedKinds(index.placeNames, needle), layers = sharedKinds(index.placeLayers, needle);
    for (var p = 0; p < P; p++) {
      if (names && names[p] !== -1) { better(p, TIER_TITLE * 3 + names[p]); }
      if (layers && layers[p] !== -1) { better(p, TIER_OTHER * 3 + layers[p]); }
    }
    index.blocks.forEach(function (block) {
      blockKinds(block.title, needle, function (k, kind) { better(P + block.first + k, TIER_TITLE * 3 + kind); });
      blockKinds(block.other, needle, function (k, kind) { better(P + block.first + k, TIER_OTHER * 3 + kind); });
    });
    var categories = sharedKinds(index.categories, needle), sources = sharedKinds(index.sources, needle);
    if (!names && !categories && !sources) { return; }
    var placeOf = index.placeOf, categoryOf = state.categoryOf, citeStart = index.citeStart, cites = index.cites;
    for (var i = 0; i < n; i++) {
      if (names && placeOf[i] !== -1 && names[placeOf[i]] !== -1) { better(P + i, TIER_PLACE * 3 + names[placeOf[i]]); }
      if (categories && categories[categoryOf[i]] !== -1) { better(P + i, TIER_OTHER * 3 + categories[categoryOf[i]]); }
      if (sources) {
        for (var c = citeStart[i]; c < citeStart[i + 1]; c++) {
          if (sources[cites[c]] !== -1) { better(P + i, TIER_OTHER * 3 + sources[cites[c]]); }
        }
      }
    }
  });
  return best;
}

function rankedMatches(query) {
  // Every place and event the query finds (item numbers: places, then events), best first; null for an empty query.
  // An item's score is the sum of each word's best (tier * 3 + kind); ties keep the index's order.
  var words = queryWords(query);
  if (!words.length) { return null; }
  // Built while the page is idle (prepareSearch); what is missing is built now.
  var index = searchIndex(), total = index.places.length + state.events.length, sum = new Uint16Array(total);
  var found = new Uint8Array(total).fill(1), top = 0;
  words.forEach(function (spellings) {
    var best = wordScores(index, spellings, total);
    for (var item = 0; item < total; item++) {
      if (best[item] === 255) { found[item] = 0; } else { sum[item] += best[item]; }
    }
    top += 8;
  });
  // A counting sort: scores are small whole numbers, and each bucket keeps the index's order.
  var buckets = new Int32Array(top + 2), count = 0;
  for (var a = 0; a < total; a++) { if (found[a]) { buckets[sum[a] + 1]++; count++; } }
  for (var b = 1; b < buckets.length; b++) { buckets[b] += buckets[b - 1]; }
  var ranked = new Int32Array(count);
  for (var c = 0; c < total; c++) { if (found[c]) { ranked[buckets[sum[c]]++] = c; } }
  return ranked;
}

function searchItem(k) {
  // Item number k as the results list shows it.
  var index = state.searchIndex, P = index.places.length;
  if (k < P) { return { place: index.places[k].id, kind: "Place", label: index.places[k].label }; }
  var event = state.events[k - P];
  return { event: k - P, kind: "Event", label: eventWhen(event) + " — " + event.title };
}

function sourceText(id) {
  var source = state.data.sources.get(id);
  return source ? [source.outlet, source.title, source.title_en].join(" | ") : "";
}
