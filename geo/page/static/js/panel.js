// panel: the side panel (search, time, categories, previous/next, list); a piece of the one casemap script (assets.py)
function sidePanel() {
  state.countLabel = el("span", { className: "cm-count", "aria-live": "polite" });
  var nav = el("div", { className: "cm-nav" }, [
    el("button", { type: "button", text: t("panel.previous"), "aria-label": t("panel.previous_event"), onclick: function () { step(-1); } }),
    state.countLabel,
    el("button", { type: "button", text: t("panel.next"), "aria-label": t("panel.next_event"), onclick: function () { step(1); } })
  ]);
  var categories = el("div", { className: "cm-categories", role: "group", "aria-label": t("panel.categories") },
    Array.from(state.categoryText.keys()).map(function (cat) {
      var box = el("input", { type: "checkbox", checked: true, "data-category": cat, onchange: function () { state.categories.set(cat, box.checked); applyFilter(); } });
      return el("label", { className: "cm-cat cm-cat-" + cat }, [box, " " + state.categoryText.get(cat)]);
    }));
  // The page's main landmark: the case's events, which the map draws (the skip link leads to its list).
  var panel = el("main", { className: "cm-panel", "aria-label": t("panel.landmark") }, [
    el("header", { className: "cm-panel-header" }, [el("h1", { id: "cm-case-title", text: state.data.title }), languageSwitch()]),
    storySlot(),
    searchControls(),
    timeControls(),
    categories,
    statusControls(),
    panelViewSwitch(),
    nav
  ]);
  state.list = new EventList(panel);
  // The fact-check view takes the list's place when chosen (factcheck.js): it follows the list in the panel.
  if (state.factcheck) { panel.appendChild(state.factcheck.root); }
  panel.appendChild(announcer());
  panel.appendChild(el("div", { className: "cm-panel-foot" }, [
    el("button", { type: "button", text: t("panel.method"), onclick: function () { toggleMethod(true); } }),
    copyLinkButton()
  ]));
  return panel;
}

function languageSwitch() {
  // English, Русский, 中文: each named in its own script and marked with its language (read aloud in its voice); the
  // page's own is pressed. Choosing another reloads this link in it (link.js switchLanguage).
  return el("div", { className: "cm-language", role: "group", "aria-label": t("panel.language") }, LANGUAGES.map(function (language) {
    return el("button", {
      type: "button", className: "cm-language-button", lang: LANGUAGE_TAGS[language], text: t("panel.language_name." + language),
      "aria-pressed": language === currentLanguage() ? "true" : "false",
      onclick: function () { switchLanguage(language); }
    });
  }));
}
