// time: the time filter (two-thumb range, histogram, axes, presets, lag); a piece of the one casemap script (assets.py)
/* ---------- the side panel: the time filter ----------
 * One track with two thumbs (WAI-ARIA APG "multi-thumb slider"): each thumb is a role=slider with its own keys
 * (arrows one step, Page Up/Down a tenth, Home/End as far as it may go). The thumbs never cross: a thumb stops at the
 * other one. Pushing the other thumb along would change a bound the reader did not touch, and swapping them (what two
 * native sliders did) silently turned "from" into "until"; stopping keeps each thumb meaning what its label says.
 * The scale is by event (buildIndex's ticks: the days events start or end on, under the chosen axis), so quiet
 * centuries take no room; the histogram counts the events that start in each stretch of that scale. */

// The time filter's words, catalogue keys time.* (the axes' names are keyed by the axis: happened, public).
var TIME_TEXT = catalogueTable("time.", ["title", "from", "to", "axis", "happened", "public", "all", "scale", "lag_title", "filter"]);
var HISTOGRAM_BARS = 48;
var DAY_MS = 86400000;

function axisInterval(event) {
  // The interval an event has on the chosen axis: "public" uses when it became public, where the event says so.
  return state.axis === "public" && event.public ? event.public : event.when;
}

function renderRangeLabels() {
  var from = state.ticks[state.range[0]], to = state.ticks[state.range[1]];
  state.rangeLabel.textContent = t("time.range", { from: dayLabel(from), to: dayLabel(to) });
  if (state.time) { state.time.draw(); }
}

function setRange(a, b) {
  // From code (presets, links, the axis switch): clamped, and never crossed (a "from" after "until" keeps one day).
  var max = state.ticks.length - 1;
  a = Math.max(0, Math.min(max, a)); b = Math.max(0, Math.min(max, b));
  state.range = [Math.min(a, b), b];
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

function setAxis(axis) {
  // Switch the axis, keeping the chosen days (snapped to the new axis's ticks); the whole span stays the whole span.
  if (axis !== "public") { axis = "happened"; }
  var whole = state.range[0] === 0 && state.range[1] === state.ticks.length - 1;
  var from = state.ticks[state.range[0]], to = state.ticks[state.range[1]];
  state.axis = axis;
  state.ticks = axisTicks(state.events, axis);
  if (state.time) { state.time.rebuild(); }
  if (whole) { setRange(0, state.ticks.length - 1); }
  else { setRange(tickIndexFor(from, false), tickIndexFor(to, true)); }
}

function tickPosition(iso) {
  // Where a day falls on the scale, in % of the track: between the ticks around it (days need not be ticks).
  var ticks = state.ticks, lo = 0, hi = ticks.length;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (ticks[mid] < iso) { lo = mid + 1; } else { hi = mid; } }
  var max = ticks.length - 1;
  return max ? 100 * Math.min(lo, max) / max : 0;
}

function daysBetween(a, b) {
  return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / DAY_MS);
}

function spanText(days) {
  if (days < 60) { return tn("time.span_days", days); }
  if (days < 730) { return tn("time.span_months", Math.round(days / 30.44)); }
  return tn("time.span_years", Math.round(days / 365.25));
}

function lagText(event) {
  // "known publicly 4 months later": from the end of when it happened (the shortest the lag can be) and from its
  // start (the longest) to the first day it was public; one figure when both read the same.
  if (!event.public) { return ""; }
  var shortest = Math.max(0, daysBetween(event.when.end, event.public.start));
  var longest = Math.max(0, daysBetween(event.when.start, event.public.start));
  if (longest === 0) { return t("time.lag_none"); }
  if (spanText(shortest) === spanText(longest)) { return t("time.lag", { span: spanText(longest) }); }
  if (shortest === 0) { return t("time.lag_up_to", { span: spanText(longest) }); }
  return t("time.lag_between", { shortest: spanText(shortest), longest: spanText(longest) });
}

function thumbElement(label) {
  return el("div", { className: "cm-thumb", role: "slider", tabindex: "0", "aria-label": label, "aria-orientation": "horizontal" });
}

function RangeControl() {
  var self = this;
  this.from = thumbElement(TIME_TEXT.from);
  this.to = thumbElement(TIME_TEXT.to);
  this.fill = el("div", { className: "cm-track-fill" });
  this.track = el("div", { className: "cm-track" }, [el("div", { className: "cm-track-line" }), this.fill, this.from, this.to]);
  this.bars = el("div", { className: "cm-histogram", "aria-hidden": "true" });
  this.lag = el("div", { className: "cm-lag", "aria-hidden": "true", title: TIME_TEXT.lag_title, hidden: true });
  this.marks = el("div", { className: "cm-marks", "aria-hidden": "true" });
  this.root = el("div", { className: "cm-range-control" }, [this.bars, this.lag, this.track, this.marks]);
  [this.from, this.to].forEach(function (thumb, which) {
    thumb.addEventListener("keydown", function (e) { self.onKey(e, which); });
  });
  this.track.addEventListener("pointerdown", function (e) { self.onPointerDown(e); });
  this.track.addEventListener("pointermove", function (e) { self.onPointerMove(e); });
  this.track.addEventListener("pointerup", function () { self.grabbed = -1; });
  this.track.addEventListener("pointercancel", function () { self.grabbed = -1; });
  this.grabbed = -1;
  this.rebuild();
}

RangeControl.prototype.moveThumb = function (which, value) {
  // Move one thumb; it stops at the other (see the note at the top).
  var max = state.ticks.length - 1, range = state.range.slice();
  value = Math.round(value);
  range[which] = which === 0 ? Math.max(0, Math.min(range[1], value)) : Math.min(max, Math.max(range[0], value));
  if (range[which] !== state.range[which]) { state.range = range; applyFilter(); }
};

RangeControl.prototype.onKey = function (e, which) {
  var max = state.ticks.length - 1, now = state.range[which], page = Math.max(1, Math.round(max / 10));
  var moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -page, PageUp: page };
  var next;
  if (e.key === "Home") { next = which === 0 ? 0 : state.range[0]; }
  else if (e.key === "End") { next = which === 0 ? state.range[1] : max; }
  else if (hasOwn.call(moves, e.key)) { next = now + moves[e.key]; }
  else { return; }
  e.preventDefault();
  this.moveThumb(which, next);
};

RangeControl.prototype.valueAt = function (clientX) {
  var box = this.track.getBoundingClientRect(), max = state.ticks.length - 1;
  return box.width ? Math.max(0, Math.min(1, (clientX - box.left) / box.width)) * max : 0;
};

RangeControl.prototype.onPointerDown = function (e) {
  // The nearer thumb follows the pointer; on one day both lie together, and the first move says which is wanted.
  if (e.button !== undefined && e.button !== 0) { return; }
  e.preventDefault();
  var value = this.valueAt(e.clientX), a = state.range[0], b = state.range[1];
  this.startX = e.clientX;
  this.grabbed = a === b ? -2 : (Math.abs(value - a) <= Math.abs(value - b) ? 0 : 1);
  if (this.track.setPointerCapture && e.pointerId !== undefined) { this.track.setPointerCapture(e.pointerId); }
  if (this.grabbed >= 0) { this.moveThumb(this.grabbed, value); }
  (this.grabbed === 1 ? this.to : this.from).focus({ preventScroll: true });
};

RangeControl.prototype.onPointerMove = function (e) {
  if (this.grabbed === -1) { return; }
  if (this.grabbed === -2) {
    if (e.clientX === this.startX) { return; }
    this.grabbed = e.clientX < this.startX ? 0 : 1;
    (this.grabbed === 1 ? this.to : this.from).focus({ preventScroll: true });
  }
  this.moveThumb(this.grabbed, this.valueAt(e.clientX));
};

RangeControl.prototype.rebuild = function () {
  // What depends on the axis's ticks: the histogram's bars and the year marks.
  var max = state.ticks.length - 1, counts = [], top = 1, n = Math.min(HISTOGRAM_BARS, max + 1);
  for (var k = 0; k < n; k++) { counts.push(0); }
  state.events.forEach(function (event) {
    var bar = Math.min(n - 1, Math.floor(tickPosition(axisInterval(event).start) / 100 * n));
    counts[bar]++;
  });
  counts.forEach(function (count) { top = Math.max(top, count); });
  this.bars.textContent = "";
  this.barNodes = counts.map(function (count, k) {
    var bar = el("span", { className: "cm-bar" });
    bar.style.left = (100 * k / n) + "%"; bar.style.width = (100 / n) + "%";
    bar.style.height = (count ? Math.max(8, 100 * count / top) : 0) + "%";
    this.bars.appendChild(bar);
    return bar;
  }, this);
  this.barCount = n;
  this.marks.textContent = "";
  var lastYear = null, lastPos = -100;
  state.ticks.forEach(function (tick, i) {
    // Year marks at their places on the scale, far enough apart to read.
    var year = tick.slice(0, 4), pos = max ? (100 * i / max) : 0;
    if (year !== lastYear && pos - lastPos > 12) {
      var mark = el("span", { text: year }); mark.style.left = pos + "%"; this.marks.appendChild(mark); lastPos = pos;
    }
    lastYear = year;
  }, this);
};

RangeControl.prototype.draw = function () {
  var max = state.ticks.length - 1, a = state.range[0], b = state.range[1];
  var left = max ? 100 * a / max : 0, right = max ? 100 * b / max : 100, n = this.barCount;
  this.from.style.left = left + "%"; this.to.style.left = right + "%";
  this.fill.style.left = left + "%"; this.fill.style.width = (right - left) + "%";
  // APG: each thumb's range ends at the other thumb, so a screen reader hears how far it may go.
  [[this.from, a, 0, b], [this.to, b, a, max]].forEach(function (thumb) {
    thumb[0].setAttribute("aria-valuenow", String(thumb[1]));
    thumb[0].setAttribute("aria-valuemin", String(thumb[2]));
    thumb[0].setAttribute("aria-valuemax", String(thumb[3]));
    thumb[0].setAttribute("aria-valuetext", dayLabel(state.ticks[thumb[1]]));
  });
  this.barNodes.forEach(function (bar, k) {
    var middle = 100 * (k + 0.5) / n;
    bar.classList.toggle("cm-bar-out", middle < left - 100 / n / 2 || middle > right + 100 / n / 2);
  });
  this.showLag(state.selected);
};

RangeControl.prototype.showLag = function (i) {
  // Only the selected event's lag is drawn: the lags of all events in view overlap into a hatch nobody can read.
  var event = i === null || i === undefined ? null : state.events[i];
  this.lag.hidden = !(event && event.public);
  if (this.lag.hidden) { return; }
  var start = tickPosition(event.when.start), end = tickPosition(event.public.start);
  this.lag.style.left = Math.min(start, end) + "%";
  this.lag.style.width = Math.max(0.5, Math.abs(end - start)) + "%";
};

function axisSwitch() {
  // Two radio buttons: a native group, so the arrow keys and screen readers work as they do everywhere.
  var boxes = ["happened", "public"].map(function (axis) {
    var box = el("input", { type: "radio", name: "cm-axis", value: axis, checked: axis === state.axis,
      onchange: function () { if (box.checked) { setAxis(axis); } } });
    return el("label", { className: "cm-axis-option" }, [box, el("span", { text: TIME_TEXT[axis] })]);
  });
  state.axisBoxes = boxes.map(function (label) { return label.firstChild; });
  return el("div", { className: "cm-axis", role: "radiogroup", "aria-label": TIME_TEXT.axis }, boxes);
}

function syncAxisSwitch() {
  (state.axisBoxes || []).forEach(function (box) { box.checked = box.value === state.axis; });
}

function timeControls() {
  state.rangeLabel = el("span", { className: "cm-range-label", "aria-live": "polite" });
  state.time = new RangeControl();
  // "All time", then the case's own presets (case.yaml `time_presets`).
  var presets = el("div", { className: "cm-presets" }, [
    axisSwitch(),
    el("button", { type: "button", text: TIME_TEXT.all, onclick: function () { setRange(0, state.ticks.length - 1); } })
  ].concat(list(state.data.timePresets).map(function (preset) {
    return el("button", { type: "button", text: text(preset.label), onclick: function () {
      setRange(tickIndexFor(text(preset.start), false), tickIndexFor(text(preset.end), true));
    } });
  })));
  return el("div", { className: "cm-time", role: "group", "aria-label": TIME_TEXT.filter }, [
    el("div", { className: "cm-section-title" }, [TIME_TEXT.title, " ", state.rangeLabel]),
    state.time.root,
    el("div", { className: "cm-scale-note", text: TIME_TEXT.scale }),
    presets
  ]);
}
