"""The app factory: one fresh Dash app per call, so tests can build their own."""

from __future__ import annotations

import functools
import html
import re
import threading
from pathlib import Path

import dash
import flask
from dash._utils import to_json
from flask_compress import Compress

from dashboard import api, components, guard, routes, security, shell, static_files, userlist, views
from dashboard.cache import MemoryStore, init_cache
from dashboard.config import CONFIG
from dashboard.data import load_atlas_data
from dashboard.i18n import translate
from dashboard.ratelimit import init_rate_limit

ROOT = Path(__file__).resolve().parent.parent
#: Bytes of built page layouts a worker keeps (one is 150-250 KB): the views a room or a talk opens.
BUILT_LAYOUT_BYTES = 32 * 1024 * 1024
#: Where Dash serves dcc's chunks, the parts of its components loaded on demand.
DCC_CHUNKS = "_dash-component-suites/dash/dcc/"
#: dcc's chunks that a page needs for its first render: every page's language switch; the maps and charts.
FIRST_RENDER_CHUNKS = ("async-dropdown.js",)
GRAPH_CHUNKS = ("async-graph.js",)
GRAPH_PAGES = ("/", "/partners")


def defer_scripts(scripts: str, libraries: tuple[str, ...]) -> tuple[str, list[str]]:
    """The page's script tags without those of ``libraries``, and the addresses taken out.

    ``assets/lazy_views.js`` loads them from ``<meta name="atlas-deferred-script">`` when a section that needs
    them (``data-scripts``) scrolls into view; until then the page carries none of their bytes.
    """
    deferred: list[str] = []

    def take(match: re.Match) -> str:
        deferred.append(html.unescape(match.group(1)))
        return ""

    names = "|".join(re.escape(name) for name in libraries)
    pattern = re.compile(rf'<script src="([^"]*/_dash-component-suites/(?:{names})/[^"]*)"></script>\n?')
    return pattern.sub(take, scripts), deferred


#: Scripts Dash includes that the atlas does without: Babel's polyfill for 2015's browsers (its one part Dash's
#: renderer needs comes with the atlas's own scripts) and dash_table's, a component the atlas never draws.
UNUSED_SCRIPTS = ("polyfill@", "/dash_table/")


def own_scripts_first(scripts: str, urls: list[str]) -> str:
    """The page's script tags without :data:`UNUSED_SCRIPTS`, after the atlas's own ``urls``: first its
    scripts (``assets/*.js`` as one file), whose fetch hook (``page_address.js``) and the renderer's runtime
    must be in place before the renderer starts; then its plotly.js, the largest file, so that it arrives and
    runs while Dash's scripts are still arriving (a busy worker answers a page's requests in their order)."""
    tags = [tag for tag in re.findall(r"<script[^>]*>.*?</script>", scripts, flags=re.DOTALL)
            if not any(name in tag for name in UNUSED_SCRIPTS)]
    return "\n".join([*(f'<script src="{url}"></script>' for url in urls), *tags])


class AtlasDash(dash.Dash):
    """Dash whose HTML page names its language in ``<html lang>`` before any script runs, and loads the atlas's
    own plotly.js (only the trace types it draws) before the renderer starts, so ``dcc.Graph`` finds
    ``window.Plotly`` and never fetches Dash's full bundle."""

    def interpolate_index(self, **kwargs) -> str:
        prefix = self.config.requests_pathname_prefix
        bundle = static_files.plotly_bundle_url(prefix)
        scripts, deferred = defer_scripts(kwargs.get("scripts", ""), components.DEFERRED_LIBRARIES)
        kwargs["scripts"] = own_scripts_first(scripts, [static_files.page_assets_url("js", prefix), bundle])
        kwargs["favicon"] = shell.ICON_LINK
        kwargs["css"] = (f'<link rel="stylesheet" href="{static_files.page_assets_url("css", prefix)}">\n'
                         + kwargs.get("css", ""))
        kwargs["metas"] = kwargs.get("metas", "") + "".join(
            f'\n<meta name="atlas-deferred-script" content="{html.escape(url)}">' for url in deferred)
        page = super().interpolate_index(**kwargs)
        if flask.has_request_context():
            preloads = views.outline_preloads(load_atlas_data(), flask.request.path,
                                              flask.request.query_string.decode("utf-8", "replace"))
            page = page.replace("</head>", preloads + self.chunk_preloads(flask.request.path) + "</head>", 1)
        return page.replace("<html>", f'<html lang="{shell.request_language()}">', 1)

    def chunk_preloads(self, path: str) -> str:
        """``<link rel=preload>`` for the parts of Dash's components that load on demand and are drawn with the
        page (the language switch's dropdown; the graphs of the pages that have them): fetched with the
        scripts, not after the page's first render."""
        base = f"{self.config.requests_pathname_prefix}{DCC_CHUNKS}"
        chunks = FIRST_RENDER_CHUNKS + (GRAPH_CHUNKS if shell.page_path(path) in GRAPH_PAGES else ())
        return "".join(f'<link rel="preload" href="{base}{chunk}" as="script">' for chunk in chunks)

    def _setup_server(self):
        """Dash's one-time set-up before the first request (it registers the scripts it may serve) marks itself
        done before it is: a thread answering meanwhile refused the page's scripts with 404. Threads arriving
        during the set-up now wait for it."""
        if self._set_up:
            return
        with self._setting_up:
            if not self._set_up:
                with shell.frame_only():  # Dash builds the layout here only to check it
                    super()._setup_server()
                self._set_up = True

    _set_up = False
    _setting_up = threading.Lock()

    def serve_layout(self):
        """A page's layout is built once per worker for each address (and language the browser prefers when the
        address names none), then sent as built: a room opening one view costs one build, not one per phone.
        It depends on nothing else of the request; the frame without a page (no address named) is built
        each time, as it costs nothing."""
        key = shell.layout_key()
        if key is None:
            return super().serve_layout()
        body = self._built_layouts.get(key)
        if body is None:
            body = to_json(self.get_layout()).encode("utf-8")
            self._built_layouts.set(key, body, 0)
        return self.backend.make_response(body, mimetype="application/json")

    @functools.cached_property
    def _built_layouts(self) -> MemoryStore:
        return MemoryStore(max_bytes=BUILT_LAYOUT_BYTES)

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
        # The atlas's scripts and stylesheets go out as one file each (static_files.page_assets); the files
        # themselves are still served, by name, for anyone asking for one.
        assets_ignore=r".*\.(js|css)$",
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
    static_files.register(server, compress_static=CONFIG.compress)
    guard.register(server, max_body_bytes=CONFIG.max_body_bytes)
    routes.register(server)
    api.register(server)
    userlist.allow_list_bodies(server)
    init_rate_limit(server)
    security.register(app)
    return app


#: What a first visitor's browser asks for before anything else: the page, then its layout (the page built in).
WARM_UP_REQUESTS = ("/", "/_dash-layout")
#: dcc's chunks the map page loads on demand during its first render, beyond those it preloads.
ON_DEMAND_CHUNKS = ("async-upload.js",)


def warm_up(server: flask.Flask) -> None:
    """Answer the map page's first requests once, in this process: Dash's one-time set-up, the data, the
    outlines' versions, the first map and the parts beside it are built and cached from then on (0.3–0.4 s
    once; a warm answer takes milliseconds). The static files the page names are compressed here too (0.3 s
    once): a new worker's first page load otherwise paid a compression for each of its files, one after the
    other on a busy worker."""
    client = server.test_client()
    answers = {path: client.get(path, headers={shell.PAGE_HEADER: "http://localhost/"}) for path in WARM_UP_REQUESTS}
    chunks = [f"/{DCC_CHUNKS}{chunk}" for chunk in ON_DEMAND_CHUNKS]
    for url in static_files.page_static_urls(answers["/"].get_data(as_text=True)) + chunks:
        for encoding in static_files.WARM_ENCODINGS:
            client.get(url, headers={"Accept-Encoding": encoding})


def start_warm_up(server: flask.Flask) -> threading.Thread | None:
    """Warm a new worker in the background (``ATLAS_WARM_UP``): it answers the first page at once, and what that
    page's content needs is built while the visitor's browser is still loading the scripts. Started by
    gunicorn's ``post_worker_init`` (gunicorn.conf.py), after the worker has forked."""
    if not CONFIG.warm_up:
        return None
    thread = threading.Thread(target=warm_up, args=(server,), name="atlas-warm-up", daemon=True)
    thread.start()
    return thread
