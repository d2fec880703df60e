"""The map as a reader meets it, in a real browser: what it frames, what a click on a shared place reveals,
where its legend sits on a phone, what its legend says, its marker images and the map-as-a-table disclosure.

Positions are read from MapLibre itself (the camera, ``project``), boxes from the DOM.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from support import assert_no_console_errors, intersects, wait_for

from dashboard.figures import SEA


pytestmark = pytest.mark.browser

DESKTOP = (1600, 1000)
PHONE = (390, 844)

MAP_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
return sub && sub.map && sub.map.loaded() && gd.__atlasFitKey ? true : null;
"""

CAMERA_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
const c = map.getCenter(), b = map.getBounds();
return {lon: c.lng, lat: c.lat, zoom: map.getZoom(), fit: gd.__atlasFitKey,
        bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]};
"""

#: The biggest shared place in the figure: its ids and its pixel on the map's canvas.
BIGGEST_PLACE_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const trace = gd.data.find(t => t.type === 'scattermap' && (t.customdata || []).some(Array.isArray));
let best = -1;
trace.customdata.forEach((item, i) => {
    if (Array.isArray(item) && (best < 0 || item.length > trace.customdata[best].length)) { best = i; }
});
const map = gd._fullLayout.map._subplot.map;
map.jumpTo({center: [trace.lon[best], trace.lat[best]], zoom: 10});  // neighbouring places apart
const point = map.project([trace.lon[best], trace.lat[best]]);
const box = map.getCanvas().getBoundingClientRect();
return {ids: trace.customdata[best], x: point.x, y: point.y, width: box.width, height: box.height};
"""

BOX_JS = "const r = document.querySelector(arguments[0]).getBoundingClientRect();" \
         "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};"


@pytest.fixture(autouse=True)
def fresh_console(browser):
    browser.get_log("browser")


def open_map(browser, base_url: str, query: str = "", size=DESKTOP) -> None:
    browser.set_window_size(*size)
    browser.get(base_url + "/" + query)
    wait_for(lambda: browser.execute_script(MAP_JS), 90, message="the map to load and fit")


def click_sector(browser, sector: str) -> None:
    """Tick or untick a sector's box as a visitor does, the box scrolled into view first."""
    checkbox = browser.find_element(By.CSS_SELECTOR, f"#atlas-sectors input[value='{sector}']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", checkbox)


def filter_by_sector(browser, sector: str, address_part: str) -> None:
    """:func:`click_sector`, then wait until the address holds ``address_part`` and the map has settled."""
    click_sector(browser, sector)
    wait_for(lambda: address_part in browser.current_url or None, 30, message="the filter to apply")
    wait_for(lambda: browser.execute_script(MAP_JS), 60, message="the map to settle")


def camera(browser) -> dict:
    return browser.execute_script(CAMERA_JS)


def test_map101_first_view_fits_the_programme_area(browser, live_server, register):
    """All of the 2021–27 programme area is in view, and the view is not much wider or taller than needed."""
    open_map(browser, live_server)
    regions = register.regions
    west, south, east, north = regions[(regions["level"] == 3) & regions["in_area_2021_2027"]].total_bounds
    seen = wait_for(lambda: (lambda c: c if c["bounds"][0] <= west and c["bounds"][2] >= east else None)(camera(browser)),
                    message="the programme area in view")
    b = seen["bounds"]
    assert b[1] <= south and b[3] >= north, b
    # Fitted: one side touches (within the padding), so nothing is wasted along the tighter axis.
    assert min((west - b[0]) / (b[2] - b[0]), (b[3] - north) / (b[3] - b[1])) < 0.05, b
    assert_no_console_errors(browser)


def test_map102_country_filter_fits_the_map_to_it(browser, live_server, register):
    open_map(browser, live_server)
    before = camera(browser)
    label = browser.find_element(By.CSS_SELECTOR, "#atlas-countries input[value='SI']").find_element(
        By.XPATH, "./ancestor::label")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    label.click()
    slovenia = register.regions.query("nuts_id == 'SI'").total_bounds
    after = wait_for(lambda: (lambda c: c if c["fit"] != before["fit"] and c["zoom"] > before["zoom"] + 1 else None)(
        camera(browser)), 60, message=lambda: f"the map to fit Slovenia (camera {camera(browser)})")
    assert slovenia[0] < after["lon"] < slovenia[2] and slovenia[1] < after["lat"] < slovenia[3], after
    b = after["bounds"]
    assert b[0] <= slovenia[0] and b[2] >= slovenia[2] and b[1] <= slovenia[1] and b[3] >= slovenia[3], after
    assert_no_console_errors(browser)


def test_map103_a_moved_map_stays_where_the_visitor_put_it(browser, live_server):
    open_map(browser, live_server)
    canvas = browser.find_element(By.CSS_SELECTOR, "#atlas-map canvas.maplibregl-canvas")
    ActionChains(browser).move_to_element(canvas).click_and_hold().move_by_offset(120, 60).release().perform()
    moved = wait_for(lambda: browser.execute_script(
        "return document.querySelector('#atlas-map .js-plotly-plot').__atlasMoved"), message="the drag to register")
    assert moved
    held = camera(browser)
    label = browser.find_element(By.CSS_SELECTOR, "#atlas-countries input[value='SI']").find_element(
        By.XPATH, "./ancestor::label")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    label.click()
    wait_for(lambda: camera(browser)["fit"] != held["fit"], 60, message="the new selection to arrive")
    assert camera(browser)["zoom"] == pytest.approx(held["zoom"], abs=0.01)


def test_map104_a_shared_place_lists_every_organisation_there(browser, live_server):
    open_map(browser, live_server)
    canvas = browser.find_element(By.CSS_SELECTOR, "#atlas-map canvas.maplibregl-canvas")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)
    place = browser.execute_script(BIGGEST_PLACE_JS)
    assert len(place["ids"]) >= 10
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(place["x"] - place["width"] / 2), int(place["y"] - place["height"] / 2)).click().perform()
    items = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#atlas-map-place .place-item"), 30,
                     message="the list of the place's organisations")
    assert len(items) == len(place["ids"])
    ids = {item.get_attribute("id") for item in items}
    assert all(any(cid in html_id for html_id in ids) for cid in place["ids"])
    items[0].click()
    wait_for(lambda: "cluster=" in browser.current_url, message="the card of the chosen organisation")
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#atlas-cluster-card").text.strip(), 30,
             message="the organisation's card")
    assert_no_console_errors(browser)


def test_map105_phone_legend_is_outside_the_map(browser, live_server):
    open_map(browser, live_server, size=PHONE)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#atlas-map-legend .map-legend-class"),
             message="the legend's classes")
    legend = browser.execute_script(BOX_JS, "#atlas-map-legend")
    plot = browser.execute_script(BOX_JS, "#atlas-map .js-plotly-plot")
    toolbar = browser.execute_script(BOX_JS, "#atlas-map .modebar")
    assert legend["bottom"] > legend["top"]
    assert not intersects(legend, plot), (legend, plot)
    assert not intersects(legend, toolbar), (legend, toolbar)
    assert plot["right"] <= PHONE[0]


def test_map106_count_legend_has_whole_number_classes(browser, live_server):
    open_map(browser, live_server, "?level=2")
    labels = wait_for(lambda: [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#atlas-map-legend .map-legend-class")],
                      message="legend classes")
    classes = labels[:-1]  # the last is the grey "no value"
    assert classes and all(re.fullmatch(r"\d+(–\d+)?", label) for label in classes), labels


def test_map107_specialisation_legend_states_the_small_number_rule(browser, live_server):
    open_map(browser, live_server, "?metric=lq&sector=ict")
    note = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#atlas-map-legend .map-legend-note").text,
                    message="the legend's note")
    assert "5" in note and "1" in note


def test_map108_every_marker_image_is_drawn(browser, live_server):
    open_map(browser, live_server, "?partners=1")
    missing = wait_for(lambda: (lambda m: m if m["count"] else None)(browser.execute_script("""
        const gd = document.querySelector('#atlas-map .js-plotly-plot');
        const map = gd._fullLayout.map._subplot.map;
        const names = new Set();
        gd.data.forEach(t => { const s = t.marker && t.marker.symbol; (Array.isArray(s) ? s : [s]).forEach(n => n && names.add(n)); });
        const all = Array.from(names).filter(n => n.startsWith('atlas-'));
        return {count: all.length, missing: all.filter(n => !map.hasImage(n))};
    """)), message="marker images")
    assert missing["count"] > 10 and not missing["missing"], missing
    # Drawn here, not fetched: Plotly's fallback asks a CDN for unknown marker images.
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [url for url in resources if not url.startswith(live_server)] == []


def test_map109_the_map_as_a_table_opens_with_its_rows(browser, live_server):
    open_map(browser, live_server, "?level=2")
    summary = browser.find_element(By.CSS_SELECTOR, "#atlas-map-table-details > summary")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", summary)
    summary.click()
    rows = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#atlas-map-table tbody tr"), 30,
                    message="rows in the map's table")
    assert len(rows) > 10
    summary.click()
    wait_for(lambda: not any(row.is_displayed() for row in
                             browser.find_elements(By.CSS_SELECTOR, "#atlas-map-table tbody tr")), 30,
             message="the closed table to be hidden")
    assert_no_console_errors(browser)


def test_map110_a_focused_region_out_of_view_is_brought_into_view(browser, live_server, register):
    """A region chosen elsewhere (here the URL) is shown; one already in view does not move the map."""
    open_map(browser, live_server, "?country=SI&region=AT130")
    wien = register.regions.query("nuts_id == 'AT130'").total_bounds
    seen = wait_for(lambda: (lambda c: c if c["bounds"][2] >= wien[2] and c["bounds"][3] >= wien[3] else None)(
        camera(browser)), 60, message=lambda: f"Wien in view (camera {camera(browser)})")
    assert seen["bounds"][0] <= wien[0] and seen["bounds"][1] <= wien[1]
    assert_no_console_errors(browser)


#: What MapLibre holds for the values trace and the organisations' markers, next to what the figure says.
SOURCES_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
if (!map.loaded()) { return null; }
const paint = document.createElement('canvas').getContext('2d');
const norm = c => { paint.fillStyle = '#000000'; paint.fillStyle = c; return paint.fillStyle; };
const v = gd.data.findIndex(t => t.meta && t.meta.legend);
const p = gd.data.findIndex(t => t.type === 'scattermap' && t.customdata);
const regions = map.querySourceFeatures('source-' + gd._fullData[v].uid);
const points = map.querySourceFeatures('source-' + gd._fullData[p].uid + '-symbol');
const colours = gd.data[v].meta.legend.colours;
const recoloured = gd.__atlasColours;
const byState = JSON.stringify(map.getPaintProperty('plotly-trace-layer-' + gd._fullData[v].uid + '-fill',
                                                   'fill-color')).includes('"feature-state"');
const drawn = f => (byState && map.getFeatureState({source: 'source-' + gd._fullData[v].uid,
                                                     id: f.properties.nuts}).fill) || f.properties.fc;
return {
  expected_colours: Array.from(new Set(recoloured ? recoloured.colours.map(norm)
                                                  : gd.data[v].z.map(z => norm(colours[z])))).sort(),
  drawn_colours: Array.from(new Set(regions.map(f => norm(drawn(f))))).sort(),
  expected_regions: gd.data[v].locations.length,
  drawn_regions: new Set(regions.map(f => f.properties.ct.join(','))).size,
  expected_places: gd.data[p].lat.length,
  drawn_places: new Set(points.map(f => f.geometry.coordinates.map(x => x.toFixed(4)).join(','))).size,
};
"""


def test_map111_after_a_sector_click_maplibre_draws_the_new_colours_and_markers(browser, live_server):
    """Unchanged traces are not handed to MapLibre again (``assets/map.js``): what it draws still follows every
    click, the regions in their class colours and one marker per place, there and back."""
    open_map(browser, live_server)

    def agreeing():
        s = browser.execute_script(SOURCES_JS)
        if s and s["expected_colours"] == s["drawn_colours"] and s["expected_regions"] == s["drawn_regions"] \
                and s["expected_places"] == s["drawn_places"]:
            return s
        return None

    first = wait_for(agreeing, 60, message=lambda: f"MapLibre to draw the figure: {browser.execute_script(SOURCES_JS)}")
    for _ in range(2):
        before = browser.execute_script(SOURCES_JS)
        click_sector(browser, "ict")
        wait_for(lambda: (lambda s: s and s["expected_places"] != before["expected_places"])(
            browser.execute_script(SOURCES_JS)), 60, message="the figure to follow the click")
        now = wait_for(agreeing, 60, message=lambda: f"MapLibre to follow the click: {browser.execute_script(SOURCES_JS)}")
        assert now["drawn_places"] != before["drawn_places"]
    assert now == first
    assert_no_console_errors(browser)


RECOLOUR_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
if (!map.loaded()) { return null; }
const paint = document.createElement('canvas').getContext('2d');
const norm = c => { paint.fillStyle = '#000000'; paint.fillStyle = c; return paint.fillStyle; };
const uid = gd._fullData[1].uid;
// The fill takes a region's colour from its feature state when one is set (assets/map.js), else from Plotly's.
const byState = JSON.stringify(map.getPaintProperty('plotly-trace-layer-' + uid + '-fill', 'fill-color'))
  .includes('"feature-state"');
const drawn = {};
for (const f of map.querySourceFeatures('source-' + uid)) {
  const state = byState ? map.getFeatureState({source: 'source-' + uid, id: f.properties.nuts}) : {};
  drawn[f.properties.nuts || ''] = norm(state.fill || f.properties.fc);
}
return {drawn: drawn, z: gd.data[1].z, retiled: window.__atlasRetiled || 0};
"""


def test_map112_a_sector_click_repaints_region_colours_without_rebuilding_the_trace(browser, live_server, register):
    """A click that changes only the classes of the same regions paints the class colours on the fill MapLibre
    already holds (as feature state): every region shows the colour the server computes for the view, and the
    values trace's data is neither sent to Plotly again nor re-tiled by MapLibre."""
    from urllib.parse import urlsplit

    from dashboard import figures, views
    from dashboard.state import ViewState

    open_map(browser, live_server)
    wait_for(lambda: browser.execute_script(SOURCES_JS), 60, message="MapLibre to draw the figure")
    before = browser.execute_script(RECOLOUR_JS)
    browser.execute_script("""
        const gd = document.querySelector('#atlas-map .js-plotly-plot');
        const map = gd._fullLayout.map._subplot.map, source = 'source-' + gd._fullData[1].uid;
        map.on('sourcedata', e => { if (e.sourceId === source && e.sourceDataType === 'content') {
            window.__atlasRetiled = (window.__atlasRetiled || 0) + 1; } });""")
    click_sector(browser, "ict")
    wait_for(lambda: "sector=" in urlsplit(browser.current_url).query, 30,
             message="the click to reach the URL")
    state = ViewState.from_query(urlsplit(browser.current_url).query)
    expected = figures.region_colours(views.map_values(register, state, state.lang))
    want = {code: colour for code, colour in zip(expected["ids"], expected["colours"])}
    assert want and len(set(want.values())) > 1

    def painted():
        now = browser.execute_script(RECOLOUR_JS)
        normal = browser.execute_script(
            "const p = document.createElement('canvas').getContext('2d');"
            "return arguments[0].map(c => { p.fillStyle = '#000000'; p.fillStyle = c; return p.fillStyle; });",
            [want[code] for code in sorted(want)])
        if now and all(now["drawn"].get(code) == colour for code, colour in zip(sorted(want), normal)):
            return now
        return None

    now = wait_for(painted, 60, message=lambda: f"the new class colours: {browser.execute_script(RECOLOUR_JS)}")
    assert now["drawn"] != before["drawn"]
    assert now["z"] == before["z"]
    assert now["retiled"] == 0
    assert_no_console_errors(browser)


#: Watches MapLibre during a click: which sources it re-tiles, which layers Plotly removes.
WATCH_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
window.__atlasWatch = {retiled: [], removed: []};
map.on('sourcedata', e => { if (e.sourceDataType === 'content') { window.__atlasWatch.retiled.push(e.sourceId); } });
const removeLayer = map.removeLayer;
map.removeLayer = function (id) { window.__atlasWatch.removed.push(id); return removeLayer.apply(this, arguments); };
return gd._fullData.map(t => t.uid);
"""

#: The map's layers bottom to top, as the trace they belong to (its index) or the style layer's own id.
LAYER_ORDER_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
const uids = gd._fullData.map(t => t.uid);
return map.getStyle().layers.map(l => {
  const trace = uids.findIndex(uid => l.id.indexOf('plotly-trace-layer-' + uid + '-') === 0);
  return trace >= 0 ? 'trace-' + trace : l.id.replace(/^plotly-layout-layer-.*/, 'borders');
}).filter((id, i, all) => i === 0 || id !== all[i - 1]);
"""

REPAINT_JS = """
const done = arguments[arguments.length - 1];
const map = document.querySelector('#atlas-map .js-plotly-plot')._fullLayout.map._subplot.map;
map.once('idle', () => done(true));
map.triggerRepaint();
"""


def test_map113_a_sector_click_retiles_only_the_markers_and_shows_a_finished_frame(browser, live_server):
    """A sector click hands MapLibre new markers only: the regions (their colours are feature state) and the
    hidden selection keep their tiles, no layer is taken down and put back, each trace keeps its place
    beneath its own anchor; and the frame left on screen is the one a fresh paint draws (frames skipped
    while the markers were being tiled leave nothing stale)."""
    open_map(browser, live_server)
    wait_for(lambda: browser.execute_script(SOURCES_JS), 60, message="MapLibre to draw the figure")
    order = browser.execute_script(LAYER_ORDER_JS)
    assert order == ["borders"] + [name for index in range(7)
                                          for name in (f"trace-{index}", f"atlas-anchor-{index}")], order
    uids = browser.execute_script(WATCH_JS)
    map_box = browser.find_element(By.CSS_SELECTOR, "#atlas-map .js-plotly-plot")
    before = map_box.screenshot_as_png
    click_sector(browser, "ict")
    wait_for(lambda: (lambda w: w if w["retiled"] else None)(browser.execute_script("return window.__atlasWatch")),
             60, message="the new markers to be tiled")
    wait_for(lambda: browser.execute_script(SOURCES_JS), 60, message="MapLibre to settle")
    watched = browser.execute_script("return window.__atlasWatch")
    assert set(watched["retiled"]) == {f"source-{uids[3]}-symbol"}
    assert watched["removed"] == []
    assert browser.execute_script(LAYER_ORDER_JS) == order
    shown = map_box.screenshot_as_png
    assert shown != before
    browser.set_script_timeout(30)
    browser.execute_async_script(REPAINT_JS)
    assert map_box.screenshot_as_png == shown
    assert_no_console_errors(browser)


PLACES_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
const points = gd.data.find(t => t.type === 'scattermap' && t.customdata);
return map.loaded() ? points.lat.length : null;
"""


def test_map114_a_narrow_window_keeps_the_whole_programme_area_in_view_after_a_filter_change(browser, live_server,
                                                                                            register):
    """The server's first camera assumes a desktop map; the page fits the real one. Plotly used to set the
    figure's camera again on every update, so after any filter change a phone showed only the middle of the
    Alps: the fit must hold through updates."""
    open_map(browser, live_server, size=PHONE)
    regions = register.regions
    west, south, east, north = regions[(regions["level"] == 3) & regions["in_area_2021_2027"]].total_bounds

    def whole_area():
        c = camera(browser)
        b = c["bounds"]
        return c if b[0] <= west and b[2] >= east and b[1] <= south and b[3] >= north else None

    wait_for(whole_area, 60, message=lambda: f"the programme area in view (camera {camera(browser)})")
    before = browser.execute_script(PLACES_JS)
    checkbox = browser.find_element(By.CSS_SELECTOR, "#atlas-sectors input[value='ict']")
    browser.execute_script("arguments[0].click();", checkbox)
    wait_for(lambda: (lambda n: n is not None and n != before)(browser.execute_script(PLACES_JS)), 60,
             message="the markers to follow the click")
    settled = wait_for(whole_area, 30, message=lambda: f"the programme area still in view (camera {camera(browser)})")
    assert settled["zoom"] < 4.8, settled  # the phone's own fit, not the desktop camera the server assumed
    assert_no_console_errors(browser)


#: Records every callback request of the page from its very start: what it asked for, and the answer's status.
CALL_LOG_JS = """
window.__atlasCalls = [];
const pageFetch = window.fetch;
window.fetch = function (resource, init) {
    const url = typeof resource === 'string' ? resource : resource.url;
    const answer = pageFetch.apply(this, arguments);
    if (url.indexOf('_dash-update-component') >= 0) {
        const call = {output: JSON.parse(init.body).output, status: null, at: performance.now()};
        window.__atlasCalls.push(call);
        answer.then(response => { call.status = response.status; });
    }
    return answer;
};
// Every address the page asks for with XMLHttpRequest (Plotly's own requests for GeoJSON).
window.__atlasXhr = [];
const pageOpen = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url) {
    window.__atlasXhr.push(String(url));
    return pageOpen.apply(this, arguments);
};
// When the map's canvas is drawn on (WebGL clears and draws).
window.__atlasDraws = [];
[window.WebGLRenderingContext, window.WebGL2RenderingContext].filter(Boolean).forEach(function (type) {
    ['clear', 'drawElements', 'drawArrays'].forEach(function (name) {
        const original = type.prototype[name];
        type.prototype[name] = function () {
            if (this.canvas && this.canvas.closest && this.canvas.closest('#atlas-map')) {
                window.__atlasDraws.push(performance.now());
            }
            return original.apply(this, arguments);
        };
    });
});
// The zoom of every frame the map finished (each MapLibre idle), from the first.
window.__atlasIdleZooms = [];
const watchMap = setInterval(function () {
    const gd = document.querySelector('#atlas-map .js-plotly-plot');
    const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot &&
        gd._fullLayout.map._subplot.map;
    if (!map) { return; }
    clearInterval(watchMap);
    map.on('idle', function () { window.__atlasIdleZooms.push(map.getZoom()); });
    // When Plotly hands MapLibre the figure's first data (a source named ``source-…`` starts loading).
    map.on('sourcedataloading', function (event) {
        if (!window.__atlasDataAt && /^source-/.test(event.sourceId || '')) {
            window.__atlasDataAt = performance.now();
        }
    });
    // Every moment the map counted as loaded while the figure's data was not in it yet.
    window.__atlasLoadedEmpty = [];
    const dataIn = () => Object.keys(map.style.tileManagers || map.style.sourceCaches || {})
        .some(id => id.indexOf('source-') === 0);
    // When the map is first drawn with its data (MapLibre loaded, the regions coloured).
    const drawn = setInterval(function () {
        if (map.style && map.loaded() && !dataIn()) { window.__atlasLoadedEmpty.push(performance.now()); }
        if (map.loaded() && gd._fullData.some(t => t.z && t.z.length)) {
            clearInterval(drawn);
            window.__atlasDrawnAt = performance.now();
            window.__atlasChartsAtDraw = document.querySelectorAll('.chart-grid .js-plotly-plot').length;
        }
    }, 2);
}, 2);
"""

@contextmanager
def logging_calls(browser):
    """Pages opened inside log their callback requests, when their map got its data and was drawn, and every
    draw on its canvas (:data:`CALL_LOG_JS`)."""
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CALL_LOG_JS})
    try:
        yield
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


FIRST_DRAW_JS = """
return {header: document.querySelector('#shell-header').innerText,
        summary: document.querySelector('#atlas-summary').innerText};
"""


def test_map116_nothing_competes_with_the_maps_first_paint(browser, live_server):
    """Until the map is first drawn, the page sends no callback at all (stores mount without reporting a
    change, the sections on screen are reported after the map is drawn), and the charts below the fold are not
    in the page yet (no graph mounted, no blank laid out); scrolled into view, they are computed and drawn."""
    with logging_calls(browser):
        browser.set_window_size(*DESKTOP)
        browser.get(live_server + "/")
        wait_for(lambda: browser.execute_script("return window.__atlasDrawnAt || null"), 90,
                 message="the map to be drawn")
        drawn_at = browser.execute_script("return window.__atlasDrawnAt")
        charts_at_draw = browser.execute_script("return window.__atlasChartsAtDraw")
        browser.execute_script("document.querySelector('#atlas-charts-grid').scrollIntoView({block: 'center'})")
        wait_for(lambda: browser.execute_script(
            "return document.querySelectorAll('#atlas-top-regions .bars .point').length || null"), 30,
            message="the top-regions chart to be drawn once on screen")
        calls = browser.execute_script("return window.__atlasCalls")
    early = [call["output"][:80] for call in calls if call["at"] < drawn_at]
    assert early == [], early
    # The region and border outlines are tiled with a narrow margin (less for the worker to cut before the
    # first paint); the markers keep MapLibre's, so a symbol on a tile's edge is whole.
    margins = browser.execute_script("""
        const map = document.querySelector('#atlas-map .js-plotly-plot')._fullLayout.map._subplot.map;
        const margin = id => map.getSource(id).workerOptions.geojsonVtOptions.buffer / (8192 / 512);
        const ids = Object.keys(map.getStyle().sources).filter(id => map.getSource(id).type === 'geojson');
        return {regions: ids.filter(id => map.getSource(id).promoteId === 'nuts' || map.getSource(id).promoteId &&
                                          map.getSource(id).promoteId.nuts).map(margin),
                borders: map.getStyle().layers.filter(layer => layer.id.startsWith('plotly-layout-layer'))
                    .map(layer => margin(layer.source)),
                markers: ids.filter(id => /-symbol$/.test(id)).map(margin)};""")
    assert margins["regions"] and set(margins["regions"]) == {16}, margins
    assert margins["borders"] == [16], margins
    assert margins["markers"] and set(margins["markers"]) == {128}, margins
    assert charts_at_draw == 0
    assert any("atlas-charts-grid.children" in call["output"] and call["status"] == 200 for call in calls), calls
    assert_no_console_errors(browser)


EXPORT_MAP_LINKS_JS = "return Array.from(document.querySelectorAll('#atlas-exports [data-export=\"map\"] a'), a => a.href)"


def test_map126_the_export_links_are_listed_when_opened_and_follow_the_view(browser, live_server):
    """The links under "Slides and exports" are not built for a closed disclosure, neither with the page nor on
    a filter change; opened, they list the view on screen, and follow the next filter change while open."""
    open_map(browser, live_server)
    for sector in ("ict", "energy_greentech"):
        filter_by_sector(browser, sector, sector)
    assert browser.find_elements(By.CSS_SELECTOR, "#atlas-exports li") == []
    summary = browser.find_element(By.CSS_SELECTOR, "details.exports > summary")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", summary)
    links = wait_for(lambda: browser.execute_script(EXPORT_MAP_LINKS_JS) or None, 30, message="the export links")
    assert [link.split("/export/")[1] for link in links] == [
        "map.png?sector=energy_greentech,ict", "map.svg?sector=energy_greentech,ict"], links
    click_sector(browser, "ict")
    wait_for(lambda: all(link.endswith("?sector=energy_greentech")
                         for link in browser.execute_script(EXPORT_MAP_LINKS_JS)) or None, 30,
             message="the links to follow the view")
    assert_no_console_errors(browser)


#: What the map has drawn once MapLibre has settled: rendered features by layer type, from the tiles' buckets.
DRAWN_FEATURES_JS = """
const done = arguments[arguments.length - 1];
const map = document.querySelector('#atlas-map .js-plotly-plot')._fullLayout.map._subplot.map;
const count = () => {
    const byType = {};
    map.queryRenderedFeatures().forEach(f => { byType[f.layer.type] = (byType[f.layer.type] || 0) + 1; });
    return byType;
};
if (map.loaded() && !map.isMoving()) { done(count()); } else { map.once('idle', () => done(count())); }
"""


def test_map118_the_first_drawn_map_shows_regions_borders_and_markers(browser, live_server):
    """The map as it is first drawn, before any click, holds the coloured regions, the borders and the
    organisations: tiles cut before MapLibre's worker knew Plotly's layers are empty, and such a map shows only
    the sea (a change that made the first paint look faster did exactly that)."""
    open_map(browser, live_server)
    drawn = browser.execute_async_script(DRAWN_FEATURES_JS)
    assert drawn.get("fill", 0) >= 200, drawn  # NUTS 3 regions in view, inside and around the area
    assert drawn.get("line", 0) >= 200, drawn  # their outlines and the country borders
    assert drawn.get("symbol", 0) >= 100, drawn  # the organisations' places
    assert_no_console_errors(browser)


def test_map119_the_empty_map_is_never_painted_before_its_data(browser, live_server):
    """Before Plotly hands MapLibre the figure's data, a painted frame can only show the empty sea, and on a
    software-rendered map each cost the main thread tens of milliseconds just before the data was added: the
    map's canvas is first drawn on once the data is in, and that map holds its regions and markers (tiles
    that arrive before any frame was painted used to lose theirs)."""
    with logging_calls(browser):
        open_map(browser, live_server)
        # MapLibre counts as loaded a frame before it paints the placed markers: the drawing follows.
        draws = wait_for(lambda: browser.execute_script(
            "return window.__atlasDraws.length ? window.__atlasDraws : null"), 30,
            message="the map's canvas to be drawn on")
        data_at = browser.execute_script("return window.__atlasDataAt")
        drawn = browser.execute_async_script(DRAWN_FEATURES_JS)
        time.sleep(1.0)  # nothing changes on the map meanwhile: no frame is painted again
        draws = browser.execute_script("return window.__atlasDraws")
    assert data_at and draws, (data_at, len(draws or []))
    early = [round(at) for at in draws if at < data_at]
    assert not early, f"drawn at {early} ms, the data handed over at {round(data_at)} ms"
    # One frame: a software-rendered frame costs tens of milliseconds, and a timer once painted the same map again.
    assert max(draws) - min(draws) < 50, [round(at) for at in draws]
    assert drawn.get("fill", 0) >= 200 and drawn.get("symbol", 0) >= 100, drawn
    assert_no_console_errors(browser)


#: The sea's colour, as the screen and a downloaded image show it.
SEA_RGB = tuple(int(SEA[i:i + 2], 16) for i in (1, 3, 5))

#: Where a place is on the page and on the map's figure: ``arguments[0]`` is [longitude, latitude].
PLACE_PIXEL_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
const point = map.project(arguments[0]);
const canvas = map.getCanvas().getBoundingClientRect(), figure = gd.getBoundingClientRect();
return {page: [canvas.left + point.x, canvas.top + point.y],
        figure: [canvas.left - figure.left + point.x, canvas.top - figure.top + point.y],
        ratio: window.devicePixelRatio};
"""

def png_script(answer: str) -> str:
    """A script that decodes the PNG data URL ``arguments[0]`` and answers what the JavaScript function
    ``answer(pixels, width, height, args)`` returns (RGBA bytes, row by row; the script's arguments)."""
    return """
const done = arguments[arguments.length - 1], args = arguments;
const image = new Image();
image.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = image.width; canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    done((""" + answer + """)(context.getImageData(0, 0, image.width, image.height).data, image.width, image.height, args));
};
image.onerror = () => done(null);
image.src = arguments[0];
"""


#: The colour of one pixel of a PNG: ``arguments[1]``, ``arguments[2]`` are its x and y.
PNG_PIXEL_JS = png_script("""(pixels, width, height, args) => {
    const i = (Math.round(args[2]) * width + Math.round(args[1])) * 4;
    return [pixels[i], pixels[i + 1], pixels[i + 2]];
}""")

#: The share of a PNG's pixels (one in 64) in the sea's colour.
SEA_SHARE_JS = png_script("""(pixels, width, height) => {
    const SEA = %s;
    let sea = 0, all = 0;
    for (let y = 0; y < height; y += 8) {
        for (let x = 0; x < width; x += 8) {
            const i = (y * width + x) * 4;
            all += 1;
            if (Math.abs(pixels[i] - SEA[0]) <= 3 && Math.abs(pixels[i + 1] - SEA[1]) <= 3 &&
                Math.abs(pixels[i + 2] - SEA[2]) <= 3) { sea += 1; }
        }
    }
    return sea / all;
}""" % list(SEA_RGB))

#: The image the map's download button makes, as a PNG data URL: at ``arguments[0]`` × ``arguments[1]`` px when
#: given, else at the map's own size.
DOWNLOADED_IMAGE_JS = """
const done = arguments[arguments.length - 1];
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const sized = arguments.length > 2;
Plotly.toImage(gd, {format: 'png', width: sized ? arguments[0] : gd.offsetWidth,
                    height: sized ? arguments[1] : gd.offsetHeight, scale: 1})
    .then(done, error => done('failed: ' + error));
"""


def near(colour, expected, tolerance=3) -> bool:
    return colour is not None and all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


def test_map120_the_sea_is_the_figures_paper_on_screen_and_in_the_downloaded_image(browser, live_server):
    """The map draws no layer of its own for the sea, nor MapLibre's second edge of every region fill: without
    a GPU each kind of layer costs the first frame a drawing routine of its own. The sea is the figure's paper
    behind the canvas, so the Ligurian Sea shows in the sea's colour on screen and in the image the map's
    download button makes, and Munich in a region's colour in both."""
    open_map(browser, live_server)
    browser.execute_async_script(DRAWN_FEATURES_JS)
    layers = browser.execute_script("""
        const map = document.querySelector('#atlas-map .js-plotly-plot')._fullLayout.map._subplot.map;
        return map.getStyle().layers.map(l => ({id: l.id, type: l.type,
            visible: (l.layout || {}).visibility !== 'none',
            antialias: l.type === 'fill' ? map.getPaintProperty(l.id, 'fill-antialias') : null}));""")
    assert not [layer for layer in layers if layer["type"] == "background" and layer["visible"]], layers
    fills = [layer for layer in layers if layer["type"] == "fill" and layer["visible"]]
    assert fills and all(layer["antialias"] is False for layer in fills), fills
    screen = "data:image/png;base64," + browser.get_screenshot_as_base64()
    image = browser.execute_async_script(DOWNLOADED_IMAGE_JS)
    assert image.startswith("data:image/png"), image[:80]
    for place, is_sea in (([8.6, 43.8], True), ([11.58, 48.14], False)):
        where = browser.execute_script(PLACE_PIXEL_JS, place)
        on_screen = browser.execute_async_script(PNG_PIXEL_JS, screen, *(v * where["ratio"] for v in where["page"]))
        downloaded = browser.execute_async_script(PNG_PIXEL_JS, image, *where["figure"])
        for colour in (on_screen, downloaded):
            assert near(colour, SEA_RGB) is is_sea, (place, on_screen, downloaded)
    assert_no_console_errors(browser)


def test_map125_no_drawing_routine_is_made_for_the_invisible_sky(browser, live_server):
    """MapLibre paints a transparent sky over the whole canvas in every frame unless told otherwise: the atlas's
    map compiles no routine for it, and still draws every kind of layer it shows, after a filter change too."""
    open_map(browser, live_server)
    browser.execute_async_script(DRAWN_FEATURES_JS)
    programs_js = """const map = document.querySelector('#atlas-map .js-plotly-plot')._fullLayout.map._subplot.map;
        return Object.keys(map.painter.cache).map(key => key.split('/')[0]).sort();"""
    assert browser.execute_script(programs_js) == ["clippingMask", "fill", "line", "symbolIcon"]
    filter_by_sector(browser, "ict", "sector=ict")
    assert "sky" not in browser.execute_script(programs_js)
    assert_no_console_errors(browser)


#: Pixels inside valued regions, away from every marker and outline: the region's colour alone is drawn there.
PLAIN_REGION_PIXELS_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
const canvas = map.getCanvas().getBoundingClientRect(), figure = gd.getBoundingClientRect();
const values = 'plotly-trace-layer-' + gd._fullData[1].uid + '-fill';
const found = [], seen = new Set();
for (let y = 40; y < canvas.height - 40 && found.length < 12; y += 37) {
    for (let x = 40; x < canvas.width - 40 && found.length < 12; x += 53) {
        const near = map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]]);
        const here = map.queryRenderedFeatures([x, y]);
        const region = here.find(f => f.layer.id === values);
        if (!region || seen.has(region.id) || near.some(f => f.layer.type !== 'fill')) { continue; }
        seen.add(region.id);
        found.push({region: region.id, page: [canvas.left + x, canvas.top + y],
                    figure: [canvas.left - figure.left + x, canvas.top - figure.top + y], ratio: window.devicePixelRatio});
    }
}
return found;
"""


def test_map121_the_downloaded_image_shows_the_map_on_screen_after_a_filter_change(browser, live_server):
    """The download button's image is a copy Plotly draws of the figure: it has the atlas's own marker images
    (Plotly's copy asked a CDN for them, and drew none) and the colours on screen, which after a filter change
    the browser paints apart from the figure. Places across the area show the same colour in both."""
    open_map(browser, live_server)
    filter_by_sector(browser, "ict", "sector=ict")
    browser.execute_async_script(DRAWN_FEATURES_JS)
    # The new classes were painted apart from the figure (feature state), which the copy does not hold.
    assert browser.execute_script("return !!document.querySelector('#atlas-map .js-plotly-plot').__atlasColours")
    time.sleep(0.5)
    browser.get_log("browser")
    screen = "data:image/png;base64," + browser.get_screenshot_as_base64()
    image = browser.execute_async_script(DOWNLOADED_IMAGE_JS)
    assert image.startswith("data:image/png"), image[:80]
    plain = browser.execute_script(PLAIN_REGION_PIXELS_JS)
    assert len(plain) >= 6, plain
    differ = {}
    for where in plain:
        on_screen = browser.execute_async_script(PNG_PIXEL_JS, screen, *(v * where["ratio"] for v in where["page"]))
        downloaded = browser.execute_async_script(PNG_PIXEL_JS, image, *where["figure"])
        if not near(on_screen, downloaded, tolerance=6):
            differ[where["region"]] = (on_screen, downloaded)
    assert not differ, differ
    missing = [entry["message"] for entry in browser.get_log("browser") if "could not be loaded" in entry["message"]]
    assert not missing, missing[:3]


def test_map122_plotly_gets_the_preloaded_outlines_without_asking_again(browser, live_server):
    """The regions' outlines are preloaded with the scripts and handed to Plotly before it draws: it asks for
    no GeoJSON of its own, the outlines are fetched once, and the map is drawn with its regions."""
    with logging_calls(browser):
        open_map(browser, live_server)
        drawn = browser.execute_async_script(DRAWN_FEATURES_JS)
        asked = browser.execute_script("return window.__atlasXhr")
        fetched = browser.execute_script(
            "return performance.getEntriesByType('resource').filter(e => /[/]geo[/]nuts3-/.test(e.name)).length")
    assert not [url for url in asked if "/geo/" in url], asked
    assert fetched == 1, fetched
    assert drawn.get("fill", 0) >= 200, drawn
    assert_no_console_errors(browser)


def test_map123_the_map_never_counts_as_loaded_without_its_data(browser, live_server):
    """MapLibre says it is loaded once its style's own sources are, and the atlas's style has none to wait for
    (MapLibre's worker need not start for it): until Plotly has added the figure's data the map is not loaded,
    for Plotly's wait for the drawn figure, the page's fit, and anyone timing the first paint."""
    with logging_calls(browser):
        open_map(browser, live_server)
        browser.execute_async_script(DRAWN_FEATURES_JS)
        early = browser.execute_script("return window.__atlasLoadedEmpty")
        style = browser.execute_script(
            "return document.querySelector('#atlas-map .js-plotly-plot')._fullLayout.map.style.sources")
    assert early == [], [round(at) for at in early][:5]
    assert style == {"empty": {"type": "raster", "tiles": []}}, style
    assert_no_console_errors(browser)


def test_map124_a_slide_sized_download_is_framed_like_the_map(browser, live_server):
    """The download button's 1920×1080 image shows the programme area framed at that size, as the map on
    screen is framed at its own: not the camera the server assumed for a desktop window, which left most of a
    slide to the sea around (some 80 % of its pixels in the sea's colour; framed, about 40 %)."""
    open_map(browser, live_server)
    browser.execute_async_script(DRAWN_FEATURES_JS)
    image = browser.execute_async_script(DOWNLOADED_IMAGE_JS, 1920, 1080)
    assert image.startswith("data:image/png"), image[:80]
    share = browser.execute_async_script(SEA_SHARE_JS, image)
    assert share is not None and share < 0.6, share


def test_map117_the_layout_is_asked_for_while_the_scripts_load_and_once(browser, live_server):
    """The page asks for its layout and the callbacks' dependencies as soon as its first script runs, not
    after every script ran (Dash's renderer starts at DOMContentLoaded): one round trip less before the first
    paint. The renderer takes those answers; neither is asked for twice."""
    open_map(browser, live_server)
    entries = browser.execute_script("""
        const nav = performance.getEntriesByType('navigation')[0];
        return {ready: nav.domContentLoadedEventStart,
                requests: performance.getEntriesByType('resource')
                    .filter(e => /_dash-(layout|dependencies)$/.test(e.name))
                    .map(e => ({name: e.name.split('/').pop(), start: e.startTime}))};""")
    names = sorted(entry["name"] for entry in entries["requests"])
    assert names == ["_dash-dependencies", "_dash-layout"], entries
    assert all(entry["start"] < entries["ready"] for entry in entries["requests"]), entries
    assert browser.execute_script("return document.querySelector('#shell-header').innerText.length > 0")
    assert_no_console_errors(browser)


def test_map115_the_first_paint_waits_for_no_callback_and_is_framed_once(browser, live_server):
    """The layout request carries the page the browser shows: the frame, the view's controls, the map and the
    parts beside it arrive in its answer, so no routing, frame, state, map or view callback answers with
    content before the map is drawn; and the map is drawn at its fitted camera, not fitted after drawing."""
    with logging_calls(browser):
        browser.set_window_size(*PHONE)
        browser.get(live_server + "/?sector=ict&lang=de")
        wait_for(lambda: browser.execute_script(MAP_JS), 90, message="the map to load")
        first = browser.execute_script(FIRST_DRAW_JS)
        wait_for(lambda: browser.execute_script(
            "return (window.__atlasCalls || []).every(c => c.status !== null) || null"), 30,
            message="the page's callbacks to be answered")
        calls = browser.execute_script("return window.__atlasCalls")
    answered = [call["output"] for call in calls if call["status"] == 200]
    assert not [output for output in answered if any(
        part in output for part in ("_pages_content", "shell-header", "atlas-state.data", "atlas-map.figure",
                                    "atlas-summary"))], answered
    assert "Karte" in first["header"] and first["summary"].strip()
    # Every frame MapLibre finished shows the fitted camera, the first included: it was not drawn at the
    # camera the server assumed and fitted afterwards.
    zooms = browser.execute_script("return window.__atlasIdleZooms")
    assert zooms and max(zooms) - min(zooms) < 1e-6 and abs(zooms[-1] - camera(browser)["zoom"]) < 1e-6, zooms
    assert_no_console_errors(browser)
