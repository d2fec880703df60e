"""Points → NUTS 3 on the committed 1:3M join polygons: well-known cities, lakes, the sea, borders, bad input."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geodata.join import JOIN_COLUMNS, JoinError, assign_nuts3, join_clusters, points_from_frame
from geodata.nuts import PERIODS, in_area_column


def points(*rows: tuple[str, str, float, float], **extra: list[object]) -> gpd.GeoDataFrame:
    """A point layer in EPSG:4326 from (name, country, lat, lon) rows."""
    frame = pd.DataFrame(list(rows), columns=["name", "country", "lat", "lon"])
    for column, values in extra.items():
        frame[column] = values
    return points_from_frame(frame)


def assign_one(polygons: gpd.GeoDataFrame, name: str, country: str, lat: float, lon: float) -> pd.Series:
    return assign_nuts3(points((name, country, lat, lon)), polygons).iloc[0]


# Well-known cities (city-centre coordinates) and their NUTS 2021 region --------------------------------------

CITIES = [
    ("Linz", "AT", 48.3069, 14.2858, "AT312"),
    ("Graz", "AT", 47.0707, 15.4395, "AT221"),
    ("Innsbruck", "AT", 47.2692, 11.4041, "AT332"),
    ("Salzburg", "AT", 47.8095, 13.0550, "AT323"),
    ("Wien", "AT", 48.2082, 16.3738, "AT130"),
    ("Zürich", "CH", 47.3769, 8.5417, "CH040"),
    ("Bern", "CH", 46.9480, 7.4474, "CH021"),
    ("Genève", "CH", 46.2044, 6.1432, "CH013"),
    ("Lugano", "CH", 46.0037, 8.9511, "CH070"),
    ("Vaduz", "LI", 47.1410, 9.5209, "LI000"),
    ("Ljubljana", "SI", 46.0569, 14.5058, "SI041"),
    ("Maribor", "SI", 46.5547, 15.6459, "SI032"),
    ("München", "DE", 48.1351, 11.5820, "DE212"),
    ("Stuttgart", "DE", 48.7758, 9.1829, "DE111"),
    ("Freiburg im Breisgau", "DE", 47.9990, 7.8421, "DE131"),
    ("Augsburg", "DE", 48.3705, 10.8978, "DE271"),
    ("Mannheim", "DE", 49.4875, 8.4660, "DE126"),
    ("Torino", "IT", 45.0703, 7.6869, "ITC11"),
    ("Milano", "IT", 45.4642, 9.1900, "ITC4C"),
    ("Bolzano", "IT", 46.4983, 11.3548, "ITH10"),
    ("Trento", "IT", 46.0748, 11.1217, "ITH20"),
    ("Venezia", "IT", 45.4408, 12.3155, "ITH35"),
    ("Trieste", "IT", 45.6495, 13.7768, "ITH44"),
    ("Genova", "IT", 44.4056, 8.9463, "ITC33"),
    ("Aosta", "IT", 45.7370, 7.3201, "ITC20"),
    ("Grenoble", "FR", 45.1885, 5.7245, "FRK24"),
    ("Lyon", "FR", 45.7640, 4.8357, "FRK26"),
    ("Nice", "FR", 43.7102, 7.2620, "FRL03"),
    ("Strasbourg", "FR", 48.5734, 7.7521, "FRF11"),
    ("Besançon", "FR", 47.2378, 6.0241, "FRC21"),
    ("Dijon", "FR", 47.3220, 5.0415, "FRC11"),
]


@pytest.mark.parametrize(("name", "country", "lat", "lon", "nuts3"), CITIES, ids=[c[0] for c in CITIES])
def test_join001_city_is_within_its_nuts3_region(join_polygons, name, country, lat, lon, nuts3) -> None:
    result = assign_one(join_polygons, name, country, lat, lon)
    assert result["nuts3"] == nuts3
    assert result["join_method"] == "within"
    assert result["join_distance_m"] == 0.0


def test_join002_all_cities_at_once_match_one_by_one(join_polygons) -> None:
    layer = points(*(city[:4] for city in CITIES))
    result = assign_nuts3(layer, join_polygons)
    assert result["nuts3"].tolist() == [city[4] for city in CITIES]
    assert result.columns.tolist() == list(JOIN_COLUMNS)


def test_join003_result_is_aligned_with_the_input_index(join_polygons) -> None:
    layer = points(CITIES[0][:4], CITIES[17][:4], CITIES[12][:4]).set_axis([30, 10, 20])
    result = assign_nuts3(layer, join_polygons)
    expected = pd.DataFrame(
        {
            "nuts0": ["AT", "IT", "DE"], "nuts1": ["AT3", "ITC", "DE2"], "nuts2": ["AT31", "ITC1", "DE21"],
            "nuts3": ["AT312", "ITC11", "DE212"], "join_method": ["within"] * 3, "join_distance_m": [0.0] * 3,
        },
        index=[30, 10, 20],
    )
    pd.testing.assert_frame_equal(result, expected)


# Lakes and the sea --------------------------------------------------------------------------------------------

#: In Lake Geneva about 2 km south of Lausanne-Ouchy, on the Swiss side of the lake border.
LAKE_GENEVA_SWISS_SIDE = (46.49, 6.63)
#: In Lake Geneva off Évian-les-Bains, on the French side of the lake border.
LAKE_GENEVA_FRENCH_SIDE = (46.45, 6.60)


def test_join010_swiss_point_in_lake_geneva_gets_a_swiss_region(join_polygons) -> None:
    result = assign_one(join_polygons, "lake", "CH", *LAKE_GENEVA_SWISS_SIDE)
    assert (result["nuts0"], result["nuts3"], result["join_method"]) == ("CH", "CH011", "within")


def test_join011_french_point_on_the_swiss_half_of_the_lake_goes_to_the_nearest_french_region(join_polygons) -> None:
    result = assign_one(join_polygons, "lake", "FR", *LAKE_GENEVA_SWISS_SIDE)
    assert result["nuts3"] == "FRK28"  # Haute-Savoie, across the lake
    assert result["join_method"] == "nearest"
    assert 0 < result["join_distance_m"] <= 10_000


def test_join012_swiss_point_on_the_french_half_of_the_lake_is_never_french(join_polygons) -> None:
    result = assign_one(join_polygons, "lake", "CH", *LAKE_GENEVA_FRENCH_SIDE)
    assert result["nuts3"] == "CH011"
    assert result["join_method"] == "nearest"
    assert 0 < result["join_distance_m"] <= 10_000


@pytest.mark.parametrize(
    ("country", "lat", "lon", "nuts3"),
    [
        pytest.param("IT", 44.38, 8.94, "ITC33", id="off-genova"),
        pytest.param("FR", 43.68, 7.27, "FRL03", id="off-nice"),
        pytest.param("IT", 45.40, 12.33, "ITH35", id="venice-lagoon"),
    ],
)
def test_join013_point_in_the_sea_near_the_coast_goes_to_the_nearest_region(join_polygons, country, lat, lon,
                                                                            nuts3) -> None:
    result = assign_one(join_polygons, "coast", country, lat, lon)
    assert result["nuts3"] == nuts3
    assert result["join_method"] == "nearest"
    assert 0 < result["join_distance_m"] <= 10_000


def test_join014_point_far_out_at_sea_raises_naming_the_row(join_polygons) -> None:
    layer = points(("Near Linz", "AT", 48.3069, 14.2858), ("Open sea", "IT", 44.10, 8.90), source_row=[2, 7])
    with pytest.raises(JoinError) as caught:
        assign_nuts3(layer, join_polygons)
    message = str(caught.value)
    assert message.startswith("1 point(s) could not be assigned to a NUTS 3 region within 10 km:")
    assert "row 7 ('Open sea', IT) at lat 44.10000, lon 8.90000" in message
    assert "Near Linz" not in message
    [unjoined] = caught.value.unjoined
    assert (unjoined.row, unjoined.name, unjoined.country) == (7, "Open sea", "IT")
    assert 25_000 < unjoined.distance_m < 40_000


def test_join015_point_of_one_country_deep_inside_another_raises(join_polygons) -> None:
    layer = points(("Swiss in Munich", "CH", 48.1351, 11.5820), source_row=[12])
    with pytest.raises(JoinError, match=r"row 12 \('Swiss in Munich', CH\).*nearest NUTS 3 region in CH is \d+"):
        assign_nuts3(layer, join_polygons)


def test_join016_a_larger_allowed_distance_accepts_the_far_point(join_polygons) -> None:
    layer = points(("Open sea", "IT", 44.10, 8.90))
    result = assign_nuts3(layer, join_polygons, max_distance_m=50_000).iloc[0]
    assert result["nuts0"] == "IT"
    assert result["join_method"] == "nearest"
    assert 25_000 < result["join_distance_m"] <= 50_000


def test_join017_country_without_regions_is_reported_without_a_distance(join_polygons) -> None:
    layer = points(("Elsewhere", "ES", 41.39, 2.17))
    with pytest.raises(JoinError, match="no region of that country"):
        assign_nuts3(layer, join_polygons)


# Borders ------------------------------------------------------------------------------------------------------

def shared_vertex(polygons: gpd.GeoDataFrame, first: str, second: str) -> tuple[float, float]:
    """A vertex present, bit for bit, in the outlines of both regions."""
    by_id = polygons.set_index("nuts_id").geometry
    coords = [set(map(tuple, shapely.get_coordinates(by_id[code]))) for code in (first, second)]
    common = sorted(coords[0] & coords[1])
    assert common, f"{first} and {second} share no vertex"
    return common[len(common) // 2]


def test_join020_point_on_a_shared_border_is_assigned_deterministically(join_polygons) -> None:
    lon, lat = shared_vertex(join_polygons, "AT311", "AT312")
    point = shapely.Point(lon, lat)
    touching = sorted(join_polygons.loc[join_polygons.intersects(point), "nuts_id"])
    assert touching[:2] == ["AT311", "AT312"], touching
    layer = points(("border", "AT", lat, lon))
    forward = assign_nuts3(layer, join_polygons).iloc[0]
    backward = assign_nuts3(layer, join_polygons.iloc[::-1]).iloc[0]
    shuffled = assign_nuts3(layer, join_polygons.sample(frac=1.0, random_state=3)).iloc[0]
    assert forward["nuts3"] == backward["nuts3"] == shuffled["nuts3"] == touching[0]
    assert forward["join_method"] == "within"


def test_join021_point_on_a_national_border_goes_to_its_own_country(join_polygons) -> None:
    # Vaduz (LI000) borders the Swiss canton of St. Gallen (CH055) along the Rhine.
    lon, lat = shared_vertex(join_polygons, "CH055", "LI000")
    for country, nuts3 in (("CH", "CH055"), ("LI", "LI000")):
        result = assign_one(join_polygons, "border", country, lat, lon)
        assert (result["nuts3"], result["join_method"]) == (nuts3, "within")


# Bad input ----------------------------------------------------------------------------------------------------

def test_join030_crs_mismatch_raises(join_polygons) -> None:
    layer = points(("Linz", "AT", 48.3069, 14.2858)).to_crs("EPSG:3035")
    with pytest.raises(ValueError, match="CRS mismatch"):
        assign_nuts3(layer, join_polygons)


def test_join031_points_without_crs_raise(join_polygons) -> None:
    layer = points(("Linz", "AT", 48.3069, 14.2858)).set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="points have no CRS"):
        assign_nuts3(layer, join_polygons)


def test_join032_polygons_without_crs_raise(join_polygons) -> None:
    layer = points(("Linz", "AT", 48.3069, 14.2858))
    with pytest.raises(ValueError, match="NUTS 3 polygons have no CRS"):
        assign_nuts3(layer, join_polygons.set_crs(None, allow_override=True))


def test_join033_missing_country_column_raises(join_polygons) -> None:
    layer = points(("Linz", "AT", 48.3069, 14.2858)).drop(columns="country")
    with pytest.raises(ValueError, match="'country' column"):
        assign_nuts3(layer, join_polygons)


def test_join034_missing_coordinates_raise(join_polygons) -> None:
    layer = points(("Linz", "AT", 48.3069, 14.2858), ("Nowhere", "AT", np.nan, np.nan))
    with pytest.raises(ValueError, match="every point needs coordinates"):
        assign_nuts3(layer, join_polygons)


# join_clusters ------------------------------------------------------------------------------------------------

def test_join040_join_clusters_adds_codes_and_programme_area_flags(join_polygons, programme_areas) -> None:
    clusters = pd.DataFrame(
        {
            "id": ["linz", "mannheim", "dijon", "torino"],
            "name": ["Linz", "Mannheim", "Dijon", "Torino"],
            "country": ["AT", "DE", "FR", "IT"],
            "lat": [48.3069, 49.4875, 47.3220, 45.0703],
            "lon": [14.2858, 8.4660, 5.0415, 7.6869],
            "sector": ["ict", "ict", "agrifood", "aerospace"],
        },
        index=[5, 6, 7, 8],
    )
    joined = join_clusters(clusters, join_polygons, programme_areas)
    assert joined.columns.tolist() == [*clusters.columns, *JOIN_COLUMNS, *(in_area_column(p) for p in PERIODS)]
    pd.testing.assert_frame_equal(joined[clusters.columns], clusters)
    expected = pd.DataFrame(
        {
            "nuts3": ["AT312", "DE126", "FRC11", "ITC11"],
            "in_area_2007_2013": [True, False, False, True],
            "in_area_2021_2027": [True, True, False, True],
        },
        index=[5, 6, 7, 8],
    )
    pd.testing.assert_frame_equal(joined[expected.columns], expected)
    for level in range(3):
        assert (joined["nuts3"].str[: level + 2] == joined[f"nuts{level}"]).all()
