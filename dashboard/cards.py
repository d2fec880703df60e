"""Cards and captions built from view data: the summary line, the region card and the cluster card.

They render what ``dashboard.views`` assembled and read no data themselves. Every value from data is a text
child; links are written only for http(s) URLs and open with ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

from babel.dates import format_date
from dash import html

from dashboard import presenting
from dashboard.config import CONFIG, Config
from dashboard.i18n import Translator
from dashboard.ids import Atlas
from dashboard.state import ViewState
from dashboard.story import PresentedStep
from dashboard.views import export_filename
from geodata.metrics import MIN_CLUSTERS_FOR_LQ
from geodata.sectors import SECTOR_BY_ID


def _t(language: str) -> Translator:
    return Translator(language)


def safe_link(url: str | None, text: str | None = None) -> html.A | str:
    if not url or not str(url).lower().startswith(("https://", "http://")):
        return ""
    return html.A(text or url, href=url, target="_blank", rel="noopener noreferrer", className="external")


def summary(state: ViewState, counts: dict[str, int], language: str) -> list:
    _ = _t(language)
    parts = [html.Strong(_.plural("summary.clusters", counts["clusters"])), " · ",
             _("summary.in_area", count=_.number(counts["in_area"]), period=_(f"period.{state.period}"))]
    if counts["outside"]:
        parts += [" · ", _("summary.outside", count=_.number(counts["outside"]))]
    parts += [" · ", _.plural("summary.regions", counts["regions"], level=_(f"level.{state.level}"))]
    if state.metric in ("lq", "share") and not state.sectors:
        parts += [html.Br(), html.Span(_("summary.pick_sector"), className="hint")]
    return parts


def _sector_label(sector_id: str, _) -> html.Span:
    sector = SECTOR_BY_ID[sector_id]
    return html.Span([html.Span(sector.symbol, className="swatch", style={"color": sector.colour},
                                **{"aria-hidden": "true"}), _(f"sector.{sector_id}")], className="sector-label")


def region_figures(details: dict, _) -> list[tuple[str, object]]:
    """Count, density, share and specialisation of the region, as on the map; share and specialisation only
    mean something for chosen sectors, and specialisation needs enough organisations (the small-number rule)."""
    values = details.get("metrics") or {}
    if not details["in_area"] or values.get("count") is None:
        return [(_("metric.count.short"), _("card.region.outside_area"))]
    facts: list[tuple[str, object]] = [
        (_("metric.count.short"), _.number(values["count"])),
        (_("metric.density.short"), _.number(values["density"], 1) if values.get("density") is not None
         else _("value.none")),
    ]
    if not details.get("sectors_chosen"):
        facts.append((_("metric.share.short") + " · " + _("metric.lq.short"),
                      html.Span(_("card.region.pick_sector"), className="muted")))
        return facts
    facts.append((_("metric.share.short"), _.percent(values["share"]) if values.get("share") is not None
                  else _("value.none")))
    if values.get("lq") is None or not values.get("count_all_sectors"):
        facts.append((_("metric.lq.short"), _("value.none")))
    elif values.get("lq_reliable"):
        facts.append((_("metric.lq.short"), _.number(values["lq"], 2)))
    else:
        facts.append((_("metric.lq.short"), html.Span(
            [_.number(values["lq"], 2), " ", html.Span(_("map.hover.too_few", minimum=MIN_CLUSTERS_FOR_LQ),
                                                      className="hint")])))
    return facts


def correction_href(kind: str, identifier: str, state: ViewState, config: Config = CONFIG) -> str | None:
    """A prefilled "new issue" URL or ``mailto:`` link naming the record and the view; None when none is set.

    The subject carries the organisation or region id and the view's query string, so whoever reads the
    message can open exactly what the reader saw.
    """
    view = state.to_query(without=presenting.PRESENTATION_KEYS) or "/"
    subject = f"Correction: {kind} {identifier} (view {view})"
    public = config.public_url.rstrip("/")
    body = (f"Record: {kind} {identifier}\nView: {public}/{view.lstrip('/')}\n\n"
            "What is wrong, and where can we check the right value (a link to a public page)?\n")
    if config.corrections_url.lower().startswith(("https://", "http://")):
        joiner = "&" if "?" in config.corrections_url else "?"
        return config.corrections_url + joiner + urlencode({"title": subject, "body": body}, quote_via=quote)
    if "@" in config.corrections_email:
        return f"mailto:{quote(config.corrections_email, safe='@')}?" + urlencode(
            {"subject": subject, "body": body}, quote_via=quote)
    return None


def _correction_link(href: str | None, _) -> html.P | None:
    if not href:
        return None
    external = {} if href.startswith("mailto:") else {"target": "_blank", "rel": "noopener noreferrer"}
    return html.P(html.A(_("card.correction"), href=href, className="correction-link", **external),
                  className="card-correction")


def checked_date(value: object, language: str) -> str:
    """An ISO date from the register in the reader's language, or "" when the row has none."""
    try:
        return format_date(date.fromisoformat(str(value)), format="long", locale=language)
    except ValueError:
        return ""


def region_card(details: dict | None, language: str, view: ViewState | None = None) -> html.Article | None:
    if not details:
        return None
    _ = _t(language)
    facts = [
        *region_figures(details, _),
        (_("card.region.country"), _.country(details["country"])),
        (_("card.region.level"), _(f"level.{details['level']}")),
        (_("card.region.area"), _("card.region.area_value", area=_.number(details["area_km2"]))),
        (_("card.region.programme_area"), _("card.yes") if details["in_area"] else _("card.no")),
    ]
    if details["level"] == 3:
        facts.append((_("card.region.mountain"), _(f"mountain_type.{details['mount_type']}")))
    by_sector = [html.Li([_sector_label(sector, _), f": {_.number(count)}"])
                 for sector, count in details["by_sector"].items()]
    clusters = [html.Li([html.Span(c["name"]), html.Span(f" · {c['city']}", className="muted")])
                for c in details["clusters"]]
    title = f"{details['name']} ({details['nuts_id']})"
    return html.Article(
        [
            html.H3(title),
            html.Dl([item for label, value in facts for item in (html.Dt(label), html.Dd(value))], className="facts"),
            html.H4(_.plural("card.region.by_sector", len(details["clusters"]))),
            html.Ul(by_sector, className="sector-counts") if by_sector else html.P(_("card.region.none")),
            html.Details([html.Summary(_("card.region.clusters")), html.Ul(clusters, className="cluster-list")])
            if clusters else None,
            _correction_link(correction_href("region", details["nuts_id"], view) if view else None, _),
        ],
        className="card", **{"aria-label": _("card.region.label", name=title)},
    )


def cluster_card(details: dict | None, language: str, view: ViewState | None = None) -> html.Article | None:
    if not details:
        return None
    _ = _t(language)
    facts = [
        (_("card.cluster.sector"), _sector_label(details["sector"], _)),
        (_("card.cluster.city"), f"{details['city']} ({_('country.' + details['country'])})"),
        (_("card.cluster.region"), details.get("nuts3_label") or details.get("nuts3") or ""),
        (_("card.cluster.type"), _(f"org_kind.{details['org_type']}")),
        (_("card.cluster.status"), _(f"status.{details['status']}")),
    ]
    if details.get("founded"):
        facts.append((_("card.cluster.founded"), str(int(details["founded"]))))
    if details.get("secondary_sectors"):
        facts.append((_("card.cluster.secondary"),
                      ", ".join(_(f"sector.{s}") for s in str(details["secondary_sectors"]).split(";") if s)))
    if details.get("themes"):
        facts.append((_("card.cluster.themes"), str(details["themes"]).replace(";", ", ")))
    if details.get("successor"):
        facts.append((_("card.cluster.successor"), str(details.get("successor_name") or details["successor"])))
    if details.get("website"):
        facts.append((_("card.cluster.website"), safe_link(details["website"])))
    facts.append((_("card.cluster.source"), safe_link(details.get("source_url"), _("card.cluster.source_link"))))
    checked = checked_date(details.get("last_verified"), language)
    if checked:
        facts.append((_("card.cluster.last_verified"), checked))
    notes = []
    if details.get("description"):
        notes.append(html.P(str(details["description"]), className="card-description", lang="en"))
    if details.get("city_confidence") == "weak":
        notes.append(html.P([html.Strong(_("card.cluster.weak_label"), className="weak-flag"), " ",
                             _("card.cluster.weak_city")], className="hint"))
    if details.get("coordinate_source") == "geonames":
        notes.append(html.P(_("card.cluster.geocoded"), className="muted small"))
    title = details["name"] + (f" ({details['acronym']})" if details.get("acronym") else "")
    return html.Article(
        [html.H3(title),
         html.Dl([item for label, value in facts for item in (html.Dt(label), html.Dd(value))], className="facts"),
         *notes,
         _correction_link(correction_href("organisation", details["id"], view) if view else None, _)],
        className="card", **{"aria-label": _("card.cluster.label", name=details["name"])},
    )


def presentation_text(state: ViewState, step: PresentedStep | None, base_url: str, language: str) -> list:
    """Story title and message (or the caption alone), the active filters, and the QR code of the view."""
    if not state.present:
        return []
    _ = _t(language)
    text: list = []
    if step:
        text += [html.P(_(step.story_title), className="story-name"),
                 html.H2(step.title, className="story-title"), html.P(step.message, className="story-message")]
        where = _("present.step", step=step.number, steps=step.steps)
        ending = [" · ", html.Strong(_("present.end"), className="story-end")] if step.is_last else []
        text.append(html.P([html.Span(where, className="story-step"), *ending, " · ", presenting.caption(state, _)],
                           className="present-caption"))
    else:
        text.append(html.P(presenting.caption(state, _), className="present-caption"))
    blocks = [html.Div(text, className="present-words")]
    if base_url:
        blocks.append(presenting.qr_block(presenting.shared_view_url(state, base_url), _))
    return blocks


EXPORT_VIEWS = ("map", "top-regions", "country-mix", "comparison", "portfolio")


def export_links(state: ViewState, language: str) -> list:
    """Links to slide-ready images of the map and each chart, and to the focused region's profile: the items of
    the list under the map's "Slides and exports".

    A chart with nothing to draw is not offered: until territories or a region are picked, the comparison
    and portfolio rows say what to pick instead of linking to a blank image.
    """
    _ = _t(language)
    query = state.to_query(without=presenting.PRESENTATION_KEYS)
    region = state.region or (state.compare[0] if state.compare else "")
    missing = {"comparison": "" if state.compare else _("export.needs_territories"),
               "portfolio": "" if region else _("export.needs_region")}
    items = []
    for name in EXPORT_VIEWS:
        label = html.Span(_(f"export.{name.replace('-', '_')}"), className="export-name")
        if missing.get(name):
            items.append(html.Li([label, html.Span(missing[name], className="export-disabled muted",
                                                   **{"aria-disabled": "true"})],
                                 className="disabled", **{"data-export": name}))
            continue
        items.append(html.Li([label] + [
            html.A(_(f"export.{fmt}"), href=f"/export/{name}.{fmt}{query}", download=export_filename(name, fmt, state))
            for fmt in ("png", "svg")], **{"data-export": name}))
    if region:
        items.append(html.Li(html.A(_("export.region_pdf", region=region), href=f"/export/region-{region}.pdf{query}",
                                    download=export_filename(f"region-{region}", "pdf", state)),
                             **{"data-export": "region"}))
    return items


def map_table_summary(metrics, state: ViewState, language: str) -> str:
    _ = _t(language)
    return _.plural("map.table.summary", int(metrics["in_area"].sum()), level=_(f"level.{state.level}"))


def map_data_table(metrics, language: str) -> list:
    """The choropleth's numbers as a table: the same values for readers who cannot use the map.

    Built only while its disclosure is open: a few hundred rows of components on every filter change would
    keep the browser busy for seconds.
    """
    _ = _t(language)
    shown = metrics[metrics["in_area"]].sort_values(["count", "name"], ascending=[False, True])
    header = html.Tr([html.Th(_("map.table.region"), scope="col"), html.Th(_("card.region.code"), scope="col"),
                      html.Th(_("metric.count.short"), scope="col"), html.Th(_("metric.density.short"), scope="col"),
                      html.Th(_("metric.share.short"), scope="col"), html.Th(_("metric.lq.short"), scope="col")])
    rows = [
        html.Tr([html.Th(row.name_, scope="row"), html.Td(row.nuts_id),
                 html.Td(_.number(row.count)), html.Td(_.number(row.density, 1)),
                 html.Td(_.percent(row.share) if row.count_all_sectors else ""),
                 html.Td((_.number(row.lq, 2) + ("" if row.lq_reliable else " *")) if row.count_all_sectors else "")])
        for row in shown.rename(columns={"name": "name_"}).itertuples()
    ]
    return [html.Table([html.Caption(_("map.table.caption")), html.Thead(header), html.Tbody(rows)],
                       className="data-table"),
            html.P(_("map.table.note", minimum=MIN_CLUSTERS_FOR_LQ), className="muted small")]

def place_list(organisations: list[dict], language: str) -> list:
    """The organisations at one place of the map, each a button that opens its card (names as text)."""
    _ = _t(language)
    if not organisations:
        return []
    city = organisations[0]["city"] or ""
    items = [html.Li(html.Button([_sector_label(org["sector"], _), html.Span(org["name"], className="place-name")],
                                 id={"type": Atlas.PLACE_ITEM, "index": org["id"]}, n_clicks=0,
                                 className="place-item"))
             for org in organisations]
    return [html.Div([html.H3(_("map.place.title", count=len(organisations), place=city), className="place-title"),
                      html.Button("×", id={"type": Atlas.PLACE_CLOSE, "index": "place"}, n_clicks=0,
                                  className="place-close", title=_("map.place.close"),
                                  **{"aria-label": _("map.place.close")})], className="place-head"),
            html.Ul(items, className="place-items")]
