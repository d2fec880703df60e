"""Which clusters a view shows: the filter logic shared by the map, the charts, the table and the downloads.

One pure function over the joined register, so every part of the dashboard agrees on the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geodata.geocode import normalise_place_name
from geodata.sectors import ORG_TYPES, SECTOR_IDS
from geodata.settings import COUNTRIES

#: The Alps4EU project ran from September 2011 into 2014.
ALPS4EU_ERA_END = 2014
LANDSCAPES = ("today", "alps4eu")
MOUNTAIN_CHOICES = ("all", "mountain", "other")
#: NUTS 3 MOUNT_TYPE codes 1–3 are mountain regions; 4 is not (Eurostat's mountain typology).
MOUNTAIN_CODES = (1, 2, 3)
SEARCH_COLUMNS = ("name", "acronym", "city", "themes")


@dataclass(frozen=True)
class Selection:
    """Filters over clusters. Empty tuples mean "all"; values are ids, never labels."""

    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    mountain: str = "all"
    landscape: str = "today"
    search: str = ""

    def __post_init__(self) -> None:
        for name, allowed in (("sectors", SECTOR_IDS), ("countries", COUNTRIES), ("org_types", ORG_TYPES)):
            unknown = set(getattr(self, name)) - set(allowed)
            if unknown:
                raise ValueError(f"unknown {name}: {', '.join(sorted(unknown))}")
        if self.mountain not in MOUNTAIN_CHOICES:
            raise ValueError(f"mountain must be one of {MOUNTAIN_CHOICES}, not {self.mountain!r}")
        if self.landscape not in LANDSCAPES:
            raise ValueError(f"landscape must be one of {LANDSCAPES}, not {self.landscape!r}")

    def without_sectors(self) -> Selection:
        return Selection(countries=self.countries, org_types=self.org_types, mountain=self.mountain,
                         landscape=self.landscape, search=self.search)


def prepare_clusters(joined: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Add what filtering needs once, at load time: the NUTS 3 mountain type and a folded search text."""
    mount_type = regions.loc[regions["level"] == 3].set_index("nuts_id")["mount_type"]
    prepared = joined.copy()
    prepared["mount_type"] = prepared["nuts3"].map(mount_type).astype("Int8")
    text = prepared[list(SEARCH_COLUMNS)].fillna("").astype(str).agg(" ".join, axis=1)
    prepared["search_text"] = text.map(normalise_place_name)
    prepared["in_alps4eu_era"] = alps4eu_era_mask(prepared)
    return prepared


def alps4eu_era_mask(clusters: pd.DataFrame) -> pd.Series:
    """Organisations of the Alps4EU-era landscape (2011–2014), each merger chain counted once.

    An organisation founded after 2014 is out. So is the successor of a historic organisation when its own
    founding year is unknown: it is the product of the merger, and its predecessors stand for it in that era.
    """
    founded = pd.to_numeric(clusters["founded"], errors="coerce")
    historic_successors = set(clusters.loc[clusters["status"] == "historic", "successor"].dropna()) - {""}
    is_merger_product = clusters["id"].isin(historic_successors) & founded.isna()
    return (founded.isna() | (founded <= ALPS4EU_ERA_END)) & ~is_merger_product


def select_clusters(clusters: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The rows of ``clusters`` (as prepared by :func:`prepare_clusters`) that match ``selection``."""
    keep = pd.Series(True, index=clusters.index)
    if selection.sectors:
        keep &= clusters["sector"].isin(selection.sectors)
    if selection.countries:
        keep &= clusters["country"].isin(selection.countries)
    if selection.org_types:
        keep &= clusters["org_type"].isin(selection.org_types)
    if selection.mountain != "all":
        in_mountains = clusters["mount_type"].isin(MOUNTAIN_CODES)
        keep &= in_mountains if selection.mountain == "mountain" else ~in_mountains
    if selection.landscape == "today":
        keep &= clusters["status"] == "active"
    else:
        keep &= clusters["in_alps4eu_era"]
    needle = normalise_place_name(selection.search)
    if needle:
        keep &= clusters["search_text"].str.contains(needle, regex=False)
    return clusters[keep]
