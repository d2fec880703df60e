"""Gunicorn settings for the atlas (``gunicorn -c gunicorn.conf.py app:server``; the Procfile uses it).

Threaded workers (``gthread``): a worker serves ``threads`` requests at once, so a slow client — one that
trickles its request headers, or reads the answer slowly — ties up one thread, never a whole worker, and an
export waiting for its render process does not block pages. Idle keep-alive connections wait in the
worker's event loop, not in a thread. For a server that binds a public port, put a buffering proxy (nginx,
see README) in front as well: it absorbs slow clients entirely.

Every value can be overridden from the environment (``WEB_CONCURRENCY``, ``GUNICORN_THREADS``, ``PORT``).
"""

import os
import sys
import time

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A request (an export renders in its own process, within 90 s) that runs longer than this kills the worker.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Requests whose line or headers are oversized are refused before they reach the app.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
# The app is imported, and its data built, once in the master before the port opens and the workers fork:
# a visitor never waits for an import or a cold worker (a platform routes to the port as soon as it is bound),
# and the workers share the data's memory. Arrow's thread pools and redis-py's connections are fork-safe.
preload_app = True


def serves_atlas() -> bool:
    """Only the atlas is warmed: another app started from this folder with this file (the naive baseline of
    ``user_speed.py``, say) must not pay for importing the atlas."""
    return "dashboard.factory" in sys.modules


def on_starting(server):
    """Build the data and the default map page in the master, after the preload and before the port opens."""
    if serves_atlas():
        from dashboard.factory import warm_up

        started = time.perf_counter()
        warm_up(server.app.wsgi())
        server.log.info("Atlas warmed up in %.2f s: data and default map page built", time.perf_counter() - started)


def post_worker_init(worker):
    """Without the preload (``--no-preload``), each worker builds the data and the first map page in a
    background thread while it already answers; after it, this finds everything built."""
    if not serves_atlas() or worker.cfg.preload_app:
        return
    from dashboard.factory import start_warm_up

    start_warm_up(worker.wsgi)
