"""A visitor's own list: the join inputs loaded once per process and the limits from the configuration.

Nothing here keeps an uploaded file: the checked rows go back to the caller (the API answer, or the visitor's
own browser session), never to disk, a cache or the register.
"""

from __future__ import annotations

import base64
import binascii
import html
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
from flask import Flask, abort, request

from dashboard.data import AtlasData
from dashboard.config import CONFIG
from geodata import io, settings, upload


#: The name a list goes by when the browser or client sent none.
DEFAULT_FILENAME = "list.csv"


@lru_cache(maxsize=1)
def join_inputs() -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The NUTS 3 join polygons and the programme areas the register is built with."""
    return io.read_geoparquet(settings.JOIN_POLYGONS_PARQUET), io.read_programme_areas()


def limits() -> upload.UploadLimits:
    return upload.UploadLimits(max_bytes=CONFIG.upload_max_bytes, max_rows=CONFIG.upload_max_rows,
                               max_columns=CONFIG.upload_max_columns, max_cell_chars=CONFIG.upload_max_cell_chars)


def check(content: bytes, filename: str) -> upload.CheckedList:
    """Validate and place ``content`` like the register; raises :class:`upload.FileTooLarge` beyond the size limit."""
    polygons, programme_areas = join_inputs()
    return upload.check_list(content, filename or DEFAULT_FILENAME, polygons=polygons, programme_areas=programme_areas,
                             limits=limits())


#: What the visitor's browser session keeps of a placed list (nuts0–nuts2 are prefixes of nuts3).
STORE_COLUMNS = ("source_row", "id", "name", "acronym", "country", "city", "sector", "org_type", "status",
                 "founded", "website", "source_url", "lat", "lon", "nuts3", "join_method", "in_area_2007_2013",
                 "in_area_2021_2027")
_TEXT_COLUMNS = tuple(c for c in STORE_COLUMNS if c not in ("source_row", "founded", "lat", "lon")
                      and not c.startswith("in_area_"))


def decode_upload(contents: object) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL; raises FileTooLarge before decoding more than the limit."""
    if not isinstance(contents, str) or "," not in contents:
        raise ValueError("the upload did not arrive as a file")
    header, encoded = contents.split(",", 1)
    if not header.startswith("data:") or not header.endswith(";base64"):
        raise ValueError("the upload did not arrive as a file")
    limit = limits().max_bytes
    if len(encoded) * 3 // 4 - encoded.count("=", -2) > limit:
        raise upload.FileTooLarge(len(encoded) * 3 // 4, limit)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("the upload did not arrive as a file") from error


def to_store(joined: pd.DataFrame, filename: str) -> dict:
    """The placed rows, column-wise compact, for ``dcc.Store(storage_type='session')``."""
    frame = joined.reindex(columns=list(STORE_COLUMNS))
    frame["founded"] = frame["founded"].astype(object).where(frame["founded"].notna(), None)
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    return {"filename": str(filename)[:200], "columns": list(STORE_COLUMNS), "rows": rows}


def from_store(atlas: AtlasData, stored: object) -> pd.DataFrame | None:
    """The list back from the browser, which may have been tampered with: anything malformed means no list.

    Rows must name a NUTS 3 region of ``atlas`` and finite coordinates; text is kept as text, never interpreted.
    """
    if not isinstance(stored, dict) or stored.get("columns") != list(STORE_COLUMNS):
        return None
    rows = stored.get("rows")
    if not isinstance(rows, list) or not rows:
        return None
    rows = [row for row in rows[: limits().max_rows] if isinstance(row, list) and len(row) == len(STORE_COLUMNS)]
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=list(STORE_COLUMNS), dtype=object)
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].map(lambda value: "" if value is None else str(value)[:2000])
    for column in ("source_row", "founded", "lat", "lon"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in ("in_area_2007_2013", "in_area_2021_2027"):
        frame[column] = frame[column].map(lambda value: value is True)
    known = atlas.region_table
    frame = frame[frame["nuts3"].isin(known.loc[known["level"] == 3, "nuts_id"])
                  & np.isfinite(frame["lat"].astype(float)) & np.isfinite(frame["lon"].astype(float))]
    if frame.empty:
        return None
    for level in (0, 1, 2):
        frame[f"nuts{level}"] = frame["nuts3"].str[: level + 2]
    frame["founded"] = frame["founded"].astype("Int64")
    frame["source_row"] = frame["source_row"].astype("Int64")
    return frame.reset_index(drop=True)


def map_points(rows: pd.DataFrame | None, label: str) -> pd.DataFrame | None:
    """Positions and escaped hover texts of the list's rows."""
    if rows is None:
        return None
    hover = ["<b>" + html.escape(name, quote=False) + "</b><br>" + html.escape(city, quote=False) + " · " + label
             for name, city in zip(rows["name"], rows["city"])]
    return pd.DataFrame({"lat": rows["lat"].astype(float), "lon": rows["lon"].astype(float), "hovertext": hover})


def region_counts(rows: pd.DataFrame, register: pd.DataFrame, region_names: pd.Series, *, level: int,
                  compared: tuple[str, ...], top: int = 12) -> pd.DataFrame:
    """Your list and the register (the view's organisations) counted per region of ``level``, side by side.

    The regions compared on the page come first, then the regions with most rows of your list.
    """
    column = f"nuts{level}"
    yours = rows[column].value_counts()
    theirs = register[column].value_counts() if column in register else pd.Series(dtype="int64")
    codes = list(dict.fromkeys([c for c in compared if len(c) == level + 2]
                               + yours.sort_values(ascending=False, kind="stable").index[:top].tolist()))
    return pd.DataFrame({
        "nuts_id": codes,
        "name": [str(region_names.get(code, code)) for code in codes],
        "yours": [int(yours.get(code, 0)) for code in codes],
        "register": [int(theirs.get(code, 0)) for code in codes],
        "compared": [code in compared for code in codes],
    })


def table_rows(rows: pd.DataFrame | None, region_names: pd.Series, _) -> list[dict]:
    """The list's rows for the organisations table, labelled like the register's and marked as yours."""
    if rows is None:
        return []
    frame = pd.DataFrame({
        "id": "your-list-" + rows["source_row"].astype(str), "origin": _("upload.legend"), "name": rows["name"],
        "acronym": rows["acronym"], "sector": rows["sector"].map(lambda s: _(f"sector.{s}")),
        "country": rows["country"], "city": rows["city"], "region": rows["nuts3"].map(region_names),
        "nuts3": rows["nuts3"], "org_type": rows["org_type"].map(lambda s: _(f"org_type.{s}")),
        "status": rows["status"].map(lambda s: _(f"status.{s}")), "founded": rows["founded"],
        "website": rows["website"], "source_url": rows["source_url"],
    })
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


#: Markers of a Dash callback request that carries an uploaded file or the visitor's list.
LIST_CALLBACK_MARKERS = (b'"id":"upload-input"', b'"id":"upload-list"')
#: Room for the JSON around a base64 file (filename, state) in the upload callback's request.
CALLBACK_OVERHEAD_BYTES = 256 * 1024


def list_body_allowance() -> int:
    """The largest callback request that may carry a list: the file limit in base64, plus the JSON around it."""
    return limits().max_bytes * 4 // 3 + CALLBACK_OVERHEAD_BYTES


def allow_list_bodies(server: Flask) -> None:
    """Let the callbacks that carry the visitor's file or list exceed the app's body limit, up to the list limit.

    A file of up to ``max_bytes`` arrives base64-encoded in a Dash callback request, and the placed list goes
    back with the callbacks that draw and count it, so such requests may be larger than ``MAX_CONTENT_LENGTH``
    allows for every other request. A larger body is read (up to the allowance) only to check that it is one
    of those callbacks; any other request keeps the app's own limit and gets 413.
    """
    @server.before_request
    def allow_list_callbacks() -> None:
        app_limit = server.config.get("MAX_CONTENT_LENGTH")
        length = request.content_length
        if not app_limit or not request.path.endswith("/_dash-update-component") or not length \
                or length <= app_limit:
            return
        request.max_content_length = list_body_allowance()
        body = request.get_data(cache=True)
        if not any(marker in body for marker in LIST_CALLBACK_MARKERS):
            abort(413)
