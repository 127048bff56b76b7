"""Open built pages in headless Chromium (Debian's, through Playwright) with the network cut off, and measure.

Every request that is not file:, data:, blob: or about: is counted and aborted. An init script (run before
the page's own scripts; not subject to the page's CSP) records, on the page's clock (performance.now(), zero
at navigation start):

- how long JSON.parse spends on large strings (the case payload), and when;
- when Casemap.start begins, returns, and (if it returns a promise) settles;
- when the page sets data-casemap-ready ("ready"), and the first frame after that (requestAnimationFrame,
  then a task): "drawn".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import ViewportSize

from headless import CHROMIUM, CHROMIUM_ARGS

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
VIEWPORT: ViewportSize = {"width": 1400, "height": 850}

INIT_SCRIPT = r"""
(() => {
  const marks = {
    jsonParseMs: 0, jsonParseChars: 0, jsonParseAt: null, jsonParseEnd: null,
    startBegin: null, startEnd: null, startSettled: null, ready: null, readyValue: null, drawn: null,
    inflateAt: null, utf8At: null, utf8Ms: 0
  };
  Object.defineProperty(window, "__bench", { value: marks, enumerable: false });
  const now = () => performance.now();
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    const t0 = now();
    const value = parse.call(JSON, text, reviver);
    if (typeof text === "string" && text.length > 20000) {
      if (marks.jsonParseAt === null) { marks.jsonParseAt = t0; }
      marks.jsonParseEnd = now();
      marks.jsonParseMs += marks.jsonParseEnd - t0;
      marks.jsonParseChars += text.length;
    }
    return value;
  };
  // The data block's decoding in its steps: base 85 until the page makes its inflater (inflateAt), then the
  // inflating until the first large UTF-8 decode (utf8At), and the time in UTF-8 decodes of 20 KB or more (utf8Ms;
  // search.js's UTF-16 decodes are not counted).
  const Inflater = window.DecompressionStream;
  if (Inflater) {
    window.DecompressionStream = function (format) {
      if (marks.inflateAt === null) { marks.inflateAt = now(); }
      return new Inflater(format);
    };
  }
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (input, options) {
    if (this.encoding !== "utf-8" || !input || input.byteLength < 20000) { return decode.call(this, input, options); }
    const t0 = now();
    try { return decode.call(this, input, options); }
    finally { if (marks.utf8At === null) { marks.utf8At = t0; } marks.utf8Ms += now() - t0; }
  };
  // Casemap.start may finish synchronously or return a promise (the data block is inflated asynchronously).
  let app;
  Object.defineProperty(window, "Casemap", {
    configurable: true,
    enumerable: true,
    get() { return app; },
    set(value) {
      app = value;
      if (!value || typeof value.start !== "function" || value.start.__bench) { return; }
      const start = value.start;
      const wrapped = function () {
        marks.startBegin = now();
        let result;
        try { result = start.apply(this, arguments); return result; }
        finally {
          marks.startEnd = now();
          const settled = () => { marks.startSettled = now(); };
          if (result && typeof result.then === "function") { result.then(settled, settled); } else { settled(); }
        }
      };
      wrapped.__bench = true;
      value.start = wrapped;
    }
  });
  // Ready = the page sets data-casemap-ready (to "true", or "failed"); drawn = the first frame after that.
  new MutationObserver(() => {
    const root = document.documentElement;
    const value = root && root.getAttribute("data-casemap-ready");
    if (!value || marks.ready !== null) { return; }
    marks.ready = now();
    marks.readyValue = value;
    requestAnimationFrame(() => setTimeout(() => { marks.drawn = now(); }, 0));
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-casemap-ready"] });
})();
"""

# Waits use selectors and page.evaluate, never wait_for_function: polling a predicate string needs eval,
# which the page's Content-Security-Policy forbids.
OURS_READY_SELECTOR = "html[data-casemap-ready]"
# The baseline is drawn when Leaflet has put vector paths into a map's overlay pane.
BASELINE_READY_SELECTOR = ".leaflet-container .leaflet-overlay-pane path"

FILTER_SCRIPT = r"""
async (fractions) => {
  const s = window.Casemap.state;
  const max = s.ticks.length - 1;
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const out = [];
  for (const f of fractions) {
    const value = String(Math.round(max * f));
    const t0 = performance.now();
    s.time.moveThumb(0, Number(value));  // what a drag or a key on the "from" thumb does (time.js)
    const t1 = performance.now();
    await frame();
    const t2 = performance.now();
    out.push({ from: value, shown: s.shown.length, syncMs: t1 - t0, frameMs: t2 - t0 });
  }
  return out;
}
"""
# Move the start of the range: 10 %, 50 %, 90 %, 30 % of the time ticks, then back to all (0 %).
FILTER_FRACTIONS = [0.1, 0.5, 0.9, 0.3, 0.0]

# The search: what typing does (search.js listens to "input" on state.searchInput and calls setQuery, which filters
# the list and ranks the results). The queries come from the page's own events (words of titles a third and two
# thirds of the way down the list, one word's beginning, two words at once) and one that matches nothing, then the
# box is emptied. The page folds the events' texts for the search while it is idle (search.js prepareSearch): the
# queries wait for that (up to 2 minutes; when it was ready, on the page clock, is recorded), as a reader who starts
# typing a few seconds after the map appears would. The first query is kept apart all the same.
SEARCH_SCRIPT = r"""
async () => {
  const s = window.Casemap.state, input = s.searchInput, events = s.events;
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const indexed = () => (s.searchIndex && s.searchIndex.blocks || []).reduce((n, b) => n + b.title.ends.length, 0);
  const waitFrom = performance.now();
  while (indexed() < events.length && performance.now() - waitFrom < 120000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const indexReadyMs = indexed() >= events.length ? performance.now() : null;
  const words = (k) => String(events[Math.floor(k * events.length)] ? events[Math.floor(k * events.length)].title : "")
    .split(/\s+/).filter((w) => w.length >= 5);
  const a = words(1 / 3), b = words(2 / 3);
  const queries = [a[0] || "case", b[0] || "place", (a[1] || "river").slice(0, 4),
    (b[1] || "event") + " " + (a[0] || ""), "qzxqzxq", ""];
  const out = [];
  for (const query of queries) {
    input.value = query;
    const t0 = performance.now();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const t1 = performance.now();
    await frame();
    const t2 = performance.now();
    out.push({ query: query, shown: s.shown.length, syncMs: t1 - t0, frameMs: t2 - t0, indexReadyMs: indexReadyMs });
  }
  return out;
}
"""


@dataclass
class Load:
    """One page load."""

    drew: bool
    requests: list[str]
    wall_ms: float  # from page.goto() to the wait returning (Playwright's view)
    drawn_ms: float | None = None  # from navigation start to the first frame after ready (page clock)
    marks: dict[str, Any] = field(default_factory=dict)
    timing: dict[str, float] = field(default_factory=dict)
    heap_used: float | None = None
    heap_total: float | None = None
    errors: list[str] = field(default_factory=list)
    search_runs: list[dict[str, Any]] = field(default_factory=list)


class Browser:
    """One Chromium for the whole benchmark."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)

    @property
    def version(self) -> str:
        return self.browser.version

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()

    def _open(self) -> tuple[Any, Any, Load]:
        context = self.browser.new_context(viewport=VIEWPORT)
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        load = Load(drew=False, requests=[], wall_ms=0.0)
        page.on("console", lambda m: load.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: load.errors.append(f"page error: {e}"))

        def route(route: Any) -> None:
            if route.request.url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                load.requests.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        return context, page, load

    def load(
        self,
        path: Path,
        *,
        ours: bool,
        timeout_ms: int = 15_000,
        measure_filter: bool = False,
        profile: bool = False,
    ) -> tuple[Load, list[dict[str, Any]] | None, dict[str, Any] | None]:
        """Open `path` offline; wait until drawn (or time out); optionally time the filter (returned) and the
        search (`load.search_runs`), and CPU-profile the load."""
        context, page, load = self._open()
        cdp = context.new_cdp_session(page)
        profile_data = None
        filter_runs = None
        try:
            if profile:
                _start_profiler(page, cdp, path)
            t0 = time.perf_counter()
            _wait_until_drawn(page, load, path, ours=ours, timeout_ms=timeout_ms)
            load.wall_ms = (time.perf_counter() - t0) * 1000
            if profile:
                profile_data = cdp.send("Profiler.stop")["profile"]
                cdp.send("Profiler.disable")
            _read_clock(page, load, ours=ours)
            if ours and load.drew and measure_filter:
                filter_runs = page.evaluate(FILTER_SCRIPT, FILTER_FRACTIONS)
                load.search_runs = page.evaluate(SEARCH_SCRIPT)
            _read_heap(cdp, load)
        finally:
            context.close()
        return load, filter_runs, profile_data


def _start_profiler(page: Any, cdp: Any, path: Path) -> None:
    # Stay in one renderer: first a local page, then start the profiler, then the map.
    page.goto((path.parent / "blank.html").resolve().as_uri())
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 250})
    cdp.send("Profiler.start")


def _wait_until_drawn(page: Any, load: Load, path: Path, *, ours: bool, timeout_ms: int) -> None:
    """Navigate and wait for the ready selector; for our page, also for the first frame after ready."""
    t0 = time.perf_counter()
    try:
        page.goto(path.resolve().as_uri(), wait_until="commit", timeout=timeout_ms)
        remaining = max(1_000, timeout_ms - (time.perf_counter() - t0) * 1000)
        selector = OURS_READY_SELECTOR if ours else BASELINE_READY_SELECTOR
        page.wait_for_selector(selector, state="attached", timeout=remaining)
        load.drew = True
    except PlaywrightTimeoutError as error:
        load.drew = False
        load.errors.append(f"timed out: {str(error).splitlines()[0]}")
    if ours and load.drew:
        # The first frame after ready: poll the init script's mark (a few frames at most).
        for _ in range(200):
            marks = page.evaluate("() => Object.assign({}, window.__bench || {})")
            if marks.get("drawn") is not None:
                break
            time.sleep(0.01)
        if marks.get("readyValue") != "true":
            load.drew = False
            load.errors.append(f"data-casemap-ready={marks.get('readyValue')!r}")


def _read_clock(page: Any, load: Load, *, ours: bool) -> None:
    """The init script's marks and the navigation timing, on the page's clock."""
    load.marks = page.evaluate("() => Object.assign({}, window.__bench || {})")
    load.timing = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n ? { responseEnd: n.responseEnd, domInteractive: n.domInteractive,"
        " domContentLoaded: n.domContentLoadedEventEnd, loadEnd: n.loadEventEnd } : {}; }"
    )
    if load.drew:
        load.drawn_ms = load.marks.get("drawn") if ours else page.evaluate("() => performance.now()")


def _read_heap(cdp: Any, load: Load) -> None:
    """JS heap after a forced garbage collection (CDP Performance metrics)."""
    cdp.send("HeapProfiler.collectGarbage")
    cdp.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    load.heap_used = metrics.get("JSHeapUsedSize")
    load.heap_total = metrics.get("JSHeapTotalSize")
