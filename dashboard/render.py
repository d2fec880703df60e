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
import tempfile
import threading

from pypdf import PdfReader, PdfWriter

from dashboard.config import CONFIG

LOG = logging.getLogger(__name__)
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: A render that takes longer than this is abandoned and its process replaced.
RENDER_TIMEOUT_SECONDS = 90.0
#: How much of the end of a failed render process's error output goes into the error, for the log.
STDERR_TAIL_BYTES = 600
WORKER_COMMAND = (sys.executable, "-m", "dashboard.render_worker")
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

    def __init__(self, renders_per_process: int, command: tuple[str, ...] = WORKER_COMMAND,
                 timeout_seconds: float = RENDER_TIMEOUT_SECONDS) -> None:
        self.renders_per_process = renders_per_process
        self.command = command
        self.timeout_seconds = timeout_seconds
        self.process: subprocess.Popen | None = None
        self.renders = 0
        self.stderr: io.BufferedRandom | None = None
        self.lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.poll() is None else None

    def _start(self, browser: str) -> subprocess.Popen:
        environment = {**os.environ, "BROWSER_PATH": browser}
        self.stderr = tempfile.TemporaryFile()
        process = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=self.stderr, env=environment,
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
        if self.stderr:
            self.stderr.close()
            self.stderr = None

    def _why_it_ended(self, process: subprocess.Popen, timed_out: bool) -> str:
        """Why ``process`` gave no answer: the time limit, or its exit status and last words on stderr."""
        if timed_out:
            return f"no answer within {self.timeout_seconds:g} s"
        try:
            status = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        said = ""
        if self.stderr:
            self.stderr.seek(0, io.SEEK_END)
            self.stderr.seek(max(0, self.stderr.tell() - STDERR_TAIL_BYTES))
            lines = self.stderr.read().decode("utf-8", "replace").strip().splitlines()
            said = f"; its last words: {lines[-1].strip()}" if lines else ""
        return f"it ended with status {status}{said}"

    def render(self, request: bytes, browser: str) -> bytes:
        """The child's answer to ``request``. A child that ends without one (its browser crashed, say) is
        replaced and asked once more; one still silent after ``timeout_seconds`` is not (bounded work)."""
        with self.lock:
            try:
                return self._render_once(request, browser)
            except _Ended as ended:
                if ended.timed_out:
                    raise ExportUnavailable(f"the render process gave no answer: {ended}") from None
                LOG.warning("export: render process ended without an answer (%s); starting another", ended)
            try:
                return self._render_once(request, browser)
            except _Ended as ended:
                raise ExportUnavailable(f"the render process gave no answer: {ended}") from None

    def _render_once(self, request: bytes, browser: str) -> bytes:
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.process = self._start(browser)
        process = self.process
        timed_out = threading.Event()

        def give_up() -> None:
            timed_out.set()
            process.kill()

        timer = threading.Timer(self.timeout_seconds, give_up)
        timer.start()
        try:
            process.stdin.write(request + b"\n")
            process.stdin.flush()
            header = process.stdout.read(HEADER.size)
            if len(header) < HEADER.size:
                raise _Ended(self._why_it_ended(process, timed_out.is_set()), timed_out.is_set())
            status, length = HEADER.unpack(header)
            payload = process.stdout.read(length)
        except (BrokenPipeError, OSError) as error:
            why = self._why_it_ended(process, timed_out.is_set())
            self.stop()
            raise _Ended(f"{error}; {why}", timed_out.is_set()) from error
        except _Ended:
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


class _Ended(Exception):
    """The render process gave no answer; ``timed_out`` when it was stopped for taking too long."""

    def __init__(self, why: str, timed_out: bool) -> None:
        super().__init__(why)
        self.timed_out = timed_out


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
