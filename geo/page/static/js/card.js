// card: the details pane where an event's or a map feature's card is read (showCard, closeCard); a piece of the one casemap script (assets.py)
/* ---------- the details pane ---------- */

/* Cards used to be Leaflet popups, which the map's controls covered and the map's edge cut (issue #12, 4).
 * The pane is part of the page's grid (casemap.css): a column beside the map from 1100 px, the panel's place
 * below that (a bottom sheet under the map on phones, with "Back to the list"). It scrolls on its own. */

var pane = null; // {root, body, steps} once the first card is shown
// From this width the pane is a column of its own (casemap.css); below it, it covers the panel.
var PANE_BESIDE = window.matchMedia("(min-width: 1100px)");

function coverPanel() {
  // Where the pane lies over the panel, what it covers leaves the Tab order and the accessibility tree (inert), but
  // the panel's header stays: the page keeps its main landmark and its h1 for a screen reader (axe: landmark-one-main,
  // page-has-heading-one), which hiding the whole panel took away.
  var covered = cardOpen() && !PANE_BESIDE.matches;
  var panel = document.querySelector(".cm-panel");
  if (!panel) { return; }
  Array.prototype.forEach.call(panel.children, function (child) {
    if (child.tagName !== "HEADER") { child.inert = covered; }
  });
}

function buildPane() {
  var body = el("div", { className: "cm-pane-body" });
  var steps = el("div", { className: "cm-pane-steps" }, [
    el("button", { type: "button", text: "◀", "aria-label": t("card.previous_event"), onclick: function () { step(-1); } }),
    el("button", { type: "button", text: "▶", "aria-label": t("card.next_event"), onclick: function () { step(1); } })
  ]);
  // Both buttons close the pane and return the focus to what opened it (access.js); CSS shows the one that fits
  // the width ("Back" where the pane hides the list).
  var bar = el("div", { className: "cm-pane-bar" }, [
    el("button", { type: "button", className: "cm-pane-back", text: "◀ " + t("card.back"), onclick: function () { closeCardAndReturn(); } }),
    el("button", { type: "button", className: "cm-pane-close", text: t("card.close"), onclick: function () { closeCardAndReturn(); } }),
    copyLinkButton(),
    steps
  ]);
  var root = el("section", { className: "cm-pane", hidden: true, "aria-label": t("card.details") }, [bar, body]);
  document.body.appendChild(root);
  return { root: root, body: body, steps: steps };
}

function showCard(node, options) {
  // Show one card (a node built with el(): text only) in the pane, replacing the one shown before.
  // options.event: the card is an event's, so Previous/Next apply.
  options = options || {};
  if (!pane) { pane = buildPane(); }
  pane.body.textContent = "";
  pane.body.appendChild(node);
  pane.body.scrollTop = 0;
  pane.steps.hidden = !options.event;
  var wasOpen = !pane.root.hidden;
  pane.root.hidden = false;
  document.body.classList.add("cm-card-open");
  coverPanel();
  // On wide screens the pane takes a column from the map: Leaflet must learn its new size before it flies,
  // keeping the same centre (a restored link's view stays exactly as saved).
  if (!wasOpen) { state.map.invalidateSize({ animate: false }); }
}

function closeCard() {
  if (!pane || pane.root.hidden) { return; }
  pane.root.hidden = true;
  pane.body.textContent = "";
  document.body.classList.remove("cm-card-open");
  coverPanel();
  state.map.invalidateSize({ animate: false });
  // Back in the list, the reader finds the row they chose (still selected: the link keeps it too).
  if (state.selected !== null) { state.list.reveal(state.selected); }
}

function cardOpen() {
  return pane !== null && !pane.root.hidden;
}

// A reader who turns the tablet or resizes the window: the pane moves beside the map or over the panel.
PANE_BESIDE.addEventListener("change", coverPanel);
