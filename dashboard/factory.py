"""The app factory: one fresh Dash app per call, so tests can build their own."""

from __future__ import annotations

from pathlib import Path

import dash
from flask import has_request_context, request
from flask_compress import Compress

from dashboard import routes, shell, views
from dashboard.cache import init_cache
from dashboard.config import CONFIG
from dashboard.i18n import translate

ROOT = Path(__file__).resolve().parent.parent


class AtlasDash(dash.Dash):
    """Dash whose HTML page names its language in ``<html lang>`` before any script runs."""

    def interpolate_index(self, **kwargs) -> str:
        page = super().interpolate_index(**kwargs)
        if has_request_context():
            preloads = views.outline_preloads(request.path, request.query_string.decode("utf-8", "replace"))
            page = page.replace("</head>", preloads + "</head>", 1)
        return page.replace("<html>", f'<html lang="{shell.request_language()}">', 1)


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
    routes.register(server)
    return app
