"""The partner explorer in a real browser, by keyboard: pick an organisation and see arcs and reasons; pick a
region and send it with its peers to the atlas's comparison; the cooperation map's PNG export; no English
left in the other languages.

Which organisation and region are used is computed from the register (the first organisation with at least
three suggestions, the NUTS 2 region with most organisations), never typed in.
"""

from __future__ import annotations

import struct
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from atlas_pages import PAGE_TIMEOUT, chart_labels, query, skip_unless_ci, wait_for_query
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from support import assert_no_console_errors, intersects, press, take_first_option, viewport, wait_for

from dashboard import meta_data, partner_views
from dashboard.i18n import load_catalogue, translate
from dashboard.partners_state import ExplorerState

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]

ARC_POINTS_JS = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
if (!gd || !gd.data || !gd.data.length) { return 0; }
return gd.data.filter(t => t.mode === 'lines').reduce((n, t) => n + (t.lon || []).filter(v => v !== null).length, 0);
"""


#: The pixel of an organisation's point on the partner map (plotly.js's SVG ``geo`` subplot), from the centre of the
#: map's graph, after zooming in on it (neighbours apart): the point of the first trace whose ``customdata`` holds
#: the id. None until the map is drawn.
POINT_JS = """
const done = arguments[arguments.length - 1];
const gd = document.querySelector('#partners-partner-map .js-plotly-plot');
const sub = gd && gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
const trace = gd && gd.data && gd.data.find(t => (t.customdata || []).includes(arguments[0]));
if (!trace || !sub || !sub.projection || !gd.querySelector('.scattergeo path.point')) { done(null); return; }
const i = trace.customdata.indexOf(arguments[0]);
const centre = {lon: trace.lon[i], lat: trace.lat[i]};
Plotly.relayout(gd, {'geo.center': centre, 'geo.projection.scale': 32}).then(() => {
    const point = gd._fullLayout.geo._subplot.projection([centre.lon, centre.lat]);
    const box = gd.getBoundingClientRect();
    done({x: point[0], y: point[1], width: box.width, height: box.height});
}, () => done(null));
"""


def click_point(driver, oid: str) -> None:
    """Click the organisation's point on the partner map, as a visitor would."""
    driver.set_script_timeout(PAGE_TIMEOUT)
    point = wait_for(lambda: driver.execute_async_script(POINT_JS, oid), PAGE_TIMEOUT, message=f"{oid} on the map")
    plot = driver.find_element(By.CSS_SELECTOR, "#partners-partner-map .js-plotly-plot")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", plot)
    ActionChains(driver).move_to_element_with_offset(
        plot, int(point["x"] - point["width"] / 2), int(point["y"] - point["height"] / 2)).click().perform()


@pytest.fixture(scope="module")
def driver(browser):
    browser.set_window_size(1440, 1800)
    return browser


@pytest.fixture(scope="module")
def organisation(register) -> tuple[str, str]:
    space = meta_data.partner_space(register, "2021-2027")
    for oid, name in zip(space.organisations["id"], space.organisations["name"]):
        _, table = partner_views.partner_suggestions(register, ExplorerState(organisation=oid))
        if len(table) >= 3:
            return oid, name
    raise AssertionError("no organisation with three suggestions")


@pytest.fixture(scope="module")
def region(register) -> str:
    regions = meta_data.peer_space(register, 2, "2021-2027").regions
    return regions.sort_values(["count", "nuts_id"], ascending=[False, True]).iloc[0]["nuts_id"]


def choose(driver, dropdown_id: str, typed: str, expected: str) -> None:
    """Focus a dropdown, type into its search, take the first option with Enter."""
    driver.execute_script("document.getElementById(arguments[0]).focus();", dropdown_id)
    take_first_option(driver, typed, expected, PAGE_TIMEOUT)


def test_pbr001_pick_an_organisation_see_arcs_and_reasons(driver, live_server, organisation, register):
    oid, name = organisation
    driver.get(live_server + "/partners")
    wait_for(lambda: driver.find_elements(By.ID, "partners-organisation"), PAGE_TIMEOUT, message="the picker")
    choose(driver, "partners-organisation", oid, name)
    wait_for_query(driver, "organisation", [oid])
    items = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#partners-suggestions > li.suggestion"),
                     PAGE_TIMEOUT, message="the suggestions list")
    assert len(items) >= 3
    for item in items:
        reasons = [li.text for li in item.find_elements(By.CSS_SELECTOR, ".reasons li")]
        assert reasons and all(reasons), "every suggestion lists its reasons"
        assert any("km apart" in text for text in reasons)
    own_country = meta_data.partner_space(register, "2021-2027").organisations.set_index("id").loc[oid, "country"]
    assert translate(f"country.{own_country}") not in {item.find_element(By.CSS_SELECTOR, ".suggestion-head")
                                                       .text.split(" · ")[1].split(", ")[-1] for item in items}
    wait_for(lambda: driver.execute_script(ARC_POINTS_JS, "partners-partner-map") >= 2 * len(items), PAGE_TIMEOUT,
             message="an arc to every suggestion on the map")
    assert_no_console_errors(driver)


def test_pbr002_pick_a_region_and_send_its_peers_to_the_comparison(driver, live_server, region):
    driver.get(live_server + "/partners?level=2")
    wait_for(lambda: driver.find_elements(By.ID, "partners-region"), PAGE_TIMEOUT, message="the region picker")
    choose(driver, "partners-region", region, f"({region})")
    wait_for_query(driver, "region", [region])
    link = wait_for(lambda: driver.find_elements(By.ID, "partners-compare-link"), PAGE_TIMEOUT,
                    message="the compare link")[0]
    rows = driver.find_elements(By.CSS_SELECTOR, ".peers-table tbody tr")
    peers = [row.find_elements(By.TAG_NAME, "td")[1].text.rsplit("(", 1)[1].rstrip(")") for row in rows]
    assert peers and region not in peers
    driver.execute_script("arguments[0].focus();", link)
    press(driver, Keys.ENTER)
    wait_for_query(driver, "compare", [",".join([region, *peers])])
    assert query(driver)["level"] == ["2"]

    def all_compared() -> bool:
        labels = chart_labels(driver, "atlas-comparison")
        return all(any(f"({code})" in label for label in labels) for code in [region, *peers])

    wait_for(all_compared, PAGE_TIMEOUT,
             message=lambda: f"{region} and its peers in the comparison (saw {chart_labels(driver, 'atlas-comparison')})")
    assert_no_console_errors(driver)


def test_pbr003_cooperation_map_lists_groups_and_every_arc(driver, live_server, register):
    driver.get(live_server + "/partners?sector=energy_greentech")
    wait_for(lambda: driver.execute_script(ARC_POINTS_JS, "partners-coop-map") > 0, PAGE_TIMEOUT,
             message="arcs on the cooperation map")
    arcs, groups = partner_views.cooperation_view(register, ExplorerState(sectors=("energy_greentech",)))
    cards = driver.find_elements(By.CSS_SELECTOR, "#partners-groups .group-card")
    assert len(cards) == len(groups) > 0
    network = partner_views.alps4eu_layer(register)[1]
    rows = driver.find_elements(By.CSS_SELECTOR, "#partners-arcs tbody tr")
    assert len(rows) == len(arcs) + len(network)
    href = driver.find_element(By.ID, "partners-export").get_attribute("href")
    assert "sector=energy_greentech" in href
    with urllib.request.urlopen(href, timeout=120) as response:
        content = response.read()
        assert response.headers["Content-Type"] == "image/png"
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", content[16:24]) == (1920, 1080)


@pytest.mark.parametrize("language", ["de", "fr", "it", "sl"])
def test_pbr004_no_english_left(driver, live_server, organisation, region, language):
    oid, _ = organisation
    driver.get(f"{live_server}/partners?lang={language}&organisation={oid}&region={region}&level=2")
    wait_for(lambda: driver.find_elements(By.ID, "partners-compare-link")
             and driver.find_elements(By.CSS_SELECTOR, "#partners-suggestions li.suggestion"), PAGE_TIMEOUT,
             message="suggestions and peers")
    own = load_catalogue(language)
    english = {text: key for key, text in load_catalogue("en").items() if own.get(key, text) != text}
    texts = [line.strip() for line in driver.execute_script("return document.body.innerText;").split("\n")]
    leftovers = sorted({f"{text!r} ({english[text]})" for text in texts if text in english})
    assert not leftovers, f"English on the {language} page: {leftovers}"
    assert translate("partners.title", language) in texts
    assert driver.execute_script("return document.documentElement.lang;") == language
    assert_no_console_errors(driver)


RUN_AXE_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                   resultTypes: ['violations']})
    .then(results => done(results.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' ' + v.nodes.slice(0, 5).map(n => n.target.join(' ')))))
    .catch(error => done(['axe failed: ' + String(error)]));
"""


def test_pbr005_explorer_has_no_serious_wcag_violations(driver, live_server, organisation, region):
    axe = REPO / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        skip_unless_ci(f"axe-core is needed in {axe.parent} (run `npm ci --no-audit --no-fund`)")
    oid, _ = organisation
    driver.get(f"{live_server}/partners?organisation={oid}&region={region}&level=2")
    wait_for(lambda: driver.find_elements(By.ID, "partners-compare-link")
             and driver.find_elements(By.CSS_SELECTOR, "#partners-suggestions li.suggestion")
             and driver.execute_script(ARC_POINTS_JS, "partners-coop-map") > 0, PAGE_TIMEOUT,
             message="the explorer with suggestions, peers and the cooperation map")
    driver.set_script_timeout(PAGE_TIMEOUT)
    driver.execute_script(axe.read_text(encoding="utf-8"))
    violations = driver.execute_async_script(RUN_AXE_JS)
    assert not violations, "serious or critical WCAG 2.1 AA violations:\n" + "\n".join(violations)


def test_pbr006_choose_on_the_map_then_walk_on_to_a_suggested_partner(driver, live_server, organisation, register):
    """Before a choice the map offers every organisation: a click chooses one, and a click on one of its
    suggested partners chooses that one in turn."""
    oid, name = organisation
    driver.get(live_server + "/partners")
    click_point(driver, oid)
    wait_for_query(driver, "organisation", [oid])
    wait_for(lambda: name in driver.find_element(By.ID, "partners-suggest-summary").text, PAGE_TIMEOUT,
             message="the summary naming the organisation chosen on the map")
    _, table = partner_views.partner_suggestions(register, ExplorerState(organisation=oid))
    first = table["id"].iloc[0]
    wait_for(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#partners-suggestions > li.suggestion")) == len(table),
             PAGE_TIMEOUT, message="the suggestions list")
    click_point(driver, first)
    wait_for_query(driver, "organisation", [first])
    assert_no_console_errors(driver)


#: The room left of the first suggestion for the list's numbers, and the width the longest number needs in
#: the numbers' own font (Chrome gives the ``::marker`` its style).
NUMBER_ROOM_JS = """
const list = document.getElementById('partners-suggestions');
const first = list && list.querySelector('li.suggestion');
if (!first) { return null; }
const style = getComputedStyle(first, '::marker');
const context = document.createElement('canvas').getContext('2d');
context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
return {room: first.getBoundingClientRect().left - list.getBoundingClientRect().left,
        needed: context.measureText(list.children.length + '. ').width, count: list.children.length};
"""


@contextmanager
def phone(driver):
    """A phone's viewport, 390×844 CSS pixels with touch, for the test's page loads."""
    with viewport(driver, 390, 844, mobile=True):
        yield


def test_pbr007_every_suggestions_number_is_whole_on_a_phone(driver, live_server, organisation):
    """The list scrolls, so a number wider than the list's left padding was cut ("10." read "0.")."""
    oid, _ = organisation
    with phone(driver):
        driver.get(f"{live_server}/partners?organisation={oid}")
        room = wait_for(lambda: driver.execute_script(NUMBER_ROOM_JS), PAGE_TIMEOUT, message="the suggestions")
    assert room["count"] >= 3
    assert room["room"] >= room["needed"], room


#: The partner map as drawn: its map area (the ``geo`` subplot's background), the box of every marker it draws next
#: to the number of points its figure holds, and its legend's box. None until the markers are drawn.
FRAMING_JS = """
const gd = document.querySelector('#partners-partner-map .js-plotly-plot');
const sub = gd && gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
const background = gd && gd.querySelector('g.geo .layer.bg rect');
const markers = gd ? Array.from(gd.querySelectorAll('g.trace.scattergeo path.point')) : [];
if (!sub || !sub.projection || !background || !markers.length) { return null; }
const box = el => { const r = el.getBoundingClientRect();
                    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
const points = gd.data.filter(t => (t.mode || '').includes('markers'))
  .reduce((n, t) => n + t.lon.filter((lon, i) => lon !== null && t.lat[i] !== null).length, 0);
return {area: box(background), markers: markers.map(box), points: points,
        legend: box(gd.querySelector('.legend'))};
"""


#: An organisation in Ljubljana: framed on a phone with 20 px around its points, two of its suggested partners
#: lay under MapLibre's attribution at the map's foot; the SVG map frames them with room for their markers.
LJUBLJANA = "si-tehnoloski-park-ljubljana"


@pytest.mark.parametrize("chosen", [None, "first", LJUBLJANA], ids=["before a choice", "chosen", "in Ljubljana"])
def test_pbr008_the_partner_map_frames_its_points_and_keeps_its_legend_apart_on_a_phone(driver, live_server,
                                                                                      organisation, chosen):
    """At 390×844 the Alpine view cut off the east (Graz and its arcs were off the map), the legend ran into
    the attribution inside the map, and a fit to the points could put some under it: every marker is drawn
    whole inside the map's area, and the legend lies outside that area, so it covers no marker."""
    oid = organisation[0] if chosen == "first" else chosen
    with phone(driver):
        driver.get(f"{live_server}/partners" + (f"?organisation={oid}" if oid else ""))
        seen = wait_for(lambda: driver.execute_script(FRAMING_JS), PAGE_TIMEOUT, message="the partner map drawn")
    area = seen["area"]
    assert area["right"] - area["left"] <= 390 and area["bottom"] - area["top"] > 100, seen["area"]
    assert seen["points"] >= 4 and len(seen["markers"]) == seen["points"], (seen["points"], len(seen["markers"]))
    outside = [m for m in seen["markers"] if m["left"] < area["left"] - 0.5 or m["right"] > area["right"] + 0.5
               or m["top"] < area["top"] - 0.5 or m["bottom"] > area["bottom"] + 0.5]
    assert not outside, f"markers cut off at the map's edge {area}: {outside}"
    assert not intersects(seen["legend"], area, tolerance=0.5), (seen["legend"], area)
    covered = [m for m in seen["markers"] if intersects(m, seen["legend"])]
    assert not covered, f"markers under the legend {seen['legend']}: {covered}"
