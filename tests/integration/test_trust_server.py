"""Trust under load, against real servers: slow clients cannot starve gunicorn, exports stay bounded.

Each test starts ``gunicorn -c gunicorn.conf.py app:server`` (the Procfile's command) on a free loopback port.
"""

from __future__ import annotations

import socket
import sys
import threading
import time

import pytest
import requests

GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server", "--bind", "127.0.0.1:{port}"]
START_TIMEOUT = 60.0


def trickle(port: int, stop: threading.Event, sockets: list[socket.socket]) -> None:
    """A slow client: opens a connection and sends its request header one byte every 0.2 s, never finishing."""
    connection = socket.create_connection(("127.0.0.1", port))
    sockets.append(connection)
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
    for byte in request:
        if stop.wait(0.2):
            break
        try:
            connection.send(bytes([byte]))
        except OSError:
            break


def test_trs040_two_slow_clients_do_not_starve_the_site(start_server) -> None:
    server = start_server(GUNICORN, {"WEB_CONCURRENCY": "1"}, timeout=START_TIMEOUT)
    stop = threading.Event()
    sockets: list[socket.socket] = []
    slow = [threading.Thread(target=trickle, args=(server.port, stop, sockets), daemon=True) for _ in range(2)]
    try:
        for thread in slow:
            thread.start()
        time.sleep(1.0)  # both connections are open and mid-header
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            answer = requests.get(server.url + "/healthz", timeout=5)
            timings.append(time.perf_counter() - started)
            assert answer.status_code == 200
        assert len(sockets) == 2
        assert max(timings) < 1.0, timings
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=5)
        for connection in sockets:
            connection.close()
        server.stop()


@pytest.mark.parametrize("size", [2_000_000])
def test_trs041_a_large_body_is_refused_with_413(start_server, size) -> None:
    server = start_server(GUNICORN, {"WEB_CONCURRENCY": "1"}, timeout=START_TIMEOUT)
    try:
        answer = requests.post(server.url + "/_dash-update-component", data=b"x" * size,
                               headers={"Content-Type": "application/json"}, timeout=30)
        assert answer.status_code == 413
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
    finally:
        server.stop()


def test_trs042_the_port_opens_after_the_app_is_imported_and_warm(start_server) -> None:
    """A platform routes visitors to the port as soon as it is bound: by then the master has imported the app
    and built its data and default map page, and the workers fork from it warm."""
    server = start_server(GUNICORN, {"WEB_CONCURRENCY": "2"}, timeout=START_TIMEOUT)
    try:
        assert requests.get(server.url + "/", timeout=30).status_code == 200
        log = server.output()
        warmed, listening = log.find("Atlas warmed up in"), log.find("Listening at:")
        assert 0 <= warmed < listening, log
    finally:
        server.stop()
