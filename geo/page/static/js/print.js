// print: the print layout (map page, summary and chapters, every event, the method), built when printing starts; a piece of the one casemap script (assets.py)
/* ---------- print and PDF (issue #13) ----------
 * A print of the screen was one page of controls, a clipped popup and the list's first 12 rows. When printing starts
 * (beforeprint, or the print media query, which is what a PDF made by a headless browser sees), the map is resized to
 * the printed page at the view the reader had, and a layout is built from the data, not from the drawn list (the list
 * only draws the rows in view): the map key, the summary and chapters when the case has them, every event in date
 * order with its dates, place, statuses, reasoning and every source's full address as text, then the sources and
 * method panel. casemap.css (@media print) shows only the map and this layout. */

// The printed map, in CSS px (96 per inch): A4 (210 mm) less 12 mm margins, and 140 mm high (casemap.css @media print).
var PRINT_MAP_SIZE = { width: Math.round(186 / 25.4 * 96), height: Math.round(140 / 25.4 * 96) };
var printing = null;
// How well a date is known (records.TIME_PRECISIONS), said on paper in the reader's language.
var TIME_PRECISIONS = ["day", "month", "year", "approximate"]; // the screen view while the print layout is up: {bounds}

function printedLink() {
  // The link to the view printed. A page opened from disk would print the reader's own folders (file:///home/…),
  // which a paper handed on should not carry: only the file's name and the view's state are printed then.
  if (location.protocol !== "file:") { return currentLink(); }
  var name = location.pathname.split("/").pop() || "map.html";
  try { name = decodeURIComponent(name); } catch (e) { /* a name that is not percent-encoding stays as it is */ }
  return name + currentHash();
}

function startPrint() {
  if (printing || !state || !state.ready) { return; }
  var map = state.map, box = map.getContainer();
  printing = { bounds: map.getBounds() };
  box.style.width = PRINT_MAP_SIZE.width + "px";
  box.style.height = PRINT_MAP_SIZE.height + "px";
  map.invalidateSize({ animate: false, pan: false });
  map.fitBounds(printing.bounds, { animate: false });
  document.querySelectorAll(".cm-print").forEach(function (old) { old.remove(); });
  // The title and the link above the map, the rest after it (the map stays where it is in the page).
  document.body.insertBefore(printHead(), box);
  document.body.appendChild(printLayout());
  document.documentElement.setAttribute("data-casemap-print", "ready");
}

function endPrint() {
  if (!printing) { return; }
  var map = state.map, box = map.getContainer(), bounds = printing.bounds;
  printing = null;
  box.style.width = ""; box.style.height = "";
  map.invalidateSize({ animate: false, pan: false });
  map.fitBounds(bounds, { animate: false });
  document.documentElement.removeAttribute("data-casemap-print");
}

window.addEventListener("beforeprint", startPrint);
window.addEventListener("afterprint", endPrint);
window.matchMedia("print").addEventListener("change", function (query) { if (query.matches) { startPrint(); } else { endPrint(); } });

function printHead() {
  var data = state.data;
  return el("div", { className: "cm-print cm-print-head", "aria-hidden": "true" }, [
    el("h1", { text: data.title }),
    text(data.description) ? el("p", { text: text(data.description) }) : null,
    el("p", { className: "cm-print-link" }, [spaceAfter(t("print.link")), el("span", { text: printedLink() })])
  ]);
}

function printLayout() {
  return el("div", { className: "cm-print", "aria-hidden": "true" }, [
    printKey(),
    el("div", { className: "cm-print-text" }, printStory(own(state.data, "story")).concat(printEvents(), [printMethod()]))
  ]);
}

function printKey() {
  // The map key as the reader set it: a copy of its body, each box ticked as the live one is.
  var body = document.getElementById("cm-key-body");
  if (!body) { return null; }
  var copy = body.cloneNode(true), live = body.querySelectorAll("input"), copied = copy.querySelectorAll("input");
  copy.removeAttribute("id");
  copy.hidden = false;
  copy.style.maxHeight = "";
  copied.forEach(function (input, k) { input.checked = live[k].checked; input.removeAttribute("id"); input.removeAttribute("name"); });
  // The base maps are a choice on screen, not a symbol on paper: their title and radios are left out.
  copy.querySelectorAll("input[type=radio]").forEach(function (radio, k) {
    var label = radio.closest("label");
    if (k === 0 && label.previousElementSibling) { label.previousElementSibling.remove(); }
    label.remove();
  });
  return el("section", { className: "cm-print-key" }, [el("h2", { text: t("print.key") }), copy]);
}

function paragraphs(items) {
  return list(items).map(function (paragraph) { return el("p", { text: text(paragraph) }); });
}

function printStory(story) {
  // The summary and the chapters, when the case has them (data.story: SESSION21 contract).
  if (!story || typeof story !== "object") { return []; }
  var byId = new Map(state.events.map(function (event) { return [event.id, event]; }));
  var out = [el("h2", { className: "cm-print-break", text: t("print.summary") })].concat(paragraphs(own(story, "summary")));
  var chapters = list(own(story, "chapters"));
  if (chapters.length) { out.push(el("h2", { text: t("print.chapters") })); }
  chapters.forEach(function (chapter, n) {
    var title = text(own(chapter, "title"));
    var titles = list(own(chapter, "events")).map(function (id) { return byId.get(id); }).filter(Boolean).map(function (event) {
      return el("li", { text: eventWhen(event) + " — " + event.title });
    });
    out.push(el("section", { className: "cm-print-chapter" }, [el("h3", { text: formatNumber(n + 1) + ". " + title })]
      .concat(paragraphs(own(chapter, "text")), titles.length ? [el("div", { className: "cm-label", text: t("print.chapter_events") }), el("ul", null, titles)] : [])));
  });
  return out;
}

function printEvents() {
  var order = state.events.map(function (event, i) { return i; }).sort(function (a, b) {
    var x = state.events[a].when, y = state.events[b].when;
    return x.start < y.start ? -1 : x.start > y.start ? 1 : x.end < y.end ? -1 : x.end > y.end ? 1 : a - b;
  });
  return [el("h2", { className: "cm-print-break", text: t("print.events", { n: formatNumber(order.length) }) }),
    el("p", { className: "cm-muted", text: t("print.events_note") })].concat(order.map(function (i) { return printEvent(state.events[i]); }));
}

function printEvent(event) {
  var place = event.where.place ? state.data.places.get(event.where.place) : null;
  // The label as the list says it, then the interval's ISO dates (exact on paper in every language).
  var span = event.when.start === event.when.end ? event.when.start : t("print.span", { start: event.when.start, end: event.when.end });
  var when = eventWhen(event) + " (" + span + ")";
  var precision = TIME_PRECISIONS.indexOf(event.when.precision) >= 0 ? t("print.precision." + event.when.precision) : event.when.precision;
  return el("article", { className: "cm-print-event" }, [
    el("div", { className: "cm-kicker", text: state.categoryText.get(event.category) || event.category }),
    el("h3", { text: event.title }),
    row(t("print.when"), when + (precision ? ", " + precision : "")),
    event.public ? row(t("print.public"), event.public.label) : null,
    row(t("print.where"), (place ? place.name + " — " : "") + (PRECISION_TEXT[event.where.precision] || event.where.precision)),
    event.where.note ? el("div", { className: "cm-muted", text: event.where.note }) : null,
    el("p", { text: event.description })
  ].concat(list(event.claims).map(printClaim), [printSources(event.sources)]));
}

function printClaim(claim) {
  var status = text(claim.status);
  return el("div", { className: "cm-print-claim" }, [
    el("div", null, [el("span", { className: "cm-badge cm-status-" + status, text: statusLabel(status) }),
      claim.single_source ? " " + t("popups.single_source") : null]),
    el("div", null, [el("strong", { text: spaceAfter(t("popups.says", { article: seedName() })) }), el("q", { lang: "en", text: text(claim.quote) })]),
    el("div", null, [el("strong", { text: spaceAfter(t("popups.why")) }), text(claim.reason)]),
    claim.other_account ? el("div", null, [el("strong", { text: spaceAfter(t("popups.sources_show")) }), text(claim.other_account)]) : null,
    el("div", { className: "cm-muted", text: independenceText(claim) })
  ]);
}

function printSource(citation) {
  // Outlet, title, date, and the addresses written out in full: a printed link must be readable without a click.
  var id = text(own(citation, "id") !== undefined ? own(citation, "id") : own(citation, "source"));
  var source = state.data.sources.get(id) || { outlet: id, title: "", url: "", published: "" };
  var confirms = text(own(citation, "confirms"));
  return el("li", { className: "cm-print-source" }, [
    el("bdi", { text: text(source.outlet) }), source.title ? " — " : null, source.title ? el("bdi", { text: text(source.title) }) : null,
    source.published ? " (" + text(source.published) + ")" : null,
    text(source.url) ? el("div", { className: "cm-print-url", text: text(source.url) }) : null,
    text(source.via) ? el("div", { className: "cm-print-url" }, [spaceAfter(t("popups.read_at_copy")), text(source.via)]) : null,
    confirms ? el("div", { className: "cm-muted", text: confirms }) : null
  ]);
}

function printSources(citations) {
  var items = list(citations);
  return el("div", { className: "cm-print-sources" }, [el("h4", { text: t("popups.sources") }),
    items.length ? el("ul", null, items.map(printSource)) : el("p", { text: t("print.no_source") })]);
}

function printMethod() {
  // The sources and method panel as the page shows it, its bibliography with every address written out.
  var copy = state.method.cloneNode(true);
  copy.hidden = false;
  ["id", "role", "aria-modal", "aria-labelledby"].forEach(function (name) { copy.removeAttribute(name); });
  copy.className = "cm-print-method cm-print-break";
  copy.querySelectorAll("button, [id]").forEach(function (node) { if (node.tagName === "BUTTON") { node.remove(); } else { node.removeAttribute("id"); } });
  var bibliography = copy.querySelector("li.cm-source");
  var ids = Array.from(state.data.sources.keys());
  var full = el("ul", null, ids.map(function (id) { return printSource({ id: id }); }));
  if (bibliography) { bibliography.parentNode.replaceWith(full); } else { copy.appendChild(el("h3", { text: t("print.bibliography") })); copy.appendChild(full); }
  return copy;
}
