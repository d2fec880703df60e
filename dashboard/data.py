"""Read-only access to the geodata artifacts, and the cached per-view computations on top of them.

The artifacts are loaded once per process and never mutated; everything a view needs is derived from them by
pure ``geodata`` functions, cached under hashed keys made of primitive values (the normalised view).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.cache import cache_key, cached
from geodata import io, settings
from geodata.metrics import region_metrics
from geodata.nuts import PERIODS, in_area_column
from geodata.selection import Selection, prepare_clusters, select_clusters

#: Regions within this many degrees of the programme area or of a cluster are drawn for context.
MAP_MARGIN_DEGREES = 1.0


@dataclass(frozen=True)
class AtlasData:
    regions: gpd.GeoDataFrame
    region_table: pd.DataFrame
    clusters: pd.DataFrame
    partners: pd.DataFrame


def _on_map(regions: gpd.GeoDataFrame, clusters: pd.DataFrame) -> pd.Series:
    """Regions near the programme area (either period) or near a cluster: the map's context."""
    in_any_period = regions[[in_area_column(p) for p in PERIODS]].any(axis=1)
    core = regions[in_any_period & (regions["level"] == 2)].total_bounds
    minx, miny, maxx, maxy = core
    minx, maxx = min(minx, clusters["lon"].min()), max(maxx, clusters["lon"].max())
    miny, maxy = min(miny, clusters["lat"].min()), max(maxy, clusters["lat"].max())
    frame = shapely.box(minx - MAP_MARGIN_DEGREES, miny - MAP_MARGIN_DEGREES,
                        maxx + MAP_MARGIN_DEGREES, maxy + MAP_MARGIN_DEGREES)
    return regions.geometry.intersects(frame)


#: Held while a process-wide value is first built (see :func:`built_once`).
_BUILDING = threading.RLock()


def built_once(function):
    """``lru_cache`` whose callers wait for a value being built instead of building it again: on a cold worker
    the first burst of requests (a room scanning a QR code) and the warm-up thread all ask for the same data
    at once, and each would otherwise build its own copy."""
    cached_function = lru_cache(maxsize=8)(function)

    @functools.wraps(function)
    def wrapper(*args):
        with _BUILDING:
            return cached_function(*args)

    return wrapper


@built_once
def load_atlas_data() -> AtlasData:
    regions = io.read_geoparquet(settings.REGIONS_PARQUET)
    joined = io.read_joined_csv(settings.CLUSTERS_JOINED_CSV)
    clusters = prepare_clusters(joined, regions)
    regions["on_map"] = _on_map(regions, clusters)
    region_table = pd.DataFrame(regions.drop(columns="geometry"))
    partners = io.read_joined_csv(settings.PARTNERS_JOINED_CSV)
    return AtlasData(regions=regions, region_table=region_table, clusters=clusters, partners=partners)


@built_once
def region_geojson(level: int) -> bytes:
    """The display outlines of one NUTS level as GeoJSON, each feature's ``id`` its NUTS code."""
    regions = load_atlas_data().regions
    chosen = regions[(regions["level"] == level) & regions["on_map"]][["nuts_id", "name", "geometry"]]
    return chosen.set_index("nuts_id", drop=False).to_json(drop_id=False, ensure_ascii=False).encode("utf-8")


@built_once
def region_geojson_etag(level: int) -> str:
    return hashlib.sha256(region_geojson(level)).hexdigest()[:20]


def selected_clusters(selection: Selection) -> pd.DataFrame:
    """The clusters matching ``selection`` (every part of the page shows these rows)."""
    frame, _ = cached(cache_key("clusters", selection), lambda: select_clusters(load_atlas_data().clusters, selection))
    return frame


def base_clusters(selection: Selection) -> pd.DataFrame:
    """What a view's shares and specialisation compare against: its clusters before the sector filter.

    The one home of the rule "metrics of a view": the sector filter narrows the counted clusters but not the
    sector mix that shares and location quotients compare against. Region metrics (:func:`view_metrics`),
    the story's numbers and a region's sector profile all start from here.
    """
    return selected_clusters(selection.without_sectors())


def view_metrics(selection: Selection, *, level: int, period: str) -> tuple[pd.DataFrame, bool]:
    """Region metrics for a view (see :func:`base_clusters`), and whether they came from the cache."""
    def compute() -> pd.DataFrame:
        return region_metrics(base_clusters(selection), load_atlas_data().region_table, level=level, period=period,
                              sectors=selection.sectors or None)

    return cached(cache_key("metrics", selection, level, period), compute)
