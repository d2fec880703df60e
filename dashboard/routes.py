"""Plain Flask routes beside the Dash app: region outlines, a JSON view of the metrics, a health check."""

from __future__ import annotations

import os

from flask import Flask, Response, abort, jsonify, request

from dashboard import api_meta, data, exports, render, views
from dashboard.exports import export_spec
from dashboard.state import ViewState

GEOJSON_MAX_AGE = 365 * 24 * 3600


def register(server: Flask) -> None:
    @server.get("/geo/nuts<int:level>-<etag>.geojson")
    def region_outlines(level: int, etag: str) -> Response:
        """Outlines of one level; the URL names the content, so browsers may keep them for a year."""
        if level not in (0, 1, 2, 3):
            abort(404)
        if etag != data.region_geojson_etag(level):
            abort(404)
        response = Response(data.region_geojson(level), mimetype="application/geo+json")
        response.headers["Cache-Control"] = f"public, max-age={GEOJSON_MAX_AGE}, immutable"
        response.set_etag(etag)
        return response.make_conditional(request)

    @server.get("/api/regions")
    def region_metrics_json() -> Response:
        """The numbers behind the map for the view named by the query string (same keys as the page URL)."""
        state = ViewState.from_query(request.query_string.decode("utf-8", "replace"))
        metrics, was_cached = data.view_metrics(state.selection, level=state.level, period=state.period)
        columns = ["nuts_id", "name", "country", "level", "in_area", "area_km2", "area_km2_in_area", "count",
                   "count_all_sectors", "density", "share", "lq", "lq_reliable"]
        records = metrics[columns].astype(object).where(metrics[columns].notna(), None).to_dict(orient="records")
        response = jsonify({"view": state.to_query(), "level": state.level, "period": state.period,
                            "regions": records})
        response.headers["X-Atlas-Cache"] = "hit" if was_cached else "miss"
        response.headers["X-Atlas-Worker"] = str(os.getpid())
        return response

    @server.route("/export/<name>.<fmt>", methods=["GET", "HEAD"])
    def export_image(name: str, fmt: str) -> Response:
        """A slide-ready PNG or SVG of the map or a chart, or a region's one-page PDF profile.

        The same view gives the same bytes: a render is cached under the normalised view, and its ETag
        names it, so a conditional GET answers 304 and HEAD answers without rendering.
        """
        state = ViewState.from_query(request.query_string.decode("utf-8", "replace"))
        spec = export_spec(name, fmt)
        if spec is None:
            abort(404)
        key = exports.export_key(name, fmt, state)
        etag = key.removeprefix("atlas:")
        headers = {"Cache-Control": f"public, max-age={exports.MAX_AGE_SECONDS}",
                   "Content-Disposition": f'attachment; filename="{views.export_filename(name, fmt, state)}"'}
        if request.method == "HEAD" or etag in request.if_none_match:
            response = Response(status=200, mimetype=render.FORMATS[fmt], headers=headers)
            response.set_etag(etag)
            return response.make_conditional(request)
        content = exports.cached_render(key)
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
