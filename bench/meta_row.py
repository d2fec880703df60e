"""Row 8: partner suggestions for every organisation and peer regions for every region, with their reasons.

``geodata.partners.all_suggestions`` (both modes: across borders and including the own country) and
``geodata.peers.all_peer_answers`` (NUTS 2 and NUTS 3) on the committed register, each the best of
``REPEATS`` runs, against the one-query-at-a-time path the JSON endpoints take (``suggest`` / ``find_peers`` for
each organisation or region in turn, one run). The target is the issue's: everything in under a second. The
one-off cost of building the pairwise arrays (touching NUTS 3 regions from the 1:3M polygons included) is
reported as its own line. The explorer's clicks are timed on the server against the map's filter change
(``bench/meta_clicks.py``, in a process of its own).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from bench.common import REPO
from bench.report import Measure
from geodata import io, settings
from geodata.neighbours import touching_regions
from geodata.partners import all_suggestions, build_space, suggest
from geodata.peers import all_peer_answers, build_peer_space, find_peers
from geodata.relatedness import relatedness_table
from geodata.selection import prepare_clusters

ROW = "8 partners & peers"
PERIOD = "2021-2027"
REPEATS = 3
TARGET_SECONDS = 1.0
CLICK_ROUNDS, QUICK_CLICK_ROUNDS = 40, 10


def _best(function, repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def measures(*, quick: bool = False) -> list[Measure]:
    repeats = 1 if quick else REPEATS
    regions = io.read_geoparquet(settings.REGIONS_PARQUET)
    clusters = prepare_clusters(io.read_joined_csv(settings.CLUSTERS_JOINED_CSV), regions)
    polygons = io.read_geoparquet(settings.JOIN_POLYGONS_PARQUET)
    table = regions.drop(columns="geometry")
    active = clusters[clusters["status"] == "active"]

    def build():
        space = build_space(clusters, touching_regions(polygons), relatedness_table(clusters), period=PERIOD)
        peers = {level: build_peer_space(active, table, level=level, period=PERIOD) for level in (2, 3)}
        return space, peers

    build_seconds, (space, peer_spaces) = _best(build, 1)
    ids = space.organisations["id"].tolist()

    def suggestions_at_once():
        return [all_suggestions(space, cross_border=mode) for mode in (True, False)]

    def suggestions_one_by_one():
        return [suggest(space, oid, cross_border=mode) for mode in (True, False) for oid in ids]

    def peers_at_once():
        return [all_peer_answers(peer_space) for peer_space in peer_spaces.values()]

    def peers_one_by_one():
        return [find_peers(peer_space, code) for peer_space in peer_spaces.values()
                for code in peer_space.regions["nuts_id"]]

    ours, answers = _best(suggestions_at_once, repeats)
    baseline, _ = _best(suggestions_one_by_one, 1)
    pairs = sum(len(candidates) for answer in answers for candidates in answer.values())
    peer_ours, peer_answers = _best(peers_at_once, repeats)
    peer_baseline, _ = _best(peers_one_by_one, 1)
    regions_count = sum(len(answer) for answer in peer_answers)
    peer_pairs = sum(len(peers) for answer in peer_answers for peers in answer.values())
    runs = f"best of {repeats}" if repeats > 1 else "1 run"
    rounds = QUICK_CLICK_ROUNDS if quick else CLICK_ROUNDS
    clicks = json.loads(subprocess.run([sys.executable, "-m", "bench.meta_clicks", str(rounds)], cwd=REPO, check=True,
                                       capture_output=True, text=True).stdout.strip().splitlines()[-1])
    return [
        Measure(ROW, f"suggestions + reasons, {len(ids)} organisations × 2 modes ({runs})", ours * 1000,
                baseline * 1000, "ms", target=f"< {TARGET_SECONDS:g} s", met=ours < TARGET_SECONDS,
                note=f"{pairs:,} suggestions; baseline: suggest() per organisation (the API path)"),
        Measure(ROW, f"peers + reasons, {regions_count} NUTS 2 and 3 regions ({runs})", peer_ours * 1000,
                peer_baseline * 1000, "ms", target=f"< {TARGET_SECONDS:g} s", met=peer_ours < TARGET_SECONDS,
                note=f"{peer_pairs:,} peers; baseline: find_peers() per region (the API path)"),
        Measure(ROW, "build pairwise arrays once (touching regions, distances, peers)", build_seconds * 1000, None,
                "ms", note="once per process, at the first partner or peer request"),
        Measure(ROW, f"explorer click, server time p50 ({rounds} clicks)", clicks["explorer_p50"] * 1000,
                clicks["map_p50"] * 1000, "ms", note="baseline: the map's filter change (row 1's requests)"),
        Measure(ROW, "explorer click, server time p95", clicks["explorer_p95"] * 1000, clicks["map_p95"] * 1000,
                "ms", target="≤ 1", met=clicks["explorer_p95"] <= clicks["map_p95"],
                note="half pick an organisation (map with arcs + reasons), half a region (peers)"),
    ]
