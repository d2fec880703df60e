"""The benchmark cannot rot: row 1 (filter change) runs on a few states and its ratios come out sensible.

The numbers themselves are not checked (timings depend on the machine), only that both apps answered the
real callback request, that the ratios were computed, and that the atlas's ``Patch`` is smaller than the naive
full figure.
"""

from __future__ import annotations

import json

import math

from bench import filter_change
from bench.report import render_table


def test_filter_change_row_runs_and_the_patch_is_smaller_than_the_full_figure() -> None:
    result = filter_change.run(states=3)

    assert len(result.ours.seconds) == len(result.baseline.seconds) == 3
    ratios = result.ratios
    assert set(ratios) == {"p50", "p95", "wire_bytes", "json_bytes"}
    for name, value in ratios.items():
        assert math.isfinite(value) and value > 0, f"ratio {name} is {value}"
    assert max(result.ours.json_bytes) < min(result.baseline.json_bytes)
    assert max(result.ours.wire_bytes) < min(result.baseline.wire_bytes)

    table = render_table(result.measures())
    assert "1 filter change" in table and "server time p95" in table


def test_request_body_is_the_one_dash_renderer_sends() -> None:
    body = filter_change.callback_body(filter_change.view_state({"sectors": ["ict"]}))

    assert body["output"] == "..atlas-map.figure...atlas-map-sent.data.."
    assert body["outputs"] == [{"id": "atlas-map", "property": "figure"},
                               {"id": "atlas-map-sent", "property": "data"}]
    assert body["inputs"][0]["id"] == "atlas-state" and body["inputs"][0]["value"]["sectors"] == ["ict"]
    assert body["inputs"][0]["value"]["level"] == 3
    assert body["state"] == [{"id": "atlas-map-sent", "property": "data", "value": None}]
    sequence = [json.loads(raw) for raw in filter_change.request_bodies()[:2]]
    stores = [body["state"][0]["value"] for body in sequence]
    assert all(store["level"] == 3 and store["sent"] for store in stores), "each change carries the drawn map's store"
    assert body["changedPropIds"] == ["atlas-state.data"]
    assert len(filter_change.STATE_SEQUENCE) == len({repr(s) for s in filter_change.STATE_SEQUENCE}) == 20
