"""Static image export (PNG, SVG, PDF) with Plotly's Kaleido, driving the system's Chromium.

Kaleido keeps one headless browser per process once the first export has started it (a cold start takes
seconds, a warm export well under one); a lock keeps concurrent requests from sharing it mid-render.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import threading

import plotly.graph_objects as go
from pypdf import PdfReader, PdfWriter

LOG = logging.getLogger(__name__)
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: A4 portrait in PDF points. Chromium prints a page of CSS pixels at 0.75 pt each, so a PDF is scaled to
#: this width whatever pixel size its figure was laid out at.
A4_POINTS = (595.28, 841.89)
CREATOR = "Alpine Cluster Atlas"

_lock = threading.Lock()
_started = False


class ExportUnavailable(RuntimeError):
    """No browser to render with on this server."""


def browser_path() -> str:
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser") or ""


def pdf_with_title(content: bytes, title: str) -> bytes:
    """The PDF with ``title`` in its metadata (the title a reader's window and a search index show)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.add_metadata({"/Title": title, "/Creator": CREATOR, "/Producer": CREATOR})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def render(figure: go.Figure, fmt: str, *, width: int, height: int, title: str = "") -> bytes:
    """The figure as ``fmt`` bytes at exactly ``width`` × ``height`` pixels; a PDF is an A4 portrait page
    (``width`` scaled to 595 pt) titled ``title``."""
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
        scale = A4_POINTS[0] / (width * 0.75) if fmt == "pdf" else 1
        content = figure.to_image(format=fmt, width=width, height=height, scale=scale)
    return pdf_with_title(content, title or CREATOR) if fmt == "pdf" else content
