"""The atlas page in a real browser: the app runs as ``python app.py`` and headless Chromium drives it.

One server and one browser serve the whole module; every test opens its own URL, so the order of the tests
does not matter. Each test ends by checking that the browser console holds no errors.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from atlas_pages import DASH_PROP_JS, show_section
from support import assert_no_console_errors, wait_for, wait_for_text

from dashboard.figures import TRACE_CLUSTERS
from dashboard.i18n import translate
from dashboard.state import ViewState

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
JOINED_CSV = REPO / "geodata" / "artifacts" / "clusters_joined.csv"
DESKTOP_SIZE = (1440, 1800)
#: The attribution EuroGeographics asks for wherever the NUTS boundaries are shown or handed out.
NUTS_ATTRIBUTION = "© EuroGeographics for the administrative boundaries"
FULL_STATE_QUERY = ("?sector=ict,energy_greentech&country=AT,IT&level=2&metric=density&period=2007-2013"
                    "&compare=AT31,ITC1")

#: The Plotly graph div inside a dcc.Graph; ``data`` and ``_fullLayout`` hang off it.
GRAPH_JS = "document.querySelector(arguments[0] + ' .js-plotly-plot')"

MAP_STATUS_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const subplot = gd && gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
return {graph: Boolean(gd), traces: gd && gd.data ? gd.data.length : 0,
        projection: Boolean(subplot && subplot.projection),
        regions: gd ? gd.querySelectorAll('g.trace.choropleth path.choroplethlocation').length : 0};
"""

#: Organisations in the figure data: the clusters trace (figures.TRACE_CLUSTERS; the partners and the visitor's
#: own list are other traces). A point is one organisation (its id) or a place several share (the list of their
#: ids).
MAP_POINTS_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
if (!gd || !gd.data || !gd.data[CLUSTERS_TRACE]) { return null; }
return (gd.data[CLUSTERS_TRACE].customdata || []).reduce(
    (sum, item) => sum + (Array.isArray(item) ? item.length : 1), 0);
""".replace("CLUSTERS_TRACE", str(TRACE_CLUSTERS))

#: Organisations the SVG map actually draws: the clusters trace's drawn points (``path.point``), a shared
#: place's disc standing for the number drawn on it (its ``text``).
MAP_DRAWN_POINTS_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
if (!gd) { return null; }
const group = Array.from(gd.querySelectorAll('g.trace.scattergeo')).find(g =>
    g.__data__ && g.__data__[0] && g.__data__[0].trace && g.__data__[0].trace.index === CLUSTERS_TRACE);
if (!group) { return null; }
const numbers = {};
group.querySelectorAll('text').forEach(text => {
    if (text.__data__ && /^\\d+$/.test(text.textContent)) { numbers[text.__data__.i] = parseInt(text.textContent, 10); }
});
return Array.from(group.querySelectorAll('path.point'))
    .reduce((total, point) => total + (numbers[point.__data__.i] || 1), 0);
""".replace("CLUSTERS_TRACE", str(TRACE_CLUSTERS))

GRID_ROWS_JS = """
try { return dash_ag_grid.getApi('atlas-table').getDisplayedRowCount(); } catch (error) { return null; }
"""

CHECKED_JS = """
return Array.from(document.querySelectorAll('#' + arguments[0] + ' input'))
    .filter(input => input.checked).map(input => input.value);
"""


def _(key: str, **values) -> str:
    return translate(key, "en", **values)


@pytest.fixture(scope="module")
def page(browser, live_server):
    """The browser at desktop size, with helpers to open a path of the live server."""
    browser.set_window_size(*DESKTOP_SIZE)
    return Page(browser, live_server)


@pytest.fixture(autouse=True)
def fresh_console(browser):
    """Start each test with an empty console log, whatever the previous test left behind."""
    browser.get_log("browser")


class Page:
    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url

    def open(self, path: str = "/") -> None:
        self.driver.get(self.base_url + path)

    def open_atlas(self, query: str = "") -> None:
        """Open the map page and wait until the map and the summary have rendered (the table comes when shown)."""
        self.open("/" + query)
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        status: dict = {}

        def map_ready() -> bool:
            status.update(self.script(MAP_STATUS_JS))
            return all(status.values())

        wait_for(map_ready, 60, message=lambda: f"the map to render ({status}, URL {self.driver.current_url})")
        wait_for(lambda: self.summary_count() is not None, message="the summary line")

    def script(self, source: str, *args):
        return self.driver.execute_script(source, *args)

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.driver.current_url).query)

    def state(self) -> ViewState:
        return ViewState.from_query(urlsplit(self.driver.current_url).query)

    def summary_count(self) -> int | None:
        """The number in "N organisations in view"."""
        text = self.find("#atlas-summary strong").text
        match = re.search(r"\d[\d,.\u202f\u00a0 ]*", text)
        return int(re.sub(r"\D", "", match.group())) if match else None

    def grid_rows(self) -> int | None:
        return self.script(GRID_ROWS_JS)

    def map_points(self) -> int | None:
        return self.script(MAP_POINTS_JS)

    def drawn_points(self) -> int | None:
        return self.script(MAP_DRAWN_POINTS_JS)

    def graph(self, component_id: str) -> dict:
        """``data`` of the Plotly figure in ``component_id``."""
        return self.script(f"const gd = {GRAPH_JS}; return gd && gd.data ? gd.data : null;", f"#{component_id}")

    def checked(self, component_id: str) -> set[str]:
        return set(self.script(CHECKED_JS, component_id))

    def click_option(self, component_id: str, value: str) -> None:
        """Click the label of one option of a dcc.Checklist or dcc.RadioItems, as a person would."""
        label = self.find(f"#{component_id} input[value='{value}']").find_element(By.XPATH, "./ancestor::label")
        self.script("arguments[0].scrollIntoView({block: 'center'});", label)
        label.click()

    def counts(self) -> dict[str, int | None]:
        """Clusters in the summary, the table (scrolled into view, so it computes), the map's data and drawing."""
        self.script("document.querySelector('[data-view=\"table\"]').scrollIntoView({block: 'nearest'});")
        return {"summary": self.summary_count(), "table": self.grid_rows(), "map data": self.map_points(),
                "map drawn": self.drawn_points()}


def active_clusters(**allowed: tuple[str, ...]) -> pd.DataFrame:
    """Active clusters of the committed register whose columns hold one of the allowed values."""
    frame = pd.read_csv(JOINED_CSV, dtype=str)
    frame = frame[frame["status"] == "active"]
    for column, values in allowed.items():
        frame = frame[frame[column].isin(values)]
    return frame


#: The view of FULL_STATE_QUERY and of the download test, as register rows.
FULL_STATE_FILTER = {"sector": ("ict", "energy_greentech"), "country": ("AT", "IT")}


def wait_for_counts(page: Page, expected: int) -> None:
    """Summary, table, figure data and drawn map points all show ``expected`` clusters."""
    seen: dict[str, int | None] = {}

    def agree() -> bool:
        seen.update(page.counts())
        return all(value == expected for value in seen.values())

    wait_for(agree, message=lambda: f"{expected} clusters everywhere (saw {seen})")


def test_brw001_page_loads_map_and_charts(page):
    page.open_atlas()
    assert page.find("#atlas-map .js-plotly-plot").is_displayed()
    background = page.find("#atlas-map g.geo .layer.bg rect")
    assert background.is_displayed() and background.rect["width"] > 0 and background.rect["height"] > 0
    wait_for_counts(page, len(active_clusters()))
    show_section(page.driver, "charts")
    for chart in ("atlas-top-regions", "atlas-country-mix"):
        wait_for(lambda chart=chart: any(trace["type"] == "bar" for trace in page.graph(chart) or []),
                 message=f"bar traces in #{chart}")
        assert page.find(f"#{chart} .js-plotly-plot").is_displayed()
    wait_for(lambda: page.driver.find_elements(By.CSS_SELECTOR, "#atlas-table .ag-row"),
             message="table rows")
    assert page.find("#atlas-table .ag-header-cell").is_displayed()
    assert_no_console_errors(page.driver)


def test_brw002_filters_update_url_summary_table_and_map(page):
    page.open_atlas()
    page.click_option("atlas-sectors", "ict")
    wait_for(lambda: page.query().get("sector") == ["ict"], message="sector=ict in the URL")
    page.click_option("atlas-countries", "AT")
    wait_for(lambda: page.query().get("country") == ["AT"] and page.query().get("sector") == ["ict"],
             message=lambda: f"sector=ict and country=AT in the URL (URL {page.driver.current_url})")
    expected = len(active_clusters(sector=("ict",), country=("AT",)))
    assert expected > 0
    wait_for_counts(page, expected)
    paging = page.find("#atlas-table .ag-paging-row-summary-panel").text
    assert re.search(rf"\bof {expected}\b", paging), paging
    assert page.checked("atlas-sectors") == {"ict"}
    assert page.checked("atlas-countries") == {"AT"}
    assert_no_console_errors(page.driver)


def _choose_in_dropdown(page: Page, text: str, code: str) -> None:
    search = page.find(".dash-dropdown-content input.dash-dropdown-search")
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.BACKSPACE)
    search.send_keys(text)
    wait_for(lambda: any(f"({code})" in option.text for option in
                         page.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content .dash-dropdown-option")),
             message=f"the option for {code}")
    search.send_keys(Keys.ENTER)
    wait_for_text(page.driver, "#atlas-compare-value", f"({code})")


def test_brw003_compare_dropdown_builds_comparison(page):
    page.open_atlas()
    trigger = page.find("#atlas-compare")
    page.script("arguments[0].scrollIntoView({block: 'center'});", trigger)
    trigger.click()
    wait_for(lambda: page.find(".dash-dropdown-content input.dash-dropdown-search").is_displayed(),
             message="the compare dropdown's search box")
    _choose_in_dropdown(page, "AT312", "AT312")
    _choose_in_dropdown(page, "ITC11", "ITC11")
    page.find(".dash-dropdown-content input.dash-dropdown-search").send_keys(Keys.ESCAPE)
    wait_for(lambda: page.query().get("compare") == ["AT312,ITC11"],
             message=lambda: f"compare=AT312,ITC11 in the URL (URL {page.driver.current_url})")

    def labels() -> set[str]:
        return {label for trace in page.graph("atlas-comparison") or [] if trace["type"] == "bar"
                for label in trace.get("x", [])}

    wait_for(lambda: any("(AT312)" in x for x in labels()) and any("(ITC11)" in x for x in labels()),
             message=lambda: f"AT312 and ITC11 in the comparison bars (saw {labels()})")
    assert_no_console_errors(page.driver)


def _assert_full_state(page: Page) -> None:
    wait_for(lambda: page.checked("atlas-sectors") == {"ict", "energy_greentech"},
             message=lambda: f"ICT and Energy ticked (saw {page.checked('atlas-sectors')})")
    assert page.checked("atlas-countries") == {"AT", "IT"}
    assert page.checked("atlas-level") == {"2"}
    assert page.checked("atlas-metric") == {"density"}
    assert page.checked("atlas-period") == {"2007-2013"}
    compared = page.find("#atlas-compare-value").text
    assert "(AT31)" in compared and "(ITC1)" in compared, compared

    def values_at_nuts2() -> bool:
        locations = (page.graph("atlas-map") or [{}, {}])[1].get("locations") or []
        return bool(locations) and all(len(code) == 4 for code in locations)

    wait_for(values_at_nuts2, message="NUTS 2 regions in the map's values trace")
    expected = len(active_clusters(**FULL_STATE_FILTER))
    wait_for_counts(page, expected)


def test_brw004_url_state_survives_reload_and_back(page):
    page.open_atlas(FULL_STATE_QUERY)
    _assert_full_state(page)
    full_url = page.driver.current_url

    page.driver.refresh()
    page.wait_until_ready()
    _assert_full_state(page)
    assert page.driver.current_url == full_url

    page.click_option("atlas-metric", "count")
    wait_for(lambda: "metric" not in page.query(), message="metric gone from the URL (count is the default)")
    wait_for(lambda: page.checked("atlas-metric") == {"count"}, message="Number of clusters chosen")

    page.driver.back()
    wait_for(lambda: page.driver.current_url == full_url,
             message=lambda: f"the URL back at {full_url} (URL {page.driver.current_url})")
    wait_for(lambda: page.checked("atlas-metric") == {"density"},
             message=lambda: f"density chosen again (saw {page.checked('atlas-metric')})")
    _assert_full_state(page)
    assert page.state() == ViewState.from_query(FULL_STATE_QUERY)
    assert_no_console_errors(page.driver)


def _downloaded_csv(download_dir: Path) -> Path | None:
    finished = [path for path in download_dir.glob("*.csv") if path.stat().st_size > 0]
    pending = list(download_dir.glob("*.crdownload"))
    return finished[0] if finished and not pending else None


def test_brw005_download_csv_matches_table(page, browser):
    download_dir = Path(browser.download_dir)
    for old in download_dir.iterdir():
        old.unlink()
    page.open_atlas("?country=AT,IT&sector=ict,energy_greentech")
    expected = len(active_clusters(**FULL_STATE_FILTER))
    wait_for_counts(page, expected)

    button = page.find("#atlas-download-csv")
    page.script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    path = wait_for(lambda: _downloaded_csv(download_dir), 30, message=f"a CSV file in {download_dir}")

    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("# ")]
    assert text.startswith("# ")
    assert any(NUTS_ATTRIBUTION in line for line in header), header
    rows = pd.read_csv(path, comment="#")
    assert len(rows) == page.grid_rows() == expected
    assert set(rows["country"]) <= {"AT", "IT"}
    assert set(rows["sector"]) <= {"ict", "energy_greentech"}
    assert_no_console_errors(page.driver)


def test_brw006_phone_width_shows_map_and_filters(page):
    page.driver.set_window_size(390, 844)
    try:
        page.open_atlas()
        width = page.script("return window.innerWidth;")
        assert width <= 390
        atlas_map = page.find("#atlas-map")
        assert atlas_map.is_displayed()
        assert 0 < atlas_map.rect["width"] <= 390
        filters = page.find("aside.filters")
        assert filters.is_displayed()
        assert filters.rect["width"] <= 390
        assert page.script("return document.documentElement.scrollWidth <= window.innerWidth + 1;"), \
            page.script("return [document.documentElement.scrollWidth, window.innerWidth];")
        assert_no_console_errors(page.driver)
    finally:
        page.driver.set_window_size(*DESKTOP_SIZE)


def test_brw007_about_page(page):
    page.open("/about")
    wait_for_text(page.driver, "h1", _("about.title"))
    wait_for(lambda: NUTS_ATTRIBUTION in page.find("article.about").text, message="the NUTS attribution")
    wait_for(lambda: page.script("return document.readyState === 'complete';"), message="the page to finish loading")
    assert_no_console_errors(page.driver)


#: Callback requests the page has sent so far, and the status of each (204: the server had nothing to send).
UPDATE_STATUSES_JS = """
return performance.getEntriesByType('resource')
    .filter(entry => entry.name.indexOf('/_dash-update-component') >= 0).map(entry => entry.responseStatus);
"""
UPDATE_REQUESTS_JS = """
return performance.getEntriesByType('resource')
    .filter(entry => entry.name.indexOf('/_dash-update-component') >= 0).length;
"""


def _settled(page: Page) -> bool:
    """No callback pending, and none started for a moment (a chain of callbacks has gaps between links; the
    map page's first paint needs none, so a page may have sent none at all)."""
    idle = page.script(DASH_PROP_JS, "atlas-state", "data")["pending"] == 0
    sent = page.script(UPDATE_REQUESTS_JS)
    time.sleep(0.75)
    return idle and page.script(DASH_PROP_JS, "atlas-state", "data")["pending"] == 0 \
        and page.script(UPDATE_REQUESTS_JS) == sent


def test_brw008_sector_click_costs_at_most_three_requests(page):
    page.open_atlas()
    wait_for(lambda: _settled(page), message="the page to settle after loading")
    for sector, ticked in (("ict", {"ict"}), ("energy_greentech", {"ict", "energy_greentech"}),
                           ("ict", {"energy_greentech"})):
        before = page.script(UPDATE_REQUESTS_JS)
        page.click_option("atlas-sectors", sector)
        wait_for(lambda ticked=ticked: set(",".join(page.query().get("sector", [])).split(",")) == ticked,
                 message=f"sector={ticked} in the URL")
        expected = len(active_clusters(sector=tuple(ticked)))
        wait_for(lambda expected=expected: page.summary_count() == expected, message=f"{expected} in the summary")
        wait_for(lambda: _settled(page), message="the page to settle after the click")
        requests = page.script(UPDATE_REQUESTS_JS) - before
        assert 1 <= requests <= 3, f"a click on {sector} sent {requests} callback requests"
    assert_no_console_errors(page.driver)


def test_brw009_table_computes_only_once_shown(page):
    page.open_atlas("?country=AT")
    wait_for(lambda: _settled(page), message="the page to settle after loading")
    table_top = page.script("return document.querySelector('[data-view=\"table\"]').getBoundingClientRect().top;")
    assert table_top > page.script("return window.innerHeight;"), "the table must start below the fold"
    assert page.grid_rows() is None, "the table was built before anyone could see it"
    assert page.script("return typeof window.dash_ag_grid;") == "undefined", "AG Grid loaded before it was needed"
    page.script("document.querySelector('[data-view=\"table\"]').scrollIntoView({block: 'center'});")
    expected = len(active_clusters(country=("AT",)))
    wait_for(lambda: page.grid_rows() == expected, message=lambda: f"{expected} rows (saw {page.grid_rows()})")
    wait_for(lambda: _settled(page), message="the page to settle after showing the table")
    before = page.script(UPDATE_REQUESTS_JS)
    page.script("window.scrollTo(0, 0);")
    wait_for(lambda: _settled(page), message="the page to settle after scrolling back")
    page.script("document.querySelector('[data-view=\"table\"]').scrollIntoView({block: 'center'});")
    wait_for(lambda: _settled(page), message="the page to settle after showing the table again")
    assert page.grid_rows() == expected
    statuses = page.script(UPDATE_STATUSES_JS)[before:]
    assert all(status == 204 for status in statuses), f"showing the same view again recomputed it: {statuses}"
    assert_no_console_errors(page.driver)
