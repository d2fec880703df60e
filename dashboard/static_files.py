"""Static files: the atlas's own plotly.js, long-lived cache headers, and compression done once.

A room of phones opening the same view asks every worker for the same scripts; compressing them again on each
request cost most of a worker's time per page load. Here each static body is compressed once (at the highest
level, since it is paid once) and the result reused for every later request of the same file. The files the
map page names are compressed before the server opens its port (``factory.warm_up``, in gunicorn's master), so
the workers inherit them and a new worker's first visitor does not wait for a compression per file.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import re
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from threading import Lock

import brotli
from flask import Flask, Response, abort, request

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
PLOTLY_BUNDLE = VENDOR_DIR / "plotly-atlas.min.js"
#: Where Dash's dcc.Graph fetches plotly.js when ``window.Plotly`` is missing (serve_locally): answered with the
#: atlas's bundle too, so the full bundle is never sent.
DASH_PLOTLY_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"

ONE_YEAR = 365 * 24 * 3600
LONG_CACHE = f"public, max-age={ONE_YEAR}, immutable"
#: Paths whose bodies depend only on the path (and query), never on who asks: safe to compress once.
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/vendor/", "/geo/")
COMPRESSIBLE = {"application/javascript", "text/javascript", "text/css", "application/json",
                "application/geo+json", "image/svg+xml"}
MIN_SIZE = 500
#: Upper bound of compressed bytes kept per worker (every static file of the atlas fits several times over).
CACHE_BYTES = 64 * 1024 * 1024
#: Brotli 9 compresses the plotly bundle in about 2 s once; 11 would take ten times longer for 10 % less.
BROTLI_QUALITY = 9
GZIP_LEVEL = 9


@lru_cache(maxsize=1)
def plotly_bundle() -> tuple[bytes, str]:
    """The vendored plotly.js and a digest of it, which versions its URL."""
    content = PLOTLY_BUNDLE.read_bytes()
    return content, hashlib.sha256(content).hexdigest()[:16]


@lru_cache(maxsize=2)
def precompressed_bundle(encoding: str) -> bytes:
    """The bundle as ``make plotly-bundle`` compressed it (brotli 11, gzip 9), checked against the original."""
    compressed = PLOTLY_BUNDLE.with_name(f"{PLOTLY_BUNDLE.name}.{'br' if encoding == 'br' else 'gz'}").read_bytes()
    restored = brotli.decompress(compressed) if encoding == "br" else gzip.decompress(compressed)
    if restored != plotly_bundle()[0]:
        raise RuntimeError(f"{PLOTLY_BUNDLE}.{encoding} is stale: run make plotly-bundle")
    return compressed


def plotly_bundle_url(prefix: str = "/") -> str:
    return f"{prefix}vendor/plotly-atlas-{plotly_bundle()[1]}.min.js"


ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
#: What Dash's renderer needs of Babel's polyfill (the global ``regeneratorRuntime``): ``make plotly-bundle``.
REGENERATOR_RUNTIME = VENDOR_DIR / "regenerator-runtime.min.js"
ASSET_KINDS = {"js": "application/javascript", "css": "text/css"}


@lru_cache(maxsize=2)
def page_assets(kind: str) -> tuple[bytes, str]:
    """The atlas's own scripts (``js``) or stylesheets (``css``) of ``assets/`` as one file, in the order Dash
    would include them one by one (by name), and a digest that versions its URL. A page load asks for two
    files instead of a dozen: on a slow network every request is a round trip, and a busy worker answers
    them one after the other. The scripts start with the runtime Dash's renderer needs."""
    parts = [REGENERATOR_RUNTIME.read_bytes()] if kind == "js" else []
    parts += [path.read_bytes() for path in sorted(ASSETS_DIR.glob(f"*.{kind}"))]
    # Each file ends its last statement: a file without a final newline or semicolon cannot run into the next.
    content = b"\n;\n".join(parts) if kind == "js" else b"\n".join(parts)
    return content, hashlib.sha256(content).hexdigest()[:16]


def page_assets_url(kind: str, prefix: str = "/") -> str:
    return f"{prefix}vendor/atlas-{page_assets(kind)[1]}.{kind}"


def choose_encoding(accept_encoding: str) -> str | None:
    """``br`` or ``gzip`` if the browser takes it (browsers send ``br`` over HTTPS only), else None."""
    offered = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")}
    for name in ("br", "gzip"):
        if name in offered:
            return name
    return None


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


class CompressedBodies:
    """Compressed static bodies of one worker, least recently used dropped first beyond ``max_bytes``."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, bytes] = OrderedDict()
        self.size = 0
        self.lock = Lock()
        self.compressions = 0

    def get(self, key: tuple, body: bytes, encoding: str) -> bytes:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        compressed = compress(body, encoding)
        with self.lock:
            self.compressions += 1
            if key not in self.entries:
                self.entries[key] = compressed
                self.size += len(compressed)
            while self.size > self.max_bytes and len(self.entries) > 1:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped)
        return compressed


def is_static(path: str) -> bool:
    return path.startswith(STATIC_PREFIXES)


#: Encodings whose compressed bodies are made before a worker answers anyone: what browsers ask for.
WARM_ENCODINGS = ("br", "gzip")


def page_static_urls(page: str) -> list[str]:
    """The static files an HTML page names in its ``src`` and ``href`` attributes (scripts, stylesheets,
    preloads), in page order: what a first visitor's browser asks for at once."""
    urls = [html.unescape(url) for url in re.findall(r'\s(?:src|href)="(/[^"]*)"', page)]
    return list(dict.fromkeys(url for url in urls if is_static(url.split("?")[0])))


def cache_headers(response: Response) -> Response:
    """Versioned static URLs (the assets' ``?m=`` stamp, the bundle's digest) may be kept for a year."""
    if response.status_code == 200 and (request.path.startswith("/vendor/")
                                        or (request.path.startswith("/assets/") and request.args.get("m"))):
        response.headers["Cache-Control"] = LONG_CACHE
    return response


def compress_once(bodies: CompressedBodies, response: Response) -> Response:
    """Compress a static response from the worker's store; Flask-Compress then leaves it alone."""
    if (request.method != "GET" or response.status_code != 200 or not is_static(request.path)
            or "Content-Encoding" in response.headers or response.mimetype not in COMPRESSIBLE):
        return response
    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None:
        return response
    response.direct_passthrough = False
    source = response.response
    body = response.get_data()
    if hasattr(source, "close"):
        source.close()  # the file a static response streams from; its body is in memory now
    if len(body) < MIN_SIZE:
        return response
    etag, weak = response.get_etag()
    key = (request.path, request.query_string, encoding, len(body), etag)
    response.set_data(bodies.get(key, body, encoding))
    response.headers["Content-Encoding"] = encoding
    response.headers["Content-Length"] = str(response.content_length)
    response.vary.add("Accept-Encoding")
    if etag and not weak:
        response.set_etag(f"{etag}:{encoding}")
    return response.make_conditional(request)


def serve_plotly_bundle() -> Response:
    content, digest = plotly_bundle()
    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    response = Response(precompressed_bundle(encoding) if encoding else content, mimetype="application/javascript")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{digest}:{encoding}" if encoding else digest)
    return response.make_conditional(request)


def register(server: Flask, *, compress_static: bool) -> CompressedBodies:
    """The bundle's routes and the static response handlers; register after Flask-Compress, so these run first."""
    bodies = CompressedBodies()

    @server.get("/vendor/plotly-atlas-<digest>.min.js")
    def plotly_atlas(digest: str) -> Response:
        if digest != plotly_bundle()[1]:
            abort(404)
        return serve_plotly_bundle()

    server.add_url_rule(DASH_PLOTLY_PATH, "plotly_atlas_fallback", serve_plotly_bundle)

    @server.get("/vendor/atlas-<digest>.<kind>")
    def atlas_assets(digest: str, kind: str) -> Response:
        if kind not in ASSET_KINDS or digest != page_assets(kind)[1]:
            abort(404)
        return Response(page_assets(kind)[0], mimetype=ASSET_KINDS[kind])

    @server.after_request
    def static_response(response: Response) -> Response:
        response = cache_headers(response)
        return compress_once(bodies, response) if compress_static else response

    return bodies
