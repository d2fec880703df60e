"""The public, documented JSON API under ``/api``: region metrics, organisations, the list check, its description.

Every GET answer under ``/api`` (this module's and any other's) is cacheable (``ETag`` + ``Cache-Control``,
304 on ``If-None-Match``) and readable from any origin; ``POST /api/validate`` is not cross-origin. Rate
limits are attached in ``dashboard.ratelimit``.
"""

from __future__ import annotations

import html
import json
import os

from flask import Blueprint, Flask, Response, jsonify, request

from dashboard import data, openapi, userlist
from dashboard.i18n import Translator
from dashboard.shell import ICON_LINK, request_language
from dashboard.state import ViewState
from geodata import upload
from geodata.nuts import PERIODS, in_area_column

API_CACHE_SECONDS = 300
#: Multipart framing around the file is small; a body larger than this cannot hold an acceptable file.
MULTIPART_OVERHEAD_BYTES = 64 * 1024

blueprint = Blueprint("api", __name__, url_prefix="/api")


def _view_state() -> ViewState:
    return ViewState.from_query(request.query_string.decode("utf-8", "replace"))


def _records(frame, columns) -> list[dict]:
    chosen = frame[list(columns)]
    return chosen.astype(object).where(chosen.notna(), None).to_dict(orient="records")


def public_get_answers(response: Response) -> Response:
    """Every GET under /api, whichever module serves it: readable from any origin, cacheable, conditional.

    Every answer, a refusal included, names the worker process, so tests can see that limits are shared.
    """
    if not (request.path == "/api" or request.path.startswith("/api/")):
        return response
    response.headers["X-Atlas-Worker"] = str(os.getpid())
    if request.method not in ("GET", "HEAD"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
    if response.status_code == 200 and not response.direct_passthrough:
        response.headers.setdefault("Cache-Control", f"public, max-age={API_CACHE_SECONDS}")
        if "ETag" not in response.headers:
            response.add_etag()
        response.make_conditional(request)
    return response


@blueprint.get("/regions")
def regions() -> Response:
    """The numbers behind the map for the view named by the query string (same keys as the page URL)."""
    state = _view_state()
    metrics, was_cached = data.load_atlas_data().view_metrics(state.selection, level=state.level, period=state.period)
    view = state.to_query()
    response = jsonify({
        "meta": openapi.meta(state.period, view=view, units=("area_km2", "area_km2_in_area", "count",
                                                               "count_all_sectors", "density", "share", "lq")),
        "view": view, "level": state.level, "period": state.period,
        "regions": _records(metrics, openapi.REGION_FIELDS),
    })
    response.headers["X-Atlas-Cache"] = "hit" if was_cached else "miss"
    return response


def organisations_in(atlas: data.AtlasData, state: ViewState, region: str):
    """The register rows of a view, optionally only those in one NUTS region of any level."""
    clusters = atlas.selected_clusters(state.selection)
    if region:
        level = len(region) - 2
        clusters = clusters[clusters[f"nuts{level}"] == region] if 0 <= level <= 3 else clusters.iloc[0:0]
    clusters = clusters.assign(in_area=clusters[in_area_column(state.period)])
    return clusters.sort_values(["country", "name"], kind="stable")


@blueprint.get("/organisations")
def organisations() -> Response:
    """The organisations of a view, with their NUTS codes and programme-area flag for the chosen period."""
    state = _view_state()
    region = request.args.get("region", "").strip().upper()
    if not (region.isalnum() and 2 <= len(region) <= 5):
        region = ""
    chosen = organisations_in(data.load_atlas_data(), state, region)
    view = state.to_query()
    response = jsonify({"meta": openapi.meta(state.period, view=view, units=("lat", "lon", "founded")),
                        "count": len(chosen), "organisations": _records(chosen, openapi.ORGANISATION_FIELDS)})
    return response


def _limits_record() -> dict:
    limits = userlist.limits()
    return {"max_bytes": limits.max_bytes, "max_rows": limits.max_rows, "max_columns": limits.max_columns,
            "max_cell_chars": limits.max_cell_chars}


def _errors(status: int, problems: list[dict]) -> Response:
    period = ViewState().period
    response = jsonify({"errors": problems, "meta": openapi.meta(period, limits=_limits_record())})
    response.status_code = status
    return response


def _too_large(size: int | None) -> Response:
    limit = userlist.limits().max_bytes
    shown = f"the request is {upload.format_bytes(size)}" if size else "the request is too large"
    return _errors(413, [{"row": None, "column": None, "value": None,
                          "message": f"{shown}; the limit for one list is {upload.format_bytes(limit)}"}])


@blueprint.post("/validate")
def validate() -> Response:
    """Check and place a visitor's list exactly as the register is checked; nothing is kept."""
    limit = userlist.limits().max_bytes
    if request.content_length is not None and request.content_length > limit + MULTIPART_OVERHEAD_BYTES:
        return _too_large(request.content_length)
    # The app's body limit is for everything else; this route reads up to one list's worth.
    request.max_content_length = limit + MULTIPART_OVERHEAD_BYTES
    file = request.files.get("file")
    if file is None:
        return _errors(400, [{"row": None, "column": None, "value": None,
                              "message": "send the list as a multipart/form-data field named 'file'"}])
    content = file.stream.read(limit + 1)
    try:
        checked = userlist.check(content, file.filename or userlist.DEFAULT_FILENAME)
    except upload.FileTooLarge as error:
        return _errors(413, [{"row": None, "column": None, "value": None, "message": str(error)}])
    if checked.problems:
        return _errors(422, upload.problem_records(checked.problems))
    joined = checked.joined
    flags = [in_area_column(period) for period in PERIODS]
    placed = joined[["source_row", "name", "nuts0", "nuts1", "nuts2", "nuts3", "join_method", *flags]]
    records = _records(placed.rename(columns={"source_row": "row"}),
                       ["row", "name", "nuts0", "nuts1", "nuts2", "nuts3", "join_method", *flags])
    return jsonify({"meta": openapi.meta(ViewState().period, limits=_limits_record()), "rows": len(joined),
                    "placed": records})


@blueprint.errorhandler(413)
def request_too_large(_error) -> Response:
    """Werkzeug refuses a body beyond MAX_CONTENT_LENGTH; answer in the API's own error format."""
    return _too_large(request.content_length)


@blueprint.get("/openapi.json")
def openapi_json() -> Response:
    response = Response(json.dumps(openapi.openapi_document(), ensure_ascii=False, indent=1),
                        mimetype="application/json")
    return response


@blueprint.get("")
def documentation() -> Response:
    """The description as a readable, self-contained page (no script, no remote resources)."""
    language = request_language()
    page = render_documentation(openapi.openapi_document(), Translator(language), language)
    return Response(page, mimetype="text/html")


def render_documentation(document: dict, _: Translator, language: str) -> str:
    """HTML for ``document``; every text is escaped."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>", f'<html lang="{e(language)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(_('api.title'))}</title>", ICON_LINK,
        '<link rel="stylesheet" href="/assets/api-docs.css"></head>',
        '<body class="api-doc"><main>',
        f'<p><a href="/">{e(_("api.back"))}</a></p>',
        f"<h1>{e(_('api.title'))}</h1>",
        f"<p>{e(_('api.intro'))}</p>",
        f"<p>{e(document['info']['description'])}</p>",
        f'<p><a href="/api/openapi.json">{e(_("api.openapi"))}</a> (OpenAPI {e(document["openapi"])}, '
        f'{e(_("api.version"))} {e(document["info"]["version"])})</p>',
        f'<nav aria-label="{e(_("api.contents"))}"><ul>',
    ]
    operations = [(path, method, operation) for path, item in document["paths"].items()
                  for method, operation in item.items()]
    for path, method, operation in operations:
        parts.append(f'<li><a href="#{e(operation["operationId"])}"><code>{e(method.upper())} {e(path)}</code></a>'
                     f" {e(operation['summary'])}</li>")
    parts.append("</ul></nav>")
    for path, method, operation in operations:
        parts.append(f'<section id="{e(operation["operationId"])}">')
        parts.append(f"<h2><code>{e(method.upper())} {e(path)}</code></h2><p>{e(operation['summary'])}</p>")
        if operation.get("description"):
            parts.append(f"<p>{e(operation['description'])}</p>")
        if operation.get("parameters"):
            parts.append(f"<h3>{e(_('api.parameters'))}</h3><table><thead><tr>"
                         f"<th scope='col'>{e(_('api.name'))}</th><th scope='col'>{e(_('api.values'))}</th>"
                         f"<th scope='col'>{e(_('api.meaning'))}</th></tr></thead><tbody>")
            for parameter in operation["parameters"]:
                schema = parameter["schema"]
                allowed = schema.get("enum") or schema.get("items", {}).get("enum") or []
                values = ", ".join(str(value) for value in allowed) or schema.get("pattern", schema["type"])
                parts.append(f"<tr><td><code>{e(parameter['name'])}</code></td><td>{e(str(values))}</td>"
                             f"<td>{e(parameter['description'])}</td></tr>")
            parts.append("</tbody></table>")
        parts.append(f"<h3>{e(_('api.responses'))}</h3><ul>")
        for status, answer in operation["responses"].items():
            if "$ref" in answer:
                answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
            parts.append(f"<li><code>{e(status)}</code> {e(answer['description'])}</li>")
        parts.append("</ul>")
        example = (f"curl -F file=@list.csv {path}" if method == "post"
                   else f"curl '{path}{'?sector=ict&country=AT' if operation.get('parameters') else ''}'")
        parts.append(f"<h3>{e(_('api.example'))}</h3><pre><code>{e(example)}</code></pre></section>")
    units = openapi.UNITS
    parts.append(f"<section id='units'><h2>{e(_('api.units'))}</h2><table><tbody>")
    parts.extend(f"<tr><th scope='row'><code>{e(name)}</code></th><td>{e(unit)}</td></tr>"
                 for name, unit in units.items())
    parts.append(f"</tbody></table><h2>{e(_('api.sources'))}</h2><ul>")
    parts.extend(f"<li>{e(source)}</li>" for source in openapi.SOURCES)
    parts.append("</ul></section></main></body></html>")
    return "\n".join(parts)


def register(server: Flask) -> None:
    server.register_blueprint(blueprint)
    server.after_request(public_get_answers)
