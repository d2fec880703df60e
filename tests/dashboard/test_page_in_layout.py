"""The layout request names the address the browser shows (``X-Atlas-Page``, added by
``assets/page_address.js``): the page comes built into the layout, and is drawn from the first answer with no
routing, frame or state callback before the map."""

from __future__ import annotations

import json
import sys

import dash
import pytest

from dashboard import shell
from dashboard.i18n import translate
from dashboard.ids import Atlas, Shell
from dashboard.state import ViewState

HOST = "http://localhost"


@pytest.fixture(name="atlas")
def atlas_page(app):
    """The map page's module as the app registered it (importing it again would register it twice)."""
    return sys.modules[next(module for module, page in dash.page_registry.items() if page["name"] == "atlas")]


def layout_of(client, address: str | None) -> dict:
    headers = {shell.PAGE_HEADER: address} if address is not None else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def find(node, wanted: str):
    """The component with id ``wanted`` in a layout as JSON."""
    if isinstance(node, list):
        for child in node:
            found = find(child, wanted)
            if found is not None:
                return found
        return None
    if not isinstance(node, dict):
        return None
    props = node.get("props", {})
    if props.get("id") == wanted:
        return node
    return find(props.get("children"), wanted)


def text_of(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return " ".join(text_of(child) for child in node)
    if isinstance(node, dict):
        return text_of(node.get("props", {}).get("children"))
    return ""


def test_the_map_page_comes_with_its_view_its_frame_and_the_parts_beside_the_map(client, atlas):
    layout = layout_of(client, f"{HOST}/?sector=ict&lang=de")
    content = find(layout, shell.PAGES_CONTENT)["props"]
    assert find(content["children"], Atlas.MAP)["props"]["figure"]["data"]
    # The locations hold the address, so mounting them changes nothing and no callback runs for it.
    pages_location = find(layout, shell.PAGES_LOCATION)["props"]
    atlas_location = find(layout, Atlas.LOCATION)["props"]
    for location in (pages_location, find(layout, Shell.LOCATION)["props"], atlas_location):
        assert (location["pathname"], location["search"]) == ("/", "?sector=ict&lang=de")
    assert "href" not in atlas_location  # the browser fills it: the server cannot know a fragment
    assert find(layout, Atlas.STATE)["props"]["data"]["sectors"] == ["ict"]
    assert find(layout, Atlas.SECTORS)["props"]["value"] == ["ict"]
    # The frame in the view's language, the parts beside the map filled, and noted as rendered.
    assert translate("nav.about", "de") in text_of(find(layout, Shell.HEADER))
    assert text_of(find(layout, Atlas.SUMMARY)).strip()
    # The export links are listed only once their disclosure is opened.
    assert not find(layout, Atlas.EXPORTS)["props"].get("children")
    rendered = find(layout, Atlas.RENDERED_VIEWS)["props"]["data"]
    assert rendered == {atlas.ALWAYS: atlas.view_key(ViewState.from_query("sector=ict&lang=de"), HOST,
                                                      atlas.ALWAYS)}


@pytest.mark.parametrize("path, expected", [("/about", "about.title"), ("/partners", "partners.title"),
                                            ("/no-such-page", "notfound.title")])
def test_every_page_comes_in_its_layout(client, path, expected):
    layout = layout_of(client, f"{HOST}{path}")
    content = find(layout, shell.PAGES_CONTENT)["props"]
    assert translate(expected) in text_of(content["children"])
    assert find(layout, shell.PAGES_STORE)["props"]["data"]["title"]


@pytest.mark.parametrize("address", [None, "", "not a url", "//evil.example/x", "http://[::1", "javascript:x()",
                                     "http://localhost/" + "a" * 5000])
def test_without_a_usable_address_the_browser_routes_as_before(client, address):
    layout = layout_of(client, address)
    content = find(layout, shell.PAGES_CONTENT)["props"]
    assert "children" not in content or content["children"] is None
    assert "pathname" not in find(layout, shell.PAGES_LOCATION)["props"]
    assert "pathname" not in find(layout, Shell.LOCATION)["props"]


def test_a_map_page_routed_by_the_browser_leaves_its_location_to_the_browser(app, atlas):
    """Built by Dash pages' routing callback (no address named: it comes from the browser's location): its
    location is left empty, so the browser reports the address and ``update_state`` reads the view from it."""
    with app.server.test_request_context("/_dash-update-component"):
        page = atlas.layout(sector="ict")
    assert page[Atlas.LOCATION].to_plotly_json()["props"].keys() == {"id", "refresh"}
    assert getattr(page[Atlas.RENDERED_VIEWS], "data", None) is None
    with app.server.test_request_context("/_dash-layout", headers={shell.PAGE_HEADER: f"{HOST}/?sector=ict"}):
        page = atlas.layout(sector="ict")
    assert page[Atlas.LOCATION].search == "?sector=ict"
    with app.server.test_request_context("/_dash-layout", headers={shell.PAGE_HEADER: f"{HOST}/?sector=agrifood"}):
        page = atlas.layout(sector="ict")  # not the view the address names: left to the browser
    assert "search" not in page[Atlas.LOCATION].to_plotly_json()["props"]


def test_a_page_layout_is_built_once_per_address_and_language(app, client, atlas, monkeypatch):
    """A room opening one view costs one build: the same address (and preferred language, when the address
    names none) is answered with the layout built the first time; another address or language is built."""
    builds = []
    build = atlas.layout

    def counted(**query):
        builds.append(query)
        return build(**query)

    home = next(page for page in dash.page_registry.values() if page["path"] == "/")
    monkeypatch.setitem(home, "layout", counted)
    address = "http://layout-once.test/?sector=agrifood"
    first = client.get("/_dash-layout", headers={shell.PAGE_HEADER: address}).get_data()
    again = client.get("/_dash-layout", headers={shell.PAGE_HEADER: address}).get_data()
    assert first == again and len(builds) == 1
    german = client.get("/_dash-layout", headers={shell.PAGE_HEADER: address, "Accept-Language": "de"})
    assert len(builds) == 2
    assert translate("nav.about", "de") in text_of(find(json.loads(german.get_data(as_text=True)), Shell.HEADER))
    client.get("/_dash-layout", headers={shell.PAGE_HEADER: address + "&level=2"})
    assert len(builds) == 3


def test_stores_mount_without_reporting_a_change_and_charts_wait_for_their_section(client):
    """dcc.Store reports a start other than its storage's empty value (nothing in memory, null in a session)
    as a change when it mounts, which runs every callback reading it before the map is drawn; and the charts
    below the map are not in the page until their section is computed (a graph costs its mounting and a blank
    Plotly lays out during the map's first paint)."""
    layout = layout_of(client, f"{HOST}/")
    for store in (Atlas.VISIBLE_VIEWS,):
        assert "data" not in find(layout, store)["props"], store
    for store in (Atlas.BEFORE_PRESENT, "upload-list"):
        props = find(layout, store)["props"]
        assert props["storage_type"] == "session" and props["data"] is None, store
    for chart in (Atlas.TOP_REGIONS, Atlas.COUNTRY_MIX, Atlas.COMPARISON, Atlas.PORTFOLIO):
        assert find(layout, chart) is None, chart
    for grid in (Atlas.CHARTS_GRID, Atlas.COMPARE_GRID):
        assert not find(layout, grid)["props"].get("children"), grid
