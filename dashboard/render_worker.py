"""The export render process: reads one JSON request per line on stdin, answers framed bytes on stdout.

A request names an export and a view (``{"name": "map", "format": "png", "query": "?sector=ict"}``); the
figure is built here from the atlas data and rendered by a Kaleido browser kept warm between requests.
Started and recycled by :mod:`dashboard.render`; it runs only when the processor has nothing else to do, on
the upper half of the processors, and its Chromium inherits both (:func:`step_aside`); the session Kaleido
starts Chromium in is niced as a whole (:func:`step_aside_browser`). A failing render answers an error
frame, not an exit.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from pathlib import Path

from dashboard.process_tree import descendants
from dashboard.render import HEADER, pdf_with_title, scale_for

NICENESS = 19
#: Linux lets an autogroup's niceness change once per 100 ms, system-wide: a busy moment is waited out.
AUTOGROUP_TRIES = 20
BROWSER_START_SECONDS = 10.0


def step_aside() -> None:
    """Keep exports out of the pages' way. A niceness alone was not: Chromium sets its own (run as root, its
    browser and GPU processes ran at niceness -8 and its renderers at 0, ahead of the web workers), and on two
    cores a storm of exports made a page 7 times slower at the 95th percentile (bench row 7). In the idle
    class, which Chromium leaves alone, a render yields at once to any page or callback; on the upper half of
    the processors it leaves the lower half to the web workers whole.
    """
    os.nice(NICENESS)
    if hasattr(os, "sched_setscheduler"):  # Linux
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    if hasattr(os, "sched_setaffinity"):
        processors = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, processors[len(processors) // 2:])


def step_aside_browser(done: set[int]) -> set[int]:
    """Kaleido starts Chromium in a session of its own, and Linux's autogroups share a processor between
    sessions group against group: Chromium's group took half of the processor it shares with the web workers,
    whatever its processes' class (a page handler on that processor ran 2–3 times slower during an export
    storm). Each new session's group is niced as far as it goes, so within it the idle class holds again.
    Returns the sessions seen, ``done`` included."""
    own = os.getsid(0)
    sessions: dict[int, int] = {}
    for pid in descendants(os.getpid()):
        try:
            session = os.getsid(pid)
        except OSError:  # it has ended
            continue
        if session != own:
            sessions.setdefault(session, pid)
    for session, member in sessions.items():
        if session in done:
            continue
        group = Path(f"/proc/{member}/autogroup")
        for _ in range(AUTOGROUP_TRIES):
            try:
                group.write_text(str(NICENESS))
                break
            except BlockingIOError:
                time.sleep(0.1)
            except OSError:  # no autogroups on this kernel, or the session has ended
                break
    return done | set(sessions)


def _wait_for_browser(seconds: float) -> None:
    """Kaleido starts its browser in the background after ``start_sync_server`` returns."""
    deadline = time.monotonic() + seconds
    while not descendants(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> int:
    step_aside()
    import kaleido

    from dashboard.data import load_atlas_data
    from dashboard.exports import export_spec, export_title
    from dashboard.state import ViewState

    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
    kaleido.start_sync_server(silence_warnings=True)
    _wait_for_browser(BROWSER_START_SECONDS)
    stepped_aside = step_aside_browser(set())
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            atlas = load_atlas_data()
            spec = export_spec(atlas, request["name"], request["format"])
            state = ViewState.from_query(request["query"])
            figure = spec[0](atlas, state) if spec else None
            if figure is None:
                raise LookupError(f"no export {request['name']}.{request['format']}")
            width, height = spec[1]
            payload = figure.to_image(format=request["format"], width=width, height=height,
                                      scale=scale_for(request["format"], width))
            if request["format"] == "pdf":
                payload = pdf_with_title(payload, export_title(atlas, request["name"], state))
            status = 0
        except Exception as error:  # noqa: BLE001 - reported to the web worker, which answers 503
            payload, status = f"{type(error).__name__}: {error}".encode(), 1
        out.write(HEADER.pack(status, len(payload)))
        out.write(payload)
        out.flush()
        stepped_aside = step_aside_browser(stepped_aside)  # a browser Kaleido started again
    kaleido.stop_sync_server()
    return 0


if __name__ == "__main__":
    sys.exit(main())
