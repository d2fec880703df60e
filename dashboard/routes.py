"""Plain Flask routes beside the Dash app: region outlines, image exports, a health check (the API: ``api.py``)."""

from __future__ import annotations

from flask import Flask, Response, abort, jsonify, request

from dashboard import api_meta, data, exports, render, views
from dashboard.exports import export_spec
from dashboard.state import ViewState

GEOJSON_MAX_AGE = 365 * 24 * 3600


def unrendered(mimetype: str, headers: dict[str, str], etag: str) -> Response:
    """An export's headers without its bytes (a 304, or a HEAD before any render): no Content-Length, which
    Werkzeug would otherwise count from the empty body as 0."""
    response = Response(status=200, mimetype=mimetype, headers=headers)
    response.automatically_set_content_length = False
    response.set_etag(etag)
    return response.make_conditional(request)


def register(server: Flask) -> None:
    @server.get('/geo/nuts<any("0", "1", "2", "3"):level>-<etag>.geojson')
    def region_outlines(level: str, etag: str) -> Response:
        """Outlines of one level; the URL names the content, so browsers may keep them for a year.

        The level is one of four exact digits: the ``int`` converter would also take "02" or a full-width "２",
        and give every outline file more than one address.
        """
        atlas = data.load_atlas_data()
        if etag != data.region_geojson_etag(atlas, int(level)):
            abort(404)
        response = Response(data.region_geojson(atlas, int(level)), mimetype="application/geo+json")
        response.headers["Cache-Control"] = f"public, max-age={GEOJSON_MAX_AGE}, immutable"
        response.set_etag(etag)
        return response.make_conditional(request)

    @server.route("/export/<name>.<fmt>", methods=["GET", "HEAD"])
    def export_image(name: str, fmt: str) -> Response:
        """A slide-ready PNG or SVG of the map or a chart, or a region's one-page PDF profile.

        The same view gives the same bytes: a render is cached under the normalised view, and its ETag
        names it, so a conditional GET answers 304 and HEAD answers without rendering. A HEAD gives the size
        of a cached render; before the first render the size is unknown, so it gives no Content-Length.
        """
        state = ViewState.from_query(request.query_string.decode("utf-8", "replace"))
        name = exports.canonical_name(name)
        atlas = data.load_atlas_data()
        spec = export_spec(atlas, name, fmt)
        if spec is None:
            abort(404)
        key = exports.export_key(atlas, name, fmt, state)
        etag = key.removeprefix("atlas:")
        headers = {"Cache-Control": f"public, max-age={exports.MAX_AGE_SECONDS}",
                   "Content-Disposition": f'attachment; filename="{views.export_filename(name, fmt, state)}"'}
        if etag in request.if_none_match:
            return unrendered(render.FORMATS[fmt], headers, etag)
        content = exports.cached_render(key)
        if content is None and request.method == "HEAD":
            return unrendered(render.FORMATS[fmt], headers, etag)
        if content is None:
            try:
                content = exports.render_and_store(key, name, fmt, state)
            except render.ExportBusy:
                return Response("Busy rendering other exports; please retry in a few seconds.", status=503,
                                mimetype="text/plain", headers={"Retry-After": str(exports.RETRY_AFTER_SECONDS)})
            except render.ExportUnavailable as error:
                return Response(str(error), status=503, mimetype="text/plain")
        response = Response(content, mimetype=render.FORMATS[fmt], headers=headers)
        response.set_etag(etag)
        return response.make_conditional(request)

    api_meta.register(server)

    @server.get("/healthz")
    def health() -> Response:
        data.load_atlas_data()
        return jsonify({"status": "ok"})
