"""Peer regions: the regions whose cluster mix is most like a region's, robust to small counts.

Method (the methods brief, after Navarro et al. 2014, Metroverse and Zhai & Lafferty):

* Candidates: regions of the same NUTS level in the programme area of the period, never the region itself,
  with organisations counted in the view; a size window [N/2, 2N] keeps like with like and is dropped when it
  would leave fewer than :data:`MIN_CANDIDATES` candidates. A region with fewer than :data:`MIN_SUPPORT`
  organisations gets no peers ("too few organisations to compare").
* Structure: sector shares smoothed toward the programme-area mix g, p̂ = (n + τ·g) / (N + τ) with τ = 4;
  similarity = 1 − JSD(p̂_r, p̂_s) with base-2 logarithms (so it lies in [0, 1]), times an evidence weight
  w = N_eff / (N_eff + 3), N_eff the harmonic mean of the two sizes, so two one-organisation regions can never
  look identical.
* Score = 0.6 · w · similarity + 0.2 · size + 0.2 · typology, with size = 1 − |ln(N_r / N_s)| / ln 4 (floored at
  0) and typology the share of the two typologies (mountain, urban–rural) the regions have in common.

Typology is Eurostat's NUTS 3 typology; a NUTS 2 region takes the class that covers most of its NUTS 3 area.
Size bands are the terciles of organisation counts among the regions compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.metrics import sector_counts
from geodata.nuts import in_area_column
from geodata.sectors import SECTOR_IDS
from geodata.selection import MOUNTAIN_CODES

SMOOTHING_TAU = 4.0
EVIDENCE_HALF = 3.0
MIN_SUPPORT = 3
MIN_CANDIDATES = 5
DEFAULT_LIMIT = 5
WEIGHTS = {"structure": 0.6, "size": 0.2, "typology": 0.2}
#: The tercile bands of organisation counts, smallest first.
SIZE_BANDS = ("small", "medium", "large")


@dataclass(frozen=True)
class PeerSpace:
    """One level's regions with their counts, typology and every pairwise score part."""

    regions: pd.DataFrame
    counts: np.ndarray
    similarity: np.ndarray
    evidence: np.ndarray
    size: np.ndarray
    typology: np.ndarray
    level: int
    #: Each region's row as a dict, read once: per-pair row access is the slow part of the reasons.
    records: tuple[dict, ...] = ()

    def position(self, nuts_id: str) -> int:
        matches = np.flatnonzero(self.regions["nuts_id"].to_numpy() == nuts_id)
        if not len(matches):
            raise KeyError(nuts_id)
        return int(matches[0])


def region_typology(regions: pd.DataFrame) -> pd.DataFrame:
    """``mountain`` (bool) and ``urban_type`` (1 urban, 2 intermediate, 3 rural) per NUTS 2 and 3 region."""
    nuts3 = regions[regions["level"] == 3][["nuts_id", "mount_type", "urban_type", "area_km2"]].copy()
    nuts3["mountain"] = nuts3["mount_type"].isin(MOUNTAIN_CODES)
    nuts3["parent"] = nuts3["nuts_id"].str[:4]

    def majority(column: str) -> pd.Series:
        areas = nuts3.groupby(["parent", column])["area_km2"].sum().reset_index()
        best = areas.sort_values(["parent", "area_km2", column], ascending=[True, False, True])
        return best.drop_duplicates("parent").set_index("parent")[column]

    level2 = pd.DataFrame({"mountain": majority("mountain"), "urban_type": majority("urban_type")})
    level3 = nuts3.set_index("nuts_id")[["mountain", "urban_type"]]
    table = pd.concat([level2.rename_axis("nuts_id"), level3])
    table["urban_type"] = table["urban_type"].astype(int)
    table["mountain"] = table["mountain"].astype(bool)
    return table


def smoothed_shares(counts: np.ndarray, background: np.ndarray, tau: float = SMOOTHING_TAU) -> np.ndarray:
    totals = counts.sum(axis=1, keepdims=True)
    return (counts + tau * background) / (totals + tau)


def js_similarity(shares: np.ndarray) -> np.ndarray:
    """1 − Jensen–Shannon divergence (base 2) between every pair of rows: 1 for identical mixes."""
    p, q = shares[:, None, :], shares[None, :, :]
    m = (p + q) / 2

    def kl(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(a > 0, a * np.log2(a / b), 0.0)
        return terms.sum(axis=2)

    divergence = (kl(p, m) + kl(q, m)) / 2
    return 1.0 - np.clip(divergence, 0.0, 1.0)


def build_peer_space(clusters: pd.DataFrame, regions: pd.DataFrame, *, level: int, period: str) -> PeerSpace:
    """Regions of ``level`` in the programme area of ``period`` with their pairwise score parts.

    ``clusters`` are the organisations to count (e.g. the active register, already filtered as the view is).
    """
    if level not in (2, 3):
        raise ValueError(f"peer regions are compared at NUTS 2 or 3, not {level!r}")
    area = in_area_column(period)
    at_level = regions[(regions["level"] == level) & regions[area]]
    inside = clusters[clusters[area]]
    counts = sector_counts(inside, level=level).reindex(at_level["nuts_id"], fill_value=0)
    typology = region_typology(regions).reindex(at_level["nuts_id"])
    table = pd.DataFrame({"nuts_id": at_level["nuts_id"].to_numpy(), "name": at_level["name"].to_numpy(),
                          "country": at_level["country"].to_numpy(),
                          "count": counts.sum(axis=1).to_numpy(),
                          "mountain": typology["mountain"].to_numpy(dtype=bool),
                          "urban_type": typology["urban_type"].to_numpy()})
    table["size_band"] = size_bands(table["count"])
    matrix = counts.to_numpy(dtype=float)
    totals = matrix.sum(axis=1)
    background = matrix.sum(axis=0) / matrix.sum() if matrix.sum() else np.full(len(SECTOR_IDS), 1 / len(SECTOR_IDS))
    similarity = js_similarity(smoothed_shares(matrix, background))
    with np.errstate(divide="ignore", invalid="ignore"):
        harmonic = np.where((totals[:, None] > 0) & (totals[None, :] > 0),
                            2 * totals[:, None] * totals[None, :] / (totals[:, None] + totals[None, :]), 0.0)
        ratio = np.abs(np.log(totals[:, None] / totals[None, :]))
    evidence = harmonic / (harmonic + EVIDENCE_HALF)
    size = np.clip(1 - np.nan_to_num(ratio, nan=np.inf, posinf=np.inf) / np.log(4), 0.0, 1.0)
    mountain = table["mountain"].to_numpy()
    urban = table["urban_type"].to_numpy()
    typology_match = ((mountain[:, None] == mountain[None, :]).astype(float)
                      + (urban[:, None] == urban[None, :]).astype(float)) / 2
    return PeerSpace(regions=table, counts=matrix, similarity=similarity, evidence=evidence, size=size,
                     typology=typology_match, level=level, records=tuple(table.to_dict(orient="records")))


def size_bands(counts: pd.Series) -> pd.Series:
    """:data:`SIZE_BANDS` by the terciles of the non-zero counts ('' for regions without organisations)."""
    present = counts[counts > 0]
    if present.empty:
        return pd.Series("", index=counts.index)
    low, high = present.quantile([1 / 3, 2 / 3]).to_numpy()
    small, medium, large = SIZE_BANDS
    bands = np.select([counts <= 0, counts <= low, counts <= high], ["", small, medium], large)
    return pd.Series(bands, index=counts.index)


def peer_scores(space: PeerSpace, rows: slice | list[int] = slice(None)) -> np.ndarray:
    """The score of ``rows`` (default all) against every region."""
    return (WEIGHTS["structure"] * space.evidence[rows] * space.similarity[rows] + WEIGHTS["size"] * space.size[rows]
            + WEIGHTS["typology"] * space.typology[rows])


def candidate_mask(space: PeerSpace, *, cross_border: bool = False,
                   rows: slice | list[int] = slice(None)) -> np.ndarray:
    """May the column region be a peer of the row region (size window widened when too narrow)?"""
    totals = space.regions["count"].to_numpy(dtype=float)
    own = totals[rows][:, None]
    positions = np.arange(len(totals))
    base = (totals[None, :] > 0) & (positions[rows][:, None] != positions[None, :]) & (own >= MIN_SUPPORT)
    if cross_border:
        countries = space.regions["country"].to_numpy(dtype=object)
        base &= countries[rows][:, None] != countries[None, :]
    window = base & (totals[None, :] >= own / 2) & (totals[None, :] <= own * 2)
    narrow = window.sum(axis=1) < MIN_CANDIDATES
    return np.where(narrow[:, None], base, window)


def find_peers(space: PeerSpace, nuts_id: str, *, limit: int = DEFAULT_LIMIT,
               cross_border: bool = False) -> tuple[str, pd.DataFrame]:
    """(status, peers) for one region: status "ok", "too_few" (fewer than MIN_SUPPORT organisations) or
    "no_candidates"; peers best first with score, parts, ranks and reasons as data. KeyError for a region
    that is not at this level in the programme area."""
    row = space.position(nuts_id)
    if space.regions["count"].iloc[row] < MIN_SUPPORT:
        return "too_few", space.regions.iloc[0:0].assign(score=[], reasons=[])
    scores = peer_scores(space, [row])[0]
    mask = candidate_mask(space, cross_border=cross_border, rows=[row])[0]
    candidates = np.flatnonzero(mask)
    if not len(candidates):
        return "no_candidates", space.regions.iloc[0:0].assign(score=[], reasons=[])
    codes = space.regions["nuts_id"].to_numpy()
    order = candidates[np.lexsort((codes[candidates], -scores[candidates]))]
    everyone = np.flatnonzero((space.regions["count"].to_numpy() > 0) & (np.arange(len(codes)) != row))
    overall = everyone[np.lexsort((codes[everyone], -scores[everyone]))]
    overall_rank = {int(position): rank for rank, position in enumerate(overall, start=1)}
    picked = order[:limit]
    columns = {name: space.regions[name].to_numpy()[picked] for name in space.regions.columns}
    columns.update({
        "score": scores[picked], "similarity": space.similarity[row, picked], "evidence": space.evidence[row, picked],
        "rank": np.arange(1, len(picked) + 1), "candidates": len(candidates),
        "overall_rank": [overall_rank[int(p)] for p in picked], "overall": len(overall),
        "reasons": [peer_reasons(space, row, int(p)) for p in picked],
    })
    return "ok", pd.DataFrame(columns)


def peer_reasons(space: PeerSpace, row: int, column: int) -> list[dict]:
    """Why a region is a peer, as data: mix similarity with the shared sectors (rarest first), sizes, typology."""
    counts = space.counts
    shared = np.flatnonzero((counts[row] > 0) & (counts[column] > 0))
    regions_with = (counts > 0).sum(axis=0)
    rarity = np.log(len(counts) / np.maximum(regions_with[shared], 1))
    shared_sorted = shared[np.lexsort((shared, -rarity))]
    me, other = space.records[row], space.records[column]
    reasons = [
        {"code": "sector_mix", "similarity": round(float(space.similarity[row, column]), 3),
         "evidence": round(float(space.evidence[row, column]), 3),
         "shared_sectors": [{"sector": SECTOR_IDS[k], "regions_with_sector": int(regions_with[k])} for k in shared_sorted],
         "contribution": float(WEIGHTS["structure"] * space.evidence[row, column] * space.similarity[row, column])},
        {"code": "size", "organisations": [int(me["count"]), int(other["count"])],
         "size_bands": [me["size_band"], other["size_band"]],
         "contribution": float(WEIGHTS["size"] * space.size[row, column])},
    ]
    typology = {"code": "typology", "same_mountain": bool(me["mountain"] == other["mountain"]),
                "mountain": [bool(me["mountain"]), bool(other["mountain"])],
                "same_urban_type": bool(me["urban_type"] == other["urban_type"]),
                "urban_type": [int(me["urban_type"]), int(other["urban_type"])],
                "contribution": float(WEIGHTS["typology"] * space.typology[row, column])}
    reasons.append(typology)
    return sorted(reasons, key=lambda reason: -reason["contribution"])


def all_peers(space: PeerSpace, *, limit: int = DEFAULT_LIMIT, cross_border: bool = False) -> np.ndarray:
    """Peer positions for every region at once (−1 where there are fewer), ties by code as in find_peers."""
    scores = np.where(candidate_mask(space, cross_border=cross_border), peer_scores(space), -np.inf)
    codes = space.regions["nuts_id"].to_numpy(dtype=object)
    by_code = np.argsort(codes, kind="stable")
    order = by_code[np.argsort(-scores[:, by_code], axis=1, kind="stable")][:, :limit]
    return np.where(np.isfinite(np.take_along_axis(scores, order, axis=1)), order, -1)


def all_peer_answers(space: PeerSpace, *, limit: int = DEFAULT_LIMIT,
                     cross_border: bool = False) -> dict[str, list[tuple[str, float, list[dict]]]]:
    """Every region's peers with score and reasons at once: code → [(peer code, score, reasons)], best first."""
    top = all_peers(space, limit=limit, cross_border=cross_border)
    scores = peer_scores(space)
    codes = space.regions["nuts_id"].to_numpy(dtype=object)
    return {codes[row]: [(codes[column], float(scores[row, column]), peer_reasons(space, row, int(column)))
                         for column in picked if column >= 0] for row, picked in enumerate(top)}
