"""What the map fits and lists, on the committed register and outlines."""

from __future__ import annotations

from dashboard import figures, views
from dashboard.data import load_atlas_data
from dashboard.state import ViewState


def region_bounds(code: str):
    regions = load_atlas_data().regions
    return regions[regions["nuts_id"] == code].total_bounds


def test_map201_extent_is_the_programme_area_of_the_period(register):
    regions = register.regions
    for period in ("2007-2013", "2021-2027"):
        area = regions[(regions["level"] == 3) & regions[f"in_area_{period.replace('-', '_')}"]].total_bounds
        assert views.map_extent(register, ViewState(period=period)) == tuple(round(float(v), 4) for v in area)
    assert views.map_extent(register, ViewState(period="2007-2013"))[3] < views.map_extent(register, ViewState())[3]


def test_map202_extent_narrows_to_the_chosen_countries(register):
    west, south, east, north = views.map_extent(register, ViewState(countries=("SI",)))
    si = region_bounds("SI")
    assert (west, south, east, north) == tuple(round(float(v), 4) for v in si)
    both = views.map_extent(register, ViewState(countries=("SI", "AT")))
    assert both[0] < west and both[3] > north


def test_map203_extent_of_a_search_is_around_what_it_found(register):
    state = ViewState(search="Linz")
    found = views.clusters_in_view(register, state)
    assert len(found)
    west, south, east, north = views.map_extent(register, state)
    assert west < found["lon"].min() and east > found["lon"].max()
    assert south < found["lat"].min() and north > found["lat"].max()
    area = views.map_extent(register, ViewState())
    assert east - west < area[2] - area[0]


def test_map204_no_extent_during_a_story(register):
    assert views.map_extent(register, ViewState(story="alps4eu")) is None


def test_map205_every_organisation_is_in_exactly_one_place(register):
    state = ViewState()
    points = views.map_values(register, state, "en")[figures.TRACE_CLUSTERS]
    ids = [cid for item in points["customdata"] for cid in ([item] if isinstance(item, str) else item)]
    assert sorted(ids) == sorted(views.clusters_in_view(register, state)["id"])
    shared = [item for item in points["customdata"] if isinstance(item, list)]
    assert shared and max(len(item) for item in shared) >= 10
    listed = views.place_organisations(register, max(shared, key=len), "en")
    assert [org["id"] for org in listed] and {org["id"] for org in listed} == set(max(shared, key=len))


def test_map206_stepped_colourscale_has_one_flat_step_per_class():
    scale = figures.stepped_colourscale(["#000000", "#111111", "#222222"])
    assert scale[0] == [0.0, "#000000"] and scale[-1] == [1.0, "#222222"]
    assert [colour for _, colour in scale] == ["#000000"] * 2 + ["#111111"] * 2 + ["#222222"] * 2


def test_map207_map_page_preloads_the_outlines_of_its_level(client, register):
    page = client.get("/?level=2").get_data(as_text=True)
    head = page.split("</head>")[0]
    regions, borders = views.geojson_url(register, 2), views.geojson_url(register, 0)
    # Plotly reads both outlines itself, for its choropleths: the page hands them over (assets/geometry.js).
    assert f'<link rel="preload" href="{regions}" as="fetch" crossorigin="anonymous" data-plotly-geometry>' in head
    assert f'<link rel="preload" href="{borders}" as="fetch" crossorigin="anonymous" data-plotly-geometry>' in head
    assert views.geojson_url(register, 3) not in head
    about = client.get("/about").get_data(as_text=True)
    assert "/geo/" not in about and "async-graph.js" not in about
    assert '<link rel="preload" href="/_dash-component-suites/dash/dcc/async-dropdown.js" as="script">' in about
    for path in ("/", "/partners"):
        assert ('<link rel="preload" href="/_dash-component-suites/dash/dcc/async-graph.js" as="script">'
                in client.get(path).get_data(as_text=True))


def test_map208_focus_is_the_focused_regions_extent(register):
    assert views.map_focus(register, ViewState()) is None
    assert views.map_focus(register, ViewState(region="AT130")) == \
        tuple(round(float(v), 4) for v in region_bounds("AT130"))
    assert views.map_focus(register, ViewState(region="ZZ999")) is None


def test_map209_the_borders_trace_names_every_country_of_the_outlines(register):
    """The country borders are a choropleth of the level-0 outlines: its locations must be their features' ids,
    or plotly.js draws no border for a country left out."""
    import json
    from dashboard import data
    outlines = json.loads(data.region_geojson(register, 0))
    assert sorted(views.border_codes(register)) == sorted(feature["id"] for feature in outlines["features"])
    figure = views.map_figure(register, ViewState(), "en")
    assert list(figure["data"][figures.TRACE_BORDERS]["locations"]) == views.border_codes(register)


def test_map210_a_filter_change_patches_only_what_changed(client, register):
    """A sector click sends the values trace's new classes and the markers, not the unchanged region names."""
    from dashboard.ids import Atlas
    sent = {"level": 3, "sent": views.value_digests(views.map_values(register, ViewState(), "en"))}
    clicked = ViewState.from_query("sector=ict")
    body = {"output": f"..{Atlas.MAP}.figure...{Atlas.MAP_SENT}.data..",
            "outputs": [{"id": Atlas.MAP, "property": "figure"}, {"id": Atlas.MAP_SENT, "property": "data"}],
            "inputs": [{"id": Atlas.STATE, "property": "data", "value": clicked.to_dict()}],
            "state": [{"id": Atlas.MAP_SENT, "property": "data", "value": sent}],
            "changedPropIds": [f"{Atlas.STATE}.data"]}
    answer = client.post("/_dash-update-component", json=body).get_json()["response"]
    changed = {tuple(operation["location"]) for operation in answer[Atlas.MAP]["figure"]["operations"]}
    values = figures.TRACE_VALUES
    assert ("data", values, "z") in changed and ("data", figures.TRACE_CLUSTERS, "lat") in changed
    assert ("data", values, "locations") not in changed and ("data", figures.TRACE_CONTEXT, "customdata") not in changed
    assert answer[Atlas.MAP_SENT]["data"]["sent"] == views.value_digests(views.map_values(register, clicked, "en"))
