"""Plain Flask routes beside the Dash app: region outlines, a JSON view of the metrics, a health check."""

from __future__ import annotations

import os

from flask import Flask, Response, abort, jsonify, request

from dashboard import data, render, slides, views
from dashboard.config import CONFIG
from dashboard.state import ViewState

GEOJSON_MAX_AGE = 365 * 24 * 3600


def register(server: Flask) -> None:
    @server.after_request
    def frame_policy(response: Response) -> Response:
        """Only the sites named in ATLAS_FRAME_ANCESTORS may frame the atlas (embed mode)."""
        response.headers["Content-Security-Policy"] = f"frame-ancestors {CONFIG.frame_ancestors}"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response

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

    @server.get("/export/<name>.<fmt>")
    def export_image(name: str, fmt: str) -> Response:
        """A slide-ready PNG or SVG of the map or a chart, or a region's one-page PDF profile."""
        state = ViewState.from_query(request.query_string.decode("utf-8", "replace"))
        title = ""
        if name.startswith("region-") and fmt == "pdf":
            figure = views.region_profile_figure(name.removeprefix("region-").upper(), state)
            size = (slides.PROFILE_WIDTH, slides.PROFILE_HEIGHT)
            title = views.region_profile_title(name.removeprefix("region-").upper(), state)
        elif fmt in ("png", "svg"):
            try:
                figure = views.export_figure(name, state)
            except KeyError:
                figure = None
            size = (slides.SLIDE_WIDTH, slides.SLIDE_HEIGHT)
        else:
            figure = None
        if figure is None:
            abort(404)
        try:
            content = render.render(figure, fmt, width=size[0], height=size[1], title=title)
        except render.ExportUnavailable as error:
            return Response(str(error), status=503, mimetype="text/plain")
        response = Response(content, mimetype=render.FORMATS[fmt])
        response.headers["Content-Disposition"] = f'attachment; filename="{views.export_filename(name, fmt, state)}"'
        return response

    @server.get("/healthz")
    def health() -> Response:
        data.load_atlas_data()
        return jsonify({"status": "ok"})
