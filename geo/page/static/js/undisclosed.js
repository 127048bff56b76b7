// undisclosed: the list of events whose location is undisclosed (filtered like the list, each selectable, nothing drawn); a piece of the one casemap script (assets.py)
/* ---------- not on the map ----------
 * An event with no public location has no place on the map: it is listed here, under the time and category filters
 * like every event, and choosing one selects it (its card opens in the details pane); nothing is drawn for it and
 * nothing is anchored on the map. */

function undisclosedControl() {
  var items = el("ul", { className: "cm-undisclosed-list" });
  var toggle = el("button", { type: "button", className: "cm-ctl-button", "aria-expanded": "false", "aria-controls": "cm-undisclosed-list",
    onclick: function () { var open = items.hidden; items.hidden = !open; toggle.setAttribute("aria-expanded", String(open)); } });
  items.id = "cm-undisclosed-list";
  items.hidden = true;
  var box = el("div", { className: "cm-control cm-undisclosed" }, [
    el("span", { className: "cm-swatch cm-swatch-undisclosed", "aria-hidden": "true", text: "?" }), toggle, items
  ]);
  state.undisclosedList = {
    refresh: function () {
      var shown = state.undisclosed.filter(function (i) { return state.visible[i]; });
      box.hidden = state.undisclosed.length === 0;
      toggle.textContent = tn("undisclosed.toggle", shown.length);
      toggle.title = t("undisclosed.title");
      items.textContent = "";
      shown.forEach(function (i) {
        var event = state.events[i];
        items.appendChild(el("li", null, [el("button", {
          type: "button", className: "cm-linkbutton", "data-event": event.id, text: eventWhen(event) + " — " + event.title,
          onclick: function () { select(i, { fly: false }); }
        })]));
      });
      if (!shown.length) { items.appendChild(el("li", { className: "cm-muted", text: t("undisclosed.none") })); }
    }
  };
  state.undisclosedList.refresh();
  return box;
}
