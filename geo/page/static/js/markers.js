// markers: an event's card and a place's list of events (the dots are in symbols.js); a piece of the one casemap script (assets.py)
/* ---------- events ---------- */

function eventWhen(event) {
  return event.when.label;
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
  if (indices.length > 50) { items.push(el("li", { className: "cm-muted", text: "… and " + (indices.length - 50) + " more in the list" })); }
  return el("div", { className: "cm-events-here" }, [el("h3", { text: heading + " (" + indices.length + ")" }), el("ul", null, items)]);
}

function eventCard(event, i) {
  var place = event.where.place ? state.data.places.get(event.where.place) : null;
  var whereText = (place ? place.name + " — " : "") + (PRECISION_TEXT[event.where.precision] || "");
  var body = [
    el("div", { className: "cm-kicker", text: state.categoryText.get(event.category) || event.category }),
    contentText("h2", event, "title"),
    translationNote(isTranslated(event, ["title", "description"]) || isTranslated(event.where, ["note"]) ||
      list(event.claims).some(function (claim) { return isTranslated(claim, ["reason", "other_account"]); })),
    row("When", eventWhen(event) + (event.when.precision === "approximate" ? " (approximate: " + event.when.start + " to " + event.when.end + ")" : "")),
    event.public ? row("Made public", event.public.label) : null,
    event.public ? el("div", { className: "cm-lag-text", text: lagText(event) + "." }) : null,
    row("Where", whereText),
    event.where.note ? contentText("div", event.where, "note", { className: "cm-muted" }) : null,
    contentText("p", event, "description")
  ];
  list(event.claims).forEach(function (claim) { body.push(claimBlock(claim)); });
  body.push(sourcesBlock(event.sources));
  // Other events at the same place (a dot or an area stands for all of them): one click away.
  var here = event.where.place && event._kind !== "undisclosed" ? visibleAt(state.eventsByPlace.get(event.where.place)) : [];
  if (here.length > 1) { body.push(eventLinks(here, "Events at this place", i)); }
  return el("div", { className: "cm-card cm-event-card", "data-event": event.id }, body);
}
