"""Peer regions: smoothing, Jensen–Shannon similarity, evidence weight, size window and typology on a hand-built
toy with answers worked out in the comments, and the rules on the real register."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geodata.peers import (MIN_SUPPORT, all_peer_answers, all_peers, build_peer_space, find_peers, js_similarity, region_typology,
                           smoothed_shares)
from geodata.selection import prepare_clusters


def toy_regions() -> pd.DataFrame:
    """Level-3 regions: AT111 and CH011 alike (mountain, rural), IT111 different (urban, not mountain), IT112 tiny
    (2 organisations), IT113 outside the programme area."""
    rows = [("AT111", "AT", 1, 3), ("CH011", "CH", 1, 3), ("IT111", "IT", 4, 1), ("IT112", "IT", 1, 3), ("IT113", "IT", 1, 3)]
    frame = pd.DataFrame([{"nuts_id": code, "name": code, "country": country,
                           "level": 3, "mount_type": mount, "urban_type": urban, "area_km2": 100.0,
                           "in_area_2021_2027": code != "IT113"} for code, country, mount, urban in rows])
    return frame


def toy_clusters() -> pd.DataFrame:
    sectors = {"AT111": ["ict", "ict", "energy_greentech", "energy_greentech"],
               "CH011": ["ict", "ict", "energy_greentech", "energy_greentech"],
               "IT111": ["agrifood", "agrifood", "agrifood", "agrifood", "agrifood", "agrifood", "agrifood", "ict"],
               "IT112": ["ict", "ict"],
               "IT113": ["ict", "ict", "energy_greentech", "energy_greentech"]}
    rows = [{"nuts3": code, "sector": s, "in_area_2021_2027": code != "IT113"} for code, items in sectors.items()
            for s in items]
    return pd.DataFrame(rows)


def test_peer001_jensen_shannon_similarity_by_hand():
    shares = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    similarity = js_similarity(shares)
    assert similarity[0, 0] == pytest.approx(1.0)
    assert similarity[0, 1] == pytest.approx(0.0)
    # p = (1, 0), q = (½, ½), m = (¾, ¼): KL(p‖m) = log2(4/3), KL(q‖m) = ½·log2(2/3) + ½·log2(2).
    jsd = (math.log2(4 / 3) + 0.5 * math.log2(2 / 3) + 0.5) / 2
    assert similarity[0, 2] == pytest.approx(1 - jsd)
    assert np.allclose(similarity, similarity.T)


def test_peer002_smoothing_pulls_small_regions_toward_the_alpine_mix():
    counts = np.array([[1.0, 0.0], [8.0, 0.0]])
    shares = smoothed_shares(counts, np.array([0.5, 0.5]), tau=4)
    # (1 + 4·½) / (1 + 4) = 0.6 and (8 + 2) / 12 = 0.8333…
    assert shares[:, 0].tolist() == pytest.approx([0.6, 10 / 12])


def test_peer003_identical_regions_score_by_hand():
    space = build_peer_space(toy_clusters(), toy_regions(), level=3, period="2021-2027")
    status, peers = find_peers(space, "AT111")
    assert status == "ok"
    assert peers["nuts_id"].tolist()[0] == "CH011"
    # Same mix → similarity 1; 4 and 4 organisations → N_eff = 4, w = 4/7; same size and typology.
    assert peers["score"].iloc[0] == pytest.approx(0.6 * 4 / 7 + 0.2 + 0.2)
    assert "AT111" not in set(peers["nuts_id"])
    assert "IT113" not in set(peers["nuts_id"])  # outside the programme area
    codes = [reason["code"] for reason in peers["reasons"].iloc[0]]
    assert codes == ["sector_mix", "size", "typology"]
    shared = [item["sector"] for item in peers["reasons"].iloc[0][0]["shared_sectors"]]
    # energy is in 2 of the 4 regions in the area, ict in all 4: the rarer one is named first.
    assert shared == ["energy_greentech", "ict"]


def test_peer004_too_few_organisations_to_compare():
    space = build_peer_space(toy_clusters(), toy_regions(), level=3, period="2021-2027")
    status, peers = find_peers(space, "IT112")
    assert status == "too_few" and peers.empty
    with pytest.raises(KeyError):
        find_peers(space, "IT113")


def test_peer005_cross_border_only():
    space = build_peer_space(toy_clusters(), toy_regions(), level=3, period="2021-2027")
    _, peers = find_peers(space, "IT111", cross_border=True)
    assert "IT" not in set(peers["country"])


def test_peer006_typology_of_nuts2_is_the_class_covering_most_area():
    regions = pd.DataFrame({"nuts_id": ["AB11", "AB111", "AB112", "AB113"], "level": [2, 3, 3, 3],
                            "mount_type": [0, 1, 4, 4], "urban_type": [0, 3, 1, 1],
                            "area_km2": [600.0, 400.0, 100.0, 100.0]})
    table = region_typology(regions)
    assert bool(table.loc["AB11", "mountain"]) is True      # 400 km² mountain vs 200 km² not
    assert int(table.loc["AB11", "urban_type"]) == 3


@pytest.fixture(scope="module")
def real_clusters(joined_clusters, regions):
    clusters = prepare_clusters(joined_clusters, regions)
    return clusters[clusters["status"] == "active"]


@pytest.mark.parametrize("level", [2, 3])
def test_peer020_real_regions_are_never_their_own_peer(real_clusters, regions, level):
    space = build_peer_space(real_clusters, regions, level=level, period="2021-2027")
    table = all_peers(space)
    own = np.arange(len(space.regions))[:, None]
    assert not (table == own).any()
    enough = space.regions["count"].to_numpy() >= MIN_SUPPORT
    assert (table[enough, 0] >= 0).all()        # every region with enough organisations has peers
    assert (table[~enough] == -1).all()
    answers = all_peer_answers(space)
    for code in space.regions.loc[enough, "nuts_id"]:
        status, peers = find_peers(space, code)
        assert [peer for peer, _, _ in answers[code]] == peers["nuts_id"].tolist()
        assert status == "ok" and code not in set(peers["nuts_id"])
        assert all(len(reasons) == 3 for reasons in peers["reasons"])
        assert peers["score"].is_monotonic_decreasing
