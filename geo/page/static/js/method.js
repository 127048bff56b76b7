// method: the sources and method panel, the article's accounting; a piece of the one casemap script (assets.py)
/* ---------- sources and method ---------- */

function toggleMethod(open) {
  // A modal dialog (access.js): its heading takes the focus, Tab stays inside, Escape or Close returns the focus.
  if (open) { openModal(state.method, state.method.querySelector("h2")); } else { closeModal(); }
}

function methodPanel() {
  var method = state.data.method, datasets = method.datasets || {};
  var datasetItems = Object.keys(datasets).map(function (key) {
    var d = datasets[key];
    return el("li", null, [el("strong", { text: d.dataset + " " + (d.version || "") }), " " + t("method.dataset",
      { attribution: d.attribution, licence: d.licence, package: d.package, file: d.file }) + " ", el("code", { text: d.sha256 })]);
  });
  var layerItems = Object.keys(method.layers || {}).map(function (key) {
    var l = method.layers[key];
    return el("li", null, [el("strong", { text: l.title }), " " + tn("method.layer", l.feature_count, { licence: l.licence }) + " ",
      el("code", { text: l.sha256 })]);
  });
  var sources = Array.from(state.data.sources.keys()).map(function (id) { return sourceItem({ id: id, confirms: "" }); });
  var close = el("button", { type: "button", text: t("method.close"), onclick: function () { toggleMethod(false); } });
  var panel = el("div", { className: "cm-method", role: "dialog", "aria-modal": "true", "aria-labelledby": "cm-method-title", hidden: true }, [
    close,
    el("h2", { id: "cm-method-title", text: t("method.title") }),
    el("p", { text: t("method.regenerate") }),
    el("pre", { text: method.command || "python build_map.py regenerate" }),
    el("p", { text: t("method.marked", statusWords()) }),
    el("h3", { text: t("method.statuses") }),
    el("ul", null, Object.keys(STATUS_TEXT).map(function (status) {
      return el("li", null, [el("strong", { text: spaceAfter(t("popups.label", { label: statusLabel(status) })) }), statusMeaning(status)]);
    })),
    el("p", { text: t("method.families", { badge: t("popups.single_source") }) }),
    articleAccounting(),
    el("h3", { text: t("method.corrections", { n: formatNumber(list(state.data.corrections).length) }) }),
    el("ul", null, list(state.data.corrections).map(function (c) {
      return el("li", null, [el("strong", { text: spaceAfter(t("popups.label", { label: text(c.date) })) }), text(c.change) + " ", el("span", { className: "cm-muted", text: text(c.why) })]);
    })),
    el("h3", { text: t("method.cite_title") }), citeLine(method.cite),
    el("h3", { text: t("method.datasets") }), el("ul", null, datasetItems),
    el("h3", { text: t("method.layers") }), el("ul", null, layerItems),
    el("h3", { text: t("method.bibliography", { n: formatNumber(sources.length) }) }), el("ul", null, sources)
  ]);
  return panel;
}

function citeLine(cite) {
  // The same line every export carries (geo/export/cite.py, docs/export.md): title, build date, version, data digest.
  if (!cite) { return null; }
  // The exports keep the English line (cite.py) beside their English column names; the page says it in its language.
  return el("p", { className: "cm-cite" }, [el("strong", { text: spaceAfter(t("method.cite_label")) }),
    t("method.cite_text", { title: cite.title, date: cite.date, version: cite.version }) + " ", el("code", { text: cite.sha256 }), t("popups.period")]);
}

function articleAccounting() {
  var article = state.data.article || {}, counts = article.by_kind || {}, total = list(article.sentences).length;
  if (!total) { return null; }
  var parts = SENTENCE_KINDS.filter(function (kind) { return own(counts, kind); }).map(function (kind) {
    return t("method.accounting." + kind, { n: formatNumber(own(counts, kind)) });
  });
  return el("p", { text: tn("method.accounting", total, { article: seedName(), parts: parts.join(t("popups.separator")) }) });
}

function statusWords() {
  // The four verdicts' names, lower-cased, for the sentence that lists them (method.marked).
  var words = {};
  Object.keys(STATUS_TEXT).forEach(function (status) { words[status] = statusLabel(status).toLocaleLowerCase(currentLanguage()); });
  return words;
}
