"""Static image export (PNG, SVG, PDF) with Plotly's Kaleido, driving the system's Chromium.

Kaleido keeps one headless browser per process once the first export has started it (a cold start takes
seconds, a warm export well under one); a lock keeps concurrent requests from sharing it mid-render.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading

import plotly.graph_objects as go

LOG = logging.getLogger(__name__)
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

_lock = threading.Lock()
_started = False


class ExportUnavailable(RuntimeError):
    """No browser to render with on this server."""


def browser_path() -> str:
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser") or ""


def render(figure: go.Figure, fmt: str, *, width: int, height: int) -> bytes:
    """The figure as ``fmt`` bytes at exactly ``width`` × ``height`` pixels (PDF: points at 1:1)."""
    global _started
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    path = browser_path()
    if not path:
        raise ExportUnavailable("no Chromium found for static export (set BROWSER_PATH)")
    os.environ.setdefault("BROWSER_PATH", path)
    import kaleido

    with _lock:
        if not _started:
            kaleido.start_sync_server(silence_warnings=True)
            _started = True
            LOG.info("export: started Kaleido with %s", path)
        return figure.to_image(format=fmt, width=width, height=height, scale=1)
