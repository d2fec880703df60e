"""The page for a path the atlas does not have (Dash pages shows the module named ``not_found_404``).

The HTTP status of such a path is 404 (see ``AtlasDash.index``); this is what the visitor reads.
"""

from __future__ import annotations

import dash
from dash import html

from dashboard.i18n import Translator, translate
from dashboard.shell import request_language

dash.register_page(__name__, path="/404", name="not_found", title=translate("notfound.title"), order=99)


def layout(**query: str) -> html.Article:
    _ = Translator(request_language(query.get("lang") if isinstance(query.get("lang"), str) else None))
    return html.Article(
        [html.H1(_("notfound.title")), html.P(_("notfound.body")), html.A(_("notfound.home"), href="/")],
        className="not-found prose",
    )
