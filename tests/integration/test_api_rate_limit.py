"""The per-client API budget is one budget across gunicorn workers when they share Redis.

Real ``gunicorn app:server --workers 2`` with a low limit, and every API answer (a 429 included) names its worker
in ``X-Atlas-Worker``. Which worker takes a connection is the kernel's choice, and on a quiet machine one worker
may take every sequential request, so the test decides it: a sync worker that has accepted a connection reads
nothing else until that request is complete. A request held half-sent keeps one worker busy while the other spends
the whole budget; completed afterwards, the held request must be refused by a worker that has served nothing
itself. With counters in each process it would be served.
"""

from __future__ import annotations

import socket
import sys
import time
from collections import Counter

import pytest
import requests

pytestmark = pytest.mark.redis

#: ``--preload`` imports the app before the workers fork, so both answer from the first request on. Sync workers
#: (``gunicorn.conf.py`` asks for threads, and more than one thread turns ``sync`` into ``gthread``): a threaded
#: worker would take further connections while one of its threads waits for the held request.
GUNICORN = [sys.executable, "-m", "gunicorn", "app:server", "--workers", "2", "--worker-class", "sync", "--threads", "1",
            "--preload", "--bind", "127.0.0.1:{port}"]
LIMIT = 5
REQUESTS = 12
PATH = "/api/openapi.json"


def _held_request(port: int) -> socket.socket:
    """Open a connection and send a request without its final blank line: the worker that accepts it waits."""
    held = socket.create_connection(("127.0.0.1", port), timeout=30)
    held.sendall(f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n".encode("ascii"))
    return held


def _complete(held: socket.socket) -> tuple[int, dict[str, str]]:
    """Finish the held request and read its answer's status and headers."""
    held.sendall(b"\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = held.recv(65536)
        if not chunk:
            break
        answer += chunk
    held.close()
    status_line, *header_lines = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {name.lower(): value for name, value in headers.items()}


def test_api017_rate_limit_is_shared_by_two_workers_through_redis(redis_server, start_server) -> None:
    server = start_server(GUNICORN, {"REDIS_URL": redis_server, "ATLAS_API_RATE_LIMIT": f"{LIMIT} per minute"},
                          timeout=60.0)
    try:
        held = _held_request(server.port)
        time.sleep(0.5)
        answers = []
        for _ in range(REQUESTS):
            response = requests.get(f"{server.url}{PATH}", headers={"Connection": "close"}, timeout=30)
            answers.append((response.status_code, int(response.headers["X-Atlas-Worker"]),
                            response.headers.get("Retry-After")))
        held_status, held_headers = _complete(held)
    finally:
        server.stop()

    statuses = Counter(status for status, _, _ in answers)
    assert statuses == {200: LIMIT, 429: REQUESTS - LIMIT}, answers
    assert [status for status, _, _ in answers[:LIMIT]] == [200] * LIMIT
    assert len({pid for _, pid, _ in answers}) == 1, f"the held worker answered while it was held: {answers}"
    serving_worker = answers[0][1]
    held_worker = int(held_headers["x-atlas-worker"])
    assert held_worker != serving_worker, "the held request was answered by the worker that spent the budget"
    assert held_status == 429, (
        f"worker {held_worker} had served nothing, yet answered {held_status} after worker {serving_worker} "
        f"spent the whole budget of {LIMIT}: the budget is counted per process")
    retries = [retry for status, _, retry in answers if status == 429] + [held_headers.get("retry-after")]
    assert all(retry and 0 < int(retry) <= 60 for retry in retries), retries
