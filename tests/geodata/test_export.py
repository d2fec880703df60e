"""Downloads: CSV with source lines and defused formulas, GeoJSON with metadata and lon/lat order."""

from __future__ import annotations

import io
import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from geodata.export import EXPORT_COLUMNS, clusters_to_csv, clusters_to_geojson
from geodata.settings import NUTS_ATTRIBUTION

VIEW = "https://atlas.example/?sector=ict&country=AT"
DAY = date(2024, 5, 17)


def make_clusters() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "id": ["c2", "c1", "c3"],
            "name": ["Zeta Cluster", "=cmd()", "Alpha"],
            "acronym": ["+1", "@x", "-"],
            "country": ["AT", "AT", "CH"],
            "city": ["Linz", "Graz", "Zürich"],
            "postal_code": ["4020", "", ""],
            "sector": ["ict", "agrifood", "ict"],
            "themes": ["robots;AI", "\tTAB", "normal, text"],
            "status": ["active", "active", "historic"],
            "founded": pd.array([2001, None, 1999], dtype="Int64"),
            "lat": [48.3069, 47.0707, 47.3769],
            "lon": [14.2858, 15.4395, 8.5417],
            "nuts3": ["AT312", "AT221", "CH040"],
            "join_method": ["within", "within", "nearest"],
            "join_distance_m": [0.0, 0.0, 120.5],
            "in_area_2007_2013": [True, True, False],
            "in_area_2021_2027": [True, True, True],
            "internal_note": ["not exported", "x", "y"],
        }
    )
    frame["website"] = pd.Series(["https://a.example", np.nan, None], dtype=object)
    return frame


@pytest.fixture
def clusters() -> pd.DataFrame:
    return make_clusters()


# CSV ----------------------------------------------------------------------------------------------------------

def test_exp001_csv_starts_with_source_lines(clusters) -> None:
    text = clusters_to_csv(clusters, view_url=VIEW, generated=DAY)
    comments = [line for line in text.splitlines() if line.startswith("# ")]
    assert text.startswith("# Alpine Cluster Atlas")
    assert comments == [line for line in text.splitlines()[: len(comments)]]
    assert f"# View: {VIEW}" in comments
    assert "# Generated: 2024-05-17" in comments
    assert f"# Attribution: {NUTS_ATTRIBUTION}" in comments
    assert NUTS_ATTRIBUTION == "© EuroGeographics for the administrative boundaries"
    sources = next(line for line in comments if line.startswith("# Sources: "))
    assert "GeoNames" in sources and "NUTS 2021" in sources


def test_exp002_csv_reads_back_with_comment_lines_skipped(clusters) -> None:
    text = clusters_to_csv(clusters, view_url=VIEW, generated=DAY)
    back = pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False)
    assert back.columns.tolist() == [c for c in EXPORT_COLUMNS if c in clusters.columns]
    assert "internal_note" not in back
    assert "join_distance_m" not in back
    # Sorted by country, then name.
    assert back["id"].tolist() == ["c1", "c2", "c3"]
    assert back["city"].tolist() == ["Graz", "Linz", "Zürich"]
    assert back["founded"].tolist() == ["", "2001", "1999"]
    assert back["lat"].astype(float).tolist() == [47.0707, 48.3069, 47.3769]
    assert back["in_area_2007_2013"].tolist() == ["True", "True", "False"]


def test_exp003_formula_like_cells_are_prefixed_with_an_apostrophe(clusters) -> None:
    text = clusters_to_csv(clusters, view_url=VIEW, generated=DAY)
    back = pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False).set_index("id")
    assert back.loc["c1", "name"] == "'=cmd()"
    assert back.loc["c2", "acronym"] == "'+1"
    assert back.loc["c1", "acronym"] == "'@x"
    assert back.loc["c3", "acronym"] == "'-"
    assert back.loc["c1", "themes"] == "'\tTAB"
    # Ordinary text is untouched, including text with a formula character inside it.
    assert back.loc["c2", "name"] == "Zeta Cluster"
    assert back.loc["c3", "themes"] == "normal, text"
    assert back.loc["c2", "themes"] == "robots;AI"
    assert back.loc["c2", "postal_code"] == "4020"


def test_exp004_csv_leaves_the_input_frame_alone(clusters) -> None:
    before = clusters.copy()
    clusters_to_csv(clusters, view_url=VIEW, generated=DAY)
    pd.testing.assert_frame_equal(clusters, before)


def test_exp005_csv_of_an_empty_view_still_has_sources_and_header(clusters) -> None:
    text = clusters_to_csv(clusters.iloc[:0], view_url=VIEW, generated=DAY)
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert len(back) == 0
    assert "id" in back.columns
    assert "# Attribution: © EuroGeographics for the administrative boundaries" in text


# GeoJSON ------------------------------------------------------------------------------------------------------

def strict_json(text: str) -> dict:
    """Parse JSON, rejecting the NaN/Infinity extensions that browsers' JSON.parse refuses."""
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not valid JSON")
    return json.loads(text, parse_constant=refuse)


def test_exp010_geojson_is_a_feature_collection_with_metadata(clusters) -> None:
    collection = strict_json(clusters_to_geojson(clusters, view_url=VIEW, generated=DAY))
    assert collection["type"] == "FeatureCollection"
    metadata = collection["metadata"]
    assert metadata["attribution"] == NUTS_ATTRIBUTION
    assert metadata["view"] == VIEW
    assert metadata["generated"] == "2024-05-17"
    assert "GeoNames" in metadata["sources"]
    assert [feature["id"] for feature in collection["features"]] == ["c1", "c2", "c3"]
    assert all(feature["type"] == "Feature" for feature in collection["features"])


def test_exp011_coordinates_are_lon_lat(clusters) -> None:
    collection = strict_json(clusters_to_geojson(clusters, view_url=VIEW, generated=DAY))
    geometry = {feature["id"]: feature["geometry"] for feature in collection["features"]}
    assert geometry["c2"] == {"type": "Point", "coordinates": [14.2858, 48.3069]}  # Linz: lon 14, lat 48
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 5 < lon < 17 and 45 < lat < 49


def test_exp012_properties_are_plain_json_with_null_for_missing(clusters) -> None:
    collection = strict_json(clusters_to_geojson(clusters, view_url=VIEW, generated=DAY))
    properties = {feature["id"]: feature["properties"] for feature in collection["features"]}
    assert "lat" not in properties["c1"] and "lon" not in properties["c1"]
    assert "internal_note" not in properties["c1"]
    assert properties["c1"]["founded"] is None
    assert properties["c2"]["founded"] == 2001
    assert properties["c2"]["website"] == "https://a.example"
    assert properties["c1"]["website"] is None
    assert properties["c3"]["website"] is None
    assert properties["c3"]["in_area_2007_2013"] is False
    assert properties["c3"]["in_area_2021_2027"] is True
    # GeoJSON is not a spreadsheet: text is exported exactly as written.
    assert properties["c1"]["name"] == "=cmd()"


def test_exp013_geojson_of_the_real_register_is_strict_json(joined_clusters) -> None:
    text = clusters_to_geojson(joined_clusters, view_url=VIEW, generated=DAY)
    collection = strict_json(text)
    assert len(collection["features"]) == len(joined_clusters)
    assert '"name": "Pôle Pégase"' in text  # accents written as characters, not \u escapes
