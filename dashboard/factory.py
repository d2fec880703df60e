"""The app factory: one fresh Dash app per call, so tests can build their own."""

from __future__ import annotations

from pathlib import Path

import dash
import flask
from flask_compress import Compress

from dashboard import guard, routes, security, shell, views
from dashboard.cache import init_cache
from dashboard.config import CONFIG
from dashboard.i18n import translate

ROOT = Path(__file__).resolve().parent.parent


class AtlasDash(dash.Dash):
    """Dash whose HTML page names its language in ``<html lang>`` before any script runs."""

    def interpolate_index(self, **kwargs) -> str:
        page = super().interpolate_index(**kwargs)
        if flask.has_request_context():
            preloads = views.outline_preloads(flask.request.path,
                                              flask.request.query_string.decode("utf-8", "replace"))
            page = page.replace("</head>", preloads + "</head>", 1)
        return page.replace("<html>", f'<html lang="{shell.request_language()}">', 1)

    def index(self, *args, **kwargs):
        """The page; with HTTP status 404 when the path names no page (Dash would answer 200), so links
        checkers and search engines see what the visitor sees: the not-found view."""
        page = super().index(*args, **kwargs)
        if shell.is_page_path(flask.request.path):
            return page
        return flask.Response(page, status=404, mimetype="text/html")


def create_app() -> dash.Dash:
    app = AtlasDash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "dashboard" / "pages"),
        assets_folder=str(ROOT / "assets"),
        title=translate("app.title"),
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": translate("app.description")}],
    )
    app.layout = shell.layout
    server = app.server
    init_cache(server)
    if CONFIG.compress:
        server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "application/json", "application/javascript",
                                               "application/geo+json", "text/javascript"]
        server.config["COMPRESS_MIN_SIZE"] = 500
        Compress(server)
    guard.register(server, max_body_bytes=CONFIG.max_body_bytes)
    routes.register(server)
    security.register(app)
    return app
