"""Row 4 (under load) and the memory row: gunicorn with Redis against the single-process dev server.

Row 4 drives the filter-change request (row 1's body, rotating through a handful of states, so after the
first round every answer's metrics come from the cache, as on a busy day) with
``wrk -t2 -c20 -d30s --latency -s bench/post.lua`` at 127.0.0.1, first against ``gunicorn app:server
--workers 2`` with ``REDIS_URL`` (a throw-away ``redis-server`` on a free loopback port, no persistence), then
against ``python app.py``. Both servers get the same warm-up before ``wrk`` starts.

The memory row reads ``VmRSS`` of one gunicorn worker after it served a page load's requests and a few filter
changes, against a worker of the hello-world Dash app after its page load.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import (BROWSER_ACCEPT_ENCODING, REPO, RedisServer, dev_server_command, free_port,
                          gunicorn_command, http_status, rss_kib, running, server_env)
from bench.filter_change import callback_body, request_bodies, view_state
from bench.report import Measure

ROW = "4 under load"
MEMORY_ROW = "memory"
LUA_SCRIPT = REPO / "bench" / "post.lua"
ROTATING_STATES = 5
CONNECTIONS = 20
THREADS = 2
JSON_HEADERS = {"Content-Type": "application/json", "Accept-Encoding": BROWSER_ACCEPT_ENCODING}


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors


def parse_wrk(output: str) -> WrkResult:
    match = re.search(r"^ATLAS_WRK (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no summary line:\n{output[-2000:]}")
    values = {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}
    return WrkResult(
        requests=values["requests"], seconds=values["duration_us"] / 1e6, p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000, p99_ms=values["p99_us"] / 1000, non2xx=values["non2xx"],
        socket_errors=values["connect"] + values["read"] + values["write"] + values["timeout"],
    )


def run_wrk(url: str, bodies_file: Path, seconds: int) -> WrkResult:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency",
               "-s", str(LUA_SCRIPT), url, "--", str(bodies_file)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited with {done.returncode}: {done.stderr.strip()[-1000:]}")
    return parse_wrk(done.stdout)


def warm_up(url: str, bodies: list[bytes], rounds: int = 2) -> None:
    """Load the data in every worker and put the rotating states in the cache."""
    for _ in range(rounds):
        for body in bodies:
            status = http_status(url + "/_dash-update-component", data=body, headers=JSON_HEADERS, timeout=30)
            if status != 200:
                raise RuntimeError(f"warm-up request answered {status}")


def load_measures(*, seconds: int) -> list[Measure]:
    bodies = request_bodies()[:ROTATING_STATES]
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as folder:
        bodies_file = Path(folder) / "bodies.jsonl"
        bodies_file.write_bytes(b"\n".join(bodies) + b"\n")

        with RedisServer() as redis:
            port = free_port()
            with running(gunicorn_command("app:server", port, workers=2), port=port,
                         env=server_env(REDIS_URL=redis.url), ready_path="/healthz") as server:
                warm_up(server.url, bodies)
                ours = run_wrk(server.url, bodies_file, seconds)

        port = free_port()
        with running(dev_server_command(), port=port, env=server_env(PORT=str(port)),
                     ready_path="/healthz") as server:
            warm_up(server.url, bodies)
            baseline = run_wrk(server.url, bodies_file, seconds)

    note = f"wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s, {ROTATING_STATES} states; baseline: python app.py"
    return [
        Measure(ROW, "requests/s (gunicorn 2 workers + Redis)", ours.requests_per_second,
                baseline.requests_per_second, "req/s", note=note),
        Measure(ROW, "latency p95", ours.p95_ms, baseline.p95_ms, "ms"),
        Measure(ROW, "errors (non-2xx + socket)", ours.errors, baseline.errors, "", target="0",
                met=ours.errors == 0 and baseline.errors == 0,
                note=f"{ours.requests} / {baseline.requests} requests"),
    ]


def _page_load(url: str) -> None:
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):
        status = http_status(url + path, timeout=30)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")


def worker_rss_mib(app: str, *, filter_changes: bool) -> float:
    port = free_port()
    with running(gunicorn_command(app, port, workers=1), port=port, env=server_env(), ready_path="/") as server:
        _page_load(server.url)
        if filter_changes:
            first = json.dumps(callback_body(view_state({}), map_sent=None)).encode()
            warm_up(server.url, [first, *request_bodies()[:5]], rounds=1)
            http_status(server.url + "/api/regions?sector=ict", timeout=30)
        time.sleep(0.2)
        workers = server.children()
        if len(workers) != 1:
            raise RuntimeError(f"expected one gunicorn worker, found {workers}")
        return rss_kib(workers[0]) / 1024


def memory_measures() -> list[Measure]:
    ours = worker_rss_mib("app:server", filter_changes=True)
    hello = worker_rss_mib("bench.hello_app:server", filter_changes=False)
    return [Measure(MEMORY_ROW, "gunicorn worker VmRSS after a page load + 6 map requests", ours, hello, "MiB",
                    note="baseline: hello-world Dash worker")]
