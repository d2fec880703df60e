"""The export render process: reads one JSON request per line on stdin, answers framed bytes on stdout.

A request names an export and a view (``{"name": "map", "format": "png", "query": "?sector=ict"}``); the
figure is built here from the atlas data and rendered by a Kaleido browser kept warm between requests.
Started and recycled by :mod:`dashboard.render`; it runs at the lowest CPU priority, and its Chromium
inherits that. A failing render answers an error frame, not an exit.
"""

from __future__ import annotations

import json
import os
import sys
import warnings

from dashboard.render import HEADER, pdf_with_title, scale_for

NICENESS = 19


def main() -> int:
    os.nice(NICENESS)
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
