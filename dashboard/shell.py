"""The page frame shared by every page: header, navigation, the URL, and the page container."""

from __future__ import annotations

import dash
from dash import html

from dashboard.i18n import translate as _
from dashboard.ids import Shell


def navigation() -> html.Nav:
    links = [html.A(_(f"nav.{page['name']}"), href=page["relative_path"], className="nav-link")
             for page in dash.page_registry.values()]
    return html.Nav(links, id=Shell.NAV, className="nav", **{"aria-label": _("nav.label")})


def layout() -> html.Div:
    return html.Div(
        [
            html.A(_("shell.skip"), href="#main", className="skip-link"),
            html.Header(
                [
                    html.A([html.Span("▲", className="logo-mark", **{"aria-hidden": "true"}),
                            html.Span(_("app.title"), className="logo-text")], href="/", className="logo"),
                    html.P(_("app.tagline"), className="tagline"),
                    navigation(),
                ],
                className="site-header",
            ),
            html.Main(dash.page_container, id="main", className="site-main"),
            html.Footer(
                [html.P(_("footer.text")), html.P(_("footer.sources"))],
                className="site-footer",
            ),
        ],
        className="shell",
    )
