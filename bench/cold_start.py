"""Row 2: from ``Popen`` to the first ``GET /`` and the first ``GET /_dash-layout``, against hello-world Dash.

Each start is a new process on a free loopback port; ``/`` is polled until it answers 200, then
``/_dash-layout`` (the first real page content, which for the atlas loads the data). Median of ``runs``.
"""

from __future__ import annotations

import sys

from bench.common import free_port, median, running, server_env
from bench.report import Measure

ROW = "2 cold start"
TARGET_SECONDS = 2.0


def start_once(command: list[str]) -> tuple[float, float]:
    port = free_port()
    with running(command, port=port, env=server_env(PORT=str(port)), ready_path=None) as server:
        return server.wait_until("/", timeout=60), server.wait_until("/_dash-layout", timeout=60)


def start_times(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """Runs alternate between the commands, so a busy moment on the machine hits both alike."""
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            index, layout = start_once(command)
            times[name][0].append(index)
            times[name][1].append(layout)
    return times


def measures(*, quick: bool = False, runs: int = 3) -> list[Measure]:
    times = start_times({"atlas": [sys.executable, "app.py"], "hello": [sys.executable, "bench/hello_app.py"]}, runs)
    (ours_index, ours_layout), (hello_index, hello_layout) = times["atlas"], times["hello"]
    return [
        Measure(ROW, f"Popen → first GET / (median of {runs})", median(ours_index), median(hello_index), "s",
                target=f"< {TARGET_SECONDS:g} s", met=median(ours_index) < TARGET_SECONDS,
                note="baseline: hello-world Dash"),
        Measure(ROW, f"Popen → first GET /_dash-layout (median of {runs})", median(ours_layout),
                median(hello_layout), "s", target=f"< {TARGET_SECONDS:g} s",
                met=median(ours_layout) < TARGET_SECONDS, note="baseline: hello-world Dash"),
    ]
