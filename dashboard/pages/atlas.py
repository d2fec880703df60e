"""The map page: filters, choropleth with cluster points, comparison charts, table and downloads.

State flows one way: URL ⇄ controls → ``Atlas.STATE`` store → every view. Each view callback reads the
store, calls one function in ``dashboard.views`` and returns.
"""

from __future__ import annotations

import dash
from dash import Input, Output, Patch, State, callback, clientside_callback, ctx, dcc, html, no_update

from dashboard import cards, components, views
from dashboard.config import CONFIG
from dashboard.data import load_atlas_data
from dashboard.i18n import Translator, translate
from dashboard.shell import request_language
from dashboard.ids import Atlas
from dashboard.state import MAX_COMPARED, ViewState, with_changes

dash.register_page(__name__, path="/", name="atlas", title=translate("app.title"), order=0)

CONTROLS = (
    (Atlas.SECTORS, "sectors"), (Atlas.COUNTRIES, "countries"), (Atlas.PERIOD, "period"), (Atlas.LEVEL, "level"),
    (Atlas.METRIC, "metric"), (Atlas.MOUNTAIN, "mountain"), (Atlas.LANDSCAPE, "landscape"),
    (Atlas.ORG_TYPES, "org_types"), (Atlas.SEARCH, "search"), (Atlas.COMPARE, "compare"),
)
FOCUS = "atlas-focus"


def region_options(_: Translator) -> list[dict]:
    table = load_atlas_data().region_table.sort_values(["level", "country", "name"])
    return [{"label": f"{name} ({code}) · {_(f'level.{level}')}", "value": code, "search": f"{name} {code}"}
            for code, name, level in zip(table["nuts_id"], table["name"], table["level"])]


def layout(**query: str) -> html.Div:
    language = request_language(query.get("lang"))
    state = ViewState.from_dict({**ViewState.from_query(_query_string(query)).to_dict(), "lang": language})
    _ = Translator(language)
    return html.Div(
        [
            dcc.Location(id=Atlas.LOCATION, refresh=False),
            dcc.Store(id=Atlas.STATE, data=state.to_dict()),
            dcc.Store(id=Atlas.RENDERED_LEVEL, data=None),
            dcc.Store(id=FOCUS, data={"region": state.region, "cluster": state.cluster, "lang": language}),
            components.filter_panel(_, state),
            html.Div([components.map_section(_), components.charts_section(_),
                      components.compare_section(_, region_options(_), state), components.table_section(_)],
                     className="content"),
        ],
        className="atlas",
    )


def _query_string(query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(query)


def _control_values(state: ViewState) -> list:
    values = state.to_dict()
    return [values[name] for _, name in CONTROLS]


@callback(
    *(Output(component, "value") for component, _ in CONTROLS),
    Output(Atlas.PARTNERS, "value"),
    Output(FOCUS, "data"),
    Output(Atlas.LOCATION, "search"),
    Output(Atlas.STATE, "data"),
    Input(Atlas.LOCATION, "search"),
    *(Input(component, "value") for component, _ in CONTROLS),
    Input(Atlas.PARTNERS, "value"),
    Input(FOCUS, "data"),
    State(Atlas.LOCATION, "pathname"),
)
def update_state(search, *values):
    """Keep URL, controls and the state store in step: the URL wins on load and on back/forward."""
    *control_values, partners, focus, pathname = values
    if pathname not in (None, "/"):
        raise dash.exceptions.PreventUpdate
    focus = focus or {}
    if ctx.triggered_id in (None, Atlas.LOCATION):
        state = ViewState.from_query(search)
        if "lang=" not in (search or ""):
            state = with_changes(state, lang=focus.get("lang", state.lang))
        return (*_control_values(state), ["partners"] if state.partners else [],
                {"region": state.region, "cluster": state.cluster, "lang": state.lang}, no_update, state.to_dict())
    state = with_changes(
        ViewState(),
        **{name: value for (_, name), value in zip(CONTROLS, control_values)},
        partners="partners" in (partners or []),
        region=focus.get("region", ""), cluster=focus.get("cluster", ""), lang=focus.get("lang", ""),
    )
    query = state.to_query()
    return (*(no_update for _ in CONTROLS), no_update, no_update,
            query if query != (search or "") else no_update, state.to_dict())


clientside_callback(
    "function(pathname) { return window.matchMedia('(min-width: 901px)').matches; }",
    Output(Atlas.FILTERS_TOGGLE, "open"),
    Input(Atlas.LOCATION, "pathname"),
)


@callback(
    Output(Atlas.COMPARE, "value", allow_duplicate=True),
    Output(FOCUS, "data", allow_duplicate=True),
    Input(Atlas.MAP, "clickData"),
    State(Atlas.STATE, "data"),
    prevent_initial_call=True,
)
def select_on_click(click, state_data):
    """A click on a region focuses it and adds it to the comparison; a click on a cluster opens its card."""
    if not click or not click.get("points"):
        raise dash.exceptions.PreventUpdate
    point = click["points"][0]
    state = ViewState.from_dict(state_data)
    if "location" in point:
        code = point["location"]
        compare = [c for c in state.compare if c != code] + [code]
        return compare[-MAX_COMPARED:], {"region": code, "cluster": state.cluster, "lang": state.lang}
    if isinstance(point.get("customdata"), str):
        return no_update, {"region": state.region, "cluster": point["customdata"], "lang": state.lang}
    raise dash.exceptions.PreventUpdate


@callback(
    Output(Atlas.MAP, "figure"),
    Output(Atlas.RENDERED_LEVEL, "data"),
    Input(Atlas.STATE, "data"),
    State(Atlas.RENDERED_LEVEL, "data"),
)
def update_map(state_data, rendered_level):
    """A new figure when the level (and so the geometry) changes; otherwise only new values."""
    state = ViewState.from_dict(state_data)
    if rendered_level != state.level:
        figure = views.map_figure(state, state.lang, basemap_url=CONFIG.basemap_url,
                                  basemap_attribution=CONFIG.basemap_attribution)
        return figure, state.level
    patch = Patch()
    for trace, properties in views.map_values(state, state.lang).items():
        for name, value in properties.items():
            patch["data"][trace][name] = value
    return patch, no_update


@callback(Output(Atlas.SUMMARY, "children"), Input(Atlas.STATE, "data"))
def update_summary(state_data):
    state = ViewState.from_dict(state_data)
    return cards.summary(state, views.summary_counts(state), state.lang)


@callback(Output(Atlas.TOP_REGIONS, "figure"), Input(Atlas.STATE, "data"))
def update_top_regions(state_data):
    state = ViewState.from_dict(state_data)
    return views.top_regions_figure(state, state.lang)


@callback(Output(Atlas.COUNTRY_MIX, "figure"), Input(Atlas.STATE, "data"))
def update_country_mix(state_data):
    state = ViewState.from_dict(state_data)
    return views.country_mix_figure(state, state.lang)


@callback(Output(Atlas.COMPARISON, "figure"), Input(Atlas.STATE, "data"))
def update_comparison(state_data):
    state = ViewState.from_dict(state_data)
    return views.comparison_figure(state, state.lang)


@callback(Output(Atlas.PORTFOLIO, "figure"), Input(Atlas.STATE, "data"))
def update_portfolio(state_data):
    state = ViewState.from_dict(state_data)
    return views.portfolio_figure(state, state.lang)


@callback(Output(Atlas.TABLE, "rowData"), Input(Atlas.STATE, "data"))
def update_table(state_data):
    state = ViewState.from_dict(state_data)
    return views.table_rows(state, state.lang)


@callback(Output(Atlas.REGION_CARD, "children"), Input(Atlas.STATE, "data"))
def update_region_card(state_data):
    state = ViewState.from_dict(state_data)
    return cards.region_card(views.region_details(state), state.lang)


@callback(Output(Atlas.CLUSTER_CARD, "children"), Input(Atlas.STATE, "data"))
def update_cluster_card(state_data):
    state = ViewState.from_dict(state_data)
    return cards.cluster_card(views.cluster_details(state), state.lang)


@callback(
    Output(Atlas.DOWNLOAD, "data"),
    Input(Atlas.DOWNLOAD_CSV, "n_clicks"),
    Input(Atlas.DOWNLOAD_GEOJSON, "n_clicks"),
    State(Atlas.STATE, "data"),
    State(Atlas.LOCATION, "href"),
    prevent_initial_call=True,
)
def download_view(_csv_clicks, _geojson_clicks, state_data, href):
    kind = "geojson" if ctx.triggered_id == Atlas.DOWNLOAD_GEOJSON else "csv"
    content, filename = views.download(ViewState.from_dict(state_data), kind, href or "")
    return dcc.send_string(content, filename)
