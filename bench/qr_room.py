"""Row 9 (QR room): a room of phones opening the presenter's view within a minute.

150 complete page loads are started evenly within 60 s against ``gunicorn app:server --workers 2`` with a real
Redis (a throw-away ``redis-server`` on a loopback port), then the same against ``bench/naive_app.py`` under the
same gunicorn. A complete page load is every request a fresh browser makes for the page: first one headless
Chromium loads the view and its requests are recorded (the HTML, every script and stylesheet, ``_dash-layout``,
``_dash-dependencies``, the callbacks it sends while loading (none on a phone today), the region outlines,
including any a baseline's MapLibre fetches from a web worker, which only the server's access log shows).
Each replayed load then makes those requests like a browser: the HTML, then the other GETs six at a time, then
the callbacks one after the other, each with the browser's ``Accept-Encoding``.

Reported per app: errors (non-2xx answers and failed connections), p95 complete-load time, and worker CPU per
page load (user + system time of the gunicorn workers over the run, from ``/proc``, divided by the loads).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import (BROWSER_ACCEPT_ENCODING, MAP_IS_DRAWN, RedisServer, chromium, free_port,
                          gunicorn_command, median, percentile, running, server_env)
from bench.report import Measure

ROW = "9 QR room"
LOADS = 150
WINDOW_SECONDS = 60.0
PARALLEL_GETS = 6  # connections a browser opens to one host
REQUEST_TIMEOUT = 60.0
CAPTURE_TIMEOUT = 150.0
VIEW = "/?present=1&sector=ict"

MAP_DRAWN = f"""
var gd = document.querySelector('#atlas-map .js-plotly-plot');
var pending = window.store ? ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored']
    .reduce(function (n, k) {{ return n + ((window.store.getState().callbacks || {{}})[k] || []).length; }}, 0) : 1;
return ({MAP_IS_DRAWN})(gd) && pending === 0;
"""
#: What the page shows when the map is not drawn in time: each part of ``MAP_DRAWN`` and the callbacks pending.
MAP_STATE = """
var gd = document.querySelector('#atlas-map .js-plotly-plot');
var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
var map = sub && sub.map;
var callbacks = window.store ? (window.store.getState().callbacks || {}) : null;
var pending = {};
if (callbacks) {
    ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored'].forEach(function (k) {
        (callbacks[k] || []).forEach(function (cb) {
            (pending[k] = pending[k] || []).push(cb.callback && cb.callback.output);
        });
    });
}
return {graph: !!gd, traces: gd && gd.data ? gd.data.length : null, maplibre: !!map,
        svg_regions: gd ? gd.querySelectorAll('path.choroplethlocation').length : null,
        style_loaded: map && map.style ? map.style.loaded() : null, map_loaded: map ? map.loaded() : null,
        sources_loading: map && map.style ? (function (tiles) {
            return Object.keys(tiles).filter(function (id) { return !tiles[id].loaded(); });
        })(map.style.tileManagers || map.style.sourceCaches || {}) : null,
        images_loaded: map && map.style && map.style.imageManager ? map.style.imageManager.isLoaded() : null,
        renderer: !!window.store, pending: pending, ready_state: document.readyState};
"""
ACCESS_LOG_FORMAT = "ATLAS_ACCESS %(m)s %(U)s?%(q)s %(s)s"


@dataclass
class PageRequests:
    """What one complete load of the page asks for."""

    page: str
    gets: list[str] = field(default_factory=list)
    posts: list[bytes] = field(default_factory=list)

    @property
    def count(self) -> int:
        return 1 + len(self.gets) + len(self.posts)


@dataclass
class RoomResult:
    seconds: list[float]
    errors: int
    cpu_seconds: float
    requests: int
    started_within: float

    @property
    def cpu_ms_per_load(self) -> float:
        return self.cpu_seconds * 1000 / len(self.seconds)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def logged_gets(log: str) -> list[str]:
    """GET paths of the server's access log, in order."""
    paths = []
    for match in re.finditer(r"^ATLAS_ACCESS GET (\S+) \d+", log, re.MULTILINE):
        paths.append(match.group(1).removesuffix("?"))
    return paths


def capture(server, view: str) -> PageRequests:
    """The requests of one page load in a fresh Chromium, until the map is drawn and no callback is pending."""
    driver = chromium(width=390, height=844, performance_log=True)
    try:
        before = len(logged_gets(server.log()))
        driver.get(server.url + view)
        deadline = time.monotonic() + CAPTURE_TIMEOUT
        while not driver.execute_script(MAP_DRAWN):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the map at {view} was not drawn within {CAPTURE_TIMEOUT:.0f} s\n"
                                   + not_drawn_report(driver, server))
            time.sleep(0.2)
        time.sleep(2.0)  # late requests (the borders' worker, a chart scrolled into view)
        posts = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] != "Network.requestWillBeSent":
                continue
            sent = message["params"]["request"]
            if sent["method"] == "POST" and "_dash-update-component" in sent["url"]:
                posts.append(sent.get("postData", "").encode("utf-8"))
    finally:
        driver.quit()
    gets = [path for path in logged_gets(server.log())[before:] if path != view]
    return PageRequests(page=view, gets=list(dict.fromkeys(gets)), posts=posts)


def not_drawn_report(driver, server) -> str:
    """Why the map is not drawn: the page's own state, its console and the server's last log lines."""
    try:
        page = json.dumps(driver.execute_script(MAP_STATE), sort_keys=True)
    except Exception as error:  # the page itself may be what hangs
        page = f"(the page did not answer: {type(error).__name__}: {error})"
    try:
        console = "\n".join(entry.get("message", "") for entry in driver.get_log("browser")[-20:])
    except Exception as error:
        console = f"(no console: {type(error).__name__})"
    log = "\n".join(server.log().splitlines()[-40:])
    return f"page: {page}\nconsole:\n{console}\nserver log (last lines):\n{log}"


def _fetch(url: str, data: bytes | None = None) -> bool:
    headers = {"Accept-Encoding": BROWSER_ACCEPT_ENCODING}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            return 200 <= response.status < 400
    except (urllib.error.URLError, OSError):
        return False


def page_load(base: str, requests: PageRequests) -> tuple[float, int]:
    """(seconds, failed requests) of one complete page load."""
    started = time.perf_counter()
    failed = 0 if _fetch(base + requests.page) else 1
    with ThreadPoolExecutor(max_workers=PARALLEL_GETS) as pool:
        failed += sum(not ok for ok in pool.map(lambda path: _fetch(base + path), requests.gets))
    for body in requests.posts:
        failed += 0 if _fetch(base + "/_dash-update-component", body) else 1
    return time.perf_counter() - started, failed


def worker_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def room(server, requests: PageRequests, *, loads: int = LOADS, window: float = WINDOW_SECONDS) -> RoomResult:
    """``loads`` page loads started evenly within ``window`` seconds, each on its own thread."""
    workers = server.children()
    if not workers:
        raise RuntimeError("no gunicorn workers found")
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    cpu_before = worker_cpu_seconds(workers)

    def one() -> None:
        outcome = page_load(server.url, requests)
        with lock:
            results.append(outcome)

    threads = []
    started = time.perf_counter()
    for index in range(loads):
        delay = started + index * window / loads - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=one, daemon=True)
        thread.start()
        threads.append(thread)
    started_within = time.perf_counter() - started
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT * (requests.count + 1))
    cpu = worker_cpu_seconds(workers) - cpu_before
    if len(results) != loads:
        raise RuntimeError(f"only {len(results)} of {loads} page loads finished")
    return RoomResult(seconds=[seconds for seconds, _ in results], errors=sum(failed for _, failed in results),
                      cpu_seconds=cpu, requests=loads * requests.count, started_within=started_within)


def run_app(app: str, env: dict[str, str], view: str, *, loads: int = LOADS,
            window: float = WINDOW_SECONDS) -> tuple[RoomResult, PageRequests]:
    port = free_port()
    command = [*gunicorn_command(app, port, workers=2), "--access-logfile", "-",
               "--access-logformat", ACCESS_LOG_FORMAT]
    with running(command, port=port, env=env, ready_path="/") as server:
        requests = capture(server, view)
        return room(server, requests, loads=loads, window=window), requests


def measures(*, quick: bool = False) -> list[Measure]:
    loads = 30 if quick else LOADS
    window = WINDOW_SECONDS * loads / LOADS
    with RedisServer() as redis:
        env = server_env(REDIS_URL=redis.url, ATLAS_COMPRESS="true")
        ours, our_requests = run_app("app:server", env, VIEW, loads=loads, window=window)
        baseline, naive_requests = run_app("bench.naive_app:create_app()", env, "/", loads=loads, window=window)
    note = (f"{loads} loads started within {ours.started_within:.0f} s / {baseline.started_within:.0f} s; "
            f"{our_requests.count} / {naive_requests.count} requests each; gunicorn 2 workers + Redis; "
            f"baseline: bench/naive_app.py")
    return [
        Measure(ROW, "errors (failed requests)", ours.errors, baseline.errors, "", target="0",
                met=ours.errors == 0, note=note),
        Measure(ROW, "complete page load p95", percentile(ours.seconds, 95) * 1000,
                percentile(baseline.seconds, 95) * 1000, "ms",
                note=f"median {median(ours.seconds) * 1000:.0f} / {median(baseline.seconds) * 1000:.0f} ms"),
        Measure(ROW, "worker CPU per page load", ours.cpu_ms_per_load, baseline.cpu_ms_per_load, "ms",
                note="user + system time of both workers over the run / loads"),
    ]
