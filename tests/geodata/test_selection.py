"""Which clusters a view shows: Selection validation, each filter alone, and the real register."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.selection import (
    ALPS4EU_ERA_END,
    Selection,
    alps4eu_era_mask,
    prepare_clusters,
    select_clusters,
)

TINY_REGIONS = pd.DataFrame(
    {
        "nuts_id": ["AT", "AT332", "CH040", "DE111", "FRK24"],
        "level": [0, 3, 3, 3, 3],
        "mount_type": [0, 1, 4, 4, 3],
    }
)

COLUMNS = ("id", "name", "acronym", "country", "city", "themes", "sector", "org_type", "status", "successor",
           "founded", "nuts3")
ROWS = [
    ("a1", "Cluster Tirol", "CT", "AT", "Innsbruck", "Wasserstoff;mobility", "energy_greentech",
     "cluster_organisation", "active", "", 2005, "AT332"),
    ("c1", "Zürich ICT Network", "ZIN", "CH", "Zürich", "software", "ict", "network_platform", "active", "",
     2010, "CH040"),
    ("d1", "Automotive BW", "", "DE", "Stuttgart", "", "mobility_automotive", "agency", "active", "", 2016,
     "DE111"),
    ("f1", "Old Pole A", "OPA", "FR", "Grenoble", "", "ict", "cluster_organisation", "historic", "f3", 2005,
     "FRK24"),
    ("f2", "Old Pole B", "OPB", "FR", "Grenoble", "", "ict", "cluster_organisation", "historic", "f3", None,
     "FRK24"),
    ("f3", "Merged Pole", "MP", "FR", "Grenoble", "", "ict", "cluster_organisation", "active", "", None,
     "FRK24"),
    ("f4", "Successor Old", "SO", "FR", "Grenoble", "", "aerospace", "technology_park", "active", "", 2001,
     "FRK24"),
    ("f5", "Predecessor", "", "FR", "Grenoble", "", "aerospace", "technology_park", "historic", "f4", 1999,
     "FRK24"),
]


@pytest.fixture(scope="module")
def tiny() -> pd.DataFrame:
    joined = pd.DataFrame(ROWS, columns=list(COLUMNS))
    joined["founded"] = joined["founded"].astype("Int64")
    return prepare_clusters(joined, TINY_REGIONS)


def ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["id"])


# Selection ----------------------------------------------------------------------------------------------------

def test_sel001_defaults_mean_everything_today() -> None:
    selection = Selection()
    assert (selection.sectors, selection.countries, selection.org_types) == ((), (), ())
    assert (selection.mountain, selection.landscape, selection.search) == ("all", "today", "")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"sectors": ("ict", "rocketry")}, "unknown sectors: rocketry", id="sector"),
        pytest.param({"countries": ("AT", "ES")}, "unknown countries: ES", id="country"),
        pytest.param({"countries": ("at",)}, "unknown countries: at", id="country-lower-case"),
        pytest.param({"org_types": ("university",)}, "unknown org_types: university", id="org-type"),
        pytest.param({"sectors": ("Energy & Green Tech",)}, "unknown sectors", id="label-not-id"),
        pytest.param({"mountain": "alpine"}, "mountain must be one of", id="mountain"),
        pytest.param({"landscape": "2007"}, "landscape must be one of", id="landscape"),
    ],
)
def test_sel002_unknown_values_raise(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Selection(**changes)


def test_sel003_without_sectors_keeps_every_other_filter() -> None:
    selection = Selection(sectors=("ict",), countries=("AT",), org_types=("agency",), mountain="other",
                          landscape="alps4eu", search="x")
    assert selection.without_sectors() == Selection(countries=("AT",), org_types=("agency",), mountain="other",
                                                    landscape="alps4eu", search="x")


# prepare_clusters ---------------------------------------------------------------------------------------------

def test_sel010_prepare_adds_mount_type_search_text_and_era(tiny) -> None:
    assert tiny["mount_type"].dtype == "Int8"
    assert tiny.set_index("id")["mount_type"].to_dict() == {
        "a1": 1, "c1": 4, "d1": 4, "f1": 3, "f2": 3, "f3": 3, "f4": 3, "f5": 3}
    assert tiny.set_index("id").loc["c1", "search_text"] == "zurich ict network zin zurich software"
    assert tiny["in_alps4eu_era"].notna().all()
    assert tiny.set_index("id")["in_alps4eu_era"].astype(bool).to_dict() == {
        "a1": True, "c1": True, "d1": False, "f1": True, "f2": True, "f3": False, "f4": True, "f5": True}


# Each filter alone --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        pytest.param(Selection(), ["a1", "c1", "d1", "f3", "f4"], id="nothing-today"),
        pytest.param(Selection(sectors=("ict",)), ["c1", "f3"], id="sector"),
        pytest.param(Selection(sectors=("ict", "energy_greentech")), ["a1", "c1", "f3"], id="two-sectors"),
        pytest.param(Selection(countries=("FR",)), ["f3", "f4"], id="country"),
        pytest.param(Selection(countries=("AT", "DE")), ["a1", "d1"], id="two-countries"),
        pytest.param(Selection(org_types=("technology_park",)), ["f4"], id="org-type"),
        pytest.param(Selection(mountain="all"), ["a1", "c1", "d1", "f3", "f4"], id="mountain-all"),
        pytest.param(Selection(mountain="mountain"), ["a1", "f3", "f4"], id="mountain-only"),
        pytest.param(Selection(mountain="other"), ["c1", "d1"], id="mountain-other"),
        pytest.param(Selection(landscape="today"), ["a1", "c1", "d1", "f3", "f4"], id="today"),
        pytest.param(Selection(landscape="alps4eu"), ["a1", "c1", "f1", "f2", "f4", "f5"], id="alps4eu"),
    ],
)
def test_sel020_each_filter_alone(tiny, selection: Selection, expected: list[str]) -> None:
    assert ids(select_clusters(tiny, selection)) == expected


def test_sel021_filters_combine_with_and(tiny) -> None:
    selection = Selection(sectors=("ict",), countries=("FR",), landscape="alps4eu", mountain="mountain")
    assert ids(select_clusters(tiny, selection)) == ["f1", "f2"]


def test_sel022_a_region_without_mount_type_counts_as_other(tiny) -> None:
    unknown = tiny.assign(nuts3="XX999", mount_type=pd.array([pd.NA] * len(tiny), dtype="Int8"))
    assert ids(select_clusters(unknown, Selection(mountain="mountain"))) == []
    assert ids(select_clusters(unknown, Selection(mountain="other"))) == ["a1", "c1", "d1", "f3", "f4"]


def test_sel023_selection_keeps_the_original_rows_and_columns(tiny) -> None:
    result = select_clusters(tiny, Selection(countries=("CH",)))
    pd.testing.assert_frame_equal(result, tiny[tiny["country"] == "CH"])


# The Alps4EU-era landscape ------------------------------------------------------------------------------------

def era(rows: list[tuple[str, str, str, object]]) -> dict[str, bool]:
    frame = pd.DataFrame(rows, columns=["id", "status", "successor", "founded"])
    return dict(zip(frame["id"], alps4eu_era_mask(frame)))


def test_sel030_founded_after_the_project_is_out() -> None:
    assert ALPS4EU_ERA_END == 2014
    assert era([("x", "active", "", 2014), ("y", "active", "", 2015), ("z", "active", "", None)]) == {
        "x": True, "y": False, "z": True}


def test_sel031_merger_product_with_unknown_founding_is_out() -> None:
    assert era([("old", "historic", "new", 2005), ("new", "active", "", None)]) == {"old": True, "new": False}


def test_sel032_successor_founded_in_the_era_is_kept() -> None:
    assert era([("old", "historic", "new", 2005), ("new", "active", "", 2014)]) == {"old": True, "new": True}


def test_sel033_successor_of_an_active_organisation_is_no_merger_product() -> None:
    # Only a historic row's successor is a merger product.
    assert era([("a", "active", "b", 2005), ("b", "active", "", None)]) == {"a": True, "b": True}


def test_sel034_founding_years_as_text_are_understood() -> None:
    assert era([("old", "historic", "new", "2005"), ("new", "active", "", "2016"), ("x", "active", "", "")]) == {
        "old": True, "new": False, "x": True}


# Search -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        pytest.param("zurich", ["c1"], id="without-accent"),
        pytest.param("ZÜRICH", ["c1"], id="upper-case-with-accent"),
        pytest.param("wasserstoff", ["a1"], id="theme"),
        pytest.param("WASSERSTOFF", ["a1"], id="theme-upper-case"),
        pytest.param("ct", ["a1", "c1"], id="acronym-and-name-part"),
        pytest.param("stuttgart", ["d1"], id="city"),
        pytest.param("  ", ["a1", "c1", "d1", "f3", "f4"], id="blank-is-no-filter"),
        pytest.param("helium", [], id="no-match"),
    ],
)
def test_sel040_search_ignores_case_and_accents(tiny, needle: str, expected: list[str]) -> None:
    assert ids(select_clusters(tiny, Selection(search=needle))) == expected


def test_sel041_search_finds_nothing_when_the_word_is_absent(tiny) -> None:
    without = tiny[tiny["id"] != "a1"]
    assert select_clusters(without, Selection(search="WASSERSTOFF")).empty


def test_sel042_search_is_literal_not_a_pattern(tiny) -> None:
    assert select_clusters(tiny, Selection(search="z.*")).empty


# The real register --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def register(joined_clusters, regions) -> pd.DataFrame:
    return prepare_clusters(joined_clusters, regions)


def test_sel050_today_is_every_active_organisation(register, joined_clusters) -> None:
    today = select_clusters(register, Selection())
    assert len(today) == int((joined_clusters["status"] == "active").sum())
    assert (today["status"] == "active").all()
    assert register["mount_type"].notna().all()


def test_sel051_alps4eu_view_shows_the_predecessors_of_safe_cluster(register) -> None:
    names = register.set_index("id")["name"]
    assert names["fr-safe-cluster"] == "Safe Cluster"
    predecessors = register.loc[register["successor"] == "fr-safe-cluster", "id"]
    assert sorted(predecessors) == ["fr-pole-pegase", "fr-pole-risques"]
    shown = set(select_clusters(register, Selection(landscape="alps4eu"))["id"])
    assert {"fr-pole-pegase", "fr-pole-risques"} <= shown
    assert "fr-safe-cluster" not in shown
    assert "fr-safe-cluster" in set(select_clusters(register, Selection())["id"])


def test_sel052_alps4eu_view_excludes_later_foundations(register) -> None:
    shown = select_clusters(register, Selection(landscape="alps4eu"))
    founded = pd.to_numeric(shown["founded"], errors="coerce")
    assert not (founded > 2014).any()
    assert shown["status"].isin(["active", "historic"]).all()


def test_sel053_search_on_the_real_register(register) -> None:
    assert "fr-pole-pegase" in set(select_clusters(register, Selection(search="pegase", landscape="alps4eu"))["id"])
    zurich = select_clusters(register, Selection(search="zurich"))
    assert len(zurich) > 0
    assert (zurich["search_text"].str.contains("zurich")).all()
