// access: skip link, landmarks, selection announced, map shapes out of the Tab order, the modal dialog, Escape; a piece of the one casemap script (assets.py)
/* ---------- keyboard and screen reader (issue #12) ----------
 * WAI-ARIA Authoring Practices: the dialog (modal) pattern for "Sources and method", the listbox pattern for the
 * event list (events.js), the combobox pattern for the search (search.js). The map is for the eye and the
 * pointer; everything on it is reachable through the list, so its shapes are kept out of the Tab order. */

function installAccess() {
  // Once, from run(), after the panel, the dialog and the map's layers exist.
  // Two skip links, in reading order: the case (its title, the case in brief, the story) and the list of events.
  // Without the first, the case's summary came after every control of the map (the map key alone is 15 stops).
  // Its target is the case's title, which every view keeps (a chapter replaces the summary); focusCase goes on to the
  // summary's heading where it is shown.
  var title = document.getElementById("cm-case-title");
  if (title) { title.setAttribute("tabindex", "-1"); }
  var toCase = el("a", { className: "cm-skip", href: "#cm-case-title", text: t("access.skip_case"),
    onclick: function (e) { e.preventDefault(); focusCase(); } });
  var toList = el("a", { className: "cm-skip", href: "#cm-list", text: t("access.skip"),
    onclick: function (e) { e.preventDefault(); focusList(); } });
  document.body.insertBefore(toList, document.body.firstChild);
  document.body.insertBefore(toCase, toList);
  var map = state.map, container = map.getContainer();
  // Every part of the page is in a landmark (WCAG 1.3.1; axe "region"): the map is a named region.
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", t("access.map"));
  container.querySelectorAll("path, svg").forEach(untabbable);
  map.on("layeradd", function (e) { if (e.layer && e.layer._path) { untabbable(e.layer._path); } });
  state.backdrop = el("div", { className: "cm-method-backdrop", hidden: true });
  document.body.appendChild(state.backdrop);
  document.addEventListener("keydown", onEscape);
}

function untabbable(node) {
  // Chromium puts SVG shapes that listen for clicks in the Tab order (29 unnamed stops before the panel).
  node.setAttribute("tabindex", "-1");
}

function announcer() {
  // The live region (polite: it waits until the reader has finished speaking), inside the panel's landmark.
  if (!state.announcer) {
    state.announcer = el("div", { id: "cm-announcer", className: "cm-visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  }
  return state.announcer;
}

function announceSelection(i) {
  var event = state.events[i], place = event.where.place ? state.data.places.get(event.where.place) : null;
  var precision = PRECISION_TEXT[event.where.precision] || "";
  var where = place ? t("access.place_and_precision", { place: place.name, precision: precision }) : precision;
  announcer().textContent = t("access.selected", { title: event.title, when: eventWhen(event), where: where });
}

function focusCase() {
  // The case in brief where it is shown, else the case's title (a case without a story, or the story under way).
  var brief = document.getElementById("cm-summary-title"), title = document.getElementById("cm-case-title");
  var target = visible(brief) ? brief : title;
  if (!target) { return; }
  target.setAttribute("tabindex", "-1");
  target.focus();
}

function focusList() {
  state.list.activate();
  state.list.viewport.focus();
}

function visible(node) {
  return !!node && node.isConnected && node.getClientRects().length > 0 && !node.closest("[hidden], [inert]");
}

/* ---------- the card (details pane, or the popup before it) ---------- */

function cardIsOpen() {
  var pane = document.querySelector(".cm-pane");
  return (pane && !pane.hidden) || !!document.querySelector(".leaflet-popup");
}

function rememberCardOpener() {
  // Where Escape returns: the control the reader used to open the card, or the list when it was the map.
  var active = document.activeElement;
  state.cardOpener = active && active !== document.body && !active.closest(".leaflet-container, .cm-pane") ? active : null;
}

function focusCardHeading() {
  // Once the card is shown, its heading takes the focus so the reader hears it and can read on.
  var heading = document.querySelector(".cm-pane:not([hidden]) h2");
  if (!heading) { return; }
  heading.setAttribute("tabindex", "-1");
  heading.focus();
}

function closeCardAndReturn() {
  if (typeof closeCard === "function") { closeCard(); } else { state.map.closePopup(); }
  var back = state.cardOpener;
  state.cardOpener = null;
  if (visible(back)) { back.focus(); } else { focusList(); }
}

function onEscape(e) {
  if (e.key !== "Escape" || e.defaultPrevented) { return; }
  if (state.modal) { e.preventDefault(); closeModal(); return; }
  if (cardIsOpen()) { e.preventDefault(); closeCardAndReturn(); }
}

/* ---------- the modal dialog ---------- */

function openModal(dialog, focusTarget) {
  var opener = document.activeElement;
  state.modal = { dialog: dialog, opener: opener, inert: [] };
  // Everything else leaves the Tab order, the pointer's reach and the accessibility tree while it is open.
  Array.from(document.body.children).forEach(function (child) {
    if (child === dialog || child === state.backdrop || child.tagName === "SCRIPT" || child.inert) { return; }
    child.inert = true;
    state.modal.inert.push(child);
  });
  dialog.hidden = false;
  state.backdrop.hidden = false;
  dialog.addEventListener("keydown", trapTab);
  focusTarget.setAttribute("tabindex", "-1");
  focusTarget.focus();
}

function closeModal() {
  var modal = state.modal;
  if (!modal) { return; }
  state.modal = null;
  modal.dialog.hidden = true;
  state.backdrop.hidden = true;
  modal.dialog.removeEventListener("keydown", trapTab);
  modal.inert.forEach(function (child) { child.inert = false; });
  // Focus goes back to what opened it (APG dialog pattern).
  if (visible(modal.opener)) { modal.opener.focus(); }
}

function trapTab(e) {
  if (e.key !== "Tab" || !state.modal) { return; }
  var stops = Array.from(state.modal.dialog.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"))
    .filter(function (node) { return node.tabIndex >= 0 && visible(node); });
  if (!stops.length) { e.preventDefault(); return; }
  var first = stops[0], last = stops[stops.length - 1], here = document.activeElement;
  var inside = stops.indexOf(here) !== -1;
  if (e.shiftKey && (here === first || !inside)) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && (here === last || !inside)) { e.preventDefault(); first.focus(); }
}
