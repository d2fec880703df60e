"""Static image export (PNG, SVG, PDF) with Plotly's Kaleido, driving the system's Chromium — out of process.

An export is built *and* rendered in a child process (``python -m dashboard.render_worker``) that keeps one
warm Kaleido browser: building a NUTS 3 slide takes a second of Python, which in a threaded web worker would
hold the GIL against every page request, and Chromium's memory stays out of the web worker. The child is
replaced after ``ATLAS_EXPORT_RENDERS_PER_BROWSER`` renders, so memory stays bounded over any number of
exports, and runs only when pages and callbacks leave the processor idle, on half of the processors
(``render_worker.step_aside``).

Each web worker process renders one figure at a time and lets ``ATLAS_EXPORT_SLOTS`` requests render or wait
at once; one more is refused at once (:class:`ExportBusy`, answered 503 with ``Retry-After``), so a burst
of exports cannot tie up every thread of a worker.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import struct
import subprocess
import sys
import threading

from pypdf import PdfReader, PdfWriter

from dashboard.config import CONFIG

LOG = logging.getLogger(__name__)
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: A render that takes longer than this is abandoned and its process replaced.
RENDER_TIMEOUT_SECONDS = 90.0
HEADER = struct.Struct(">BQ")  # status (0 = ok, 1 = error), length of the payload that follows
#: A4 portrait in PDF points. Chromium prints a page of CSS pixels at 0.75 pt each, so a PDF is scaled to
#: this width whatever pixel size its figure was laid out at.
A4_POINTS = (595.28, 841.89)
CREATOR = "Alpine Cluster Atlas"


def scale_for(fmt: str, width: int) -> float:
    """Kaleido's ``scale``: 1 for images; for a PDF, what makes the page A4 wide (595 pt)."""
    return A4_POINTS[0] / (width * 0.75) if fmt == "pdf" else 1.0


def pdf_with_title(content: bytes, title: str) -> bytes:
    """The PDF with ``title`` in its metadata (Kaleido titles every PDF "Kaleido-fier")."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.add_metadata({"/Title": title or CREATOR, "/Creator": CREATOR, "/Producer": CREATOR})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class ExportUnavailable(RuntimeError):
    """No browser to render with on this server, or the renderer failed."""


class ExportBusy(RuntimeError):
    """Every export slot of this worker is taken; the client should retry shortly."""


def browser_path() -> str:
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser") or ""


class RenderProcess:
    """One child process with a warm browser; started on first use, replaced after ``renders_per_process``."""

    def __init__(self, renders_per_process: int) -> None:
        self.renders_per_process = renders_per_process
        self.process: subprocess.Popen | None = None
        self.renders = 0
        self.lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.poll() is None else None

    def _start(self, browser: str) -> subprocess.Popen:
        environment = {**os.environ, "BROWSER_PATH": browser}
        process = subprocess.Popen([sys.executable, "-m", "dashboard.render_worker"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment,
                                   cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        LOG.info("export: started render process %d", process.pid)
        self.renders = 0
        return process

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()

    def render(self, request: bytes, browser: str) -> bytes:
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.process = self._start(browser)
            process = self.process
            timer = threading.Timer(RENDER_TIMEOUT_SECONDS, process.kill)
            timer.start()
            try:
                process.stdin.write(request + b"\n")
                process.stdin.flush()
                header = process.stdout.read(HEADER.size)
                if len(header) < HEADER.size:
                    raise ExportUnavailable("the render process ended without an answer")
                status, length = HEADER.unpack(header)
                payload = process.stdout.read(length)
            except (BrokenPipeError, OSError) as error:
                self.stop()
                raise ExportUnavailable(f"the render process failed: {error}") from error
            except ExportUnavailable:
                self.stop()
                raise
            finally:
                timer.cancel()
            self.renders += 1
            if self.renders >= self.renders_per_process:
                LOG.info("export: recycling render process %d after %d renders", process.pid, self.renders)
                self.stop()
            if status:
                raise ExportUnavailable(payload.decode("utf-8", "replace"))
            return payload


_renderer = RenderProcess(CONFIG.export_renders_per_browser)
_slots = threading.BoundedSemaphore(CONFIG.export_slots)


def renderer() -> RenderProcess:
    return _renderer


def render_export(name: str, fmt: str, query: str) -> bytes:
    """The export ``name.fmt`` of the view ``query`` (a normalised query string), rendered by the child.

    Raises :class:`ExportBusy` at once when every slot is taken, :class:`ExportUnavailable` without a browser
    or when the child fails.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    path = browser_path()
    if not path:
        raise ExportUnavailable("no Chromium found for static export (set BROWSER_PATH)")
    if not _slots.acquire(blocking=False):
        raise ExportBusy("every export slot is busy")
    try:
        return _renderer.render(json.dumps({"name": name, "format": fmt, "query": query}).encode(), path)
    finally:
        _slots.release()
