"""Figure builders: data in, ``go.Figure`` out. Pure functions with a fresh layout each call.

The map is built once per NUTS level; afterwards filters change only trace values. :func:`map_trace_values`
computes those values, and both :func:`make_map_figure` and the callback's ``dash.Patch`` use it, so a
patched map and a freshly built one cannot disagree.
"""

from __future__ import annotations

import html
import textwrap
import zlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.i18n import Translator
from geodata.metrics import MIN_CLUSTERS_FOR_LQ
from geodata.sectors import SECTOR_BY_ID, SECTOR_COLOURS, SECTOR_IDS, SECTORS

Translate = Translator

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2933"
MUTED = "#52606d"
CONTEXT_FILL = "#d9dde2"
SEA = "#eef3f7"
#: ColorBrewer YlGnBu, nine steps: sequential and readable with every common colour-vision deficiency. The
#: classes of a map pick evenly spaced steps from it.
SEQUENTIAL_STEPS = ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58")
#: ColorBrewer RdBu, five classes centred on a location quotient of 1: blue below, red above. Its own hues, so
#: no region colour can be read as a sector colour (the Chemistry orange, the Energy green).
DIVERGING_STEPS = ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")
#: Location-quotient class edges: ½, ⅘ … 1¼, 2; the middle class is "about the Alpine Space mix".
LQ_EDGES = (0.5, 0.8, 1.25, 2.0)
#: Upper bounds of the whole-number classes for counts beyond ``COUNT_SINGLE_CLASSES``: 0, 1, 2, 3–4, 5–9 …
COUNT_EDGES = (0, 1, 2, 4, 9, 19, 49, 99)
COUNT_SINGLE_CLASSES = 6
QUANTILE_CLASSES = 5

#: The map's view before the browser fits it to its window: the Alpine Space, with some of its neighbours.
ALPINE_VIEW = (4.5, 43.0, 17.5, 50.2)

#: Five traces whatever the filters, in drawing order (region fills under points, whatever their index); the
#: country borders come last among the fills. All clusters share one point trace.
TRACE_CONTEXT, TRACE_VALUES, TRACE_SELECTION, TRACE_CLUSTERS, TRACE_PARTNERS = 0, 1, 2, 3, 4
#: The visitor's own list: a dark ring with a white centre (two traces), unlike any register marker.
TRACE_USER_RING, TRACE_USER_CENTRE = 5, 6
#: The country borders: a choropleth of the level-0 outlines without fill, drawn over the region fills.
TRACE_BORDERS = 7
USER_LIST_COLOUR = "#3b0a45"

#: The map's marker shape (a plotly.js symbol, or one the atlas adds to its plotly.js: ``js/atlas-symbols.js``)
#: for each of the sector key's glyphs, so the key and the map show the same symbol.
GLYPH_SHAPES = {"▲": "triangle-up", "■": "square", "◆": "diamond", "●": "circle", "✚": "cross",
                "▼": "triangle-down", "♣": "club", "▬": "bar", "★": "star", "✈": "plane", "◐": "half", "○": "ring"}
PARTNER_GLYPH = "◎"
PARTNER_SYMBOL = "partner"
#: A place several organisations share: a dark disc with their number.
STACK_SYMBOL = "circle"
#: Marker diameters in pixels; every marker has a white rim, so it holds on any region colour.
POINT_SIZE = 14
STACK_SIZE = 19
PARTNER_SIZE = 19
MARKER_RIM = {"width": 1.5, "color": "#ffffff"}


def sector_symbol(sector_id: str) -> str:
    """The marker shape of a sector (its colour is the sector's colour)."""
    return GLYPH_SHAPES[SECTOR_BY_ID[sector_id].symbol]


def safe_text(value: object) -> str:
    """Data text for Plotly labels: Plotly renders a subset of HTML, data must never become markup."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=False)


def format_metric(metric: str, value: float, _: Translate) -> str:
    if value is None or pd.isna(value):
        return _("value.none")
    if metric == "count":
        return _.number(value)
    if metric == "density":
        return _.number(value, 1)
    if metric == "share":
        return _.percent(value)
    return _.number(value, 2)


def _base_layout(**overrides) -> go.Layout:
    layout = go.Layout(
        font={"family": FONT, "color": INK, "size": 13},
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
        hoverlabel={"font": {"family": FONT}},
    )
    layout.update(overrides)
    return layout


#: Characters a line of a chart's title holds on a phone (a chart some 320 px wide): Plotly does not wrap.
TITLE_LINE = 38
#: The same for a title over one of two panels side by side.
PANEL_TITLE_LINE = 16
#: Height of a line of a chart's title, for the room above the plot.
TITLE_LINE_PX = 20


def wrapped(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters (broken at spaces), joined by Plotly's ``<br>``."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _chart_title(text: str) -> dict:
    """A title at the chart's top left. Padded from the top: Plotly measures a title of several lines from its
    first line's middle, and without the pad that line was cut at the chart's top edge."""
    return {"text": text, "font": {"size": 15}, "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top",
            "yref": "container", "pad": {"t": 8}}


def _wrapped_title(text: str) -> tuple[dict, int]:
    """A chart's title wrapped for a phone, and the pixels its lines beyond the first add above the plot."""
    title = wrapped(text, TITLE_LINE)
    return _chart_title(title), TITLE_LINE_PX * title.count("<br>")


#: Height of a chart that only says why it is empty (no bars, nothing picked yet): a line of text, not a panel.
EMPTY_CHART_HEIGHT = 220


def empty_figure(message: str) -> go.Figure:
    figure = go.Figure(layout=_base_layout(xaxis={"visible": False}, yaxis={"visible": False},
                                           height=EMPTY_CHART_HEIGHT))
    figure.add_annotation(text=safe_text(message), showarrow=False, font={"size": 14, "color": MUTED},
                          xref="paper", yref="paper", x=0.5, y=0.5)
    return figure


# --- map ------------------------------------------------------------------------------------------------


def view_ranges(bounds: tuple[float, float, float, float], margin: float = 0.02) -> dict:
    """The map's longitude and latitude ranges that show ``bounds`` (west, south, east, north) whole, with a margin
    of ``margin`` of their span on every side. The atlas's plotly.js widens the shorter of the two to the map's
    own shape, so the map fills its box at any window size (``js/plotly-atlas.js``)."""
    west, south, east, north = bounds
    x_pad, y_pad = (east - west) * margin, (north - south) * margin
    return {"lonaxis": {"range": [round(west - x_pad, 4), round(east + x_pad, 4)]},
            "lataxis": {"range": [round(south - y_pad, 4), round(north + y_pad, 4)]}}


def points_extent(lon, lat, padding: float) -> tuple[float, float, float, float] | None:
    """The extent (west, south, east, north) of points, ``padding`` degrees around them (gaps, None, skipped);
    None without any point."""
    lons = [float(value) for value in lon if value is not None]
    lats = [float(value) for value in lat if value is not None]
    if not lons:
        return None
    return (round(min(lons) - padding, 4), round(min(lats) - padding, 4),
            round(max(lons) + padding, 4), round(max(lats) + padding, 4))


def bounds_for_camera(centre: dict, zoom: float, width: int = 1200, height: int = 580) -> tuple[float, ...]:
    """The extent a web map shows around ``centre`` at ``zoom`` (512 px tiles) in a ``width``×``height`` map:
    the story's steps are written as a camera, the SVG map is framed by an extent."""
    def mercator_y(lat: float) -> float:
        return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))

    def latitude(y: float) -> float:
        return float(np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2))

    world = 512 * 2 ** zoom  # the world's width in pixels: 360° of longitude, 2π of Mercator's y
    x_half = width / world * 360 / 2
    y_half = height / world * np.pi
    y_centre = mercator_y(centre["lat"])
    return (round(centre["lon"] - x_half, 4), round(latitude(y_centre - y_half), 4),
            round(centre["lon"] + x_half, 4), round(latitude(y_centre + y_half), 4))


def _label_range(low: str, high: str) -> str:
    return low if low == high else f"{low}–{high}"


def colour_classes(metric: str, values: pd.Series, _: Translate) -> dict:
    """The map's colour classes for ``values``: upper edges, colours, labels for the legend and a note.

    Counts get whole-number classes (single numbers while few, then 3–4, 5–9 …); density and share get classes
    of about equal numbers of regions (quintiles), so one outlier like Wien does not wash the rest out; the
    location quotient gets five fixed classes around 1 on a diverging palette.
    """
    finite = values.dropna().astype(float)
    if metric == "lq":
        edges = [*LQ_EDGES, np.inf]
        labels = [f"< {_.number(LQ_EDGES[0], 1)}"]
        labels += [_label_range(_.number(low, 2).rstrip("0").rstrip(",."), _.number(high, 2).rstrip("0").rstrip(",."))
                   for low, high in zip(LQ_EDGES, LQ_EDGES[1:])]
        labels += [f"≥ {_.number(LQ_EDGES[-1])}"]
        return {"edges": edges, "colours": list(DIVERGING_STEPS), "labels": labels,
                "note": _("map.legend.lq_note", minimum=MIN_CLUSTERS_FOR_LQ)}
    if metric == "count":
        top = int(finite.max()) if len(finite) else 0
        if top <= COUNT_SINGLE_CLASSES:
            edges = list(range(0, top + 1))
        else:
            edges = [edge for edge in COUNT_EDGES if edge < top] + [top]
        lows = [0] + [edge + 1 for edge in edges[:-1]]
        labels = [_label_range(_.number(low), _.number(high)) for low, high in zip(lows, edges)]
        return {"edges": [float(edge) for edge in edges], "colours": _sequential(len(edges)), "labels": labels,
                "note": ""}
    positive = finite[finite > 0]
    edges: list[float] = [0.0] if (finite <= 0).any() or positive.empty else []
    if len(positive):
        quantiles = np.quantile(positive, np.linspace(0, 1, QUANTILE_CLASSES + 1)[1:])
        edges += sorted({float(edge) for edge in quantiles})
    if not edges:
        edges = [0.0]
    fmt = (lambda v: _.percent(v)) if metric == "share" else (lambda v: _.number(v, 1))
    labels, low = [], None
    for edge in edges:
        labels.append(fmt(edge) if low is None or edge == 0 else _label_range(fmt(low), fmt(edge)))
        low = edge
    return {"edges": edges, "colours": _sequential(len(edges)), "labels": labels,
            "note": _("map.legend.quantile_note") if len(positive) > QUANTILE_CLASSES else ""}


def _sequential(count: int) -> list[str]:
    picks = np.linspace(0, len(SEQUENTIAL_STEPS) - 1, max(count, 1)).round().astype(int) if count > 1 else [1]
    return [SEQUENTIAL_STEPS[i] for i in picks]


def class_index(values: pd.Series, edges: list[float]) -> list[int]:
    """The class of each value: the first class whose upper edge is not below it."""
    positions = np.searchsorted(np.asarray(edges, dtype=float), values.to_numpy(dtype=float), side="left")
    return np.minimum(positions, len(edges) - 1).astype(int).tolist()


def stepped_colourscale(colours: list[str]) -> list[list]:
    """A Plotly colourscale of flat steps, one per class, for class indices 0 … n−1 (zmin −0.5, zmax n−0.5)."""
    if len(colours) == 1:
        return [[0.0, colours[0]], [1.0, colours[0]]]
    scale = []
    for index, colour in enumerate(colours):
        scale += [[index / len(colours), colour], [(index + 1) / len(colours), colour]]
    return scale


def stacked_points(points: pd.DataFrame) -> pd.DataFrame:
    """Organisations grouped by their place: one row per position with the ids, names, sectors and cities there.

    Many organisations share a city's coordinates (ten in Lyon, Linz, Nürnberg, Stuttgart): drawn one by one
    only the top one could be hovered or clicked. Ordered by place, then sector, name and id.
    """
    # This runs on every filter change: plain arrays, one stable sort per key (the last key first) and slices,
    # instead of sorting the frame (a third of the map's values on a click went to pandas' sort of its text).
    lat = points["lat"].to_numpy(dtype=float).round(5)
    lon = points["lon"].to_numpy(dtype=float).round(5)
    text = {column: points[column].to_numpy(dtype=object) for column in ("id", "name", "sector", "city")}
    order = np.arange(len(points))
    for key in (text["id"], text["name"], text["sector"], lon, lat):
        order = order[np.argsort(key[order], kind="stable")]
    lat, lon = lat[order], lon[order]
    starts = np.flatnonzero(np.r_[True, (lat[1:] != lat[:-1]) | (lon[1:] != lon[:-1])]) if len(order) else order
    bounds = list(zip(starts.tolist(), [*starts[1:].tolist(), len(order)]))

    def lists(column: str) -> list[list]:
        values = text[column][order].tolist()
        return [values[start:end] for start, end in bounds]

    return pd.DataFrame({"lat": lat[starts].tolist(), "lon": lon[starts].tolist(), "ids": lists("id"),
                         "names": lists("name"), "sectors": lists("sector"), "cities": lists("city")})


def map_trace_values(
    metrics: pd.DataFrame,
    clusters: pd.DataFrame,
    partners: pd.DataFrame,
    *,
    metric: str,
    highlighted: tuple[str, ...],
    show_partners: bool,
    _: Translate,
    fit: tuple[float, float, float, float] | None = None,
    focus: tuple[float, float, float, float] | None = None,
) -> dict[int, dict]:
    """Every value the map shows, by trace index: what a filter change sends to the browser.

    ``fit`` is the extent the browser fits the map to (``assets/map.js``), ``focus`` the focused region's, which
    the browser brings into view only when it is not in view already; both travel with the legend in the
    values trace's ``meta`` so a patch changes them together.
    """
    on_map = metrics[metrics["on_map"]] if "on_map" in metrics else metrics
    valued = on_map["in_area"] & on_map[metric].notna()
    if metric == "lq":
        valued &= on_map["lq_reliable"]
    shown, context = on_map[valued], on_map[~valued]

    unit = _(f"metric.{metric}.unit")
    value_text = [format_metric(metric, value, _) for value in shown[metric]]
    if metric == "lq":
        value_text = [f"{text} ({_.plural('map.hover.clusters', int(n))})"
                      for text, n in zip(value_text, shown["count_all_sectors"])]
    context_reason = np.where(
        ~context["in_area"], _("map.hover.outside_area"),
        np.where(context["count_all_sectors"].fillna(0) > 0, _("map.hover.too_few", minimum=MIN_CLUSTERS_FOR_LQ),
                 _("value.none")),
    )
    classes = colour_classes(metric, shown[metric], _)
    legend = {"title": _(f"metric.{metric}.short") + (f" ({unit})" if unit and metric != "lq" else ""),
              "colours": classes["colours"], "labels": classes["labels"], "note": classes["note"],
              "context": _("map.legend.context"), "context_colour": CONTEXT_FILL}
    values = {
        TRACE_CONTEXT: {
            "locations": context["nuts_id"].tolist(),
            "z": [0] * len(context),
            "customdata": np.column_stack([
                [safe_text(n) for n in context["name"]], context["nuts_id"], context_reason,
            ]).tolist() if len(context) else [],
        },
        TRACE_VALUES: {
            "locations": shown["nuts_id"].tolist(),
            "z": class_index(shown[metric], classes["edges"]),
            # Names and codes change only with the set of regions shown; the value texts with every filter.
            # Kept apart, a filter change resends just the texts (the map callback skips unchanged values).
            "customdata": np.column_stack([
                [safe_text(n) for n in shown["name"]], shown["nuts_id"],
            ]).tolist() if len(shown) else [],
            "text": value_text,
            "hovertemplate": ("<b>%{customdata[0]}</b> (%{customdata[1]})"
                              f"<br>{safe_text(_('metric.' + metric))}: %{{text}} {safe_text(unit)}"
                              "<extra></extra>"),
            "colorscale": stepped_colourscale(classes["colours"]),
            "zmin": -0.5,
            "zmax": len(classes["colours"]) - 0.5,
            "meta": {"legend": legend, "fit": list(fit) if fit else None, "focus": list(focus) if focus else None},
        },
        TRACE_SELECTION: {
            "locations": [code for code in highlighted if code in set(metrics["nuts_id"])],
            "z": [1] * len([code for code in highlighted if code in set(metrics["nuts_id"])]),
        },
    }
    places = stacked_points(clusters)
    labels = {sector: safe_text(_(f"sector.{sector}")) for sector in SECTOR_IDS}
    counts = places["ids"].map(len)
    values[TRACE_CLUSTERS] = {
        "lat": places["lat"].tolist(),
        "lon": places["lon"].tolist(),
        # One id for a single organisation, the list of ids for a shared place (a click lists them).
        "customdata": [ids[0] if len(ids) == 1 else ids for ids in places["ids"]],
        "marker": {"size": [POINT_SIZE if n == 1 else STACK_SIZE for n in counts],
                   "symbol": [sector_symbol(sectors[0]) if len(sectors) == 1 else STACK_SYMBOL
                              for sectors in places["sectors"]],
                   "color": [SECTOR_BY_ID[sectors[0]].colour if len(sectors) == 1 else INK
                             for sectors in places["sectors"]],
                   # plotly.js draws markers of several sizes ("bubbles") at 0.7 opacity unless told.
                   "opacity": 1, "line": MARKER_RIM},
        # The number of organisations on a shared place's disc; none on a single organisation's marker.
        "text": [str(n) if n > 1 else "" for n in counts],
        "hovertext": [_point_hover(names, cities, sectors, labels, _)
                      for names, cities, sectors in zip(places["names"], places["cities"], places["sectors"])],
    }
    values[TRACE_PARTNERS] = {
        "visible": bool(show_partners),
        "lat": partners["lat"].round(5).tolist(),
        "lon": partners["lon"].round(5).tolist(),
        "hovertext": [f"<b>{safe_text(name)}</b><br>{safe_text(city)} · {safe_text(_('map.partner'))}"
                      for name, city in zip(partners["name"], partners["city"])],
    }
    return values


def _point_hover(names: list, cities: list, sectors: list, labels: dict[str, str], _: Translate) -> str:
    if len(names) == 1:
        return f"<b>{safe_text(names[0])}</b><br>{safe_text(cities[0])} · {labels[sectors[0]]}"
    lines = [f"{safe_text(name)} · {labels[sector]}" for name, sector in zip(names, sectors)]
    head = _("map.hover.stack", count=len(names), place=safe_text(cities[0]))
    return f"<b>{head}</b><br>" + "<br>".join(lines) + f"<br><i>{safe_text(_('map.hover.stack_click'))}</i>"


#: The map's subplot: Web Mercator drawn as SVG, no base layers of plotly.js's own (the regions are the map).
MAP_GEO = {"projection": {"type": "mercator"}, "showland": False, "showocean": False, "showlakes": False,
           "showrivers": False, "showcountries": False, "showcoastlines": False, "showsubunits": False,
           "showframe": False, "bgcolor": SEA, "domain": {"x": [0, 1], "y": [0, 1]}}
#: Region outlines and country borders.
REGION_EDGE = {"width": 0.5, "color": "white"}
BORDER_EDGE = {"width": 1.2, "color": "#3e4c59"}
NO_FILL = [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]]


def map_geo(bounds: tuple[float, float, float, float]) -> dict:
    """The map's ``geo`` subplot framed on ``bounds``."""
    return {**MAP_GEO, **view_ranges(bounds)}


def borders_trace(borders_url: str, border_codes: list[str]) -> dict:
    """The country borders over a map's fills: a choropleth of the level-0 outlines without fill or hover."""
    return {"type": "choropleth", "geojson": borders_url, "featureidkey": "id", "locations": list(border_codes),
            "z": [0] * len(border_codes), "colorscale": NO_FILL, "showscale": False, "showlegend": False,
            "hoverinfo": "skip", "marker": {"line": BORDER_EDGE, "opacity": 1}}


def make_map_figure(
    trace_values: dict[int, dict],
    *,
    geojson_url: str,
    borders_url: str,
    border_codes: list[str],
    _: Translate,
    bounds: tuple[float, float, float, float] | None = None,
) -> dict:
    """The choropleth map with cluster points, drawn as SVG; geometry is referenced by URL so browsers fetch it
    once. ``bounds`` (west, south, east, north) is what the map shows first.

    The colour legend is HTML beside the map (from the values trace's ``meta``), never over it. The markers'
    shapes include the atlas's own (``js/atlas-symbols.js``), which plotly.py does not know: the figure is
    validated as a ``go.Figure`` without them and returned as its plain structure with them.
    """
    figure = go.Figure(layout=_base_layout(
        separators=_.separators,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        # The map fills the figure: its sea is the paper, on screen and in a downloaded image.
        paper_bgcolor=SEA,
        geo=map_geo(bounds or ALPINE_VIEW),
        uirevision="atlas-map",
        showlegend=False,
        clickmode="event",
        dragmode="pan",
    ))
    common = {"geojson": geojson_url, "featureidkey": "id", "marker": {"line": REGION_EDGE}}
    figure.add_trace(go.Choropleth(
        name=_("map.context"), showscale=False, showlegend=False, colorscale=[[0, CONTEXT_FILL], [1, CONTEXT_FILL]],
        hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}<extra></extra>",
        marker_opacity=0.9, **common, **trace_values[TRACE_CONTEXT]))
    figure.add_trace(go.Choropleth(name=_("map.values"), showlegend=False, showscale=False, marker_opacity=0.85,
                                   **common, **trace_values[TRACE_VALUES]))
    figure.add_trace(go.Choropleth(
        name=_("map.selected"), showlegend=False, showscale=False, hoverinfo="skip", colorscale=NO_FILL,
        geojson=geojson_url, featureidkey="id", marker={"line": {"width": 3, "color": "#111111"}, "opacity": 1},
        **trace_values[TRACE_SELECTION]))
    # Markers carry their own colours, so the hover labels get a neutral one.
    hoverlabel = {"bgcolor": "white", "bordercolor": INK, "font": {"color": INK, "family": FONT}}
    clusters = trace_values[TRACE_CLUSTERS]
    shapes = {TRACE_CLUSTERS: clusters["marker"]["symbol"], TRACE_PARTNERS: PARTNER_SYMBOL}
    figure.add_trace(go.Scattergeo(
        name=_("map.clusters"), mode="markers+text", showlegend=False, hoverlabel=hoverlabel,
        hovertemplate="%{hovertext}<extra></extra>", textposition="middle center",
        textfont={"color": "white", "size": 10, "family": FONT},
        **{**clusters, "marker": without(clusters["marker"], "symbol")}))
    figure.add_trace(go.Scattergeo(
        name=_("map.partners"), mode="markers", showlegend=False, hoverlabel=hoverlabel,
        marker={"size": PARTNER_SIZE, "color": INK, "line": MARKER_RIM},
        hovertemplate="%{hovertext}<extra></extra>", **trace_values[TRACE_PARTNERS]))
    user = user_list_trace_values(None)
    figure.add_trace(go.Scattergeo(name=_("upload.legend"), mode="markers", showlegend=False,
                                   marker={"size": 14, "color": USER_LIST_COLOUR, "opacity": 0.95},
                                   hovertemplate="%{hovertext}<extra></extra>", **user[TRACE_USER_RING]))
    figure.add_trace(go.Scattergeo(name=_("upload.legend"), mode="markers", showlegend=False, hoverinfo="skip",
                                   marker={"size": 5, "color": "#ffffff", "opacity": 1}, **user[TRACE_USER_CENTRE]))
    figure.add_trace(go.Choropleth(borders_trace(borders_url, border_codes)))
    spec = figure.to_plotly_json()
    for trace, symbol in shapes.items():
        spec["data"][trace]["marker"]["symbol"] = symbol
    return spec


def without(mapping: dict, key: str) -> dict:
    return {name: value for name, value in mapping.items() if name != key}


def user_list_trace_values(points: pd.DataFrame | None) -> dict[int, dict]:
    """Positions (and hover texts) of the visitor's own list for its two traces; empty without a list."""
    if points is None or points.empty:
        return {TRACE_USER_RING: {"lat": [], "lon": [], "hovertext": []}, TRACE_USER_CENTRE: {"lat": [], "lon": []}}
    lat, lon = points["lat"].round(5).tolist(), points["lon"].round(5).tolist()
    return {TRACE_USER_RING: {"lat": lat, "lon": lon, "hovertext": points["hovertext"].tolist()},
            TRACE_USER_CENTRE: {"lat": lat, "lon": lon}}


# --- comparison charts ------------------------------------------------------------------------------------


def _chart_spec(traces: list[dict], **layout) -> dict:
    """A bar chart as a plain figure dict: on every filter change, building and validating ``go.Figure``
    objects cost ten times more than the numbers behind the chart (``go.Figure(spec)`` validates it in tests)."""
    base = {"font": {"family": FONT, "color": INK, "size": 13}, "paper_bgcolor": "white", "plot_bgcolor": "white",
            "margin": {"l": 8, "r": 8, "t": 40, "b": 8}, "hoverlabel": {"font": {"family": FONT}}}
    return {"data": traces, "layout": base | layout}


def make_top_regions_figure(counts: pd.DataFrame, names: pd.Series, *, _: Translate, top: int = 12,
                            fill: bool = False) -> dict:
    """Stacked bars: clusters by sector in the regions with the most clusters in view.

    ``fill``: no height of its own, so the chart takes the height of its panel (the presentation's right half);
    on the page the height follows the number of bars."""
    totals = counts.sum(axis=1)
    totals = totals[totals > 0].sort_values(ascending=False).head(top)
    if totals.empty:
        return empty_figure(_("chart.empty")).to_plotly_json()
    ordered = counts.loc[totals.index[::-1]]
    labels = [f"{safe_text(names.get(code, code))} ({code})" for code in ordered.index]
    traces = [{"type": "bar", "y": labels, "x": ordered[sector.id].tolist(), "orientation": "h",
               "name": _(f"sector.{sector.id}"), "marker": {"color": sector.colour},
               "hovertemplate": "%{y}<br>" + safe_text(_(f"sector.{sector.id}")) + ": %{x}<extra></extra>"}
              for sector in SECTORS if ordered[sector.id].sum() != 0]
    x_axis = {"title": {"text": _("chart.clusters")}, "gridcolor": "#e4e7eb", "automargin": True}
    if totals.max() <= 8:
        x_axis["dtick"] = 1
    title, extra = _wrapped_title(_("chart.top_regions.title"))
    size = {} if fill else {"height": max(280, 26 * len(ordered) + 120) + extra}
    return _chart_spec(
        traces, title=title, separators=_.separators, barmode="stack",
        showlegend=False, margin={"l": 8, "r": 8, "t": 56 + extra, "b": 8}, xaxis=x_axis, yaxis={"automargin": True},
        **size)


def make_country_mix_figure(counts: pd.DataFrame, country_names: dict[str, str], *, _: Translate) -> dict:
    """100 % stacked bars: each country's clusters by sector."""
    counts = counts[counts.sum(axis=1) > 0]
    if counts.empty:
        return empty_figure(_("chart.empty")).to_plotly_json()
    shares = counts.div(counts.sum(axis=1), axis=0)
    labels = [f"{country_names.get(code, code)} ({_.number(counts.loc[code].sum())})" for code in counts.index]
    title, extra = _wrapped_title(_("chart.country_mix.title"))
    figure = go.Figure(layout=_base_layout(
        title=title, separators=_.separators,
        barmode="stack", height=max(280, 34 * len(counts) + 120) + extra, showlegend=False,
        margin={"l": 8, "r": 8, "t": 56 + extra, "b": 8},
        xaxis={"range": [0, 1], "gridcolor": "#e4e7eb", "tickvals": [i / 5 for i in range(6)],
               "ticktext": [_.percent(i / 5) for i in range(6)]},
        yaxis={"automargin": True, "autorange": "reversed"},
    ))
    for sector in SECTORS:
        if counts[sector.id].sum() == 0:
            continue
        figure.add_trace(go.Bar(
            y=labels, x=shares[sector.id].tolist(), orientation="h", name=_(f"sector.{sector.id}"),
            marker_color=sector.colour,
            customdata=[[_.number(n), _.percent(p)] for n, p in zip(counts[sector.id], shares[sector.id])],
            hovertemplate="%{y}<br>" + safe_text(_(f"sector.{sector.id}"))
            + ": %{customdata[0]} (%{customdata[1]})<extra></extra>"))
    return figure


COMPARISON_METRICS = ("count", "density", "share", "lq")
#: Territory colours, none of them a sector colour (CIELAB distance over 20 to each, a test checks), from
#: Paul Tol's colour-blind-safe schemes: a compared region never looks like a sector in the key.
TERRITORY_COLOURS = ("#222255", "#EE3377", "#EE8866", "#225522", "#EECC66", "#AA4499")


def territory_colours(codes: list[str] | tuple[str, ...]) -> dict[str, str]:
    """A colour per territory that depends on the territory, not on the order it was picked in.

    Each code has a preferred slot (a checksum of the code); codes claim slots in code order and move to the
    next free one on a clash, so reordering never changes a colour and two territories never share one.
    """
    taken: dict[int, str] = {}
    for code in sorted(set(codes)):
        slot = zlib.crc32(code.encode("utf-8")) % len(TERRITORY_COLOURS)
        while slot in taken and len(taken) < len(TERRITORY_COLOURS):
            slot = (slot + 1) % len(TERRITORY_COLOURS)
        taken.setdefault(slot, code)
    return {code: TERRITORY_COLOURS[slot] for slot, code in taken.items()}


def _percent_axis(values: list[float], _: Translate) -> dict:
    """Percent ticks written like the labels beside them ("10 %" in German, "10%" in English)."""
    top = max([v for v in values if v == v] + [0.01])
    step = next(step for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25) if top / step <= 6)
    ticks = [step * i for i in range(int(top / step) + 2)]
    return {"tickvals": ticks, "ticktext": [_.percent(t) for t in ticks]}


def make_comparison_figure(rows: pd.DataFrame, references: dict[str, float], *, _: Translate,
                           sectors_chosen: bool = True) -> go.Figure:
    """Territories side by side on every metric, each panel with its programme-area reference line.

    The reference value is written under the panel's title, not on the bars; territories are named once, in
    a legend that wraps instead of printing names over each other. Without a ticked sector every region's
    share is 100 % and its specialisation 1, so those two panels say what to do instead of drawing that.
    """
    if len(rows) < 1:
        return empty_figure(_("compare.empty"))
    labels = [f"{safe_text(name)} ({code})" for name, code in zip(rows["name"], rows["nuts_id"])]
    colours = territory_colours(list(rows["nuts_id"]))
    titles = []
    for metric in COMPARISON_METRICS:
        title = f"<b>{wrapped(safe_text(_(f'metric.{metric}.short')), PANEL_TITLE_LINE)}</b>"
        reference = references.get(metric)
        if reference is not None and not np.isnan(reference) and (sectors_chosen or metric not in ("share", "lq")):
            title += "<br>" + wrapped("– – " + safe_text(
                _("compare.reference", value=format_metric(metric, reference, _))), PANEL_TITLE_LINE)
        titles.append(title)
    chart_title = wrapped(safe_text(_("compare.title")), TITLE_LINE)
    # Room above the panels for the chart's title and the first row's panel titles, as many lines as they have.
    title_lines = chart_title.count("<br>") + 1
    panel_lines = max(title.count("<br>") + 1 for title in titles[:2])
    title_room = 28 + TITLE_LINE_PX * title_lines + 16 * panel_lines
    # Two by two: four panels in a row overprint their titles on a phone.
    figure = make_subplots(rows=2, cols=2, horizontal_spacing=0.12, vertical_spacing=0.2, subplot_titles=titles)
    for index, metric in enumerate(COMPARISON_METRICS):
        row, column = divmod(index, 2)
        cell = {"row": row + 1, "col": column + 1}
        if metric in ("share", "lq") and not sectors_chosen:
            figure.update_xaxes(visible=False, **cell)
            figure.update_yaxes(visible=False, **cell)
            continue
        values = rows[metric].astype(float)
        for code, label, value in zip(rows["nuts_id"], labels, values):
            text = format_metric(metric, value, _)
            figure.add_trace(go.Bar(
                x=[label], y=[0.0 if np.isnan(value) else value], text=[text], textposition="outside",
                cliponaxis=False, marker={"color": colours[code], "line": {"width": 1, "color": INK}},
                name=label, legendgroup=code, showlegend=index == 0,
                hovertemplate="%{x}<br>" + safe_text(_(f"metric.{metric}.short")) + ": %{text}<extra></extra>"),
                **cell)
        reference = references.get(metric)
        if reference is not None and not np.isnan(reference):
            figure.add_hline(y=reference, line={"dash": "dash", "color": INK, "width": 1.5}, **cell)
        axis = {"gridcolor": "#e4e7eb", "rangemode": "tozero"}
        if metric == "share":
            axis.update(_percent_axis(list(values) + [reference or 0], _))
        top = np.nanmax(list(values) + [reference or 0, 0])
        axis["range"] = [0, (top or 1) * 1.18]
        figure.update_xaxes(showticklabels=False, **cell)
        figure.update_yaxes(**cell, **axis)
    for annotation in figure.layout.annotations:
        if annotation.text in titles:
            annotation.update(yshift=4, font={"size": 14})
    if not sectors_chosen:
        lower = figure.layout.yaxis3.domain
        figure.add_annotation(text=wrapped(safe_text(_("compare.pick_sector")), 44),
                              showarrow=False, xref="paper", yref="paper", x=0.5, y=sum(lower) / 2,
                              font={"size": 13, "color": MUTED}, align="center")
    figure.update_layout(_base_layout(
        height=464 + title_room + 24 * len(rows), margin={"l": 8, "r": 8, "t": title_room, "b": 8},
        separators=_.separators,
        title=_chart_title(chart_title), showlegend=True, barmode="overlay",
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.04, "yanchor": "top",
                "font": {"size": 12}, "itemclick": False, "itemdoubleclick": False},
    ))
    return figure


#: Where a portfolio's axis may end at the least: the map's specialisation scale also ends at 4.
PORTFOLIO_MIN_AXIS = 4.0
#: Height of a portfolio's row: the sector's name and its numbers under it, two lines of tick text and a gap.
PORTFOLIO_ROW_PX = 40
#: Height under a portfolio's bars: the axis's numbers and its title of up to two lines.
PORTFOLIO_AXIS_PX = 76
#: Characters a line of a note under the portfolio's title holds on a phone: notes are set smaller (``<sup>``).
NOTE_LINE = 52
#: Characters a line of an axis title holds under a phone's narrow plot (the names leave the bars 85–140 px).
AXIS_TITLE_LINE = 16
#: The numbers under each sector's name in a portfolio, in their order (``portfolio.bar_text``), which the key
#: under the title and the hover name.
PORTFOLIO_NUMBERS = ("lq", "count", "share")


def make_portfolio_figure(profile: pd.DataFrame, region_name: str, *, _: Translate) -> go.Figure:
    """A region's sectors ranked by specialisation, with the Alpine Space mix (LQ 1) as reference.

    A sector with one organisation where the sector is rare gives ratios like 33 that would squash every other
    bar: the axis ends at the largest ratio backed by at least ``MIN_CLUSTERS_FOR_LQ`` organisations (and no
    sooner than 4), and longer bars are cut there, marked ▸ with their value written out and said in the title.

    Each sector's numbers (specialisation · clusters · share of the region's clusters) are written under its
    name, not beside its bar: on a phone the names leave the bars 85–140 px, too little for the numbers
    inside or after a bar, and written after the longest bars they ran off the chart. Under the name they are
    tick labels, which the y axis makes room for, so they fit at every width and never cross the reference line.
    """
    if profile.empty:
        return empty_figure(_("portfolio.empty", region=region_name))
    ordered = profile.iloc[::-1]
    labels = [_(f"sector.{sector}") for sector in ordered["sector"]]
    reliable = bool(profile["lq_reliable"].iloc[0])
    backed = profile.loc[profile["count"] >= MIN_CLUSTERS_FOR_LQ, "lq"]
    limit = max(PORTFOLIO_MIN_AXIS, float(backed.max()) if len(backed) else 0.0)
    cut = ordered["lq"] > limit
    if cut.all():
        # Nothing left to flatten: every bar is long, so the axis shows them whole.
        limit, cut = float(ordered["lq"].max()), ordered["lq"] > np.inf
    title = wrapped(_("portfolio.title", region=safe_text(region_name)), TITLE_LINE)
    # The key to the numbers under each sector's name, in their order: a phone shows no hover.
    notes = [" · ".join(safe_text(_(f"metric.{metric}.short")) for metric in PORTFOLIO_NUMBERS)]
    if not reliable:
        notes.append(safe_text(_("portfolio.unreliable", minimum=MIN_CLUSTERS_FOR_LQ)))
    if cut.any():
        notes.append(safe_text(_("portfolio.cut", limit=_.number(limit, 0 if limit.is_integer() else 1),
                                 minimum=MIN_CLUSTERS_FOR_LQ)))
    # A note on one line ran past a phone's chart: each line of it is a <sup> of its own.
    note_lines = [line for note in notes for line in textwrap.wrap(note, NOTE_LINE)]
    title += "".join(f"<br><sup>{line}</sup>" for line in note_lines)
    numbers = [("▸ " if is_cut else "") + _("portfolio.bar_text", lq=_.number(lq, 2), count=_.number(c),
                                            share=_.percent(s))
               for lq, c, s, is_cut in zip(ordered["lq"], ordered["count"], ordered["share"], cut)]
    ticks = [f"{safe_text(label)}<br><span style='color:{MUTED}'>{safe_text(text)}</span>"
             for label, text in zip(labels, numbers)]
    top = 44 + 18 * title.count("<br>")
    figure = go.Figure(layout=_base_layout(
        title=_chart_title(title), margin={"l": 8, "r": 8, "t": top, "b": 8}, separators=_.separators,
        # Each row its height whatever the title's lines, and room below for the ticks and the axis's title.
        height=max(260, top + PORTFOLIO_ROW_PX * len(profile) + PORTFOLIO_AXIS_PX),
        # The axis's title is centred under the bars, which a phone leaves some 85 px in the longest languages:
        # in lines of a word or two, and in the type of the ticks.
        xaxis={"title": {"text": wrapped(safe_text(_("metric.lq.short")), AXIS_TITLE_LINE), "font": {"size": 13}},
               "gridcolor": "#e4e7eb", "range": [0, limit * 1.02], "automargin": True},
        yaxis={"automargin": True, "tickmode": "array", "tickvals": labels, "ticktext": ticks},
        showlegend=False,
    ))
    hover = "<br>".join(f"{safe_text(_(f'metric.{metric}.short'))}: %{{customdata[{index}]}}"
                        for index, metric in enumerate(PORTFOLIO_NUMBERS))
    figure.add_trace(go.Bar(
        y=labels, x=ordered["lq"].clip(upper=limit).round(2).tolist(), orientation="h",
        marker={"color": [SECTOR_COLOURS[s] for s in ordered["sector"]],
                "pattern": {"shape": "" if reliable else "/"}},
        # A cut bar carries its mark at the cut, inside the bar (which ends at the axis's end).
        text=["▸" if is_cut else "" for is_cut in cut], textposition="inside", insidetextanchor="end",
        customdata=[[_.number(lq, 2), _.number(c), _.percent(s)]
                    for lq, c, s in zip(ordered["lq"], ordered["count"], ordered["share"])],
        hovertemplate="<b>%{y}</b><br>" + hover + "<extra></extra>"))
    # The reference line's key sits at the bars' right end, above them: centred on the line it ran past a
    # phone's chart where the names leave the bars little room (Slovenian).
    figure.add_vline(x=1, line={"dash": "dash", "color": INK, "width": 1.5})
    figure.add_annotation(text="– – " + safe_text(_("portfolio.reference")), xref="paper", yref="paper", x=1, y=1,
                          xanchor="right", yanchor="bottom", showarrow=False, font={"size": 10, "color": MUTED})
    return figure
