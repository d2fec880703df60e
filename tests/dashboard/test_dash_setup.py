"""Dash's one-time set-up before the first request registers the scripts it serves: threads that arrive while
it runs wait for it (a worker's first page load asks for a dozen scripts at once)."""

from __future__ import annotations

import threading
import time

from dash import _callback, dcc, html

from dashboard import factory

SCRIPT = "/_dash-component-suites/dash/dcc/dash_core_components.js"


def test_scripts_asked_for_during_the_set_up_are_served(monkeypatch):
    # Dash's set-up moves the callbacks registered with ``dash.callback`` into the app it sets up: this app
    # must not take the atlas's from the session's app.
    monkeypatch.setattr(_callback, "GLOBAL_CALLBACK_MAP", {})
    monkeypatch.setattr(_callback, "GLOBAL_CALLBACK_LIST", [])
    app = factory.AtlasDash("set-up-test", serve_locally=True)
    app.layout = html.Div(dcc.Graph(id="graph"))
    check_layout = app._layout_value

    def slow_check():  # the atlas's own check builds a whole page: this one takes as long
        time.sleep(0.4)
        return check_layout()

    monkeypatch.setattr(app, "_layout_value", slow_check)
    client = app.server.test_client()
    start = threading.Barrier(8)
    statuses: list[int] = []

    def ask() -> None:
        start.wait()
        statuses.append(client.get(SCRIPT).status_code)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * 8
