"""UI benchmark: a page interaction (one rerun) against the app's cold start, and the server's resident
memory with 1 and 10 concurrent browser sessions.

Everything is measured on the real thing: `streamlit run ui/app.py` started as `policyatlas ui` starts it,
driven by Debian's Chromium through Playwright on loopback.
- Cold start: from launching the server process to the first page (the world atlas, which loads the KB
  and evaluates every country for the map) fully drawn in the browser.
- Interaction: on the bundle composer (a bundle on its own), ticking or unticking an instrument until the
  page shows the new evaluation (the bundle heading with the new count); the median of several clicks, half
  adding, half removing.
- Pages: every page opened fresh (a new browser tab on its URL, country and bundle in the query: a new
  session, in a new browser context) until it has settled (SETTLED: Streamlit has run the script and is
  idle, no skeleton or spinner is left, every Plotly chart is drawn, the Vega-Lite map has painted its
  canvas, neither the DOM nor any canvas's pixels have changed for QUIET_MS;
  the time is that of the last change; a change inside a <canvas>, its never-drawn fallback content, does
  not count), median of 3; and on every page the widget change a user of that page makes most (WIDGETS),
  from the change itself (the option chosen, the key or Enter pressed, the box clicked: opening a drop-down
  or typing before Enter sends nothing to the server and is not timed) until the page has settled again,
  median of 3. Targets
  (issue 15): a fresh page <= 3 s, a widget change <= 0.5 s. The same two measures on a trivial Streamlit
  page (bench/trivial_app.py), served alongside and measured right after each page, give each figure as a
  ratio to the trivial figures taken under the same load, which is what compares across runs on a shared
  machine.
- Memory: RSS of the server and its children after one session has opened the composer, then after ten
  sessions have each opened the composer with a different bundle (the KB is shared; each session adds its
  own state and rerun).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ui.browser import launch, served_app, tree_rss_mib, wait_idle  # noqa: E402
from ui.i18n import strings  # noqa: E402
from ui.views import DEFAULT, FILES  # noqa: E402

COUNTRY = "KEN"
INSTRUMENTS = ["targeted-cash-transfer", "digital-financial-inclusion", "vocational-skills-programme",
               "unemployment-insurance", "psychosocial-support"]
CLICKS = 10
SESSIONS = 10
EN = strings("en")


def _bundle_heading(page, n: int):
    return page.get_by_role("heading", name=EN["compose.bundle"].format(n=n))


def _open_composer(browser, url: str, bundle: list[str]):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(300_000)
    query = f"?country={COUNTRY}&lang=en&mode=alone" + (f"&bundle={','.join(bundle)}" if bundle else "")
    page.goto(f"{url}/compose{query}")
    _bundle_heading(page, len(bundle)).wait_for()
    return page


REPEATS = 3
VIEWPORT = {"width": 1400, "height": 1000}
PAGE_QUERY = f"?country={COUNTRY}&lang=en&bundle=targeted-cash-transfer,digital-financial-inclusion"
QUIET_MS = 400  # a page has settled when Streamlit is idle and the DOM has not changed for this long
TRIVIAL = Path(__file__).resolve().parent / "trivial_app.py"

#: Installed in every page before its own scripts: records (performance.now(), state) at each change of the
#: script state Streamlit writes on its root element, the time of every message from the server (its
#: WebSocket), and the time of the last change of the DOM.
OBSERVER = """
window.__marks = []; window.__messages = []; window.__last = performance.now();
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => window.__messages.push(performance.now()));
  }
};
new MutationObserver((records) => {
  for (const r of records) {
    // a change inside a <canvas> is its fallback content (the data grid's accessibility table, refreshed
    // 200 ms after each draw): a browser with canvas support never draws it, so it does not delay "settled"
    // (the canvas's own attributes, such as its size, do count)
    const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    const fallback = node && (r.type === 'attributes' && node === r.target
      ? node.parentElement && node.parentElement.closest('canvas') : node.closest('canvas'));
    if (!fallback) window.__last = performance.now();
    if (r.type === 'attributes' && r.attributeName === 'data-test-script-state') {
      window.__marks.push([performance.now(), r.target.getAttribute('data-test-script-state')]);
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
#: True when the page has settled: it has a title; Streamlit ran the script (a run began after `since`, ms:
#: the script state went to "running", or, for a run so quick that the browser never drew that state, the
#: server sent a message) and is idle (script state "notRunning", no running-man status widget, no
#: spinner); no element is still a placeholder (`stSkeleton`: Streamlit draws one while an element's code
#: is being loaded, e.g. the 4.7 MB Plotly chunk, or while a fragment or the script has not sent it yet);
#: every Plotly chart is drawn (its graph div exists, Plotly has no pending promise, and it has drawn a trace
#: or heat map); every Vega-Lite chart (the world map) has a canvas with its shapes painted (a share of the
#: sampled pixels neither blank nor white: the outlines are fetched after the chart is created); and neither
#: the DOM nor the sampled pixels of any canvas have changed for `quiet` ms.
SETTLED = """([since, quiet]) => {
  // a canvas's pixels, sampled: (a signature of them, the share of samples painted: neither blank nor white)
  const canvasState = (canvas) => {
    const context = canvas.width && canvas.height ? canvas.getContext('2d') : null;
    if (!context) return ['empty', 0];
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0, painted = 0, samples = 0;
    for (let i = 0; i < data.length; i += 4 * 61) {
      hash = (hash * 31 + data[i] + 3 * data[i + 1] + 7 * data[i + 2] + 11 * data[i + 3]) % 1000000007;
      samples += 1;
      if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] < 3 * 245) painted += 1;
    }
    return [`${canvas.width}x${canvas.height}:${hash}`, painted / samples];
  };
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || !document.querySelector('h1')) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!window.__marks.some(([t, s]) => t >= since && s === 'running')
      && !window.__messages.some((t) => t >= since)) return false;
  if (document.querySelector('[data-testid=stSkeleton], [data-testid=stSpinner], '
                             + '[data-testid=stStatusWidgetRunningIcon]')) return false;
  // a canvas (the map, the data grids) changes no DOM when it draws: a change of its pixels counts as a change
  // of the page, and a Vega-Lite chart (the map) has settled only once it has painted its shapes
  window.__canvas = window.__canvas || new WeakMap();
  for (const canvas of document.querySelectorAll('canvas')) {
    const [signature, painted] = canvasState(canvas);
    if (window.__canvas.get(canvas) !== signature) {
      window.__canvas.set(canvas, signature);
      window.__last = performance.now();
    }
    if (canvas.closest('[data-testid=stVegaLiteChart]') && painted < 0.01) return false;
  }
  if ([...document.querySelectorAll('[data-testid=stVegaLiteChart]')].some((c) => !c.querySelector('canvas'))) {
    return false;
  }
  for (const chart of document.querySelectorAll('[data-testid=stPlotlyChart]')) {
    const plot = chart.querySelector('.js-plotly-plot');
    if (!plot || !plot._fullLayout || !plot.querySelector('.main-svg')) return false;
    if ((plot._promises || []).length) return false;
    if ((plot.data || []).length && !plot.querySelector('.trace, .hm')) return false;  // .hm: a heat map
  }
  return performance.now() - window.__last >= quiet;
}"""


def _new_page(browser):
    """A new tab: in a new browser context (an empty HTTP cache, a first visit) when given the browser, in the
    given context (its cache already holds the app's scripts, a returning user's new tab) otherwise."""
    page = (browser.new_page(viewport=VIEWPORT) if hasattr(browser, "new_context") else browser.new_page())
    page.set_default_timeout(120_000)
    page.add_init_script(OBSERVER)
    return page


def _settle(page, since: float = 0.0) -> float:
    """Wait until the page has settled after `since` (ms on the page's clock); the time it settled (ms): the
    last change of the DOM before the quiet spell."""
    page.wait_for_function(SETTLED, arg=[since, QUIET_MS], polling=50)
    return page.evaluate("window.__last")


def fresh_load(browser, url: str) -> float:
    """Seconds from navigation start to the page settled, in a new tab (a new Streamlit session); `browser`
    is the browser (a new context: first visit) or a context whose cache is warm (see `_new_page`)."""
    page = _new_page(browser)
    page.goto(url)
    elapsed = _settle(page) / 1000  # performance.now() counts from the navigation's start
    page.close()
    return elapsed


def widget_change(page, action) -> float:
    """Seconds from a widget change to the page settled again. `action` is a pair: what the user does
    before the value changes (open a drop-down, focus a slider, type into a search box; nothing is sent to
    the server, nothing reruns), not timed, then the change itself (choose the option, press the key or
    Enter, click), timed from just before it."""
    before, change = action
    if before is not None:
        before()
    since = page.evaluate("performance.now()")
    change()
    return (_settle(page, since) - since) / 1000


def _pick(page, key: str, choice: int):
    """Choose the option at position `choice` in the select box or multiselect `key`: open it, then pick."""
    return (lambda: page.locator(f".st-key-{key} input").click(),
            lambda: page.get_by_role("option").nth(choice).click())


def _slider(page, widget: str, key: str):
    """Press `key` on the slider with widget key `widget` (react-aria's range input behind the thumb)."""
    box = page.locator(f".st-key-{widget} input")
    return box.focus, lambda: box.press(key)


def _search(page, key: str, text: str):
    """Type `text` into the text box `key` (Streamlit sends it on Enter), then press Enter."""
    box = page.locator(f".st-key-{key} input")
    return lambda: box.fill(text), lambda: box.press("Enter")


def _click(locator):
    return None, locator.click


def widget_actions(page, name: str, step: int):
    """The widget change measured on page `name`, the `step`-th time (alternating, so the page never runs
    out of changes): one a user of that page makes most, as (before, change) for `widget_change`."""
    actions = {
        "atlas": lambda: _pick(page, "_w_map_indicator__en", (1, 2, 1)[step]),
        "country": lambda: _click(page.locator("[data-testid=stSidebar]").get_by_text(
            ("中文", "English", "中文")[step], exact=True)),
        "compare": lambda: _pick(page, "_w_compare__en", 1),  # option 0 is "Select all"
        "compose": lambda: _click(page.locator(".st-key-_w_inst_psychosocial-support label")),
        "plan": lambda: _slider(page, "_w_fiscal_space", ("ArrowRight", "ArrowLeft", "ArrowRight")[step]),
        "simulate": lambda: _slider(page, "sim_years", ("ArrowLeft", "ArrowRight", "ArrowLeft")[step]),
        "evidence": lambda: _search(page, "evidence_search", ("M-Pesa", "Kenya", "cash")[step]),
        "sparql": lambda: _click(page.locator(".st-key-sparql_run button")),
    }
    return actions[name]()


def _prepare(page, name: str) -> None:
    """What a page needs before its widget is changed: a query to run. (Compare starts with the country in
    view; each measured change adds one more, up to its four.)"""
    if name == "sparql":
        before, change = _pick(page, "_w_sparql_library__en", 0)
        before()
        since = page.evaluate("performance.now()")
        change()
        _settle(page, since)


def page_times(browser, url: str, pages=FILES, trivial_url: str | None = None) -> dict[str, dict]:
    """Per page (every page, or those named): fresh loads (a new tab each) and widget changes, REPEATS each;
    with `trivial_url`, the trivial page's two measures right after each page ("trivial"), so that each
    ratio compares figures taken under the same load."""
    out = {}
    for name in pages:
        address = f"{url}/{'' if name == DEFAULT else name}{PAGE_QUERY}"  # the start page lives at "/"
        fresh, returning = fresh_loads(browser, address)
        page = _new_page(browser)
        page.goto(address)
        _settle(page)
        _prepare(page, name)
        changes = []
        for step in range(REPEATS):
            try:
                changes.append(widget_change(page, widget_actions(page, name, step)))
            except Exception as err:  # noqa: BLE001 -- reported in the table as not measured, not fatal
                print(f"{name}: widget change not measured ({type(err).__name__}: {err})", file=sys.stderr)
                break
        page.close()
        out[name] = {"fresh": fresh, "returning": returning, "widget": changes}
        if trivial_url:
            out[name]["trivial"] = trivial_measures(browser, trivial_url)
        print(f"{name}: fresh {fresh}, returning {returning}, widget {changes}", file=sys.stderr, flush=True)
    return out


def _warm_context(browser, url: str):
    """A browser context that has opened `url` once (its HTTP cache holds the app's scripts and styles)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = _new_page(context)
    page.goto(url)
    _settle(page)
    page.close()
    return context


def fresh_loads(browser, url: str) -> tuple[list[float], list[float]]:
    """REPEATS fresh loads of `url` as first visits, then REPEATS as a returning user's new tabs."""
    fresh = [fresh_load(browser, url) for _ in range(REPEATS)]
    warm = _warm_context(browser, url)
    returning = [fresh_load(warm, url) for _ in range(REPEATS)]
    warm.close()
    return fresh, returning


def trivial_measures(browser, url: str) -> dict[str, list[float]]:
    """Fresh loads (first visit and returning) and ticks of bench/trivial_app.py served at `url`, REPEATS each."""
    fresh, returning = fresh_loads(browser, url)
    page = _new_page(browser)
    page.goto(url)
    _settle(page)
    changes = [widget_change(page, _click(page.get_by_text("Tick me"))) for _ in range(REPEATS)]
    page.close()
    return {"fresh": fresh, "returning": returning, "widget": changes}


@contextmanager
def trivial_served(browser) -> Iterator[str]:
    """bench/trivial_app.py served alongside the app with the same settings (its URL), after a first request
    (which compiles the script: not a fresh page)."""
    with served_app(Path(tempfile.mkdtemp(prefix="policyatlas-bench-trivial-")) / "streamlit.log",
                    app=TRIVIAL) as (url, _process):
        fresh_load(browser, url)
        yield url


def trivial_overall(times: dict) -> dict[str, list[float]]:
    """Every trivial measure of the run, pooled (the trivial page's own row)."""
    return {kind: [x for t in times.values() for x in t["trivial"][kind]] for kind in ("fresh", "returning", "widget")}


WIDGETS = {"atlas": "pick another map indicator", "country": "switch the language (sidebar)",
           "compare": "add a country", "compose": "tick or untick an instrument",
           "plan": "move the fiscal-space slider", "simulate": "move the years slider",
           "evidence": "type a search", "sparql": "run a library query"}


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "not measured"


def _ratio(values: list[float], base: list[float]) -> str:
    return f"{statistics.median(values) / statistics.median(base):.1f}×" if values and base else "–"


def pages_table(times: dict) -> list[str]:
    """Markdown rows: per page, fresh load and one widget change (median of REPEATS, in s) with targets and
    their ratio to the trivial page measured right after that page; the trivial page's row pools them all."""
    rows = ["", "| page | first visit (s) | ≤ 3 s | ÷ trivial | new tab, warm cache (s) | ≤ 3 s | ÷ trivial | "
                "widget change | (s) | ≤ 0.5 s | ÷ trivial |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    ok = {True: "yes", False: "**no**"}
    for name, t in times.items():
        fresh, returning, widget, trivial = t["fresh"], t["returning"], t["widget"], t["trivial"]
        rows.append(f"| `/{name}` | {_median(fresh)} | {ok[statistics.median(fresh) <= 3]} | "
                    f"{_ratio(fresh, trivial['fresh'])} | {_median(returning)} | "
                    f"{ok[statistics.median(returning) <= 3]} | {_ratio(returning, trivial['returning'])} | "
                    f"{WIDGETS[name]} | {_median(widget)} | "
                    f"{ok[bool(widget) and statistics.median(widget) <= 0.5]} | {_ratio(widget, trivial['widget'])} |")
    trivial = trivial_overall(times)
    rows.append(f"| trivial page (bench/trivial_app.py) | {_median(trivial['fresh'])} | | 1.0× | "
                f"{_median(trivial['returning'])} | | 1.0× | tick a box | {_median(trivial['widget'])} | | 1.0× |")
    return rows


def run() -> str:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("chromium is not installed (make system-deps): the UI benchmark needs a browser")
    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp(prefix="policyatlas-bench-ui-")) / "streamlit.log"
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            started = time.perf_counter()
            with served_app(log, ready_timeout=300) as (url, process):
                healthy = time.perf_counter() - started
                page = _new_page(browser)
                page.set_default_timeout(300_000)
                opened = time.perf_counter()
                page.goto(url + "/")
                page.get_by_role("heading", name=EN["atlas.title"]).wait_for()
                cold = (opened - started) + _settle(page) / 1000  # the map drawn: its last change
                page.close()

                warmed = wait_idle(process.pid)  # the background warm-up the first session started
                with trivial_served(browser) as trivial_url:
                    times = page_times(browser, url, trivial_url=trivial_url)
                page_rows = pages_table(times)
                page = _open_composer(browser, url, [])
                one_session = tree_rss_mib(process.pid)
                clicks = []
                bundle: list[str] = []
                for n in range(CLICKS):
                    instrument = INSTRUMENTS[n % len(INSTRUMENTS)]
                    bundle = [i for i in bundle if i != instrument] if instrument in bundle else bundle + [instrument]
                    box = page.locator(f".st-key-_w_inst_{instrument} label")
                    began = time.perf_counter()
                    box.click()
                    _bundle_heading(page, len(bundle)).wait_for()
                    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')")
                    clicks.append(time.perf_counter() - began)
                others = [_open_composer(browser, url, INSTRUMENTS[: 1 + k % len(INSTRUMENTS)])
                          for k in range(SESSIONS - 1)]
                ten_sessions = tree_rss_mib(process.pid)
                for other in others:
                    other.close()
                page.close()
        finally:
            browser.close()
    rerun = statistics.median(clicks)
    return "\n".join([
        "## UI (Streamlit app in Chromium)",
        "",
        "`streamlit run ui/app.py` as `policyatlas ui` starts it, driven by headless Chromium (Playwright) on "
        "loopback. Cold start: server launch to the world atlas drawn (KB loaded, every country evaluated). "
        f"Interaction: median of {CLICKS} clicks on the bundle composer ({COUNTRY}, a bundle on its own), each "
        "adding or removing one instrument, until the new evaluation is on screen.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| server answering `/_stcore/health` | {healthy:.1f} s |",
        f"| cold start to the first page drawn | {cold:.1f} s |",
        f"| then until the server is idle (background warm-up done) | {warmed:.1f} s |",
        f"| one interaction (rerun), median | {rerun:.2f} s (min {min(clicks):.2f}, max {max(clicks):.2f}) |",
        f"| **interaction / cold start** | **{rerun / cold:.3f}** |",
        f"| server RSS, 1 session | {one_session:.1f} MiB |",
        f"| server RSS, {SESSIONS} concurrent sessions | {ten_sessions:.1f} MiB |",
        f"| **RSS {SESSIONS} sessions / 1 session** | **{ten_sessions / one_session:.2f}** |",
        f"| RSS per additional session | {(ten_sessions - one_session) / (SESSIONS - 1):.1f} MiB |",
        "",
        f"Per page (issue 15): a fresh tab on each page with a country and a two-instrument bundle in the URL "
        f"(a new Streamlit session), twice: in a new browser context (an empty HTTP cache: a first visit, "
        f"which downloads and compiles Streamlit's scripts and those of every kind of element the page shows, "
        f"e.g. Vega's for the map) and in a context that has opened the "
        f"page once (a returning user's new tab: the scripts come from the cache), from "
        f"navigation start until the page has settled: Streamlit has run the script and is idle (no running "
        f"status, no spinner), no element is still a skeleton (element code loading, a fragment not yet drawn), "
        f"every Plotly chart is drawn (no pending promise, a trace on it), the Vega-Lite map has painted its canvas, "
        f"and neither the DOM nor the pixels of any canvas (the map, the data grids: sampled) have changed for "
        f"{QUIET_MS} ms (the time reported is the last change; a change inside a `<canvas>` is its fallback "
        f"content, which the browser never draws: the data grid refreshes its accessibility table there 200 ms "
        f"after each draw, and that does not count); a widget change, from the change itself (the option "
        f"chosen, the key or Enter pressed, the box clicked; opening a drop-down or typing before Enter sends "
        f"nothing to the server and is not timed) until the page has settled again; "
        f"median of {REPEATS}, after the cold start and the background warm-up (the KB is loaded, every "
        f"country evaluated, the SPARQL workers started: the server's process tree uses under 5 % of a core "
        f"over a second), so that each figure is that of a new visitor to a running server. "
        f"'Trivial' is bench/trivial_app.py (a "
        f"title and a checkbox) served alongside and measured the same way right after each page: each ratio "
        f"divides by the trivial figures taken just after it (the trivial row pools them), which is what "
        f"compares across runs on this shared machine.",
        *page_rows,
        "",
        "The KB (one `Atlas` per process, `st.cache_resource`) is shared by all sessions, so memory grows by "
        "each session's own state and cached answers, not by another copy of the KB. The 1-session figure is "
        "taken after the world atlas has been drawn (every country evaluated for the map), so later sessions "
        "largely reuse memory the first one already made resident; RSS never shrinks in CPython.",
    ]) + "\n"


def pages_only(names: list[str]) -> str:
    """Only the per-page table, for the pages named, with the trivial page (`python bench/bench_ui.py country
    compare`): what one works on while making a page faster; `make bench` runs everything."""
    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp(prefix="policyatlas-bench-ui-")) / "streamlit.log"
    with sync_playwright() as playwright:
        browser = launch(playwright, shutil.which("chromium"))
        try:
            with served_app(log, ready_timeout=300) as (url, process), trivial_served(browser) as trivial_url:
                fresh_load(browser, url + "/")  # the first session loads the KB: not a fresh page
                wait_idle(process.pid)  # and starts the background warm-up: a running server's state is measured
                times = page_times(browser, url, names, trivial_url=trivial_url)
        finally:
            browser.close()
    return "\n".join(pages_table(times))


if __name__ == "__main__":
    print(pages_only(sys.argv[1:]) if sys.argv[1:] else run())
