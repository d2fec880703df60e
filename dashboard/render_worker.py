"""The export render process: reads one JSON request per line on stdin, answers framed bytes on stdout.

Started and recycled by :mod:`dashboard.render`. It runs at a lower CPU priority than the web workers and
keeps one Kaleido browser warm between requests; a failing render answers an error frame, not an exit.
"""

from __future__ import annotations

import json
import os
import sys
import warnings

from dashboard.render import HEADER

NICENESS = 10


def main() -> int:
    os.nice(NICENESS)
    import kaleido
    import plotly.graph_objects as go

    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
    kaleido.start_sync_server(silence_warnings=True)
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            options = request["options"]
            figure = go.Figure(request["figure"], skip_invalid=True)
            payload, status = figure.to_image(format=options["format"], width=int(options["width"]),
                                              height=int(options["height"]), scale=1), 0
        except Exception as error:  # noqa: BLE001 - reported to the web worker, which answers 503
            payload, status = f"{type(error).__name__}: {error}".encode(), 1
        out.write(HEADER.pack(status, len(payload)))
        out.write(payload)
        out.flush()
    kaleido.stop_sync_server()
    return 0


if __name__ == "__main__":
    sys.exit(main())
