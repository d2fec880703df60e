"""Callbacks of "Your own list": check a dropped file, keep a valid list in the visitor's session, draw and count it.

A rejected file changes nothing but the problem report: the list store is only written when every row is
valid and placed, so whatever was on the map stays. Store contents come back from the browser and are
re-checked (``userlist.from_store``) before use; malformed callback input yields no update, never an error.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import dash
from dash import Input, Output, Patch, State, callback, clientside_callback, dcc, no_update

from dashboard import figures, userlist, views
from dashboard import upload as layout
from dashboard.data import load_atlas_data
from dashboard.i18n import Translator
from dashboard.ids import Atlas, Upload
from dashboard.shell import triggered_id
from dashboard.state import ViewState
from geodata import export
from geodata import upload as geo_upload


def _translator(state_data: object) -> Translator:
    state = ViewState.from_dict(state_data if isinstance(state_data, dict) else None)
    return Translator(state.lang)


def _filename(value: object) -> str:
    return str(value)[:200] if isinstance(value, str) and value else userlist.DEFAULT_FILENAME


def check_contents(contents: object, filename: str) -> tuple[dict | None, list[dict], str]:
    """(store data or None, problem records, outcome) for an uploaded data URL; outcome names what happened."""
    try:
        raw = userlist.decode_upload(contents)
        checked = userlist.check(raw, filename)
    except geo_upload.FileTooLarge:
        return None, [], "too_large"
    except ValueError:
        return None, [], "unreadable"
    if checked.problems:
        return None, geo_upload.problem_records(checked.problems), "rejected"
    return userlist.to_store(checked.joined, filename), [], "accepted"


@callback(
    Output(Upload.LIST, "data"),
    Output(Upload.PROBLEMS, "data"),
    Output(Upload.STATUS, "children"),
    Output(Upload.REPORT, "children"),
    Output(Upload.REPORT_DOWNLOAD, "hidden"),
    Input(Upload.INPUT, "contents"),
    State(Upload.INPUT, "filename"),
    State(Atlas.STATE, "data"),
    prevent_initial_call=True,
)
def receive_file(contents, filename, state_data):
    """Check the file; only a fully valid list replaces the one in the session."""
    if contents is None:
        raise dash.exceptions.PreventUpdate
    _ = _translator(state_data)
    name = _filename(filename)
    stored, problems, outcome = check_contents(contents, name)
    limits = userlist.limits()
    if outcome == "accepted":
        return stored, None, _("upload.accepted", filename=name, rows=_.number(len(stored["rows"]))), None, True
    if outcome == "too_large":
        message = _("upload.too_large", filename=name, size=geo_upload.format_bytes(limits.max_bytes))
        return no_update, None, message, None, True
    if outcome == "unreadable":
        return no_update, None, _("upload.unreadable", filename=name), None, True
    return (no_update, {"filename": name, "problems": problems},
            _("upload.rejected", filename=name, count=_.number(len(problems))),
            layout.problem_table(_, problems), False)


@callback(
    Output(Upload.LIST, "data", allow_duplicate=True),
    Output(Upload.STATUS, "children", allow_duplicate=True),
    Input(Upload.CLEAR, "n_clicks"),
    prevent_initial_call=True,
)
def clear_list(clicks):
    if not clicks:
        raise dash.exceptions.PreventUpdate
    return None, ""


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


@callback(
    Output(Atlas.MAP, "figure", allow_duplicate=True),
    Output(Upload.DRAWN, "data"),
    Output(Upload.LEGEND, "children"),
    Output(f"{Upload.LEGEND}-entry", "hidden"),
    Input(Upload.LIST, "data"),
    Input(Upload.MAP_GATE, "data"),
    State(Upload.DRAWN, "data"),
    State(Atlas.STATE, "data"),
    prevent_initial_call=True,
)
def draw_list(stored, map_sent, drawn, state_data):
    """Put the list on the map; again after the map was rebuilt (a new level redraws every trace)."""
    level = map_sent.get("level") if isinstance(map_sent, dict) else None
    key = {"level": level, "list": _digest(stored)}
    if key == drawn and triggered_id() != Upload.LIST:
        raise dash.exceptions.PreventUpdate
    if stored is None and drawn is None:
        # A page without a list (the store reports its empty value as it mounts): the map's list traces are
        # empty already, and redrawing them would repaint the map just after its first paint.
        raise dash.exceptions.PreventUpdate
    _ = _translator(state_data)
    rows = userlist.from_store(load_atlas_data(), stored)
    values = figures.user_list_trace_values(userlist.map_points(rows, _("upload.legend")))
    patch = Patch()
    for trace, properties in values.items():
        for name, value in properties.items():
            patch["data"][trace][name] = value
    if rows is None:
        return patch, key, "", True
    return patch, key, _("upload.legend_count", filename=stored.get("filename", ""), rows=_.number(len(rows))), False


# The gates pass on changes only: at load a stored list reaches its callbacks through the list store itself.
clientside_callback(
    """function(mapSent, stored) {
        return stored ? mapSent : window.dash_clientside.no_update;
    }""",
    Output(Upload.MAP_GATE, "data"),
    Input(Atlas.MAP_SENT, "data"),
    State(Upload.LIST, "data"),
    prevent_initial_call=True,
)


# Only with a list on the page does a view change concern it: the gate passes the change on then, so a filter
# click without a list costs no extra request.
clientside_callback(
    """function(state, rendered, stored) {
        if (!stored) { return window.dash_clientside.no_update; }
        return {state: state, rendered: rendered};
    }""",
    Output(Upload.GATE, "data"),
    Input(Atlas.STATE, "data"),
    Input(Atlas.RENDERED_VIEWS, "data"),
    State(Upload.LIST, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(Upload.COUNTS, "children"),
    Output(Upload.LIST_DOWNLOAD, "hidden"),
    Output(Upload.CLEAR, "hidden"),
    Input(Upload.LIST, "data"),
    Input(Upload.GATE, "data"),
    State(Atlas.STATE, "data"),
    State(Upload.CLEAR, "hidden"),
    prevent_initial_call=True,
)
def count_list(stored, _gate, state_data, showing_none):
    """Your list per region beside the register's organisations in view, compared regions first."""
    atlas = load_atlas_data()
    rows = userlist.from_store(atlas, stored)
    if rows is None:
        if showing_none is True:
            raise dash.exceptions.PreventUpdate
        return None, True, True
    state = ViewState.from_dict(state_data if isinstance(state_data, dict) else None)
    _ = Translator(state.lang)
    counts = userlist.region_counts(rows, views.clusters_in_view(atlas, state), views.region_names(atlas),
                                    level=state.level, compared=state.compare)
    return layout.counts_table(_, counts, state.level), False, False


@callback(
    Output(Atlas.TABLE, "rowData", allow_duplicate=True),
    Input(Upload.LIST, "data"),
    Input(Upload.GATE, "data"),
    State(Atlas.STATE, "data"),
    prevent_initial_call=True,
)
def table_rows(stored, _gate, state_data):
    """The organisations table (built when it comes on screen): the register's rows, then the visitor's list."""
    atlas = load_atlas_data()
    rows = userlist.from_store(atlas, stored)
    if rows is None and triggered_id() != Upload.LIST:
        raise dash.exceptions.PreventUpdate
    state = ViewState.from_dict(state_data if isinstance(state_data, dict) else None)
    _ = Translator(state.lang)
    register = [{**row, "origin": _("upload.origin.register")} for row in views.table_rows(atlas, state, state.lang)]
    return register + userlist.table_rows(rows, views.region_names(atlas), _)


@callback(
    Output(Upload.DOWNLOAD, "data"),
    Input(Upload.REPORT_DOWNLOAD, "n_clicks"),
    Input(Upload.LIST_DOWNLOAD, "n_clicks"),
    State(Upload.PROBLEMS, "data"),
    State(Upload.LIST, "data"),
    prevent_initial_call=True,
)
def download(_report_clicks, _list_clicks, problems, stored):
    """The error report, or the placed list with NUTS codes and programme-area flags; formulas defused in both."""
    today = date.today()
    if triggered_id() == Upload.REPORT_DOWNLOAD and isinstance(problems, dict):
        records = _problem_records(problems.get("problems"))
        filename = _filename(problems.get("filename"))
        content = export.problems_to_csv(records, filename=filename, generated=today)
        return dcc.send_string(content, f"problems-{_stem(filename)}-{today.isoformat()}.csv")
    if triggered_id() == Upload.LIST_DOWNLOAD:
        rows = userlist.from_store(load_atlas_data(), stored)
        if rows is not None:
            filename = _filename(stored.get("filename"))
            content = export.user_list_to_csv(rows, filename=filename, generated=today)
            return dcc.send_string(content, f"{_stem(filename)}-placed-{today.isoformat()}.csv")
    raise dash.exceptions.PreventUpdate


def _problem_records(value: object) -> list[dict]:
    """Problem records as they came back from the browser, reduced to their four plain fields."""
    records = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            row = item.get("row")
            records.append({"row": row if isinstance(row, int) and not isinstance(row, bool) else None,
                            **{key: None if item.get(key) is None else str(item.get(key))[:2000]
                               for key in ("column", "value", "message")}})
    return records


def _stem(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0]
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)[:60].strip("-")
    return cleaned or "list"

