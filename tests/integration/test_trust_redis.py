"""A Redis that hangs (SIGSTOP) costs one short timeout, then the circuit breaker skips it until it answers.

Runs against a real ``redis-server`` (started here, so the test can stop and continue its process).
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import time

import pytest

from bench.common import RedisServer
from dashboard.cache import RedisStore, SharedCache, cache_key

SOCKET_TIMEOUT = 0.25
RETRY_SECONDS = 2.0


@pytest.fixture
def redis_process():
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (make test installs it)")
    server = RedisServer().start()
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            os.kill(server.process.pid, signal.SIGCONT)
        server.stop()


def test_trs050_a_hung_redis_costs_one_timeout_then_is_skipped_and_retried(redis_process, caplog):
    caplog.set_level(logging.INFO, logger="dashboard.cache")
    shared = SharedCache(RedisStore(redis_process.url, SOCKET_TIMEOUT), timeout=60, max_entry_bytes=1_000_000,
                         retry_seconds=RETRY_SECONDS)
    assert shared.set(cache_key("warm"), {"x": 1}) and shared.get(cache_key("warm")) == {"x": 1}

    os.kill(redis_process.process.pid, signal.SIGSTOP)
    timings = []
    for index in range(40):  # what 20 requests of two cache operations each would do
        started = time.perf_counter()
        shared.get(cache_key("view", index))
        shared.set(cache_key("view", index), "value")
        timings.append(time.perf_counter() - started)
    assert sum(timings) < SOCKET_TIMEOUT * 3, timings[:5]  # one timeout in all, not one per operation
    assert max(timings[1:]) < 0.05

    time.sleep(RETRY_SECONDS + 0.1)  # still hung: the retry costs one more timeout and stays quiet
    started = time.perf_counter()
    assert shared.get(cache_key("warm")) is None
    assert time.perf_counter() - started < SOCKET_TIMEOUT * 3

    os.kill(redis_process.process.pid, signal.SIGCONT)
    time.sleep(RETRY_SECONDS + 0.1)
    assert shared.get(cache_key("warm")) == {"x": 1}
    assert shared.set(cache_key("after"), 2) and shared.get(cache_key("after")) == 2

    lines = [record for record in caplog.records if record.name == "dashboard.cache"]
    assert [record.getMessage().split(" (")[0].split(";")[0] for record in lines] == [
        "cache: backend unavailable", "cache: backend answers again"]
    assert all(record.exc_info is None for record in lines)  # no traceback


def limited_server(redis_url: str, limit: str):
    """A Flask app with one route under the atlas's limiter, counting in the Redis at ``redis_url``."""
    from flask import Flask

    from dashboard import ratelimit

    server = Flask("limited")
    server.config.update(RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_STORAGE_OPTIONS=ratelimit.storage_options(redis_url))
    limiter = ratelimit.make_limiter()
    limiter.init_app(server)
    server.add_url_rule("/api/thing", "thing", limiter.shared_limit(limit, scope="api")(lambda: "ok"))
    return server


def test_trs051_a_hung_redis_does_not_hold_every_rate_limited_request(redis_process, caplog):
    """The rate limiter counts in memory while Redis hangs: one warning, then requests are served at once (no
    half-second timeout and traceback per request), and limits still apply."""
    caplog.set_level(logging.INFO, logger="flask-limiter")
    client = limited_server(redis_process.url, "30 per minute").test_client()
    assert client.get("/api/thing").status_code == 200

    os.kill(redis_process.process.pid, signal.SIGSTOP)
    started = time.perf_counter()
    statuses = [client.get("/api/thing").status_code for _ in range(40)]
    elapsed = time.perf_counter() - started
    os.kill(redis_process.process.pid, signal.SIGCONT)

    # Counting restarts in memory: the 30 a minute hold again from the first request Redis did not answer.
    assert 29 <= statuses.count(200) <= 30 and statuses[-10:] == [429] * 10, statuses
    assert elapsed < 0.5 * 4, f"40 requests took {elapsed:.2f} s"
    records = [record for record in caplog.records if record.name == "flask-limiter"]
    assert any("falling back to in-memory" in record.getMessage() for record in records)
    assert not [record for record in records if record.exc_info], [r.getMessage() for r in records]


def test_trs052_requests_in_flight_when_redis_hangs_log_one_line_each_not_a_traceback(redis_process, caplog):
    """Threads that were already asking Redis when it stopped answering time out together: each logs one line
    naming the outage (a worker's log was 60 lines of traceback per thread), and every request is served."""
    from concurrent.futures import ThreadPoolExecutor

    caplog.set_level(logging.INFO, logger="flask-limiter")
    server = limited_server(redis_process.url, "1000 per minute")
    assert server.test_client().get("/api/thing").status_code == 200

    os.kill(redis_process.process.pid, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: server.test_client().get("/api/thing").status_code, range(32)))
    finally:
        os.kill(redis_process.process.pid, signal.SIGCONT)

    assert statuses == [200] * 32, statuses
    records = [record for record in caplog.records if record.name == "flask-limiter"]
    failed = [record for record in records if "rate limit" in record.getMessage().lower()
              and "unavailable" in record.getMessage()]
    assert not [record for record in records if record.exc_info], [r.getMessage() for r in records]
    assert failed and all("TimeoutError" in record.getMessage() for record in failed), \
        [r.getMessage() for r in records]

