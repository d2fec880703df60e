"""The page frame shared by every page: header with navigation and language switch, footer."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple
from urllib.parse import quote, urlencode, urlsplit

import dash
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash._pages import _parse_query_string
from flask import has_request_context, request

from dashboard.components import dropdown_labels
from dashboard.config import is_true
from dashboard.i18n import LANGUAGES, Translator, negotiate, supported
from dashboard.ids import Shell
from dashboard.state import parse_query
from geodata.sectors import SECTOR_COLOURS


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


def page_path(path: str) -> str:
    """A page's path as registered: a trailing slash is the same page."""
    return "/" + path.strip("/")


def site_page(path: str) -> dict | None:
    """The site's page at ``path``, if there is one."""
    wanted = page_path(path)
    return next((page for page in site_pages() if page["relative_path"] == wanted), None)


def is_page_path(path: str) -> bool:
    """Whether ``path`` is one of the site's pages."""
    return site_page(path) is not None


def navigation(_: Translator) -> html.Nav:
    links = [html.A(_(f"nav.{page['name']}"), href=page["relative_path"], className="nav-link")
             for page in site_pages()]
    return html.Nav(links, id=Shell.NAV, className="nav", **{"aria-label": _("nav.label")})


#: The atlas's mark, the ▲ of its header in the green of the Energy & Green Tech sector, as the icon of every page
#: (browser tabs, bookmarks): an address of its own content, so no page asks the server for an icon.
ICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
            f'<path d="M8 1.5 15.5 14.5H.5z" fill="{SECTOR_COLOURS["energy_greentech"]}"/></svg>')
ICON_LINK = f'<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,{quote(ICON_SVG)}">'


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


#: The header ``assets/page_address.js`` adds to the layout request: the address the browser shows.
PAGE_HEADER = "X-Atlas-Page"
MAX_ADDRESS_LENGTH = 4096


class PageAddress(NamedTuple):
    """The address the browser shows: its path, its query string (``?…`` or empty) and the whole of it."""

    path: str
    search: str
    href: str


def page_address() -> PageAddress | None:
    """The address of the page the browser shows, when the request names it (:data:`PAGE_HEADER`): the layout
    request does. None for any other request, or an address that is not a page's (another scheme, too long)."""
    if not has_request_context():
        return None
    href = request.headers.get(PAGE_HEADER, "")
    if not href or len(href) > MAX_ADDRESS_LENGTH:
        return None
    try:
        parts = urlsplit(href)
    except ValueError:  # a malformed address names no page
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or not parts.path.startswith("/"):
        return None
    return PageAddress(parts.path, f"?{parts.query}" if parts.query else "", href)


def layout_key() -> str | None:
    """What the layout request's answer depends on: the address the browser shows, and the language the browser
    prefers when the address names none. None when the request names no address."""
    address = page_address()
    if address is None:
        return None
    return f"{address.href}|{request_language(parse_query(address.search).get('lang', [''])[-1])}"


def dash_query(search: str) -> dict:
    """A query string (``?…`` or empty) as Dash pages' routing hands it to a page's ``layout``, by Dash's own
    parser: a page built into the layout must get what the routing callback would give it."""
    return _parse_query_string(search)


def routed_page(path: str) -> dict:
    """The registered page for ``path``, else the not-found page."""
    return site_page(path) or next(page for module, page in dash.page_registry.items()
                                   if module.split(".")[-1] == NOT_FOUND_MODULE)


#: The ids of Dash pages' container: its location, content, title store and title output, in that order.
PAGES_LOCATION, PAGES_CONTENT, PAGES_STORE, PAGES_DUMMY = (child.id for child in dash.page_container.children)


def routed_container(path: str, search: str) -> html.Div:
    """Dash pages' container with the page already in it: the browser draws it from the layout request, with
    no routing callback first. Its location holds the address it was built for, the one the browser shows,
    so mounting it changes nothing."""
    page = routed_page(path)
    title = page["title"]() if callable(page["title"]) else page["title"]
    content = page["layout"](**dash_query(search)) if callable(page["layout"]) else page["layout"]
    return html.Div([
        dcc.Location(id=PAGES_LOCATION, refresh="callback-nav", pathname=path, search=search),
        html.Div(content, id=PAGES_CONTENT, disable_n_clicks=True),
        dcc.Store(id=PAGES_STORE, data={"title": title}),
        html.Div(id=PAGES_DUMMY, disable_n_clicks=True),
    ])


#: Set while Dash builds the layout only to check it (its one-time set-up): the frame alone is enough.
_FRAME_ONLY = contextvars.ContextVar("atlas_frame_only", default=False)


@contextmanager
def frame_only() -> Iterator[None]:
    token = _FRAME_ONLY.set(True)
    try:
        yield
    finally:
        _FRAME_ONLY.reset(token)


def layout() -> html.Div:
    """The frame, with the page the browser shows in it when the request names its address (see
    :func:`page_address`); else empty, and filled from the browser's address by :func:`update_shell` and
    Dash pages' routing callback."""
    address = None if _FRAME_ONLY.get() else page_address()
    if address is None:
        location = dcc.Location(id=Shell.LOCATION, refresh=False)
        header, footer, skip, main = None, None, None, dash.page_container
    else:
        location = dcc.Location(id=Shell.LOCATION, refresh=False, pathname=address.path, search=address.search)
        header, footer, skip = frame_texts(address.search)
        main = routed_container(address.path, address.search)
    return html.Div(
        [
            location,
            dcc.Store(id=Shell.LANGUAGE_APPLIED),
            html.A(skip, id=Shell.SKIP, href="#main", className="skip-link"),
            html.Header(header, id=Shell.HEADER, className="site-header"),
            html.Main(main, id="main", className="site-main"),
            html.Footer(footer, id=Shell.FOOTER, className="site-footer"),
        ],
        className="shell",
    )


def frame_texts(search: str | None) -> tuple[list, list, str]:
    """Header, footer and skip link for the page at ``search``: in its language, and trimmed when embedded."""
    search = search if isinstance(search, str) else ""
    query = parse_query(search)
    _ = Translator(request_language(query.get("lang", [""])[-1]))
    if is_true(query.get("embed", [""])[-1]):
        return embed_header(_, search), [], _("shell.skip")
    return header_content(_), footer_content(_), _("shell.skip")


@callback(
    Output(Shell.HEADER, "children"),
    Output(Shell.FOOTER, "children"),
    Output(Shell.SKIP, "children"),
    Input(Shell.LOCATION, "pathname"),
    State(Shell.LOCATION, "search"),
    prevent_initial_call=True,
)
def update_shell(_pathname, search):
    """The frame's texts when the layout came without them (no address known) or the address changed."""
    return frame_texts(search)


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
