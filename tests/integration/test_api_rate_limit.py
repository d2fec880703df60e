"""The per-client API budget is one budget across gunicorn workers when they share Redis.

Real gunicorn with two workers and a low limit; every API answer (a 429 included) names its worker in
``X-Atlas-Worker``. One worker is kept busy by a held request (``workers.py``) while the other spends the whole
budget; completed afterwards, the held request must be refused by a worker that has served nothing itself.
With counters in each process it would be served.
"""

from __future__ import annotations

from collections import Counter

import pytest
import requests
from workers import SYNC_WORKERS, HeldRequest

pytestmark = pytest.mark.redis

LIMIT = 5
REQUESTS = 12
PATH = "/api/openapi.json"


def test_api017_rate_limit_is_shared_by_two_workers_through_redis(redis_server, start_server) -> None:
    server = start_server(SYNC_WORKERS, {"REDIS_URL": redis_server, "ATLAS_API_RATE_LIMIT": f"{LIMIT} per minute"},
                          timeout=60.0)
    try:
        held = HeldRequest(server.port, PATH)
        answers = []
        for _ in range(REQUESTS):
            response = requests.get(f"{server.url}{PATH}", headers={"Connection": "close"}, timeout=30)
            answers.append((response.status_code, int(response.headers["X-Atlas-Worker"]),
                            response.headers.get("Retry-After")))
        held_answer = held.complete()
    finally:
        server.stop()

    statuses = Counter(status for status, _, _ in answers)
    assert statuses == {200: LIMIT, 429: REQUESTS - LIMIT}, answers
    assert [status for status, _, _ in answers[:LIMIT]] == [200] * LIMIT
    assert len({pid for _, pid, _ in answers}) == 1, f"the held worker answered while it was held: {answers}"
    serving_worker = answers[0][1]
    assert held_answer.worker != serving_worker, "the held request was answered by the worker that spent the budget"
    assert held_answer.status == 429, (
        f"worker {held_answer.worker} had served nothing, yet answered {held_answer.status} after worker "
        f"{serving_worker} spent the whole budget of {LIMIT}: the budget is counted per process")
    retries = [retry for status, _, retry in answers if status == 429] + [held_answer.headers.get("retry-after")]
    assert all(retry and 0 < int(retry) <= 60 for retry in retries), retries
