"""Slide-ready figures: any chart at 1920×1080 with title, active filters, legend and attribution in the
image, a static (SVG-drawn) map for export, and the one-page region profile. Pure builders like figures.py.

The export's map draws the same regions and points as the on-screen map (an SVG map of plotly.js), as plain
lon/lat traces: Kaleido's plotly.js would fetch a world basemap from a CDN for a ``geo`` subplot.
"""

from __future__ import annotations

import textwrap

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.subplots import make_subplots

from dashboard.figures import (CONTEXT_FILL, FONT, INK, MUTED, TRACE_CLUSTERS, TRACE_CONTEXT, TRACE_PARTNERS,
                               TRACE_VALUES, Translate, safe_text, sector_symbol)
from geodata.sectors import SECTOR_COLOURS, SECTORS

#: Plotly marker symbols echoing each sector's symbol in the on-screen key, so print readers need no colour.
SECTOR_MARKERS = {
    "energy_greentech": "triangle-up", "mechatronics_engineering": "square", "chemistry_materials": "diamond",
    "ict": "circle", "life_sciences": "cross", "mobility_automotive": "triangle-down", "agrifood": "star-triangle-up",
    "construction_wood": "line-ew-open", "textiles_creative": "star", "aerospace": "arrow-right",
    "tourism_services": "hexagon", "other": "circle-open",
}

SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080
#: A4 portrait at 150 dpi.
PROFILE_WIDTH, PROFILE_HEIGHT = 1240, 1754


def as_slide(figure: go.Figure | dict, *, title: str, caption: str, _: Translate,
             width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT) -> go.Figure:
    """``figure`` restyled for a projector slide: large type, title and filters on top, attribution below."""
    slide = go.Figure(figure)
    # A legend only where it tells traces apart or a builder grouped it (a map's classes): Plotly names a nameless
    # trace "trace 0", and a legend of one ungrouped entry only repeats the title.
    slide.update_traces(showlegend=False, selector=lambda trace: not trace.name)
    named = [trace for trace in slide.data if trace.name and trace.showlegend is not False]
    slide.update_layout(
        width=width, height=height, font={"family": FONT, "size": 22, "color": INK},
        title={"text": f"<b>{'<br>'.join(textwrap.wrap(safe_text(title), 78))}</b><br>"
                       f"<span style='font-size:18px;color:{MUTED}'>"
                       f"{safe_text(caption)}</span>", "x": 0.03, "xanchor": "left", "y": 0.97, "yanchor": "top",
               "font": {"size": 34}},
        margin={"l": 60, "r": 60, "t": 170, "b": 110},
        showlegend=len(named) > 1 or any(trace.legendgroup for trace in named),
        # On the right, never below: a legend under the plot ran into the attribution line.
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": 18}},
    )
    # An axis title wrapped and set small for a phone's narrow chart reads on one line across a slide, in the
    # slide's type: its second line ran into the attribution.
    slide.for_each_xaxis(lambda axis: axis.update(title_text=" ".join(axis.title.text.split("<br>")),
                                                  title_font_size=None) if axis.title.text else None)
    slide.add_annotation(text=safe_text(_("export.attribution")), xref="paper", yref="paper", x=0, y=0,
                         yshift=-88, xanchor="left", yanchor="top", showarrow=False, font={"size": 15, "color": MUTED})
    return slide


def ring_coordinates(geometries: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Every polygon ring as x/y arrays separated by NaN, the form Plotly fills ring by ring."""
    parts = shapely.get_parts(geometries.values)
    rings = shapely.get_exterior_ring(parts)
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    breaks = np.flatnonzero(np.diff(ring_index)) + 1
    x = np.insert(coords[:, 0], breaks, np.nan)
    y = np.insert(coords[:, 1], breaks, np.nan)
    return x, y


def metric_classes(trace_values: dict[int, dict]) -> list[tuple[int, str, str]]:
    """The live map's colour classes (class index, colour, legend label), so the export cannot disagree."""
    legend = trace_values[TRACE_VALUES]["meta"]["legend"]
    return [(index, colour, label) for index, (colour, label) in enumerate(zip(legend["colours"], legend["labels"]))]


def make_static_map_figure(trace_values: dict[int, dict], regions: gpd.GeoDataFrame, borders: gpd.GeoDataFrame,
                           *, metric: str, _: Translate) -> go.Figure:
    """The map for export, drawn as filled SVG paths: the same regions, classes and points as the live map.

    Plotly's geo traces would fetch a world basemap from a CDN while Kaleido renders, so the export draws
    lon/lat directly, with the aspect ratio of the Alps' mid-latitude.
    """
    figure = go.Figure()
    by_code = regions.set_index("nuts_id").geometry
    context = [code for code in trace_values[TRACE_CONTEXT]["locations"] if code in by_code.index]
    x, y = ring_coordinates(by_code.loc[context])
    figure.add_trace(go.Scatter(x=x, y=y, fill="toself", fillcolor=CONTEXT_FILL, mode="lines",
                                line={"width": 0.6, "color": "white"}, name=_("map.context"), hoverinfo="skip"))
    values = trace_values[TRACE_VALUES]
    z = pd.Series(values["z"], index=values["locations"], dtype=float)
    for index, colour, label in metric_classes(trace_values):
        codes = [code for code in z.index[z == index] if code in by_code.index]
        if not codes:
            continue
        x, y = ring_coordinates(by_code.loc[codes])
        figure.add_trace(go.Scatter(x=x, y=y, fill="toself", fillcolor=colour, mode="lines",
                                    line={"width": 0.6, "color": "white"}, name=label, hoverinfo="skip",
                                    legendgroup="classes", legendgrouptitle={"text": _(f"metric.{metric}.short")}))
    x, y = ring_coordinates(borders.geometry)
    figure.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"width": 1.4, "color": "#3e4c59"},
                                showlegend=False, hoverinfo="skip"))
    clusters = trace_values[TRACE_CLUSTERS]
    symbols = np.array(clusters["marker"]["symbol"], dtype=object)
    colours = np.array(clusters["marker"]["color"], dtype=object)
    counts = np.array(clusters["text"], dtype=object)
    stacked = counts != ""
    for sector in SECTORS:
        chosen = (symbols == sector_symbol(sector.id)) & (colours == sector.colour) & ~stacked
        if not chosen.any():
            continue
        figure.add_trace(go.Scatter(x=np.array(clusters["lon"])[chosen], y=np.array(clusters["lat"])[chosen],
                                    mode="markers", name=_(f"sector.{sector.id}"),
                                    legendgroup="sectors",
                                    marker={"size": 12, "color": sector.colour, "symbol": SECTOR_MARKERS[sector.id],
                                            "line": {"width": 1, "color": "white"}}))
    if stacked.any():
        figure.add_trace(go.Scatter(
            x=np.array(clusters["lon"])[stacked], y=np.array(clusters["lat"])[stacked], mode="markers+text",
            name=_("map.key.stack"), text=counts[stacked].tolist(),
            textfont={"color": "white", "size": 11}, marker={"size": 20, "color": INK, "line": {"width": 1.5, "color": "white"}}))
    partners = trace_values[TRACE_PARTNERS]
    if partners["visible"]:
        figure.add_trace(go.Scatter(x=partners["lon"], y=partners["lat"], mode="markers", name=_("map.partners"),
                                    marker={"size": 18, "color": "rgba(0,0,0,0)", "symbol": "circle-open",
                                            "line": {"width": 3, "color": INK}}))
    shown = by_code.loc[[c for c in values["locations"] if c in by_code.index]]
    minx, miny, maxx, maxy = (shown if len(shown) else by_code).total_bounds
    mid_latitude = (miny + maxy) / 2
    figure.update_xaxes(visible=False, range=[minx - 0.3, maxx + 0.3])
    figure.update_yaxes(visible=False, range=[miny - 0.2, maxy + 0.2], scaleanchor="x",
                        scaleratio=1 / np.cos(np.radians(mid_latitude)))
    figure.update_layout(paper_bgcolor="white", plot_bgcolor="#eef3f7", separators=_.separators,
                         legend={"groupclick": "toggleitem", "orientation": "v", "x": 1.01, "xanchor": "left",
                                 "y": 1, "yanchor": "top", "tracegroupgap": 18})
    return figure


def make_region_profile_figure(
    *,
    region: dict,
    outline: gpd.GeoSeries,
    neighbours: gpd.GeoDataFrame,
    profile: pd.DataFrame,
    clusters: pd.DataFrame,
    caption: str,
    _: Translate,
) -> go.Figure:
    """One A4 page: map inset, sector mix, specialisation and the region's organisations."""
    figure = make_subplots(
        rows=3, cols=2, row_heights=[0.32, 0.26, 0.42], column_widths=[0.5, 0.5], vertical_spacing=0.11,
        horizontal_spacing=0.12,
        specs=[[{"type": "xy"}, {"type": "xy"}], [{"type": "xy", "colspan": 2}, None], [{"type": "table", "colspan": 2}, None]],
        subplot_titles=[_("profile.map"), _("profile.mix"), _("profile.specialisation"), _("profile.clusters")],
    )
    x, y = ring_coordinates(neighbours.geometry)
    figure.add_trace(go.Scatter(x=x, y=y, fill="toself", fillcolor=CONTEXT_FILL, mode="lines",
                                line={"width": 0.6, "color": "white"}, showlegend=False, hoverinfo="skip"), row=1, col=1)
    x, y = ring_coordinates(outline)
    figure.add_trace(go.Scatter(x=x, y=y, fill="toself", fillcolor="#225ea8", mode="lines",
                                line={"width": 1.5, "color": INK}, showlegend=False, hoverinfo="skip"), row=1, col=1)
    minx, miny, maxx, maxy = outline.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.6 + 0.1
    figure.update_xaxes(visible=False, range=[minx - pad, maxx + pad], row=1, col=1)
    figure.update_yaxes(visible=False, range=[miny - pad, maxy + pad], scaleanchor="x", row=1, col=1,
                        scaleratio=1 / np.cos(np.radians((miny + maxy) / 2)))

    if clusters.empty or profile.empty:
        # Empty axes from −1 to 6 say nothing; the page says there is nothing in view instead.
        for row, col in ((1, 2), (2, 1)):
            figure.update_xaxes(visible=False, row=row, col=col)
            figure.update_yaxes(visible=False, row=row, col=col)
        places = [(sum(figure.layout[f"xaxis{n}"].domain) / 2, sum(figure.layout[f"yaxis{n}"].domain) / 2)
                  for n in (2, 3)] + [(0.5, 0.2)]
        for x, y in places:
            figure.add_annotation(text=safe_text(_("card.region.none")), showarrow=False, xref="paper",
                                  yref="paper", x=x, y=y, font={"size": 16, "color": MUTED})
        return _profile_layout(figure, region=region, clusters=clusters, caption=caption, _=_)
    counts = profile.sort_values("count", ascending=True)
    figure.add_trace(go.Bar(
        y=[_(f"sector.{s}") for s in counts["sector"]], x=counts["count"].tolist(), orientation="h",
        marker_color=[SECTOR_COLOURS[s] for s in counts["sector"]], text=counts["count"].tolist(),
        textposition="outside", cliponaxis=False, showlegend=False), row=1, col=2)
    by_lq = profile.sort_values("lq", ascending=False)
    figure.add_trace(go.Bar(
        x=[_(f"sector.{s}") for s in by_lq["sector"]], y=by_lq["lq"].round(2).tolist(),
        marker={"color": [SECTOR_COLOURS[s] for s in by_lq["sector"]],
                "pattern": {"shape": "" if bool(profile["lq_reliable"].all()) else "/"}},
        text=[_.number(v, 2) for v in by_lq["lq"]], textposition="outside", cliponaxis=False,
        showlegend=False), row=2, col=1)
    figure.add_hline(y=1, line={"dash": "dash", "color": INK, "width": 1.5}, row=2, col=1,
                     annotation_text=_("portfolio.reference"), annotation_position="top right")

    table = clusters.sort_values("name")
    figure.add_trace(go.Table(
        columnwidth=[0.42, 0.26, 0.16, 0.16],
        header={"values": [f"<b>{safe_text(_(k))}</b>" for k in ("table.name", "table.sector", "table.city", "table.founded")],
                "fill_color": "#e4e7eb", "align": "left", "font": {"size": 13}},
        cells={"values": [[safe_text(v) for v in table["name"]],
                          [safe_text(_(f"sector.{s}")) for s in table["sector"]],
                          [safe_text(v) for v in table["city"]],
                          ["" if pd.isna(v) else str(int(v)) for v in table["founded"]]],
               "align": "left", "font": {"size": 12}, "height": 24}), row=3, col=1)

    return _profile_layout(figure, region=region, clusters=clusters, caption=caption, _=_)


def _profile_layout(figure: go.Figure, *, region: dict, clusters: pd.DataFrame, caption: str,
                    _: Translate) -> go.Figure:
    """Title, facts, caption, page size and attribution of a region profile."""
    title = _("profile.title", region=safe_text(region["name"]), code=region["nuts_id"])
    facts = _.plural("profile.facts", len(clusters), country=_(f"country.{region['country']}"),
                     level=_(f"level.{region['level']}"), area=_.number(region["area_km2"]))
    figure.update_layout(
        width=PROFILE_WIDTH, height=PROFILE_HEIGHT, font={"family": FONT, "size": 14, "color": INK},
        paper_bgcolor="white", plot_bgcolor="white", separators=_.separators,
        title={"text": f"<b>{title}</b><br><span style='font-size:15px;color:{MUTED}'>{safe_text(facts)}<br>"
                       f"{safe_text(caption)}</span>", "x": 0.04, "xanchor": "left", "y": 0.985, "font": {"size": 26}},
        margin={"l": 60, "r": 50, "t": 170, "b": 90},
    )
    figure.update_yaxes(gridcolor="#e4e7eb", rangemode="tozero", row=2, col=1)
    figure.update_xaxes(gridcolor="#e4e7eb", row=1, col=2)
    figure.add_annotation(text=safe_text(_("export.attribution")), xref="paper", yref="paper", x=0, y=-0.045,
                          xanchor="left", showarrow=False, font={"size": 11, "color": MUTED})
    return figure


def neighbouring_regions(regions: gpd.GeoDataFrame, nuts_id: str,
                         bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Regions of the same level whose outline box overlaps ``bounds`` grown by half its size (map context)."""
    minx, miny, maxx, maxy = bounds
    pad_x, pad_y = (maxx - minx) * 0.5 + 0.2, (maxy - miny) * 0.5 + 0.2
    level = len(nuts_id) - 2
    same_level = regions[(regions["level"] == level) & (regions["nuts_id"] != nuts_id)]
    boxes = same_level.geometry.bounds
    overlaps = ((boxes["maxx"] >= minx - pad_x) & (boxes["minx"] <= maxx + pad_x)
                & (boxes["maxy"] >= miny - pad_y) & (boxes["miny"] <= maxy + pad_y))
    return same_level.loc[np.asarray(overlaps)]
