"""The Flask side of the app through Flask's test client: pages, health, region outlines, the JSON API.

``app`` and ``client`` come from ``tests/conftest.py``, which builds the app once per session.
"""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import unquote

import dash
import pytest

from dashboard import views
from dashboard.cache import cache
from dashboard.i18n import translate
from geodata.sectors import SECTOR_COLOURS


def test_home_page_is_html(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert translate("app.title") in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/about", "/partners", "/no-such-page", "/api"])
def test_every_page_carries_the_atlas_mark_as_its_icon_and_asks_for_none(client, path):
    page = client.get(path).get_data(as_text=True)
    icons = re.findall(r'<link rel="icon"[^>]*href="([^"]*)"', page)
    assert len(icons) == 1 and icons[0].startswith("data:image/svg+xml,"), icons
    mark = unquote(icons[0].split(",", 1)[1])
    assert mark.startswith("<svg") and f'fill="{SECTOR_COLOURS["energy_greentech"]}"' in mark
    assert "_favicon.ico" not in page


def test_health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_about_page(client):
    response = client.get("/about")
    assert response.status_code == 200
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_region_outlines_are_geojson_cached_for_good(client, level, register):
    url = views.geojson_url(register, level)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control and "max-age=" in cache_control
    collection = json.loads(response.get_data())
    assert collection["type"] == "FeatureCollection"
    ids = [feature["id"] for feature in collection["features"]]
    assert ids and len(set(ids)) == len(ids)
    assert all(len(code) == level + 2 and code[:2].isalpha() and code.isupper() for code in ids), ids[:5]
    assert all(feature["geometry"]["type"] in ("Polygon", "MultiPolygon") for feature in collection["features"])


def test_region_outlines_answer_conditional_requests(client, register):
    url = views.geojson_url(register, 3)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("url", ["/geo/nuts3-0000000000.geojson", "/geo/nuts7-{etag}.geojson"])
def test_unknown_outlines_are_404(client, url, register):
    etag = views.geojson_url(register, 3).rsplit("-", 1)[1].removesuffix(".geojson")
    assert client.get(url.format(etag=etag)).status_code == 404


def test_region_outlines_are_compressed(client, register):
    url = views.geojson_url(register, 3)
    plain = client.get(url)
    compressed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert compressed.status_code == 200
    assert compressed.headers["Content-Encoding"] == "gzip"
    body = compressed.get_data()
    assert len(body) < len(plain.get_data()) / 2
    assert json.loads(gzip.decompress(body)) == json.loads(plain.get_data())


def test_region_api_answers_the_view_and_caches_it(app, client):
    with app.server.app_context():
        cache.clear()
    first = client.get("/api/regions?level=2&sector=ict")
    assert first.status_code == 200
    assert first.headers["X-Atlas-Cache"] == "miss"
    payload = first.get_json()
    assert payload["level"] == 2
    assert "sector=ict" in payload["view"] and "level=2" in payload["view"]
    regions = payload["regions"]
    assert regions and all(region["level"] == 2 and len(region["nuts_id"]) == 4 for region in regions)
    assert any(region["count"] for region in regions if region["in_area"])
    assert all(region["count"] is None for region in regions if not region["in_area"])

    second = client.get("/api/regions?level=2&sector=ict")
    assert second.headers["X-Atlas-Cache"] == "hit"
    assert second.get_json() == payload


def test_region_api_forgives_a_bad_query(client):
    response = client.get("/api/regions?level=x&sector=nonsense")
    assert response.status_code == 200
    payload = response.get_json()
    assert payload["level"] == 3
    assert payload["view"] == ""


def _layout_ids(component) -> set:
    ids = {getattr(component, "id", None)}
    ids |= {getattr(child, "id", None) for child in component._traverse()}
    return {identifier for identifier in ids if isinstance(identifier, str)}


def _outputs_of(key: str) -> list[str]:
    """The component ids in a ``callback_map`` key (``..a.figure...b.data..`` or ``a.children``)."""
    return [part.rsplit(".", 1)[0] for part in key.strip(".").split("...") if part]


def test_every_component_a_map_page_callback_names_is_on_the_page(app, client):
    """A callback naming a component the page does not have fails in the browser ("A nonexistent object was
    used"), and Dash then runs none of the page's callbacks after a click: the map page's callbacks must name
    only components of the shell and the page."""
    client.get("/_dash-dependencies")
    home = next(page for page in dash.page_registry.values() if page["path"] == "/")
    with app.server.test_request_context("/"):
        on_page = _layout_ids(home["layout"]()) | _layout_ids(app.layout() if callable(app.layout) else app.layout)
    checked = 0
    for key, spec in app.callback_map.items():
        outputs = [identifier.split("@")[0] for identifier in _outputs_of(key)]
        named = outputs + [item["id"] for item in spec["inputs"] + spec.get("state", [])]
        strings = [identifier for identifier in named if isinstance(identifier, str) and not identifier.startswith("{")]
        if not any(identifier in on_page and identifier.startswith("atlas-") for identifier in outputs):
            continue
        checked += 1
        missing = sorted({identifier for identifier in strings if identifier not in on_page})
        assert not missing, f"callback {key} names components the map page does not have: {missing}"
    assert checked >= 10
