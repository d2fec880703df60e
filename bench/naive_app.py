"""The baseline the atlas's map is measured against: the obvious Dash + Plotly Express way to draw it.

For every state change it filters the clusters with pandas, counts them per NUTS 3 region, and rebuilds the
whole figure with ``plotly.express.choropleth_map`` (the same NUTS 3 display outlines as the atlas, inline as
a GeoJSON dict) plus a ``plotly.express.scatter_map`` layer of the clusters, and sends all of it. It has the
atlas's component ids for the parts the benchmark touches (``atlas-sectors``, ``atlas-state``,
``atlas-map-sent``, ``atlas-map``), so the same callback request body and the same browser script work
against both apps.

Run it alone with ``python bench/naive_app.py`` (``PORT``, default 8051).
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dash
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html
from flask_compress import Compress

from dashboard import data
from dashboard.state import ViewState
from geodata.sectors import SECTOR_COLOURS, SECTORS

CENTRE = {"lat": 46.4, "lon": 10.4}
ZOOM = 4.7


@lru_cache(maxsize=1)
def nuts3_geojson() -> dict:
    """The atlas's own NUTS 3 display outlines, parsed to a dict as Plotly Express expects."""
    return json.loads(data.region_geojson(data.load_atlas_data(), 3))


@lru_cache(maxsize=1)
def nuts3_regions() -> pd.DataFrame:
    features = nuts3_geojson()["features"]
    return pd.DataFrame({"nuts_id": [feature["id"] for feature in features],
                         "name": [feature["properties"]["name"] for feature in features]})


def filter_clusters(state: ViewState) -> pd.DataFrame:
    """Plain pandas masks over the register for the filters the benchmark changes."""
    clusters = data.load_atlas_data().clusters
    keep = pd.Series(True, index=clusters.index)
    if state.sectors:
        keep &= clusters["sector"].isin(state.sectors)
    if state.countries:
        keep &= clusters["country"].isin(state.countries)
    if state.org_types:
        keep &= clusters["org_type"].isin(state.org_types)
    keep &= (clusters["status"] == "active") if state.landscape == "today" else clusters["in_alps4eu_era"]
    return clusters[keep]


def naive_figure(state: ViewState) -> go.Figure:
    """The whole map, rebuilt from scratch: choropleth of cluster counts per NUTS 3 region plus the points."""
    clusters = filter_clusters(state)
    counts = clusters.groupby("nuts3").size().rename("count")
    regions = nuts3_regions().merge(counts, left_on="nuts_id", right_index=True, how="left")
    regions["count"] = regions["count"].fillna(0).astype(int)
    figure = px.choropleth_map(
        regions, geojson=nuts3_geojson(), locations="nuts_id", featureidkey="id", color="count",
        hover_name="name", color_continuous_scale="YlGnBu", opacity=0.85, center=CENTRE, zoom=ZOOM,
        map_style="white-bg")
    points = px.scatter_map(clusters, lat="lat", lon="lon", color="sector", hover_name="name",
                            hover_data={"city": True, "lat": False, "lon": False},
                            color_discrete_map=SECTOR_COLOURS)
    figure.add_traces(points.data)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, legend={"orientation": "h", "y": 0.01})
    return figure


def create_app() -> dash.Dash:
    app = dash.Dash(__name__, title="Naive atlas (baseline)", update_title=None, serve_locally=True,
                    assets_folder=str(Path(__file__).resolve().parent / "no-assets"))
    app.layout = html.Div([
        dcc.Checklist(id="atlas-sectors", value=[], options=[{"label": s.label, "value": s.id} for s in SECTORS]),
        dcc.Store(id="atlas-state", data=ViewState().to_dict()),
        dcc.Store(id="atlas-map-sent", data=None),
        dcc.Graph(id="atlas-map", style={"height": "68vh", "minHeight": "420px"}),
    ])

    @app.callback(Output("atlas-state", "data"), Input("atlas-sectors", "value"), prevent_initial_call=True)
    def update_state(sectors):
        return ViewState.from_dict({"sectors": sectors or []}).to_dict()

    @app.callback(Output("atlas-map", "figure"), Output("atlas-map-sent", "data"),
                  Input("atlas-state", "data"), State("atlas-map-sent", "data"))
    def update_map(state_data, _map_sent):
        state = ViewState.from_dict(state_data)
        return naive_figure(state), state.level

    server = app.server
    server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "application/json", "application/javascript"]
    server.config["COMPRESS_MIN_SIZE"] = 500
    Compress(server)
    # Dash's one-time set-up (it registers the scripts it serves) runs before the first request and marks itself
    # done before it is: threads answering a first page load meanwhile refuse its scripts. It runs here, once,
    # before gunicorn's workers fork (the atlas makes such threads wait: dashboard.factory.AtlasDash).
    server.test_client().get("/")
    return app


if __name__ == "__main__":
    create_app().run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8051")),
                     debug=False)
