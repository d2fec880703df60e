"""The shared cache: Redis when ``REDIS_URL`` is set (shared by every worker and host), else in-process.

Values are looked up by explicit keys built from primitive values (ids, tuples of strings), never from a
DataFrame's repr, which pandas truncates. A cache that fails (Redis restarting) counts as a miss: the request
is computed and served, and redis-py reconnects on a later call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import Flask
from flask_caching import Cache

from dashboard.config import CONFIG

LOG = logging.getLogger(__name__)
T = TypeVar("T")

cache = Cache()


def cache_settings(redis_url: str, timeout: int) -> dict[str, object]:
    if redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_DEFAULT_TIMEOUT": timeout,
            "CACHE_KEY_PREFIX": "atlas:",
            # Fail fast when Redis is away, so a request waits for the computation, not for a dead socket.
            "CACHE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": timeout, "CACHE_THRESHOLD": 2000}


def init_cache(server: Flask) -> None:
    settings = cache_settings(CONFIG.redis_url, CONFIG.cache_timeout)
    cache.init_app(server, config=settings)
    if CONFIG.redis_url:
        LOG.info("cache: Redis at %s, shared by every worker", CONFIG.redis_url.split("@")[-1])
    else:
        LOG.warning("cache: REDIS_URL is not set; using an in-process cache that workers do not share")


def cached(key: str, compute: Callable[[], T]) -> tuple[T, bool]:
    """``(value, was_cached)`` for ``key``; computes and stores on a miss or when the backend fails."""
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - any backend failure is a miss; the user still gets an answer
        LOG.warning("cache: lookup of %s failed; computing instead", key, exc_info=True)
        value = None
    if value is not None:
        return value, True
    value = compute()
    try:
        cache.set(key, value)
    except Exception:  # noqa: BLE001
        LOG.warning("cache: storing %s failed", key, exc_info=True)
    return value, False
