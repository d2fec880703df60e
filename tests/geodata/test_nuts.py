"""The committed NUTS artifacts (CRS, coverage, areas, flags, topology) and the helpers that build them."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal, assert_geoseries_equal

from geodata import nuts
from geodata.nuts import PERIODS, area_in_programme_column, area_km2, in_area_column, programme_area_flags
from geodata.settings import COUNTRIES, DISPLAY_CRS, EQUAL_AREA_CRS


def by_id(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return regions.set_index("nuts_id")


# The artifacts ------------------------------------------------------------------------------------------------

def test_nuts001_artifacts_are_in_epsg_4326(regions, join_polygons) -> None:
    for frame in (regions, join_polygons):
        assert frame.crs is not None
        assert frame.crs.equals(DISPLAY_CRS)
        assert frame.crs.to_epsg() == 4326


def test_nuts002_every_level_of_every_country_is_present(regions) -> None:
    table = regions.groupby(["country", "level"]).size().unstack(fill_value=0)
    assert sorted(table.index) == sorted(COUNTRIES)
    assert table.columns.tolist() == [0, 1, 2, 3]
    assert (table > 0).all().all()
    assert (table[0] == 1).all()


def test_nuts003_codes_are_unique_and_consistent(regions, join_polygons) -> None:
    assert regions["nuts_id"].is_unique
    assert join_polygons["nuts_id"].is_unique
    assert (regions["nuts_id"].str.len() == regions["level"] + 2).all()
    assert (regions["nuts_id"].str[:2] == regions["country"]).all()
    assert (join_polygons["nuts_id"].str[:2] == join_polygons["country"]).all()
    level3 = regions.loc[regions["level"] == 3, "nuts_id"]
    assert sorted(level3) == sorted(join_polygons["nuts_id"])
    for level in (1, 2, 3):
        parents = regions.loc[regions["level"] == level, "nuts_id"].str[: level + 1]
        assert parents.isin(regions.loc[regions["level"] == level - 1, "nuts_id"]).all()


def test_nuts004_french_overseas_regions_are_left_out(regions, join_polygons) -> None:
    assert not regions["nuts_id"].str.startswith("FRY").any()
    assert not join_polygons["nuts_id"].str.startswith("FRY").any()
    west, south, east, north = regions.total_bounds
    assert west > -6 and south > 35 and east < 19 and north < 56


def test_nuts005_every_geometry_is_a_valid_polygon(regions, join_polygons) -> None:
    for frame in (regions, join_polygons):
        assert frame.geometry.notna().all()
        assert not frame.geometry.is_empty.any()
        assert frame.geometry.is_valid.all()
        assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize(
    ("country", "expected_km2"),
    [pytest.param("FR", 549_000, id="metropolitan-france"), pytest.param("AT", 83_900, id="austria")],
)
def test_nuts010_country_area(regions, country: str, expected_km2: float) -> None:
    area = by_id(regions).loc[country, "area_km2"]
    assert area == pytest.approx(expected_km2, rel=0.02)


def test_nuts011_level_3_areas_add_up_to_the_country(regions) -> None:
    level3 = regions[regions["level"] == 3].groupby("country")["area_km2"].sum()
    level0 = regions[regions["level"] == 0].set_index("country")["area_km2"]
    pd.testing.assert_series_equal(level3.sort_index(), level0.sort_index(), rtol=0.005, check_names=False)


def test_nuts012_area_column_matches_the_join_geometry(regions, join_polygons) -> None:
    """``area_km2`` is measured on the 1:3M outline, which is exactly the join artifact at level 3."""
    level3 = by_id(regions[regions["level"] == 3])["area_km2"]
    measured = area_km2(by_id(join_polygons).geometry).round(1)
    pd.testing.assert_series_equal(measured.reindex(level3.index), level3, atol=0.2, check_names=False)


# Programme areas ----------------------------------------------------------------------------------------------

def test_nuts020_whole_countries_are_in_both_programme_areas(regions) -> None:
    whole = regions[regions["country"].isin(["AT", "CH", "SI", "LI"])]
    for period in PERIODS:
        assert whole[in_area_column(period)].all(), period
        level0 = whole[whole["level"] == 0]
        pd.testing.assert_series_equal(level0[area_in_programme_column(period)], level0["area_km2"],
                                       check_names=False, atol=0.5)


@pytest.mark.parametrize(
    ("nuts_id", "in_2007_2013", "in_2021_2027"),
    [
        pytest.param("DE21", True, True, id="oberbayern"),
        pytest.param("DE212", True, True, id="muenchen"),
        pytest.param("DE11", False, True, id="stuttgart"),
        pytest.param("DE12", False, True, id="karlsruhe"),
        pytest.param("DE126", False, True, id="mannheim"),
        pytest.param("FRK2", True, True, id="rhone-alpes"),
        pytest.param("FRC1", False, False, id="bourgogne"),
        pytest.param("DE", True, True, id="germany-partly"),
        pytest.param("DE1", True, True, id="baden-wuerttemberg"),
        pytest.param("FRC", True, True, id="bourgogne-franche-comte"),
        pytest.param("DE3", False, False, id="berlin"),
    ],
)
def test_nuts021_programme_area_flags(regions, nuts_id: str, in_2007_2013: bool, in_2021_2027: bool) -> None:
    region = by_id(regions).loc[nuts_id]
    assert (region["in_area_2007_2013"], region["in_area_2021_2027"]) == (in_2007_2013, in_2021_2027)


@pytest.mark.parametrize("period", PERIODS)
def test_nuts022_area_in_programme_of_a_country_is_the_sum_of_its_nuts2_parts(regions, period: str) -> None:
    level2 = regions[(regions["level"] == 2) & (regions["country"] == "DE")]
    expected = level2.loc[level2[in_area_column(period)], "area_km2"].sum()
    germany = by_id(regions).loc["DE"]
    assert germany[area_in_programme_column(period)] == pytest.approx(expected, abs=0.05)
    assert 0 < germany[area_in_programme_column(period)] < germany["area_km2"]


def test_nuts023_area_in_programme_is_the_area_inside_and_zero_outside(regions) -> None:
    lower = regions[regions["level"] >= 2]
    for period in PERIODS:
        inside = lower[in_area_column(period)]
        pd.testing.assert_series_equal(lower.loc[inside, area_in_programme_column(period)],
                                       lower.loc[inside, "area_km2"], check_names=False)
        assert (lower.loc[~inside, area_in_programme_column(period)] == 0).all()


def test_nuts024_programme_area_flags_on_a_tiny_frame() -> None:
    programme_areas = pd.DataFrame({"period": ["2007-2013", "2021-2027", "2021-2027"],
                                    "nuts2": ["AT31", "AT31", "DE11"], "source": ["s"] * 3})
    codes = pd.Series(["AT312", "DE111", "DE11", "FRC11", "AT3"], index=[4, 3, 2, 1, 0])
    expected = pd.DataFrame({"in_area_2007_2013": [True, False, False, False, False],
                             "in_area_2021_2027": [True, True, True, False, False]}, index=[4, 3, 2, 1, 0])
    pd.testing.assert_frame_equal(programme_area_flags(codes, programme_areas), expected)


def test_nuts025_a_period_without_regions_is_an_error() -> None:
    programme_areas = pd.DataFrame({"period": ["2007-2013"], "nuts2": ["AT31"], "source": ["s"]})
    with pytest.raises(ValueError, match="2021-2027"):
        programme_area_flags(pd.Series(["AT312"]), programme_areas)


def test_nuts026_committed_programme_areas_list_known_nuts2_codes(regions, programme_areas) -> None:
    level2 = set(regions.loc[regions["level"] == 2, "nuts_id"])
    assert set(programme_areas["period"]) == set(PERIODS)
    assert set(programme_areas["nuts2"]) <= level2
    assert not programme_areas.duplicated(["period", "nuts2"]).any()


# Topology: shared borders stay shared -------------------------------------------------------------------------

@pytest.mark.parametrize("country", COUNTRIES)
def test_nuts030_level_3_display_polygons_tile_the_country(regions, country: str) -> None:
    """No overlaps (union area = sum of areas), no gaps or slivers (union = the country outline)."""
    projected = regions[regions["country"] == country].to_crs(EQUAL_AREA_CRS)
    level3 = projected[projected["level"] == 3].geometry
    outline = projected[projected["level"] == 0].geometry.item()
    union = shapely.union_all(level3.to_numpy())
    assert union.area == pytest.approx(level3.area.sum(), rel=1e-6)
    assert union.area == pytest.approx(outline.area, rel=0.005)
    assert shapely.symmetric_difference(union, outline).area / outline.area < 1e-6
    holes = sum(len(part.interiors) for part in shapely.get_parts(union))
    assert holes == sum(len(part.interiors) for part in shapely.get_parts(outline))


def test_nuts031_austria_level_3_union_has_no_holes(regions) -> None:
    level3 = regions[(regions["country"] == "AT") & (regions["level"] == 3)].to_crs(EQUAL_AREA_CRS).geometry
    union = shapely.union_all(level3.to_numpy())
    assert union.geom_type == "Polygon"
    assert len(union.interiors) == 0


def test_nuts032_join_polygons_do_not_overlap(join_polygons) -> None:
    projected = join_polygons.to_crs(EQUAL_AREA_CRS)
    for _, group in projected.groupby("country"):
        union = shapely.union_all(group.geometry.to_numpy())
        assert union.area == pytest.approx(group.area.sum(), rel=1e-6)


def test_nuts033_round_coordinates_keeps_a_shared_edge_shared() -> None:
    left = shapely.Polygon([(0.0, 0.0), (1.000049, 0.0), (1.000049, 1.00003), (0.0, 1.0)])
    right = shapely.Polygon([(1.000049, 0.0), (2.0, 0.0), (2.0, 1.0), (1.000049, 1.00003)])
    squares = gpd.GeoSeries([left, right], index=["a", "b"], crs=DISPLAY_CRS)
    rounded = nuts.round_coordinates(squares, 4)
    assert rounded.crs == squares.crs
    assert rounded.index.tolist() == ["a", "b"]
    expected = gpd.GeoSeries(
        [shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)]), shapely.Polygon([(1, 0), (2, 0), (2, 1), (1, 1)])],
        index=["a", "b"], crs=DISPLAY_CRS,
    )
    assert_geoseries_equal(rounded, expected)
    union = shapely.union_all(rounded.to_numpy())
    assert union.geom_type == "Polygon"
    assert union.area == pytest.approx(shapely.area(rounded.to_numpy()).sum())
    assert shapely.equals(union, shapely.box(0, 0, 2, 1))


def test_nuts034_round_coordinates_rounds_to_the_given_decimals() -> None:
    line = gpd.GeoSeries([shapely.LineString([(7.123456789, 46.987654321), (8.5, 47.25)])], crs=DISPLAY_CRS)
    assert shapely.get_coordinates(nuts.round_coordinates(line, 5).iloc[0]).tolist() == [
        [7.12346, 46.98765], [8.5, 47.25]]


def test_nuts035_committed_coordinates_are_rounded(regions, join_polygons) -> None:
    for frame, decimals in ((regions, nuts.DISPLAY_DECIMALS), (join_polygons, nuts.JOIN_DECIMALS)):
        coords = shapely.get_coordinates(frame.geometry.to_numpy())
        np.testing.assert_array_equal(coords, np.round(coords, decimals))


# area_km2 -----------------------------------------------------------------------------------------------------

def test_nuts040_area_km2_is_measured_in_the_equal_area_projection() -> None:
    # 1° × 1° at the equator is about 111.32 km × 110.57 km.
    cell = gpd.GeoSeries([shapely.box(10, 0, 11, 1)], crs=DISPLAY_CRS)
    assert area_km2(cell).iloc[0] == pytest.approx(111.32 * 110.57, rel=0.01)
    # A 100 km × 100 km square in EPSG:3035 is 10,000 km² whatever CRS it is handed in.
    square = gpd.GeoSeries([shapely.box(4_300_000, 2_600_000, 4_400_000, 2_700_000)], crs=EQUAL_AREA_CRS)
    assert area_km2(square).iloc[0] == pytest.approx(10_000)
    assert area_km2(square.to_crs(DISPLAY_CRS)).iloc[0] == pytest.approx(10_000, rel=1e-4)


def test_nuts041_area_km2_without_crs_raises() -> None:
    with pytest.raises(ValueError, match="no CRS"):
        area_km2(gpd.GeoSeries([shapely.box(0, 0, 1, 1)]))


# Building from raw GISCO-like frames ---------------------------------------------------------------------------

def raw_frame() -> gpd.GeoDataFrame:
    """A toy NUTS package at both scales: Austria as two NUTS 2 regions with one NUTS 3 each, and France as
    one Alpine NUTS 3 region plus an overseas FRY branch that must be dropped and clipped from France."""
    alpine_france = shapely.box(5, 45, 6, 46)
    overseas = shapely.box(-61, 14, -60, 15)
    # The two halves' shared vertices, so the outline projects to exactly the union of its parts.
    austria = shapely.Polygon([(10, 47), (11, 47), (12, 47), (12, 48), (11, 48), (10, 48)])
    shapes = {
        "AT": austria, "AT3": austria,
        "AT31": shapely.box(10, 47, 11, 48), "AT311": shapely.box(10, 47, 11, 48),
        "AT32": shapely.box(11, 47, 12, 48), "AT321": shapely.box(11, 47, 12, 48),
        "FR": shapely.MultiPolygon([alpine_france, overseas]), "FRK": alpine_france, "FRK2": alpine_france,
        "FRK24": alpine_france, "FRY": overseas, "FRY1": overseas, "FRY10": overseas,
    }
    rows = [
        {"NUTS_ID": code, "LEVL_CODE": len(code) - 2, "CNTR_CODE": code[:2], "NAME_LATN": code,
         "NUTS_NAME": code, "MOUNT_TYPE": 1, "URBN_TYPE": 3, "COAST_TYPE": 3, "scale": scale, "geometry": shape}
        for scale in ("03M", "10M")
        for code, shape in shapes.items()
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=DISPLAY_CRS)


TOY_PROGRAMME = pd.DataFrame({"period": ["2007-2013", "2021-2027", "2021-2027", "2021-2027"],
                              "nuts2": ["AT31", "AT31", "AT32", "FRK2"], "source": ["s"] * 4})


def test_nuts050_build_regions_from_a_toy_package() -> None:
    regions = nuts.build_regions(raw_frame(), TOY_PROGRAMME)
    assert regions.crs.equals(DISPLAY_CRS)
    assert regions["nuts_id"].tolist() == ["AT", "FR", "AT3", "FRK", "AT31", "AT32", "FRK2", "AT311", "AT321",
                                           "FRK24"]
    assert regions.columns[-1] == "geometry"
    table = regions.set_index("nuts_id")
    west, east = table.loc["AT31", "area_km2"], table.loc["AT32", "area_km2"]
    assert 7_000 < west < 9_000 and 7_000 < east < 9_000
    assert table.loc["AT", "area_km2"] == pytest.approx(west + east, abs=0.1)
    assert table.loc["FR", "area_km2"] == pytest.approx(table.loc["FRK24", "area_km2"], abs=0.1)
    assert table.loc["FR"].geometry.equals(shapely.box(5, 45, 6, 46))
    assert table["in_area_2007_2013"].to_dict() == {
        "AT": True, "FR": False, "AT3": True, "FRK": False, "AT31": True, "AT32": False, "FRK2": False,
        "AT311": True, "AT321": False, "FRK24": False}
    assert table["in_area_2021_2027"].all()
    assert table.loc["AT", "area_km2_in_area_2007_2013"] == pytest.approx(west, abs=0.05)
    assert table.loc["AT3", "area_km2_in_area_2007_2013"] == pytest.approx(west, abs=0.05)
    assert table.loc["AT321", "area_km2_in_area_2007_2013"] == 0.0
    assert table.loc["FR", "area_km2_in_area_2007_2013"] == 0.0
    assert table.loc["AT", "area_km2_in_area_2021_2027"] == pytest.approx(west + east, abs=0.05)


def test_nuts051_build_join_polygons_from_a_toy_package() -> None:
    polygons = nuts.build_join_polygons(raw_frame())
    expected = gpd.GeoDataFrame(
        {"nuts_id": ["AT311", "AT321", "FRK24"], "country": ["AT", "AT", "FR"],
         "geometry": [shapely.box(10, 47, 11, 48), shapely.box(11, 47, 12, 48), shapely.box(5, 45, 6, 46)]},
        geometry="geometry", crs=DISPLAY_CRS,
    )
    assert_geodataframe_equal(polygons, expected, check_dtype=False, normalize=True)


def test_nuts052_scales_that_disagree_are_an_error() -> None:
    raw = raw_frame()
    raw = raw[~((raw["scale"] == "10M") & (raw["NUTS_ID"] == "AT321"))]
    with pytest.raises(ValueError, match="AT321"):
        nuts.build_regions(raw, TOY_PROGRAMME)


# Size ---------------------------------------------------------------------------------------------------------

def test_nuts060_artifacts_stay_small(committed) -> None:
    total = committed.regions.stat().st_size + committed.join_polygons.stat().st_size
    assert total < 2_000_000, f"the two GeoParquet artifacts take {total:,} bytes"
