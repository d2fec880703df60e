"""Region metrics on a hand-made register whose every number is worked out in the comments.

The toy programme area (level 2):

========  ==========  =========  =========  ============================================
region    area km²    2007–13    2021–27    clusters (sector × n)
========  ==========  =========  =========  ============================================
AT31      10,000      in         in         ict × 3, energy_greentech × 2, agrifood × 1
AT32       5,000      in         in         ict × 1, agrifood × 1
AT33       2,500      in         in         none
DE11      20,000      out        in         mechatronics_engineering × 4
FRC1       8,000      out        out        ict × 3
========  ==========  =========  =========  ============================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodata import metrics
from geodata.metrics import (
    MIN_CLUSTERS_FOR_LQ,
    programme_area_average,
    region_code_column,
    region_metrics,
    sector_counts,
    sector_profile,
)
from geodata.sectors import SECTOR_IDS

AREA_2007 = {"AT31": True, "AT32": True, "AT33": True, "DE11": False, "FRC1": False}
AREA_2021 = {"AT31": True, "AT32": True, "AT33": True, "DE11": True, "FRC1": False}
AREAS = {"AT31": 10_000.0, "AT32": 5_000.0, "AT33": 2_500.0, "DE11": 20_000.0, "FRC1": 8_000.0}


def make_regions() -> pd.DataFrame:
    level2 = pd.DataFrame({"nuts_id": list(AREAS), "name": [f"Region {code}" for code in AREAS],
                           "country": [code[:2] for code in AREAS], "level": 2, "mount_type": [1, 3, 1, 4, 4],
                           "area_km2": list(AREAS.values())})
    level2["in_area_2007_2013"] = level2["nuts_id"].map(AREA_2007)
    level2["in_area_2021_2027"] = level2["nuts_id"].map(AREA_2021)
    for period in ("2007_2013", "2021_2027"):
        level2[f"area_km2_in_area_{period}"] = level2["area_km2"].where(level2[f"in_area_{period}"], 0.0)
    level0 = pd.DataFrame(
        {
            "nuts_id": ["AT", "DE", "FR"], "name": ["Österreich", "Deutschland", "France"],
            "country": ["AT", "DE", "FR"], "level": 0, "mount_type": [0, 0, 0],
            "area_km2": [17_500.0, 60_000.0, 8_000.0],
            "in_area_2007_2013": [True, False, False], "area_km2_in_area_2007_2013": [17_500.0, 0.0, 0.0],
            "in_area_2021_2027": [True, True, False], "area_km2_in_area_2021_2027": [17_500.0, 20_000.0, 0.0],
        }
    )
    return pd.concat([level0, level2], ignore_index=True)


def make_clusters() -> pd.DataFrame:
    rows = (
        [("AT312", "ict")] * 3 + [("AT313", "energy_greentech")] * 2 + [("AT311", "agrifood")]
        + [("AT321", "ict"), ("AT322", "agrifood")]
        + [("DE111", "mechatronics_engineering")] * 4
        + [("FRC11", "ict")] * 3
    )
    frame = pd.DataFrame(rows, columns=["nuts3", "sector"])
    for level in range(3):
        frame[f"nuts{level}"] = frame["nuts3"].str[: level + 2]
    frame["in_area_2007_2013"] = frame["nuts2"].map(AREA_2007)
    frame["in_area_2021_2027"] = frame["nuts2"].map(AREA_2021)
    return frame[["nuts0", "nuts1", "nuts2", "nuts3", "sector", "in_area_2007_2013", "in_area_2021_2027"]]


@pytest.fixture
def regions() -> pd.DataFrame:
    return make_regions()


@pytest.fixture
def clusters() -> pd.DataFrame:
    return make_clusters()


def by_region(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("nuts_id")


# Counts -------------------------------------------------------------------------------------------------------

def test_met001_sector_counts_per_region_in_vocabulary_order(clusters) -> None:
    table = sector_counts(clusters, level=2)
    assert table.columns.tolist() == list(SECTOR_IDS)
    assert table.index.name == "nuts_id"
    assert table.loc["AT31", ["ict", "energy_greentech", "agrifood"]].tolist() == [3, 2, 1]
    assert table.loc["AT31"].sum() == 6
    assert table.loc["DE11", "mechatronics_engineering"] == 4
    assert table.sum().sum() == len(clusters)


def test_met002_sector_counts_of_an_empty_selection(clusters) -> None:
    table = sector_counts(clusters.iloc[:0], level=3)
    assert table.columns.tolist() == list(SECTOR_IDS)
    assert len(table) == 0


# region_metrics -----------------------------------------------------------------------------------------------

def test_met010_counts_density_share_and_lq_for_one_sector(clusters, regions) -> None:
    table = by_region(region_metrics(clusters, regions, level=2, period="2021-2027", sectors=["ict"]))
    assert table.index.tolist() == ["AT31", "AT32", "AT33", "DE11", "FRC1"]
    # Inside the 2021–27 area: AT31 6 + AT32 2 + AT33 0 + DE11 4 = 12 clusters, of which ICT 3 + 1 + 0 + 0 = 4,
    # so the area's ICT share is 4 / 12 = 1/3.
    expected = pd.DataFrame(
        {
            # ICT clusters, and all clusters, per region (FRC1 lies outside: NaN, not 0).
            "count": [3.0, 1.0, 0.0, 0.0, np.nan],
            "count_all_sectors": [6.0, 2.0, 0.0, 4.0, np.nan],
            # per 10,000 km²: 3 / 10,000 × 10,000 = 3;  1 / 5,000 × 10,000 = 2;  0 / 2,500 = 0;  0 / 20,000 = 0.
            "density": [3.0, 2.0, 0.0, 0.0, np.nan],
            # 3 / 6 = 0.5;  1 / 2 = 0.5;  0 / 0 is undefined;  0 / 4 = 0.
            "share": [0.5, 0.5, np.nan, 0.0, np.nan],
            # share / (1/3): 0.5 × 3 = 1.5;  1.5;  undefined;  0.
            "lq": [1.5, 1.5, np.nan, 0.0, np.nan],
            # at least MIN_CLUSTERS_FOR_LQ clusters in the region: only AT31 (6; DE11 has 4).
            "lq_reliable": [True, False, False, False, False],
        },
        index=pd.Index(["AT31", "AT32", "AT33", "DE11", "FRC1"], name="nuts_id"),
    )
    pd.testing.assert_frame_equal(table[expected.columns], expected, check_dtype=False)


def test_met011_region_attributes_and_area_are_carried_over(clusters, regions) -> None:
    table = region_metrics(clusters, regions, level=2, period="2021-2027")
    assert table.columns.tolist()[:6] == list(metrics.REGION_ATTRIBUTES)
    assert table["in_area"].tolist() == [True, True, True, True, False]
    assert table["area_km2_in_area"].tolist() == [10_000.0, 5_000.0, 2_500.0, 20_000.0, 0.0]
    assert table["name"].tolist() == ["Region AT31", "Region AT32", "Region AT33", "Region DE11", "Region FRC1"]


def test_met012_all_sectors_means_every_share_is_one(clusters, regions) -> None:
    table = by_region(region_metrics(clusters, regions, level=2, period="2021-2027", sectors=None))
    # DE11: 4 clusters / 20,000 km² × 10,000 = 2 per 10,000 km².
    assert table.loc["DE11", "density"] == pytest.approx(2.0)
    assert table.loc["AT31", "count"] == 6
    assert table.loc[["AT31", "AT32", "DE11"], "share"].tolist() == [1.0, 1.0, 1.0]
    assert table.loc[["AT31", "AT32", "DE11"], "lq"].tolist() == [1.0, 1.0, 1.0]


def test_met013_several_sectors_are_added_up(clusters, regions) -> None:
    table = by_region(region_metrics(clusters, regions, level=2, period="2021-2027",
                                     sectors=["ict", "agrifood"]))
    # ICT + agrifood inside: AT31 3 + 1, AT32 1 + 1 → 6 of 12, area share 1/2.
    # AT31: 4 / 6 = 2/3, LQ (2/3) / (1/2) = 4/3.  AT32: 2 / 2 = 1, LQ 2.
    assert table.loc["AT31", "count"] == 4
    assert table.loc["AT31", "share"] == pytest.approx(2 / 3)
    assert table.loc["AT31", "lq"] == pytest.approx(4 / 3)
    assert table.loc["AT32", "lq"] == pytest.approx(2.0)


def test_met014_period_changes_which_regions_count(clusters, regions) -> None:
    table = by_region(region_metrics(clusters, regions, level=2, period="2007-2013", sectors=["ict"]))
    # 2007–13: DE11 is out. Inside: AT31 6 + AT32 2 = 8 clusters, ICT 4, area share 1/2; AT31 0.5 / 0.5 = 1.
    assert np.isnan(table.loc["DE11", "count"])
    assert not table.loc["DE11", "lq_reliable"]
    assert table.loc["AT31", "lq"] == pytest.approx(1.0)
    assert table.loc["AT32", "lq"] == pytest.approx(1.0)


def test_met015_clusters_outside_the_area_are_never_counted(clusters, regions) -> None:
    # FRC1's three ICT clusters are outside: at level 0 France gets NaN, and they do not enter the area share.
    table = by_region(region_metrics(clusters, regions, level=0, period="2021-2027", sectors=["ict"]))
    assert table.index.tolist() == ["AT", "DE", "FR"]
    # AT: ICT 4 of 8 over 17,500 km² → density 4 / 17,500 × 10,000 = 2.2857…; share 0.5; LQ 0.5 / (4/12) = 1.5.
    assert table.loc["AT", "count"] == 4
    assert table.loc["AT", "density"] == pytest.approx(4 / 17_500 * 10_000)
    assert table.loc["AT", "lq"] == pytest.approx(1.5)
    assert table.loc["AT", "lq_reliable"]
    # DE: 0 of 4 over its 20,000 km² inside the area (not its 60,000 km² in all).
    assert table.loc["DE", "density"] == 0.0
    assert table.loc["DE", "lq"] == 0.0
    assert table.loc["FR", ["count", "count_all_sectors", "density", "share", "lq"]].isna().all()
    assert not table.loc["FR", "lq_reliable"]


def test_met016_lq_is_reliable_from_the_threshold_number_of_clusters_on(clusters, regions) -> None:
    at31 = clusters.index[clusters["nuts2"] == "AT31"]
    assert 1 < MIN_CLUSTERS_FOR_LQ <= len(at31), "the hand-made register must reach the threshold"
    # Keep exactly the threshold of AT31's six clusters: enough; one fewer: not.
    for kept, reliable in ((MIN_CLUSTERS_FOR_LQ, True), (MIN_CLUSTERS_FOR_LQ - 1, False)):
        fewer = clusters.drop(index=at31[kept:])
        table = by_region(region_metrics(fewer, regions, level=2, period="2021-2027"))
        assert table.loc["AT31", "count_all_sectors"] == kept
        assert table.loc["AT31", "lq_reliable"] == reliable


def test_met017_no_cluster_in_the_area_gives_undefined_shares_not_errors(clusters, regions) -> None:
    table = by_region(region_metrics(clusters.iloc[:0], regions, level=2, period="2021-2027", sectors=["ict"]))
    assert table.loc["AT31", "count"] == 0
    assert table.loc["AT31", "density"] == 0.0
    assert np.isnan(table.loc["AT31", "share"])
    assert np.isnan(table.loc["AT31", "lq"])


@pytest.mark.parametrize("level", [-1, 4, "2", None])
def test_met020_invalid_level_raises(clusters, regions, level) -> None:
    with pytest.raises(ValueError, match="NUTS level must be 0, 1, 2 or 3"):
        region_metrics(clusters, regions, level=level, period="2021-2027")
    with pytest.raises(ValueError, match="NUTS level"):
        region_code_column(level)


def test_met021_region_code_column() -> None:
    assert [region_code_column(level) for level in range(4)] == ["nuts0", "nuts1", "nuts2", "nuts3"]


# sector_profile -----------------------------------------------------------------------------------------------

def test_met030_sector_profile_is_ordered_by_specialisation(clusters) -> None:
    profile = sector_profile(clusters, nuts_id="AT31", period="2021-2027")
    # Area counts (2021–27): ict 4, energy 2, agrifood 2, mechatronics 4; 12 in all.
    # AT31 (6): energy 2/6 vs 2/12 → LQ 2;  ict 3/6 vs 4/12 → 1.5;  agrifood 1/6 vs 2/12 → 1.
    expected = pd.DataFrame(
        {
            "sector": ["energy_greentech", "ict", "agrifood"],
            "count": [2, 3, 1],
            "share": [2 / 6, 3 / 6, 1 / 6],
            "lq": [2.0, 1.5, 1.0],
            "lq_reliable": [True, True, True],
        }
    )
    pd.testing.assert_frame_equal(profile, expected, check_dtype=False)


def test_met031_sector_profile_ties_break_by_count_then_sector(clusters) -> None:
    profile = sector_profile(clusters, nuts_id="AT3", period="2007-2013")
    # 2007–13 area = AT only: ict 4, energy 2, agrifood 2 (8). AT3 is the whole area: every LQ is 1, so the
    # larger count comes first, then the sector id.
    assert profile["sector"].tolist() == ["ict", "agrifood", "energy_greentech"]
    assert profile["lq"].tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_met032_sector_profile_of_a_small_region_is_flagged_unreliable(clusters) -> None:
    profile = sector_profile(clusters, nuts_id="AT32", period="2021-2027")
    assert profile["sector"].tolist() == ["agrifood", "ict"]  # LQ 0.5 / (2/12) = 3, then 0.5 / (4/12) = 1.5
    assert profile["lq"].tolist() == pytest.approx([3.0, 1.5])
    assert not profile["lq_reliable"].any()


def test_met033_sector_profile_of_a_region_outside_the_area_is_empty(clusters) -> None:
    profile = sector_profile(clusters, nuts_id="FRC11", period="2021-2027")
    assert profile.empty
    assert profile.columns.tolist() == ["sector", "count", "share", "lq", "lq_reliable"]


# programme_area_average ---------------------------------------------------------------------------------------

def test_met040_programme_area_averages_are_totals_not_means_of_ratios(clusters, regions) -> None:
    table = region_metrics(clusters, regions, level=2, period="2021-2027", sectors=["ict"])
    # density: (3 + 1 + 0 + 0) ICT clusters / (10,000 + 5,000 + 2,500 + 20,000) km² × 10,000 = 40,000 / 37,500.
    assert programme_area_average(table, "density") == pytest.approx(4 / 37_500 * 10_000)
    # share: 4 ICT of 12 clusters = 1/3 (the mean of the regional shares would be (0.5 + 0.5 + 0) / 3).
    assert programme_area_average(table, "share") == pytest.approx(1 / 3)
    # the location quotient of the area against itself.
    assert programme_area_average(table, "lq") == 1.0
    # count: the mean ICT count per region inside the area, 4 / 4.
    assert programme_area_average(table, "count") == pytest.approx(1.0)


def test_met041_programme_area_average_of_an_unknown_metric_raises(clusters, regions) -> None:
    table = region_metrics(clusters, regions, level=2, period="2021-2027")
    with pytest.raises(ValueError, match="'lq_reliable'"):
        programme_area_average(table, "lq_reliable")


def test_met042_programme_area_average_without_regions_inside_is_nan(clusters, regions) -> None:
    table = region_metrics(clusters, regions, level=2, period="2021-2027")
    nothing = table[~table["in_area"]]
    for column in ("count", "density", "share"):
        assert np.isnan(programme_area_average(nothing, column))
