"""The partner explorer without a browser: JSON endpoints, its URL state and the callback that writes it, reason
words in every language, the link that sends peers to the atlas's comparison, the meta-cluster story step, and
the numbers of its method text."""

from __future__ import annotations

import sys
from urllib.parse import parse_qs, urlsplit

import dash
import plotly.graph_objects as go
import pytest
from dash import dcc

from dashboard import meta_data, partner_views, story
from dashboard.i18n import LANGUAGES, Translator
from dashboard.ids import Partners
from dashboard.partners_state import ExplorerState
from dashboard.state import ViewState
from geodata.peers import EVIDENCE_HALF, MIN_CANDIDATES, MIN_SUPPORT, SMOOTHING_TAU
from geodata.peers import WEIGHTS as PEER_WEIGHTS


@pytest.fixture(scope="module")
def organisation_id(register) -> str:
    """An active organisation of the register that has cross-border suggestions (computed, never typed in)."""
    space = meta_data.partner_space(register, "2021-2027")
    for oid in space.organisations["id"]:
        _, table = partner_views.partner_suggestions(register, ExplorerState(organisation=oid))
        if len(table) >= 3:
            return oid
    raise AssertionError("no organisation with suggestions")


@pytest.fixture(scope="module")
def region_code(register) -> str:
    """The NUTS 2 region with the most active organisations."""
    regions = meta_data.peer_space(register, 2, "2021-2027").regions
    return regions.sort_values(["count", "nuts_id"], ascending=[False, True]).iloc[0]["nuts_id"]


def test_pex001_partners_api_answers_scores_and_reasons_as_data(client, organisation_id):
    response = client.get(f"/api/partners?organisation={organisation_id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["organisation"]["id"] == organisation_id and body["cross_border"] is True
    candidates = body["candidates"]
    assert candidates and [c["rank"] for c in candidates] == list(range(1, len(candidates) + 1))
    own_country = body["organisation"]["country"]
    for candidate in candidates:
        assert candidate["country"] != own_country
        assert candidate["id"] != organisation_id
        assert sum(candidate["parts"].values()) == pytest.approx(candidate["score"], abs=1e-3)
        codes = {reason["code"] for reason in candidate["reasons"]}
        assert {"distance"} <= codes and codes & {"same_sector", "related_sector"}
        assert isinstance(candidate["distance_km"], float)
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)


def test_pex002_same_country_switch_in_the_api(client, organisation_id):
    body = client.get(f"/api/partners?organisation={organisation_id}&same_country=1").get_json()
    assert body["cross_border"] is False
    assert organisation_id not in {c["id"] for c in body["candidates"]}


@pytest.mark.parametrize("url, status, parameter", [
    ("/api/partners", 400, "organisation"),
    ("/api/partners?organisation=no-such-organisation", 404, "organisation"),
    ("/api/partners?organisation=x&period=1999", 400, "period"),
    ("/api/peers", 400, "region"),
    ("/api/peers?region=AT", 400, "region"),
    ("/api/peers?region=ZZ999", 404, "region"),
    ("/api/partners?organisation=" + "x" * 81, 400, "organisation"),
    ("/api/partners?organisation=%20%20", 400, "organisation"),
    ("/api/peers?region=AT33&period=2030-2036", 400, "period"),
    ("/api/peers?region=AT3", 400, "region"),
    ("/api/peers?region=AT3%21", 400, "region"),
    ("/api/peers?region=AT33%3Cscript%3E", 400, "region"),
    ("/api/peers?region=CH099", 404, "region"),
])
def test_pex003_errors_name_the_parameter(client, url, status, parameter):
    """A bad or unknown parameter is a 4xx in JSON naming it, in the field and in the message."""
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["parameter"] == parameter
    assert parameter in body["error"]


def test_pex004_peers_api(client, region_code):
    response = client.get(f"/api/peers?region={region_code}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["region"]["nuts_id"] == region_code
    peers = body["peers"]
    assert peers and region_code not in {p["nuts_id"] for p in peers}
    assert all(len(p["nuts_id"]) == len(region_code) for p in peers)
    assert all({r["code"] for r in p["reasons"]} == {"sector_mix", "size", "typology"} for p in peers)
    assert all(0 <= p["similarity"] <= 1 and p["size_band"] in ("small", "medium", "large") for p in peers)
    lower = client.get(f"/api/peers?region={region_code.lower()}")
    assert lower.status_code == 200


def test_pex005_explorer_state_round_trips_through_the_url():
    state = ExplorerState(organisation="x-y", same_country=True, sectors=("ict",), alps4eu=False, region="AT33",
                          level=2, peers_cross_border=True, lang="de")
    assert ExplorerState.from_query(state.to_query()) == state
    assert ExplorerState().to_query() == ""
    assert ExplorerState.from_query("?sector=none").sectors == ()
    assert ExplorerState.from_query("?sector=bogus").sectors == ExplorerState().sectors
    broken = ExplorerState.from_query("?region=<script>&level=9&period=1900")
    assert (broken.region, broken.level, broken.period) == ("", 3, "2021-2027")


def test_pex009_a_control_change_writes_the_address_and_the_state(client):
    """``update_state`` through Dash as the browser calls it: its named outputs are the address and the store."""
    controls = {Partners.ORGANISATION: "at-x", Partners.SAME_COUNTRY: ["on"], Partners.SECTORS: ["ict"],
                Partners.ALPS4EU: [], Partners.LEVEL: 2, Partners.REGION: "AT33", Partners.PEERS_CROSS_BORDER: []}
    body = {"output": f"..{Partners.LOCATION}.search...{Partners.STATE}.data..",
            "outputs": [{"id": Partners.LOCATION, "property": "search"}, {"id": Partners.STATE, "property": "data"}],
            "inputs": [{"id": component, "property": "value", "value": value} for component, value in controls.items()],
            "state": [{"id": Partners.STATE, "property": "data", "value": ExplorerState(lang="de").to_dict()}],
            "changedPropIds": [f"{Partners.SECTORS}.value"]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200
    written = answer.get_json()["response"]
    expected = ExplorerState(organisation="at-x", same_country=True, sectors=("ict",), alps4eu=False, level=2,
                             region="AT33", lang="de")
    assert written[Partners.LOCATION]["search"] == expected.to_query()
    assert ExplorerState.from_dict(written[Partners.STATE]["data"]) == expected


def test_pex006_compare_link_lands_on_the_atlas_with_region_and_peers(region_code, register):
    state = ExplorerState(region=region_code, level=2, lang="fr")
    status, peers = partner_views.peer_view(register, state)
    assert status == "ok"
    link = partner_views.compare_link(region_code, peers, 2, "fr")
    parts = urlsplit(link)
    assert parts.path == "/" and parts.fragment == "compare"
    view = ViewState.from_query(parts.query)
    assert view.compare == (region_code, *peers["nuts_id"].tolist())
    assert view.level == 2 and view.lang == "fr"
    assert parse_qs(parts.query)["compare"][0].split(",")[0] == region_code


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_pex007_every_reason_has_words_in_every_language(language, organisation_id, region_code, register):
    _ = Translator(language)
    state = ExplorerState(organisation=organisation_id, region=region_code, level=2, lang=language)
    _origin, table = partner_views.partner_suggestions(register, state)
    names = partner_views.region_names(register)
    texts = [partner_views.partner_reason_text(r, _, state.period, names)
             for reasons in table["reasons"] for r in reasons]
    _status, peers = partner_views.peer_view(register, state)
    _region, total = partner_views.peer_region(register, state)
    assert total == int((meta_data.peer_space(register, 2, state.period).regions["count"] > 0).sum())
    texts += [partner_views.peer_reason_text(r, _, total) for reasons in peers["reasons"] for r in reasons]
    assert texts and all(text.strip() for text in texts)
    if language != "en":
        english = Translator("en")
        english_texts = {partner_views.partner_reason_text(r, english, state.period, names)
                         for reasons in table["reasons"] for r in reasons}
        assert not english_texts & set(texts), f"English reason text left in {language}"


def test_pex008_story_step_shows_a_meta_cluster(organisation_id, register):
    loaded = story.load_story(story.DEFAULT_STORY)
    index = [step.message for step in loaded.steps].index("meta_clusters")
    state = story.step_state(register, ViewState(), loaded, index)
    assert state.sectors and state.compare, "the largest group's regions are outlined"
    group, count = story.largest_meta_cluster(register, state)
    title, message = story.step_text(register, state, loaded, Translator("en"))
    assert str(group["size"]) in message and str(count) in message
    assert len(group["countries"]) >= 2


def test_pex901_with_no_organisation_chosen_the_map_offers_every_organisation_to_choose(register):
    """Before a choice the partner map shows every organisation of the list, each carrying its id to be
    clicked; with none to offer it is still a map (borders), not empty axes."""
    import pandas as pd

    from dashboard import cooperation

    pickable = partner_views.pickable_organisations(register, ExplorerState().period)
    figure = go.Figure(cooperation.partner_map_figure(None, pd.DataFrame(), pickable=pickable,
                                                      borders_url="/geo/nuts0.geojson", border_codes=["AT", "SI"],
                                                      _=Translator("de")))
    points, borders = figure.data
    assert points.type == "scattergeo" and points.name == Translator("de")("partners.legend.pickable")
    assert list(points.customdata) == pickable["id"].tolist() and len(points.lon) == len(pickable) > 100
    assert all(text.endswith(Translator("de")("partners.hover.pick") + "</i>") for text in points.hovertext)
    assert borders.type == "choropleth" and borders.geojson == "/geo/nuts0.geojson"
    assert list(borders.locations) == ["AT", "SI"] and borders.showlegend is False
    # Framed on its points (with room for a marker at the edge).
    lon, lat = figure.layout.geo.lonaxis.range, figure.layout.geo.lataxis.range
    assert lon[0] < min(points.lon) and max(points.lon) < lon[1]
    assert lat[0] < min(points.lat) and max(points.lat) < lat[1]
    none = go.Figure(cooperation.partner_map_figure(None, pd.DataFrame(), pickable=pickable.iloc[0:0],
                                                    borders_url="/geo/nuts0.geojson", border_codes=["AT"],
                                                    _=Translator("en")))
    assert [trace.type for trace in none.data] == ["scattergeo", "choropleth"] and len(none.data[0].lon) == 0
    # Nothing to show: the Alpine Space.
    assert list(none.layout.geo.lonaxis.range) == [4.24, 17.76]


def test_pex902_a_chosen_organisation_has_an_arc_and_a_number_for_each_partner(register):
    """The figure is a plain dict; as a ``go.Figure`` it is valid and holds one arc per suggestion."""
    from dashboard import cooperation

    state = ExplorerState.from_dict({"organisation": "at-silicon-alps-cluster"})
    origin, table = partner_views.partner_suggestions(register, state)
    assert len(table) >= 2
    figure = go.Figure(cooperation.partner_map_figure(
        origin, table, pickable=partner_views.pickable_organisations(register, state.period),
        borders_url="/geo/nuts0.geojson", border_codes=["AT"], _=Translator("en")))
    arcs, candidates, chosen, _borders = figure.data
    assert sum(value is None for value in arcs.lon) == len(table)
    assert list(candidates.text) == [str(n) for n in range(1, len(table) + 1)]
    assert list(candidates.customdata) == table["id"].tolist(), "a suggested partner is chosen by a click"
    assert (chosen.lon[0], chosen.lat[0]) == (origin["lon"], origin["lat"])
    assert chosen.customdata is None, "the chosen organisation is chosen already"
    # Framed on the chosen organisation and its partners, anew for each choice.
    lon, lat = figure.layout.geo.lonaxis.range, figure.layout.geo.lataxis.range
    assert lon[0] < min(candidates.lon + chosen.lon) and max(candidates.lon + chosen.lon) < lon[1]
    assert lat[0] < min(candidates.lat + chosen.lat) and max(candidates.lat + chosen.lat) < lat[1]
    assert figure.layout.uirevision == "partner-map:at-silicon-alps-cluster"


def test_pex011_a_click_on_the_partner_map_chooses_an_organisation_of_the_list(app, client, register):
    """``choose_on_map`` through Dash: a point's id becomes the picker's value; anything else changes nothing."""
    oid = partner_views.pickable_organisations(register, ExplorerState().period)["id"].iloc[3]
    [output] = [key for key in app.callback_map if key.startswith(f"{Partners.ORGANISATION}.value@")]

    def click(customdata):
        body = {"output": output,
                "outputs": {"id": Partners.ORGANISATION, "property": "value"},
                "inputs": [{"id": Partners.PARTNER_MAP, "property": "clickData",
                            "value": {"points": [{"customdata": customdata, "lon": 11.0, "lat": 47.0}]}}],
                "state": [{"id": Partners.STATE, "property": "data", "value": ExplorerState().to_dict()}],
                "changedPropIds": [f"{Partners.PARTNER_MAP}.clickData"]}
        return client.post("/_dash-update-component", json=body)

    answer = click(oid)
    assert answer.status_code == 200
    assert answer.get_json()["response"][Partners.ORGANISATION]["value"] == oid
    for junk in ("no-such-organisation", ["a", "b"], None, 7):
        assert click(junk).status_code == 204, junk


def test_pex010_the_method_text_states_the_peer_rules_from_their_constants(app, register):
    """The peer score's weights, smoothing, evidence half-point and candidate minimum come from
    ``geodata.peers``: the page cannot describe another rule than the one that ranks."""
    page = sys.modules[next(module for module, entry in dash.page_registry.items() if entry["name"] == "partners")]
    section = page.method_section(Translator("de"), meta_data.related_sectors(register))
    text = " ".join(child.children for child in section.children if isinstance(child, dcc.Markdown))
    _ = Translator("de")
    assert f"= {_.number(PEER_WEIGHTS['structure'], 1)} × Belegungsgewicht" in text
    assert f"+ {_.number(PEER_WEIGHTS['size'], 1)} × Größenähnlichkeit" in text
    assert f"({_.number(SMOOTHING_TAU)} Pseudo-Organisationen)" in text
    assert f"N / (N + {_.number(EVIDENCE_HALF)})" in text
    assert f"weniger als {MIN_CANDIDATES};" in text and f"mindestens {MIN_SUPPORT} Organisationen" in text



def test_pex012_a_hand_made_atlas_builds_its_partner_space_from_its_own_regions(monkeypatch):
    """Which regions touch comes with the atlas handed in: the hand-made one reads no file of the register
    and its three Austrian regions in a row touch their neighbours only; Ljubljana's region touches none."""
    from small_atlas import small_atlas

    from dashboard import data

    def no_file(*args, **kwargs):
        raise AssertionError(f"a file of the register was read: {args}")

    monkeypatch.setattr(data.io, "read_geoparquet", no_file)
    atlas = small_atlas()
    pairs = atlas.touching_pairs()
    assert list(zip(pairs["nuts_a"], pairs["nuts_b"])) == [("AT311", "AT312"), ("AT312", "AT321")]
    assert not pairs["cross_border"].any()

    space = meta_data.partner_space(atlas, "2021_2027")
    ids = list(space.columns["id"])
    assert len(ids) == 15  # the active organisations of the small atlas
    linz, lungau, ried, kranj = (space.position(i) for i in ("at-ict-3", "at-ict-5", "at-ict-1", "si-ict-2"))
    assert space.touching[linz, lungau] and space.touching[linz, ried]
    assert not space.touching[ried, lungau] and not space.touching[linz, kranj]
