"""The public API through Flask's test client: its OpenAPI description, every route and every status it lists.

``app`` and ``client`` come from ``tests/conftest.py``. Rate-limit tests lower the limit for one made-up client
address, so they neither spend nor depend on the budget of other tests.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
from openapi_spec_validator import validate as validate_spec

from dashboard import openapi, ratelimit
from dashboard.config import CONFIG
from dashboard.state import QUERY_KEYS

GOOD_CSV = ("name;country;city;sector;lat;lon\n"
            "Alpha Tech;AT;Innsbruck;ict;;\n"
            "Beta Materials;IT;Bolzano;chemistry_materials;46,5;11,35\n").encode("utf-8")
BAD_CSV = b"name,country,city,sector\nAlpha,Austria,Innsbruck,ict\n,AT,Graz,nonsense\n"
_addresses = (f"10.13.0.{n}" for n in itertools.count(1))


def post_file(visitor, content: bytes, filename: str = "list.csv", field: str = "file"):
    """POST a multipart body built here: Werkzeug's builder would spool a large file to a temp file left open."""
    boundary = "atlas-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return visitor.post("/api/validate", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def new_client(app):
    """A test client with an address no other test uses, so it starts with a full request budget."""
    visitor = app.server.test_client()
    visitor.environ_base["REMOTE_ADDR"] = next(_addresses)
    return visitor


@pytest.fixture
def document(client):
    return client.get("/api/openapi.json").get_json()


def test_api001_openapi_document_is_valid(document):
    validate_spec(document)
    assert document["openapi"].startswith("3.")


def test_api002_every_api_route_the_app_serves_is_described(app, document):
    described = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    served = set()
    for rule in app.server.url_map.iter_rules():
        if rule.rule == "/api" or rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            served |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served, "the app serves no /api route"
    assert served - described == set(), "served but not described"
    assert described - served == set(), "described but not served"


def test_api003_filters_use_the_page_url_keys(document):
    for operation in (document["paths"]["/api/regions"]["get"], document["paths"]["/api/organisations"]["get"]):
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert names <= set(QUERY_KEYS.values()), names - set(QUERY_KEYS.values())
        assert {"sector", "country", "type", "mountain", "landscape", "q", "period"} <= names


@pytest.mark.parametrize("url", ["/api/regions?level=2", "/api/organisations?country=SI", "/api/validate",
                                 "/api/peers?region=AT33"])
def test_api004_every_answer_carries_period_units_and_sources(client, url):
    if url == "/api/validate":
        response = post_file(client, GOOD_CSV)
    else:
        response = client.get(url)
    meta = response.get_json()["meta"]
    assert meta["programme_period"] == "2021-2027"
    assert any("NUTS 2021" in source for source in meta["sources"])
    assert any("GeoNames" in source for source in meta["sources"])
    assert meta["attribution"].startswith("©")
    if url.startswith("/api/regions"):
        assert "10,000 km²" in meta["units"]["density"]
        assert "square kilometres" in meta["units"]["area_km2"]


def test_api005_organisations_follow_the_page_filters(client):
    everything = client.get("/api/organisations").get_json()
    slovenian_ict = client.get("/api/organisations?country=SI&sector=ict").get_json()
    assert everything["count"] == len(everything["organisations"]) > slovenian_ict["count"] > 0
    assert {row["country"] for row in slovenian_ict["organisations"]} == {"SI"}
    assert {row["sector"] for row in slovenian_ict["organisations"]} == {"ict"}
    assert slovenian_ict["meta"]["view"] == "?sector=ict&country=SI"
    assert set(slovenian_ict["organisations"][0]) == set(openapi.ORGANISATION_FIELDS)


def test_api006_organisations_of_one_region_and_the_period_flag(client):
    tyrol = client.get("/api/organisations?region=AT33").get_json()["organisations"]
    assert tyrol and {row["nuts2"] for row in tyrol} == {"AT33"}
    assert all(row["in_area"] for row in tyrol)
    old = client.get("/api/organisations?period=2007-2013").get_json()
    new = client.get("/api/organisations").get_json()
    assert old["meta"]["programme_period"] == "2007-2013"
    assert sum(r["in_area"] for r in old["organisations"]) != sum(r["in_area"] for r in new["organisations"])


def test_api007_get_answers_are_cors_readable_and_cacheable(client):
    response = client.get("/api/regions?level=1", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age=" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get("/api/regions?level=1", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/api/regions?level=2", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_api008_validate_is_not_cross_origin(client):
    response = post_file(client, GOOD_CSV)
    assert "Access-Control-Allow-Origin" not in response.headers


def test_api009_validate_places_a_good_list(client):
    response = post_file(client, GOOD_CSV)
    assert response.status_code == 200
    payload = response.get_json()
    assert payload["rows"] == 2
    assert [(row["row"], row["nuts3"], row["nuts2"]) for row in payload["placed"]] == [
        (2, "AT332", "AT33"), (3, "ITH10", "ITH1")]
    assert all(row["in_area_2021_2027"] for row in payload["placed"])


def test_api010_validate_lists_every_problem_with_row_column_value(client):
    response = post_file(client, BAD_CSV)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert all(set(error) == {"row", "column", "value", "message"} for error in errors)
    found = {(error["row"], error["column"], error["value"]) for error in errors}
    assert {(2, "country", "Austria"), (3, "name", ""), (3, "sector", "nonsense")} <= found


def test_api011_validate_refuses_a_file_over_the_limit_naming_it(client):
    big = b"name,country,city,sector\n" + b"x" * CONFIG.upload_max_bytes
    response = post_file(client, big, "big.csv")
    assert response.status_code == 413
    assert "5 MB" in response.get_json()["errors"][0]["message"]
    assert response.get_json()["meta"]["limits"]["max_bytes"] == CONFIG.upload_max_bytes


def test_api012_validate_without_a_file_is_400(client):
    response = post_file(client, GOOD_CSV, field="other")
    assert response.status_code == 400
    assert "file" in response.get_json()["errors"][0]["message"]


def test_api013_documentation_page_lists_every_route_and_escapes_text(client, document):
    page = client.get("/api").get_data(as_text=True)
    for path, item in document["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}</code>" in page
    assert "<script" not in page and "//cdn" not in page
    german = client.get("/api?lang=de").get_data(as_text=True)
    assert '<html lang="de">' in german and "Abfrageparameter" in german


@pytest.fixture
def low_limits(monkeypatch):
    """Two requests per minute on /api and on /export (fresh counters: the limit is part of the key)."""
    monkeypatch.setattr(ratelimit, "CONFIG", dataclasses.replace(CONFIG, api_rate_limit="2 per minute",
                                                                 export_rate_limit="2 per minute"))


def test_api014_api_budget_is_shared_by_all_api_routes_and_answers_429_with_retry_after(app, low_limits):
    visitor = new_client(app)
    assert visitor.get("/api/regions").status_code == 200
    assert visitor.get("/api/openapi.json").status_code == 200
    refused = visitor.get("/api/organisations")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "rate limit" in refused.get_json()["errors"][0]["message"]
    assert new_client(app).get("/api/organisations").status_code == 200, "another client has its own budget"


def test_api015_export_has_its_own_budget(app, low_limits):
    visitor = new_client(app)
    for _ in range(2):
        assert visitor.get("/export/nothing.txt").status_code == 404
    refused = visitor.get("/export/nothing.txt")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert visitor.get("/api/regions").status_code == 200


def _valid_queries(app) -> dict[str, str]:
    """A query each GET route answers with 200 (the partner routes need an id or a region)."""
    organisations = new_client(app).get("/api/organisations").get_json()["organisations"]
    active = next(row["id"] for row in organisations if row["status"] == "active")
    return {"/api/partners": f"?organisation={active}", "/api/peers": "?region=AT33"}


#: Queries that are well-formed but name nothing (404) on the routes that take an id or a region.
UNKNOWN_QUERIES = {"/api/partners": "?organisation=no-such-organisation", "/api/peers": "?region=AT99"}


def _request(app, path: str, method: str, status: str, valid: dict[str, str]):
    """One request that should produce ``status`` on ``path``."""
    visitor = new_client(app)
    url = path + valid.get(path, "")
    if status == "429":
        for _ in range(2):
            visitor.open(url, method=method.upper())
    if method == "post":
        files = {"200": GOOD_CSV, "422": BAD_CSV, "413": b"x" * (CONFIG.upload_max_bytes + 1), "429": GOOD_CSV}
        if status == "400":
            return visitor.post(path, data={})
        return post_file(visitor, files[status])
    if status == "400":
        return visitor.get(path)
    if status == "404":
        return visitor.get(path + UNKNOWN_QUERIES[path])
    if status == "304":
        etag = visitor.get(url).headers["ETag"]
        return visitor.get(url, headers={"If-None-Match": etag})
    return visitor.get(url)


def test_api016_every_status_the_description_lists_is_answered(app, document, low_limits):
    listed = [(path, method, status) for path, item in document["paths"].items()
              for method, operation in item.items() for status in operation["responses"]]
    assert {status for _, _, status in listed} >= {"200", "304", "400", "413", "422", "429"}
    valid = _valid_queries(app)
    for path, method, status in listed:
        response = _request(app, path, method, status, valid)
        assert response.status_code == int(status), (path, method, status, response.get_data()[:300])
