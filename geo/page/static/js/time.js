// time: the time filter (range, labels, year marks, presets); a piece of the one casemap script (assets.py)
/* ---------- the side panel: search, time filter, list ---------- */

function renderRangeLabels() {
  var from = state.ticks[state.range[0]], to = state.ticks[state.range[1]];
  state.rangeLabel.textContent = from + " – " + to;
  state.fromInput.setAttribute("aria-valuetext", dayLabel(from));
  state.toInput.setAttribute("aria-valuetext", dayLabel(to));
}

function setRange(a, b) {
  var max = state.ticks.length - 1;
  a = Math.max(0, Math.min(max, a)); b = Math.max(0, Math.min(max, b));
  if (a > b) { var t = a; a = b; b = t; }
  state.range = [a, b];
  state.fromInput.value = String(a); state.toInput.value = String(b);
  applyFilter();
}

function tickIndexFor(iso, last) {
  // "from": the first tick on or after iso; "to": the last tick on or before it.
  var ticks = state.ticks, i;
  if (!last) {
    for (i = 0; i < ticks.length; i++) { if (ticks[i] >= iso) { return i; } }
    return ticks.length - 1;
  }
  for (i = ticks.length - 1; i >= 0; i--) { if (ticks[i] <= iso) { return i; } }
  return 0;
}

function timeControls() {
  var max = state.ticks.length - 1;
  state.fromInput = el("input", { type: "range", min: "0", max: String(max), step: "1", value: "0", "aria-label": "Show events from", className: "cm-range cm-from" });
  state.toInput = el("input", { type: "range", min: "0", max: String(max), step: "1", value: String(max), "aria-label": "Show events until", className: "cm-range cm-to" });
  state.rangeLabel = el("div", { className: "cm-range-label", "aria-live": "polite" });
  var onInput = function () { setRange(Number(state.fromInput.value), Number(state.toInput.value)); };
  state.fromInput.addEventListener("input", onInput);
  state.toInput.addEventListener("input", onInput);
  // Year marks at their ordinal positions: the scale is by event, so gaps in time take no room.
  var marks = el("div", { className: "cm-marks", "aria-hidden": "true" });
  var lastYear = null, lastPos = -100;
  state.ticks.forEach(function (tick, i) {
    var year = tick.slice(0, 4), pos = max ? (100 * i / max) : 0;
    if (year !== lastYear && pos - lastPos > 12) {
      var mark = el("span", { text: year }); mark.style.left = pos + "%"; marks.appendChild(mark); lastPos = pos;
    }
    lastYear = year;
  });
  // "All time", then the case's own presets (case.yaml `time_presets`).
  var presets = el("div", { className: "cm-presets" }, [
    el("button", { type: "button", text: "All time", onclick: function () { setRange(0, max); } })
  ].concat(list(state.data.timePresets).map(function (preset) {
    return el("button", { type: "button", text: text(preset.label), onclick: function () {
      setRange(tickIndexFor(text(preset.start), false), tickIndexFor(text(preset.end), true));
    } });
  })));
  return el("div", { className: "cm-time", role: "group", "aria-label": "Time filter" }, [
    el("div", { className: "cm-section-title" }, ["Time ", state.rangeLabel]),
    el("div", { className: "cm-ranges" }, [state.fromInput, state.toInput]), marks, presets
  ]);
}
