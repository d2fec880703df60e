"""The OpenAPI 3.1 description of every ``/api/*`` route, built from the same vocabularies the routes use.

Query parameters are the page URL's own keys (``dashboard.state.QUERY_KEYS``) with their allowed values taken
from ``geodata``, so the description cannot drift from what the parser accepts. ``/api`` renders this document
as HTML; tests validate it and check that every route the app serves under ``/api`` appears in it.
"""

from __future__ import annotations

from geodata.export import EXPORT_COLUMNS, REGISTER_SOURCE
from geodata.nuts import PERIODS
from geodata.sectors import ORG_TYPES, SECTOR_IDS, STATUSES
from geodata.selection import LANDSCAPES, MOUNTAIN_CHOICES
from geodata.settings import COUNTRIES, GEONAMES_ATTRIBUTION, NUTS_ATTRIBUTION, NUTS_SOURCE

API_VERSION = "1.0.0"
SOURCES = (REGISTER_SOURCE, GEONAMES_ATTRIBUTION, NUTS_SOURCE)
#: Units of every numeric field an answer may hold; the same dictionary is in each answer's ``meta``.
UNITS = {
    "area_km2": "square kilometres (EPSG:3035 equal-area)",
    "area_km2_in_area": "square kilometres of the region inside the programme area (EPSG:3035)",
    "count": "organisations in the chosen sectors (programme-area regions only)",
    "count_all_sectors": "organisations of all sectors (programme-area regions only)",
    "density": "organisations per 10,000 km² of the region's area inside the programme area",
    "share": "fraction 0–1 of the region's organisations that are in the chosen sectors",
    "lq": "location quotient: share divided by the same share over the programme area (1 = average)",
    "lat": "degrees north, WGS 84 (EPSG:4326)",
    "lon": "degrees east, WGS 84 (EPSG:4326)",
    "founded": "calendar year",
    "score": "0–1, higher is a closer match; the parts and reasons sum to it",
    "distance_km": "kilometres, straight line between the two seats in EPSG:3035",
    "similarity": "0–1, one minus the Jensen–Shannon divergence of the two regions' smoothed sector shares",
}
REGION_FIELDS = ("nuts_id", "name", "country", "level", "in_area", "area_km2", "area_km2_in_area", "count",
                 "count_all_sectors", "density", "share", "lq", "lq_reliable")
ORGANISATION_FIELDS = tuple(column for column in EXPORT_COLUMNS if not column.startswith("in_area_")) + ("in_area",)

_NULLABLE_NUMBER = {"type": ["number", "null"]}
_NULLABLE_STRING = {"type": ["string", "null"]}


def _csv_list(name: str, allowed: tuple[str, ...], what: str) -> dict:
    return {"name": name, "in": "query", "required": False, "style": "form", "explode": False,
            "description": f"{what}, comma-separated; unknown values are ignored. Empty means all.",
            "schema": {"type": "array", "items": {"type": "string", "enum": list(allowed)}}}


def _choice(name: str, allowed: tuple, default: object, what: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": f"{what}; anything else means the default.",
            "schema": {"type": "string" if isinstance(default, str) else "integer", "enum": list(allowed),
                       "default": default}}


FILTER_PARAMETERS = {
    "sector": _csv_list("sector", SECTOR_IDS, "Sector ids"),
    "country": _csv_list("country", COUNTRIES, "ISO 3166-1 alpha-2 country codes"),
    "type": _csv_list("type", ORG_TYPES, "Organisation types"),
    "mountain": _choice("mountain", MOUNTAIN_CHOICES, "all",
                        "NUTS 3 mountain typology (Eurostat MOUNT_TYPE 1–3 = mountain)"),
    "landscape": _choice("landscape", LANDSCAPES, "today",
                         "'today' = the current register, 'alps4eu' = organisations that existed in 2011–2014"),
    "q": {"name": "q", "in": "query", "required": False,
          "description": "Search in name, acronym, city and themes (case and accents ignored), at most 80 characters.",
          "schema": {"type": "string", "maxLength": 80}},
    "period": _choice("period", PERIODS, "2021-2027", "Interreg Alpine Space programme period"),
}
LEVEL_PARAMETER = _choice("level", (0, 1, 2, 3), 3, "NUTS level of the regions")
REGION_PARAMETER = {"name": "region", "in": "query", "required": False,
                    "description": "Only organisations in this NUTS region (any level, e.g. AT3, ITH1, CH056).",
                    "schema": {"type": "string", "pattern": "^[A-Z]{2}[A-Z0-9]{0,3}$"}}


def _meta_schema() -> dict:
    return {"type": "object", "required": ["api_version", "programme", "programme_period", "units", "sources",
                                           "attribution", "documentation"],
            "properties": {
                "api_version": {"type": "string"},
                "programme": {"type": "string"},
                "programme_period": {"type": "string", "enum": list(PERIODS)},
                "units": {"type": "object", "additionalProperties": {"type": "string"}},
                "sources": {"type": "array", "items": {"type": "string"}},
                "attribution": {"type": "string"},
                "documentation": {"type": "string"},
                "view": {"type": "string", "description": "The page URL's query string for the same view."},
                "limits": {"$ref": "#/components/schemas/Limits"},
            }}


def _schemas() -> dict:
    region_properties = {
        "nuts_id": {"type": "string"}, "name": {"type": "string"}, "country": {"type": "string"},
        "level": {"type": "integer"}, "in_area": {"type": "boolean"}, "area_km2": {"type": "number"},
        "area_km2_in_area": {"type": "number"}, "count": _NULLABLE_NUMBER, "count_all_sectors": _NULLABLE_NUMBER,
        "density": _NULLABLE_NUMBER, "share": _NULLABLE_NUMBER, "lq": _NULLABLE_NUMBER,
        "lq_reliable": {"type": "boolean"},
    }
    organisation_properties = {name: _NULLABLE_STRING for name in ORGANISATION_FIELDS}
    organisation_properties.update({"lat": {"type": "number"}, "lon": {"type": "number"},
                                    "founded": {"type": ["integer", "null"]}, "in_area": {"type": "boolean"},
                                    "org_type": {"type": "string", "enum": list(ORG_TYPES)},
                                    "status": {"type": "string", "enum": list(STATUSES)},
                                    "sector": {"type": "string", "enum": list(SECTOR_IDS)}})
    problem = {"type": "object", "required": ["row", "column", "value", "message"],
               "properties": {"row": {"type": ["integer", "null"], "description": "Spreadsheet row (header = 1)."},
                              "column": _NULLABLE_STRING, "value": _NULLABLE_STRING,
                              "message": {"type": "string"}}}
    return {
        "Meta": _meta_schema(),
        "Limits": {"type": "object", "properties": {
            "max_bytes": {"type": "integer"}, "max_rows": {"type": "integer"},
            "max_columns": {"type": "integer"}, "max_cell_chars": {"type": "integer"}}},
        "Region": {"type": "object", "required": list(REGION_FIELDS), "properties": region_properties},
        "Organisation": {"type": "object", "required": list(ORGANISATION_FIELDS),
                         "properties": organisation_properties},
        "Problem": problem,
        "Errors": {"type": "object", "required": ["errors"], "properties": {
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}},
            "meta": {"$ref": "#/components/schemas/Meta"}}},
        "RegionsAnswer": {"type": "object", "required": ["meta", "view", "level", "period", "regions"],
                          "properties": {"meta": {"$ref": "#/components/schemas/Meta"}, "view": {"type": "string"},
                                         "level": {"type": "integer"}, "period": {"type": "string"},
                                         "regions": {"type": "array",
                                                     "items": {"$ref": "#/components/schemas/Region"}}}},
        "OrganisationsAnswer": {"type": "object", "required": ["meta", "count", "organisations"],
                                "properties": {"meta": {"$ref": "#/components/schemas/Meta"},
                                               "count": {"type": "integer"},
                                               "organisations": {"type": "array", "items": {
                                                   "$ref": "#/components/schemas/Organisation"}}}},
        "PlacedRow": {"type": "object", "required": ["row", "name", "nuts0", "nuts1", "nuts2", "nuts3"],
                      "properties": {"row": {"type": "integer"}, "name": {"type": "string"},
                                     "nuts0": {"type": "string"}, "nuts1": {"type": "string"},
                                     "nuts2": {"type": "string"}, "nuts3": {"type": "string"},
                                     "join_method": {"type": "string", "enum": ["within", "nearest"]},
                                     **{f"in_area_{period.replace('-', '_')}": {"type": "boolean"}
                                        for period in PERIODS}}},
        "ValidateAnswer": {"type": "object", "required": ["meta", "rows", "placed"],
                           "properties": {"meta": {"$ref": "#/components/schemas/Meta"},
                                          "rows": {"type": "integer"},
                                          "placed": {"type": "array",
                                                     "items": {"$ref": "#/components/schemas/PlacedRow"}}}},
    }


def _json(schema: str, description: str, headers: dict | None = None) -> dict:
    answer = {"description": description,
              "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
    if headers:
        answer["headers"] = headers
    return answer


def _get_responses(schema: str) -> dict:
    cache_headers = {"ETag": {"$ref": "#/components/headers/ETag"},
                     "Cache-Control": {"$ref": "#/components/headers/CacheControl"},
                     "Access-Control-Allow-Origin": {"$ref": "#/components/headers/AllowOrigin"}}
    return {"200": _json(schema, "The data of the view.", cache_headers),
            "304": {"description": "Not modified: the If-None-Match ETag still matches."},
            "429": {"$ref": "#/components/responses/TooManyRequests"}}


def _meta_error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "required": ["error", "parameter"],
        "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}}}}}}


def _partner_paths() -> dict:
    """/api/partners and /api/peers, served by ``dashboard.api_meta``."""
    period = _choice("period", PERIODS, "2021-2027", "Interreg Alpine Space programme period")
    flag = {"type": "string", "enum": ["0", "1"], "default": "0"}
    answer = {"type": "object", "additionalProperties": True,
              "properties": {"meta": {"$ref": "#/components/schemas/Meta"}, "period": {"type": "string"},
                             "weights": {"type": "object"}}}
    responses = {
        "200": {"description": "Suggestions, best first, each with its score (0–1) and reasons.",
                "content": {"application/json": {"schema": answer}}},
        "304": {"description": "Not modified: the If-None-Match ETag still matches."},
        "400": _meta_error("A required parameter is missing or malformed; `parameter` names it."),
        "404": _meta_error("The id or code is well-formed but unknown; `parameter` names it."),
        "429": {"$ref": "#/components/responses/TooManyRequests"},
    }
    return {
        "/api/partners": {"get": {
            "operationId": "partners", "summary": "Partner suggestions for one organisation",
            "description": ("Candidates best first with score (0–1), straight-line distance_km (EPSG:3035, "
                            "kilometres) and the reasons behind each score."),
            "parameters": [
                {"name": "organisation", "in": "query", "required": True, "description": "A register id.",
                 "schema": {"type": "string", "maxLength": 80}},
                {"name": "same_country", "in": "query", "required": False,
                 "description": "1 to include the organisation's own country (default: other countries only).",
                 "schema": flag},
                period],
            "responses": responses}},
        "/api/peers": {"get": {
            "operationId": "peers", "summary": "Peer regions of one NUTS 2 or NUTS 3 region by sector mix",
            "description": ("Regions whose sector mix is most alike, best first, with score and similarity "
                            "(0–1) and the reasons behind each score."),
            "parameters": [
                {"name": "region", "in": "query", "required": True,
                 "description": "A NUTS 2021 code of level 2 or 3 in the programme area (e.g. AT33, AT332).",
                 "schema": {"type": "string", "pattern": "^[A-Z]{2}[A-Z0-9]{2,3}$"}},
                {"name": "cross_border", "in": "query", "required": False,
                 "description": "1 for peers in other countries only.", "schema": flag},
                period],
            "responses": responses}},
    }


def openapi_document() -> dict:
    """The whole description as a plain dictionary (served as JSON)."""
    filters = list(FILTER_PARAMETERS.values())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Alpine Cluster Atlas API",
            "version": API_VERSION,
            "summary": "Cluster organisations of the Alpine Space and the numbers behind the atlas map.",
            "description": (
                "Read-only JSON over the same data and filters as the atlas page: every query key is the page "
                "URL's own, so a view's address works here unchanged (keys the API does not use, such as metric "
                "or lang, are ignored). Every answer carries meta with the programme period, the units of its "
                "numbers and the sources. GET answers allow any origin (CORS), carry an ETag and answer "
                "If-None-Match with 304. Each client has a request budget shared by all /api routes; beyond it "
                "the answer is 429 with Retry-After. Field names are stable within a major version."),
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api": {"get": {
                "operationId": "documentation", "summary": "This description as a readable page",
                "responses": {"200": {"description": "HTML page", "content": {"text/html": {
                    "schema": {"type": "string"}}}}, "429": {"$ref": "#/components/responses/TooManyRequests"}}}},
            "/api/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This description (OpenAPI 3.1)",
                "responses": {"200": {"description": "OpenAPI document", "content": {"application/json": {
                    "schema": {"type": "object"}}}}, "304": {"description": "Not modified."},
                    "429": {"$ref": "#/components/responses/TooManyRequests"}}}},
            "/api/regions": {"get": {
                "operationId": "regions", "summary": "Region metrics of a view (the numbers behind the map)",
                "description": ("One row per NUTS region of the chosen level within reach of the map. Counts, "
                                "density, share and location quotient are null for regions outside the programme "
                                "area of the chosen period."),
                "parameters": [*filters, LEVEL_PARAMETER], "responses": _get_responses("RegionsAnswer")}},
            "/api/organisations": {"get": {
                "operationId": "organisations", "summary": "The organisations of a view, with their NUTS codes",
                "description": ("The register rows matching the filters, sorted by country and name; in_area "
                                "says whether the organisation's region is in the programme area of the period."),
                "parameters": [*filters, REGION_PARAMETER], "responses": _get_responses("OrganisationsAnswer")}},
            "/api/validate": {"post": {
                "operationId": "validate", "summary": "Check and place your own list like the register",
                "description": (
                    "Upload a CSV (UTF-8 with or without BOM, UTF-16, Windows-1252; comma or semicolon; decimal "
                    "commas) or an Excel .xlsx file with the register's columns (required: name, country, city, "
                    "sector; optional lat/lon, website, …). The same validator and spatial join as the register "
                    "check every row; nothing is stored."),
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}}}}}},
                "responses": {
                    "200": _json("ValidateAnswer", "Every row is valid and placed in a NUTS 3 region."),
                    "400": _json("Errors", "No multipart field named file."),
                    "413": _json("Errors", "The file is larger than meta.limits.max_bytes."),
                    "422": _json("Errors", "The file has problems: each with its row, column and value."),
                    "429": {"$ref": "#/components/responses/TooManyRequests"},
                }}},
            **_partner_paths(),
        },
        "components": {
            "schemas": _schemas(),
            "headers": {
                "ETag": {"description": "Validator of this answer's content", "schema": {"type": "string"}},
                "CacheControl": {"description": "How long caches may keep the answer", "schema": {"type": "string"}},
                "AllowOrigin": {"description": "Always *: any site may read GET answers",
                                "schema": {"type": "string"}},
                "RetryAfter": {"description": "Seconds until the budget refills", "schema": {"type": "integer"}},
            },
            "responses": {"TooManyRequests": {
                "description": "The client's request budget is spent; retry after Retry-After seconds.",
                "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}},
        },
    }


def meta(period: str, *, view: str = "", units: tuple[str, ...] = (), limits: dict | None = None) -> dict:
    """The ``meta`` object every answer carries."""
    answer = {"api_version": API_VERSION, "programme": "Interreg Alpine Space", "programme_period": period,
              "units": {name: UNITS[name] for name in units}, "sources": list(SOURCES),
              "attribution": NUTS_ATTRIBUTION, "documentation": "/api", "view": view}
    if limits is not None:
        answer["limits"] = limits
    return answer
