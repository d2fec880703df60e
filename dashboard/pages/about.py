"""About: what the atlas is, where every number comes from, and how each metric is computed."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.data import load_atlas_data
from dashboard.i18n import Translator, translate
from dashboard.shell import request_language
from geodata.metrics import MIN_CLUSTERS_FOR_LQ

dash.register_page(__name__, path="/about", name="about",
                   title=f"{translate('nav.about')} · {translate('app.title')}", order=1)


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
            dcc.Markdown(_("about.data.boundaries", attribution=_("attribution.nuts"))),
            dcc.Markdown(_("about.data.places")),
            dcc.Markdown(_("about.data.areas")),
            html.H2(_("about.metrics.title")),
            dcc.Markdown(_("about.metrics.body", minimum=MIN_CLUSTERS_FOR_LQ)),
            html.H2(_("about.limits.title")),
            dcc.Markdown(_("about.limits.body")),
            html.H2(_("about.reuse.title")),
            dcc.Markdown(_("about.reuse.body")),
        ],
        className="about prose",
    )
