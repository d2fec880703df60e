"""The export render process: reads one JSON request per line on stdin, answers framed bytes on stdout.

A request names an export and a view (``{"name": "map", "format": "png", "query": "?sector=ict"}``); the
figure is built here from the atlas data and rendered by a Kaleido browser kept warm between requests.
Started and recycled by :mod:`dashboard.render`; it runs only when the processor has nothing else to do, on
the upper half of the processors, and its Chromium inherits both (:func:`step_aside`). A failing render
answers an error frame, not an exit.
"""

from __future__ import annotations

import json
import os
import sys
import warnings

from dashboard.render import HEADER, pdf_with_title, scale_for

NICENESS = 19


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


def main() -> int:
    step_aside()
    import kaleido

    from dashboard.data import load_atlas_data
    from dashboard.exports import export_spec, export_title
    from dashboard.state import ViewState

    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
    kaleido.start_sync_server(silence_warnings=True)
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
    kaleido.stop_sync_server()
    return 0


if __name__ == "__main__":
    sys.exit(main())
