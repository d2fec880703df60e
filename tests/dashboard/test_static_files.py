"""Static files: the atlas's own plotly.js, compression done once per worker, long-lived cache headers, and
the page's scripts (no full plotly.js, no AG Grid until the table is shown)."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from dashboard import components, static_files
from dashboard.factory import defer_scripts

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def page_scripts(client) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', client.get("/").get_data(as_text=True))


def test_sta001_page_loads_the_partial_plotly_and_not_ag_grid(client):
    scripts = page_scripts(client)
    assert static_files.plotly_bundle_url() in scripts
    assert not [src for src in scripts if "dash_ag_grid" in src], scripts
    assert not [src for src in scripts if "plotly.min.js" in src], scripts
    page = client.get("/").get_data(as_text=True)
    deferred = re.findall(r'<meta name="atlas-deferred-script" content="([^"]+)"', page)
    assert len(deferred) == 1 and "/dash_ag_grid/" in deferred[0]
    assert client.get(deferred[0]).status_code == 200


def test_sta002_bundle_registers_only_the_atlas_trace_types():
    source = static_files.plotly_bundle()[0].decode("utf-8")
    for trace in ("choropleth", "scattergeo", "bar"):
        assert f'moduleType:"trace",name:"{trace}"' in source or f'name:"{trace}"' in source, trace
    for unused in ("choroplethmap", "scattermap", "scatter3d", "sunburst", "parcoords", "densitymap"):
        assert f'name:"{unused}"' not in source, unused
    assert "maplibre" not in source.lower(), "no map library beside the SVG maps"


@pytest.mark.parametrize(("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_sta003_bundle_is_served_precompressed_and_kept_for_a_year(client, encoding, decode):
    response = client.get(static_files.plotly_bundle_url(), headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert response.headers["Cache-Control"] == static_files.LONG_CACHE
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decode(response.get_data()) == static_files.plotly_bundle()[0]
    again = client.get(static_files.plotly_bundle_url(), headers={"Accept-Encoding": encoding,
                                                                   "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_sta004_dash_plotly_address_answers_with_the_partial_bundle(client):
    response = client.get(static_files.DASH_PLOTLY_PATH, headers={"Accept-Encoding": "identity"})
    assert response.get_data() == static_files.plotly_bundle()[0]
    assert client.get("/vendor/plotly-atlas-0000.min.js").status_code == 404


def compressed_store(app) -> static_files.CompressedBodies:
    """The app's store of compressed static bodies (held by its response handler)."""
    bodies = next(function for function in app.server.after_request_funcs[None]
                  if function.__name__ == "static_response").__closure__
    return next(cell.cell_contents for cell in bodies if isinstance(cell.cell_contents, static_files.CompressedBodies))


def test_sta005_static_files_are_compressed_once(app, client):
    store = compressed_store(app)
    script = next(src for src in page_scripts(client) if "dash_renderer" in src)
    before = store.compressions
    first = client.get(script, headers=BROWSER)
    second = client.get(script, headers=BROWSER)
    assert first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == "br"
    assert first.get_data() == second.get_data()
    assert b"DashRenderer" in brotli.decompress(second.get_data())
    assert store.compressions - before <= 1
    client.get(script, headers=BROWSER)
    assert store.compressions - before <= 1


def test_sta006_versioned_assets_are_kept_for_a_year_others_revalidate(client):
    css = next(src for src in re.findall(r'href="([^"]+\.css[^"]*)"', client.get("/").get_data(as_text=True)))
    assert css.startswith("/vendor/atlas-")
    for versioned in (css, "/assets/style.css?m=1"):
        with client.get(versioned) as answer:
            assert answer.headers["Cache-Control"] == static_files.LONG_CACHE
    with client.get("/assets/style.css") as unversioned:
        assert unversioned.status_code == 200
        assert unversioned.headers.get("Cache-Control") != static_files.LONG_CACHE


def test_sta011_the_atlas_sends_its_own_scripts_and_stylesheets_as_one_file_each(client):
    """Two requests instead of a dozen; no Babel polyfill (only its runtime, which Dash's renderer needs, and
    before the renderer) and no dash_table, which the atlas never draws."""
    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert scripts[0] == static_files.page_assets_url("js") and stylesheets == [static_files.page_assets_url("css")]
    assert not [src for src in scripts if "/assets/" in src or "polyfill" in src or "dash_table" in src], scripts
    assert scripts.index(scripts[0]) < next(i for i, src in enumerate(scripts) if "dash_renderer" in src)
    # The largest file right after: on a busy worker, which answers a page's requests in order, it arrives
    # and runs while Dash's scripts are still arriving.
    assert scripts[1] == static_files.plotly_bundle_url()
    js = client.get(scripts[0])
    assert js.status_code == 200 and js.mimetype == "application/javascript"
    assert js.headers["Cache-Control"] == static_files.LONG_CACHE
    body = js.get_data()
    assert body.startswith(static_files.REGENERATOR_RUNTIME.read_bytes())
    files = sorted(static_files.ASSETS_DIR.glob("*.js"))
    positions = [body.index(path.read_bytes()) for path in files]
    assert len(files) >= 5 and positions == sorted(positions)
    css = client.get(stylesheets[0]).get_data()
    assert css == b"\n".join(path.read_bytes() for path in sorted(static_files.ASSETS_DIR.glob("*.css")))
    assert client.get("/vendor/atlas-0000000000000000.js").status_code == 404
    assert client.get(scripts[0].replace(".js", ".py")).status_code == 404


def test_sta007_dynamic_answers_are_not_cached_as_static(client):
    response = client.get("/healthz", headers=BROWSER)
    assert not static_files.is_static("/healthz")
    assert response.headers.get("Cache-Control") != static_files.LONG_CACHE


def test_sta008_defer_scripts_takes_out_only_the_named_libraries():
    scripts = ('<script src="/_dash-component-suites/dash/dcc/dash_core_components.v1.js"></script>\n'
               '<script src="/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35.min.js"></script>\n')
    kept, deferred = defer_scripts(scripts, components.DEFERRED_LIBRARIES)
    assert deferred == ["/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35.min.js"]
    assert "dash_core_components" in kept and "dash_ag_grid" not in kept


def test_sta009_compressed_bodies_drop_the_oldest_beyond_their_budget():
    bodies = static_files.CompressedBodies(max_bytes=1)
    data = bytes(range(256)) * 40
    bodies.get(("a",), data, "gzip")
    bodies.get(("b",), data, "gzip")
    assert list(bodies.entries) == [("b",)]
    assert gzip.decompress(bodies.get(("b",), data, "gzip")) == data
    assert bodies.compressions == 2


def test_sta012_warm_up_compresses_the_map_pages_static_files_before_anyone_asks(app):
    """A new worker's first visitor otherwise waited for a compression per file (17 of them, one after the
    other): after the warm-up in gunicorn's master, no request of the page's files compresses anything."""
    from dashboard import factory

    store = compressed_store(app)
    factory.warm_up(app.server)
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    urls = static_files.page_static_urls(page)
    assert static_files.plotly_bundle_url() in urls and any("dash_renderer" in url for url in urls)
    assert any(url.startswith("/geo/") for url in urls), "the outlines the page preloads"
    before = store.compressions
    for url in urls + ["/_dash-component-suites/dash/dcc/async-upload.js"]:
        for encoding in ("br", "gzip"):
            response = client.get(url, headers={"Accept-Encoding": encoding})
            assert response.status_code == 200, url
    assert store.compressions == before


def test_sta013_page_static_urls_names_only_static_files_once():
    page = ('<link rel="stylesheet" href="/vendor/atlas-1.css"><a href="/about">About</a>'
            '<script src="/_dash-component-suites/dash/x.js?v=1&amp;m=2"></script>'
            '<link rel="preload" href="/geo/nuts3-1.geojson"><script src="/vendor/atlas-1.css"></script>')
    assert static_files.page_static_urls(page) == [
        "/vendor/atlas-1.css", "/_dash-component-suites/dash/x.js?v=1&m=2", "/geo/nuts3-1.geojson"]
