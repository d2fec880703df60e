"""Data assembly for the partner explorer and its JSON endpoints: between ``geodata`` results and what a page
or an API answer shows. Reasons stay data (codes and numbers) until :func:`partner_reason_text` and
:func:`peer_reason_text` put them into words in the reader's language. Like ``dashboard.views``, every function
that reads data takes the :class:`AtlasData` it reads as its first argument.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from dashboard import meta_data, slides
from dashboard.cooperation import static_cooperation_figure
from dashboard.data import AtlasData
from dashboard.i18n import Translator
from dashboard.partners_state import ExplorerState
from dashboard.state import MAX_COMPARED, QUERY_KEYS, ViewState, clicked_point
from geodata.partners import cooperation, partner_network, suggest
from geodata.peers import find_peers
from geodata.sectors import KEY_SECTOR_IDS

MAX_SHARED_SECTORS_NAMED = 3


def pickable_organisations(atlas: AtlasData, period: str) -> pd.DataFrame:
    """The organisations the explorer suggests partners for: its picker's list and the map's points."""
    return meta_data.partner_space(atlas, period).organisations


def organisation_options(atlas: AtlasData, _: Translator, period: str) -> list[dict]:
    organisations = pickable_organisations(atlas, period).sort_values(["name", "id"])
    return [{"label": f"{name} ({city}, {country}) · {_(f'sector.{sector}')}", "value": oid,
             "search": f"{name} {city} {oid}"}
            for oid, name, city, country, sector in zip(organisations["id"], organisations["name"],
                                                         organisations["city"], organisations["country"],
                                                         organisations["sector"])]


def region_options(atlas: AtlasData, _: Translator, level: int, period: str) -> list[dict]:
    regions = meta_data.peer_space(atlas, level, period).regions.sort_values(["country", "name"])
    return [{"label": f"{name} ({code}) · {_.number(count)} {_('peers.organisations_short')}", "value": code,
             "search": f"{name} {code}"}
            for code, name, count in zip(regions["nuts_id"], regions["name"], regions["count"])]


def partner_suggestions(atlas: AtlasData, state: ExplorerState) -> tuple[pd.Series | None, pd.DataFrame]:
    """(the chosen organisation, its suggestions); (None, empty) when none is chosen or the id is unknown."""
    space = meta_data.partner_space(atlas, state.period)
    try:
        table = suggest(space, state.organisation, cross_border=not state.same_country)
    except KeyError:
        return None, space.organisations.iloc[0:0]
    return space.organisations.iloc[space.position(state.organisation)], table


def chosen_on_map(atlas: AtlasData, state: ExplorerState, click: object) -> str | None:
    """The organisation a click on the partner map chose (the point's id), if it is one of them."""
    chosen = clicked_point(click).get("cluster")
    return chosen if chosen in set(pickable_organisations(atlas, state.period)["id"]) else None


def _region_label(code: str, names: pd.Series) -> str:
    return f"{names.get(code, code)} ({code})"


def region_names(atlas: AtlasData) -> pd.Series:
    """Region names by NUTS code, for the reasons that name regions (:func:`partner_reason_text`)."""
    return meta_data.region_names(atlas)


def partner_reason_text(reason: dict, _: Translator, period: str, names: pd.Series) -> str:
    """One reason in words; ``names`` are the region names by code (:func:`region_names`)."""
    code = reason["code"]
    if code == "same_sector":
        return _("partners.reason.same_sector", sector=_(f"sector.{reason['sector']}"))
    if code == "related_sector":
        evidence = []
        for basis in reason["basis"]:
            if basis.startswith("alps4eu_theme:"):
                evidence.append(_("partners.basis.alps4eu_theme", theme=_(f"theme.{basis.split(':', 1)[1]}")))
            elif basis == "register":
                evidence.append(_("partners.basis.register", count=_.number(reason["organisations"])))
        a, b = reason["sectors"]
        return _("partners.reason.related_sector", a=_(f"sector.{a}"), b=_(f"sector.{b}"),
                 evidence="; ".join(evidence))
    if code == "distance":
        return _("partners.reason.distance", km=_.number(reason["km"]))
    if code in ("neighbouring_regions", "same_region"):
        a, b = (_region_label(r, names) for r in reason["regions"])
        if code == "same_region":
            return _("partners.reason.same_region", region=a)
        key = "partners.reason.neighbours_across" if reason["cross_border"] else "partners.reason.neighbours"
        return _(key, a=a, b=b)
    if code == "same_mountain_typology":
        return _("partners.reason.both_mountain" if reason["mountain"] else "partners.reason.both_not_mountain")
    if code == "shared_secondary_sectors":
        return _("partners.reason.secondary", sectors=", ".join(_(f"sector.{s}") for s in reason["sectors"]))
    if code == "both_in_programme_area":
        return _("partners.reason.programme_area", period=_(f"period.{period}"))
    raise ValueError(f"no words for reason {code!r}")


def partner_records(table: pd.DataFrame) -> list[dict]:
    """Suggestions as JSON-ready dicts (ids, codes, numbers), best first."""
    return [{"rank": rank, "id": row["id"], "name": row["name"], "country": row["country"], "city": row["city"],
             "sector": row["sector"], "nuts3": row["nuts3"], "score": round(float(row["score"]), 4),
             "distance_km": round(float(row["distance_km"]), 1),
             "parts": {name: round(float(row[f"part_{name}"]), 4)
                       for name in ("sector", "distance", "border", "typology", "secondary")},
             "reasons": [{**reason, "contribution": round(reason["contribution"], 4)} for reason in row["reasons"]]}
            for rank, (_, row) in enumerate(table.iterrows(), start=1)]


def cooperation_view(atlas: AtlasData, state: ExplorerState) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(arcs, candidate meta-clusters) of the chosen anchor sectors."""
    return cooperation(meta_data.partner_space(atlas, state.period), state.sectors)


def alps4eu_layer(atlas: AtlasData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the 13 Alps4EU partners, the consortium network: each partner to the lead partner)."""
    partners = atlas.partners
    placed = partners[partners["lat"].notna() & partners["lon"].notna()]
    return placed, partner_network(placed)


def peer_view(atlas: AtlasData, state: ExplorerState) -> tuple[str, pd.DataFrame]:
    """("none" | "unknown" | status of find_peers, peers) for the chosen region."""
    if not state.region:
        return "none", pd.DataFrame()
    space = meta_data.peer_space(atlas, state.level, state.period)
    try:
        return find_peers(space, state.region, cross_border=state.peers_cross_border)
    except KeyError:
        return "unknown", pd.DataFrame()


def peer_region(atlas: AtlasData, state: ExplorerState) -> tuple[pd.Series | None, int]:
    """The chosen region's row of the peer space (None when none is chosen or the code is unknown), and how
    many regions of its level have organisations: what the peer table's summary and reasons say."""
    if not state.region:
        return None, 0
    space = meta_data.peer_space(atlas, state.level, state.period)
    total = int((space.regions["count"] > 0).sum())
    try:
        return space.regions.iloc[space.position(state.region)], total
    except KeyError:
        return None, total


def peer_reason_text(reason: dict, _: Translator, total_regions: int) -> str:
    code = reason["code"]
    if code == "sector_mix":
        shared = [_("peers.reason.shared_sector", sector=_(f"sector.{item['sector']}"),
                    count=_.number(item["regions_with_sector"]), total=_.number(total_regions))
                  for item in reason["shared_sectors"][:MAX_SHARED_SECTORS_NAMED]]
        text = _("peers.reason.mix", similarity=_.percent(reason["similarity"]),
                 evidence=_.number(reason["evidence"], 2))
        return text + (" " + _("peers.reason.shares", sectors="; ".join(shared)) if shared else "")
    if code == "size":
        a, b = reason["organisations"]
        band_a, band_b = (_(f"peers.band.{band}") for band in reason["size_bands"])
        return _("peers.reason.size", a=_.number(a), b=_.number(b), band_a=band_a, band_b=band_b)
    if code == "typology":
        mountain = [_("peers.mountain.yes" if m else "peers.mountain.no") for m in reason["mountain"]]
        urban = [_(f"peers.urban.{u}") for u in reason["urban_type"]]
        return _("peers.reason.typology", mountain_a=mountain[0], mountain_b=mountain[1],
                 urban_a=urban[0], urban_b=urban[1])
    raise ValueError(f"no words for reason {code!r}")


def peer_records(table: pd.DataFrame) -> list[dict]:
    return [{"rank": int(row["rank"]), "nuts_id": row["nuts_id"], "name": row["name"], "country": row["country"],
             "organisations": int(row["count"]), "size_band": row["size_band"], "mountain": bool(row["mountain"]),
             "urban_type": int(row["urban_type"]), "score": round(float(row["score"]), 4),
             "similarity": round(float(row["similarity"]), 4), "evidence_weight": round(float(row["evidence"]), 4),
             "rank_among_candidates": f"{int(row['rank'])}/{int(row['candidates'])}",
             "rank_overall": f"{int(row['overall_rank'])}/{int(row['overall'])}",
             "reasons": [{**reason, "contribution": round(reason["contribution"], 4)} for reason in row["reasons"]]}
            for _, row in table.iterrows()]


def compare_link(region: str, peers: pd.DataFrame, level: int, language: str) -> str:
    """The atlas page with the region and its peers in the comparison, at their NUTS level, opened at the
    comparison."""
    codes = [region, *peers["nuts_id"].tolist()][:MAX_COMPARED]
    query = {QUERY_KEYS["compare"]: ",".join(codes), QUERY_KEYS["level"]: str(level)}
    if language != "en":
        query[QUERY_KEYS["lang"]] = language
    return "/?" + urlencode(query, safe=",") + "#compare"


def export_query(state: ExplorerState) -> str:
    """The cooperation map's export URL query, in the atlas's view keys (``sector``, ``partners``, ``lang``),
    which every export shares; no sector means the four key sectors, the explorer's default."""
    return ViewState(sectors=state.sectors, partners=state.alps4eu, period=state.period, lang=state.lang).to_query()


def cooperation_slide(atlas: AtlasData, view: ViewState) -> go.Figure:
    """The cooperation map of an export request as a titled, captioned, attributed 1920×1080 slide."""
    state = ExplorerState(sectors=view.sectors or KEY_SECTOR_IDS, alps4eu=view.partners, period=view.period,
                          lang=view.lang)
    _ = Translator(state.lang)
    arcs, groups = cooperation_view(atlas, state)
    partners, network = alps4eu_layer(atlas)
    regions = atlas.regions
    countries = regions[(regions["level"] == 0) & regions["on_map"]]
    figure = static_cooperation_figure(arcs, partners, network, countries, show_partners=state.alps4eu, _=_)
    sectors = ", ".join(_(f"sector.{s}") for s in state.sectors)
    caption = _("coop.caption", sectors=sectors, arcs=_.number(len(arcs)), groups=_.number(len(groups)))
    return slides.as_slide(figure, title=_("coop.title"), caption=caption, _=_)
