"""Runtime configuration from environment variables, each with a working default (12-factor)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError as error:
        raise ValueError(f"environment variable {name} must be a whole number, not {raw!r}") from error


#: How "yes" and "no" may be written in environment variables and in URL flags (``embed=1``, ``present=true``).
TRUE_STRINGS = ("1", "true", "yes", "on")
FALSE_STRINGS = ("0", "false", "no", "off")


def is_true(text: str) -> bool:
    return text.strip().lower() in TRUE_STRINGS


def is_false(text: str) -> bool:
    return text.strip().lower() in FALSE_STRINGS


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if is_true(raw):
        return True
    if is_false(raw):
        return False
    raise ValueError(f"environment variable {name} must be true or false, not {raw!r}")


@dataclass(frozen=True)
class Config:
    host: str
    port: int
    debug: bool
    redis_url: str
    cache_timeout: int
    compress: bool
    warm_up: bool
    public_url: str
    frame_ancestors: str
    api_rate_limit: str
    export_rate_limit: str
    upload_max_bytes: int
    upload_max_rows: int
    upload_max_columns: int
    upload_max_cell_chars: int
    max_body_bytes: int
    export_slots: int
    export_renders_per_browser: int
    cache_socket_timeout: float
    cache_retry_seconds: int
    cache_max_entry_bytes: int
    cache_memory_bytes: int
    corrections_url: str
    corrections_email: str

    @classmethod
    def from_environment(cls) -> Config:
        return cls(
            host=os.environ.get("HOST", "127.0.0.1"),
            port=_int("PORT", 8050),
            debug=_bool("ATLAS_DEBUG", False),
            redis_url=os.environ.get("REDIS_URL", "").strip(),
            cache_timeout=_int("ATLAS_CACHE_TIMEOUT", 3600),
            compress=_bool("ATLAS_COMPRESS", True),
            # Each gunicorn worker loads the data and builds the first page in the background as it starts.
            warm_up=_bool("ATLAS_WARM_UP", True),
            public_url=os.environ.get("ATLAS_PUBLIC_URL", "").strip(),
            # Which sites may show the atlas in a frame (CSP frame-ancestors), space-separated.
            frame_ancestors=os.environ.get("ATLAS_FRAME_ANCESTORS", "'self'").strip() or "'self'",
            # Per client (IP address), shared by every worker through REDIS_URL; "N per second|minute|hour".
            api_rate_limit=os.environ.get("ATLAS_API_RATE_LIMIT", "").strip() or "120 per minute",
            export_rate_limit=os.environ.get("ATLAS_EXPORT_RATE_LIMIT", "").strip() or "30 per minute",
            # A visitor's own list (page upload and POST /api/validate).
            upload_max_bytes=_int("ATLAS_UPLOAD_MAX_BYTES", 5 * 1024 * 1024),
            upload_max_rows=_int("ATLAS_UPLOAD_MAX_ROWS", 20_000),
            upload_max_columns=_int("ATLAS_UPLOAD_MAX_COLUMNS", 40),
            upload_max_cell_chars=_int("ATLAS_UPLOAD_MAX_CELL_CHARS", 2_000),
            # Largest request body accepted (callbacks send a few KB); a route that takes uploads raises it
            # for itself by setting ``request.max_content_length``.
            max_body_bytes=_int("ATLAS_MAX_BODY_BYTES", 1_000_000),
            # Exports rendering or waiting at once per worker process; one more answers 503 + Retry-After.
            export_slots=max(1, _int("ATLAS_EXPORT_SLOTS", 2)),
            # The render process (and its Chromium) is replaced after this many renders, bounding memory.
            export_renders_per_browser=max(1, _int("ATLAS_EXPORT_RENDERS_PER_BROWSER", 50)),
            cache_socket_timeout=_int("ATLAS_REDIS_TIMEOUT_MS", 250) / 1000,
            # After a Redis failure the cache is skipped for this long, then tried again.
            cache_retry_seconds=max(1, _int("ATLAS_CACHE_RETRY_SECONDS", 30)),
            cache_max_entry_bytes=_int("ATLAS_CACHE_MAX_ENTRY_BYTES", 2_000_000),
            # Total size of the in-process cache (used without Redis); Redis is bounded by its maxmemory.
            cache_memory_bytes=_int("ATLAS_CACHE_MEMORY_MB", 64) * 1_000_000,
            # Where readers send corrections: an issue tracker's "new issue" URL, else an e-mail address.
            # Both empty hides the "Suggest a correction" links.
            corrections_url=os.environ.get("ATLAS_CORRECTIONS_URL", "").strip(),
            corrections_email=os.environ.get("ATLAS_CORRECTIONS_EMAIL", "").strip(),
        )


CONFIG = Config.from_environment()
