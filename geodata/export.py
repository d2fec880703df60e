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


def defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells a spreadsheet would evaluate as a formula are prefixed with an apostrophe."""
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame = frame.astype({c: object for c in text_columns})
    for column in text_columns:
        frame[column] = frame[column].map(_defuse_formula)
    return frame


def _csv_with_comments(frame: pd.DataFrame, lines: list[str]) -> str:
    buffer = io.StringIO()
    for line in lines:
        buffer.write(f"# {line}\n")
    defuse_formulas(frame).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def clusters_to_csv(clusters: pd.DataFrame, *, view_url: str, generated: date) -> str:
    """CSV with ``#`` comment lines naming the view, the sources and the attribution, then one row per cluster.

    Text cells that a spreadsheet would evaluate as a formula are prefixed with an apostrophe.
    """
    return _csv_with_comments(_export_frame(clusters), source_lines(view_url, generated))


def user_list_to_csv(rows: pd.DataFrame, *, filename: str, generated: date) -> str:
    """A visitor's own list as placed by the atlas: their rows with NUTS codes and programme-area flags."""
    columns = [c for c in ("source_row", *EXPORT_COLUMNS) if c in rows.columns]
    lines = [
        f"Your list {filename}, placed by the Alpine Cluster Atlas (NUTS 2021 regions, Interreg Alpine Space areas)",
        f"Generated: {generated.isoformat()}",
        f"Sources: the rows are yours; {GEONAMES_ATTRIBUTION}; {NUTS_SOURCE}",
        f"Attribution: {NUTS_ATTRIBUTION}",
    ]
    return _csv_with_comments(rows[columns], lines)


def problems_to_csv(problems: list[dict], *, filename: str, generated: date) -> str:
    """The error report of a rejected list: one line per problem with its row, column, value and message."""
    frame = pd.DataFrame(problems, columns=["row", "column", "value", "message"]).astype({"row": "Int64"})
    return _csv_with_comments(frame, [f"Problems found in {filename} by the Alpine Cluster Atlas",
                                      f"Generated: {generated.isoformat()}"])


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
