"""Rows 5 and 6, in headless Chromium: a filter click until the map has repainted, and the first page's weight.

Row 5 installs two listeners in the page: a capturing click handler on the sector checklist that records
``performance.now()`` (and a ``performance.mark``) at the click, and ``gd.on('plotly_afterplot')`` on the map's
graph div that records ``performance.now()`` at every repaint. A change's time is from the click to the first
repaint after it; the next click waits until the page is quiet again (no repaint for a while and no Dash
callback pending). Baseline: the same clicks against ``bench/naive_app.py``, whose callback sends the whole
figure (inline GeoJSON) on every change. One warm-up click precedes the measured ones (not with ``--quick``).
Each app gets a time budget for its clicks (120 s, 20 s with ``--quick``); an app too slow to make all of
them within it is measured on the clicks it made (at least one), and the table says how many.

Row 6 loads ``/`` in a fresh Chromium (empty profile, so nothing comes from the browser cache), waits for the
map to be drawn and the network to be quiet, and adds up ``transferSize``, ``encodedBodySize`` and
``decodedBodySize`` of the navigation and every resource entry (scripts, CSS, ``_dash-layout``,
``_dash-dependencies``, any callback it sends, the region GeoJSON), with compression on against
``ATLAS_COMPRESS=0``. A baseline's MapLibre fetches GeoJSON in a web worker, whose requests the page's
Performance API does not list: requests in the server's access log that the page did not list are fetched
once more with the browser's ``Accept-Encoding`` and added with their body sizes. Row 5's first page load (a
fresh browser too) doubles as the compressed measurement when it ran; row 6 then loads only the
uncompressed page.
"""

from __future__ import annotations

import re
import sys
import time
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from bench.common import (BROWSER_ACCEPT_ENCODING, MAP_IS_DRAWN, chromium, decode_body, free_port, median,
                          running, server_env)
from bench.report import Measure

ROW_CLICK = "5 in the browser"
ROW_WEIGHT = "6 page weight"

#: Sector checkboxes to click, in order; each click toggles one (on, then later off again).
CLICKS = ("ict", "energy_greentech", "mechatronics_engineering", "ict", "chemistry_materials",
          "energy_greentech", "life_sciences", "mechatronics_engineering", "agrifood", "chemistry_materials",
          "mobility_automotive", "life_sciences", "tourism_services", "agrifood", "construction_wood",
          "mobility_automotive", "aerospace", "tourism_services", "construction_wood", "aerospace")
WARM_UP_CLICKS = ("other",)
PAGE_TIMEOUT = 150.0
CLICK_TIMEOUT = 90.0

PLOT_READY = f"""
var gd = document.querySelector('#atlas-map .js-plotly-plot');
return ({MAP_IS_DRAWN})(gd);
"""

INSTALL = """
var gd = document.querySelector('#atlas-map .js-plotly-plot');
window.__atlasBench = {clicks: [], plots: []};
gd.on('plotly_afterplot', function () { window.__atlasBench.plots.push(performance.now()); });
document.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('#atlas-sectors')) {
        performance.mark('atlas-filter-click');
        window.__atlasBench.clicks.push(performance.now());
    }
}, true);
return true;
"""

CLICK = """
var input = document.querySelector('#atlas-sectors input[value="' + arguments[0] + '"]');
if (!input) { return false; }
input.scrollIntoView({block: 'center'});
input.click();
return true;
"""

#: The last click, the repaints so far, now, and how many Dash callbacks are still on their way.
STATUS = """
var c = window.store ? window.store.getState().callbacks : {};
var pending = ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored']
    .reduce(function (sum, key) { return sum + ((c[key] || []).length); }, 0);
var b = window.__atlasBench;
return [b.clicks.length ? b.clicks[b.clicks.length - 1] : null, b.plots.slice(), performance.now(), pending];
"""

ENTRIES = """
return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(
    function (e) { return [e.name, e.initiatorType, e.transferSize, e.encodedBodySize, e.decodedBodySize]; });
"""


def wait_for(driver, script: str, *, timeout: float, interval: float = 0.1, what: str = "") -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if driver.execute_script(script):
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what or script[:60]}")


def open_map(driver, url: str, *, timeout: float = PAGE_TIMEOUT) -> None:
    driver.get(url)
    wait_for(driver, PLOT_READY, timeout=timeout, what="the map to be drawn")


def click_and_time(driver, sector: str, *, timeout: float = CLICK_TIMEOUT, quiet: float = 0.5) -> float:
    """Milliseconds from the click on ``sector`` to the map's first repaint after it. Returns once the page
    is quiet (no repaint for ``quiet`` seconds and no callback pending), so changes do not overlap."""
    if not driver.execute_script(CLICK, sector):
        raise RuntimeError(f"no checkbox for sector {sector!r}")
    deadline = time.perf_counter() + timeout
    first = None
    while time.perf_counter() < deadline:
        clicked, plots, now, pending = driver.execute_script(STATUS)
        after = [p for p in plots if clicked is not None and p >= clicked]
        if after:
            first = after[0] - clicked
            if pending == 0 and now - after[-1] >= quiet * 1000:
                return first
        time.sleep(0.05)
    if first is not None:
        return first
    raise TimeoutError(f"the map did not repaint within {timeout:.0f} s of clicking {sector!r}")


@dataclass
class PageWeight:
    transferred: int
    encoded: int
    decoded: int
    requests: int
    from_worker: int


PENDING_CALLBACKS = """
var c = window.store ? window.store.getState().callbacks : {};
return ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored']
    .reduce(function (sum, key) { return sum + ((c[key] || []).length); }, 0);
"""


def settled_entries(driver, *, quiet: float = 1.5, timeout: float = 120) -> list:
    """The page's resource entries once no Dash callback is pending and no new entry has appeared for
    ``quiet`` seconds (a page whose main thread is busy lists nothing new, so quiet alone is not enough)."""
    deadline = time.perf_counter() + timeout
    entries = driver.execute_script(ENTRIES)
    last_change = time.perf_counter()
    while time.perf_counter() < deadline:
        time.sleep(0.25)
        current = driver.execute_script(ENTRIES)
        if len(current) != len(entries):
            entries, last_change = current, time.perf_counter()
        elif time.perf_counter() - last_change >= quiet and driver.execute_script(PENDING_CALLBACKS) == 0:
            break
    return entries


ACCESS_LOG_GET = re.compile(r'"GET (\S+) HTTP/[\d.]+" 200 ')


def unlisted_requests(server_log: str, entries: list) -> list[str]:
    """Paths the server answered with 200 to a GET that the page's Performance API does not list."""
    listed = {urlsplit(entry[0]).path + (f"?{urlsplit(entry[0]).query}" if urlsplit(entry[0]).query else "")
              for entry in entries}
    seen, missing = set(), []
    for path in ACCESS_LOG_GET.findall(server_log):
        if path not in listed and path not in seen and not path.startswith("/healthz"):
            missing.append(path)
        seen.add(path)
    return missing


def body_sizes(url: str) -> tuple[int, int]:
    """``(encoded, decoded)`` body bytes of ``url`` as the browser would receive it."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    return len(body), len(decode_body(body, encoding))


def first_load_weight(driver, server) -> PageWeight:
    entries = settled_entries(driver)
    weight = PageWeight(transferred=sum(e[2] for e in entries), encoded=sum(e[3] for e in entries),
                        decoded=sum(e[4] for e in entries), requests=len(entries), from_worker=0)
    for path in unlisted_requests(server.log(), entries):
        encoded, decoded = body_sizes(server.url + path)
        weight.transferred += encoded
        weight.encoded += encoded
        weight.decoded += decoded
        weight.requests += 1
        weight.from_worker += 1
    return weight


#: The compressed first load measured by row 5's atlas session, reused by row 6.
_first_load_compressed: PageWeight | None = None


@dataclass
class ClickRun:
    times: list[float]
    planned: int
    budget_reached: bool


def click_run(command: list[str], clicks: tuple[str, ...], *, budget: float, warm_up: bool = True,
              measure_weight: bool = False) -> ClickRun:
    global _first_load_compressed
    port = free_port()
    with running(command, port=port, env=server_env(PORT=str(port)), ready_path="/") as server:
        driver = chromium()
        try:
            open_map(driver, server.url + "/")
            if measure_weight:
                _first_load_compressed = first_load_weight(driver, server)
            driver.execute_script(INSTALL)
            for sector in WARM_UP_CLICKS if warm_up else ():
                click_and_time(driver, sector)
            started = time.perf_counter()
            times = []
            for sector in clicks:
                if times and time.perf_counter() - started > budget:
                    return ClickRun(times, len(clicks), budget_reached=True)
                times.append(click_and_time(driver, sector))
            return ClickRun(times, len(clicks), budget_reached=False)
        finally:
            driver.quit()


def click_measures(*, quick: bool = False) -> list[Measure]:
    clicks = CLICKS[:5] if quick else CLICKS
    budget = 20.0 if quick else 120.0
    ours = click_run([sys.executable, "app.py"], clicks, budget=budget, warm_up=not quick, measure_weight=True)
    naive = click_run([sys.executable, "bench/naive_app.py"], clicks, budget=budget, warm_up=not quick)
    note = "baseline: naive_app.py, full figure per change"
    if ours.budget_reached or naive.budget_reached:
        note += (f"; time budget {budget:.0f} s reached after {len(ours.times)} (atlas) and "
                 f"{len(naive.times)} (baseline) of {len(clicks)} clicks")
    return [Measure(ROW_CLICK, f"click → map repainted (median of {len(ours.times)}/{len(naive.times)})",
                    median(ours.times), median(naive.times), "ms", note=note)]


def page_weight(compress: bool) -> PageWeight:
    port = free_port()
    env = server_env(PORT=str(port), ATLAS_COMPRESS="1" if compress else "0")
    with running([sys.executable, "app.py"], port=port, env=env, ready_path="/healthz") as server:
        driver = chromium()
        try:
            open_map(driver, server.url + "/")
            return first_load_weight(driver, server)
        finally:
            driver.quit()


def weight_measures() -> list[Measure]:
    on = _first_load_compressed or page_weight(compress=True)
    off = page_weight(compress=False)
    worker = f"; {on.from_worker} fetched by a web worker, sized from the access log" if on.from_worker else ""
    return [
        Measure(ROW_WEIGHT, f"first load of /, bytes transferred ({on.requests}/{off.requests} requests)",
                on.transferred, off.transferred, "B", note=f"baseline: ATLAS_COMPRESS=0{worker}"),
        Measure(ROW_WEIGHT, "first load of /, bodies as sent (encoded)", on.encoded, off.encoded, "B"),
        Measure(ROW_WEIGHT, "first load of /, bodies decoded", on.decoded, off.decoded, "B"),
    ]
