"""Trust under bad input and load, in-process: no 5xx for anything a client sends, bounded exports and caches,
the request body limit and the Content-Security-Policy header.

``app`` and ``client`` come from ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from pathlib import Path

import pytest

from bench import fuzz
from dashboard import exports, render, story
from dashboard.cache import MemoryStore, SharedCache, cache, cache_key
from dashboard.ids import Atlas
from dashboard.process_tree import descendants
from dashboard.state import MAX_STEP, ViewState, clicked_point, with_changes

UPDATE = "/_dash-update-component"


def registered_page_module(name: str):
    """The page module as Dash imported it (importing it again under another name would register it twice)."""
    import sys

    import dash

    return sys.modules[next(module for module, page in dash.page_registry.items() if page["name"] == name)]


# --- 1. no 5xx -------------------------------------------------------------------------------------------------


def test_trs001_fuzzed_payloads_and_urls_never_answer_5xx(client, caplog):
    """≥ 2,000 mutated callback payloads over every server-side callback, plus hostile URLs and paths."""
    caplog.set_level(logging.DEBUG, logger="dashboard.guard")
    specs = fuzz.callback_specs(client)
    # State, map, map click, views (every view but the map, in one callback), download, shell, pages.
    assert len(specs) >= 7, [spec["output"] for spec in specs]
    assert any("atlas-rendered-views.data" in spec["output"] for spec in specs)
    result = fuzz.run(client, payload_count=2000, url_count=150, seed=12)
    assert result.requests >= 2000 + 150
    assert result.server_errors == [], result.server_errors[:10]
    # The parsers absorb every bad value: what the guard still rejects fails in Dash's own request handling
    # (a broken frame), never in this project's code.
    ours = [record.getMessage() for record in caplog.records
            if record.name == "dashboard.guard" and (" at dashboard/" in record.getMessage()
                                                     or " at geodata/" in record.getMessage())]
    assert ours == []
    assert result.statuses[200] > 1000  # most payloads reach the callbacks and are answered


def test_trs002_every_well_formed_callback_request_is_answered(client):
    """The fuzzer's unmutated requests are valid, so its mutations test the callbacks, not the frame."""
    import random

    rng = random.Random(3)
    for spec in fuzz.callback_specs(client):
        body = fuzz.well_formed(spec, rng)
        answer = client.post(UPDATE, json=body)
        assert answer.status_code in (200, 204), (spec["output"], answer.status_code, answer.get_data()[:300])


@pytest.mark.parametrize("values", [
    {"sectors": [["ict"]], "countries": [{"AT": 1}], "compare": [["AT31"]]},  # state.py:93 unhashable list
    {"level": float("inf"), "step": float("inf")},  # state.py:117/121
    {"level": float("nan"), "step": float("-inf")},
    {"search": ["Linz"], "cluster": {"x": 1}, "region": 7, "lang": ["de"], "story": ["x"]},  # state.py:73
    {"level": [3], "step": {"n": 1}, "partners": [1], "present": {"x": 1}, "mountain": ["all"], "period": {}},
])
def test_trs003_any_json_value_reads_as_a_valid_state(values):
    state = ViewState.from_dict(values)
    assert ViewState.from_query(state.to_query()) == state
    assert state.level in (0, 1, 2, 3) and 0 <= state.step <= MAX_STEP
    assert isinstance(state.search, str) and isinstance(state.cluster, str)


@pytest.mark.parametrize("stored", [None, [], "x", 3, float("inf"), [{"level": 2}]])
def test_trs004_a_store_that_is_not_a_dict_is_the_default_view(stored):
    assert ViewState.from_dict(stored) == ViewState()  # state.py:117 (store not a dict)


@pytest.mark.parametrize("query", [None, 5, ["?level=2"], {"q": 1}, "?" + "a=1&" * 5000, "?level=1e999&step=NaN"])
def test_trs005_any_query_reads_as_a_valid_state(query):
    assert ViewState.from_query(query).level == 3


@pytest.mark.parametrize("click, expected", [
    (None, {}), ([], {}), ({"points": None}, {}), ({"points": [None]}, {}), ({"points": {"0": 1}}, {}),
    ({"points": [{"location": []}]}, {}), ({"points": [{"location": "AT312"}]}, {"location": "AT312"}),
    ({"points": [{"location": "<script>"}]}, {}), ({"points": [{"customdata": [1, None, {}]}]}, {}),
    ({"points": [{"customdata": ["a", 2, "b"]}]}, {"place": ["a", "b"]}),
    ({"points": [{"customdata": "at-x"}]}, {"cluster": "at-x"}),
    # A marker on plotly.js's SVG map reports ``location: null`` beside its customdata.
    ({"points": [{"location": None, "customdata": ["a", "b"]}]}, {"place": ["a", "b"]}),
    ({"points": [{"location": None, "customdata": "at-x"}]}, {"cluster": "at-x"}),
])
def test_trs006_click_data_of_any_shape_is_a_region_a_cluster_a_place_or_nothing(click, expected):
    assert clicked_point(click) == expected  # pages/atlas.py:165/169/173


def test_trs007_a_mistyped_story_id_starts_the_default_story(app, register):
    """``/?present=1&story=alps4eu-key-sector``, then Next: story.py:56 raised and the presentation stuck."""
    atlas = registered_page_module("atlas")
    state = ViewState.from_query("?present=1&story=alps4eu-key-sector&step=1")
    assert state.story == ""
    after, _ = atlas.presentation_change(register, state, Atlas.STORY_NEXT)
    assert after.story == story.DEFAULT_STORY and after.present
    assert atlas.presentation_change(register, with_changes(after, step=MAX_STEP),
                                   Atlas.STORY_NEXT)[0].step == \
        len(story.load_story(story.DEFAULT_STORY).steps) - 1


def test_trs008_the_map_callback_survives_a_map_sent_store_with_sent_null(client):
    """pages/atlas.py:204: ``{"level": 3, "sent": null}`` in the map-sent store."""
    body = {"output": f"..{Atlas.MAP}.figure...{Atlas.MAP_SENT}.data..",
            "outputs": [{"id": Atlas.MAP, "property": "figure"}, {"id": Atlas.MAP_SENT, "property": "data"}],
            "inputs": [{"id": Atlas.STATE, "property": "data", "value": ViewState().to_dict()}],
            "state": [{"id": Atlas.MAP_SENT, "property": "data", "value": {"level": 3, "sent": None}}],
            "changedPropIds": [f"{Atlas.STATE}.data"]}
    answer = client.post(UPDATE, json=body)
    assert answer.status_code == 200
    assert "__dash_patch_update" in answer.get_data(as_text=True)


@pytest.mark.parametrize("language, title", [("en", "Page not found"), ("de", "Seite nicht gefunden"),
                                              ("sl", "Strani ni mogoče najti")])
def test_trs009_an_unknown_path_answers_404_with_the_not_found_view(client, language, title):
    page = client.get(f"/no-such-page?lang={language}")
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert client.get("/about/").status_code == 200
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/no-such-page"},
                       {"id": "_pages_location", "property": "search", "value": f"?lang={language}"}],
            "changedPropIds": ["_pages_location.pathname"]}
    answer = client.post(UPDATE, json=body)
    assert answer.status_code == 200
    assert title in json.dumps(answer.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/../../etc/passwd",
                                  "/_dash-component-suites/nonexistent/x.js", "/_dash-component-suites/dash/dcc",
                                  "/_dash-component-suites/dash/dcc/nope.v1m1.js"])
def test_trs010_malformed_component_suite_paths_answer_4xx(client, path):
    assert 400 <= client.get(path).status_code < 500


def test_trs011_the_not_found_page_is_not_in_the_navigation(client):
    from dashboard import shell
    from dashboard.i18n import Translator

    links = shell.navigation(Translator("en")).children
    assert [link.href for link in links] == ["/", "/about", "/partners"]


# --- 4. body limit ---------------------------------------------------------------------------------------------


def test_trs012_a_body_over_the_limit_answers_413(app, client):
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    assert limit == 1_000_000
    answer = client.post(UPDATE, data=b"[" + b" " * limit + b"]", content_type="application/json")
    assert answer.status_code == 413


# --- 2. exports ------------------------------------------------------------------------------------------------


class FakeRenderer:
    """Stands in for the render process: counts renders, can hold one until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.hold = threading.Event()
        self.hold.set()
        self.started = threading.Event()

    def render(self, request: bytes, browser: str) -> bytes:
        self.calls += 1
        self.started.set()
        self.hold.wait(10)
        asked = json.loads(request)
        return f"image {asked['name']}.{asked['format']} {asked['query']} #{self.calls}".encode()


@pytest.fixture
def fake_renderer(install_renderer):
    return install_renderer(FakeRenderer())


def test_trs020_head_answers_without_rendering(client, fake_renderer):
    answer = client.head("/export/map.png?sector=ict")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "image/png" and answer.headers["ETag"]
    assert fake_renderer.calls == 0


def test_trs021_the_same_view_gives_the_same_bytes_from_one_render(client, fake_renderer):
    first = client.get("/export/top-regions.svg?sector=ict&level=2")
    again = client.get("/export/top-regions.svg?level=2&sector=ict,ict")  # the same view, written otherwise
    assert first.status_code == again.status_code == 200
    assert first.get_data() == again.get_data()
    assert fake_renderer.calls == 1
    assert first.headers["ETag"] == again.headers["ETag"]
    assert "max-age=" in first.headers["Cache-Control"]
    conditional = client.get("/export/top-regions.svg?sector=ict&level=2",
                             headers={"If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304
    assert fake_renderer.calls == 1
    other = client.get("/export/top-regions.svg?sector=ict&level=1")
    assert other.headers["ETag"] != first.headers["ETag"] and fake_renderer.calls == 2


def test_trs022_exports_beyond_the_slots_answer_503_with_retry_after(app, fake_renderer, monkeypatch):
    monkeypatch.setattr(render, "_slots", threading.BoundedSemaphore(1))
    fake_renderer.hold.clear()
    answers = {}

    def slow_export():
        answers["first"] = app.server.test_client().get("/export/map.png?country=AT")

    worker = threading.Thread(target=slow_export)
    worker.start()
    assert fake_renderer.started.wait(30)
    busy = app.server.test_client().get("/export/map.png?country=IT")
    fake_renderer.hold.set()
    worker.join(30)
    assert busy.status_code == 503
    assert int(busy.headers["Retry-After"]) > 0
    assert answers["first"].status_code == 200


def test_trs023_unknown_exports_are_404_without_rendering(client, fake_renderer):
    for url in ("/export/nope.png", "/export/map.gif", "/export/region-XX999.pdf", "/export/map.pdf"):
        assert client.get(url).status_code == 404, url
    assert fake_renderer.calls == 0


def test_trs024_the_render_process_is_recycled_and_holds_the_browser():
    """Real Chromium: the child builds and renders the export; after ``renders_per_process`` renders it (and
    its browser) is replaced, so memory cannot grow with the number of exports."""
    if not render.browser_path():
        pytest.skip("static export needs Chromium")
    process = render.RenderProcess(renders_per_process=2)
    request = json.dumps({"name": "top-regions", "format": "svg", "query": "?sector=ict"}).encode()
    pids = []
    try:
        for _ in range(3):
            image = process.render(request, render.browser_path())
            assert image.lstrip().startswith(b"<svg")
            pids.append(process.pid)
        with pytest.raises(render.ExportUnavailable, match="no export"):
            process.render(json.dumps({"name": "nope", "format": "svg", "query": ""}).encode(),
                           render.browser_path())
    finally:
        process.stop()
    assert pids[0] is not None
    assert pids[1] is None  # stopped after its second render…
    assert pids[2] is not None and pids[2] != pids[0]  # …and a fresh one took the third


def _policy(pid: int) -> int:
    """The scheduling policy of ``pid`` (field 41 of ``/proc/<pid>/stat``, after the command's parenthesis)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[38])


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling classes")
def test_trs025_the_render_process_and_its_chromium_run_idle_on_half_the_processors():
    """Real Chromium: the render process and every process its browser starts are in the idle class (Chromium
    raised its own niceness above the web workers') and keep off the lower half of the processors."""
    if not render.browser_path():
        pytest.skip("static export needs Chromium")
    process = render.RenderProcess(renders_per_process=5)
    request = json.dumps({"name": "top-regions", "format": "svg", "query": ""}).encode()
    processors = sorted(os.sched_getaffinity(0))
    try:
        process.render(request, render.browser_path())
        pids = [process.pid, *descendants(process.pid)]
        classes = {pid: _policy(pid) for pid in pids}
        placed = {pid: sorted(os.sched_getaffinity(pid)) for pid in pids}
    finally:
        process.stop()
    assert len(pids) >= 4, pids  # the worker, Kaleido's wrapper, Chromium's browser and its helpers
    assert set(classes.values()) == {os.SCHED_IDLE}, classes
    assert all(cpus == processors[len(processors) // 2:] for cpus in placed.values()), placed


def _autogroup(pid: int) -> tuple[str, int] | None:
    """(name, niceness) of ``pid``'s autogroup (``/autogroup-12 nice 0``), or None without autogroups."""
    try:
        name, _, nice = Path(f"/proc/{pid}/autogroup").read_text().split()
    except (OSError, ValueError):
        return None
    return name, int(nice)


@pytest.mark.skipif(_autogroup(os.getpid()) is None, reason="a kernel with autogroups")
def test_trs029_chromiums_own_session_is_niced_so_it_cannot_take_half_a_processor():
    """Real Chromium: Kaleido starts the browser in a session of its own, and Linux shares a processor between
    sessions' autogroups half and half whatever their processes' class. Every autogroup below the render
    process other than the web worker's own is niced to 19, so a page on the same processor keeps it."""
    if not render.browser_path():
        pytest.skip("static export needs Chromium")
    process = render.RenderProcess(renders_per_process=5)
    request = json.dumps({"name": "top-regions", "format": "svg", "query": ""}).encode()
    try:
        process.render(request, render.browser_path())
        groups = {pid: _autogroup(pid) for pid in [process.pid, *descendants(process.pid)]}
    finally:
        process.stop()
    own = _autogroup(os.getpid())
    others = {pid: group for pid, group in groups.items() if group is not None and group[0] != own[0]}
    assert others, groups  # Chromium is in a session of its own…
    assert {nice for _, nice in others.values()} == {19}, others  # …whose group yields


def _scripted_child(tmp_path: Path, behaviour: str) -> tuple[str, ...]:
    """A stand-in render process: each start appends a line to ``starts``; ``behaviour`` says what the n-th
    start does with a request: ``answer``, ``crash`` (a word on stderr, exit 3) or ``hang``."""
    script = tmp_path / "child.py"
    script.write_text(f"""
import pathlib, struct, sys, time
starts = pathlib.Path({str(tmp_path / "starts")!r})
with starts.open("a") as log:
    log.write("start\\n")
what = {behaviour.split()!r}[min(len(starts.read_text().splitlines()), {len(behaviour.split())}) - 1]
for line in sys.stdin.buffer:
    if what == "crash":
        sys.stderr.write("chromium: the GPU process went away\\n")
        sys.exit(3)
    if what == "hang":
        time.sleep(60)
    sys.stdout.buffer.write(struct.pack(">BQ", 0, 5) + b"<svg>")
    sys.stdout.buffer.flush()
""")
    return (sys.executable, str(script))


def test_trs026_a_render_process_that_dies_mid_render_is_replaced_and_asked_again(tmp_path, caplog):
    """A browser can crash under a render; the visitor gets the export from a fresh process, not a 503."""
    process = render.RenderProcess(5, command=_scripted_child(tmp_path, "crash answer"))
    try:
        with caplog.at_level(logging.WARNING, logger="dashboard.render"):
            assert process.render(b"{}", "chromium") == b"<svg>"
    finally:
        process.stop()
    assert (tmp_path / "starts").read_text().count("start") == 2
    assert "status 3" in caplog.text and "the GPU process went away" in caplog.text


def test_trs027_a_process_that_dies_twice_is_a_503_that_says_why(tmp_path):
    process = render.RenderProcess(5, command=_scripted_child(tmp_path, "crash"))
    try:
        with pytest.raises(render.ExportUnavailable, match="status 3.*the GPU process went away"):
            process.render(b"{}", "chromium")
    finally:
        process.stop()
    assert (tmp_path / "starts").read_text().count("start") == 2  # asked once more, then given up


def test_trs028_a_silent_render_is_abandoned_at_the_time_limit_and_not_retried(tmp_path):
    """Bounded work: a render that hangs costs one time limit, not two, and the next export starts afresh."""
    process = render.RenderProcess(5, command=_scripted_child(tmp_path, "hang answer"), timeout_seconds=1.0)
    try:
        with pytest.raises(render.ExportUnavailable, match="no answer within 1 s"):
            process.render(b"{}", "chromium")
        assert (tmp_path / "starts").read_text().count("start") == 1
        assert process.render(b"{}", "chromium") == b"<svg>"
    finally:
        process.stop()


# --- 3. cache --------------------------------------------------------------------------------------------------


def test_trs030_keys_are_hashes_of_the_normalised_view():
    secret = "my company's confidential search"
    state = ViewState.from_query("?q=" + secret)
    key = cache_key("clusters", state.selection)
    assert secret not in key and len(key) == len("atlas:") + 40
    assert cache_key("clusters", ViewState.from_query("?q=" + secret + "&sector=ict,ict").selection) != key


def test_trs031_the_in_process_cache_is_bounded_by_bytes():
    store = MemoryStore(max_bytes=10_000)
    shared = SharedCache(store, timeout=60, max_entry_bytes=5_000, retry_seconds=1)
    for index in range(100):
        shared.set(cache_key("search", index), "x" * 1_000)
    assert store.size <= 10_000 and len(store.entries) < 100
    assert shared.get(cache_key("search", 99)) == "x" * 1_000  # the newest stays
    assert not shared.set(cache_key("big"), "x" * 6_000)  # one entry over the limit is not stored
    assert shared.get(cache_key("big")) is None
