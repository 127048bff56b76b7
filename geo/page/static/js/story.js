// story: the case in brief (the first screen) and the chapters that walk it (story.yaml); a piece of the one casemap script (assets.py)
/* ---------- the story ----------
 * The panel's top shows the case in brief at load (story.yaml `summary`, the seed article named, the verdicts
 * counted), with a way into the story and one into the full list. A chapter shows its text in the details pane,
 * sets the map's view and time window, and filters the map and the list to its events (state.chapter,
 * state.chapterEvents); the panel's top then says which chapter is open, with Previous and Next. chapter= in
 * the link. A case without story.yaml has none of this. */

function storyRecord() {
  var story = state.data.story;
  return story && list(story.chapters).length ? story : null;
}

function chapterIndexOf(id) {
  var chapters = storyRecord() ? storyRecord().chapters : [];
  for (var k = 0; k < chapters.length; k++) { if (chapters[k].id === id) { return k; } }
  return -1;
}

function inChapter(i) {
  return !state.chapterEvents || state.chapterEvents.has(i);
}

function verdictCounts() {
  // The article's checked claims by status, counted from the events (nothing is repeated in the data).
  var counts = new Map();
  state.events.forEach(function (event) {
    list(event.claims).forEach(function (claim) { counts.set(claim.status, (counts.get(claim.status) || 0) + 1); });
  });
  var total = 0;
  counts.forEach(function (n) { total += n; });
  var parts = Object.keys(STATUS_TEXT).filter(function (s) { return counts.get(s); }).map(function (s) {
    return t("story.verdict_part", { n: formatNumber(counts.get(s)), status: statusLabel(s).toLocaleLowerCase(currentLanguage()) });
  });
  return total ? tn("story.verdicts", total, { parts: parts.join(t("popups.separator")) }) : "";
}

function articleReadLink() {
  // The article as the summary names it: outlet and date, linked to the text read (the seed's copy, else the url).
  var article = state.data.article || {}, seed = state.data.sources.get(text(article.source)) || {};
  return link(text(seed.url) || text(seed.via) || text(article.url), seedName());
}

function summaryBlock() {
  var story = storyRecord();
  var start = el("button", { type: "button", className: "cm-primary", text: t("story.start") + " ▶", onclick: function () { openChapter(0); } });
  var browse = el("button", { type: "button", text: tn("story.all_events", state.events.length), onclick: function () {
    showStorySlot("collapsed");
    showPanelView("list");
    focusList();
  } });
  var article = text(state.data.article && state.data.article.outlet) ? el("p", { className: "cm-summary-article" }, [
    t("story.checks") + " ", articleReadLink(),
    periodAfter(seedName()) + " " + verdictCounts()
  ]) : null;
  return el("section", { className: "cm-summary", "aria-labelledby": "cm-summary-title" }, [
    el("h2", { id: "cm-summary-title", text: t("story.in_brief") }),
    translationNote(isTranslated(story, ["summary"]))
  ].concat(contentParagraphs(story, "summary"), [
    article,
    el("div", { className: "cm-summary-actions" }, [start, browse, list(state.data.article && state.data.article.sentences).length ? el("button", {
      type: "button", text: t("factcheck.wrong"), onclick: function () { setStatuses(WRONG_PRESET); openFactcheck(); } }) : null])
  ]));
}

function collapsedBlock() {
  return el("div", { className: "cm-story-bar" }, [
    el("button", { type: "button", className: "cm-linkbutton", text: t("story.in_brief"), onclick: function () { showStorySlot("summary"); } }),
    el("button", { type: "button", className: "cm-primary", text: t("story.start") + " ▶", onclick: function () { openChapter(0); } })
  ]);
}

function chapterBar(k) {
  var chapters = storyRecord().chapters, chapter = chapters[k];
  return el("div", { className: "cm-story-bar", role: "group", "aria-label": t("story.story") }, [
    el("button", { type: "button", text: "◀", "aria-label": t(k ? "story.previous_chapter" : "story.in_brief"), onclick: function () { stepChapter(-1); } }),
    el("button", { type: "button", className: "cm-linkbutton cm-story-current", onclick: function () { openChapter(k); } },
      [t("story.chapter_of_title", { k: formatNumber(k + 1), n: formatNumber(chapters.length) }) + " ", el("bdi", { text: text(chapter.title) })]),
    el("button", { type: "button", text: "▶", "aria-label": t(k < chapters.length - 1 ? "story.next_chapter" : "story.end"), onclick: function () { stepChapter(1); } }),
    el("button", { type: "button", text: t("story.show_all"), onclick: function () { leaveStory(); } })
  ]);
}

function showStorySlot(what) {
  // "summary", "collapsed" or "chapter" (the open chapter's bar) at the panel's top.
  if (!state.storySlot) { return; }
  state.storySlot.textContent = "";
  var k = chapterIndexOf(state.chapter);
  state.storySlot.appendChild(what === "chapter" && k >= 0 ? chapterBar(k) : what === "summary" ? summaryBlock() : collapsedBlock());
}

function storySlot() {
  if (!storyRecord()) { return null; }
  state.storySlot = el("div", { className: "cm-story" });
  showStorySlot("summary");
  return state.storySlot;
}

function chapterCard(k) {
  var chapters = storyRecord().chapters, chapter = chapters[k];
  var indices = list(chapter.events).map(eventIndexOf).filter(function (i) { return i >= 0; });
  var previous = el("button", { type: "button", text: "◀ " + t(k ? "story.previous_chapter" : "story.in_brief"), onclick: function () { stepChapter(-1); } });
  var next = el("button", { type: "button", className: "cm-primary", text: t(k < chapters.length - 1 ? "story.next_chapter" : "story.show_all") + " ▶", onclick: function () { stepChapter(1); } });
  return el("div", { className: "cm-card cm-chapter-card", "data-chapter": text(chapter.id) }, [
    el("div", { className: "cm-kicker", text: t("story.chapter_of", { k: formatNumber(k + 1), n: formatNumber(chapters.length) }) }),
    contentText("h2", chapter, "title"),
    translationNote(isTranslated(chapter, ["title", "text"]))
  ].concat(contentParagraphs(chapter, "text"), [
    el("h3", { text: t("story.chapter_events", { n: formatNumber(indices.length) }) }),
    el("ul", { className: "cm-chapter-events" }, indices.map(function (i) {
      return el("li", null, [el("button", { type: "button", className: "cm-linkbutton", text: state.events[i].title,
        onclick: function () { select(i); focusCardHeading(); } }), el("div", { className: "cm-muted cm-small", text: eventWhen(state.events[i]) })]);
    })),
    el("div", { className: "cm-chapter-steps" }, [previous, next])
  ]));
}

function chapterBounds(chapter, indices) {
  // The chapter's own view, else the box of its events' places; null when none of them has a place.
  var view = chapter.view;
  if (view && typeof view === "object") { return L.latLngBounds([view.south, view.west], [view.north, view.east]); }
  var bounds = null;
  indices.forEach(function (i) {
    var event = state.events[i], place = event._kind !== "undisclosed" ? state.data.places.get(event.where.place) : null;
    if (!place) { return; }
    var box = place.kind === "point" ? L.latLngBounds([place.lat, place.lon], [place.lat, place.lon]) : L.latLngBounds(place.bounds);
    bounds = bounds ? bounds.extend(box) : box;
  });
  return bounds;
}

function openChapter(k, options) {
  var chapters = storyRecord().chapters, chapter = chapters[k];
  options = options || {};
  var indices = list(chapter.events).map(eventIndexOf).filter(function (i) { return i >= 0; });
  state.chapter = chapter.id;
  state.chapterEvents = new Set(indices);
  state.selected = null;
  // The chapter's events are shown whatever was chosen before: every verdict, every category, its time window.
  setStatuses(null, { filter: false });
  state.categories.forEach(function (on, cat) { state.categories.set(cat, true); });
  document.querySelectorAll(".cm-categories input").forEach(function (box) { box.checked = true; });
  var from = text(chapter.from), to = text(chapter.to);
  setRange(from ? tickIndexFor(from, false) : 0, to ? tickIndexFor(to, true) : state.ticks.length - 1);
  showStorySlot("chapter");
  if (state.highlight) { state.map.removeLayer(state.highlight); state.highlight = null; }
  state.dots.setSelected(-1);
  rememberCardOpener();
  showCard(chapterCard(k));
  var bounds = chapterBounds(chapter, indices);
  if (bounds && !options.keepView) { state.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 7, animate: false }); }
  if (!options.quiet) { focusCardHeading(); }
  writeHash();
}

function stepChapter(delta) {
  var k = chapterIndexOf(state.chapter), count = storyRecord().chapters.length, next = k + delta;
  if (k < 0) { next = delta > 0 ? 0 : count - 1; }
  if (next < 0) { leaveStory("summary"); return; }
  if (next >= count) { leaveStory(); return; }
  openChapter(next);
}

function leaveStory(slot, options) {
  // Back to every event (the filters as they were set before stay reset), the list or the summary at the top.
  // quiet: a link or Back left the story, so the focus stays where the reader is.
  state.chapter = null;
  state.chapterEvents = null;
  closeCard();
  showStorySlot(slot || "collapsed");
  applyFilter();
  if (slot !== "summary" && !(options && options.quiet)) { focusList(); }
}

function foldSummary() {
  // A link to an event leads past the first screen: the summary folds so that the list shows the chosen row.
  if (state.storySlot && state.storySlot.querySelector(".cm-summary")) { showStorySlot("collapsed"); }
}

function linkChapter(value, problems) {
  var k = storyRecord() ? chapterIndexOf(value) : -1;
  if (k < 0) { problems.push(["chapter", value, t(storyRecord() ? "story.no_chapter" : "story.no_story")]); return; }
  openChapter(k, { quiet: true });
}

function chapterHashPart() {
  return state.chapter ? ["chapter=" + encodeURIComponent(state.chapter)] : [];
}
