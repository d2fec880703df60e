"""Layout pieces of the partner explorer: lists, cards and tables built from ``partner_views`` results.

They render what they are given and read no data. Text from data (names, cities) is passed as component
children, which React renders as text, never as HTML.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.i18n import Translator
from dashboard.ids import Partners
from dashboard.partner_views import compare_link, partner_reason_text, peer_reason_text
from dashboard.partners_state import ExplorerState
from geodata.peers import MIN_SUPPORT
from geodata.sectors import SECTOR_BY_ID


def _sector(_: Translator, sector: str) -> html.Span:
    spec = SECTOR_BY_ID[sector]
    return html.Span([html.Span(spec.symbol, className="swatch", style={"color": spec.colour},
                                **{"aria-hidden": "true"}), _(f"sector.{sector}")], className="sector-option")


def relatedness_rows(table: pd.DataFrame, _: Translator) -> list[tuple[str, str, str]]:
    """The related-sector table (``meta_data.related_sectors``) as rows of words: sector, sector, evidence."""
    rows = []
    for link in table.itertuples(index=False):
        evidence = []
        for basis in link.basis.split(";"):
            if basis.startswith("alps4eu_theme:"):
                evidence.append(_("partners.basis.alps4eu_theme", theme=_(f"theme.{basis.split(':', 1)[1]}")))
            elif basis == "register":
                evidence.append(_("partners.basis.register", count=_.number(link.organisations)))
        rows.append((_(f"sector.{link.sector_a}"), _(f"sector.{link.sector_b}"), "; ".join(evidence)))
    return rows


def suggestion_summary(origin: pd.Series | None, table: pd.DataFrame, state: ExplorerState, _: Translator) -> str:
    if origin is None:
        return _("partners.none_chosen") if not state.organisation else _("partners.unknown")
    if table.empty:
        return _("partners.no_candidates", name=origin["name"])
    key = "partners.summary.same_country" if state.same_country else "partners.summary.cross_border"
    return _(key, count=_.number(len(table)), name=origin["name"])


def suggestion_items(origin: pd.Series | None, table: pd.DataFrame, names: pd.Series, state: ExplorerState,
                     _: Translator) -> list[html.Li]:
    """One list item per suggestion, in rank order (the numbers match the map labels); ``names`` are the region
    names the reasons quote (``partner_views.region_names``)."""
    if origin is None:
        return []
    items = []
    for row in table.itertuples(index=False):
        items.append(html.Li([
            html.Div([html.Strong(row.name), " · ", f"{row.city}, {_(f'country.{row.country}')}", " · ",
                      _sector(_, row.sector)], className="suggestion-head"),
            html.P(_("partners.score", score=_.number(row.score * 100)), className="score"),
            html.Ul([html.Li(partner_reason_text(reason, _, state.period, names)) for reason in row.reasons],
                    className="reasons", **{"aria-label": _("partners.reasons")}),
        ], className="suggestion"))
    return items


def cooperation_summary(arcs: pd.DataFrame, groups: pd.DataFrame, state: ExplorerState, _: Translator) -> str:
    if not state.sectors:
        return _("coop.no_sector")
    sectors = ", ".join(_(f"sector.{s}") for s in state.sectors)
    return _("coop.summary", arcs=_.number(len(arcs)), groups=_.number(len(groups)), sectors=sectors)


def group_cards(groups: pd.DataFrame, _: Translator) -> list[html.Article]:
    cards = []
    numbers = groups.groupby("anchor").cumcount() + 1 if len(groups) else []
    for number, group in zip(numbers, groups.itertuples(index=False)):
        cards.append(html.Article([
            html.H4(_("coop.group.title", number=number, sector=_(f"sector.{group.anchor}"))),
            html.P(_("coop.group.facts", size=_.number(group.size),
                     countries=", ".join(_(f"country.{c}") for c in group.countries),
                     same=_.number(group.same_sector_links), related=_.number(group.related_sector_links),
                     km=_.number(group.longest_km))),
            html.P([html.Span(_("coop.group.sectors") + " "),
                    *[item for s in group.sectors for item in (_sector(_, s), " ")]]),
            html.Details([html.Summary(_("coop.group.members", count=_.number(group.size))),
                          html.Ul([html.Li(name) for name in group.names])]),
        ], className="card group-card", **{"data-group": group.group}))
    return cards or [html.P(_("coop.groups.none"))]


def arc_table(arcs: pd.DataFrame, network: pd.DataFrame, state: ExplorerState, _: Translator) -> html.Table:
    """Every arc on the map as a row: the list alternative to the map."""
    header = html.Thead(html.Tr([html.Th(_(key), scope="col") for key in (
        "coop.arcs.layer", "coop.arcs.from", "coop.arcs.to", "coop.arcs.sectors", "coop.arcs.km")]))
    rows = [html.Tr([html.Td(_(f"sector.{arc.anchor}")),
                     html.Td(f"{arc.a_name} ({arc.a_country})"), html.Td(f"{arc.b_name} ({arc.b_country})"),
                     html.Td(_(f"sector.{arc.a_sector}") if arc.a_sector == arc.b_sector
                             else f"{_(f'sector.{arc.a_sector}')} ↔ {_(f'sector.{arc.b_sector}')}"),
                     html.Td(_.number(arc.distance_km), className="number")])
            for arc in arcs.itertuples(index=False)]
    if state.alps4eu:
        rows += [html.Tr([html.Td(_("coop.legend.network")), html.Td(f"{arc.a_name} ({arc.a_country})"),
                          html.Td(f"{arc.b_name} ({arc.b_country})"), html.Td(""),
                          html.Td(_.number(arc.distance_km), className="number")])
                 for arc in network.itertuples(index=False)]
    caption = html.Caption(_("coop.arcs.caption", count=_.number(len(rows))))
    return html.Table([caption, header, html.Tbody(rows)], className="data-table")


def peer_panel(status: str, table: pd.DataFrame, region: pd.Series | None, total: int, state: ExplorerState,
               _: Translator) -> list:
    """The peers of ``region`` (``partner_views.peer_view`` and ``peer_region``), or why there are none."""
    if status == "none":
        return [html.P(_("peers.none_chosen"), className="status")]
    if status == "unknown":
        return [html.P(_("peers.unknown"), className="status")]
    if status == "too_few":
        return [html.P(_("peers.too_few", minimum=MIN_SUPPORT), className="status")]
    if status == "no_candidates":
        return [html.P(_("peers.no_candidates"), className="status")]
    header = html.Thead(html.Tr([html.Th(_(key), scope="col") for key in (
        "peers.col.rank", "peers.col.region", "peers.col.organisations", "peers.col.typology", "peers.col.score",
        "peers.col.reasons")]))
    rows = []
    for row in table.itertuples(index=False):
        typology = f"{_('peers.mountain.yes' if row.mountain else 'peers.mountain.no')}, {_(f'peers.urban.{row.urban_type}')}"
        rows.append(html.Tr([
            html.Td(_("peers.rank", rank=row.rank, candidates=_.number(row.candidates),
                      overall=row.overall_rank, total=_.number(row.overall))),
            html.Td(f"{row.name} ({row.nuts_id})"),
            html.Td(f"{_.number(row.count)} · {_(f'peers.band.{row.size_band}')}"),
            html.Td(typology),
            html.Td(_.number(row.score * 100), className="number"),
            html.Td(html.Ul([html.Li(peer_reason_text(r, _, total)) for r in row.reasons], className="reasons")),
        ]))
    link = compare_link(state.region, table, state.level, state.lang)
    return [
        html.P(_("peers.summary", region=f"{region['name']} ({state.region})", count=_.number(region["count"]),
                 band=_(f"peers.band.{region['size_band']}"))),
        html.Table([html.Caption(_("peers.caption", region=region["name"])), header, html.Tbody(rows)],
                   className="data-table peers-table"),
        html.P(html.A(_("peers.compare"), href=link, className="button", id=Partners.COMPARE_LINK)),
    ]
