"""Presentation mode pieces: the caption of active filters, the QR code of the view, and the story bar."""

from __future__ import annotations

import base64
import io

import segno
from dash import html

from dashboard.i18n import Translator
from dashboard.state import ViewState

#: Presentation and story flags are about how the view is shown on the projector, not what it shows:
#: phones that scan the QR code get the normal, interactive view.
PRESENTATION_KEYS = ("present", "story", "step", "embed")


def caption(state: ViewState, _: Translator) -> str:
    """The active filters as one readable line, for the projector and for exported images."""
    parts = [
        ", ".join(_(f"sector.{s}") for s in state.sectors) if state.sectors else _("caption.all_sectors"),
        ", ".join(_(f"country.{c}") for c in state.countries) if state.countries else _("caption.all_countries"),
        _(f"level.{state.level}"),
        _(f"period.{state.period}"),
        _(f"landscape.{state.landscape}"),
    ]
    if state.mountain != "all":
        parts.append(_(f"mountain.{state.mountain}"))
    if state.org_types:
        parts.append(", ".join(_(f"org_type.{t}") for t in state.org_types))
    if state.search:
        parts.append(f"“{state.search}”")
    parts.append(_(f"metric.{state.metric}"))
    return " · ".join(parts)


def shared_view_url(state: ViewState, base_url: str) -> str:
    return base_url.rstrip("/") + "/" + state.to_query(without=PRESENTATION_KEYS)


def qr_svg_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI, generated locally (no service is asked)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, dark="#1f2933", light="#ffffff",
                                    xmldecl=False, svgns=True)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def qr_block(url: str, _: Translator) -> html.Figure:
    return html.Figure(
        [html.Img(src=qr_svg_data_uri(url), alt=_("present.qr"), className="qr-image"),
         html.Figcaption(_("present.qr"))],
        className="qr", **{"data-url": url},
    )
