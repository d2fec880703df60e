"""Region metrics over joined clusters: counts, density, sector shares and specialisation.

Definitions (the About page quotes them):

* **count**: clusters whose NUTS 3 region lies inside the region (and, for the programme-area figures,
  inside the programme area of the chosen period).
* **density**: count per 10,000 km² of the region's area inside the programme area (areas in EPSG:3035).
* **share**: the region's clusters in the chosen sectors, as a fraction of all its clusters.
* **specialisation** (location quotient): the region's share divided by the same share over the whole
  programme area. 1 means the region's mix matches the Alpine Space; 2 means the sectors weigh twice as much.
  With fewer than :data:`MIN_CLUSTERS_FOR_LQ` clusters in the region a single organisation swings the ratio,
  so such values are flagged ``lq_reliable = False``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geodata.nuts import area_in_programme_column, in_area_column
from geodata.sectors import SECTOR_IDS

MIN_CLUSTERS_FOR_LQ = 5
DENSITY_AREA_KM2 = 10_000.0

REGION_ATTRIBUTES = ("nuts_id", "name", "country", "level", "mount_type", "area_km2")


def region_code_column(level: int) -> str:
    if level not in (0, 1, 2, 3):
        raise ValueError(f"NUTS level must be 0, 1, 2 or 3, not {level!r}")
    return f"nuts{level}"


def sector_counts(clusters: pd.DataFrame, *, level: int) -> pd.DataFrame:
    """Clusters per region (rows) and sector (columns, in vocabulary order)."""
    code = region_code_column(level)
    # Counting with bincount, not pd.crosstab: the charts call this on every filter change, and crosstab's
    # pivot machinery cost twenty times more than the counting. Rows: every region with a counted cluster.
    # The two columns alone are filtered: a row filter of the whole register copies all of its 30+ columns.
    codes, sectors = clusters[code], clusters["sector"]
    known = (codes.notna() & sectors.notna()).to_numpy(dtype=bool)
    regions, region_index = pd.factorize(codes[known], sort=True)
    sector_index = pd.Index(SECTOR_IDS).get_indexer(sectors[known])
    counted = sector_index >= 0
    cells = regions[counted] * len(SECTOR_IDS) + sector_index[counted]
    counts = np.bincount(cells, minlength=len(region_index) * len(SECTOR_IDS))
    return pd.DataFrame(counts.reshape(len(region_index), len(SECTOR_IDS)).astype("int64"),
                        index=pd.Index(region_index, name="nuts_id"), columns=list(SECTOR_IDS))


def region_metrics(
    clusters: pd.DataFrame,
    regions: pd.DataFrame,
    *,
    level: int,
    period: str,
    sectors: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per region of ``level``: attributes plus count, density, share and specialisation.

    ``clusters`` are the joined clusters after every filter except the sector filter: the sector mix of the
    whole selection is the denominator of shares and location quotients. Clusters outside the programme area
    of ``period`` are not counted; regions outside it get no values (NaN), so maps grey them instead of
    showing a misleading zero.
    """
    chosen = list(sectors) if sectors else list(SECTOR_IDS)
    in_area = in_area_column(period)
    at_level = regions[regions["level"] == level]
    inside = clusters.loc[clusters[in_area], [region_code_column(level), "sector"]]

    # Plain arrays from here: this runs on every filter change, and pandas' per-column bookkeeping (indexes
    # set and reset, masked assignments) cost more than the arithmetic.
    counts = sector_counts(inside, level=level).reindex(at_level["nuts_id"], fill_value=0)
    total = counts.to_numpy().sum(axis=1)
    chosen_count = counts[chosen].to_numpy().sum(axis=1)
    area_total = float(total.sum())
    area_share = float(chosen_count.sum()) / area_total if area_total else np.nan
    region_in_area = at_level[in_area].to_numpy(dtype=bool)
    area_km2_in_area = at_level[area_in_programme_column(period)].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = chosen_count / total
        lq = share / area_share if area_share else share * np.nan
        density = chosen_count / area_km2_in_area * DENSITY_AREA_KM2

    def inside_only(values: np.ndarray) -> np.ndarray:
        """Regions outside the programme area get no value (NaN), not a misleading zero."""
        return np.where(region_in_area, values, np.nan)

    result = at_level[list(REGION_ATTRIBUTES)].reset_index(drop=True)
    return result.assign(in_area=region_in_area, area_km2_in_area=area_km2_in_area,
                         count=inside_only(chosen_count), count_all_sectors=inside_only(total),
                         density=inside_only(density), share=inside_only(share), lq=inside_only(lq),
                         lq_reliable=(total >= MIN_CLUSTERS_FOR_LQ) & region_in_area)


def sector_profile(clusters: pd.DataFrame, *, nuts_id: str, period: str) -> pd.DataFrame:
    """A region's portfolio: for each sector its count, share and location quotient, strongest first.

    Sectors the region has no cluster in are left out; the programme area of ``period`` is the reference.
    """
    level = len(nuts_id) - 2
    inside = clusters[clusters[in_area_column(period)]]
    area_counts = inside["sector"].value_counts().reindex(list(SECTOR_IDS), fill_value=0)
    own = inside[inside[region_code_column(level)] == nuts_id]["sector"].value_counts()
    own = own.reindex(list(SECTOR_IDS), fill_value=0)
    total = int(own.sum())
    profile = pd.DataFrame({"sector": list(SECTOR_IDS), "count": own.to_numpy()})
    with np.errstate(divide="ignore", invalid="ignore"):
        profile["share"] = own.to_numpy() / total if total else np.nan
        area_share = area_counts.to_numpy() / area_counts.sum() if area_counts.sum() else np.nan
        profile["lq"] = profile["share"] / area_share
    profile["lq_reliable"] = total >= MIN_CLUSTERS_FOR_LQ
    profile = profile[profile["count"] > 0]
    return profile.sort_values(["lq", "count", "sector"], ascending=[False, False, True], ignore_index=True)


def programme_area_average(metrics: pd.DataFrame, column: str) -> float:
    """The programme-area reference for a metric: totals over the area, not a mean of regional ratios."""
    inside = metrics[metrics["in_area"]]
    if column == "count":
        return float(inside["count"].mean()) if len(inside) else np.nan
    if column == "density":
        area = inside["area_km2_in_area"].sum()
        return float(inside["count"].sum() / area * DENSITY_AREA_KM2) if area else np.nan
    if column == "share":
        total = inside["count_all_sectors"].sum()
        return float(inside["count"].sum() / total) if total else np.nan
    if column == "lq":
        return 1.0
    raise ValueError(f"no programme-area reference for {column!r}")
