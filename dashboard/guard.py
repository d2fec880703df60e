"""What the server answers when a request is malformed: a 4xx and one log line, never a 500 and a traceback.

The parsers in ``dashboard.state`` turn every callback input and query string into a valid view, so a
callback should not raise on anything a client sends. This is the net below them: a request that still makes
Dash or a callback raise (a payload whose *frame* is broken — ``inputs`` missing, an output the app does not
have, a body that is not JSON) is the client's fault and answers 400. Each distinct failure site is logged
once at WARNING (type and file:line), repeats at DEBUG, so a fuzzer cannot flood the log.
"""

from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path

import dash
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

LOG = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
#: Distinct failure sites remembered, so a flood of one bad payload logs one line; bounded like any cache.
MAX_SITES = 256

_seen: set[str] = set()
_seen_lock = threading.Lock()


def failure_site(error: BaseException) -> str:
    """``Type at file:line``: the innermost frame in this project's code (``dashboard/state.py:93``), else the
    innermost frame of the library that raised (``dash/_validate.py:135``)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if is_project_file(frame.filename)]
    if ours:
        where = f"{Path(ours[-1].filename).resolve().relative_to(ROOT)}:{ours[-1].lineno}"
    elif frames:
        where = f"{'/'.join(Path(frames[-1].filename).parts[-2:])}:{frames[-1].lineno}"
    else:
        where = "?"
    return f"{type(error).__name__} at {where}"


def is_project_file(filename: str) -> bool:
    path = Path(filename).resolve()
    return path.is_relative_to(ROOT) and ".venv" not in path.relative_to(ROOT).parts


def _log_once(error: Exception, path: str) -> None:
    """One line per distinct failure site; the first failure inside this project's code also carries its
    traceback, since the parsers should have absorbed it (a bug to fix, not a client to blame)."""
    site = failure_site(error)
    with _seen_lock:
        first = site not in _seen
        if first and len(_seen) < MAX_SITES:
            _seen.add(site)
    if not first:
        LOG.debug("rejected a malformed request to %s: %s", path, site)
    elif site.split(" at ", 1)[-1].startswith(("dashboard/", "geodata/")):
        LOG.error("rejected a request to %s that failed in the app: %s", path, site, exc_info=error)
    else:
        LOG.warning("rejected a malformed request to %s: %s", path, site)


def client_fault(path: str) -> int | None:
    """The status for an exception raised while serving ``path`` by a client's doing; None if it is ours."""
    if path.endswith("/_dash-update-component"):
        return 400
    if "/_dash-component-suites/" in path:
        return 404
    if path.endswith(("/_dash-layout", "/_dash-dependencies")):
        return 400
    return None


def register(server: Flask, *, max_body_bytes: int) -> None:
    server.config["MAX_CONTENT_LENGTH"] = max_body_bytes

    @server.errorhandler(Exception)
    def answer_client_errors(error: Exception):
        """HTTP errors pass through; a failure on a client-shaped request is a 4xx with one log line."""
        if isinstance(error, HTTPException):
            return error
        if isinstance(error, dash.exceptions.PreventUpdate):
            return "", 204
        status = client_fault(request.path)
        if status is None:
            raise error
        _log_once(error, request.path)
        return Response("Bad request" if status == 400 else "Not found", status=status, mimetype="text/plain")

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        limit = request.max_content_length or max_body_bytes
        return Response(f"Request body too large (limit {limit} bytes)", status=413, mimetype="text/plain")
