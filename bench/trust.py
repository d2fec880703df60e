"""Row 7 (trust): what bad input, export storms, a hung Redis and many distinct searches do to the atlas.

- fuzz: mutated callback payloads over every callback plus hostile URLs through Flask's test client
  (``bench/fuzz.py``); the count of 5xx answers must be 0.
- exports: ``gunicorn -c gunicorn.conf.py`` (2 threaded workers); the p95 of ``GET /`` and of a filter change
  (the map callback) while idle is the baseline, then again while 8 clients loop exports of distinct views
  (target: within 2 × idle); plus the memory of the web workers and of the render processes after them.
- Redis hangs: the same server with ``REDIS_URL``; requests/s over distinct views with Redis answering is the
  baseline, then with Redis stopped by SIGSTOP.
- cache size: N distinct ``?q=`` searches through the in-process cache; its size against N × one entry.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import (REPO, RedisServer, descendants, free_port, http_status, percentile, rss_kib, running,
                          server_env)
from bench.filter_change import request_bodies
from bench.report import Measure

ROW = "7 trust"
EXPORT_CLIENTS = 8
JSON_HEADERS = {"Content-Type": "application/json"}


def gunicorn_conf_command(port: int, workers: int = 2) -> list[str]:
    import sys

    return [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"), "app:server",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]


def fuzz_measures(*, quick: bool) -> list[Measure]:
    from bench import fuzz
    from dashboard.factory import create_app

    client = create_app().server.test_client()
    payloads, urls = (2000, 200) if quick else (5000, 700)
    started = time.perf_counter()
    result = fuzz.run(client, payload_count=payloads, url_count=urls, seed=12)
    seconds = time.perf_counter() - started
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(result.statuses.items()))
    return [Measure(ROW, f"5xx under fuzz ({payloads} callback payloads + {urls + len(fuzz.HOSTILE_PATHS)} URLs)",
                    len(result.server_errors), None, "", target="0", met=not result.server_errors,
                    note=f"{statuses}; {seconds:.0f} s")]


def _timed(url: str, data: bytes | None = None) -> float:
    request = urllib.request.Request(url, data=data, headers=JSON_HEADERS if data else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as answer:
        answer.read()
    return (time.perf_counter() - started) * 1000


def _export(url: str) -> tuple[int, float]:
    """(status, seconds to wait before the next try) of one export request."""
    try:
        with urllib.request.urlopen(url, timeout=150) as answer:
            answer.read()
            return answer.status, 0.0
    except urllib.error.HTTPError as error:
        retry_after = float(error.headers.get("Retry-After") or 1)
        error.close()
        return error.code, retry_after
    except (urllib.error.URLError, OSError):
        return 0, 1.0


def _p95_pair(url: str, body: bytes, samples: int) -> tuple[float, float]:
    page, change = [], []
    for _ in range(samples):
        page.append(_timed(url + "/"))
        change.append(_timed(url + "/_dash-update-component", body))
        time.sleep(0.05)
    return percentile(page, 95), percentile(change, 95)


def _group_rss_mib(server) -> tuple[float, float]:
    """(web workers RSS, render processes PSS) in MiB: the workers' children are the render processes, whose
    own children are Chromium's processes."""
    workers = server.children()
    web = sum(rss_kib(pid) for pid in workers) / 1024
    render = 0.0
    for worker in workers:
        for pid in descendants(worker):
            render += pss_kib(pid) / 1024
    return web, render


def pss_kib(pid: int) -> int:
    """Proportional set size: Chromium's processes share most of their pages, which RSS would count again
    for each of them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def export_measures(*, quick: bool) -> list[Measure]:
    seconds = 20 if quick else 60
    samples = 20 if quick else 40
    body = request_bodies()[1]
    port = free_port()
    with running(gunicorn_conf_command(port), port=port, env=server_env(), ready_path="/healthz") as server:
        for _ in range(3):
            _p95_pair(server.url, body, 3)  # load the data in both workers
        idle_page, idle_change = _p95_pair(server.url, body, samples)
        web_before, _ = _group_rss_mib(server)

        stop = threading.Event()
        counts = {"ok": 0, "busy": 0, "other": 0}
        lock = threading.Lock()

        def export_loop(client: int) -> None:
            index = 0
            while not stop.is_set():
                index += 1
                status, retry_after = _export(f"{server.url}/export/map.png?q=c{client}n{index}&level={index % 4}")
                with lock:
                    counts["ok" if status == 200 else "busy" if status == 503 else "other"] += 1
                if status == 503:
                    stop.wait(retry_after)  # as a browser or a well-behaved script does

        clients = [threading.Thread(target=export_loop, args=(n,), daemon=True) for n in range(EXPORT_CLIENTS)]
        for thread in clients:
            thread.start()
        time.sleep(3)  # the render processes start
        deadline = time.perf_counter() + seconds
        page, change = [], []
        while time.perf_counter() < deadline:
            page.append(_timed(server.url + "/"))
            change.append(_timed(server.url + "/_dash-update-component", body))
            time.sleep(0.05)
        web_after, render_after = _group_rss_mib(server)
        stop.set()
        for thread in clients:
            thread.join(timeout=150)
    loaded_page, loaded_change = percentile(page, 95), percentile(change, 95)
    note = (f"{EXPORT_CLIENTS} clients looping /export/map.png of distinct views for {seconds} s, waiting "
            f"Retry-After on 503: "
            f"{counts['ok']} rendered, {counts['busy']} × 503 Retry-After, {counts['other']} other")
    return [
        Measure(ROW, "GET / p95 while 8 clients loop exports (baseline: idle)", loaded_page, idle_page, "ms",
                target="≤ 2", met=loaded_page <= 2 * idle_page, note=note),
        Measure(ROW, "filter change p95 while exports loop (baseline: idle)", loaded_change, idle_change, "ms",
                target="≤ 2", met=loaded_change <= 2 * idle_change),
        Measure(ROW, "web workers RSS after the export loop (baseline: before)", web_after, web_before, "MiB",
                note=f"render processes with their Chromium (PSS): {render_after:.0f} MiB, replaced every "
                     f"{os.environ.get('ATLAS_EXPORT_RENDERS_PER_BROWSER', '50')} renders"),
    ]


def _throughput(url: str, seconds: float, prefix: str) -> tuple[float, int]:
    count, errors = 0, 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop(client: int) -> None:
        nonlocal count, errors
        index = 0
        while time.perf_counter() < deadline:
            index += 1
            status = http_status(f"{url}/api/regions?q={prefix}{client}x{index}", timeout=30)
            with lock:
                count += 1
                errors += status != 200

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count / seconds, errors


def redis_measures(*, quick: bool) -> list[Measure]:
    seconds = 10 if quick else 20
    with RedisServer() as redis:
        port = free_port()
        with running(gunicorn_conf_command(port), port=port, env=server_env(REDIS_URL=redis.url),
                     ready_path="/healthz") as server:
            _throughput(server.url, 2, "warm")
            answering, _ = _throughput(server.url, seconds, "up")
            os.kill(redis.process.pid, signal.SIGSTOP)
            try:
                hung, errors = _throughput(server.url, seconds, "hung")
            finally:
                os.kill(redis.process.pid, signal.SIGCONT)
            log = server.log()
    outages = log.count("cache: backend unavailable")
    return [Measure(ROW, "requests/s while Redis hangs (SIGSTOP; baseline: Redis answering)", hung, answering,
                    "req/s", target="≥ 0.5", met=hung >= 0.5 * answering,
                    note=f"4 clients, distinct views, {seconds} s each; {errors} errors; {outages} outage log "
                         f"line(s), {log.count('Traceback')} tracebacks")]


def cache_size_measures(*, quick: bool) -> list[Measure]:
    from dashboard.cache import cache
    from dashboard.factory import create_app

    searches = 1000 if quick else 2000
    client = create_app().server.test_client()
    cache.clear()
    client.get("/api/regions?q=first")
    one_view = cache.store.size
    for index in range(searches):
        status = client.get(f"/api/regions?q=search-{index}").status_code
        if status != 200:
            raise RuntimeError(f"/api/regions answered {status}")
    size = cache.store.size
    entries = len(cache.store.entries)
    cache.clear()
    return [Measure(ROW, f"in-process cache after {searches} distinct searches (baseline: unbounded)", size,
                    one_view * (searches + 1), "B", note=f"{entries} entries kept, bound "
                    f"{cache.store.max_bytes / 1e6:.0f} MB (ATLAS_CACHE_MEMORY_MB); keys are 46-character hashes")]


def measures(*, quick: bool) -> list[Measure]:
    found: list[Measure] = []
    for part in (fuzz_measures, cache_size_measures, redis_measures, export_measures):
        try:
            found.extend(part(quick=quick))
        except Exception as error:  # noqa: BLE001 - one part's failure must not hide the others
            from bench.report import error_measure

            found.append(error_measure(f"{ROW} ({part.__name__})", error))
    return found
