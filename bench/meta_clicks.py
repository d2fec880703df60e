"""The partner explorer's clicks on the server, against the map's filter change (part of row 8).

Run as its own process (``python -m bench.meta_clicks``, which prints one JSON line) because Dash pages
register their callbacks with the first app built in a process, and row 1 builds one too.

Each round posts, through Flask's test client of ``create_app()``, one request of row 1's map sequence (cache
cleared first, as row 1 does) and one explorer click: picking an organisation (map figure with arcs, the
suggestion list with reasons) or a region (the peers table with reasons), alternating, for organisations and
regions taken in register order. The budget is the map's: the explorer's p95 must not exceed the map's p95.
"""

from __future__ import annotations

import json
import sys

from bench.common import median, percentile

SUGGEST_OUTPUTS = [{"id": "partners-partner-map", "property": "figure"},
                   {"id": "partners-suggestions", "property": "children"},
                   {"id": "partners-suggest-summary", "property": "children"}]


def suggestion_body(organisation: str, state: dict) -> bytes:
    return json.dumps({
        "output": "..partners-partner-map.figure...partners-suggestions.children...partners-suggest-summary.children..",
        "outputs": SUGGEST_OUTPUTS,
        "inputs": [{"id": "partners-organisation", "property": "value", "value": organisation},
                   {"id": "partners-same-country", "property": "value", "value": []}],
        "state": [{"id": "partners-state", "property": "data", "value": state}],
        "changedPropIds": ["partners-organisation.value"],
    }).encode()


def peers_body(region: str, state: dict) -> bytes:
    return json.dumps({
        "output": "partners-peers.children", "outputs": {"id": "partners-peers", "property": "children"},
        "inputs": [{"id": "partners-region", "property": "value", "value": region},
                   {"id": "partners-peers-cross-border", "property": "value", "value": []}],
        "state": [{"id": "partners-state", "property": "data", "value": state}],
        "changedPropIds": ["partners-region.value"],
    }).encode()


def run(rounds: int) -> dict:
    from bench.filter_change import _post, clear_atlas_cache, request_bodies
    from dashboard import meta_data
    from dashboard.data import load_atlas_data
    from dashboard.factory import create_app
    from dashboard.partners_state import ExplorerState

    app = create_app()
    client = app.server.test_client()
    atlas = load_atlas_data()
    organisations = meta_data.partner_space(atlas, "2021-2027").organisations["id"].tolist()
    regions = meta_data.peer_space(atlas, 3, "2021-2027").regions
    regions = regions[regions["count"] >= 3]["nuts_id"].tolist()
    map_bodies = request_bodies()
    state = ExplorerState().to_dict()
    clicks = [suggestion_body(organisations[i % len(organisations)], state) if i % 2 == 0
              else peers_body(regions[i % len(regions)], {**state, "level": 3}) for i in range(rounds)]
    _post(client, map_bodies[0])
    _post(client, clicks[0])
    _post(client, clicks[1])
    explorer, map_change = [], []
    for i, body in enumerate(clicks):
        clear_atlas_cache(app)
        elapsed, _, decoded, _ = _post(client, map_bodies[i % len(map_bodies)])
        map_change.append(elapsed)
        elapsed, _, decoded, _ = _post(client, body)
        if b'"response"' not in decoded:
            raise AssertionError(f"explorer click {i} failed: {decoded[:300]!r}")
        explorer.append(elapsed)
    return {"rounds": rounds, "explorer_p50": median(explorer), "explorer_p95": percentile(explorer, 95),
            "map_p50": median(map_change), "map_p95": percentile(map_change, 95)}


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 40)))
