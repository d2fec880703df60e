"""Per-client rate limits on the public API and the image exports, counted in Redis so every worker shares them.

One budget covers all of ``/api/*`` and another all of ``/export/*`` (scopes ``api`` and ``export``), keyed by
the client's address. Without ``REDIS_URL`` each process counts for itself (``memory://``). When Redis is away
the request is served rather than refused: each process counts in memory meanwhile and asks Redis again after
1, 2, 4, … s (Flask-Limiter's in-memory fallback), so a hung Redis costs one short timeout now and then, not
one per request. A limit is a courtesy, not a gate.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from dashboard.config import CONFIG

#: URL prefixes and the limit each shares among its routes.
SCOPES = {"/api": ("api", lambda: CONFIG.api_rate_limit), "/export/": ("export", lambda: CONFIG.export_rate_limit)}


class OutageInOneLine(logging.Filter):
    """Flask-Limiter logs each request it could not count with the whole traceback: when Redis hangs, every
    thread then asking it wrote some 60 lines, saying only that Redis timed out. One line says it, and that the
    request was served."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            record.msg = "rate limit: storage unavailable (%s: %s); the request is served, counted in memory"
            record.args = (type(error).__name__, error)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


logging.getLogger("flask-limiter").addFilter(OutageInOneLine())


def make_limiter() -> Limiter:
    return Limiter(get_remote_address, headers_enabled=True, swallow_errors=True, in_memory_fallback_enabled=True,
                   strategy="fixed-window", key_prefix="atlas-limit")


limiter = make_limiter()


def storage_uri(redis_url: str) -> str:
    return redis_url or "memory://"


def storage_options(redis_url: str) -> dict:
    """Short socket timeouts: a Redis that does not answer must not hold a request for long."""
    return {"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if redis_url else {}


def scope_of(path: str) -> str | None:
    for prefix, (scope, _) in SCOPES.items():
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return scope
    return None


def init_rate_limit(server: Flask) -> None:
    """Attach the limiter and put every route under /api and /export in its scope's shared limit.

    Call after all routes are registered: the limits wrap the view functions that exist at that moment.
    """
    server.config["RATELIMIT_STORAGE_URI"] = storage_uri(CONFIG.redis_url)
    server.config.setdefault("RATELIMIT_STORAGE_OPTIONS", storage_options(CONFIG.redis_url))
    limiter.init_app(server)
    wrapped: set[str] = set()
    for rule in server.url_map.iter_rules():
        scope = scope_of(rule.rule)
        if scope is None or rule.endpoint in wrapped:
            continue
        limit = next(provider for s, provider in SCOPES.values() if s == scope)
        server.view_functions[rule.endpoint] = limiter.shared_limit(limit, scope=scope)(
            server.view_functions[rule.endpoint])
        wrapped.add(rule.endpoint)

    @server.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded) -> Response:
        """429 with the limit named; Flask-Limiter adds ``Retry-After`` and the ``X-RateLimit-*`` headers."""
        message = f"rate limit exceeded: {error.description}; try again after the Retry-After seconds"
        if request.path.startswith("/api"):
            response = jsonify({"errors": [{"row": None, "column": None, "value": None, "message": message}]})
        else:
            response = Response(message, mimetype="text/plain")
        response.status_code = 429
        return response
