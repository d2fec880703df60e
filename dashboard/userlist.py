"""A visitor's own list: the join inputs loaded once per process and the limits from the configuration.

Nothing here keeps an uploaded file: the checked rows go back to the caller (the API answer, or the visitor's
own browser session), never to disk, a cache or the register.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import pandas as pd

from dashboard.config import CONFIG
from geodata import io, settings, upload


@lru_cache(maxsize=1)
def join_inputs() -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The NUTS 3 join polygons and the programme areas the register is built with."""
    return io.read_geoparquet(settings.JOIN_POLYGONS_PARQUET), io.read_programme_areas()


def limits() -> upload.UploadLimits:
    return upload.UploadLimits(max_bytes=CONFIG.upload_max_bytes, max_rows=CONFIG.upload_max_rows,
                               max_columns=CONFIG.upload_max_columns, max_cell_chars=CONFIG.upload_max_cell_chars)


def check(data: bytes, filename: str) -> upload.CheckedList:
    """Validate and place ``data`` like the register; raises :class:`upload.FileTooLarge` beyond the size limit."""
    polygons, programme_areas = join_inputs()
    return upload.check_list(data, filename or "upload.csv", polygons=polygons, programme_areas=programme_areas,
                             limits=limits())
