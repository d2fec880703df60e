"""The map as a reader meets it, in a real browser: what it frames, what a click on a shared place reveals,
where its legend sits on a phone, what its legend says, its markers' shapes and colours and the map-as-a-table
disclosure.

The map is plotly.js's SVG ``geo`` subplot: what it shows is read from its projection (the longitudes and
latitudes at the plot's corners), what it draws from its SVG (``path.choroplethlocation`` per trace, the points'
``path.point``), colours as the browser computes them and, for what a reader sees, from screenshots.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from support import assert_no_console_errors, intersects, wait_for

from dashboard import figures
from dashboard.figures import SEA


pytestmark = pytest.mark.browser

DESKTOP = (1600, 1000)
PHONE = (390, 844)
REPO = Path(__file__).resolve().parents[2]

#: Functions every script below starts with: the map's graph div, colours as ``#rrggbb``, a trace's drawn
#: regions and points (by the trace's index in the figure), and the view (west, south, east, north) read from
#: the projection at the plot area's corners.
HELPERS_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const paint = document.createElement('canvas').getContext('2d');
const norm = c => { paint.fillStyle = '#000000'; paint.fillStyle = c; return paint.fillStyle; };
const traceOf = g => (g.__data__ && g.__data__[0] && g.__data__[0].trace) ? g.__data__[0].trace.index : -1;
const drawnIn = (kind, index, item) => {
    const group = Array.from(gd.querySelectorAll('g.trace.' + kind)).find(g => traceOf(g) === index);
    return group ? Array.from(group.querySelectorAll(item)) : [];
};
const regionsOf = index => drawnIn('choropleth', index, 'path.choroplethlocation');
const pointsOf = index => drawnIn('scattergeo', index, 'path.point');
const subplot = () => gd && gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
const viewOf = () => {
    const sub = subplot(), size = gd._fullLayout._size;
    if (!sub || !sub.projection) { return null; }
    const nw = sub.projection.invert([size.l, size.t]), se = sub.projection.invert([size.l + size.w, size.t + size.h]);
    return [nw[0], se[1], se[0], nw[1]];
};
"""

#: True once the map is drawn with its regions, announced as drawn, and ``assets/map.js`` holds its extent.
MAP_JS = HELPERS_JS + """
const sub = subplot();
return sub && sub.projection && regionsOf(%d).length && window.atlasMapDrawn && gd.__atlasFitKey ? true : null;
""" % figures.TRACE_VALUES

#: The map's view: its centre, a zoom (log₂ of the projection's scale: one step doubles the map's size), the
#: extent ``map.js`` last fitted and whether the visitor moved the map, and the bounds on screen.
CAMERA_JS = HELPERS_JS + """
const projection = subplot().projection, size = gd._fullLayout._size;
const centre = projection.invert([size.l + size.w / 2, size.t + size.h / 2]);
return {lon: centre[0], lat: centre[1], zoom: Math.log2(projection.scale()), fit: gd.__atlasFitKey,
        moved: !!gd.__atlasMoved, bounds: viewOf()};
"""

#: The biggest shared place in the figure, zoomed in on so its neighbours are apart (in the programme area's
#: view a neighbour's marker lies on Stuttgart's disc, and plotly.js picks the smaller marker under the pointer):
#: its ids and its pixel.
BIGGEST_PLACE_JS = HELPERS_JS + """
const done = arguments[arguments.length - 1];
const trace = gd.data[%d];
let best = -1;
trace.customdata.forEach((item, i) => {
    if (Array.isArray(item) && (best < 0 || item.length > trace.customdata[best].length)) { best = i; }
});
const centre = {lon: trace.lon[best], lat: trace.lat[best]};
Plotly.relayout(gd, {'geo.center': centre, 'geo.projection.scale': 32}).then(() => {
    const point = subplot().projection([centre.lon, centre.lat]);
    const box = gd.getBoundingClientRect();
    done({ids: trace.customdata[best], x: point[0], y: point[1], width: box.width, height: box.height});
});
""" % figures.TRACE_CLUSTERS

BOX_JS = "const r = document.querySelector(arguments[0]).getBoundingClientRect();" \
         "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};"

#: What the map draws next to what its figure holds: the values trace's regions (each in its class colour), the
#: organisations' places (each in its marker's colour), and the colours drawn.
AGREEMENT_JS = HELPERS_JS + """
const values = gd.data[%(values)d], places = gd.data[%(clusters)d];
const expected = {};
values.locations.forEach((code, i) => { expected[code] = norm(values.meta.legend.colours[values.z[i]]); });
const regions = regionsOf(%(values)d), points = pointsOf(%(clusters)d);
const fills = regions.map(p => [p.__data__.loc, norm(getComputedStyle(p).fill)]);
const colours = Array.isArray(places.marker.color) ? places.marker.color : places.lat.map(() => places.marker.color);
return {
  loading: document.querySelector('#atlas-map').getAttribute('data-dash-is-loading') === 'true',
  expected_regions: values.locations.length, drawn_regions: regions.length,
  wrong_regions: fills.filter(([code, fill]) => expected[code] !== fill).map(([code]) => code),
  expected_colours: Array.from(new Set(Object.values(expected))).sort(),
  drawn_colours: Array.from(new Set(fills.map(f => f[1]))).sort(),
  expected_places: places.lat.length, drawn_places: points.length,
  wrong_places: points.filter(p => norm(getComputedStyle(p).fill) !== norm(colours[p.__data__.i])).length,
  places: points.map(p => p.__data__.lonlat.map(x => x.toFixed(4)).join(',')).sort(),
};
""" % {"values": figures.TRACE_VALUES, "clusters": figures.TRACE_CLUSTERS}


def agreement(browser) -> dict:
    return browser.execute_script(AGREEMENT_JS)


def drawn_as_figure(browser) -> dict | None:
    """What the map draws, once it draws what its figure holds (every region in its class colour, every place
    drawn in its colour) and no callback is updating it; else None."""
    s = agreement(browser)
    if s and not s["loading"] and s["drawn_regions"] == s["expected_regions"] and not s["wrong_regions"] \
            and s["drawn_places"] == s["expected_places"] and not s["wrong_places"]:
        return s
    return None


@pytest.fixture(autouse=True)
def fresh_console(browser):
    browser.get_log("browser")


def open_map(browser, base_url: str, query: str = "", size=DESKTOP) -> None:
    browser.set_window_size(*size)
    browser.get(base_url + "/" + query)
    wait_for(lambda: browser.execute_script(MAP_JS), 90, message="the map to be drawn")


def click_sector(browser, sector: str) -> None:
    """Tick or untick a sector's box as a visitor does, the box scrolled into view first."""
    checkbox = browser.find_element(By.CSS_SELECTOR, f"#atlas-sectors input[value='{sector}']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", checkbox)


def filter_by_sector(browser, sector: str, address_part: str) -> None:
    """:func:`click_sector`, then wait until the address holds ``address_part`` and the map draws its figure."""
    click_sector(browser, sector)
    wait_for(lambda: address_part in browser.current_url or None, 30, message="the filter to apply")
    wait_for(lambda: drawn_as_figure(browser), 60, message=lambda: f"the map to settle: {agreement(browser)}")


def camera(browser) -> dict:
    return browser.execute_script(CAMERA_JS)


def click_country(browser, country: str) -> None:
    label = browser.find_element(By.CSS_SELECTOR, f"#atlas-countries input[value='{country}']").find_element(
        By.XPATH, "./ancestor::label")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    label.click()


def programme_area(register) -> tuple[float, float, float, float]:
    regions = register.regions
    return tuple(regions[(regions["level"] == 3) & regions["in_area_2021_2027"]].total_bounds)


def test_map101_first_view_fits_the_programme_area(browser, live_server, register):
    """All of the 2021–27 programme area is in view, and the view is not much wider or taller than needed."""
    open_map(browser, live_server)
    west, south, east, north = programme_area(register)
    seen = wait_for(lambda: (lambda c: c if c["bounds"][0] <= west and c["bounds"][2] >= east else None)(camera(browser)),
                    message=lambda: f"the programme area in view (camera {camera(browser)})")
    b = seen["bounds"]
    assert b[1] <= south and b[3] >= north, b
    # Fitted: one side touches (within the margin), so nothing is wasted along the tighter axis.
    assert min((west - b[0]) / (b[2] - b[0]), (b[3] - north) / (b[3] - b[1])) < 0.05, b
    assert not seen["moved"]
    assert_no_console_errors(browser)


def test_map102_country_filter_fits_the_map_to_it(browser, live_server, register):
    open_map(browser, live_server)
    before = camera(browser)
    click_country(browser, "SI")
    slovenia = register.regions.query("nuts_id == 'SI'").total_bounds
    after = wait_for(lambda: (lambda c: c if c["fit"] != before["fit"] and c["zoom"] > before["zoom"] + 1 else None)(
        camera(browser)), 60, message=lambda: f"the map to fit Slovenia (camera {camera(browser)})")
    assert slovenia[0] < after["lon"] < slovenia[2] and slovenia[1] < after["lat"] < slovenia[3], after
    b = after["bounds"]
    assert b[0] <= slovenia[0] and b[2] >= slovenia[2] and b[1] <= slovenia[1] and b[3] >= slovenia[3], after
    # Fitted, not just zoomed in: Slovenia spans the map along the tighter axis.
    assert min((slovenia[0] - b[0]) / (b[2] - b[0]), (b[3] - slovenia[3]) / (b[3] - b[1])) < 0.05, after
    assert not after["moved"]
    assert_no_console_errors(browser)


def test_map103_a_moved_map_stays_where_the_visitor_put_it(browser, live_server):
    open_map(browser, live_server)
    before = camera(browser)
    plot = browser.find_element(By.CSS_SELECTOR, "#atlas-map .js-plotly-plot")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", plot)
    ActionChains(browser).move_to_element(plot).click_and_hold().move_by_offset(120, 60).release().perform()
    held = wait_for(lambda: (lambda c: c if c["moved"] else None)(camera(browser)), message="the drag to register")
    # Dragged right and down: the map shows what lay west and north of it.
    assert held["lon"] < before["lon"] - 0.5 and held["lat"] > before["lat"] + 0.2, (before, held)
    # A pan is no click: the region where the drag ended is not chosen (plotly.js reported one).
    time.sleep(1.0)
    assert "region=" not in browser.current_url and "cluster=" not in browser.current_url, browser.current_url
    click_country(browser, "SI")
    wait_for(lambda: camera(browser)["fit"] != held["fit"], 60, message="the new selection to arrive")
    wait_for(lambda: drawn_as_figure(browser), 60, message=lambda: f"the map to settle: {agreement(browser)}")
    time.sleep(0.5)
    now = camera(browser)
    assert now["zoom"] == pytest.approx(held["zoom"], abs=0.01)
    assert now["bounds"] == pytest.approx(held["bounds"], abs=0.01), (held, now)
    assert_no_console_errors(browser)


def test_map104_a_shared_place_lists_every_organisation_there(browser, live_server):
    open_map(browser, live_server)
    plot = browser.find_element(By.CSS_SELECTOR, "#atlas-map .js-plotly-plot")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", plot)
    place = browser.execute_async_script(BIGGEST_PLACE_JS)
    assert len(place["ids"]) >= 10
    ActionChains(browser).move_to_element_with_offset(
        plot, int(place["x"] - place["width"] / 2), int(place["y"] - place["height"] / 2)).click().perform()
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


#: The atlas's own marker shapes (``js/atlas-symbols.js``, built into the page's plotly.js), as a function of
#: the marker's radius to its SVG path: what every marker of those shapes must be drawn as.
ATLAS_SYMBOLS_JS = "const ATLAS = (function (module) {\n" + (REPO / "js" / "atlas-symbols.js").read_text(
    encoding="utf-8") + "\nreturn module.exports;\n})({exports: {}});\n"

#: Every drawn marker of the organisations' and the partners' traces next to the figure's shape, size and colour
#: for it, and the numbers written on the shared places.
MARKERS_JS = HELPERS_JS + ATLAS_SYMBOLS_JS + """
const drawn = [];
[%(clusters)d, %(partners)d].forEach(index => {
    const trace = gd.data[index];
    const each = (value, i) => Array.isArray(value) ? value[i] : value;
    pointsOf(index).forEach(p => {
        const i = p.__data__.i, symbol = each(trace.marker.symbol, i), size = each(trace.marker.size, i);
        drawn.push({trace: index, symbol: symbol, size: size, colour: norm(each(trace.marker.color, i)),
                    fill: norm(getComputedStyle(p).fill), opacity: Number(getComputedStyle(p).opacity),
                    d: p.getAttribute('d'),
                    atlas: ATLAS[symbol] ? ATLAS[symbol].f(size / 2) : null});
    });
});
const numbers = drawnIn('scattergeo', %(clusters)d, 'text').map(t => t.textContent).filter(Boolean).sort();
return {drawn: drawn, numbers: numbers,
        expected: {places: gd.data[%(clusters)d].lat.length, partners: gd.data[%(partners)d].lat.length,
                   numbers: gd.data[%(clusters)d].text.filter(Boolean).sort()}};
""" % {"clusters": figures.TRACE_CLUSTERS, "partners": figures.TRACE_PARTNERS}

#: Shapes filled at their centre: there a marker's own colour alone shows.
FILLED_CENTRE = ("triangle-up", "square", "diamond", "circle", "cross", "triangle-down", "bar", "star", "plane")

#: Single organisations' markers with a shape filled at the centre, none other near them, well inside the map:
#: their centres on the page and in the figure, and the sector colour there.
CLEAR_MARKERS_JS = HELPERS_JS + """
const trace = gd.data[%(clusters)d], size = gd._fullLayout._size;
const projection = subplot().projection;
const filled = arguments[0];
const all = [];
gd.querySelectorAll('g.trace.scattergeo path.point').forEach(p => all.push(projection(p.__data__.lonlat)));
const box = gd.getBoundingClientRect();
return pointsOf(%(clusters)d).map(p => {
    const i = p.__data__.i, at = projection(p.__data__.lonlat);
    return {i: i, at: at, symbol: trace.marker.symbol[i], colour: trace.marker.color[i], text: trace.text[i]};
}).filter(m => filled.includes(m.symbol) && !m.text
    && m.at[0] > size.l + 30 && m.at[0] < size.l + size.w - 30 && m.at[1] > size.t + 30 && m.at[1] < size.t + size.h - 30
    && all.filter(o => Math.hypot(o[0] - m.at[0], o[1] - m.at[1]) < 24).length === 1)
  .map(m => ({symbol: m.symbol, colour: norm(m.colour), page: [box.left + m.at[0], box.top + m.at[1]],
              figure: m.at, ratio: window.devicePixelRatio}));
""" % {"clusters": figures.TRACE_CLUSTERS}


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_map108_every_marker_is_drawn_in_its_sectors_shape_and_colour(browser, live_server):
    """Every place on the map is drawn: an organisation in its sector's shape (the atlas's own shapes exactly as
    ``js/atlas-symbols.js`` defines them, not plotly.js's fallback circle) and colour, a shared place as a dark
    disc with its number, a partner as the partner mark. On screen a marker shows its sector's colour as the key
    does, not mixed with the region under it. All drawn here: nothing is fetched from elsewhere (plotly.js
    asks a CDN for its world map unless given one)."""
    from geodata.sectors import SECTORS

    open_map(browser, live_server, "?partners=1")
    markers = wait_for(lambda: (lambda m: m if m["drawn"] and any(d["trace"] == figures.TRACE_PARTNERS
                                                                  for d in m["drawn"]) else None)(
        browser.execute_script(MARKERS_JS)), 60, message="the markers")
    drawn = markers["drawn"]
    places = [m for m in drawn if m["trace"] == figures.TRACE_CLUSTERS]
    partners = [m for m in drawn if m["trace"] == figures.TRACE_PARTNERS]
    assert len(places) == markers["expected"]["places"] > 100, markers["expected"]
    assert len(partners) == markers["expected"]["partners"] > 0, markers["expected"]
    # Each in the colour the figure gives it: its sector's, the ink of a shared place, the partners'.
    assert [m for m in drawn if m["fill"] != m["colour"]] == []
    assert {m["fill"] for m in partners} == {figures.INK.lower()}
    sector_of_shape = {figures.GLYPH_SHAPES[s.symbol]: s for s in SECTORS}
    singles = [m for m in places if m["size"] == figures.POINT_SIZE]
    assert {m["symbol"] for m in singles} <= set(sector_of_shape), {m["symbol"] for m in singles}
    assert all(m["colour"] == sector_of_shape[m["symbol"]].colour.lower() for m in singles)
    # Shapes: the atlas's own drawn as defined; every shape drawn one way, and no two shapes alike.
    shown = {m["symbol"] for m in singles}
    assert len(shown) >= 10, shown
    assert any(m["atlas"] for m in singles)
    assert [(m["symbol"], m["d"][:40]) for m in drawn if m["atlas"] and m["d"] != m["atlas"]] == []
    paths = {symbol: {m["d"] for m in singles if m["symbol"] == symbol} for symbol in shown}
    assert all(len(d) == 1 for d in paths.values()), paths
    assert len({next(iter(d)) for d in paths.values()}) == len(paths), paths
    # A shared place: a larger disc in ink, its number on it.
    stacks = [m for m in places if m["size"] == figures.STACK_SIZE]
    assert stacks and {(m["symbol"], m["fill"]) for m in stacks} == {(figures.STACK_SYMBOL, figures.INK.lower())}
    assert markers["numbers"] == markers["expected"]["numbers"] and len(markers["numbers"]) == len(stacks)
    # On screen the markers show their own colours: opaque, not blended with the regions beneath.
    assert [(m["symbol"], m["opacity"]) for m in drawn if m["opacity"] != 1] == []
    clear = browser.execute_script(CLEAR_MARKERS_JS, list(FILLED_CENTRE))
    assert len(clear) >= 8, clear
    screen = "data:image/png;base64," + browser.get_screenshot_as_base64()
    seen = {}
    for marker in clear:
        colour = browser.execute_async_script(PNG_PIXEL_JS, screen, *(v * marker["ratio"] for v in marker["page"]))
        if not near(colour, rgb(marker["colour"])):
            seen[marker["symbol"]] = (marker["colour"], colour)
    assert not seen, seen
    # Drawn here, not fetched: plotly.js's maps ask a CDN for their base layers unless given them.
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [url for url in resources if not url.startswith(live_server)] == []
    assert_no_console_errors(browser)


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
    slovenia = register.regions.query("nuts_id == 'SI'").total_bounds
    seen = wait_for(lambda: (lambda c: c if c["bounds"][2] >= wien[2] and c["bounds"][3] >= wien[3] else None)(
        camera(browser)), 60, message=lambda: f"Wien in view (camera {camera(browser)})")
    assert seen["bounds"][0] <= wien[0] and seen["bounds"][1] <= wien[1]
    # Brought into view around Wien: Slovenia's fit no longer holds it.
    assert seen["bounds"][1] > slovenia[1], seen
    assert_no_console_errors(browser)
    # Wien is in the programme area's view: focused there, the map still shows the programme area, fitted.
    open_map(browser, live_server, "?region=AT130")
    time.sleep(1.0)
    west, south, east, north = programme_area(register)
    b = camera(browser)["bounds"]
    assert b[0] <= west and b[1] <= south and b[2] >= east and b[3] >= north, b
    assert min((west - b[0]) / (b[2] - b[0]), (b[3] - north) / (b[3] - b[1])) < 0.05, b
    assert_no_console_errors(browser)


def test_map111_after_a_sector_click_the_map_draws_the_new_colours_and_markers(browser, live_server):
    """A filter click patches the figure's values (``update_map``): what the map draws follows every click, the
    regions in their class colours and one marker per place, there and back."""
    open_map(browser, live_server)
    first = wait_for(lambda: drawn_as_figure(browser), 60,
                     message=lambda: f"the map to draw the figure: {agreement(browser)}")
    assert len(first["drawn_colours"]) > 1, first["drawn_colours"]
    for _ in range(2):
        before = agreement(browser)
        click_sector(browser, "ict")
        wait_for(lambda: agreement(browser)["expected_places"] != before["expected_places"], 60,
                 message="the figure to follow the click")
        now = wait_for(lambda: drawn_as_figure(browser), 60,
                       message=lambda: f"the map to follow the click: {agreement(browser)}")
        assert now["places"] != before["places"]
        assert now["drawn_colours"] == now["expected_colours"]
    assert now == first
    assert_no_console_errors(browser)


#: The colour the map shows for each region of the values trace, by NUTS code.
REGION_FILLS_JS = HELPERS_JS + """
const fills = {};
regionsOf(%d).forEach(p => { fills[p.__data__.loc] = norm(getComputedStyle(p).fill); });
return fills;
""" % figures.TRACE_VALUES


def test_map112_a_sector_click_repaints_region_colours_in_the_servers_classes(browser, live_server, register):
    """A click that changes only the classes of the same regions repaints them: every region shows the colour
    the server computes for the view (``views.map_values``), as its SVG path's fill."""
    from urllib.parse import urlsplit

    from dashboard import views
    from dashboard.state import ViewState

    open_map(browser, live_server)
    wait_for(lambda: drawn_as_figure(browser), 60, message=lambda: f"the map to draw the figure: {agreement(browser)}")
    before = browser.execute_script(REGION_FILLS_JS)
    click_sector(browser, "ict")
    wait_for(lambda: "sector=" in urlsplit(browser.current_url).query, 30,
             message="the click to reach the URL")
    state = ViewState.from_query(urlsplit(browser.current_url).query)
    values = views.map_values(register, state, state.lang)[figures.TRACE_VALUES]
    colours = values["meta"]["legend"]["colours"]
    want = {code: colours[z].lower() for code, z in zip(values["locations"], values["z"])}
    assert want and len(set(want.values())) > 1
    # The same regions carry values before and after: only their classes change.
    assert set(want) == set(before)

    def painted():
        now = browser.execute_script(REGION_FILLS_JS)
        return now if now == want else None

    def differences() -> str:
        now = browser.execute_script(REGION_FILLS_JS)
        wrong = {code: (now.get(code), colour) for code, colour in want.items() if now.get(code) != colour}
        return f"the new class colours ({len(wrong)} regions differ, e.g. {dict(list(wrong.items())[:5])})"

    now = wait_for(painted, 60, message=differences)
    assert now != before
    assert_no_console_errors(browser)


#: All the map draws, trace by trace in drawing order: each region's code, fill and outline; each point's
#: position, shape and colour; each text. Two drawings of the same figure give the same.
DRAWING_JS = HELPERS_JS + """
const style = e => { const s = getComputedStyle(e); return [norm(s.fill), s.fillOpacity, s.opacity, norm(s.stroke),
                                                           s.strokeWidth].join(' '); };
return Array.from(gd.querySelectorAll('.geolayer g.trace')).map(g => ({
    trace: traceOf(g), kind: g.getAttribute('class'), layer: g.parentNode.getAttribute('class'),
    regions: Array.from(g.querySelectorAll('path.choroplethlocation')).map(p => [p.__data__.loc, style(p),
                                                                                 (p.getAttribute('d') || '').length]),
    points: Array.from(g.querySelectorAll('path.point')).map(p => [p.getAttribute('transform'), p.getAttribute('d'),
                                                                   style(p)]),
    texts: Array.from(g.querySelectorAll('text')).map(t => [t.getAttribute('transform') || t.getAttribute('x') + ',' +
                                                            t.getAttribute('y'), t.textContent]),
}));
"""

REDRAW_JS = """
const done = arguments[arguments.length - 1];
Plotly.redraw(document.querySelector('#atlas-map .js-plotly-plot')).then(() => done(true), e => done(String(e)));
"""


def test_map113_a_sector_click_leaves_the_map_a_fresh_drawing_would_show(browser, live_server):
    """A sector click updates the map in place (a patch of its values): the regions' fills stay under the
    markers, the country borders over the regions; and what is left on screen is what drawing the figure afresh
    shows, on the page and in its SVG (no region keeps an old colour, no marker an old place or shape)."""
    open_map(browser, live_server)
    wait_for(lambda: drawn_as_figure(browser), 60, message=lambda: f"the map to draw the figure: {agreement(browser)}")
    before = browser.execute_script(DRAWING_JS)
    order = [(group["layer"], group["trace"]) for group in before]
    assert order == [("choroplethlayer", figures.TRACE_CONTEXT), ("choroplethlayer", figures.TRACE_VALUES),
                     ("choroplethlayer", figures.TRACE_BORDERS), ("scatterlayer", figures.TRACE_CLUSTERS)], order
    map_box = browser.find_element(By.CSS_SELECTOR, "#atlas-map .js-plotly-plot")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", map_box)
    shot_before = map_box.screenshot_as_png
    click_sector(browser, "ict")
    wait_for(lambda: agreement(browser)["expected_places"] != len(before[-1]["points"]), 60,
             message="the figure to follow the click")
    wait_for(lambda: drawn_as_figure(browser), 60, message=lambda: f"the map to settle: {agreement(browser)}")
    time.sleep(0.5)
    patched = browser.execute_script(DRAWING_JS)
    assert [(group["layer"], group["trace"]) for group in patched] == order
    assert patched != before
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", map_box)
    shown = map_box.screenshot_as_png
    assert shown != shot_before
    assert browser.execute_async_script(REDRAW_JS) is True
    time.sleep(0.5)
    fresh = browser.execute_script(DRAWING_JS)
    for was, is_ in zip(patched, fresh):
        assert was == is_, was["trace"]
    assert patched == fresh
    assert map_box.screenshot_as_png == shown
    assert_no_console_errors(browser)


PLACES_JS = HELPERS_JS + "return gd ? pointsOf(%d).length : null;" % figures.TRACE_CLUSTERS


def test_map114_a_narrow_window_keeps_the_whole_programme_area_in_view_after_a_filter_change(browser, live_server,
                                                                                            register):
    """The server frames the first figure for an extent; the phone's map is fitted to its own shape. Plotly
    used to set the figure's camera again on every update, so after any filter change a phone showed only the
    middle of the Alps: the fit must hold through updates."""
    open_map(browser, live_server, size=PHONE)
    west, south, east, north = programme_area(register)

    def whole_area():
        c = camera(browser)
        b = c["bounds"]
        return c if b[0] <= west and b[2] >= east and b[1] <= south and b[3] >= north else None

    def fitted(c: dict) -> bool:
        """One side of the area touches the map's edge (within the margin): the phone's own fit."""
        b = c["bounds"]
        return min((west - b[0]) / (b[2] - b[0]), (b[2] - east) / (b[2] - b[0]),
                   (south - b[1]) / (b[3] - b[1]), (b[3] - north) / (b[3] - b[1])) < 0.05

    first = wait_for(whole_area, 60, message=lambda: f"the programme area in view (camera {camera(browser)})")
    assert fitted(first), first
    before = browser.execute_script(PLACES_JS)
    checkbox = browser.find_element(By.CSS_SELECTOR, "#atlas-sectors input[value='ict']")
    browser.execute_script("arguments[0].click();", checkbox)
    wait_for(lambda: (lambda n: n is not None and n != before)(browser.execute_script(PLACES_JS)), 60,
             message="the markers to follow the click")
    settled = wait_for(whole_area, 30, message=lambda: f"the programme area still in view (camera {camera(browser)})")
    assert fitted(settled), settled
    assert settled["bounds"] == pytest.approx(first["bounds"], abs=0.01), (first, settled)
    assert_no_console_errors(browser)


#: Records, from the page's very start: every callback request (what it asked for, the answer's status), every
#: address asked for with XMLHttpRequest (plotly.js's own requests for GeoJSON), what every frame the browser
#: renders shows of the map (from the first frame its SVG subplot is in the page: the regions and points drawn,
#: the view), and the page's announcement that the map is drawn (``atlas:mapdrawn``) with what it held then.
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
window.__atlasXhr = [];
const pageOpen = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url) {
    window.__atlasXhr.push(String(url));
    return pageOpen.apply(this, arguments);
};
const mapNow = function () {
    const gd = document.querySelector('#atlas-map .js-plotly-plot');
    const geo = gd && gd.querySelector('.geolayer .geo');
    if (!geo) { return null; }
    const sub = gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot, size = gd._fullLayout._size;
    let view = null;
    if (sub && sub.projection && size) {
        const nw = sub.projection.invert([size.l, size.t]), se = sub.projection.invert([size.l + size.w, size.t + size.h]);
        view = [nw[0], se[1], se[0], nw[1]].map(v => Math.round(v * 1000) / 1000);
    }
    return {at: performance.now(), view: view,
            regions: gd.querySelectorAll('g.trace.choropleth path.choroplethlocation').length,
            points: gd.querySelectorAll('g.trace.scattergeo path.point').length,
            charts: document.querySelectorAll('.chart-grid .js-plotly-plot').length};
};
window.__atlasFrames = [];
window.requestAnimationFrame(function frame() {
    const now = mapNow();
    if (now) { window.__atlasFrames.push(now); }
    if (window.__atlasFrames.length < 400) { window.requestAnimationFrame(frame); }
});
window.__atlasAnnounced = [];
document.addEventListener('atlas:mapdrawn', function () { window.__atlasAnnounced.push(mapNow()); });
"""


#: Holds back the regions' outlines (the page's own fetch of the preloaded files, plotly.js's requests) for
#: 1.5 s, as a slow connection does: the map's subplot is in the page well before its regions can be drawn.
LATE_OUTLINES_JS = """
(function () {
    const late = url => /[/]geo[/]nuts/.test(String(url));
    const fetchNow = window.fetch;
    window.fetch = function (resource) {
        const url = typeof resource === 'string' ? resource : resource.url;
        const answer = fetchNow.apply(this, arguments);
        return late(url) ? answer.then(response => new Promise(ok => setTimeout(() => ok(response), 1500))) : answer;
    };
    const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url) { this.__late = late(url); return open.apply(this, arguments); };
    XMLHttpRequest.prototype.send = function () {
        if (!this.__late) { return send.apply(this, arguments); }
        const request = this, args = arguments;
        setTimeout(() => send.apply(request, args), 1500);
    };
}());
"""


@contextmanager
def logging_calls(browser, *, late_outlines: bool = False):
    """Pages opened inside log their callback requests, their XMLHttpRequests, every frame of their map and its
    announcement as drawn (:data:`CALL_LOG_JS`); with ``late_outlines``, their outlines arrive late
    (:data:`LATE_OUTLINES_JS`)."""
    scripts = [browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
               for source in (CALL_LOG_JS, *((LATE_OUTLINES_JS,) if late_outlines else ()))]
    try:
        yield
    finally:
        for script in scripts:
            browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def first_drawn_frame(browser) -> dict:
    """The first frame that showed the map's regions (:data:`CALL_LOG_JS`)."""
    return wait_for(lambda: browser.execute_script(
        "return window.__atlasFrames.find(f => f.regions > 0) || null"), 90, message="the map to be drawn")


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
        drawn = first_drawn_frame(browser)
        wait_for(lambda: browser.execute_script(MAP_JS), 90, message="the map to be drawn")
        browser.execute_script("document.querySelector('#atlas-charts-grid').scrollIntoView({block: 'center'})")
        wait_for(lambda: browser.execute_script(
            "return document.querySelectorAll('#atlas-top-regions .bars .point').length || null"), 30,
            message="the top-regions chart to be drawn once on screen")
        calls = browser.execute_script("return window.__atlasCalls")
    early = [call["output"][:80] for call in calls if call["at"] < drawn["at"]]
    assert early == [], early
    assert drawn["charts"] == 0
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


#: What the map draws, counted: regions (and those of them in the plot area), the country borders and their
#: line, the places (and those in the plot area), the distinct colours of the valued regions.
DRAWN_FEATURES_JS = HELPERS_JS + """
const size = gd._fullLayout._size, box = gd.getBoundingClientRect();
const inView = e => { const r = e.getBoundingClientRect();
    return r.right > box.left + size.l && r.left < box.left + size.l + size.w &&
           r.bottom > box.top + size.t && r.top < box.top + size.t + size.h && r.width > 0 && r.height > 0; };
const regions = regionsOf(%(context)d).concat(regionsOf(%(values)d));
const borders = regionsOf(%(borders)d), points = pointsOf(%(clusters)d);
return {regions: regions.length, regions_in_view: regions.filter(inView).length,
        region_colours: new Set(regionsOf(%(values)d).map(p => norm(getComputedStyle(p).fill))).size,
        borders: borders.filter(p => (p.getAttribute('d') || '').length > 20).length,
        border_lines: Array.from(new Set(borders.map(p => norm(getComputedStyle(p).stroke) + ' ' +
                                                      getComputedStyle(p).strokeWidth))),
        border_fills: Array.from(new Set(borders.map(p => getComputedStyle(p).fillOpacity + ' ' +
                                                      getComputedStyle(p).fill))),
        points: points.length, points_in_view: points.filter(inView).length};
""" % {"context": figures.TRACE_CONTEXT, "values": figures.TRACE_VALUES, "borders": figures.TRACE_BORDERS,
       "clusters": figures.TRACE_CLUSTERS}


def test_map118_the_first_drawn_map_shows_regions_borders_and_markers(browser, live_server, register):
    """The map as it is first drawn, before any click, holds the coloured regions, the country borders over
    them and the organisations, in view."""
    from dashboard import views

    open_map(browser, live_server)
    drawn = browser.execute_script(DRAWN_FEATURES_JS)
    assert drawn["regions_in_view"] >= 200, drawn  # NUTS 3 regions in view, inside and around the area
    assert drawn["region_colours"] >= 3, drawn  # in their classes' colours
    assert drawn["borders"] == len(views.border_codes(register)) > 0, drawn
    assert drawn["border_lines"] == [f"{figures.BORDER_EDGE['color']} {figures.BORDER_EDGE['width']}px"], drawn
    assert all(fill.startswith("0 ") or fill.endswith("rgba(0, 0, 0, 0)") for fill in drawn["border_fills"]), drawn
    assert drawn["points_in_view"] >= 100, drawn  # the organisations' places
    assert_no_console_errors(browser)


def test_map119_the_map_is_never_painted_without_its_data(browser, live_server):
    """The first frame that shows the map's subplot (its sea) shows its regions and markers too: plotly.js
    draws the map once its outlines are in, and an empty sea followed by the regions later is a map that seems
    to load twice. From then on every frame shows them."""
    with logging_calls(browser):
        open_map(browser, live_server)
        time.sleep(1.0)
        frames = browser.execute_script("return window.__atlasFrames")
    assert frames, frames
    assert frames[0]["regions"] >= 200 and frames[0]["points"] >= 100, frames[0]
    assert [frame for frame in frames if frame["regions"] < 200 or frame["points"] < 100] == []
    assert_no_console_errors(browser)


#: The sea's colour, as the screen and a downloaded image show it.
SEA_RGB = rgb(SEA)

#: Where a place is on the page and on the map's figure: ``arguments[0]`` is [longitude, latitude].
PLACE_PIXEL_JS = HELPERS_JS + """
const point = subplot().projection(arguments[0]);
const box = gd.getBoundingClientRect();
return {page: [box.left + point[0], box.top + point[1]], figure: point, ratio: window.devicePixelRatio};
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
    """The map draws no layer of its own for the sea: the sea is the figure's paper (and the subplot's
    background, the same colour), so the Ligurian Sea shows in the sea's colour on screen and in the image the
    map's download button makes, and Munich in a region's colour in both."""
    open_map(browser, live_server)
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


#: Pixels inside valued regions, away from every marker and outline: the region's colour alone is drawn there.
PLAIN_REGION_PIXELS_JS = HELPERS_JS + """
const size = gd._fullLayout._size, box = gd.getBoundingClientRect(), projection = subplot().projection;
const marks = Array.from(gd.querySelectorAll('g.trace.scattergeo path.point')).map(p => projection(p.__data__.lonlat));
const regions = regionsOf(%d);
const around = [[-5, 0], [5, 0], [0, -5], [0, 5], [-4, -4], [4, 4], [-4, 4], [4, -4]];
const found = [], seen = new Set();
for (let y = size.t + 40; y < size.t + size.h - 40 && found.length < 12; y += 37) {
    for (let x = size.l + 40; x < size.l + size.w - 40 && found.length < 12; x += 53) {
        if (marks.some(m => Math.hypot(m[0] - x, m[1] - y) < 16)) { continue; }
        const region = regions.find(p => p.isPointInFill(new DOMPoint(x, y)));
        if (!region || seen.has(region.__data__.loc) ||
            !around.every(([dx, dy]) => region.isPointInFill(new DOMPoint(x + dx, y + dy)))) { continue; }
        seen.add(region.__data__.loc);
        found.push({region: region.__data__.loc, colour: norm(getComputedStyle(region).fill),
                    page: [box.left + x, box.top + y], figure: [x, y], ratio: window.devicePixelRatio});
    }
}
return found;
""" % figures.TRACE_VALUES


def test_map121_the_downloaded_image_shows_the_map_on_screen_after_a_filter_change(browser, live_server):
    """The download button's image is a copy Plotly draws of the figure: after a filter change (which patches
    the figure's values) it shows the regions' new colours and the markers as the screen does. Places across
    the area show the same colour in both."""
    open_map(browser, live_server)
    before = browser.execute_script(REGION_FILLS_JS)
    filter_by_sector(browser, "ict", "sector=ict")
    assert browser.execute_script(REGION_FILLS_JS) != before
    browser.execute_script("window.scrollTo(0, 0)")  # the whole map on screen
    time.sleep(0.5)
    screen = "data:image/png;base64," + browser.get_screenshot_as_base64()
    image = browser.execute_async_script(DOWNLOADED_IMAGE_JS)
    assert image.startswith("data:image/png"), image[:80]
    plain = browser.execute_script(PLAIN_REGION_PIXELS_JS)
    assert len(plain) >= 6, plain
    assert len({where["colour"] for where in plain}) > 1, plain
    differ = {}
    for where in plain:
        on_screen = browser.execute_async_script(PNG_PIXEL_JS, screen, *(v * where["ratio"] for v in where["page"]))
        downloaded = browser.execute_async_script(PNG_PIXEL_JS, image, *where["figure"])
        if not near(on_screen, downloaded, tolerance=6):
            differ[where["region"]] = (on_screen, downloaded)
    assert not differ, differ
    markers = browser.execute_script(CLEAR_MARKERS_JS, list(FILLED_CENTRE))
    assert len(markers) >= 5, markers
    differ = {}
    for index, where in enumerate(markers):
        on_screen = browser.execute_async_script(PNG_PIXEL_JS, screen, *(v * where["ratio"] for v in where["page"]))
        downloaded = browser.execute_async_script(PNG_PIXEL_JS, image, *where["figure"])
        if not near(on_screen, downloaded, tolerance=6):
            differ[f"{index} {where['symbol']}"] = (on_screen, downloaded)
    assert not differ, differ
    assert_no_console_errors(browser)


def test_map122_plotly_gets_the_preloaded_outlines_without_asking_again(browser, live_server):
    """The regions' and the borders' outlines are preloaded with the scripts and handed to Plotly before it
    draws: it asks for no GeoJSON of its own, each outline file is fetched once, and the map is drawn with its
    regions and borders."""
    with logging_calls(browser):
        open_map(browser, live_server)
        drawn = browser.execute_script(DRAWN_FEATURES_JS)
        asked = browser.execute_script("return window.__atlasXhr")
        fetched = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /[/]geo[/]/.test(n))")
    assert not [url for url in asked if "/geo/" in url], asked
    assert sorted(re.sub(r".*/geo/(nuts\d).*", r"\1", url) for url in fetched) == ["nuts0", "nuts3"], fetched
    assert drawn["regions"] >= 200 and drawn["borders"] > 0, drawn
    assert_no_console_errors(browser)


def test_map123_the_map_counts_as_drawn_only_with_its_data(browser, live_server):
    """The page announces the map as drawn (``atlas:mapdrawn``, which the sections below wait for before they
    compute, and anyone timing the first paint) once, when its regions and markers are on screen: not for a
    subplot still waiting for its outlines (here held back, as on a slow connection), and not again on a filter
    change."""
    for late in (False, True):
        with logging_calls(browser, late_outlines=late):
            open_map(browser, live_server)
            announced = browser.execute_script("return window.__atlasAnnounced")
            first = browser.execute_script("return window.__atlasFrames.find(f => f.regions > 0) || null")
            if not late:
                filter_by_sector(browser, "ict", "sector=ict")
                time.sleep(0.5)
                assert len(browser.execute_script("return window.__atlasAnnounced")) == 1
        assert len(announced) == 1, (late, announced)
        assert announced[0]["regions"] >= 200 and announced[0]["points"] >= 100, (late, announced)
        assert first and announced[0]["at"] >= first["at"], (late, first, announced)
        assert_no_console_errors(browser)


def test_map124_a_slide_sized_download_is_framed_like_the_map(browser, live_server):
    """The download button's 1920×1080 image shows the programme area framed at that size, as the map on
    screen is framed at its own: not a box fitted into the slide with the sea around it (framed, some 40 % of
    its pixels in the sea's colour)."""
    open_map(browser, live_server)
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
    content before the map is drawn; and the map is drawn at its fitted view, not moved after drawing."""
    with logging_calls(browser):
        browser.set_window_size(*PHONE)
        browser.get(live_server + "/?sector=ict&lang=de")
        wait_for(lambda: browser.execute_script(MAP_JS), 90, message="the map to load")
        first = browser.execute_script(FIRST_DRAW_JS)
        wait_for(lambda: browser.execute_script(
            "return (window.__atlasCalls || []).every(c => c.status !== null) || null"), 30,
            message="the page's callbacks to be answered")
        time.sleep(1.0)
        calls = browser.execute_script("return window.__atlasCalls")
        frames = browser.execute_script("return window.__atlasFrames")
    answered = [call["output"] for call in calls if call["status"] == 200]
    assert not [output for output in answered if any(
        part in output for part in ("_pages_content", "shell-header", "atlas-state.data", "atlas-map.figure",
                                    "atlas-summary"))], answered
    assert "Karte" in first["header"] and first["summary"].strip()
    # Every frame that showed the map showed the fitted view, the first included: it was not drawn at another
    # view and framed afterwards.
    views_shown = [frame["view"] for frame in frames if frame["regions"]]
    assert views_shown and all(view == views_shown[0] for view in views_shown), \
        sorted({tuple(view) for view in views_shown if view})
    now = camera(browser)["bounds"]
    assert views_shown[-1] == pytest.approx(now, abs=0.002), (views_shown[-1], now)
    assert_no_console_errors(browser)
