"""The partner explorer: partner suggestions for an organisation, the cooperation map with candidate
meta-clusters, and peer regions that can be sent to the atlas's comparison in one click.

Controls → URL (a shared link reopens the same view); each section's callback reads only its own controls,
calls ``dashboard.partner_views`` with the loaded data (``load_atlas_data()``) and a builder in
``dashboard.cooperation``, and returns.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import components, cooperation, meta_data, partner_components, partner_views, views
from dashboard.data import AtlasData, load_atlas_data
from dashboard.i18n import Translator, translate
from dashboard.ids import Partners
from dashboard.partners_state import PEER_LEVELS, ExplorerState
from dashboard.shell import request_language
from geodata.partners import ARC_MAX_KM, MIN_GROUP_MEMBERS, RELATED_FIT
from geodata.partners import WEIGHTS as PARTNER_WEIGHTS
from geodata.peers import EVIDENCE_HALF, MIN_CANDIDATES, MIN_SUPPORT, SMOOTHING_TAU
from geodata.peers import WEIGHTS as PEER_WEIGHTS
from geodata.sectors import SECTORS

dash.register_page(__name__, path="/partners", name="partners",
                   title=f"{translate('nav.partners')} · {translate('app.title')}", order=1)

YES = "on"


def _on(value: object) -> bool:
    """A one-box checklist's value: ticked when it is a list holding ``YES`` (anything else: not ticked)."""
    return isinstance(value, list) and YES in value


def _chosen(value: object) -> list:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _stored(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _state(query: dict[str, str], language: str) -> ExplorerState:
    return ExplorerState.from_dict({**ExplorerState.from_query(urlencode(query)).to_dict(), "lang": language})


def layout(**query: str) -> html.Div:
    language = request_language(query.get("lang"))
    state = _state(query, language)
    atlas = load_atlas_data()
    _ = Translator(language)
    return html.Div(
        [
            dcc.Location(id=Partners.LOCATION, refresh=False),
            dcc.Store(id=Partners.STATE, data=state.to_dict()),
            html.H1(_("partners.title")),
            html.P(_("partners.intro"), className="lead"),
            html.Nav(html.Ul([html.Li(html.A(_(key), href=f"#{anchor}")) for key, anchor in (
                ("partners.suggest.title", "suggest"), ("coop.title", "cooperation"), ("peers.title", "peers"),
                ("partners.method.title", "method"))]), className="partners-toc", **{"aria-label": _("partners.toc")}),
            suggest_section(_, atlas, state),
            cooperation_section(_, state),
            peers_section(_, atlas, state),
            method_section(_, meta_data.related_sectors(atlas)),
        ],
        id=Partners.ROOT,
        className="partners-page",
    )


def _switch(component_id: str, label: str, on: bool) -> dcc.Checklist:
    return dcc.Checklist(id=component_id, options=[{"label": label, "value": YES}], value=[YES] if on else [],
                         className="checklist", inputClassName="check", labelClassName="check-label")


def suggest_section(_: Translator, atlas: AtlasData, state: ExplorerState) -> html.Section:
    return html.Section(
        [
            html.H2(_("partners.suggest.title"), id="suggest"),
            html.P(_("partners.suggest.help")),
            html.Div([
                components.field(_, "partners.organisation", dcc.Dropdown(
                    id=Partners.ORGANISATION, value=state.organisation or None,
                    options=partner_views.organisation_options(atlas, _, state.period), searchable=True, clearable=True,
                    placeholder=_("partners.organisation.placeholder"), labels=components.dropdown_labels(_),
                    className="wide-dropdown"), control_id=Partners.ORGANISATION),
                _switch(Partners.SAME_COUNTRY, _("partners.same_country"), state.same_country),
            ], className="partners-controls"),
            html.P(id=Partners.SUGGEST_SUMMARY, className="status", **{"aria-live": "polite"}),
            html.Div([
                html.Div([dcc.Graph(id=Partners.PARTNER_MAP, config=components.graph_config(_, "partner-map"),
                                    className="partners-map"),
                          html.P(_("attribution.nuts"), className="attribution")], className="partners-map-wrap"),
                # Scrolls on wide screens, so it must take keyboard focus to be scrolled without a mouse.
                html.Ol(id=Partners.SUGGESTIONS, className="suggestions", tabIndex="0",
                        **{"aria-label": _("partners.suggest.title")}),
            ], className="partners-grid"),
        ],
        className="panel partners-section", **{"aria-labelledby": "suggest"},
    )


def cooperation_section(_: Translator, state: ExplorerState) -> html.Section:
    return html.Section(
        [
            html.H2(_("coop.title"), id="cooperation"),
            html.P(_("coop.help", km=_.number(ARC_MAX_KM), members=MIN_GROUP_MEMBERS)),
            html.Div([
                components.choice_field(_, "coop.sectors", Partners.SECTORS, list(state.sectors),
                                        {s.id: _(f"sector.{s.id}") for s in SECTORS}, multi=True,
                                        extra_class="sector-checklist"),
                _switch(Partners.ALPS4EU, _("coop.alps4eu"), state.alps4eu),
            ], className="partners-controls"),
            html.P(id=Partners.COOP_SUMMARY, className="status", **{"aria-live": "polite"}),
            dcc.Graph(id=Partners.COOP_MAP, config=components.graph_config(_, "cooperation-map"),
                      className="partners-map"),
            html.P(_("attribution.nuts"), className="attribution"),
            html.P(html.A(_("coop.export"), id=Partners.EXPORT, href="/export/cooperation-map.png",
                          className="button", download="alpine-cluster-atlas-cooperation-map.png")),
            html.H3(_("coop.groups.title")),
            html.Div(id=Partners.GROUPS, className="cards"),
            html.Details([html.Summary(_("coop.arcs.title")),
                          html.Div(id=Partners.ARCS, className="table-scroll", tabIndex="0", role="region",
                                   **{"aria-label": _("coop.arcs.title")})],
                         className="arc-list"),
        ],
        className="panel partners-section", **{"aria-labelledby": "cooperation"},
    )


def peers_section(_: Translator, atlas: AtlasData, state: ExplorerState) -> html.Section:
    return html.Section(
        [
            html.H2(_("peers.title"), id="peers"),
            html.P(_("peers.help", minimum=MIN_SUPPORT)),
            html.Div([
                components.choice_field(_, "peers.level", Partners.LEVEL, state.level,
                                        {level: _(f"level.{level}") for level in PEER_LEVELS}),
                components.field(_, "peers.region", dcc.Dropdown(
                    id=Partners.REGION, value=state.region or None,
                    options=partner_views.region_options(atlas, _, state.level, state.period), searchable=True,
                    clearable=True, placeholder=_("peers.region.placeholder"), labels=components.dropdown_labels(_),
                    className="wide-dropdown"), control_id=Partners.REGION),
                _switch(Partners.PEERS_CROSS_BORDER, _("peers.cross_border"), state.peers_cross_border),
            ], className="partners-controls"),
            html.Div(id=Partners.PEERS, **{"aria-live": "polite"}),
        ],
        className="panel partners-section", **{"aria-labelledby": "peers"},
    )


def method_section(_: Translator, related_sectors: pd.DataFrame) -> html.Section:
    related = partner_components.relatedness_rows(related_sectors, _)
    return html.Section(
        [
            html.H2(_("partners.method.title"), id="method"),
            dcc.Markdown(_("partners.method.score", sector=_.number(PARTNER_WEIGHTS["sector"], 2),
                           distance=_.number(PARTNER_WEIGHTS["distance"], 2),
                           border=_.number(PARTNER_WEIGHTS["border"], 2),
                           typology=_.number(PARTNER_WEIGHTS["typology"], 2),
                           secondary=_.number(PARTNER_WEIGHTS["secondary"], 2),
                           related=_.number(RELATED_FIT, 1))),
            html.Table([
                html.Caption(_("partners.method.related_caption")),
                html.Thead(html.Tr([html.Th(_(k), scope="col") for k in
                                    ("partners.method.sector_a", "partners.method.sector_b", "partners.method.source")])),
                html.Tbody([html.Tr([html.Td(a), html.Td(b), html.Td(source)]) for a, b, source in related]),
            ], className="data-table"),
            dcc.Markdown(_("partners.method.peers", minimum=MIN_SUPPORT, candidates=MIN_CANDIDATES,
                           structure=_.number(PEER_WEIGHTS["structure"], 1), size=_.number(PEER_WEIGHTS["size"], 1),
                           typology=_.number(PEER_WEIGHTS["typology"], 1), tau=_.number(SMOOTHING_TAU),
                           half=_.number(EVIDENCE_HALF))),
        ],
        className="panel partners-section prose", **{"aria-labelledby": "method"},
    )


#: The explorer's controls, by the field of ``ExplorerState`` each one sets.
CONTROLS = {"organisation": Partners.ORGANISATION, "same_country": Partners.SAME_COUNTRY,
            "sectors": Partners.SECTORS, "alps4eu": Partners.ALPS4EU, "level": Partners.LEVEL,
            "region": Partners.REGION, "peers_cross_border": Partners.PEERS_CROSS_BORDER}


@callback(
    output={"search": Output(Partners.LOCATION, "search"), "state": Output(Partners.STATE, "data")},
    inputs={"controls": {field: Input(component, "value") for field, component in CONTROLS.items()}},
    state={"current": State(Partners.STATE, "data")},
    prevent_initial_call=True,
)
def update_state(controls, current):
    """Every control change is written to the URL, so the address bar always names the view."""
    previous = ExplorerState.from_dict(current)
    state = ExplorerState.from_dict({
        **previous.to_dict(), "organisation": controls["organisation"] or "",
        "same_country": _on(controls["same_country"]), "sectors": _chosen(controls["sectors"]) or ["none"],
        "alps4eu": _on(controls["alps4eu"]), "level": controls["level"], "region": controls["region"] or "",
        "peers_cross_border": _on(controls["peers_cross_border"]),
    })
    return {"search": state.to_query(), "state": state.to_dict()}


@callback(
    Output(Partners.PARTNER_MAP, "figure"),
    Output(Partners.SUGGESTIONS, "children"),
    Output(Partners.SUGGEST_SUMMARY, "children"),
    Input(Partners.ORGANISATION, "value"),
    Input(Partners.SAME_COUNTRY, "value"),
    State(Partners.STATE, "data"),
)
def update_suggestions(organisation, same_country, current):
    state = ExplorerState.from_dict({**_stored(current), "organisation": organisation or "",
                                     "same_country": _on(same_country)})
    _ = Translator(state.lang)
    atlas = load_atlas_data()
    origin, table = partner_views.partner_suggestions(atlas, state)
    pickable = partner_views.pickable_organisations(atlas, state.period)
    figure = cooperation.partner_map_figure(origin, table, pickable=pickable, borders_url=views.geojson_url(atlas, 0),
                                            border_codes=views.border_codes(atlas), _=_)
    names = partner_views.region_names(atlas)
    return figure, partner_components.suggestion_items(origin, table, names, state, _), \
        partner_components.suggestion_summary(origin, table, state, _)


@callback(
    Output(Partners.ORGANISATION, "value", allow_duplicate=True),
    Input(Partners.PARTNER_MAP, "clickData"),
    State(Partners.STATE, "data"),
    prevent_initial_call=True,
)
def choose_on_map(click, current):
    """A click on an organisation's point (before a choice) or on a suggested partner chooses it."""
    chosen = partner_views.chosen_on_map(load_atlas_data(), ExplorerState.from_dict(_stored(current)), click)
    if chosen is None:
        raise dash.exceptions.PreventUpdate
    return chosen


@callback(
    Output(Partners.COOP_MAP, "figure"),
    Output(Partners.GROUPS, "children"),
    Output(Partners.ARCS, "children"),
    Output(Partners.COOP_SUMMARY, "children"),
    Output(Partners.EXPORT, "href"),
    Output(Partners.EXPORT, "hidden"),
    Input(Partners.SECTORS, "value"),
    Input(Partners.ALPS4EU, "value"),
    State(Partners.STATE, "data"),
)
def update_cooperation(sectors, alps4eu, current):
    state = ExplorerState.from_dict({**_stored(current), "sectors": _chosen(sectors) or ["none"],
                                     "alps4eu": _on(alps4eu)})
    _ = Translator(state.lang)
    atlas = load_atlas_data()
    arcs, groups = partner_views.cooperation_view(atlas, state)
    partners, network = partner_views.alps4eu_layer(atlas)
    figure = cooperation.cooperation_map_figure(arcs, partners, network, borders_url=views.geojson_url(atlas, 0),
                                                border_codes=views.border_codes(atlas),
                                                show_partners=state.alps4eu, _=_)
    return (figure, partner_components.group_cards(groups, _), partner_components.arc_table(arcs, network, state, _),
            partner_components.cooperation_summary(arcs, groups, state, _),
            "/export/cooperation-map.png" + partner_views.export_query(state), not state.sectors)


@callback(
    Output(Partners.REGION, "options"),
    Output(Partners.REGION, "value"),
    Input(Partners.LEVEL, "value"),
    State(Partners.REGION, "value"),
    State(Partners.STATE, "data"),
    prevent_initial_call=True,
)
def update_region_options(level, region, current):
    """A level change lists that level's regions; a region of the other level is cleared."""
    state = ExplorerState.from_dict(current)
    _ = Translator(state.lang)
    level = level if isinstance(level, int) and level in PEER_LEVELS else state.level
    keep = region if isinstance(region, str) and len(region) - 2 == level else None
    return partner_views.region_options(load_atlas_data(), _, level, state.period), keep


@callback(
    Output(Partners.PEERS, "children"),
    Input(Partners.REGION, "value"),
    Input(Partners.PEERS_CROSS_BORDER, "value"),
    State(Partners.STATE, "data"),
)
def update_peers(region, cross_border, current):
    state = ExplorerState.from_dict({**_stored(current), "region": region or "",
                                     "peers_cross_border": _on(cross_border)})
    _ = Translator(state.lang)
    atlas = load_atlas_data()
    status, table = partner_views.peer_view(atlas, state)
    region, total = partner_views.peer_region(atlas, state)
    return partner_components.peer_panel(status, table, region, total, state, _)
