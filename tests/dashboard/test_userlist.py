"""The visitor's list between the upload and the page: decoding, the session store round trip, counts, and the
callbacks' answers to malformed input (they come from the browser and must never raise).
"""

from __future__ import annotations

import base64

import dash
import pytest

from dashboard import upload_callbacks, userlist, views
from dashboard.i18n import Translator
from geodata import upload

GOOD = ("name,country,city,sector,website\n"
        "Alpha,AT,Innsbruck,ict,https://example.org\n"
        "<b>Beta</b>,SI,Ljubljana,ict,\n").encode("utf-8")


@pytest.fixture(autouse=True)
def app_context(app):
    """The views read through the app's cache, which needs an application context."""
    with app.server.app_context():
        yield


def data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


def test_usr001_store_round_trip_keeps_rows_and_codes(register):
    stored, problems, outcome = upload_callbacks.check_contents(data_url(GOOD), "mine.csv")
    assert outcome == "accepted" and problems == []
    rows = userlist.from_store(register, stored)
    assert list(rows["name"]) == ["Alpha", "<b>Beta</b>"]
    assert list(rows["nuts2"]) == ["AT33", "SI04"]
    assert list(rows["source_row"]) == [2, 3]


def test_usr002_hover_text_is_escaped(register):
    stored, _, _ = upload_callbacks.check_contents(data_url(GOOD), "mine.csv")
    points = userlist.map_points(userlist.from_store(register, stored), "Your list")
    assert "&lt;b&gt;Beta&lt;/b&gt;" in points["hovertext"].iloc[1]
    assert "<b>Beta</b>" not in points["hovertext"].iloc[1]


@pytest.mark.parametrize("stored", [None, [], "x", {"columns": ["name"], "rows": [["a"]]},
                                    {"columns": list(userlist.STORE_COLUMNS), "rows": "nope"},
                                    {"columns": list(userlist.STORE_COLUMNS), "rows": [[1, 2]]},
                                    {"columns": list(userlist.STORE_COLUMNS),
                                     "rows": [[2] + ["x"] * (len(userlist.STORE_COLUMNS) - 1)]}])
def test_usr003_a_tampered_store_means_no_list(register, stored):
    assert userlist.from_store(register, stored) is None


@pytest.mark.parametrize("contents", [None, 5, "no comma", "data:text/csv;base64,@@@@", "text/csv,abc"])
def test_usr004_malformed_uploads_are_unreadable_not_errors(contents):
    assert upload_callbacks.check_contents(contents, "x.csv")[2] == "unreadable"


def test_usr005_size_is_checked_before_decoding():
    big = "data:text/csv;base64," + "A" * (userlist.limits().max_bytes * 4 // 3 + 8)
    assert upload_callbacks.check_contents(big, "x.csv")[2] == "too_large"
    with pytest.raises(upload.FileTooLarge):
        userlist.decode_upload(big)


@pytest.mark.parametrize("junk", [None, 1, "x", [1], {"a": 1}])
def test_usr006_callbacks_answer_junk_without_raising(junk):
    assert upload_callbacks.count_list(junk, junk, junk, junk) == (None, True, True)
    with pytest.raises(dash.exceptions.PreventUpdate):  # no list, and none shown: nothing to send
        upload_callbacks.count_list(junk, junk, junk, True)
    with pytest.raises(dash.exceptions.PreventUpdate):
        upload_callbacks.table_rows(junk, junk, junk)
    assert upload_callbacks._problem_records(junk) == []
    records = upload_callbacks._problem_records([junk, {"row": "3", "value": 5}])
    assert records[-1] == {"row": None, "column": None, "value": "5", "message": None}
    assert len(records) == (2 if isinstance(junk, dict) else 1)


def test_usr007_counts_put_compared_regions_first(register):
    stored, _, _ = upload_callbacks.check_contents(data_url(GOOD), "mine.csv")
    rows = userlist.from_store(register, stored)
    from dashboard.state import ViewState

    state = ViewState(level=2, compare=("ITC1", "SI04"))
    counts = userlist.region_counts(rows, views.clusters_in_view(register, state), views.region_names(register),
                                    level=2, compared=state.compare)
    assert list(counts["nuts_id"]) == ["ITC1", "SI04", "AT33"]
    assert list(counts["yours"]) == [0, 1, 1]
    assert list(counts["compared"]) == [True, True, False]
    assert (counts["register"] > 0).all()


def test_usr008_table_rows_are_marked_as_yours(register):
    stored, _, _ = upload_callbacks.check_contents(data_url(GOOD), "mine.csv")
    _ = Translator("de")
    rows = userlist.table_rows(userlist.from_store(register, stored), views.region_names(register), _)
    assert {row["origin"] for row in rows} == {"Eigene Liste"}
    assert [row["id"] for row in rows] == ["your-list-2", "your-list-3"]
    assert rows[0]["nuts3"] == "AT332" and rows[0]["region"]


@pytest.fixture
def body_limit(app):
    """The app-wide body limit another part of the app may set (MAX_CONTENT_LENGTH), here 1,000 bytes."""
    previous = app.server.config.get("MAX_CONTENT_LENGTH")
    app.server.config["MAX_CONTENT_LENGTH"] = 1000
    yield
    app.server.config["MAX_CONTENT_LENGTH"] = previous


@pytest.mark.parametrize("marker, status", [(b'"id":"upload-input"', 204), (b'"id":"upload-list"', 204),
                                            (b'"id":"atlas-state"', 413)])
def test_usr009_only_list_callbacks_may_exceed_the_body_limit(app, body_limit, marker, status):
    body = b'{"output":"x","inputs":[{' + marker + b',"property":"data","value":"' + b"a" * 5000 + b'"}]}'
    answer = app.server.test_client().post("/_dash-update-component", data=body, content_type="application/json")
    assert (answer.status_code == 413) == (status == 413), answer.status_code


def test_usr010_not_even_a_list_callback_beyond_the_list_allowance(app, body_limit):
    body = b'{"inputs":[{"id":"upload-input","value":"' + b"a" * userlist.list_body_allowance() + b'"}]}'
    answer = app.server.test_client().post("/_dash-update-component", data=body, content_type="application/json")
    assert answer.status_code == 413
