"""Partner suggestions, touching regions, relatedness and meta-clusters on a hand-built three-country toy, and
the rules every suggestion on the real register must keep.

The toy: four 100 km squares in EPSG:3035 (metres), so distances are exact.

    y 2600–2700   AT001 | CH001 | IT001        (x 4000–4100 | 4100–4200 | 4200–4300 km)
    y 2400–2500   IT002                          (x 4000–4100 km: 100 km below AT001, touching nothing)

AT001–CH001 and CH001–IT001 share an edge; organisations sit at the squares' centres.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from geodata import partners
from geodata.neighbours import touching_matrix, touching_regions
from geodata.partners import (WEIGHTS, all_suggestions, build_space, connected_groups, cooperation_arcs, merger_families,
                              meta_clusters, partner_network, score_matrix, suggest, top_candidates)
from geodata.relatedness import co_declared_links, read_curated_links, relatedness_table
from geodata.selection import prepare_clusters

SQUARES = {"AT001": (4000, 2600), "CH001": (4100, 2600), "IT001": (4200, 2600), "IT002": (4000, 2400)}
TO_LONLAT = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)


@pytest.fixture
def toy_polygons() -> gpd.GeoDataFrame:
    codes = list(SQUARES)
    boxes = [shapely.box(x * 1000, y * 1000, (x + 100) * 1000, (y + 100) * 1000) for x, y in SQUARES.values()]
    return gpd.GeoDataFrame({"nuts_id": codes, "country": [c[:2] for c in codes]}, geometry=boxes, crs="EPSG:3035")


def organisation(oid, country, region, sector, *, secondary="", mount_type=1, status="active", successor="",
                 in_area=True):
    x, y = SQUARES[region]
    lon, lat = TO_LONLAT.transform((x + 50) * 1000, (y + 50) * 1000)
    return {"id": oid, "name": oid.upper(), "country": country, "city": region, "sector": sector,
            "secondary_sectors": secondary, "status": status, "successor": successor, "lat": lat, "lon": lon,
            "nuts3": region, "mount_type": mount_type, "in_area_2021_2027": in_area}


@pytest.fixture
def toy_clusters() -> pd.DataFrame:
    return pd.DataFrame([
        organisation("a1", "AT", "AT001", "ict", secondary="energy_greentech"),
        organisation("a2", "AT", "AT001", "ict"),
        organisation("c1", "CH", "CH001", "ict", secondary="energy_greentech"),
        # Still listed as active, but merged into a1: never a partner of a1.
        organisation("p1", "CH", "CH001", "ict", successor="a1"),
        organisation("i1", "IT", "IT001", "mechatronics_engineering", mount_type=4),
        organisation("i2", "IT", "IT002", "ict", in_area=False),
        organisation("h1", "CH", "CH001", "ict", status="historic"),
        organisation("o1", "CH", "CH001", "other"),
        organisation("o2", "IT", "IT001", "other"),
    ])


@pytest.fixture
def toy_related(toy_clusters) -> pd.DataFrame:
    curated = pd.DataFrame([{"sector_a": "mechatronics_engineering", "sector_b": "ict", "basis": "toy",
                             "source": "toy link", "organisations": 0}])
    return relatedness_table(toy_clusters, curated)


@pytest.fixture
def toy_space(toy_clusters, toy_polygons, toy_related):
    return build_space(toy_clusters, touching_regions(toy_polygons), toy_related, period="2021-2027")


def test_par001_touching_regions_from_polygons(toy_polygons):
    pairs = touching_regions(toy_polygons)
    assert pairs[["nuts_a", "nuts_b"]].values.tolist() == [["AT001", "CH001"], ["CH001", "IT001"]]
    assert pairs["cross_border"].tolist() == [True, True]
    matrix = touching_matrix(pairs, np.array(["AT001", "IT002", "CH001", "AT001"], dtype=object))
    assert matrix.tolist() == [[False, False, True, False], [False, False, False, False],
                               [True, False, False, True], [False, False, True, False]]


def test_par002_a_hairline_gap_still_touches_a_real_gap_does_not(toy_polygons):
    shifted = toy_polygons.copy()
    shifted.loc[shifted["nuts_id"] == "CH001", "geometry"] = shapely.box(4_100_050, 2_600_000, 4_200_000, 2_700_000)
    assert [["AT001", "CH001"], ["CH001", "IT001"]] == touching_regions(shifted)[["nuts_a", "nuts_b"]].values.tolist()
    shifted.loc[shifted["nuts_id"] == "CH001", "geometry"] = shapely.box(4_101_000, 2_600_000, 4_200_000, 2_700_000)
    assert touching_regions(shifted)[["nuts_a", "nuts_b"]].values.tolist() == [["CH001", "IT001"]]


def test_par003_merger_families_join_chains():
    frame = pd.DataFrame({"id": ["x", "y", "z", "w"], "successor": ["y", "z", "", ""]})
    families = merger_families(frame)
    assert families["x"] == families["y"] == families["z"] != families["w"]


def test_par004_scores_worked_out_by_hand(toy_space):
    table = suggest(toy_space, "a1")
    # c1: same sector, 100 km, touching regions, both mountain, shares energy as secondary sector.
    # i2: same sector, 200 km, not touching, both mountain.  i1: related sector (0.6), 200 km, typology differs.
    assert table["id"].tolist() == ["c1", "i2", "i1"]
    expected = [0.45 + 0.25 * math.exp(-1) + 0.15 + 0.10 + 0.05,
                0.45 + 0.25 * math.exp(-2) + 0.10,
                0.45 * 0.6 + 0.25 * math.exp(-2)]
    assert table["score"].tolist() == pytest.approx(expected, abs=1e-6)
    assert table["distance_km"].tolist() == pytest.approx([100, 200, 200], abs=0.01)
    parts = table[[f"part_{name}" for name in WEIGHTS]].sum(axis=1)
    assert parts.tolist() == pytest.approx(table["score"].tolist())


def test_par005_reasons_as_data_in_order_of_contribution(toy_space):
    table = suggest(toy_space, "a1").set_index("id")
    codes = [reason["code"] for reason in table.loc["c1", "reasons"]]
    assert codes == ["same_sector", "neighbouring_regions", "same_mountain_typology", "distance",
                     "shared_secondary_sectors", "both_in_programme_area"]
    border = table.loc["c1", "reasons"][1]
    assert border["regions"] == ["AT001", "CH001"] and border["cross_border"] is True
    related = table.loc["i1", "reasons"][0]
    assert related["code"] == "related_sector" and related["sectors"] == ["ict", "mechatronics_engineering"]
    assert related["source"] == "toy link"
    # i2 lies outside the programme area: that reason is absent, the others hold.
    assert "both_in_programme_area" not in [r["code"] for r in table.loc["i2", "reasons"]]
    for reasons in table["reasons"]:
        contributions = [r["contribution"] for r in reasons]
        assert contributions == sorted(contributions, reverse=True)


def test_par006_same_country_switch_and_gates(toy_space):
    cross = suggest(toy_space, "a1")
    assert set(cross["country"]) == {"CH", "IT"}
    same = suggest(toy_space, "a1", cross_border=False)
    # a2: same region (counts as neighbouring), 0 km, both mountain: 0.45 + 0.25 + 0.15 + 0.10.
    assert same["id"].iloc[0] == "a2"
    assert same["score"].iloc[0] == pytest.approx(0.95)
    for table in (cross, same):
        assert "a1" not in set(table["id"])          # never itself
        assert "p1" not in set(table["id"])          # never its predecessor
        assert "h1" not in set(table["id"])          # never a historic organisation
        assert not set(table["id"]) & {"o1", "o2"}   # "other" is no sector to share
    assert "a1" not in set(suggest(toy_space, "p1", cross_border=False)["id"])  # nor its successor
    assert suggest(toy_space, "o1").empty
    with pytest.raises(KeyError):
        suggest(toy_space, "h1")


def test_par007_all_at_once_agrees_with_one_by_one(toy_space):
    top = top_candidates(score_matrix(toy_space, cross_border=True), 3)
    ids = toy_space.organisations["id"].to_numpy()
    row = toy_space.position("a1")
    assert [ids[i] for i in top[row] if i >= 0] == suggest(toy_space, "a1", limit=3)["id"].tolist()


def test_par008_meta_clusters_of_the_toy(toy_space):
    arcs = cooperation_arcs(toy_space, "ict")
    pairs = sorted(tuple(pair) for pair in arcs[["a", "b"]].values.tolist())
    # i2 is 200 km from AT001 and 224 km from CH001 and touches nothing: no arc. a1–p1 is one family.
    assert pairs == [("a1", "c1"), ("a2", "c1"), ("a2", "p1"), ("c1", "i1"), ("i1", "p1")]
    assert (arcs["a_country"] != arcs["b_country"]).all()
    groups = meta_clusters(arcs, "ict")
    assert len(groups) == 1
    group = groups.iloc[0]
    assert group["members"] == ["a1", "a2", "c1", "i1", "p1"]
    assert group["countries"] == ["AT", "CH", "IT"]
    assert group["sectors"] == ["mechatronics_engineering", "ict"]
    assert (group["same_sector_links"], group["related_sector_links"]) == (3, 2)
    assert group["group"].startswith("ict-")
    assert meta_clusters(arcs, "ict")["group"].tolist() == groups["group"].tolist()  # stable ids


def test_par009_groups_need_two_countries_and_three_members():
    labels = connected_groups(np.array(["a", "b", "c", "d"]), np.array(["a", "c"]), np.array(["b", "d"]))
    assert labels["a"] == labels["b"] != labels["c"] == labels["d"]
    arcs = pd.DataFrame({"a": ["a"], "b": ["b"], "a_name": ["A"], "b_name": ["B"], "a_country": ["AT"],
                         "b_country": ["CH"], "a_sector": ["ict"], "b_sector": ["ict"], "distance_km": [10.0],
                         "same_sector": [True]})
    assert meta_clusters(arcs, "ict").empty


def test_par010_relatedness_links_name_their_evidence(toy_clusters):
    curated = read_curated_links()
    assert len(curated) and curated["source"].str.strip().ne("").all()
    assert co_declared_links(toy_clusters, minimum=2)[["sector_a", "sector_b"]].values.tolist() == \
        [["energy_greentech", "ict"]]
    assert co_declared_links(toy_clusters).empty


def test_par011_a_bad_relatedness_row_names_row_and_field(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("sector_a,sector_b,basis,source\nict,robots,x,somewhere\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 2: sector_b 'robots'"):
        read_curated_links(path)


def test_par012_alps4eu_network_links_every_partner_to_the_lead():
    frame = pd.DataFrame({"id": ["p1", "p2", "p3"], "name": ["Lead", "B", "C"], "country": ["IT", "AT", "SI"],
                          "role": ["lead partner", "partner", "partner"], "lat": [45.0, 47.0, 46.0],
                          "lon": [7.7, 11.4, 14.5]})
    network = partner_network(frame)
    assert network[["a", "b"]].values.tolist() == [["p1", "p2"], ["p1", "p3"]]
    assert (network["distance_km"] > 0).all()


# --- the real register -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_space(joined_clusters, regions, join_polygons):
    clusters = prepare_clusters(joined_clusters, regions)
    related = relatedness_table(clusters)
    return clusters, build_space(clusters, touching_regions(join_polygons), related, period="2021-2027")


@pytest.mark.parametrize("cross_border", [True, False])
def test_par020_real_register_suggestions_keep_the_rules(real_space, cross_border):
    clusters, space = real_space
    families = merger_families(clusters)
    organisations = space.organisations.set_index("id")
    suggested = 0
    at_once = all_suggestions(space, cross_border=cross_border)
    for oid in organisations.index:
        table = suggest(space, oid, cross_border=cross_border)
        assert [candidate for candidate, _, _ in at_once[oid]] == table["id"].tolist()
        assert [reasons for _, _, reasons in at_once[oid]] == table["reasons"].tolist()
        suggested += len(table)
        assert oid not in set(table["id"])
        assert not (table["id"].map(families) == families[oid]).any(), f"{oid}: a predecessor or successor"
        if cross_border:
            assert (table["country"] != organisations.loc[oid, "country"]).all(), oid
        assert all(len(reasons) > 0 for reasons in table["reasons"]), oid
        assert table["score"].is_monotonic_decreasing
    assert suggested > len(organisations)


def test_par021_real_register_touching_regions_include_known_borders(join_polygons):
    pairs = touching_regions(join_polygons)
    known = {tuple(sorted(pair)) for pair in pairs[["nuts_a", "nuts_b"]].values.tolist()}
    # Tirol–Bolzano (AT333 Osttirol / AT332 Innsbruck touch ITH10) and Ticino–Como across the Swiss border.
    assert ("AT332", "ITH10") in known
    assert ("CH070", "ITC42") in known
    assert ("AT332", "ITC42") not in known


def test_par022_real_register_meta_clusters_span_two_countries(real_space):
    _, space = real_space
    for anchor in ("energy_greentech", "mechatronics_engineering", "chemistry_materials", "ict"):
        groups = meta_clusters(cooperation_arcs(space, anchor), anchor)
        assert all(len(countries) >= 2 for countries in groups["countries"])
        assert all(size >= partners.MIN_GROUP_MEMBERS for size in groups["size"])
