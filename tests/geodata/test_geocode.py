"""Offline geocoding: name folding, bilingual names, ambiguous names, the project's own place supplement.

The gazetteer is loaded once per process (``load_gazetteer`` is cached); every test here shares it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodata import geocode
from geodata.geocode import fill_coordinates, geocode_places, is_placeable, normalise_place_name


#: Every (country, city) the parametrised tests ask about, looked up in one call: each look-up re-indexes the
#: 180,000-key gazetteer, so one batch is much faster than one call per case.
ASKED = [
    ("CH", "Zurich"), ("CH", "zürich"), ("IT", "Bolzano/Bozen"), ("IT", "Bozen/Bolzano"), ("IT", "Bozen"),
    ("IT", "Varna/Vahrn"), ("at", "Graz"), ("FR", "Saint-Étienne"), ("AT", "Berndorf"), ("CH", "Wil"),
    ("CH", "Bozen"), ("FR", "Sophia Antipolis"), ("FR", "sophia-antipolis"), ("CH", "Le Châble"), ("CH", "Graz"),
]


@pytest.fixture(scope="module")
def resolved() -> dict[tuple[str, str], pd.Series]:
    geocode.load_gazetteer()
    frame = pd.DataFrame(ASKED, columns=["country", "city"])
    found = geocode_places(frame["country"], frame["city"])
    return {pair: found.iloc[position] for position, pair in enumerate(ASKED)}


@pytest.fixture
def place(resolved):
    def look_up(country: str, city: str) -> pd.Series:
        return resolved[(country, city)]
    return look_up


# normalise_place_name -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("written", "folded"),
    [
        pytest.param("Zürich", "zurich", id="umlaut"),
        pytest.param("ZÜRICH", "zurich", id="upper-case"),
        pytest.param("  Besançon ", "besancon", id="cedilla-and-spaces"),
        pytest.param("Klagenfurt am Wörthersee", "klagenfurt am worthersee", id="words"),
        pytest.param("Saint-Étienne", "saint etienne", id="hyphen"),
        pytest.param("Saint‑Étienne", "saint etienne", id="non-breaking-hyphen"),
        pytest.param("Saint – Étienne", "saint etienne", id="en-dash"),
        pytest.param("L'Aquila", "l aquila", id="apostrophe"),
        pytest.param("L’Aquila", "l aquila", id="typographic-apostrophe"),
        pytest.param("St. Pölten", "st polten", id="dot"),
        pytest.param("Gießen", "giessen", id="sharp-s"),
        pytest.param("Ljubljana", "ljubljana", id="unchanged"),
        pytest.param("Škofja Loka", "skofja loka", id="caron"),
        pytest.param("", "", id="empty"),
    ],
)
def test_geo001_normalise_place_name(written: str, folded: str) -> None:
    assert normalise_place_name(written) == folded


def test_geo002_spellings_of_one_town_compare_equal() -> None:
    assert len({normalise_place_name(name) for name in ("Zürich", "Zurich", "ZURICH", " zürich ")}) == 1


# geocode_places -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("country", "city", "geonames_place", "lat", "lon"),
    [
        pytest.param("CH", "Zurich", "Zürich", 47.37, 8.55, id="zurich-without-umlaut"),
        pytest.param("CH", "zürich", "Zürich", 47.37, 8.55, id="zurich-lower-case"),
        pytest.param("IT", "Bolzano/Bozen", "Bolzano", 46.49, 11.34, id="bolzano-bozen"),
        pytest.param("IT", "Bozen/Bolzano", "Bolzano", 46.49, 11.34, id="bozen-bolzano"),
        pytest.param("IT", "Bozen", "Bolzano", 46.49, 11.34, id="german-alternate-name"),
        pytest.param("IT", "Varna/Vahrn", "Varna", 46.74, 11.64, id="varna-vahrn"),
        pytest.param("at", "Graz", "Graz", 47.07, 15.44, id="lower-case-country"),
        pytest.param("FR", "Saint-Étienne", "Saint-Étienne", 45.43, 4.39, id="hyphenated"),
    ],
)
def test_geo010_places_resolve(place, country: str, city: str, geonames_place: str, lat: float, lon: float) -> None:
    found = place(country, city)
    assert found["geonames_place"] == geonames_place
    assert found["lat"] == pytest.approx(lat, abs=0.02)
    assert found["lon"] == pytest.approx(lon, abs=0.02)
    assert found["geonameid"] > 0


@pytest.mark.parametrize(
    ("country", "city", "geonameid", "lat", "lon"),
    [
        # Berndorf in Lower Austria (≈9,000 inhabitants), not the Styrian Berndorf (≈2,500).
        pytest.param("AT", "Berndorf", 2781837, 47.94567, 16.10973, id="berndorf-lower-austria"),
        # Wil SG (≈24,000), not Wil ZH (≈800).
        pytest.param("CH", "Wil", 2657996, 47.46152, 9.04552, id="wil-st-gallen"),
    ],
)
def test_geo011_most_populous_place_wins_within_a_country(place, country, city, geonameid, lat, lon) -> None:
    found = place(country, city)
    assert int(found["geonameid"]) == geonameid
    assert (found["lat"], found["lon"]) == (lat, lon)


def test_geo012_country_decides_between_same_named_places(place) -> None:
    # "Bozen" is also the Swiss village of Bözen (AG); the row's country picks which one is meant.
    italian, swiss = place("IT", "Bozen"), place("CH", "Bozen")
    assert italian["geonames_place"] == "Bolzano"
    assert swiss["geonames_place"] == "Bözen"
    assert swiss["lon"] == pytest.approx(8.08, abs=0.05)


@pytest.mark.parametrize(
    ("country", "city", "lat", "lon"),
    [
        pytest.param("FR", "Sophia Antipolis", 43.6155, 7.0550, id="sophia-antipolis"),
        pytest.param("FR", "sophia-antipolis", 43.6155, 7.0550, id="sophia-antipolis-folded"),
        pytest.param("CH", "Le Châble", 46.0800, 7.2128, id="le-chable"),
    ],
)
def test_geo013_supplement_places_resolve_with_geonameid_minus_one(place, country, city, lat, lon) -> None:
    found = place(country, city)
    assert int(found["geonameid"]) == -1
    assert (found["lat"], found["lon"]) == (lat, lon)


def test_geo014_unknown_places_are_nan_and_the_index_is_kept() -> None:
    countries = pd.Series(["IT", "FR", "CH", "ES", "AT"], index=[30, 10, 20, 40, 50])
    cities = pd.Series(["Bolzano", "Atlantis", None, "Madrid", "Graz"], index=[30, 10, 20, 40, 50])
    found = geocode_places(countries, cities)
    assert found.index.tolist() == [30, 10, 20, 40, 50]
    assert found.columns.tolist() == ["lat", "lon", "geonames_place", "geonameid"]
    assert found["lat"].notna().tolist() == [True, False, False, False, True]
    assert found.loc[[10, 20, 40], ["lon", "geonameid"]].isna().all().all()


def test_geo015_place_of_another_country_is_not_found(place) -> None:
    # Graz exists in Austria only: a row that says Switzerland is not silently moved across the border.
    assert np.isnan(place("CH", "Graz")["lat"])


def test_geo016_bilingual_and_unknown_names_in_one_batch() -> None:
    # Regression: once only one-part names were still missing, the next part came back as an all-NaN float
    # column, and filling it with "" warned (and will raise in pandas 4) instead of finding nothing.
    found = geocode_places(pd.Series(["IT", "CH"]), pd.Series(["Bolzano/Bozen", "Graz"]))
    assert found["geonames_place"].tolist()[0] == "Bolzano"
    assert found.loc[1, ["lat", "lon", "geonameid"]].isna().all()


# is_placeable -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("country", "city", "expected"),
    [
        ("CH", "Zurich", True), ("ch", "ZÜRICH", True), ("IT", "Bolzano/Bozen", True), ("IT", "Varna/Vahrn", True),
        ("FR", "Sophia Antipolis", True), ("FR", "Atlantis", False), ("CH", "Graz", False), ("ES", "Madrid", False),
        ("AT", "", False),
    ],
)
def test_geo020_is_placeable(country: str, city: str, expected: bool) -> None:
    assert is_placeable(country, city) is expected


# fill_coordinates ---------------------------------------------------------------------------------------------

def test_geo030_explicit_coordinates_win_and_others_are_looked_up() -> None:
    frame = pd.DataFrame(
        {
            "name": ["explicit", "looked up", "unknown", "half given"],
            "country": ["AT", "AT", "FR", "CH"],
            "city": ["Graz", "Graz", "Atlantis", "Zürich"],
            "lat": [47.0, np.nan, np.nan, 47.1],
            "lon": [15.5, np.nan, np.nan, np.nan],
        },
        index=[7, 8, 9, 10],
    )
    filled = fill_coordinates(frame)
    assert filled.index.tolist() == [7, 8, 9, 10]
    assert filled.columns.tolist() == ["name", "country", "city", "lat", "lon", "coordinate_source"]
    assert filled["coordinate_source"].tolist() == ["explicit", "geonames", "", "geonames"]
    assert (filled.loc[7, "lat"], filled.loc[7, "lon"]) == (47.0, 15.5)
    assert filled.loc[8, "lat"] == pytest.approx(47.07, abs=0.02)
    assert filled.loc[9, ["lat", "lon"]].isna().all()
    # Half a coordinate pair is no position: the place is looked up instead.
    assert filled.loc[10, "lat"] == pytest.approx(47.37, abs=0.02)
    pd.testing.assert_frame_equal(frame, frame.copy())  # the input is not modified
    assert "coordinate_source" not in frame


def test_geo031_frame_without_coordinate_columns_is_looked_up() -> None:
    frame = pd.DataFrame({"country": ["SI"], "city": ["Ljubljana"]})
    filled = fill_coordinates(frame)
    assert filled.loc[0, "coordinate_source"] == "geonames"
    assert filled.loc[0, "lat"] == pytest.approx(46.05, abs=0.02)
    assert filled.loc[0, "lon"] == pytest.approx(14.51, abs=0.02)


def test_geo032_coordinates_given_as_text_are_explicit() -> None:
    frame = pd.DataFrame({"country": ["AT"], "city": ["Graz"], "lat": ["47.1"], "lon": ["15.4"]})
    filled = fill_coordinates(frame)
    assert (filled.loc[0, "lat"], filled.loc[0, "lon"], filled.loc[0, "coordinate_source"]) == (47.1, 15.4,
                                                                                                 "explicit")
