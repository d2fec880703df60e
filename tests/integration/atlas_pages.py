"""Opening atlas views and waiting until they have rendered, for the accessibility, keyboard and language tests.

Imported as ``from atlas_pages import …`` (pytest puts this folder on ``sys.path``); the generic waiting and
console helpers are in ``support.py``. The waits are long on purpose: the machines running the tests are
shared and often busy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from support import wait_for

from dashboard.config import is_false

#: Upper bound for anything the page does after a load or a key press.
PAGE_TIMEOUT = 60.0
#: Chromium's switches of ``tests/conftest.py``'s browser fixture, for tests that need a browser of their own
#: (a test module cannot import the root conftest: ``conftest`` names the nearest one on ``sys.path``).
CHROME_ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--window-size=1440,1800", "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
)

#: True once the map (its regions drawn as SVG paths), the summary line, both overview charts and the table (those
#: unless the view hides them) have rendered.
ATLAS_READY_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const subplot = gd && gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
const mapReady = Boolean(subplot && gd.querySelector('path.choroplethlocation'));
const charted = id => {
    const chart = document.querySelector('#' + id + ' .js-plotly-plot');
    return Boolean(chart && chart.data && chart.data.length);
};
let rows = null;
try { rows = dash_ag_grid.getApi('atlas-table').getDisplayedRowCount(); } catch (error) { rows = null; }
const summary = document.querySelector('#atlas-summary strong');
const hidden = name => {  // a section the view hides (presenting, embedded) is never computed
    const section = document.querySelector('[data-view="' + name + '"]');
    return Boolean(section && !section.getClientRects().length);
};
return {map: mapReady, summary: Boolean(summary && summary.textContent.trim()),
        charts: (charted('atlas-top-regions') && charted('atlas-country-mix')) || hidden('charts'),
        table: rows !== null || hidden('table')};
"""


#: The value of a Dash component's property as the renderer holds it, and how many callbacks are pending.
DASH_PROP_JS = """
const state = window.store && window.store.getState();
if (!state) { return {value: null, pending: -1}; }
let node = state.layout;
for (const key of (state.paths.strs[arguments[0]] || [])) { node = node && node[key]; }
const callbacks = state.callbacks || {};
const pending = ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored']
    .reduce((total, kind) => total + (callbacks[kind] || []).length, 0);
return {value: node && node.props ? node.props[arguments[1]] : null, pending: pending};
"""

#: The sections computed only while on screen (``data-view`` in the layout), in page order.
LAZY_SECTIONS = ("charts", "compare", "table")


def show_section(driver, name: str, timeout: float = PAGE_TIMEOUT) -> None:
    """Scroll a lazily computed section into view and wait until the page has computed it; a section the view
    hides (presenting, embedded) is skipped."""
    shown = driver.execute_script(
        "const section = document.querySelector('[data-view=\"' + arguments[0] + '\"]');"
        "if (!section || !section.getClientRects().length) { return false; }"
        "section.scrollIntoView({block: 'center'}); return true;", name)
    if not shown:
        return
    seen: dict = {}

    def computed() -> bool:
        seen.update(driver.execute_script(DASH_PROP_JS, "atlas-visible-views", "data"))
        return name in (seen["value"] or []) and seen["pending"] == 0

    wait_for(computed, timeout, interval=0.25, message=lambda: f"the {name} section to compute (saw {seen})")


def show_every_section(driver, timeout: float = PAGE_TIMEOUT) -> None:
    """Scroll through every lazily computed section, so each renders, then back to the top."""
    for name in LAZY_SECTIONS:
        show_section(driver, name, timeout)
    driver.execute_script("window.scrollTo(0, 0);")


def in_ci() -> bool:
    """The test of ``tests/conftest.py``: ``CI`` set to anything but empty or one of the app's spellings of
    false (``dashboard.config``)."""
    value = os.environ.get("CI", "").strip()
    return bool(value) and not is_false(value)


def skip_unless_ci(message: str) -> None:
    """Skip the test for a missing tool, as ``require_programs`` does; under CI, fail it instead."""
    if in_ci():
        pytest.fail(f"CI is set, so this must run: {message}", pytrace=False)
    pytest.skip(message)


def query(driver) -> dict[str, list[str]]:
    """The current URL's query, parsed."""
    return parse_qs(urlsplit(driver.current_url).query)


def wait_until_atlas_ready(driver, timeout: float = PAGE_TIMEOUT) -> None:
    """Wait until the map page has rendered everything a reader sees first.

    Two waits of up to ``timeout`` each: first the server's answer (the summary), then the drawing, which at
    NUTS 3 keeps a busy machine's browser working for a long while after it. The charts, the comparison and the
    table (AG Grid itself) arrive only once on screen, so the page is scrolled through them in between.
    """
    status: dict = {}

    def ready(parts: tuple[str, ...]):
        def check() -> bool:
            status.update(driver.execute_script(ATLAS_READY_JS))
            return all(status[part] for part in parts)
        return check

    for parts in (("summary",), ("map", "charts", "table")):
        if "charts" in parts:
            show_every_section(driver, timeout)
        wait_for(ready(parts), timeout, interval=0.25,
                 message=lambda parts=parts: f"the atlas to render its {' and '.join(parts)} "
                                             f"(saw {status}, URL {driver.current_url})")


def open_atlas(driver, base_url: str, path: str = "/", timeout: float = PAGE_TIMEOUT) -> None:
    """Open a view of the map page and wait until it has rendered."""
    driver.get(base_url + path)
    wait_until_atlas_ready(driver, timeout)


def wait_for_query(driver, key: str, expected: list[str], timeout: float = PAGE_TIMEOUT) -> None:
    """Wait until the URL's query has ``key`` with exactly the values ``expected``."""
    wait_for(lambda: query(driver).get(key) == expected, timeout, interval=0.25,
             message=lambda: f"{key}={','.join(expected)} in the URL (URL {driver.current_url})")


def chart_labels(driver, component_id: str) -> set[str]:
    """The x labels of the bar traces of the Plotly chart in ``component_id``."""
    data = driver.execute_script(
        "const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
        "return gd && gd.data ? gd.data : [];", component_id)
    return {str(label) for trace in data if trace.get("type") == "bar" for label in trace.get("x") or []}


@contextmanager
def own_chromium(language: str, *, prefix: str) -> Iterator[object]:
    """A Chromium with a profile of its own (another visitor) whose preferred language is ``language``."""
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        skip_unless_ci("browser tests need chromium and chromedriver on PATH (Debian packages chromium, "
                       "chromium-driver; `make test` installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile_dir = tempfile.mkdtemp(prefix=prefix)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (*CHROME_ARGUMENTS, f"--lang={language}", f"--user-data-dir={profile_dir}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        driver.set_page_load_timeout(PAGE_TIMEOUT)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile_dir, ignore_errors=True)
