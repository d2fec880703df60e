"""Downloads: the clusters of a view as CSV or GeoJSON, each file carrying its sources and attribution."""

from __future__ import annotations

import io
import json
from datetime import date

import pandas as pd

from geodata.settings import GEONAMES_ATTRIBUTION, NUTS_ATTRIBUTION, NUTS_SOURCE

EXPORT_COLUMNS = (
    "id", "name", "acronym", "country", "city", "postal_code", "sector", "secondary_sectors", "themes",
    "org_type", "status", "successor", "founded", "website", "source_url", "city_confidence", "lat", "lon",
    "coordinate_source", "nuts0", "nuts1", "nuts2", "nuts3", "join_method", "in_area_2007_2013",
    "in_area_2021_2027",
)
REGISTER_SOURCE = ("Alpine Cluster Atlas cluster register: one public evidence page per organisation "
                   "(column source_url)")
#: Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def source_lines(view_url: str, generated: date) -> list[str]:
    return [
        "Alpine Cluster Atlas: cluster organisations of the Alpine Space",
        f"View: {view_url}",
        f"Generated: {generated.isoformat()}",
        f"Sources: {REGISTER_SOURCE}; {GEONAMES_ATTRIBUTION}; {NUTS_SOURCE}",
        f"Attribution: {NUTS_ATTRIBUTION}",
    ]


def _export_frame(clusters: pd.DataFrame) -> pd.DataFrame:
    columns = [c for c in EXPORT_COLUMNS if c in clusters.columns]
    return clusters[columns].sort_values(["country", "name"], kind="stable")


def _defuse_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def clusters_to_csv(clusters: pd.DataFrame, *, view_url: str, generated: date) -> str:
    """CSV with ``#`` comment lines naming the view, the sources and the attribution, then one row per cluster.

    Text cells that a spreadsheet would evaluate as a formula are prefixed with an apostrophe.
    """
    frame = _export_frame(clusters)
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame = frame.astype({c: object for c in text_columns})
    for column in text_columns:
        frame[column] = frame[column].map(_defuse_formula)
    buffer = io.StringIO()
    for line in source_lines(view_url, generated):
        buffer.write(f"# {line}\n")
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def clusters_to_geojson(clusters: pd.DataFrame, *, view_url: str, generated: date) -> str:
    """A GeoJSON FeatureCollection (EPSG:4326 lon/lat) with the sources in its top-level ``metadata``."""
    frame = _export_frame(clusters)
    properties = frame.drop(columns=["lat", "lon"]).astype(object).where(frame.drop(columns=["lat", "lon"]).notna(), None)
    features = [
        {"type": "Feature", "id": record["id"],
         "geometry": {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]},
         "properties": record}
        for record, lat, lon in zip(properties.to_dict(orient="records"), frame["lat"], frame["lon"])
    ]
    lines = source_lines(view_url, generated)
    collection = {
        "type": "FeatureCollection",
        "metadata": {"title": lines[0], "view": view_url, "generated": generated.isoformat(),
                     "sources": lines[3].removeprefix("Sources: "), "attribution": NUTS_ATTRIBUTION},
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, default=_json_default)


def _json_default(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to GeoJSON")
