"""Partner suggestions and candidate meta-clusters: who could work with whom, and why.

Every active organisation is compared with every other in one set of N × N arrays (a few hundred
organisations, so a few hundred thousand pairs: milliseconds). The score is a weighted sum of parts a reader can
check, and each part is reported as a reason with its contribution:

===========================  ======  =================================================================
part                         weight  value
===========================  ======  =================================================================
sector fit ``S``              0.45   1 for the same primary sector, 0.6 for a related one (relatedness.py)
nearness ``G``                0.25   exp(−d / 100 km), d the straight-line distance in EPSG:3035
neighbouring regions ``B``    0.15   1 when the two NUTS 3 regions touch (or are the same region)
mountain typology ``T``       0.10   1 when both NUTS 3 regions are mountain regions, or both are not
secondary sectors ``C``       0.05   share of the smaller secondary-sector list the two have in common
===========================  ======  =================================================================

The weights follow the methods brief (sector 0.50, distance 0.25, border 0.15, typology 0.10), with 0.05 of the
sector weight moved to secondary sectors in common. Whether both lie in the current programme area is reported
as a reason but not scored: it is a fact about eligibility, not about fit. Gates before any score: the candidate
is active, is not the organisation itself nor in its merger chain (predecessors and successors), has a sector fit
above zero ("other" is no sector to share), and lies in another country unless the same country is asked for. Ties are broken by id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer

from geodata.neighbours import touching_matrix
from geodata.relatedness import NOT_RELATABLE, related_matrix, secondary_lists
from geodata.sectors import SECTOR_IDS
from geodata.selection import MOUNTAIN_CODES
from geodata.settings import DISPLAY_CRS, EQUAL_AREA_CRS

WEIGHTS = {"sector": 0.45, "distance": 0.25, "border": 0.15, "typology": 0.10, "secondary": 0.05}
RELATED_FIT = 0.6
DISTANCE_SCALE_KM = 100.0
DEFAULT_LIMIT = 10
#: Meta-cluster graphs link cross-border pairs this close, or whose NUTS 3 regions touch. The methods brief
#: suggests 150 km; on this register single linkage then chains a sector's organisations from the Rhône to
#: Bavaria into one group, so the atlas uses 100 km, about a day trip across an Alpine border.
ARC_MAX_KM = 100.0
#: A candidate meta-cluster: at least this many organisations, in at least two countries.
MIN_GROUP_MEMBERS = 3


@dataclass(frozen=True)
class PartnerSpace:
    """Everything pairwise about the active organisations, computed once per register."""

    organisations: pd.DataFrame
    distance_km: np.ndarray
    fit: np.ndarray
    touching: np.ndarray
    same_typology: np.ndarray
    secondary_common: np.ndarray
    blocked: np.ndarray
    related: pd.DataFrame
    #: The organisations' columns as NumPy arrays, read once: per-query column access is the slow part.
    columns: dict[str, np.ndarray]
    #: (sector, sector) → the relatedness link's fields, both orders.
    links: dict[tuple[str, str], dict]

    def position(self, organisation_id: str) -> int:
        matches = np.flatnonzero(self.columns["id"] == organisation_id)
        if not len(matches):
            raise KeyError(organisation_id)
        return int(matches[0])


def merger_families(clusters: pd.DataFrame) -> pd.Series:
    """A family label per organisation id: organisations joined by ``successor`` links share one."""
    ids = clusters["id"].to_numpy(dtype=object)
    successor = clusters["successor"].fillna("").to_numpy(dtype=object)
    linked = (successor != "") & np.isin(successor, ids)
    return connected_groups(ids, ids[linked], successor[linked])


def projected_km(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points in EPSG:3035, in kilometres."""
    transformer = Transformer.from_crs(DISPLAY_CRS, EQUAL_AREA_CRS, always_xy=True)
    x, y = transformer.transform(lon, lat)
    return np.asarray(x) / 1000.0, np.asarray(y) / 1000.0


def build_space(clusters: pd.DataFrame, touching_pairs: pd.DataFrame, related: pd.DataFrame,
                *, period: str) -> PartnerSpace:
    """The pairwise arrays over the active, placed organisations of ``clusters`` (the whole register).

    ``clusters`` needs id, name, country, sector, secondary_sectors, status, successor, lat, lon, nuts3,
    mount_type and ``in_area_<period>``; ``touching_pairs`` comes from :func:`geodata.neighbours.touching_regions`.
    """
    family = merger_families(clusters)
    active = clusters[(clusters["status"] == "active") & clusters["lat"].notna() & clusters["lon"].notna()]
    active = active.sort_values("id", ignore_index=True)
    in_area = "in_area_" + period.replace("-", "_")
    organisations = pd.DataFrame({
        "id": active["id"], "name": active["name"], "country": active["country"], "city": active["city"],
        "sector": active["sector"], "secondary": secondary_lists(active["secondary_sectors"]),
        "nuts3": active["nuts3"].fillna(""), "lat": active["lat"].astype(float), "lon": active["lon"].astype(float),
        "mountain": active["mount_type"].isin(MOUNTAIN_CODES).to_numpy(),
        "in_area": active[in_area].astype(bool).to_numpy(),
        "family": active["id"].map(family).to_numpy(),
    })
    x, y = projected_km(organisations["lon"].to_numpy(), organisations["lat"].to_numpy())
    distance = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])

    sector_index = pd.Index(SECTOR_IDS).get_indexer(organisations["sector"])
    same = sector_index[:, None] == sector_index[None, :]
    related_pairs = related_matrix(related)[np.ix_(sector_index, sector_index)]
    relatable = ~organisations["sector"].isin(NOT_RELATABLE).to_numpy()
    fit = np.where(same, 1.0, np.where(related_pairs, RELATED_FIT, 0.0)) * relatable[:, None] * relatable[None, :]

    codes = organisations["nuts3"].to_numpy(dtype=object)
    placed = codes != ""
    touching = (touching_matrix(touching_pairs, codes) | (codes[:, None] == codes[None, :])) \
        & placed[:, None] & placed[None, :]
    mountain = organisations["mountain"].to_numpy()
    same_typology = (mountain[:, None] == mountain[None, :]) & placed[:, None] & placed[None, :]

    secondary = np.zeros((len(organisations), len(SECTOR_IDS)), dtype=np.int8)
    rows = organisations["secondary"].explode().dropna()
    secondary[rows.index.to_numpy(), pd.Index(SECTOR_IDS).get_indexer(rows.to_numpy())] = 1
    common = secondary.astype(np.int16) @ secondary.T.astype(np.int16)
    sizes = secondary.sum(axis=1)
    smaller = np.minimum(sizes[:, None], sizes[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        secondary_common = np.where(smaller > 0, common / smaller, 0.0)

    families = organisations["family"].to_numpy()
    blocked = families[:, None] == families[None, :]
    columns = {name: values.to_numpy() if values.dtype.kind in "biuf" else values.to_numpy(dtype=object)
               for name, values in organisations.items()}
    return PartnerSpace(organisations=organisations, distance_km=distance, fit=fit, touching=touching,
                        same_typology=same_typology, secondary_common=secondary_common, blocked=blocked,
                        related=related, columns=columns, links=link_lookup(related))


def score_parts(space: PartnerSpace, rows: slice | int = slice(None)) -> dict[str, np.ndarray]:
    """Each weighted part of the score for ``rows`` (default all: N × N), already multiplied by its weight."""
    return {
        "sector": WEIGHTS["sector"] * space.fit[rows],
        "distance": WEIGHTS["distance"] * np.exp(-space.distance_km[rows] / DISTANCE_SCALE_KM),
        "border": WEIGHTS["border"] * space.touching[rows],
        "typology": WEIGHTS["typology"] * space.same_typology[rows],
        "secondary": WEIGHTS["secondary"] * space.secondary_common[rows],
    }


def eligible(space: PartnerSpace, *, cross_border: bool, rows: slice | int = slice(None)) -> np.ndarray:
    """May the column organisation be suggested to the row organisation? (``rows`` of the N × N answer.)"""
    allowed = (space.fit[rows] > 0) & ~space.blocked[rows]
    if cross_border:
        countries = space.columns["country"]
        allowed &= countries[rows, None] != countries[None, :] if isinstance(rows, slice) \
            else countries[rows] != countries
    return allowed


def score_matrix(space: PartnerSpace, *, cross_border: bool) -> np.ndarray:
    """The score of every pair, −inf where a pair is not eligible."""
    total = sum(score_parts(space).values())
    return np.where(eligible(space, cross_border=cross_border), total, -np.inf)


def top_candidates(scores: np.ndarray, limit: int) -> np.ndarray:
    """Per row, the column positions of the ``limit`` best scores, best first, ties by position (= id order)."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :limit]
    picked = np.take_along_axis(scores, order, axis=1)
    return np.where(np.isfinite(picked), order, -1)


def suggest(space: PartnerSpace, organisation_id: str, *, cross_border: bool = True,
            limit: int = DEFAULT_LIMIT) -> pd.DataFrame:
    """The best candidates for one organisation, best first, each with its score parts and reasons.

    Raises KeyError for an id that is not an active, placed organisation.
    """
    row = space.position(organisation_id)
    parts = score_parts(space, row)
    allowed = eligible(space, cross_border=cross_border, rows=row)
    total = sum(parts.values())
    ids = space.columns["id"]
    candidates = np.flatnonzero(allowed)
    order = candidates[np.lexsort((ids[candidates], -total[candidates]))][:limit]
    columns = {name: values[order] for name, values in space.columns.items()}
    columns["score"] = total[order]
    columns.update({f"part_{name}": values[order] for name, values in parts.items()})
    columns["distance_km"] = space.distance_km[row, order]
    columns["reasons"] = [pair_reasons(space, row, int(column), parts) for column in order]
    return pd.DataFrame(columns)


def pair_reasons(space: PartnerSpace, row: int, column: int, parts: dict[str, np.ndarray]) -> list[dict]:
    """The reasons for one pair as data (codes, ids, numbers), in order of their contribution to the score.

    ``parts`` are the row's weighted score parts (:func:`score_parts` of ``row``).
    """
    sector, country, nuts3, secondary, mountain, in_area = (
        space.columns[name] for name in ("sector", "country", "nuts3", "secondary", "mountain", "in_area"))
    reasons = []
    if sector[row] == sector[column]:
        reasons.append({"code": "same_sector", "sector": sector[row]})
    else:
        link = space.links[(sector[row], sector[column])]
        reasons.append({"code": "related_sector", "sectors": [sector[row], sector[column]],
                        "basis": link["basis"].split(";"), "organisations": int(link["organisations"]),
                        "source": link["source"]})
    reasons[0]["contribution"] = float(parts["sector"][column])
    reasons.append({"code": "distance", "km": round(float(space.distance_km[row, column]), 1),
                    "contribution": float(parts["distance"][column])})
    if space.touching[row, column]:
        reasons.append({"code": "same_region" if nuts3[row] == nuts3[column] else "neighbouring_regions",
                        "regions": [nuts3[row], nuts3[column]], "cross_border": bool(country[row] != country[column]),
                        "contribution": float(parts["border"][column])})
    if space.same_typology[row, column]:
        reasons.append({"code": "same_mountain_typology", "mountain": bool(mountain[row]),
                        "contribution": float(parts["typology"][column])})
    shared = sorted(set(secondary[row]) & set(secondary[column]), key=SECTOR_IDS.index)
    if shared:
        reasons.append({"code": "shared_secondary_sectors", "sectors": shared,
                        "contribution": float(parts["secondary"][column])})
    if in_area[row] and in_area[column]:
        reasons.append({"code": "both_in_programme_area", "contribution": 0.0})
    return sorted(reasons, key=lambda reason: -reason["contribution"])


def link_lookup(related: pd.DataFrame) -> dict[tuple[str, str], dict]:
    links = {}
    for link in related.to_dict(orient="records"):
        links[(link["sector_a"], link["sector_b"])] = links[(link["sector_b"], link["sector_a"])] = link
    return links


def all_suggestions(space: PartnerSpace, *, cross_border: bool = True,
                    limit: int = DEFAULT_LIMIT) -> dict[str, list[tuple[str, float, list[dict]]]]:
    """Every organisation's suggestions at once: id → [(candidate id, score, reasons)], best first.

    One score matrix for all rows; the same ranking and reasons as :func:`suggest` (the benchmark's path).
    """
    total = sum(score_parts(space).values())
    scores = np.where(eligible(space, cross_border=cross_border), total, -np.inf)
    top = top_candidates(scores, limit)
    parts = score_parts(space)
    ids = space.columns["id"]
    answer = {}
    for row, picked in enumerate(top):
        row_parts = {name: values[row] for name, values in parts.items()}
        answer[ids[row]] = [(ids[column], float(scores[row, column]), pair_reasons(space, row, int(column), row_parts))
                            for column in picked if column >= 0]
    return answer


def cooperation_arcs(space: PartnerSpace, anchor: str, *, max_km: float = ARC_MAX_KM) -> pd.DataFrame:
    """The cross-border pairs of one anchor sector's graph, one row per pair (``a`` < ``b`` by id).

    Nodes are organisations of the anchor sector or a sector related to it; an arc joins two of them when at
    least one is in the anchor sector, they would be suggested to each other across the border, and they lie
    within ``max_km`` or in touching NUTS 3 regions. Anchoring each graph to one sector keeps single linkage
    from chaining everything into one giant group, and gives every group a label (methods brief).
    """
    organisations = space.organisations
    sectors = organisations["sector"].to_numpy(dtype=object)
    in_anchor = sectors == anchor
    allowed = eligible(space, cross_border=True) & (in_anchor[:, None] | in_anchor[None, :])
    allowed &= (space.distance_km <= max_km) | space.touching
    allowed &= np.triu(np.ones_like(allowed), k=1).astype(bool)
    a, b = np.nonzero(allowed)
    total = sum(score_parts(space).values())
    ids, names, countries = (organisations[c].to_numpy(dtype=object) for c in ("id", "name", "country"))
    lat, lon = organisations["lat"].to_numpy(), organisations["lon"].to_numpy()
    arcs = pd.DataFrame({
        "anchor": anchor, "a": ids[a], "b": ids[b], "a_name": names[a], "b_name": names[b],
        "a_country": countries[a], "b_country": countries[b], "a_sector": sectors[a], "b_sector": sectors[b],
        "a_lat": lat[a], "a_lon": lon[a], "b_lat": lat[b], "b_lon": lon[b],
        "distance_km": space.distance_km[a, b], "touching": space.touching[a, b],
        "same_sector": space.fit[a, b] == 1.0, "score": total[a, b],
    })
    return arcs.sort_values(["score", "a", "b"], ascending=[False, True, True], ignore_index=True)


def cooperation(space: PartnerSpace, anchors: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Arcs and candidate meta-clusters for each anchor sector, stacked (a pair or an organisation may appear
    under two anchors; the ``anchor`` column says which graph each row belongs to)."""
    arcs = [cooperation_arcs(space, anchor) for anchor in anchors]
    groups = [meta_clusters(frame, anchor) for frame, anchor in zip(arcs, anchors)]
    arc_table = pd.concat(arcs, ignore_index=True) if arcs else cooperation_arcs(space, "")
    group_table = pd.concat([g for g in groups if not g.empty], ignore_index=True) if any(
        not g.empty for g in groups) else meta_clusters(arc_table.iloc[0:0], "")
    return arc_table, group_table


def connected_groups(nodes: np.ndarray, a: np.ndarray, b: np.ndarray) -> pd.Series:
    """A component label (the smallest member position) for each of ``nodes``, given edges ``a``–``b``."""
    position = pd.Index(nodes)
    labels = np.arange(len(nodes))
    left, right = position.get_indexer(a), position.get_indexer(b)
    while len(left):
        before = labels.copy()
        merged = np.minimum(labels[left], labels[right])
        np.minimum.at(labels, left, merged)
        np.minimum.at(labels, right, merged)
        labels = labels[labels]
        if np.array_equal(before, labels):
            break
    return pd.Series(labels, index=position)


def meta_clusters(arcs: pd.DataFrame, anchor: str, *, min_members: int = MIN_GROUP_MEMBERS) -> pd.DataFrame:
    """Connected groups of the arcs with at least ``min_members`` organisations in at least two countries.

    One row per group, largest first: a stable ``group`` id (anchor + hash of the sorted member ids), member
    ids and names, countries, sectors, the number of same- and related-sector links and the longest link.
    """
    columns = ["group", "anchor", "members", "names", "countries", "sectors", "size", "same_sector_links",
               "related_sector_links", "longest_km"]
    if arcs.empty:
        return pd.DataFrame(columns=columns)
    ends = pd.concat([arcs[["a", "a_name", "a_country", "a_sector"]].set_axis(["id", "name", "country", "sector"], axis=1),
                      arcs[["b", "b_name", "b_country", "b_sector"]].set_axis(["id", "name", "country", "sector"], axis=1)])
    nodes = ends.drop_duplicates("id").sort_values("id", ignore_index=True)
    labels = connected_groups(nodes["id"].to_numpy(), arcs["a"].to_numpy(), arcs["b"].to_numpy())
    nodes["label"] = labels.to_numpy()
    arc_label = labels.reindex(arcs["a"]).to_numpy()
    rows = []
    for label, members in nodes.groupby("label"):
        countries = sorted(members["country"].unique())
        if len(members) < min_members or len(countries) < 2:
            continue
        links = arcs[arc_label == label]
        ids = sorted(members["id"])
        digest = hashlib.blake2b(",".join(ids).encode("utf-8"), digest_size=4).hexdigest()
        rows.append({
            "group": f"{anchor}-{digest}", "anchor": anchor, "members": ids,
            "names": members.sort_values("id")["name"].tolist(), "countries": countries,
            "sectors": [s for s in SECTOR_IDS if s in set(members["sector"])], "size": len(ids),
            "same_sector_links": int(links["same_sector"].sum()),
            "related_sector_links": int((~links["same_sector"]).sum()),
            "longest_km": float(links["distance_km"].max()),
        })
    groups = pd.DataFrame(rows, columns=columns)
    return groups.sort_values(["size", "group"], ascending=[False, True], ignore_index=True)


def partner_network(partners: pd.DataFrame) -> pd.DataFrame:
    """The Alps4EU consortium as a network: each partner linked to the lead partner, as the project was run.

    ``partners`` needs id, name, country, role, lat, lon. No lead partner, no links.
    """
    lead = partners[partners["role"] == "lead partner"]
    if lead.empty:
        return pd.DataFrame(columns=["a", "b", "a_name", "b_name", "a_country", "b_country", "a_lat", "a_lon",
                                     "b_lat", "b_lon", "distance_km"])
    hub = lead.iloc[0]
    others = partners[partners["id"] != hub["id"]]
    x, y = projected_km(np.append(others["lon"].to_numpy(float), hub["lon"]),
                        np.append(others["lat"].to_numpy(float), hub["lat"]))
    return pd.DataFrame({
        "a": hub["id"], "b": others["id"].to_numpy(), "a_name": hub["name"], "b_name": others["name"].to_numpy(),
        "a_country": hub["country"], "b_country": others["country"].to_numpy(),
        "a_lat": float(hub["lat"]), "a_lon": float(hub["lon"]), "b_lat": others["lat"].to_numpy(float),
        "b_lon": others["lon"].to_numpy(float), "distance_km": np.hypot(x[:-1] - x[-1], y[:-1] - y[-1]),
    })
