// factcheck: the status filter and the article as a fact-check (every sentence, its verdicts and sources); a piece of the one casemap script (assets.py)
/* ---------- the status filter ----------
 * An event passes when any of its claims has a chosen status, or it has no claim and "none" is chosen (the shared
 * contract of issue #13). state.statuses is a Set of the chosen ones, or null for all; the link writes status=. */

var STATUS_CHOICES = ["corroborated", "corrected", "disputed", "unverified", "none"];
var WRONG_PRESET = ["corrected", "disputed"];

function statusLabel(status) {
  // A verdict's name in the reader's language (the four are core.js's; "none" is the filter's own choice).
  return status === "none" ? t("factcheck.no_claim") : (STATUS_TEXT[status] || status);
}

function statusMeaning(status) {
  return status === "none" ? t("factcheck.no_claim_meaning") : STATUS_MEANING[status];
}

function eventPassesStatus(event) {
  if (!state.statuses) { return true; }
  var claims = list(event.claims);
  if (!claims.length) { return state.statuses.has("none"); }
  return claims.some(function (claim) { return state.statuses.has(claim.status); });
}

function setStatuses(chosen, options) {
  // chosen: a list of statuses, or null for all; every setter ends in applyFilter (which writes the link).
  var set = chosen === null || chosen.length === STATUS_CHOICES.length ? null : new Set(chosen);
  state.statuses = set;
  (state.statusBoxes || new Map()).forEach(function (box, status) { box.checked = !set || set.has(status); });
  if (state.factcheck) { state.factcheck.refresh(); }
  if (!options || options.filter !== false) { applyFilter(); }
}

function statusDefinitions() {
  // The four statuses defined where the filter is (docs/claim-statuses.md, through STATUS_MEANING in core.js).
  return el("details", { className: "cm-status-help" }, [
    el("summary", { text: t("factcheck.help") }),
    el("ul", null, STATUS_CHOICES.map(function (status) {
      return el("li", null, [el("strong", { text: spaceAfter(t("popups.label", { label: statusLabel(status) })) }), statusMeaning(status)]);
    }))
  ]);
}

function statusControls() {
  state.statusBoxes = new Map();
  var boxes = STATUS_CHOICES.map(function (status) {
    var box = el("input", { type: "checkbox", checked: true, onchange: function () {
      setStatuses(STATUS_CHOICES.filter(function (s) { return state.statusBoxes.get(s).checked; }));
    } });
    state.statusBoxes.set(status, box);
    return el("label", { className: "cm-status-choice" }, [box, " ",
      el("span", { className: "cm-badge cm-status-" + status, text: statusLabel(status) })]);
  });
  var presets = el("div", { className: "cm-presets" }, [
    el("button", { type: "button", text: t("factcheck.wrong"), onclick: function () { setStatuses(WRONG_PRESET); } }),
    el("button", { type: "button", text: t("factcheck.all_verdicts"), onclick: function () { setStatuses(null); } })
  ]);
  return el("div", { className: "cm-statuses", role: "group", "aria-label": t("factcheck.verdicts_group") }, [
    el("div", { className: "cm-section-title", text: t("factcheck.verdicts") }),
    el("div", { className: "cm-status-boxes" }, boxes), presets, statusDefinitions()
  ]);
}

function linkStatuses(value, problems) {
  // "corrected,disputed": each name one of STATUS_CHOICES; unknown names are named in the notice, the rest apply.
  var names = value.split(","), good = [], bad = [];
  names.forEach(function (name) {
    if (STATUS_CHOICES.indexOf(name) >= 0) { if (good.indexOf(name) < 0) { good.push(name); } } else { bad.push(name); }
  });
  if (bad.length) {
    problems.push(["status", bad.join(","), t(good.length ? "factcheck.bad_status_some" : "factcheck.bad_status_none",
      { choices: STATUS_CHOICES.join(", ") })]);
  }
  return good.length ? good : null;
}

function statusHashPart() {
  return state.statuses ? ["status=" + STATUS_CHOICES.filter(function (s) { return state.statuses.has(s); }).join(",")] : [];
}

/* ---------- the article as a fact-check: a view in the panel, in the list's place (panel=claims) ---------- */

function articleRecord() {
  return state.data.article || {};
}

function spaced(textValue) {
  return String(textValue).split(/\s+/).filter(Boolean).join(" ");
}

function sentenceClaims(sentence) {
  // The claims of the events a sentence names whose quote stands in the sentence (as the build checked it).
  var words = spaced(sentence.text), found = [];
  list(sentence.events).forEach(function (eventId) {
    var i = eventIndexOf(eventId);
    if (i < 0) { return; }
    list(state.events[i].claims).forEach(function (claim) {
      if (words.indexOf(spaced(claim.quote)) >= 0) { found.push({ claim: claim, event: i }); }
    });
  });
  return found;
}

function eventIndexOf(id) {
  if (!state.eventIndex) {
    state.eventIndex = new Map(state.events.map(function (event, i) { return [event.id, i]; }));
  }
  var i = state.eventIndex.get(id);
  return i === undefined ? -1 : i;
}

function sentencePassesStatus(found) {
  if (!state.statuses) { return true; }
  if (!found.length) { return state.statuses.has("none"); }
  return found.some(function (item) { return state.statuses.has(item.claim.status); });
}

// What the map does with a sentence (schema.SENTENCE_KINDS), in the reader's language.
var SENTENCE_KINDS = ["checked", "opinion", "context", "heading"];

function sentenceKindText(kind) {
  return SENTENCE_KINDS.indexOf(kind) >= 0 ? t("factcheck.kind." + kind) : kind;
}

function seedDate() {
  var published = text(articleRecord().published);
  return /^\d{4}-\d{2}-\d{2}$/.test(published) ? formatDay(published) : published;
}

function articleSourceLine() {
  // The seed article named wherever its words are quoted: title, outlet, date, the copy read and the original it
  // translates (case.yaml seed_article; story.yaml original). Event cards link here.
  var article = articleRecord(), seed = state.data.sources.get(text(article.source)) || {};
  var original = state.data.sources.get(text(article.original));
  var read = text(seed.url) || text(seed.via), parts = [];
  if (text(article.title)) { parts.push(el("q", { dir: "auto", text: text(article.title) }), " — "); }
  // A Russian date ends in "г." already: one full stop, not two.
  var dated = seedDate() ? t("factcheck.date_after", { date: seedDate() }).replace(/\.\.$/, ".") : t("popups.period");
  parts.push(el("bdi", { text: text(article.outlet) || text(seed.outlet) }), dated);
  if (read) { parts.push(" ", link(read, t("factcheck.text_read"))); }
  if (original) {
    parts.push(" · ", link(text(original.url) || text(original.via), t("factcheck.original_translated")), " (",
      el("bdi", { text: text(original.outlet) }), ")");
  } else if (text(article.url)) {
    parts.push(" · ", link(text(article.url), t("factcheck.original")));
  }
  return el("p", { id: "cm-article-source", className: "cm-article-source" }, parts);
}

function claimVerdict(item) {
  var claim = item.claim, event = state.events[item.event], status = text(claim.status);
  return el("div", { className: "cm-claim cm-status-" + status }, [
    el("div", null, [el("span", { className: "cm-badge cm-status-" + status, text: statusLabel(status) }),
      claim.single_source ? el("span", { className: "cm-badge cm-single", text: t("popups.single_source") }) : null]),
    el("div", null, [el("strong", { text: spaceAfter(t("popups.why")) }), text(claim.reason)]),
    claim.other_account ? el("div", null, [el("strong", { text: spaceAfter(t("popups.sources_show")) }), text(claim.other_account)]) : null,
    list(claim.sources).length ? el("ul", { className: "cm-factcheck-sources" }, list(claim.sources).map(function (id) {
      var source = state.data.sources.get(text(id)) || {};
      var url = text(source.url) || text(source.via);
      return el("li", null, [url ? link(url, text(source.outlet) || text(id)) : text(source.outlet) || text(id)]);
    })) : null,
    el("button", { type: "button", className: "cm-linkbutton", text: t("factcheck.open_event", { title: event.title }),
      onclick: function () { select(item.event); focusCardHeading(); } })
  ]);
}

function sentenceItem(sentence, found) {
  var kind = text(sentence.kind);
  return el("li", { className: "cm-sentence cm-sentence-" + kind, "data-sentence": String(sentence.n) }, [
    el("div", { className: "cm-kicker" }, [t("factcheck.sentence", { n: formatNumber(sentence.n), kind: sentenceKindText(kind) })]),
    el("blockquote", { lang: "en", dir: "auto", text: text(sentence.text) }),
    text(sentence.zh) ? el("div", { className: "cm-zh" }, [el("span", { className: "cm-label", text: spaceAfter(t("factcheck.original_label")) }),
      el("span", { lang: "zh", dir: "auto", text: text(sentence.zh) })]) : null,
    text(sentence.mt_note) ? el("div", { className: "cm-muted" }, [el("strong", { text: spaceAfter(t("factcheck.translation_note")) }), text(sentence.mt_note)]) : null,
    text(sentence.why) ? el("div", null, [el("strong", { text: spaceAfter(t(kind === "checked" ? "factcheck.note" : "factcheck.why_not_checked")) }), text(sentence.why)]) : null
  ].concat(found.map(claimVerdict)));
}

function FactCheck() {
  var article = articleRecord();
  this.sentences = list(article.sentences);
  this.found = null; // each sentence's claims, found on first use
  this.count = el("p", { className: "cm-factcheck-count", "aria-live": "polite" });
  this.items = el("ol", { className: "cm-sentences" });
  this.root = el("section", { id: "cm-factcheck", className: "cm-factcheck", hidden: true, tabindex: "-1", "aria-labelledby": "cm-factcheck-title" }, [
    el("h2", { id: "cm-factcheck-title", text: t("factcheck.title") }),
    articleSourceLine(), this.count, this.items
  ]);
}

FactCheck.prototype.refresh = function () {
  // Drawn only while shown: 50 sentences with their sources are built on demand, not at load.
  if (this.root.hidden) { return; }
  if (!this.found) { this.found = this.sentences.map(sentenceClaims); }
  this.items.textContent = "";
  var shown = 0;
  this.sentences.forEach(function (sentence, k) {
    if (!sentencePassesStatus(this.found[k])) { return; }
    shown++;
    this.items.appendChild(sentenceItem(sentence, this.found[k]));
  }, this);
  this.count.textContent = tn("factcheck.count", this.sentences.length, { shown: formatNumber(shown) }) +
    (state.statuses ? " " + t("factcheck.filter_on") : "");
};

function showPanelView(view) {
  // "list": the events in date order; "claims": the article as a fact-check, in the list's place.
  if (!state.factcheck) { return; }
  var claims = view === "claims";
  state.panelView = claims ? "claims" : "list";
  state.factcheck.root.hidden = !claims;
  state.list.viewport.hidden = claims;
  state.viewButtons.forEach(function (button, key) { button.setAttribute("aria-pressed", String(key === state.panelView)); });
  state.factcheck.refresh();
  writeHash();
}

function openFactcheck(options) {
  // The summary folds away so that the view is in sight (the panel's top holds it).
  foldSummary();
  showPanelView("claims");
  if (cardOpen() && !PANE_BESIDE.matches) { closeCard(); }
  // From a quote: its sentence, when the verdict filter shows it; else the view's header.
  var quote = options && options.quote ? spaced(options.quote) : "";
  var target = quote ? Array.from(state.factcheck.items.children).filter(function (item) {
    return spaced(item.querySelector("blockquote").textContent).indexOf(quote) >= 0;
  })[0] : null;
  (target || state.factcheck.root).scrollIntoView({ block: "start" });
  // A link restores the view without moving the focus; a reader's click moves it to the view they asked for.
  if (!options || options.focus !== false) {
    if (target) { target.setAttribute("tabindex", "-1"); }
    (target || state.factcheck.root).focus({ preventScroll: true });
  }
}

function panelViewSwitch() {
  // Two views of the panel's lower part, as toggle buttons; the fact-check view exists only with sentences.
  if (!list(articleRecord().sentences).length) { return null; }
  state.factcheck = new FactCheck();
  state.viewButtons = new Map([
    ["list", el("button", { type: "button", text: t("factcheck.view_list"), "aria-pressed": "true", onclick: function () { showPanelView("list"); } })],
    ["claims", el("button", { type: "button", text: t("factcheck.view_claims"), "aria-pressed": "false", onclick: function () { showPanelView("claims"); } })]
  ]);
  return el("div", { className: "cm-views", role: "group", "aria-label": t("factcheck.views") }, Array.from(state.viewButtons.values()));
}

function linkPanel(value, problems) {
  if (value === "claims" && state.factcheck) { openFactcheck({ focus: false }); return; }
  if (value !== "list") { problems.push(["panel", value, t(state.factcheck ? "factcheck.expected_claims" : "factcheck.no_view")]); }
}

function panelHashPart() {
  return state.panelView === "claims" ? ["panel=claims"] : [];
}
