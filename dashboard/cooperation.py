"""Figure builders for the partner explorer: the cooperation map (live and static) and the partner map.

Pure functions: frames in, ``go.Figure`` out. Lines are drawn as one trace per layer with gaps (None) between
segments, so a map with hundreds of arcs stays a handful of SVG paths.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import (ALPINE_VIEW, CONTEXT_FILL, FONT, INK, Translate, borders_trace, map_geo,
                               points_extent, safe_text)
from dashboard.slides import ring_coordinates
from geodata.sectors import SECTOR_COLOURS, SECTOR_IDS

PARTNER_COLOUR = "#111111"
NETWORK_COLOUR = "#6b7280"
SELECTED_COLOUR = "#c2185b"


def segments(frame: pd.DataFrame) -> tuple[list, list]:
    """lon/lat lists of every a–b segment in ``frame``, separated by None."""
    n = len(frame)
    lon = np.full(n * 3, None, dtype=object)
    lat = np.full(n * 3, None, dtype=object)
    lon[0::3], lon[1::3] = frame["a_lon"].to_numpy(), frame["b_lon"].to_numpy()
    lat[0::3], lat[1::3] = frame["a_lat"].to_numpy(), frame["b_lat"].to_numpy()
    return lon.tolist(), lat.tolist()


def arc_nodes(arcs: pd.DataFrame) -> pd.DataFrame:
    """The organisations at either end of the arcs, once each."""
    columns = ["id", "name", "country", "sector", "lat", "lon"]
    ends = [arcs[[f"{side}", f"{side}_name", f"{side}_country", f"{side}_sector", f"{side}_lat", f"{side}_lon"]]
            .set_axis(columns, axis=1) for side in ("a", "b")]
    return pd.concat(ends).drop_duplicates("id").sort_values("id", ignore_index=True)


#: Around the points a partner map frames, in degrees: room for a marker and its label at the edge.
POINTS_PADDING_DEGREES = 0.4


def _map_layout_spec(_: Translate, *, uirevision: str, bounds: tuple[float, float, float, float] | None) -> dict:
    """A partner map's layout, framed on ``bounds`` (its points, at the map's own size: the whole Alps on a
    desktop cut off the east on a phone), else the Alpine Space. The legend sits under the map, where it
    overlaps no point."""
    return {
        "font": {"family": FONT, "color": INK, "size": 13}, "paper_bgcolor": "white", "separators": _.separators,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "uirevision": uirevision, "showlegend": True, "dragmode": "pan",
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top"},
        "geo": map_geo(bounds or ALPINE_VIEW),
    }


def _org_hover(frame: pd.DataFrame, _: Translate) -> list[str]:
    return [f"<b>{safe_text(name)}</b><br>{safe_text(_(f'sector.{sector}'))} · {country}"
            for name, sector, country in zip(frame["name"], frame["sector"], frame["country"])]


def cooperation_map_figure(arcs: pd.DataFrame, partners: pd.DataFrame, network: pd.DataFrame, *,
                           borders_url: str, border_codes: list[str], show_partners: bool,
                           _: Translate) -> go.Figure:
    """Arcs of each anchor sector's graph in the sector's colour, their organisations, and optionally the
    Alps4EU partners with the consortium network as their own layer."""
    figure = go.Figure()
    for anchor in [s for s in SECTOR_IDS if s in set(arcs["anchor"])]:
        lon, lat = segments(arcs[arcs["anchor"] == anchor])
        figure.add_trace(go.Scattergeo(
            lon=lon, lat=lat, mode="lines", line={"width": 2, "color": SECTOR_COLOURS[anchor]}, hoverinfo="skip",
            name=_("coop.legend.arcs", sector=_(f"sector.{anchor}"))))
    nodes = arc_nodes(arcs) if len(arcs) else pd.DataFrame(columns=["id", "name", "country", "sector", "lat", "lon"])
    figure.add_trace(go.Scattergeo(
        lon=nodes["lon"].tolist(), lat=nodes["lat"].tolist(), mode="markers", name=_("coop.legend.organisations"),
        marker={"size": 9, "color": [SECTOR_COLOURS[s] for s in nodes["sector"]]},
        hovertext=_org_hover(nodes, _), hovertemplate="%{hovertext}<extra></extra>"))
    if show_partners:
        lon, lat = segments(network)
        figure.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="lines", name=_("coop.legend.network"),
                                       line={"width": 1.5, "color": NETWORK_COLOUR}, hoverinfo="skip"))
        figure.add_trace(go.Scattergeo(
            lon=partners["lon"].tolist(), lat=partners["lat"].tolist(), mode="markers",
            name=_("coop.legend.partners"), marker={"size": 14, "color": PARTNER_COLOUR, "opacity": 0.6},
            hovertext=[f"<b>{safe_text(n)}</b><br>{safe_text(c)} · {k}" for n, c, k in
                       zip(partners["name"], partners["city"], partners["country"])],
            hovertemplate="%{hovertext}<extra></extra>"))
    figure.add_trace(go.Choropleth(borders_trace(borders_url, border_codes)))
    bounds = points_extent(nodes["lon"], nodes["lat"], POINTS_PADDING_DEGREES)
    figure.update_layout(_map_layout_spec(_, uirevision="cooperation-map", bounds=bounds))
    return figure


def partner_map_figure(origin: pd.Series | None, candidates: pd.DataFrame, *, pickable: pd.DataFrame,
                       borders_url: str, border_codes: list[str], _: Translate) -> dict:
    """The chosen organisation and an arc to each suggested partner; before a choice, every organisation that
    may be chosen (``pickable``). A click on one of those points, or on a suggested partner, chooses it: each
    carries its id as ``customdata`` (``pages/partners.py`` reads it).

    A plain figure dict: it is rebuilt on every pick, and validating it as a ``go.Figure`` took most of the
    click's server time (``go.Figure(spec)`` validates it in tests)."""
    hint = "<br><i>" + safe_text(_("partners.hover.pick")) + "</i>"
    traces: list[dict] = []
    if origin is not None and len(candidates):
        frame = pd.DataFrame({"a_lon": origin["lon"], "a_lat": origin["lat"],
                              "b_lon": candidates["lon"].to_numpy(), "b_lat": candidates["lat"].to_numpy()})
        lon, lat = segments(frame)
        traces.append({"type": "scattergeo", "lon": lon, "lat": lat, "mode": "lines",
                       "name": _("partners.legend.arcs"), "line": {"width": 2.5, "color": SELECTED_COLOUR},
                       "hoverinfo": "skip"})
        traces.append({
            "type": "scattergeo", "lon": candidates["lon"].tolist(), "lat": candidates["lat"].tolist(),
            "mode": "markers+text", "name": _("partners.legend.candidates"),
            "text": [str(i) for i in range(1, len(candidates) + 1)], "textposition": "top right",
            "textfont": {"size": 13, "color": INK},
            "marker": {"size": 11, "color": [SECTOR_COLOURS[s] for s in candidates["sector"]]},
            "customdata": candidates["id"].tolist(),
            "hovertext": [text + hint for text in _org_hover(candidates, _)],
            "hovertemplate": "%{hovertext}<extra></extra>"})
    if origin is not None:
        traces.append({
            "type": "scattergeo", "lon": [float(origin["lon"])], "lat": [float(origin["lat"])], "mode": "markers",
            "name": _("partners.legend.origin"), "marker": {"size": 18, "color": SELECTED_COLOUR},
            "hovertext": _org_hover(origin.to_frame().T, _), "hovertemplate": "%{hovertext}<extra></extra>"})
    else:
        # Every organisation that may be chosen, so the map itself is a way to choose (an empty map with only
        # borders said nothing); a map trace even when there is none, so Plotly draws a map, not empty axes.
        traces.append({
            "type": "scattergeo", "lon": pickable["lon"].tolist(), "lat": pickable["lat"].tolist(),
            "mode": "markers", "name": _("partners.legend.pickable"),
            "marker": {"size": 9, "color": [SECTOR_COLOURS[s] for s in pickable["sector"]], "opacity": 0.9},
            "customdata": pickable["id"].tolist(),
            "hovertext": [text + hint for text in _org_hover(pickable, _)],
            "hovertemplate": "%{hovertext}<extra></extra>"})
    # A new choice is framed anew; the visitor's own pan and zoom are kept while the choice stays.
    chosen = str(origin["id"]) if origin is not None else ""
    lon = [v for trace in traces for v in trace["lon"]]
    lat = [v for trace in traces for v in trace["lat"]]
    traces.append(borders_trace(borders_url, border_codes))
    bounds = points_extent(lon, lat, POINTS_PADDING_DEGREES)
    return {"data": traces, "layout": _map_layout_spec(_, uirevision=f"partner-map:{chosen}", bounds=bounds)}


def static_cooperation_figure(arcs: pd.DataFrame, partners: pd.DataFrame, network: pd.DataFrame,
                              countries: gpd.GeoDataFrame, *, show_partners: bool, _: Translate) -> go.Figure:
    """The cooperation map for export: SVG paths as plain lon/lat traces (Kaleido's plotly.js would fetch a world
    basemap from a CDN for a ``geo`` subplot), at the Alps' aspect."""
    figure = go.Figure()
    x, y = ring_coordinates(countries.geometry)
    figure.add_trace(go.Scatter(x=x, y=y, fill="toself", fillcolor=CONTEXT_FILL, mode="lines",
                                line={"width": 0.8, "color": "white"}, name=_("map.context"), hoverinfo="skip",
                                showlegend=False))
    for anchor in [s for s in SECTOR_IDS if s in set(arcs["anchor"])]:
        lon, lat = segments(arcs[arcs["anchor"] == anchor])
        figure.add_trace(go.Scatter(x=lon, y=lat, mode="lines", line={"width": 2.5, "color": SECTOR_COLOURS[anchor]},
                                    name=_("coop.legend.arcs", sector=_(f"sector.{anchor}"))))
    nodes = arc_nodes(arcs) if len(arcs) else pd.DataFrame(columns=["sector", "lat", "lon"])
    figure.add_trace(go.Scatter(x=nodes["lon"].tolist(), y=nodes["lat"].tolist(), mode="markers",
                                name=_("coop.legend.organisations"),
                                marker={"size": 10, "color": [SECTOR_COLOURS[s] for s in nodes["sector"]],
                                        "line": {"width": 1, "color": "white"}}))
    if show_partners:
        lon, lat = segments(network)
        figure.add_trace(go.Scatter(x=lon, y=lat, mode="lines", name=_("coop.legend.network"),
                                    line={"width": 1.5, "color": NETWORK_COLOUR, "dash": "dot"}))
        figure.add_trace(go.Scatter(x=partners["lon"].tolist(), y=partners["lat"].tolist(), mode="markers",
                                    name=_("coop.legend.partners"),
                                    marker={"size": 16, "color": PARTNER_COLOUR, "opacity": 0.6, "symbol": "circle"}))
    lon_range, lat_range = (4.5, 17.5), (42.8, 50.2)
    figure.update_layout(
        paper_bgcolor="white", plot_bgcolor="white", separators=_.separators,
        xaxis={"visible": False, "range": list(lon_range)},
        yaxis={"visible": False, "range": list(lat_range), "scaleanchor": "x",
               "scaleratio": 1 / np.cos(np.radians(sum(lat_range) / 2))},
        legend={"orientation": "v", "x": 1.0, "xanchor": "left", "y": 1, "font": {"size": 18}},
    )
    return figure
