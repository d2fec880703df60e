"""The partner and peer spaces of the atlas's data, computed once per process and data, and never mutated.

Each takes the :class:`AtlasData` it is built from, touching regions included
(:meth:`AtlasData.touching_pairs`), so a test can hand it a few hand-made regions.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from dashboard.data import AtlasData
from geodata.partners import PartnerSpace, build_space
from geodata.peers import PeerSpace, build_peer_space
from geodata.relatedness import relatedness_table


@lru_cache(maxsize=2)
def related_sectors(atlas: AtlasData) -> pd.DataFrame:
    return relatedness_table(atlas.clusters)


@lru_cache(maxsize=4)
def partner_space(atlas: AtlasData, period: str) -> PartnerSpace:
    return build_space(atlas.clusters, atlas.touching_pairs(), related_sectors(atlas), period=period)


@lru_cache(maxsize=8)
def peer_space(atlas: AtlasData, level: int, period: str) -> PeerSpace:
    active = atlas.clusters[atlas.clusters["status"] == "active"]
    return build_peer_space(active, atlas.region_table, level=level, period=period)


def region_names(atlas: AtlasData) -> pd.Series:
    return atlas.region_table.set_index("nuts_id")["name"]
