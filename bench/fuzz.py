"""A seeded fuzzer for everything a client can send: callback payloads, query strings and paths.

The callback list is read from ``/_dash-dependencies``, so a callback added later is fuzzed without touching
this file. For each server-side callback a well-formed request is built the way dash-renderer builds it, then
mutated: an input or state value replaced by a hostile JSON value (null, wrong types, ``Infinity``, ``NaN``,
huge strings, deep nesting, look-alike dicts such as ``clickData`` without points), or the request frame
itself broken (``inputs`` missing or of the wrong type, unknown outputs, a body that is not JSON). Everything
goes through Flask's test client of one app, in-process; ``run`` counts the answers by status.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

UPDATE = "/_dash-update-component"

#: Values a client may send in place of any property value.
HOSTILE_VALUES: tuple[object, ...] = (
    None, True, False, 0, -1, 1, 2.5, 10**30, -10**30, float("inf"), float("-inf"), float("nan"),
    "", " ", "x" * 100_000, "ä\u0000\ud7ff<script>", "?level=Infinity&step=1e999&story=../../etc",
    "/?present=1&story=alps4eu-key-sector", "javascript:alert(1)", "http://[::1", [], [None], [[]], [{}],
    [1, 2, 3], ["ict", ["ict"], {"a": 1}], ["AT", "AT", "XX", 3], {}, {"level": float("inf")},
    {"level": [3], "step": float("nan"), "sectors": "ict", "countries": [["AT"]], "search": ["Linz"]},
    {"search": {"q": 1}, "region": 7, "cluster": ["x"], "lang": ["de"], "story": {"id": 1}, "compare": "AT"},
    {"points": None}, {"points": []}, {"points": [None]}, {"points": ["AT31"]}, {"points": [{"location": []}]},
    {"points": [{"location": {"x": 1}}]}, {"points": [{"customdata": ["a"]}]}, {"points": [{}]},
    {"points": {"0": {"location": "AT31"}}}, {"level": 3, "sent": None}, {"level": 3, "sent": []},
    {"level": 3, "sent": {"0.z": [1]}}, {"level": "3", "sent": "x"}, {"region": None, "cluster": None},
)

#: Plausible values, so a mutation of one value meets otherwise realistic neighbours.
PLAUSIBLE_VALUES: dict[str, tuple[object, ...]] = {
    "search": ("", "?sector=ict&level=2", "?present=1&story=alps4eu-key-sectors&step=2", "?lang=de&q=Linz"),
    "pathname": ("/", "/about", "/nope"),
    "href": ("http://127.0.0.1/", "http://127.0.0.1/?sector=ict"),
    "value": (None, [], ["ict"], ["AT"], "2021-2027", 2, "density", "all", "today", "Linz", ["AT31"],
              ["partners"], "de"),
    "n_clicks": (None, 1, 3),
    "data": (None, {}, {"level": 3, "sent": {}}, {"sectors": ["ict"], "level": 2, "lang": "fr"},
             {"present": True, "story": "alps4eu-key-sectors", "step": 1}),
    "clickData": (None, {"points": [{"location": "AT312"}]}, {"points": [{"customdata": "at-x"}]}),
    "open": (True, False, None),
}


#: Stands for nesting deeper than Python's JSON encoder can write; spliced into the text after encoding.
DEEP_MARK = "\u2063deep\u2063"
DEEP_TEXT = "[" * 5000 + "]" * 5000


def deep_list(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def hostile_value(rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.03:
        return deep_list(rng.choice((50, 400)))
    if roll < 0.05:
        return DEEP_MARK
    if roll < 0.08:
        return {"a" * rng.randint(1, 5000): deep_list(30)}
    return rng.choice(HOSTILE_VALUES)


def plausible_value(prop: str, rng: random.Random) -> object:
    return rng.choice(PLAUSIBLE_VALUES.get(prop, PLAUSIBLE_VALUES["value"]))


def split_outputs(output: str) -> list[dict]:
    """``..a.b...c.d..`` or ``a.b`` as dash-renderer's ``outputs`` entries (``@hash`` suffixes kept off)."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": component, "property": prop.split("@")[0]})
    return outputs


def callback_specs(client) -> list[dict]:
    """The server-side callbacks the app declares (clientside ones never reach the server)."""
    answer = client.get("/_dash-dependencies")
    if answer.status_code != 200:
        raise RuntimeError(f"/_dash-dependencies answered {answer.status_code}")
    return [spec for spec in answer.get_json() if not spec.get("clientside_function")]


def well_formed(spec: dict, rng: random.Random) -> dict:
    outputs = split_outputs(spec["output"])
    inputs = [{"id": i["id"], "property": i["property"], "value": plausible_value(i["property"], rng)}
              for i in spec["inputs"]]
    states = [{"id": s["id"], "property": s["property"], "value": plausible_value(s["property"], rng)}
              for s in spec["state"]]
    return {"output": spec["output"], "outputs": outputs if spec["output"].startswith("..") else outputs[0],
            "inputs": inputs, "state": states,
            "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"] if inputs else []}


def mutate(body: dict, rng: random.Random) -> dict | str:
    """One mutation of a well-formed body: mostly values (the parsers' job), sometimes the frame."""
    roll = rng.random()
    entries = body["inputs"] + body["state"]
    if roll < 0.55 and entries:
        rng.choice(entries)["value"] = hostile_value(rng)
    elif roll < 0.75:
        for entry in entries:
            if rng.random() < 0.5:
                entry["value"] = hostile_value(rng)
    elif roll < 0.8 and entries:
        entry = rng.choice(entries)
        entry.pop("value", None)
    elif roll < 0.85 and len(body["inputs"]) > 1:
        body["changedPropIds"] = [f"{entry['id']}.{entry['property']}" for entry in rng.sample(
            body["inputs"], rng.randint(1, len(body["inputs"])))]
    elif roll < 0.9:
        key = rng.choice(("inputs", "state", "outputs", "output", "changedPropIds"))
        body[key] = hostile_value(rng)
    elif roll < 0.93:
        body.pop(rng.choice(("inputs", "state", "outputs", "output")), None)
    elif roll < 0.96:
        return rng.choice(("", "{", "null", "[]", '{"output": 1}', "Infinity", DEEP_TEXT))
    else:
        body["changedPropIds"] = hostile_value(rng)
    return body


def payloads(specs: list[dict], count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """``count`` mutated bodies, spread evenly over ``specs``; seeded, so a failure reproduces."""
    rng = random.Random(seed)
    for index in range(count):
        spec = specs[index % len(specs)]
        body = mutate(well_formed(spec, rng), rng)
        text = body if isinstance(body, str) else json.dumps(body, allow_nan=True)
        text = text.replace(json.dumps(DEEP_MARK), DEEP_TEXT)
        yield spec["output"], text.encode("utf-8", "surrogatepass")


HOSTILE_PATHS: tuple[str, ...] = (
    "/nope", "/about/x", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/geo/nuts9-x.geojson",
    "/geo/nuts3-%00.geojson", "/api/regions?level=Infinity&step=1e999", "/api/regions?sector=%ff%fe",
    "/export/map.png?level=Infinity", "/export/nope.gif", "/export/region-..%2f.pdf", "/export/.png",
    "/_dash-component-suites/", "/_dash-component-suites/dash/", "/_dash-component-suites/dash/..%2f..%2fetc",
    "/_dash-component-suites/nonexistent/x.js", "/_dash-component-suites/dash/dcc/nope.v1m1.js",
    "/_dash-component-suites/dash/dcc/dash_core_components.v9.9.9m1.js",
    "/_dash-component-suites/dash/dcc/async-graph.js.map", "/_dash-component-suites/sys/os.py",
    "/_dash-component-suites/dash/deps/", "/_dash-component-suites/dash/html/%00.js",
    "/_dash-component-suites/plotly/package_data/plotly.min.js/x", "/_dash-layout?x=%ff",
    "/_dash-dependencies/x", "/assets/../app.py", "/assets/%2e%2e/app.py", "/_favicon.ico/x", "/healthz/x",
    "/?" + "a=1&" * 3000, "/?q=" + "x" * 20_000, "/?lang=%ff%fe&story=%00", "/?present=1&story=alps4eu-key-sector",
    "/?level=Infinity&step=1e999&compare=AT,AT,ATATATATAT,%00", "/about?lang=xx-" + "y" * 500,
    "/?sector=" + ",".join(["ict"] * 500), "//evil.example/", "/\\evil", "/%ZZ", "/" + "a/" * 400,
)


def hostile_urls(rng: random.Random, count: int) -> Iterator[str]:
    """The fixed list, then random query strings on the pages and API routes."""
    yield from HOSTILE_PATHS
    keys = ("sector", "country", "type", "mountain", "landscape", "q", "period", "level", "metric", "partners",
            "compare", "region", "cluster", "lang", "present", "embed", "story", "step", "x")
    junk = ("Infinity", "-1", "1e999", "NaN", "%00", "%ff", "[]", "{}", "null", "a" * 300, "AT,,AT,%2C", "ict,ict",
            "..%2F", "%E2%80%AE", "true", "3.7", "-0", "alps4eu-key-sector")
    for _ in range(count):
        base = rng.choice(("/", "/about", "/api/regions", "/export/map.png", "/export/region-AT312.pdf",
                           "/export/nope.svg"))
        query = "&".join(f"{rng.choice(keys)}={rng.choice(junk)}" for _ in range(rng.randint(1, 6)))
        yield f"{base}?{query}"


@dataclass
class FuzzResult:
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    requests: int = 0

    def record(self, status: int, what: str) -> None:
        self.requests += 1
        self.statuses[status] += 1
        if status >= 500:
            self.server_errors.append(f"{status} {what}")


def run(client, *, payload_count: int = 2000, url_count: int = 300, seed: int = 12,
        render_exports: bool = False) -> FuzzResult:
    """Send ``payload_count`` mutated callback bodies and the hostile URLs; ``HEAD`` is used for exports
    unless ``render_exports`` (a render takes a second; the parsing is the same)."""
    result = FuzzResult()
    for output, body in payloads(callback_specs(client), payload_count, seed):
        answer = client.post(UPDATE, data=body, content_type="application/json")
        result.record(answer.status_code, f"POST {UPDATE} {output} {body[:300]!r}")
    for url in hostile_urls(random.Random(seed), url_count):
        method = client.get if render_exports or not url.startswith("/export/") else client.head
        answer = method(url)
        result.record(answer.status_code, f"{method.__name__.upper()} {url[:300]}")
    return result
