"""Layout of "Your own list": the drop zone with its stated limits, the problem table, counts and downloads.

Callbacks live in ``dashboard/upload_callbacks.py``; pure data functions in ``dashboard/userlist.py``.
Everything from the file is shown as plain text (Dash escapes it); nothing is rendered as HTML or as a link.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard.i18n import Translator
from dashboard.ids import Upload
from geodata import upload as geo_upload

#: Problems shown in the page; the downloadable report always has all of them.
SHOWN_PROBLEMS = 200


def limits_text(_: Translator, limits: geo_upload.UploadLimits) -> str:
    return _("upload.limits", size=geo_upload.format_bytes(limits.max_bytes), rows=_.number(limits.max_rows),
             columns=_.number(limits.max_columns), cells=_.number(limits.max_cell_chars))


def legend_entry(_: Translator) -> html.P:
    """The map key's entry for the visitor's list (hidden until there is one)."""
    return html.P([html.Span(className="user-swatch", **{"aria-hidden": "true"}),
                   html.Span(id=Upload.LEGEND)], className="user-legend", id=f"{Upload.LEGEND}-entry", hidden=True)


def section(_: Translator, limits: geo_upload.UploadLimits) -> html.Section:
    return html.Section(
        [
            html.Div([html.H2(_("upload.title"))], className="section-head"),
            html.P(_("upload.intro")),
            html.P(limits_text(_, limits), className="upload-limits"),
            html.P(_("upload.privacy"), className="upload-privacy"),
            dcc.Upload(
                id=Upload.INPUT, multiple=False, accept=".csv,.txt,.tsv,.xlsx,.xlsm", max_size=limits.max_bytes,
                children=html.Div([html.Span(_("upload.drop")), " ",
                                   html.Span(_("upload.pick"), className="upload-pick")]),
                className="upload-drop",
            ),
            html.Div(id=Upload.STATUS, className="upload-status", role="status", **{"aria-live": "polite"}),
            # Filled by assets/upload.js when the browser refuses a file over the size limit before sending it.
            html.P(id=Upload.REFUSED, className="upload-status", role="alert",
                   **{"data-max-bytes": str(limits.max_bytes),
                      "data-message": _("upload.too_large", filename="{filename}",
                                        size=geo_upload.format_bytes(limits.max_bytes))}),
            html.Div(id=Upload.REPORT, className="upload-report"),
            html.Div([
                html.Button(_("upload.download_report"), id=Upload.REPORT_DOWNLOAD, className="button", n_clicks=0,
                            hidden=True),
                html.Button(_("upload.download_list"), id=Upload.LIST_DOWNLOAD, className="button", n_clicks=0,
                            hidden=True),
                html.Button(_("upload.clear"), id=Upload.CLEAR, className="button", n_clicks=0, hidden=True),
            ], className="button-row"),
            html.Div(id=Upload.COUNTS, className="upload-counts"),
            # null is what an empty session store holds: mounting it changes nothing, so a page without a list
            # sends no list callback on load (one with a list reports it).
            dcc.Store(id=Upload.LIST, storage_type="session", data=None),
            dcc.Store(id=Upload.PROBLEMS),
            dcc.Store(id=Upload.DRAWN),
            dcc.Store(id=Upload.GATE),
            dcc.Store(id=Upload.MAP_GATE),
            dcc.Download(id=Upload.DOWNLOAD),
        ],
        id=Upload.SECTION, className="panel upload-panel", **{"aria-label": _("upload.title")},
    )


def problem_table(_: Translator, problems: list[dict]) -> html.Div:
    """Every problem by row, column and value (the first :data:`SHOWN_PROBLEMS`; the report has all)."""
    header = html.Thead(html.Tr([html.Th(_(f"upload.column.{key}"), scope="col")
                                 for key in ("row", "column", "value", "message")]))
    body = html.Tbody([
        html.Tr([html.Td("" if p["row"] is None else _.number(p["row"])), html.Td(p["column"] or ""),
                 html.Td(p["value"] or "", className="upload-value"), html.Td(p["message"])])
        for p in problems[:SHOWN_PROBLEMS]])
    parts = [html.Table([html.Caption(_("upload.problems_caption")), header, body], className="upload-table")]
    if len(problems) > SHOWN_PROBLEMS:
        parts.append(html.P(_("upload.more_problems", count=_.number(len(problems) - SHOWN_PROBLEMS))))
    return html.Div(parts, className="table-scroll")


def counts_table(_: Translator, counts: pd.DataFrame, level: int) -> html.Div:
    """Your list beside the register, per region of the map's level; compared regions marked."""
    if counts.empty:
        return html.Div()
    header = html.Thead(html.Tr([html.Th(_("upload.counts.region"), scope="col"),
                                 html.Th(_("upload.counts.yours"), scope="col"),
                                 html.Th(_("upload.counts.register"), scope="col")]))
    body = html.Tbody([
        html.Tr([html.Th([f"{name} ({code})"] + ([" · ", html.Em(_("upload.counts.compared"))] if compared else []),
                         scope="row"),
                 html.Td(_.number(yours)), html.Td(_.number(register))],
                className="compared" if compared else None)
        for code, name, yours, register, compared in counts[["nuts_id", "name", "yours", "register",
                                                             "compared"]].itertuples(index=False)])
    caption = html.Caption(_("upload.counts.caption", level=_(f"level.{level}")))
    return html.Div(html.Table([caption, header, body], className="upload-table"), className="table-scroll")
