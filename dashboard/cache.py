"""The shared cache: Redis when ``REDIS_URL`` is set (shared by every worker and host), else in-process.

It fails soft and stays small:

- Keys are a hash of primitive values (the data's version and the normalised view, never raw search text), so
  a key has a fixed length and reveals nothing a visitor typed.
- Values are pickled once here; one larger than ``ATLAS_CACHE_MAX_ENTRY_BYTES`` is served but not stored.
  The in-process cache is a least-recently-used store bounded by total bytes (``ATLAS_CACHE_MEMORY_MB``);
  Redis is bounded by its own ``maxmemory`` with ``allkeys-lru`` (see README), and every entry has a TTL.
- A Redis that fails or hangs costs one short socket timeout: a circuit breaker then skips Redis for
  ``ATLAS_CACHE_RETRY_SECONDS`` and tries again after that. One log line when it opens, one when Redis
  answers again — not a traceback per operation.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import redis
from flask import Flask

from dashboard.config import CONFIG

LOG = logging.getLogger(__name__)
T = TypeVar("T")
KEY_PREFIX = "atlas:"


def cache_key(*parts: object) -> str:
    """A fixed-length key for ``parts`` (primitive values and frozen dataclasses: their repr is complete)."""
    return KEY_PREFIX + hashlib.sha256("|".join(repr(part) for part in parts).encode("utf-8")).hexdigest()[:40]


class MemoryStore:
    """A thread-safe LRU of pickled values, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, timeout: int) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self.entries[key] = value
            self.size += len(value)
            while self.size > self.max_bytes and self.entries:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


class RedisStore:
    """Redis with short socket timeouts; every value has a TTL."""

    def __init__(self, url: str, socket_timeout: float) -> None:
        self.client = redis.Redis.from_url(url, socket_connect_timeout=socket_timeout, socket_timeout=socket_timeout,
                                           retry_on_timeout=False, retry=None, health_check_interval=0)

    def get(self, key: str) -> bytes | None:
        return self.client.get(key)

    def set(self, key: str, value: bytes, timeout: int) -> None:
        self.client.set(key, value, ex=timeout)

    def clear(self) -> None:
        for key in self.client.scan_iter(match=KEY_PREFIX + "*", count=500):
            self.client.delete(key)


class SharedCache:
    """A store behind a circuit breaker: a failing backend is skipped for ``retry_seconds``, then retried."""

    def __init__(self, store: MemoryStore | RedisStore, *, timeout: int, max_entry_bytes: int,
                 retry_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.timeout = timeout
        self.max_entry_bytes = max_entry_bytes
        self.retry_seconds = retry_seconds
        self.clock = clock
        self.open_until = 0.0
        self.failing = False
        self.lock = threading.Lock()

    def _available(self) -> bool:
        with self.lock:
            if not self.failing:
                return True
            if self.clock() < self.open_until:
                return False
            # Half-open: let this one operation through; a failure opens the breaker again.
            self.open_until = self.clock() + self.retry_seconds
            return True

    def _failed(self, error: Exception) -> None:
        with self.lock:
            first = not self.failing
            self.failing = True
            self.open_until = self.clock() + self.retry_seconds
        if first:
            LOG.warning("cache: backend unavailable (%s: %s); skipping it for %.0f s at a time until it answers",
                        type(error).__name__, error, self.retry_seconds)

    def _succeeded(self) -> None:
        if not self.failing:
            return
        with self.lock:
            recovered, self.failing = self.failing, False
        if recovered:
            LOG.warning("cache: backend answers again; using it")

    def get_bytes(self, key: str) -> bytes | None:
        if not self._available():
            return None
        try:
            value = self.store.get(key)
        except (redis.RedisError, OSError) as error:
            self._failed(error)
            return None
        self._succeeded()
        return value

    def set_bytes(self, key: str, value: bytes) -> bool:
        if len(value) > self.max_entry_bytes or not self._available():
            return False
        try:
            self.store.set(key, value, self.timeout)
        except (redis.RedisError, OSError) as error:
            self._failed(error)
            return False
        self._succeeded()
        return True

    def get(self, key: str) -> object | None:
        raw = self.get_bytes(key)
        if raw is None:
            return None
        try:
            return pickle.loads(raw)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None

    def set(self, key: str, value: object) -> bool:
        return self.set_bytes(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def clear(self) -> None:
        try:
            self.store.clear()
        except (redis.RedisError, OSError) as error:
            self._failed(error)


def make_cache(redis_url: str) -> SharedCache:
    store: MemoryStore | RedisStore = (RedisStore(redis_url, CONFIG.cache_socket_timeout) if redis_url
                                       else MemoryStore(CONFIG.cache_memory_bytes))
    return SharedCache(store, timeout=CONFIG.cache_timeout, max_entry_bytes=CONFIG.cache_max_entry_bytes,
                       retry_seconds=CONFIG.cache_retry_seconds)


cache = make_cache(CONFIG.redis_url)


def init_cache(server: Flask) -> None:
    if CONFIG.redis_url:
        LOG.info("cache: Redis at %s, shared by every worker", CONFIG.redis_url.split("@")[-1])
    else:
        LOG.warning("cache: REDIS_URL is not set; using an in-process cache that workers do not share")


def cached(key: str, compute: Callable[[], T]) -> tuple[T, bool]:
    """``(value, was_cached)`` for ``key`` (see :func:`cache_key`); computes and stores on a miss or when the
    backend fails."""
    value = cache.get(key)
    if value is not None:
        return value, True
    value = compute()
    cache.set(key, value)
    return value, False
