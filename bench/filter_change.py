"""Row 1: the map callback's request on a filter change, the atlas's ``Patch`` against a naive full rebuild.

Both apps get the very request dash-renderer sends when ``atlas-state.data`` changes (the multi-output map
callback, with the ``atlas-map-sent`` store the previous state left), through Flask's test client,
with the ``Accept-Encoding`` Chromium sends (both apps compress with Flask-Compress, which picks zstd). The
atlas's shared cache is cleared before every measured state, so each answer is computed cold; the naive app
has no cache. Both apps are warmed up once on a state outside the sequence, then take the sequence's requests
in turn.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from bench.common import BROWSER_ACCEPT_ENCODING, decode_body, percentile
from bench.report import Measure
from dashboard.state import ViewState

ROW = "1 filter change"
MAP_OUTPUT = "..atlas-map.figure...atlas-map-sent.data.."
MAP_OUTPUTS = [{"id": "atlas-map", "property": "figure"}, {"id": "atlas-map-sent", "property": "data"}]

#: A fixed walk through the filters at NUTS 3, every state distinct: each change is one click a user makes.
STATE_SEQUENCE: tuple[dict, ...] = (
    {"sectors": ["ict"]},
    {"sectors": ["ict"], "countries": ["AT"]},
    {"sectors": ["energy_greentech", "ict"], "countries": ["AT"]},
    {"sectors": ["energy_greentech", "mechatronics_engineering", "ict"], "countries": ["AT"]},
    {"sectors": ["energy_greentech", "mechatronics_engineering", "ict"], "countries": ["AT", "CH"]},
    {"sectors": ["energy_greentech", "mechatronics_engineering"], "countries": ["AT", "CH"]},
    {"sectors": ["energy_greentech", "mechatronics_engineering"], "countries": ["AT", "CH", "DE"]},
    {"sectors": ["energy_greentech", "mechatronics_engineering", "life_sciences"], "countries": ["AT", "CH", "DE"]},
    {"sectors": ["energy_greentech", "mechatronics_engineering", "life_sciences"], "countries": ["IT"]},
    {"sectors": ["chemistry_materials"], "countries": ["IT"]},
    {"sectors": ["chemistry_materials"]},
    {"sectors": ["chemistry_materials", "mobility_automotive"]},
    {"sectors": ["chemistry_materials", "mobility_automotive"], "countries": ["FR"]},
    {"sectors": ["chemistry_materials", "mobility_automotive"], "countries": ["FR"],
     "org_types": ["cluster_organisation"]},
    {"sectors": ["chemistry_materials", "mobility_automotive"], "countries": ["FR", "SI"]},
    {"countries": ["SI"]},
    {"sectors": ["agrifood"], "countries": ["SI"]},
    {"sectors": ["agrifood"]},
    {"sectors": ["construction_wood", "tourism_services"]},
    {"countries": ["CH", "LI"]},
)
#: The state both apps are warmed up with (the page's first view), not part of the sequence.
WARM_UP_STATE: dict = {}


def view_state(changes: dict) -> dict:
    """The ``atlas-state`` store's data for a change from the default view, at NUTS 3."""
    return ViewState.from_dict({**changes, "level": 3}).to_dict()


def callback_body(state_data: dict, *, map_sent: dict | None = None) -> dict:
    """The JSON body dash-renderer posts to ``/_dash-update-component`` for the map callback.

    ``map_sent`` is what the page's ``atlas-map-sent`` store holds: the level on screen and a digest of
    each trace property already sent (None: nothing drawn yet, so the server answers with a whole figure).
    """
    return {
        "output": MAP_OUTPUT,
        "outputs": MAP_OUTPUTS,
        "inputs": [{"id": "atlas-state", "property": "data", "value": state_data}],
        "state": [{"id": "atlas-map-sent", "property": "data", "value": map_sent}],
        "changedPropIds": ["atlas-state.data"],
    }


def map_sent_after(state_data: dict) -> dict:
    """The store a browser holds after the map drew ``state_data``: computed as the callback computes it."""
    from dashboard import views
    from dashboard.data import load_atlas_data

    state = ViewState.from_dict(state_data)
    return {"level": state.level, "sent": views.value_digests(views.map_values(load_atlas_data(), state, state.lang))}


def request_bodies() -> list[bytes]:
    """The sequence's bodies, serialised once (also what the load test rotates through); each carries the
    store left by the state before it, as in a browser clicking through the sequence."""
    states = [view_state(changes) for changes in (WARM_UP_STATE, *STATE_SEQUENCE)]
    return [json.dumps(callback_body(state, map_sent=map_sent_after(previous)), separators=(",", ":")).encode()
            for previous, state in zip(states, states[1:])]


@dataclass
class Sample:
    seconds: list[float]
    wire_bytes: list[int]
    json_bytes: list[int]
    encodings: set[str]

    @property
    def p50_ms(self) -> float:
        return percentile(self.seconds, 50) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.seconds, 95) * 1000

    @property
    def median_wire(self) -> float:
        return percentile(self.wire_bytes, 50)

    @property
    def median_json(self) -> float:
        return percentile(self.json_bytes, 50)


HEADERS = {"Accept-Encoding": BROWSER_ACCEPT_ENCODING, "Content-Type": "application/json"}


def _post(client, body: bytes) -> tuple[float, int, bytes, str]:
    started = time.perf_counter()
    response = client.post("/_dash-update-component", data=body, headers=HEADERS)
    wire = response.get_data()
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"/_dash-update-component answered {response.status_code}: {wire[:300]!r}")
    encoding = response.headers.get("Content-Encoding", "")
    return elapsed, len(wire), decode_body(wire, encoding), encoding


@dataclass
class Contender:
    """One app under test: its test client, what to do before each request, how to check each answer."""

    app: object
    before_each: object = None
    check: object = None

    def __post_init__(self) -> None:
        self.client = self.app.server.test_client()
        self.sample = Sample([], [], [], set())

    def warm_up(self) -> None:
        _post(self.client, json.dumps(callback_body(view_state(WARM_UP_STATE))).encode())

    def measure(self, body: bytes) -> None:
        if self.before_each is not None:
            self.before_each(self.app)
        elapsed, wire, decoded, encoding = _post(self.client, body)
        if self.check is not None:
            self.check(decoded)
        self.sample.seconds.append(elapsed)
        self.sample.wire_bytes.append(wire)
        self.sample.json_bytes.append(len(decoded))
        self.sample.encodings.add(encoding or "identity")


def measure_apps(contenders: list[Contender], bodies: list[bytes], *, repeats: int = 1) -> list[Sample]:
    """Every body to every app in turn (the apps alternate request by request, so a busy moment on the
    machine hits both alike), ``repeats`` times over the sequence, after one warm-up request each."""
    for contender in contenders:
        contender.warm_up()
    for _ in range(repeats):
        for body in bodies:
            for contender in contenders:
                contender.measure(body)
    return [contender.sample for contender in contenders]


def clear_atlas_cache(app) -> None:
    from dashboard.cache import cache

    cache.clear()


def check_patch(decoded: bytes) -> None:
    if b"__dash_patch_update" not in decoded:
        raise AssertionError("the atlas answered a filter change with a whole figure, not a Patch")


def check_full_figure(decoded: bytes) -> None:
    if b'"geojson":{' not in decoded.replace(b" ", b""):
        raise AssertionError("the naive app's answer has no inline GeoJSON")


@dataclass
class FilterChangeResult:
    ours: Sample
    baseline: Sample

    @property
    def ratios(self) -> dict[str, float]:
        return {
            "p50": self.ours.p50_ms / self.baseline.p50_ms,
            "p95": self.ours.p95_ms / self.baseline.p95_ms,
            "wire_bytes": self.ours.median_wire / self.baseline.median_wire,
            "json_bytes": self.ours.median_json / self.baseline.median_json,
        }

    def measures(self) -> list[Measure]:
        r = self.ratios
        n = len(self.ours.seconds)
        encodings = "/".join(sorted(self.ours.encodings | self.baseline.encodings))
        return [
            Measure(ROW, f"server time p50 ({n} requests, cache cold)", self.ours.p50_ms, self.baseline.p50_ms,
                    "ms", ratio=r["p50"], note="baseline: naive_app.py, plotly.express rebuild"),
            Measure(ROW, "server time p95", self.ours.p95_ms, self.baseline.p95_ms, "ms", ratio=r["p95"],
                    target="≤ 0.25", met=r["p95"] <= 0.25),
            Measure(ROW, f"response bytes as sent, {encodings} (median)", self.ours.median_wire,
                    self.baseline.median_wire, "B", ratio=r["wire_bytes"], target="≤ 0.05",
                    met=r["wire_bytes"] <= 0.05, note=f"Accept-Encoding: {BROWSER_ACCEPT_ENCODING}"),
            Measure(ROW, "response bytes, JSON (median)", self.ours.median_json, self.baseline.median_json, "B",
                    ratio=r["json_bytes"], target="≤ 0.05", met=r["json_bytes"] <= 0.05),
        ]


def run(*, states: int | None = None, repeats: int = 1) -> FilterChangeResult:
    """Measure ``states`` changes of the sequence (all by default), ``repeats`` times each, on both apps."""
    from bench import naive_app
    from dashboard.factory import create_app

    bodies = request_bodies()[: states or len(STATE_SEQUENCE)]
    ours, baseline = measure_apps([Contender(create_app(), before_each=clear_atlas_cache, check=check_patch),
                                   Contender(naive_app.create_app(), check=check_full_figure)],
                                  bodies, repeats=repeats)
    return FilterChangeResult(ours, baseline)


def measures(*, quick: bool = False) -> list[Measure]:
    return run(repeats=1 if quick else 2).measures()
