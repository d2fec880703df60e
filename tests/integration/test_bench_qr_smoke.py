"""The QR-room row cannot rot: a few replayed page loads against gunicorn + Redis, and what a page load is.

Timings are not checked (they depend on the machine), only that the recorded page load is the complete one
(the atlas's own plotly.js, the layout, the outlines, no callback, no AG Grid) and that replaying it answers
every request.
"""

from __future__ import annotations

import os

import pytest

from bench import qr_room
from bench.common import RedisServer, free_port, gunicorn_command, running, server_env

pytestmark = pytest.mark.browser


def test_bqr001_page_load_is_complete_and_replays_without_errors() -> None:
    with RedisServer() as redis:
        port = free_port()
        command = [*gunicorn_command("app:server", port, workers=2), "--access-logfile", "-",
                   "--access-logformat", qr_room.ACCESS_LOG_FORMAT]
        with running(command, port=port, env=server_env(REDIS_URL=redis.url), ready_path="/") as server:
            requests = qr_room.capture(server, qr_room.VIEW)
            result = qr_room.room(server, requests, loads=3, window=3.0)

    gets = requests.gets
    assert any(path.startswith("/vendor/plotly-atlas-") for path in gets), gets
    assert {"/_dash-layout", "/_dash-dependencies"} <= set(gets)
    assert [path for path in gets if path.startswith("/geo/nuts0-")], "the country borders the SVG map fetches"
    assert not [path for path in gets if "dash_ag_grid" in path or "plotly.min.js" in path], gets
    # The page comes built into its layout, and a phone sees no chart before it scrolls: drawing the map of the
    # QR code's view needs no callback at all.
    assert requests.posts == []
    assert result.errors == 0
    assert len(result.seconds) == 3 and result.cpu_seconds > 0


def test_bqr002_access_log_and_proc_readers() -> None:
    log = ("ATLAS_ACCESS GET /assets/style.css?m=1 200\nATLAS_ACCESS POST /_dash-update-component? 200\n"
           "ATLAS_ACCESS GET /_dash-layout? 200\nnoise\n")
    assert qr_room.logged_gets(log) == ["/assets/style.css?m=1", "/_dash-layout"]
    assert qr_room.worker_cpu_seconds([os.getpid()]) > 0
