"""Choosing which gunicorn worker answers: a request held half-sent keeps one sync worker busy.

Which worker takes a new connection is the kernel's choice; on a quiet machine one worker may take every
sequential request. A sync worker that has accepted a connection reads nothing else until that request is
complete, so while a request is held the other worker answers everything, and the held request, completed,
is answered by the held worker. Servers for this run ``SYNC_WORKERS`` (``gunicorn.conf.py`` asks for threads,
and a threaded worker would go on taking connections while one of its threads waits).

Imported as ``from workers import …`` (pytest puts this folder on ``sys.path``).
"""

from __future__ import annotations

import socket
import sys
import time
from dataclasses import dataclass

#: ``gunicorn app:server`` with two sync workers (more than one thread would turn ``sync`` into ``gthread``).
#: ``--preload`` imports the app before the workers fork, so both answer from the first request on.
SYNC_WORKERS = [sys.executable, "-m", "gunicorn", "app:server", "--workers", "2", "--worker-class", "sync",
                "--threads", "1", "--preload", "--bind", "127.0.0.1:{port}"]
#: Long enough for an idle worker to accept the held connection before the next one arrives.
SETTLE_SECONDS = 0.5


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case

    @property
    def worker(self) -> int:
        return int(self.headers["x-atlas-worker"])


class HeldRequest:
    """A ``GET`` sent without its final blank line; :meth:`complete` sends it and reads the answer's head."""

    def __init__(self, port: int, path: str) -> None:
        self._socket = socket.create_connection(("127.0.0.1", port), timeout=30)
        self._socket.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
                             .encode("ascii"))
        time.sleep(SETTLE_SECONDS)

    def complete(self) -> Answer:
        self._socket.sendall(b"\r\n")
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = self._socket.recv(65536)
            if not chunk:
                break
            received += chunk
        self._socket.close()
        status_line, *header_lines = received.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in header_lines)
        return Answer(int(status_line.split()[1]), {name.lower(): value for name, value in headers.items()})
