"""Scale-out: gunicorn workers share one Redis cache, fall back to their own without it, and survive Redis going.

Each test runs the real ``gunicorn app:server --workers 2`` on a free loopback port. ``/api/regions`` says which
worker answered (``X-Atlas-Worker``, its pid) and whether the metrics came from the cache (``X-Atlas-Cache``).
The two-worker tests choose which worker answers: one worker is kept busy by a held request (``workers.py``)
while the other answers first.

The cross-worker test uses the shared ``redis_server`` fixture. The outage test stops Redis and starts it again
on the same port, which that fixture cannot do, so it runs its own ``redis-server`` (same flags: loopback
only, no persistence) and stops it at the end.
"""

from __future__ import annotations

import shutil
import sys
import time

import pytest
import requests
from atlas_pages import in_ci
from workers import SYNC_WORKERS, HeldRequest

from bench.common import RedisServer, free_port

pytestmark = pytest.mark.redis

GUNICORN = [sys.executable, "-m", "gunicorn", "app:server", "--workers", "2", "--bind", "127.0.0.1:{port}"]
START_TIMEOUT = 60.0
#: The warning ``dashboard/cache.py`` logs when ``REDIS_URL`` is not set.
FALLBACK_WARNING = "REDIS_URL is not set; using an in-process cache that workers do not share"


def get_regions(base_url: str, query: str) -> tuple[int, str]:
    """``(worker pid, 'hit'|'miss')`` of one ``/api/regions`` request on a new connection."""
    response = requests.get(f"{base_url}/api/regions?{query}", headers={"Connection": "close"}, timeout=30)
    assert response.status_code == 200, response.text[:500]
    assert response.json()["regions"], "the view has no regions"
    return int(response.headers["X-Atlas-Worker"]), response.headers["X-Atlas-Cache"]


def answers_of_both_workers(port: int, base_url: str, query: str) -> list[tuple[int, str]]:
    """``(worker pid, 'hit'|'miss')`` of ``query`` asked of one worker, then of the other, then of the first."""
    held = HeldRequest(port, f"/api/regions?{query}")
    first = get_regions(base_url, query)
    answer = held.complete()
    assert answer.status == 200, answer
    second = (answer.worker, answer.headers["x-atlas-cache"])
    assert second[0] != first[0], f"worker {first[0]} answered the held request too"
    return [first, second, get_regions(base_url, query)]


def test_a_value_computed_by_one_worker_is_served_to_the_other_from_redis(redis_server, start_server) -> None:
    server = start_server(SYNC_WORKERS, {"REDIS_URL": redis_server}, timeout=START_TIMEOUT)
    try:
        answers = answers_of_both_workers(server.port, server.url, "sector=ict&country=AT")
        output = server.output()
    finally:
        server.stop()

    first_pid, first_cache = answers[0]
    assert first_cache == "miss"
    other = [(pid, cache) for pid, cache in answers if pid != first_pid]
    assert other[0][1] == "hit", f"the other worker recomputed the view: {answers}"
    assert all(cache == "hit" for _, cache in answers[1:]), answers
    assert f"cache: Redis at {redis_server}" in output, output[-3000:]


def test_without_redis_url_each_worker_uses_its_own_in_process_cache(start_server) -> None:
    server = start_server(SYNC_WORKERS, {"REDIS_URL": None}, timeout=START_TIMEOUT)
    try:
        answers = answers_of_both_workers(server.port, server.url, "sector=agrifood")
        output = server.output()
    finally:
        server.stop()

    # Not shared: each worker computes the view itself the first time it is asked.
    first_answer_of: dict[int, str] = {}
    for pid, cache in answers:
        first_answer_of.setdefault(pid, cache)
    assert set(first_answer_of.values()) == {"miss"}, answers
    # The app, its cache among it, is built once before the workers fork (gunicorn.conf.py preloads it), so the
    # fallback is announced once; each worker then holds its own copy, as the misses above show.
    assert output.count(FALLBACK_WARNING) >= 1, f"the fallback should be announced:\n{output[-3000:]}"


def require_redis_server() -> None:
    if shutil.which("redis-server") is None:
        message = "the Redis outage test needs redis-server on PATH (Debian package redis-server)"
        if in_ci():
            pytest.fail(f"CI is set, so this must run: {message}", pytrace=False)
        pytest.skip(message)


def test_requests_succeed_while_redis_is_down_and_the_cache_returns_with_it(start_server) -> None:
    require_redis_server()
    redis = RedisServer(free_port()).start()
    try:
        server = start_server(GUNICORN, {"REDIS_URL": redis.url, "ATLAS_CACHE_RETRY_SECONDS": "1"},
                              timeout=START_TIMEOUT)
        try:
            assert get_regions(server.url, "sector=aerospace")[1] == "miss"
            assert get_regions(server.url, "sector=aerospace")[1] == "hit"

            redis.stop()
            during = [get_regions(server.url, "sector=aerospace&country=IT") for _ in range(4)]

            redis.start()
            time.sleep(1.5)  # the circuit breaker retries Redis after ATLAS_CACHE_RETRY_SECONDS
            after = [get_regions(server.url, "sector=textiles_creative&country=FR") for _ in range(4)]
            output = server.output()
        finally:
            server.stop()
    finally:
        redis.stop()

    assert all(cache == "miss" for _, cache in during), during
    assert output.count("cache: backend unavailable") <= 2, output[-3000:]  # one line per worker, no flood
    assert "cache: backend unavailable" in output, output[-3000:]
    assert after[0][1] == "miss", after
    assert all(cache == "hit" for _, cache in after[1:]), f"the app did not reconnect to Redis: {after}"
