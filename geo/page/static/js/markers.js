// markers: an event's card and a place's list of events (the dots are in symbols.js); a piece of the one casemap script (assets.py)
/* ---------- events ---------- */

function eventWhen(event) {
  return intervalText(event.when);
}

function intervalText(interval) {
  // A date the build wrote from start, end and precision (records.interval_label: "25 February 2021") is written
  // again in the page's language; a hand-written label (when.label in events.yaml) is case text, shown as given
  // (content translations, data/translations, carry its other languages).
  var written = own(INTERVAL_FORMATS, interval.precision);
  if (!written || interval.label !== englishIntervalLabel(interval)) { return interval.label; }
  return formatDate(interval.start, written);
}
var INTERVAL_FORMATS = table({
  day: { day: "numeric", month: "long", year: "numeric" }, month: { month: "long", year: "numeric" }, year: { year: "numeric" }
});

function englishIntervalLabel(interval) {
  // What records.interval_label writes: day month year in English (en-GB reads so), the month and year, the year.
  return formatDate(interval.start, own(INTERVAL_FORMATS, interval.precision), "en");
}

function eventLinks(indices, heading, current) {
  // The events at one place, each a button that selects it; the one shown (current) is marked, not a button.
  var items = indices.slice(0, 50).map(function (i) {
    var event = state.events[i], label = eventWhen(event) + " — " + event.title;
    if (i === current) { return el("li", { className: "cm-current", "aria-current": "true", text: label }); }
    return el("li", null, [el("button", {
      type: "button", className: "cm-linkbutton", text: label,
      onclick: function () { select(i, { fly: false }); }
    })]);
  });
  if (indices.length > 50) { items.push(el("li", { className: "cm-muted", text: tn("markers.more_in_list", indices.length - 50) })); }
  return el("div", { className: "cm-events-here" }, [el("h3", { text: t("markers.heading_count", { heading: heading, count: indices.length }) }), el("ul", null, items)]);
}

function eventCard(event, i) {
  var place = event.where.place ? state.data.places.get(event.where.place) : null;
  var precision = PRECISION_TEXT[event.where.precision] || "";
  var whereText = place ? contentMessage("markers.place_and_precision", { precision: precision }, "place", place, "name") : precision;
  var body = [
    el("div", { className: "cm-kicker", text: state.categoryText.get(event.category) || event.category }),
    contentText("h2", event, "title"),
    translationNote(isTranslated(event, ["title", "description"]) || isTranslated(event.where, ["note"]) ||
      list(event.claims).some(function (claim) { return isTranslated(claim, ["reason", "other_account"]); })),
    row(t("markers.when"), event.when.precision === "approximate" ?
      t("markers.approximate", { when: eventWhen(event), start: event.when.start, end: event.when.end }) : eventWhen(event)),
    event.public ? row(t("markers.made_public"), intervalText(event.public)) : null,
    event.public ? el("div", { className: "cm-lag-text", text: t("markers.lag_sentence", { lag: lagText(event) }) }) : null,
    row(t("markers.where"), whereText),
    event.where.note ? contentText("div", event.where, "note", { className: "cm-muted" }) : null,
    contentText("p", event, "description")
  ];
  list(event.claims).forEach(function (claim) { body.push(claimBlock(claim)); });
  body.push(sourcesBlock(event.sources));
  // Other events at the same place (a dot or an area stands for all of them): one click away.
  var here = event.where.place && event._kind !== "undisclosed" ? visibleAt(state.eventsByPlace.get(event.where.place)) : [];
  if (here.length > 1) { body.push(eventLinks(here, t("markers.events_here"), i)); }
  return el("div", { className: "cm-card cm-event-card", "data-event": event.id }, body);
}
