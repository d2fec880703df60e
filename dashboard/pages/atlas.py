"""The map page: filters, choropleth with cluster points, comparison charts, table and downloads.

State flows one way: URL ⇄ controls → ``Atlas.STATE`` store → every view. Each view callback reads the
store, calls one function in ``dashboard.views`` with the loaded data (``load_atlas_data()``) and returns.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

import dash
from dash import ClientsideFunction, Input, Output, Patch, State, callback, clientside_callback, ctx, dcc, html, no_update

from dashboard import cards, components, figures, story, upload, userlist, views
from dashboard import upload_callbacks  # noqa: F401  (registers the callbacks of "Your own list")
from dashboard.config import CONFIG
from dashboard.data import AtlasData, load_atlas_data
from dashboard.i18n import Translator, translate
from dashboard.shell import PageAddress, dash_query, page_address, request_language
from dashboard.ids import Atlas, LazyView
from dashboard.state import (MAX_COMPARED, MAX_QUERY_LENGTH, ViewState, clicked_point, mapping, string_list, text,
                             whole_number, with_changes)

dash.register_page(__name__, path="/", name="atlas", title=translate("app.title"), order=0)

CONTROLS = (
    (Atlas.SECTORS, "sectors"), (Atlas.COUNTRIES, "countries"), (Atlas.PERIOD, "period"), (Atlas.LEVEL, "level"),
    (Atlas.METRIC, "metric"), (Atlas.MOUNTAIN, "mountain"), (Atlas.LANDSCAPE, "landscape"),
    (Atlas.ORG_TYPES, "org_types"), (Atlas.SEARCH, "search"), (Atlas.COMPARE, "compare"),
)


def compared_options(atlas: AtlasData, state: ViewState) -> list[dict]:
    """The options the page starts with: only the regions compared, so their chips have labels. The others
    arrive when the comparison comes into view (:func:`load_region_options`): the first paint does not wait
    for them."""
    return [option for option in views.region_options(atlas, state.lang) if option["value"] in state.compare]


def layout(**query: str) -> html.Div:
    language = request_language(query.get("lang"))
    atlas = load_atlas_data()
    state = story.as_shown(
        atlas, ViewState.from_dict({**ViewState.from_query(_query_string(query)).to_dict(), "lang": language}))
    _ = Translator(language)
    figure, map_sent = first_map(atlas, state)
    address = shown_address(query)
    page = html.Div(
        [
            # Built for the address the browser shows, the location holds it: mounting it changes nothing, so
            # no callback runs before the map is drawn. Otherwise it reports the address, and ``update_state``
            # reads the view from it.
            dcc.Location(id=Atlas.LOCATION, refresh=False, **(
                {"pathname": address.path, "search": address.search} if address else {})),
            # A store starts with the value its storage holds when empty (none in memory, null in a session),
            # so mounting it changes nothing: dcc.Store reports any other start as a change, and every callback
            # reading it would run before the map is drawn.
            dcc.Store(id=Atlas.STATE, data=state.to_dict()),
            dcc.Store(id=Atlas.MAP_SENT, data=map_sent),
            dcc.Store(id=Atlas.FOCUS, data={"region": state.region, "cluster": state.cluster, "lang": language}),
            dcc.Store(id=Atlas.FULLSCREEN),
            # The view before a presentation, to come back to on leaving it (kept across a reload).
            dcc.Store(id=Atlas.BEFORE_PRESENT, storage_type="session", data=None),
            dcc.Store(id=Atlas.VISIBLE_VIEWS),
            dcc.Store(id=Atlas.RENDERED_VIEWS),
            components.filter_panel(_, state),
            html.Div([components.map_section(_, figure), upload.section(_, userlist.limits()),
                      components.charts_section(_),
                      components.compare_section(_, compared_options(atlas, state), state),
                      components.table_section(_)],
                     className="content"),
        ],
        id=Atlas.ROOT,
        className=root_class(state),
    )
    if address:
        render_always(page, atlas, state, address.href)
    return page


def shown_address(query: dict) -> PageAddress | None:
    """The address the browser shows, when the request names it (the layout request) and it is this page's
    with the view ``query`` holds."""
    address = page_address()
    if address is None or address.path != "/" or dash_query(address.search) != query:
        return None
    return address


def render_always(page: html.Div, atlas: AtlasData, state: ViewState, href: str) -> None:
    """Fill the parts that are on screen with the map (summary, cards, presentation bar, downloads) into the
    page, and note them as rendered: the page's first paint waits for no :func:`update_views`."""
    for component, prop, render in VIEW_PARTS[ALWAYS]:
        target = page if component == Atlas.ROOT else page[component]
        setattr(target, prop, render(atlas, state, href))
    page[Atlas.RENDERED_VIEWS].data = {ALWAYS: view_key(state, href, ALWAYS)}


def root_class(state: ViewState) -> str:
    """``story`` while a story plays: only then are its Previous and Next buttons shown."""
    parts = ["atlas", "presenting" if state.present else "", "story" if state.present and state.story else "",
             "embedded" if state.embed else ""]
    return " ".join(part for part in parts if part)


def _query_string(query: dict[str, str]) -> str:
    return urlencode(query)


def triggered_id() -> str | None:
    """``ctx.triggered_id``, or None when a hand-made request names its trigger so badly that Dash cannot
    read it (a number for a ``prop_id``)."""
    try:
        return ctx.triggered_id
    except (AttributeError, TypeError, KeyError):
        return None


PRESENTATION_BUTTONS = (Atlas.PRESENT, Atlas.STORY_START, Atlas.STORY_PREVIOUS, Atlas.STORY_NEXT, Atlas.PRESENT_EXIT)


def presentation_change(atlas: AtlasData, state: ViewState, button: str,
                        before: dict | None = None) -> tuple[ViewState, dict | None]:
    """The state after a presentation button, and the view to come back to when the presentation ends.

    Entering remembers the visitor's view; leaving brings it back (in the current language) rather than
    leaving them on the story's last filters.
    """
    leaving = button == Atlas.PRESENT_EXIT or (button == Atlas.PRESENT and state.present)
    if leaving:
        if before:
            return with_changes(ViewState.from_dict(before), present=False, story="", step=0, lang=state.lang), None
        return with_changes(state, present=False, story="", step=0), None
    remembered = before if state.present and before else state.to_dict()
    if button == Atlas.PRESENT:
        return with_changes(state, present=True, story="", step=0), remembered
    chosen = story.load_story(state.story or story.DEFAULT_STORY)
    if button == Atlas.STORY_START or not state.story:
        return story.step_state(atlas, state, chosen, 0), remembered
    offset = 1 if button == Atlas.STORY_NEXT else -1
    return story.step_state(atlas, state, chosen, state.step + offset), remembered


def _everything(state: ViewState, search: str | None, current: dict | None, *, write_url: bool) -> dict:
    """Every output of :func:`update_state` set from one state; an unchanged state is not sent again, so the
    views do not recompute on page load."""
    query = state.to_query()
    data = state.to_dict()
    return {"controls": {name: data[name] for _, name in CONTROLS},
            "partners": ["partners"] if state.partners else [],
            "focus": {"region": state.region, "cluster": state.cluster, "lang": state.lang},
            "search": query if write_url and query != (search or "") else no_update,
            "state": no_update if data == current else data}


@callback(
    output={"controls": {name: Output(component, "value") for component, name in CONTROLS},
            "partners": Output(Atlas.PARTNERS, "value"), "focus": Output(Atlas.FOCUS, "data"),
            "search": Output(Atlas.LOCATION, "search"), "state": Output(Atlas.STATE, "data"),
            "before": Output(Atlas.BEFORE_PRESENT, "data")},
    inputs={"search": Input(Atlas.LOCATION, "search"),
            "controls": {name: Input(component, "value") for component, name in CONTROLS},
            "partners": Input(Atlas.PARTNERS, "value"), "focus": Input(Atlas.FOCUS, "data"),
            "_buttons": {button: Input(button, "n_clicks") for button in PRESENTATION_BUTTONS}},
    state={"current": State(Atlas.STATE, "data"), "pathname": State(Atlas.LOCATION, "pathname"),
           "before": State(Atlas.BEFORE_PRESENT, "data")},
    prevent_initial_call=True,
)
def update_state(search, controls, partners, focus, _buttons, current, pathname, before):
    """Keep URL, controls and the state store in step: the URL wins on load and on back/forward.

    The presentation buttons change the state as a whole (a story step sets every filter at once), so they
    are handled here too and then flow out to the controls and the URL like a loaded URL would.
    """
    if pathname not in (None, "/"):
        raise dash.exceptions.PreventUpdate
    search, focus, before = text(search, MAX_QUERY_LENGTH), mapping(focus), mapping(before) or None
    trigger = triggered_id()
    if trigger in (None, Atlas.LOCATION):
        state = ViewState.from_query(search)
        if "lang=" not in (search or ""):
            state = with_changes(state, lang=focus.get("lang", state.lang))
        state = story.as_shown(load_atlas_data(), state)
        return {**_everything(state, search, current, write_url=False), "before": no_update}
    if trigger in PRESENTATION_BUTTONS:
        state, remembered = presentation_change(load_atlas_data(), ViewState.from_dict(current), trigger, before)
        return {**_everything(state, search, current, write_url=True), "before": remembered}
    previous = ViewState.from_dict(current)
    state = with_changes(
        ViewState(), **controls,
        partners="partners" in string_list(partners),
        region=focus.get("region", ""), cluster=focus.get("cluster", ""), lang=focus.get("lang", ""),
        present=previous.present, embed=previous.embed, story=previous.story, step=previous.step,
    )
    query = state.to_query()
    return {"controls": {name: no_update for _, name in CONTROLS}, "partners": no_update, "focus": no_update,
            "search": query if query != (search or "") else no_update, "state": state.to_dict(),
            "before": no_update}


clientside_callback(
    "function(pathname) { return window.matchMedia('(min-width: 901px)').matches; }",
    Output(Atlas.FILTERS_TOGGLE, "open"),
    Input(Atlas.LOCATION, "pathname"),
)


@callback(
    Output(Atlas.COMPARE, "value", allow_duplicate=True),
    Output(Atlas.FOCUS, "data", allow_duplicate=True),
    Output(Atlas.MAP_PLACE, "children"),
    Input(Atlas.MAP, "clickData"),
    State(Atlas.STATE, "data"),
    prevent_initial_call=True,
)
def select_on_click(click, state_data):
    """A click on a region focuses it and adds it to the comparison; a click on a cluster opens its card; a
    click on a place several organisations share lists them, each one button away from its card."""
    point = clicked_point(click)
    state = ViewState.from_dict(state_data)
    if "location" in point:
        code = point["location"]
        compare = [c for c in state.compare if c != code] + [code]
        return compare[-MAX_COMPARED:], {"region": code, "cluster": state.cluster, "lang": state.lang}, []
    if "cluster" in point:
        return no_update, {"region": state.region, "cluster": point["cluster"], "lang": state.lang}, []
    if "place" in point:
        organisations = views.place_organisations(load_atlas_data(), point["place"], state.lang)
        return no_update, no_update, cards.place_list(organisations, state.lang)
    raise dash.exceptions.PreventUpdate


def any_clicked(clicks: object) -> bool:
    """Whether a pattern-matched button list holds a real click (anything but positive counts is none)."""
    return isinstance(clicks, list) and any(whole_number(count, 0, low=0, high=10**9) > 0 for count in clicks)


@callback(
    Output(Atlas.FOCUS, "data", allow_duplicate=True),
    Input({"type": Atlas.PLACE_ITEM, "index": dash.ALL}, "n_clicks"),
    State(Atlas.STATE, "data"),
    prevent_initial_call=True,
)
def open_from_place(clicks, state_data):
    """An organisation picked from a shared place's list opens its card."""
    try:
        trigger = mapping(triggered_id())
    except (AttributeError, ValueError):  # a request whose changed property names no component of this page
        raise dash.exceptions.PreventUpdate from None
    cluster = text(trigger.get("index"))
    if not cluster or not any_clicked(clicks):
        raise dash.exceptions.PreventUpdate
    state = ViewState.from_dict(state_data)
    return {"region": state.region, "cluster": cluster, "lang": state.lang}


@callback(Output(Atlas.MAP_PLACE, "children", allow_duplicate=True),
          Input({"type": Atlas.PLACE_CLOSE, "index": dash.ALL}, "n_clicks"), prevent_initial_call=True)
def close_place(clicks):
    if not any_clicked(clicks):
        raise dash.exceptions.PreventUpdate
    return []


clientside_callback(
    dash.ClientsideFunction(namespace="atlas_map", function_name="legend"),
    Output(Atlas.MAP_LEGEND, "children"),
    Input(Atlas.MAP, "figure"),
)


@lru_cache(maxsize=64)
def first_map(atlas: AtlasData, state: ViewState) -> tuple[dict, dict]:
    """The map of the page's first view (as the figure's JSON structure) and what :func:`update_map` remembers
    of it: built with the page, so the first paint waits for no callback; and once per view and worker, since
    building the figure is most of a page's build. Nothing may change what it returns."""
    values = views.map_values(atlas, state, state.lang)
    figure = with_camera(views.map_figure(atlas, state, state.lang, values=values), views.story_camera(state))
    return figure, {"level": state.level, "sent": views.value_digests(values)}


def with_camera(figure: dict, camera: dict | None) -> dict:
    """The map figure showing a story step's view (``views.story_camera``), if there is one."""
    if camera:
        figure["layout"]["geo"].update(camera["geo"])
        figure["layout"]["uirevision"] = camera["uirevision"]
    return figure


@callback(
    Output(Atlas.MAP, "figure"),
    Output(Atlas.MAP_SENT, "data"),
    Input(Atlas.STATE, "data"),
    State(Atlas.MAP_SENT, "data"),
    prevent_initial_call=True,
)
def update_map(state_data, map_sent):
    """A new figure when the level (and so the geometry) changes; otherwise only the values that changed.

    ``map_sent`` remembers the level on screen and a digest of every trace property sent, so a filter change
    sends, say, the new colours and points but not the unchanged names of the greyed-out regions.
    """
    state = ViewState.from_dict(state_data)
    atlas = load_atlas_data()
    camera = views.story_camera(state)
    values = views.map_values(atlas, state, state.lang)
    digests = views.value_digests(values)
    map_sent = mapping(map_sent)
    sent = mapping(map_sent.get("sent"))
    if map_sent.get("level") != state.level:
        figure = with_camera(views.map_figure(atlas, state, state.lang, values=values), camera)
        return figure, {"level": state.level, "sent": digests}
    patch = Patch()
    for trace, properties in values.items():
        for name, value in properties.items():
            if sent.get(f"{trace}.{name}") != digests[f"{trace}.{name}"]:
                patch["data"][trace][name] = value
    if camera:
        patch["layout"]["geo"]["lonaxis"] = camera["geo"]["lonaxis"]
        patch["layout"]["geo"]["lataxis"] = camera["geo"]["lataxis"]
        patch["layout"]["uirevision"] = camera["uirevision"]
    return patch, {"level": state.level, "sent": digests}


clientside_callback(
    """
    function(present, start, exit) {
        var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || '';
        var root = document.documentElement;
        if (trigger.indexOf('exit') >= 0) {
            if (document.fullscreenElement && document.exitFullscreen) { document.exitFullscreen(); }
        } else if (trigger && !document.fullscreenElement && root.requestFullscreen) {
            root.requestFullscreen().catch(function () {});
        }
        return trigger;
    }
    """,
    Output(Atlas.FULLSCREEN, "data"),
    Input(Atlas.PRESENT, "n_clicks"),
    Input(Atlas.STORY_START, "n_clicks"),
    Input(Atlas.PRESENT_EXIT, "n_clicks"),
    prevent_initial_call=True,
)


#: Every part of the page that is a plain function of the view state, by the section that shows it:
#: (component, property, render(atlas, state, href)). The "always" parts are on screen with the map; the others
#: are computed only while the reader can see them (``assets/lazy_views.js`` reports which ones are).
ALWAYS = "always"
VIEW_PARTS = {
    ALWAYS: (
        (Atlas.SUMMARY, "children",
         lambda atlas, state, href: cards.summary(state, views.summary_counts(atlas, state), state.lang)),
        (Atlas.MAP_TABLE_SUMMARY, "children",
         lambda atlas, state, href: cards.map_table_summary(views.metrics_in_view(atlas, state), state, state.lang)),
        (Atlas.REGION_CARD, "children",
         lambda atlas, state, href: cards.region_card(views.region_details(atlas, state), state.lang, state)),
        (Atlas.CLUSTER_CARD, "children",
         lambda atlas, state, href: cards.cluster_card(views.cluster_details(atlas, state), state.lang, state)),
        (Atlas.ROOT, "className", lambda atlas, state, href: root_class(state)),
        (Atlas.PRESENT_BAR, "children",
         lambda atlas, state, href: cards.presentation_text(state, views.presented_step(atlas, state, state.lang),
                                                            CONFIG.public_url or views.base_url(href), state.lang)),
    ),
    LazyView.CHARTS: (
        (Atlas.CHARTS_GRID, "children",
         lambda atlas, state, href: components.charts(Translator(state.lang),
                                                      views.top_regions_figure(atlas, state, state.lang),
                                                      views.country_mix_figure(atlas, state, state.lang))),
    ),
    LazyView.COMPARE: (
        (Atlas.COMPARE_GRID, "children",
         lambda atlas, state, href: components.comparison_charts(Translator(state.lang),
                                                                 views.comparison_figure(atlas, state, state.lang),
                                                                 views.portfolio_figure(atlas, state, state.lang))),
    ),
    LazyView.TABLE: (
        (Atlas.TABLE_SLOT, "children",
         lambda atlas, state, href: components.table_grid(Translator(state.lang),
                                                          views.table_rows(atlas, state, state.lang))),
    ),
    LazyView.EXPORTS: (
        (Atlas.EXPORTS, "children", lambda atlas, state, href: cards.export_links(state, state.lang)),
    ),
    LazyView.MAP_TABLE: (
        (Atlas.MAP_TABLE, "children",
         lambda atlas, state, href: cards.map_data_table(views.metrics_in_view(atlas, state), state.lang)),
    ),
}


def view_key(state: ViewState, href: str | None, section: str) -> str:
    """What a section's rendering depends on: the view state (and, for the QR code, the page's address)."""
    key = state.to_query() or "?"
    return f"{key}#{views.base_url(href)}" if section == ALWAYS else key


def views_to_render(state: ViewState, href: str | None, visible: list | None, rendered: dict | None) -> dict[str, str]:
    """The sections to compute now, with their keys: on screen, and not yet showing this state."""
    on_screen = {ALWAYS, *(name for name in visible or () if name in VIEW_PARTS)}
    rendered = rendered if isinstance(rendered, dict) else {}
    keys = {section: view_key(state, href, section) for section in on_screen}
    return {section: key for section, key in keys.items() if rendered.get(section) != key}


@callback(
    output={"parts": [Output(component, prop) for parts in VIEW_PARTS.values() for component, prop, _ in parts],
            "rendered": Output(Atlas.RENDERED_VIEWS, "data")},
    inputs={"state_data": Input(Atlas.STATE, "data"), "visible": Input(Atlas.VISIBLE_VIEWS, "data")},
    state={"rendered": State(Atlas.RENDERED_VIEWS, "data"), "href": State(Atlas.LOCATION, "href")},
    prevent_initial_call=True,
)
def update_views(state_data, visible, rendered, href):
    """Every view but the map, in one request per change: only the sections on screen, each once per state.


    A section scrolled into view (or a disclosure opened) renders then; one that stays out of view costs
    nothing on a filter change. ``rendered`` remembers which state each section shows.
    """
    state = ViewState.from_dict(mapping(state_data))
    href, visible, rendered = text(href, MAX_QUERY_LENGTH), string_list(visible), mapping(rendered)
    due = views_to_render(state, href, visible, rendered)
    if not due:
        raise dash.exceptions.PreventUpdate
    atlas = load_atlas_data()
    parts = [render(atlas, state, href) if section in due else no_update
             for section, section_parts in VIEW_PARTS.items() for _component, _property, render in section_parts]
    return {"parts": parts, "rendered": {**rendered, **due}}


@callback(
    Output(Atlas.COMPARE, "options"),
    Input(Atlas.VISIBLE_VIEWS, "data"),
    Input(Atlas.COMPARE, "value"),
    State(Atlas.COMPARE, "options"),
    State(Atlas.STATE, "data"),
    prevent_initial_call=True,
)
def load_region_options(visible, compared, shown, state_data):
    """Every region to compare, once: when the comparison is first on screen, or when a region is compared
    from elsewhere (a click on the map) before that, so its chip has a label."""
    language = ViewState.from_dict(mapping(state_data)).lang
    shown = shown if isinstance(shown, list) else []
    labelled = {option.get("value") for option in shown if isinstance(option, dict)}
    wanted = LazyView.COMPARE in string_list(visible) or not set(string_list(compared)) <= labelled
    if not wanted:
        raise dash.exceptions.PreventUpdate
    options = views.region_options(load_atlas_data(), language)
    if len(shown) >= len(options):
        raise dash.exceptions.PreventUpdate
    return list(options)


@callback(
    Output(Atlas.DOWNLOAD, "data"),
    Input(Atlas.DOWNLOAD_CSV, "n_clicks"),
    Input(Atlas.DOWNLOAD_GEOJSON, "n_clicks"),
    State(Atlas.STATE, "data"),
    State(Atlas.LOCATION, "href"),
    prevent_initial_call=True,
)
def download_view(_csv_clicks, _geojson_clicks, state_data, href):
    """The file names the view it holds: the current state's address, not the URL the page was loaded with
    (``dcc.Location.href`` keeps that one while the filters rewrite only ``search``)."""
    trigger = triggered_id()
    if trigger not in (Atlas.DOWNLOAD_CSV, Atlas.DOWNLOAD_GEOJSON):
        raise dash.exceptions.PreventUpdate
    kind = "geojson" if trigger == Atlas.DOWNLOAD_GEOJSON else "csv"
    state = ViewState.from_dict(state_data)
    content, filename = views.download(load_atlas_data(), state, kind,
                                       views.view_address(state, text(href, MAX_QUERY_LENGTH)))
    return dcc.send_string(content, filename)
