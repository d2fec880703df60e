"""A new worker builds its data once, in the background, and threads asking at the same time wait for it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
import time
from pathlib import Path

from dashboard import data, factory
from dashboard.config import CONFIG

ROOT = Path(__file__).resolve().parents[2]


def test_built_once_builds_a_value_once_for_threads_asking_at_the_same_time():
    builds = []

    @data.built_once
    def slow_value(key: str) -> str:
        builds.append(key)
        time.sleep(0.2)
        return key.upper()

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(slow_value("outlines"))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["OUTLINES"] * 5
    assert builds == ["outlines"]
    assert slow_value("borders") == "BORDERS" and builds == ["outlines", "borders"]


def test_warm_up_runs_in_a_background_thread_and_builds_the_home_page(app, monkeypatch):
    built = []
    home = next(page for page in factory.dash.page_registry.values() if page["path"] == "/")
    monkeypatch.setitem(home, "layout", lambda: built.append(threading.current_thread().name))
    # A new worker has built no page yet; the layouts built here (with the page replaced) are dropped after.
    monkeypatch.setitem(app.__dict__, "_built_layouts", factory.MemoryStore(max_bytes=factory.BUILT_LAYOUT_BYTES))
    thread = factory.start_warm_up(app.server)
    thread.join(10)
    assert thread.daemon and not thread.is_alive()
    assert built == ["atlas-warm-up"]


def test_warm_up_can_be_switched_off(app, monkeypatch):
    monkeypatch.setattr(factory, "CONFIG", dataclasses.replace(CONFIG, warm_up=False))
    assert factory.start_warm_up(app.server) is None


def test_gunicorn_hook_warms_only_a_worker_that_serves_the_atlas():
    """Another app started from this folder (the naive baseline of the speed comparison) would otherwise
    import the whole atlas before its first answer."""
    script = ("import runpy, sys, types\n"
              "hooks = runpy.run_path('gunicorn.conf.py')\n"
              "hooks['on_starting'](types.SimpleNamespace(app=None, log=None))\n"
              "hooks['post_worker_init'](types.SimpleNamespace(wsgi=object()))\n"
              "print('dashboard.factory' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
