"""The plain Flask routes as a browser or a script meets them: versioned region outlines, image exports and the
JSON errors of the partner and peer endpoints (registered with the routes).

Exports are rendered by a stand-in for the render process, so no Chromium is needed; ``client`` comes from
``tests/conftest.py``.
"""

from __future__ import annotations

import json

import pytest

from dashboard import data, exports, render, routes, views
from dashboard.cache import cache
from dashboard.data import load_atlas_data
from dashboard.state import ViewState
from geodata.nuts import PERIODS


def outline_version(level: int) -> str:
    return data.region_geojson_etag(load_atlas_data(), level)


# --- region outlines ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_rte001_versioned_outlines_answer_their_content_for_a_year(client, level, register):
    response = client.get(views.geojson_url(register, level), headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert response.headers["Cache-Control"] == f"public, max-age={routes.GEOJSON_MAX_AGE}, immutable"
    assert routes.GEOJSON_MAX_AGE == 365 * 24 * 3600
    assert response.headers["ETag"] == f'"{outline_version(level)}"'
    assert response.get_data() == data.region_geojson(register, level)


@pytest.mark.parametrize("url", [
    "/geo/nuts3-{wrong}.geojson",
    "/geo/nuts3-{level2}.geojson",
    "/geo/nuts4-{level3}.geojson",
    "/geo/nuts3-.geojson",
    "/geo/nuts3-{level3}.json",
    "/geo/nuts3.geojson",
])
def test_rte002_a_wrong_or_missing_version_is_404(client, url):
    address = url.format(wrong="0" * 20, level2=outline_version(2), level3=outline_version(3))
    response = client.get(address)
    assert response.status_code == 404, address
    assert "Cache-Control" not in response.headers or "immutable" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("encoding", ["identity", "gzip", "br"])
def test_rte003_outlines_revalidate_to_304_in_every_encoding(client, encoding, register):
    url = views.geojson_url(register, 2)
    first = client.get(url, headers={"Accept-Encoding": encoding})
    assert first.status_code == 200
    again = client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    stale = client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": '"0000"'})
    assert stale.status_code == 200 and len(stale.get_data()) == len(first.get_data())


def test_rte004_head_on_outlines_has_the_headers_and_no_body(client, register):
    url = views.geojson_url(register, 1)
    response = client.head(url, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["ETag"] == f'"{outline_version(1)}"'
    assert int(response.headers["Content-Length"]) == len(data.region_geojson(register, 1))


@pytest.mark.parametrize("level", ["02", "002", "\uff12", "\u0662"])
def test_rte005_a_level_spelt_other_than_one_ascii_digit_is_404(client, level):
    """Werkzeug reads "02", a full-width or an Arabic-Indic 2 as level 2: each outline file has one address only."""
    address = f"/geo/nuts{level}-{outline_version(2)}.geojson"
    response = client.get(address)
    assert response.status_code == 404, address
    assert "immutable" not in response.headers.get("Cache-Control", "")


# --- exports --------------------------------------------------------------------------------------------------


class StandInRenderer:
    """Answers like the render process: bytes naming what was asked, or the failure it was told to raise."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.failure: Exception | None = None

    def render(self, request: bytes, browser: str) -> bytes:
        asked = json.loads(request)
        self.requests.append(asked)
        if self.failure is not None:
            raise self.failure
        return f"{asked['name']}.{asked['format']} {asked['query']}".encode()


@pytest.fixture
def renderer(install_renderer):
    return install_renderer(StandInRenderer())


@pytest.mark.parametrize("name, fmt, query, mimetype", [
    ("map", "png", "?level=2&sector=ict", "image/png"),
    ("top-regions", "svg", "?sector=ict,aerospace&lang=de", "image/svg+xml"),
    ("region-AT31", "pdf", "?sector=ict", "application/pdf"),
])
def test_rte010_an_export_is_an_attachment_named_for_its_view(client, renderer, name, fmt, query, mimetype):
    response = client.get(f"/export/{name}.{fmt}{query}")
    state = ViewState.from_query(query)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="{views.export_filename(name, fmt, state)}"'
    assert response.headers["Cache-Control"] == f"public, max-age={exports.MAX_AGE_SECONDS}"
    assert response.get_data() == f"{name}.{fmt} {state.to_query()}".encode()
    assert renderer.requests == [{"name": name, "format": fmt, "query": state.to_query()}]
    again = client.get(f"/export/{name}.{fmt}{query}")
    assert again.get_data() == response.get_data() and again.headers["ETag"] == response.headers["ETag"]
    assert len(renderer.requests) == 1, "the same view is served from the render cache"


def test_rte011_head_answers_the_get_headers_without_rendering(client, renderer):
    head = client.head("/export/country-mix.png?country=AT")
    assert head.status_code == 200 and head.get_data() == b""
    assert renderer.requests == []
    get = client.get("/export/country-mix.png?country=AT")
    for header in ("ETag", "Content-Type", "Content-Disposition", "Cache-Control"):
        assert head.headers[header] == get.headers[header], header
    assert len(renderer.requests) == 1


def test_rte012_a_matching_etag_is_304_without_rendering_a_stale_one_renders(client, renderer):
    etag = client.head("/export/map.svg?metric=density").headers["ETag"]
    conditional = client.get("/export/map.svg?metric=density", headers={"If-None-Match": etag})
    assert conditional.status_code == 304 and conditional.get_data() == b""
    assert conditional.headers["ETag"] == etag
    assert renderer.requests == []
    stale = client.get("/export/map.svg?metric=density", headers={"If-None-Match": '"not-this-one"'})
    assert stale.status_code == 200 and len(renderer.requests) == 1


def test_rte013_every_view_and_language_has_its_own_etag(client, renderer):
    etags = {query: client.head(f"/export/top-regions.png{query}").headers["ETag"]
             for query in ("", "?lang=de", "?level=2", "?sector=ict")}
    assert len(set(etags.values())) == len(etags), etags
    assert client.head("/export/top-regions.png?lang=en").headers["ETag"] == etags[""]


def test_rte014_no_browser_is_503_not_cached_and_tried_again(client, renderer, monkeypatch):
    monkeypatch.setattr(render, "browser_path", lambda: "")
    refused = client.get("/export/map.png?sector=ict")
    assert refused.status_code == 503
    assert refused.mimetype == "text/plain"
    assert "BROWSER_PATH" in refused.get_data(as_text=True)
    assert "max-age" not in refused.headers.get("Cache-Control", "") and "ETag" not in refused.headers
    monkeypatch.setattr(render, "browser_path", lambda: "/usr/bin/chromium")
    served = client.get("/export/map.png?sector=ict")
    assert served.status_code == 200 and served.get_data().startswith(b"map.png")


def test_rte015_a_failed_render_is_503_with_its_reason_and_not_stored(client, renderer):
    renderer.failure = render.ExportUnavailable("LookupError: no export")
    failed = client.get("/export/portfolio.svg?compare=AT31")
    assert failed.status_code == 503
    assert failed.get_data(as_text=True) == "LookupError: no export"
    renderer.failure = None
    assert client.get("/export/portfolio.svg?compare=AT31").status_code == 200
    assert len(renderer.requests) == 2


@pytest.mark.parametrize("url", ["/export/map.gif", "/export/map.pdf", "/export/region-AT31.png",
                                 "/export/region-XX999.pdf", "/export/region-xx999.pdf", "/export/slides.png"])
def test_rte016_exports_that_do_not_exist_are_404_even_for_head(client, renderer, url):
    assert client.get(url).status_code == 404
    assert client.head(url).status_code == 404
    assert renderer.requests == []


def test_rte017_head_gives_the_cached_size_or_none_never_zero(client, renderer):
    """A HEAD does not render: before any render the size is unknown, so no Content-Length rather than a false 0."""
    url = "/export/country-mix.png?country=AT"
    before = client.head(url)
    assert before.status_code == 200 and before.get_data() == b""
    assert "Content-Length" not in before.headers
    rendered = client.get(url).get_data()
    after = client.head(url)
    assert after.status_code == 200 and after.get_data() == b""
    assert after.headers["Content-Length"] == str(len(rendered))
    assert after.headers["ETag"] == before.headers["ETag"]
    assert len(renderer.requests) == 1


def test_rte018_a_lower_case_region_code_is_the_upper_case_export(client, renderer):
    """NUTS codes are upper case: ``region-at31`` is AT31's profile, under AT31's file name and one cache entry."""
    canonical = client.get("/export/region-AT31.pdf?sector=ict")
    lower = client.get("/export/region-at31.pdf?sector=ict")
    assert lower.status_code == 200
    assert lower.headers["Content-Disposition"] == \
        'attachment; filename="alpine-cluster-atlas-region-AT31-ict-2021-2027.pdf"'
    assert lower.headers["Content-Disposition"] == canonical.headers["Content-Disposition"]
    assert lower.headers["ETag"] == canonical.headers["ETag"] and lower.get_data() == canonical.get_data()
    assert [asked["name"] for asked in renderer.requests] == ["region-AT31"]


def test_rte020_health_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == {"status": "ok"}


# --- routes on the data they load: the hand-made atlas (tests/dashboard/small_atlas.py) in place of the register -


@pytest.fixture
def small_loaded(small, monkeypatch):
    """The routes load the hand-made atlas (its exports are versioned by its own ``version``)."""
    monkeypatch.setattr(data, "load_atlas_data", lambda: small)
    return small


def test_rte040_outlines_are_those_of_the_loaded_data(client, small_loaded, register):
    response = client.get(views.geojson_url(small_loaded, 2), headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    features = json.loads(response.get_data())["features"]
    assert [(feature["id"], feature["properties"]["name"]) for feature in features] == \
        [("AT31", "Oberösterreich"), ("AT32", "Salzburg"), ("SI04", "Zahodna Slovenija")]
    assert client.get(views.geojson_url(register, 2)).status_code == 404, "another build's outlines"


def test_rte041_a_region_profile_is_offered_for_the_regions_of_the_loaded_data_only(client, renderer, small_loaded):
    assert client.get("/export/region-ITC11.pdf").status_code == 404
    answer = client.head("/export/region-SI04.pdf?sector=ict&level=2")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == \
        'attachment; filename="alpine-cluster-atlas-region-SI04-ict-2021-2027.pdf"'
    assert renderer.requests == []


# --- errors of the JSON endpoints registered with the routes -------------------------------------------------


def test_rte031_a_bad_period_names_the_periods_that_exist(client):
    body = client.get("/api/partners?organisation=x&period=1999").get_json()
    assert body["error"] == f"period must be one of {', '.join(PERIODS)}"
