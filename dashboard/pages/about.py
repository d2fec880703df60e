"""About: what the atlas is, where every number comes from, and how each metric is computed."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.cards import checked_date
from dashboard.config import CONFIG
from dashboard.data import load_atlas_data
from dashboard.i18n import Translator, translate
from dashboard.shell import request_language
from geodata.metrics import MIN_CLUSTERS_FOR_LQ

dash.register_page(__name__, path="/about", name="about",
                   title=f"{translate('nav.about')} · {translate('app.title')}", order=1)


#: Placeholders of ``about.data.kinds`` → the ``org_type`` each one counts.
KIND_KEYS = {"clusters": "cluster_organisation", "agencies": "agency", "networks": "network_platform",
             "parks": "technology_park"}


def upkeep_text(clusters, _: Translator) -> str:
    """How the register is kept, with its check dates and website coverage read from the data itself."""
    dates = sorted(clusters["last_verified"].astype(str).unique())
    active = clusters[clusters["status"] == "active"]
    return _("about.upkeep.body", first=checked_date(dates[0], _.language),
             second=checked_date(dates[-1], _.language),
             websites=_.number(int((active["website"].astype(str) != "").sum())), active=_.number(len(active)),
             checked=_.number(int((active["website_evidence"].astype(str) != "").sum())),
             weak=_.number(int((clusters["city_confidence"] == "weak").sum())))


def layout(**query: str) -> html.Article:
    _ = Translator(request_language(query.get("lang")))
    atlas = load_atlas_data()
    clusters = atlas.clusters
    return html.Article(
        [
            html.H1(_("about.title")),
            dcc.Markdown(_("about.intro")),
            html.H2(_("about.data.title")),
            dcc.Markdown(_("about.data.register", total=_.number(len(clusters)),
                           active=_.number((clusters["status"] == "active").sum()),
                           historic=_.number((clusters["status"] == "historic").sum()))),
            dcc.Markdown(_("about.data.kinds", **{key: _.number(int((clusters["org_type"] == kind).sum()))
                                                  for key, kind in KIND_KEYS.items()})),
            dcc.Markdown(_("about.data.boundaries", attribution=_("attribution.nuts"))),
            dcc.Markdown(_("about.data.places")),
            dcc.Markdown(_("about.data.areas")),
            html.H2(_("about.upkeep.title")),
            dcc.Markdown(upkeep_text(clusters, _)),
            dcc.Markdown(_("about.upkeep.corrections")) if CONFIG.corrections_url or CONFIG.corrections_email else None,
            html.H2(_("about.metrics.title")),
            dcc.Markdown(_("about.metrics.body", minimum=MIN_CLUSTERS_FOR_LQ)),
            html.H2(_("about.limits.title")),
            dcc.Markdown(_("about.limits.body")),
            html.H2(_("about.reuse.title")),
            dcc.Markdown(_("about.reuse.body")),
        ],
        className="about prose",
    )
