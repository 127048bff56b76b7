// popups: number format, source and claim blocks, a layer feature's popup; a piece of the one casemap script (assets.py)
/* ---------- features of the folium layers ---------- */

function fmt(n, digits) {
  // In the reader's language (core.js currentLanguage): 12 345,6 in Russian, 12,345.6 in English and Chinese.
  return Number(n).toLocaleString(currentLanguage(), { maximumFractionDigits: digits || 0 });
}

function periodAfter(before) {
  // The full stop that ends a sentence, unless the text before it already ends with one: a Russian date is written
  // "1 марта 2021 г." (Intl), and "г.." would be two.
  var period = t("popups.period");
  return String(before).slice(-period.length) === period ? "" : period;
}

function spaceAfter(label) {
  // A label and the text after it: a space, except after full-width punctuation, which carries its own (Chinese "理由：").
  return /[：，。；]$/.test(label) ? label : label + " ";
}

function labelled(label) {
  // "Label:" in the reader's language (a full-width colon in Chinese).
  return t("popups.label", { label: label });
}

function sourceItem(citation) {
  var id = text(own(citation, "id") !== undefined ? own(citation, "id") : own(citation, "source"));
  var source = state.data.sources.get(id) || { outlet: id, title: "", url: "", published: "" };
  // Outlet and title each isolated (<bdi>): either may be written right to left.
  var label = el("span", null, [el("bdi", { text: source.outlet }), source.title ? " — " : null,
    source.title ? el("bdi", { text: source.title }) : null]);
  var confirms = text(own(citation, "confirms"));
  // url is the original; via the copy that was read where it was not (a mirror, syndication or archive).
  var copy = source.via ? el("div", { className: "cm-muted cm-small" }, [
    spaceAfter(t(source.url ? "popups.read_at_copy" : "popups.read_at_copy_only")), link(source.via, hostOf(source.via))
  ]) : null;
  var family = source.family && source.kind !== "seed" ? " · " + t("popups.rests_on", { family: source.family }) : "";
  return el("li", { className: "cm-source" }, [
    source.url ? link(source.url, label) : el("span", { dir: "auto" }, [label]),
    el("span", { className: "cm-muted", text: (source.published ? " (" + source.published + ")" : "") + family }),
    copy,
    confirms ? el("div", { className: "cm-confirms", text: confirms }) : null
  ]);
}

function hostOf(url) {
  try { return new URL(url).host; } catch (e) { return url; }
}

function seedName() {
  // The article the claims quote, named wherever its words appear: outlet and date (case.yaml seed_article, else the
  // seed source).
  var article = state.data.article || {}, seed = state.data.sources.get(text(state.data.seed)) || {};
  var outlet = text(article.outlet) || text(seed.outlet), published = text(article.published) || text(seed.published);
  if (!outlet) { return t("popups.the_article"); }
  return published ? t("popups.outlet_date", { outlet: outlet, date: /^\d{4}-\d{2}-\d{2}$/.test(published) ? formatDay(published) : published }) : outlet;
}

function sentenceButton(quote) {
  // From a quote to its sentence in the fact-check, whose header names and links the article and its original.
  if (!state.factcheck) { return null; }
  return el("button", { type: "button", className: "cm-linkbutton cm-small", text: t("popups.sentence_button"),
    onclick: function () { openFactcheck({ quote: quote }); } });
}

function independenceText(claim) {
  var families = list(claim.families);
  if (!families.length) { return t("popups.no_independent_source"); }
  return tn("popups.independent_sources", families.length, { families: families.join(t("popups.separator")) });
}

function claimBlock(claim) {
  var status = text(claim.status);
  return el("div", { className: "cm-claim cm-status-" + status }, [
    el("div", null, [
      el("span", { className: "cm-badge cm-status-" + status, text: statusLabel(status) }),
      claim.single_source ? el("span", { className: "cm-badge cm-single", text: t("popups.single_source") }) : null
    ]),
    el("div", { className: "cm-label", text: t("popups.says", { article: seedName() }) }),
    el("blockquote", { text: text(claim.quote) }),
    sentenceButton(text(claim.quote)),
    el("div", null, [el("strong", { text: spaceAfter(t("popups.why")) }), contentText("span", claim, "reason")]),
    claim.other_account ? el("div", null, [el("strong", { text: spaceAfter(t("popups.sources_show")) }), contentText("span", claim, "other_account")]) : null,
    el("div", { className: "cm-muted cm-small", text: independenceText(claim) })
  ]);
}

function sourcesBlock(citations, heading) {
  var items = list(citations);
  if (!items.length) { return null; }
  return el("div", { className: "cm-sources" }, [
    el("h3", { text: heading || t("popups.sources") }),
    el("ul", null, items.map(sourceItem))
  ]);
}

function row(label, value) {
  if (value === null || value === undefined || value === "") { return null; }
  // A value is text, or a node that says which language its text is in (contentText, contentMessage).
  var shown = value instanceof Node ? value : String(value);
  return el("div", { className: "cm-row" }, [el("span", { className: "cm-label", text: spaceAfter(labelled(label)) }), shown]);
}

function popupField(field, p, body) {
  // One popup field of a layer record (case.yaml `popup`), shown by the format the build gave it.
  // The label is a catalogue key the build sends (py.builders.BUILDER.PROPERTY: payload.layer_payload).
  var value = own(p, field.field), label = t(text(field.label));
  if (field.format === "citations") { body.push(sourcesBlock(value, label)); return; }
  if (field.format === "roles") {
    list(value).forEach(function (role) {
      body.push(el("div", { className: "cm-role" }, [contentText("strong", role, "role"),
        sourcesBlock(own(role, "sources"), t("popups.role_sources"))]));
    });
    return;
  }
  if (field.format === "paragraph") {
    if (text(value)) { body.push(el("p", null, [el("strong", { text: spaceAfter(labelled(label)) }), contentText("span", p, field.field)])); }
    return;
  }
  if (field.format === "badge") {
    if (text(value)) { body.push(el("div", { className: "cm-badge cm-conf-" + text(value), text: spaceAfter(labelled(label)) + valueWord(field.field, text(value)) })); }
    return;
  }
  if (field.format === "place") {
    var place = typeof value === "string" ? state.data.places.get(value) : null;
    body.push(row(label, place ? contentText("span", place, "name") : text(own(p, "country"))));
    return;
  }
  var shown = valueWord(field.field, text(value));
  if (typeof value === "number" && isFinite(value)) {
    if (field.format === "number-0") { shown = fmt(value); }
    else if (field.format === "number-1") { shown = fmt(value, 1); }
    else if (field.format === "count") { shown = value ? fmt(value) : ""; }
  }
  body.push(row(label, shown));
}

// Values from closed sets the build makes or validates (records.CONFIDENCES, a border's kind from geo/derive), said in
// the reader's language; any other value is the data's own text.
var CONFIDENCES = ["low", "medium", "high"], BORDER_KINDS = ["border", "junction"];

function valueWord(field, value) {
  if (field === "confidence" && CONFIDENCES.indexOf(value) >= 0) { return t("popups.confidence." + value); }
  if (field === "kind" && BORDER_KINDS.indexOf(value) >= 0) { return t("popups.kind." + value); }
  return value;
}

function featureCard(key, feature) {
  // Every property is read as the type it should have (text(), list()): content the build let through
  // with another type leaves a gap in the popup, never an error (issue #10, finding 10). Which
  // properties a layer's popup shows, and their labels, come from its record (data.layers[].popup).
  var p = feature.properties !== null && typeof feature.properties === "object" ? feature.properties : {};
  var record = state.layerRecords.get(key) || { popup: [], popupNote: "" };
  // The other scripts' names; the one the heading shows already (content.js: the page's language) is not repeated.
  var names = [text(p.name_ru), text(p.name_zh)].filter(function (name) { return name && name !== text(p.name); }).join(" · ");
  // The name in the page's language (content.js), or the English marked as such where it has no translation.
  var heading = text(p.name) ? contentText("h2", p, "name") : el("h2", { text: text(feature.id) });
  var body = [heading, names ? el("div", { className: "cm-muted", text: names }) : null,
    translationNote(isTranslated(p, ["name", "size_reason", "known", "unknown", "note"]) ||
      list(p.roles).some(function (role) { return isTranslated(role, ["role"]); }))];
  list(record.popup).forEach(function (field) { popupField(field, p, body); });
  if (text(record.popupNote)) { body.push(contentText("p", record, "popupNote", { className: "cm-muted" })); }
  var atPlace = state ? (state.eventsByPlace.get(feature.id) || []) : [];
  if (atPlace.length) { body.push(eventLinks(atPlace, t("popups.events_here"))); }
  body.push(el("div", { className: "cm-muted cm-small", text: t("popups.geometry", { source: text(p.source) }) }));
  return el("div", { className: "cm-card cm-feature-card", "data-feature": text(feature.id) }, body);
}
