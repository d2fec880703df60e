"""The page frame shared by every page: header with navigation and language switch, footer."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from flask import has_request_context, request

from dashboard.components import dropdown_labels
from dashboard.config import is_true
from dashboard.i18n import LANGUAGES, Translator, negotiate, supported
from dashboard.ids import Shell
from dashboard.state import parse_query


def request_language(explicit: str | None = None) -> str:
    """The language asked for in the URL, else the browser's preferred one we speak, else English."""
    if explicit:
        return supported(explicit)
    if has_request_context():
        if request.args.get("lang"):
            return supported(request.args["lang"])
        return negotiate(request.headers.get("Accept-Language"))
    return supported(None)


NOT_FOUND_MODULE = "not_found_404"


def site_pages() -> list[dict]:
    """The registered pages a visitor can navigate to (not the not-found page)."""
    return [page for module, page in dash.page_registry.items() if module.split(".")[-1] != NOT_FOUND_MODULE]


def is_page_path(path: str) -> bool:
    """Whether ``path`` is one of the site's pages (a trailing slash is the same page)."""
    wanted = "/" + path.strip("/")
    return any(page["relative_path"] == wanted for page in site_pages())


def navigation(_: Translator) -> html.Nav:
    links = [html.A(_(f"nav.{page['name']}"), href=page["relative_path"], className="nav-link")
             for page in site_pages()]
    return html.Nav(links, id=Shell.NAV, className="nav", **{"aria-label": _("nav.label")})


def language_switch(_: Translator) -> html.Div:
    return html.Div(
        [html.Label(_("language.label"), htmlFor=Shell.LANGUAGE, className="sr-only"),
         dcc.Dropdown(id=Shell.LANGUAGE, value=_.language, clearable=False, searchable=False,
                      options=[{"label": html.Span(name, lang=code), "value": code}
                               for code, name in LANGUAGES.items()],
                      className="language-switch", labels=dropdown_labels(_))],
        className="language",
    )


def header_content(_: Translator) -> list:
    return [
        html.A([html.Span("▲", className="logo-mark", **{"aria-hidden": "true"}),
                html.Span(_("app.title"), className="logo-text")], href="/", className="logo"),
        html.P(_("app.tagline"), className="tagline"),
        navigation(_),
        language_switch(_),
    ]


def footer_content(_: Translator) -> list:
    return [html.P(_("footer.text")), html.P(_("footer.sources"))]


def layout() -> html.Div:
    """The frame. Its texts are filled by :func:`update_shell` from the page URL, which the layout request
    itself does not carry."""
    return html.Div(
        [
            dcc.Location(id=Shell.LOCATION, refresh=False),
            dcc.Store(id=Shell.LANGUAGE_APPLIED),
            html.A(id=Shell.SKIP, href="#main", className="skip-link"),
            html.Header(id=Shell.HEADER, className="site-header"),
            html.Main(dash.page_container, id="main", className="site-main"),
            html.Footer(id=Shell.FOOTER, className="site-footer"),
        ],
        className="shell",
    )


@callback(
    Output(Shell.HEADER, "children"),
    Output(Shell.FOOTER, "children"),
    Output(Shell.SKIP, "children"),
    Input(Shell.LOCATION, "pathname"),
    State(Shell.LOCATION, "search"),
)
def update_shell(_pathname, search):
    search = search if isinstance(search, str) else ""
    query = parse_query(search)
    _ = Translator(request_language(query.get("lang", [""])[-1]))
    if is_true(query.get("embed", [""])[-1]):
        return embed_header(_, search), [], _("shell.skip")
    return header_content(_), footer_content(_), _("shell.skip")


def embed_header(_: Translator, search: str | None) -> list:
    """In a partner's frame: the name and a way out to the full atlas with the same view."""
    query = {key: values for key, values in parse_query(search).items() if key != "embed"}
    full_view = "/" + ("?" + urlencode(query, doseq=True) if query else "")
    return [html.Div([html.Span(_("app.title"), className="logo-text"),
                      html.A(_("embed.open_full") + " ↗", href=full_view, target="_blank", rel="noopener")],
                     className="embed-header")]


# Switching language reloads the page with ?lang=…, keeping every other part of the view in the URL; the
# document's lang attribute follows so screen readers pronounce the text correctly.
clientside_callback(
    """
    function(language) {
        document.documentElement.lang = language;
        var params = new URLSearchParams(window.location.search);
        var current = params.get('lang') || document.documentElement.dataset.lang || language;
        document.documentElement.dataset.lang = language;
        if (current !== language) {
            params.set('lang', language);
            window.location.search = params.toString();
        }
        return language;
    }
    """,
    Output(Shell.LANGUAGE_APPLIED, "data"),
    Input(Shell.LANGUAGE, "value"),
)


def triggered_id() -> object:
    """The id of the input that triggered the running callback, or None when the request names it wrongly.

    Dash reads ``changedPropIds`` from the request as sent; a malformed one (not a string) makes
    ``ctx.triggered_id`` raise inside Dash, which must not turn a bad request into a server error.
    """
    try:
        return dash.ctx.triggered_id
    except (AttributeError, TypeError, ValueError, KeyError, dash.exceptions.MissingCallbackContextException):
        return None
