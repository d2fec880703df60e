"""The per-client API budget is one budget across gunicorn workers when they share Redis.

Real ``gunicorn app:server --workers 2`` with a low limit; every request opens a new connection so the kernel
hands them to either worker, and every API answer (a 429 included) names its worker in ``X-Atlas-Worker``.
With counters in each process the two workers together would allow twice the limit.
"""

from __future__ import annotations

import sys
from collections import Counter

import pytest
import requests

pytestmark = pytest.mark.redis

#: ``--preload`` imports the app before the workers fork, so both answer from the first request on: on a busy
#: machine the second worker otherwise may still be importing while the first takes every request.
GUNICORN = [sys.executable, "-m", "gunicorn", "app:server", "--workers", "2", "--preload", "--bind", "127.0.0.1:{port}"]
LIMIT = 5
REQUESTS = 40


def test_api017_rate_limit_is_shared_by_two_workers_through_redis(redis_server, start_server) -> None:
    server = start_server(GUNICORN, {"REDIS_URL": redis_server, "ATLAS_API_RATE_LIMIT": f"{LIMIT} per minute"},
                          timeout=60.0)
    try:
        answers = []
        for _ in range(REQUESTS):
            response = requests.get(f"{server.url}/api/openapi.json", headers={"Connection": "close"}, timeout=30)
            answers.append((response.status_code, int(response.headers["X-Atlas-Worker"]),
                            response.headers.get("Retry-After")))
    finally:
        server.stop()

    statuses = Counter(status for status, _, _ in answers)
    assert statuses == {200: LIMIT, 429: REQUESTS - LIMIT}, answers
    assert [status for status, _, _ in answers[:LIMIT]] == [200] * LIMIT
    workers = {pid for _, pid, _ in answers}
    assert len(workers) == 2, f"only one worker answered {REQUESTS} requests: {answers}"
    served_by = Counter(pid for status, pid, _ in answers if status == 200)
    refusing_early = [pid for status, pid, _ in answers if status == 429 and served_by[pid] < LIMIT]
    assert refusing_early, "no worker refused before serving the whole limit itself"
    assert all(retry and 0 < int(retry) <= 60 for status, _, retry in answers if status == 429)
