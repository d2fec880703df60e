"""The partner and peer spaces of the loaded register, computed once per process and never mutated.

Touching NUTS 3 regions are derived from the 1:3M polygons at first use (about half a second) rather than
stored, so they can never disagree with the polygons the join uses.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from dashboard.data import load_atlas_data
from geodata import io, settings
from geodata.neighbours import touching_regions
from geodata.partners import PartnerSpace, build_space
from geodata.peers import PeerSpace, build_peer_space
from geodata.relatedness import relatedness_table


@lru_cache(maxsize=1)
def touching_pairs() -> pd.DataFrame:
    return touching_regions(io.read_geoparquet(settings.JOIN_POLYGONS_PARQUET))


@lru_cache(maxsize=1)
def related_sectors() -> pd.DataFrame:
    return relatedness_table(load_atlas_data().clusters)


@lru_cache(maxsize=2)
def partner_space(period: str) -> PartnerSpace:
    return build_space(load_atlas_data().clusters, touching_pairs(), related_sectors(), period=period)


@lru_cache(maxsize=4)
def peer_space(level: int, period: str) -> PeerSpace:
    clusters = load_atlas_data().clusters
    active = clusters[clusters["status"] == "active"]
    return build_peer_space(active, load_atlas_data().region_table, level=level, period=period)


def region_names() -> pd.Series:
    return load_atlas_data().region_table.set_index("nuts_id")["name"]
