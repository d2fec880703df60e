"""Read-only access to the geodata artifacts, and the cached per-view computations on top of them.

The artifacts are loaded once per process into an :class:`AtlasData` and never mutated. Everything a view needs
is derived from them by pure ``geodata`` functions, cached under hashed keys made of primitive values (the
artifacts' version and the normalised view). Views, stories and callbacks are handed the ``AtlasData`` they work
on, so a test can hand them a few hand-made regions and clusters instead of the register.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.cache import cache_key, cached
from geodata import io, settings
from geodata.metrics import region_metrics
from geodata.neighbours import touching_regions
from geodata.nuts import PERIODS, in_area_column
from geodata.selection import Selection, prepare_clusters, select_clusters

#: Regions within this many degrees of the programme area or of a cluster are drawn for context.
MAP_MARGIN_DEGREES = 1.0


@dataclass(frozen=True, eq=False)
class AtlasData:
    """The loaded artifacts and the per-view computations on them, cached in the shared cache.

    ``version`` names the artifacts in cache keys: the register and a test's hand-made data never share an
    entry, and a new build of the artifacts never meets the old one's entries in Redis. The object itself is
    never part of a key. Compared and hashed by identity (``eq=False``), so a process-local ``lru_cache`` may
    take it as an argument.
    """

    regions: gpd.GeoDataFrame
    region_table: pd.DataFrame
    clusters: pd.DataFrame
    partners: pd.DataFrame
    version: str
    #: The 1:3M NUTS 3 polygons of the spatial join, for which regions touch; ``None``: the regions' own.
    join_polygons: Path | None = None

    def touching_pairs(self) -> pd.DataFrame:
        """Which NUTS 3 regions touch (:func:`geodata.neighbours.touching_regions`), derived at first use.

        From the join's 1:3M polygons, so they never disagree with the join: the display outlines,
        simplified, lose two short borders. A hand-made atlas without them uses its own regions.
        """
        return _touching_pairs(self)

    def selected_clusters(self, selection: Selection) -> pd.DataFrame:
        """The clusters matching ``selection`` (every part of the page shows these rows)."""
        frame, _ = cached(cache_key("clusters", self.version, selection),
                          lambda: select_clusters(self.clusters, selection))
        return frame

    def base_clusters(self, selection: Selection) -> pd.DataFrame:
        """What a view's shares and specialisation compare against: its clusters before the sector filter.

        The one home of the rule "metrics of a view": the sector filter narrows the counted clusters but not
        the sector mix that shares and location quotients compare against. Region metrics
        (:meth:`view_metrics`), the story's numbers and a region's sector profile all start from here.
        """
        return self.selected_clusters(selection.without_sectors())

    def view_metrics(self, selection: Selection, *, level: int, period: str) -> tuple[pd.DataFrame, bool]:
        """Region metrics for a view (see :meth:`base_clusters`), and whether they came from the cache."""
        def compute() -> pd.DataFrame:
            return region_metrics(self.base_clusters(selection), self.region_table, level=level, period=period,
                                  sectors=selection.sectors or None)

        return cached(cache_key("metrics", self.version, selection, level, period), compute)


@lru_cache(maxsize=2)
def _touching_pairs(atlas: AtlasData) -> pd.DataFrame:
    if atlas.join_polygons is not None:
        polygons = io.read_geoparquet(atlas.join_polygons)
    else:
        polygons = atlas.regions[atlas.regions["level"] == 3]
    return touching_regions(polygons)


def assemble(regions: gpd.GeoDataFrame, joined_clusters: pd.DataFrame, partners: pd.DataFrame, *,
             version: str, join_polygons: Path | None = None) -> AtlasData:
    """The atlas's data from its artifacts as read (or a test's hand-made frames of the same columns)."""
    clusters = prepare_clusters(joined_clusters, regions)
    regions = regions.assign(on_map=_on_map(regions, clusters))
    region_table = pd.DataFrame(regions.drop(columns="geometry"))
    return AtlasData(regions=regions, region_table=region_table, clusters=clusters, partners=partners,
                     version=version, join_polygons=join_polygons)


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


def artifacts_version(*paths: Path) -> str:
    """A digest of the artifact files: the same on every worker and host that loads the same build."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@built_once
def load_atlas_data() -> AtlasData:
    """The register's artifacts, loaded once per process: what callbacks and routes hand to the views."""
    paths = (settings.REGIONS_PARQUET, settings.CLUSTERS_JOINED_CSV, settings.PARTNERS_JOINED_CSV)
    return assemble(io.read_geoparquet(settings.REGIONS_PARQUET), io.read_joined_csv(settings.CLUSTERS_JOINED_CSV),
                    io.read_joined_csv(settings.PARTNERS_JOINED_CSV), version=artifacts_version(*paths),
                    join_polygons=settings.JOIN_POLYGONS_PARQUET)


def _outlined(atlas: AtlasData, level: int) -> pd.DataFrame:
    """The regions of one NUTS level that the maps draw."""
    regions = atlas.regions
    return regions[(regions["level"] == level) & regions["on_map"]]


@built_once
def region_geojson(atlas: AtlasData, level: int) -> bytes:
    """The display outlines of one NUTS level as GeoJSON, each feature's ``id`` its NUTS code."""
    chosen = _outlined(atlas, level)[["nuts_id", "name", "geometry"]]
    return chosen.set_index("nuts_id", drop=False).to_json(drop_id=False, ensure_ascii=False).encode("utf-8")


@built_once
def outline_codes(atlas: AtlasData, level: int) -> tuple[str, ...]:
    """The ids of :func:`region_geojson`'s features, in its order: what a choropleth of them names."""
    return tuple(_outlined(atlas, level)["nuts_id"])


@built_once
def region_geojson_etag(atlas: AtlasData, level: int) -> str:
    return hashlib.sha256(region_geojson(atlas, level)).hexdigest()[:20]
