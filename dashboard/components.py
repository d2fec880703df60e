"""Layout pieces: functions that return components. No callbacks and no data loading here.

Text from data is always passed as a component child or prop, which React renders as text, never as HTML.
"""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import upload
from dashboard.figures import INK, PARTNER_GLYPH
from dashboard.i18n import DEFAULT_LANGUAGE, Translator, load_catalogue
from dashboard.ids import Atlas, LazyView
from dashboard.state import LEVELS, METRICS, ViewState
from geodata.nuts import PERIODS
from geodata.sectors import ORG_TYPES, SECTORS
from geodata.selection import LANDSCAPES, MOUNTAIN_CHOICES
from geodata.settings import COUNTRIES


def field(_: Translator, label_key: str, control, *, control_id: str, hint_key: str | None = None) -> html.Div:
    children = [html.Label(_(label_key), htmlFor=control_id, className="field-label"), control]
    if hint_key:
        children.append(html.P(_(hint_key), className="field-hint"))
    return html.Div(children, className="field")


def fieldset(_: Translator, legend_key: str, control) -> html.Fieldset:
    return html.Fieldset([html.Legend(_(legend_key), className="field-label"), control], className="field")


def dropdown_labels(_: Translator) -> dict[str, str]:
    """The texts a ``dcc.Dropdown`` shows of its own ("2 selected", "Clear selection"), in the page's language."""
    return {name: _(f"dropdown.{name}") for name in
            ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
             "no_options_found")}


def choice_field(_: Translator, legend_key: str, component_id: str, value, labels: dict,
                 *, multi: bool = False, extra_class: str = "") -> html.Fieldset:
    """A fieldset of checkboxes (``multi``) or radio buttons; ``labels`` maps each choice to its text."""
    component = dcc.Checklist if multi else dcc.RadioItems
    base_class = "checklist" if multi else "radios"
    return fieldset(_, legend_key, component(
        id=component_id, value=value, className=f"{base_class} {extra_class}".strip(),
        options=[{"label": label, "value": choice} for choice, label in labels.items()],
        inputClassName="check", labelClassName="check-label"))


def sector_option(_: Translator, sector) -> dict:
    return {"label": html.Span([html.Span(sector.symbol, className="swatch", style={"color": sector.colour},
                                          **{"aria-hidden": "true"}),
                                _(f"sector.{sector.id}")], className="sector-option"),
            "value": sector.id, "search": _(f"sector.{sector.id}")}


def filter_panel(_: Translator, state: ViewState) -> html.Aside:
    """The filters, in a disclosure that starts closed on phones so the map comes first."""
    return html.Aside(html.Details(
        [
            html.Summary(html.H2(_("filters.title"), className="panel-title-text"), className="panel-title"),
            html.Div(filter_fields(_, state), className="filters-body"),
        ],
        id=Atlas.FILTERS_TOGGLE, open=True,
    ), className="filters", **{"aria-label": _("filters.title")})


def filter_fields(_: Translator, state: ViewState) -> list:
    key_sectors = [s for s in SECTORS if s.key_sector]
    other_sectors = [s for s in SECTORS if not s.key_sector]
    return [
            field(_, "filters.search", dcc.Input(
                id=Atlas.SEARCH, type="search", value=state.search, debounce=0.4, maxLength=80,
                placeholder=_("filters.search.placeholder"), className="text-input", autoComplete="off"),
                control_id=Atlas.SEARCH),
            fieldset(_, "filters.sectors", html.Div([
                html.P(_("filters.sectors.key"), className="field-hint"),
                dcc.Checklist(id=Atlas.SECTORS, value=list(state.sectors), className="checklist sectors",
                              options=[sector_option(_, s) for s in key_sectors + other_sectors],
                              inputClassName="check", labelClassName="check-label"),
            ])),
            choice_field(_, "filters.countries", Atlas.COUNTRIES, list(state.countries), {c: _(f"country.{c}") for c in COUNTRIES},
                         multi=True, extra_class="countries"),
            html.P(_("filters.empty_means_all"), className="field-hint"),
            choice_field(_, "filters.period", Atlas.PERIOD, state.period, {p: _(f"period.{p}") for p in PERIODS}),
            choice_field(_, "filters.landscape", Atlas.LANDSCAPE, state.landscape, {v: _(f"landscape.{v}") for v in LANDSCAPES}),
            choice_field(_, "filters.level", Atlas.LEVEL, state.level, {lv: _(f"level.{lv}") for lv in LEVELS}, extra_class="inline"),
            choice_field(_, "filters.metric", Atlas.METRIC, state.metric, {m: _(f"metric.{m}") for m in METRICS}),
            choice_field(_, "filters.mountain", Atlas.MOUNTAIN, state.mountain, {m: _(f"mountain.{m}") for m in MOUNTAIN_CHOICES}),
            choice_field(_, "filters.org_types", Atlas.ORG_TYPES, list(state.org_types), {t: _(f"org_type.{t}") for t in ORG_TYPES},
                         multi=True),
            html.P(_("filters.org_types.hint"), className="field-hint"),
            fieldset(_, "filters.layers", dcc.Checklist(
                id=Atlas.PARTNERS, value=["partners"] if state.partners else [], className="checklist",
                options=[{"label": _("filters.partners"), "value": "partners"}],
                inputClassName="check", labelClassName="check-label")),
            html.A(_("filters.reset"), href=f"/?lang={_.language}", id=Atlas.RESET, className="button secondary"),
    ]


def presentation_controls(_: Translator) -> html.Div:
    return html.Div(
        [html.Button(_("present.start"), id=Atlas.PRESENT, n_clicks=0, className="button secondary"),
         html.Button(_("present.story"), id=Atlas.STORY_START, n_clicks=0, className="button secondary")],
        className="button-row present-controls",
    )


def presentation_bar(_: Translator) -> html.Div:
    """Shown only while presenting: story text, caption, QR code, and the step buttons a clicker drives."""
    return html.Div(
        [
            html.Div(id=Atlas.PRESENT_BAR, className="present-text", **{"aria-live": "polite"}),
            html.Div(
                [html.Button("‹ " + _("present.previous"), id=Atlas.STORY_PREVIOUS, n_clicks=0, className="button"),
                 html.Button(_("present.next") + " ›", id=Atlas.STORY_NEXT, n_clicks=0, className="button"),
                 html.Button(_("present.exit"), id=Atlas.PRESENT_EXIT, n_clicks=0, className="button secondary")],
                className="button-row present-nav",
            ),
        ],
        className="present-bar",
    )


def map_section(_: Translator, figure=None) -> html.Section:
    """The map with its legend below it (never over it, on any screen) and the list of a clicked place.

    ``figure`` is the first view's map, built with the page so the first paint waits for no callback.
    """
    graph_options = {"figure": figure} if figure is not None else {}
    return html.Section(
        [
            presentation_bar(_),
            html.Div([html.P(id=Atlas.SUMMARY, className="summary", **{"aria-live": "polite"}),
                      presentation_controls(_)], className="map-head"),
            html.Div([
                html.Div([
                    dcc.Loading(dcc.Graph(
                        id=Atlas.MAP, className="map", responsive=True,
                        config=graph_config(_, "alpine-cluster-atlas-map", scrollZoom=True), **graph_options,
                    ), delay_show=400, show_initially=False, overlay_style={"visibility": "visible", "opacity": 0.6}),
                    html.Div(id=Atlas.MAP_PLACE, className="map-place", **{"aria-live": "polite"}),
                ], className="map-frame"),
                # Beside the map (under it on a phone, with the map shortened): a click shows its card
                # where the eye already is, not far below the map.
                html.Div([html.Div(id=Atlas.REGION_CARD, className="card-slot"),
                          html.Div(id=Atlas.CLUSTER_CARD, className="card-slot")], className="cards",
                         **{"aria-live": "polite"}),
            ], className="map-body"),
            # Under the map; beside it on a projector (style.css), so the map keeps its height there.
            html.Div([
                html.Div(id=Atlas.MAP_LEGEND, className="map-legend", role="group",
                         **{"aria-label": _("map.legend.label")}),
                sector_key(_),
                upload.legend_entry(_),
                html.P([_("map.attribution.register"), " · ", _("attribution.nuts"), " · ",
                        _("map.attribution.geonames")], className="attribution"),
            ], className="map-keys"),
            html.Details([html.Summary(id=Atlas.MAP_TABLE_SUMMARY), html.Div(id=Atlas.MAP_TABLE)],
                         id=Atlas.MAP_TABLE_DETAILS, open=False, className="map-table",
                         **{"data-view": LazyView.MAP_TABLE}),
            # The links follow the view: listed only while the disclosure is open, not on every filter change.
            html.Details([html.Summary(_("export.heading")), html.Ul(id=Atlas.EXPORTS, className="export-list")],
                         open=False, className="exports", **{"data-view": LazyView.EXPORTS}),
        ],
        className="map-section",
        **{"aria-label": _("map.title")},
    )


#: Plotly's own texts on the charts' toolbars, by the English text its locale dictionaries are keyed by.
PLOTLY_TEXTS = {
    "Download plot as a PNG": "plotly.download_png", "Share chart...": "plotly.share", "Pan": "plotly.pan",
    "Zoom": "plotly.zoom", "Zoom in": "plotly.zoom_in", "Zoom out": "plotly.zoom_out",
    "Box Select": "plotly.box_select", "Lasso Select": "plotly.lasso_select", "Autoscale": "plotly.autoscale",
    "Reset axes": "plotly.reset_axes", "Reset view": "plotly.reset_view",
}


def graph_config(_: Translator, filename: str, **options) -> dict:
    """A ``dcc.Graph`` config: slide-sized PNG export, no Plotly logo, toolbar texts in the page's language."""
    return {
        "displaylogo": False,
        # Nothing on the toolbar may send the data to an outside service.
        "showSendToCloud": False, "showEditInChartStudio": False, "showLink": False,
        "modeBarButtonsToRemove": ["sendDataToCloud"],
        "toImageButtonOptions": {"format": "png", "width": 1920, "height": 1080, "scale": 1, "filename": filename},
        "locale": _.language,
        "locales": {_.language: {"dictionary": {english: _(key) for english, key in PLOTLY_TEXTS.items()}}},
        **options,
    }


def graph(_: Translator, component_id: str, filename: str, figure) -> dcc.Graph:
    """A chart, mounted with its figure and sized by it from the start: until Plotly has drawn, a graph has no
    height of its own, and the sections below it would move up into view and back down. A figure without a
    height fills its panel (the presentation's chart)."""
    layout = figure.get("layout", {}) if isinstance(figure, dict) else figure.layout.to_plotly_json()
    style = {"height": f"{layout['height']}px"} if layout.get("height") else {}
    return dcc.Graph(id=component_id, className="chart", figure=figure, style=style,
                     config=graph_config(_, filename))


def charts(_: Translator, top_regions, country_mix) -> list[dcc.Graph]:
    """The charts section's graphs, drawn into its grid when the section is computed (on screen): a graph in
    the page before that was mounted, and a blank laid out by Plotly, during the map's first paint."""
    return [graph(_, Atlas.TOP_REGIONS, "top-regions", top_regions),
            graph(_, Atlas.COUNTRY_MIX, "sector-mix-by-country", country_mix)]


def comparison_charts(_: Translator, comparison, portfolio) -> list[dcc.Graph]:
    """The comparison's graphs, drawn into its grid when the comparison is computed (on screen)."""
    return [graph(_, Atlas.COMPARISON, "territory-comparison", comparison),
            graph(_, Atlas.PORTFOLIO, "region-portfolio", portfolio)]


def sector_key(_: Translator) -> html.Ul:
    """One key for every chart's colours, with a symbol beside each colour so colour is not the only cue; the
    map draws the same symbols (``figures.GLYPH_SHAPES``), and shared places and partners have theirs."""
    entries = [html.Li([html.Span(s.symbol, className="swatch", style={"color": s.colour},
                                  **{"aria-hidden": "true"}), _(f"sector.{s.id}")],
                       **{"data-sector": s.id}) for s in SECTORS]
    entries.append(html.Li([html.Span("2", className="swatch stack-swatch", **{"aria-hidden": "true"}),
                            _("map.key.stack")], **{"data-sector": "stack"}))
    entries.append(html.Li([html.Span(PARTNER_GLYPH, className="swatch", style={"color": INK},
                                      **{"aria-hidden": "true"}), _("map.partners")], **{"data-sector": "partner"}))
    return html.Ul(entries, className="sector-key", **{"aria-label": _("charts.key")})


def charts_section(_: Translator) -> html.Section:
    return html.Section(
        [html.H2(_("charts.title")),
         html.Div(id=Atlas.CHARTS_GRID, className="chart-grid")],
        className="panel", **{"aria-label": _("charts.title"), "data-view": LazyView.CHARTS},
    )


def compare_section(_: Translator, region_options: list[dict], state: ViewState) -> html.Section:
    return html.Section(
        [
            html.H2(_("compare.heading")),
            html.P(_("compare.help"), className="field-hint"),
            html.Label(_("compare.label"), htmlFor=Atlas.COMPARE, className="field-label"),
            dcc.Dropdown(id=Atlas.COMPARE, options=region_options, value=list(state.compare), multi=True,
                         searchable=True, placeholder=_("compare.placeholder"), className="compare-dropdown",
                         maxHeight=320, labels=dropdown_labels(_)),
            html.Div(id=Atlas.COMPARE_GRID, className="chart-grid compare-grid"),
        ],
        className="panel", id="compare", **{"aria-label": _("compare.heading"), "data-view": LazyView.COMPARE},
    )


TABLE_COLUMN_DEFS = [
    {"field": "name", "headerKey": "table.name", "minWidth": 240, "flex": 2, "pinned": "left"},
    {"field": "origin", "headerKey": "table.origin", "minWidth": 120},
    {"field": "acronym", "headerKey": "table.acronym", "minWidth": 100},
    {"field": "sector", "headerKey": "table.sector", "minWidth": 180},
    {"field": "country", "headerKey": "table.country", "minWidth": 90},
    {"field": "city", "headerKey": "table.city", "minWidth": 120},
    {"field": "region", "headerKey": "table.region", "minWidth": 160},
    {"field": "nuts3", "headerKey": "table.nuts3", "minWidth": 90},
    {"field": "org_type", "headerKey": "table.org_type", "minWidth": 160},
    {"field": "status", "headerKey": "table.status", "minWidth": 100},
    {"field": "founded", "headerKey": "table.founded", "minWidth": 100, "filter": "agNumberColumnFilter"},
    {"field": "website", "headerKey": "table.website", "minWidth": 200, "cellRenderer": "SafeLink"},
    {"field": "source_url", "headerKey": "table.source", "minWidth": 200, "cellRenderer": "SafeLink"},
]


def grid_locale_text(_: Translator) -> dict[str, str]:
    """AG Grid's own texts (paging, filters, their ARIA labels) from the ``grid.*`` keys, in the page's language."""
    return {key.removeprefix("grid."): _(key) for key in load_catalogue(DEFAULT_LANGUAGE) if key.startswith("grid.")}


#: Component libraries whose scripts load only when a section that uses them comes into view.
DEFERRED_LIBRARIES = ("dash_ag_grid",)


def table_section(_: Translator) -> html.Section:
    """The table's frame; the grid itself (and AG Grid's scripts) arrive when the section scrolls into view."""
    return html.Section(
        [
            html.Div([
                html.H2(_("table.title")),
                html.Div([
                    html.Button(_("table.download_csv"), id=Atlas.DOWNLOAD_CSV, className="button", n_clicks=0),
                    html.Button(_("table.download_geojson"), id=Atlas.DOWNLOAD_GEOJSON, className="button",
                                n_clicks=0),
                ], className="button-row"),
            ], className="section-head"),
            html.Div(id=Atlas.TABLE_SLOT, className="table-slot"),
            dcc.Download(id=Atlas.DOWNLOAD),
        ],
        className="panel", **{"aria-label": _("table.title"), "data-view": LazyView.TABLE,
                               "data-scripts": " ".join(DEFERRED_LIBRARIES)},
    )


def table_grid(_: Translator, rows: list[dict]) -> dag.AgGrid:
    """The clusters in view as a sortable, filterable grid."""
    column_defs = [{key: value for key, value in column.items() if key != "headerKey"}
                   | {"headerName": _(column["headerKey"])} for column in TABLE_COLUMN_DEFS]
    return dag.AgGrid(
        id=Atlas.TABLE, columnDefs=column_defs, rowData=rows,
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": True},
        dashGridOptions={"pagination": True, "paginationPageSize": 20, "animateRows": False,
                         "getRowId": {"function": "params.data.id"}, "enableCellTextSelection": True,
                         "localeText": grid_locale_text(_)},
        getRowId="params.data.id",
        className="ag-theme-quartz table", style={"height": "560px"},
    )
