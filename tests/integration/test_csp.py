"""The Content-Security-Policy holds in a real browser: no view triggers a violation.

A listener for ``securitypolicyviolation`` is installed before any page script runs (DevTools
``Page.addScriptToEvaluateOnNewDocument``); each view is loaded, left to render, and the recorded violations
and the console's CSP messages are read back.
"""

from __future__ import annotations

import time

import pytest
import requests

from atlas_pages import open_atlas
from support import wait_for

pytestmark = pytest.mark.browser

RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
    window.__cspViolations.push([event.violatedDirective, event.blockedURI, event.sourceFile + ':' + event.lineNumber,
                                 (event.sample || '').slice(0, 80)].join(' | '));
});
"""

ATLAS_VIEWS = ("/", "/?level=2&sector=ict&region=AT31&compare=AT31,ITC1", "/?present=1",
               "/?present=1&story=alps4eu-key-sectors&step=1", "/?embed=1&lang=de", "/?cluster=x&level=0")
OTHER_VIEWS = ("/about", "/no-such-page?lang=fr")


@pytest.fixture(scope="module")
def recording_browser(browser):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    return browser


def violations(driver) -> list[str]:
    recorded = driver.execute_script("return window.__cspViolations || []")
    console = [entry["message"] for entry in driver.get_log("browser")
               if "Content Security Policy" in entry.get("message", "")]
    return recorded + console


def test_trs060_the_policy_is_strict(live_server):
    policy = requests.get(live_server + "/", timeout=30).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "'sha256-" in directives["script-src"]
    assert directives["frame-ancestors"] == "'self'"
    # The SVG map starts no worker and fetches nothing but the atlas's own GeoJSON (MapLibre needed blob: workers).
    assert directives["worker-src"] == "'self'" and directives["connect-src"] == "'self'"


@pytest.mark.parametrize("path", ATLAS_VIEWS)
def test_trs061_no_atlas_view_violates_the_policy(recording_browser, live_server, path):
    recording_browser.get_log("browser")
    open_atlas(recording_browser, live_server, path)
    time.sleep(1.0)  # the map's GeoJSON is fetched and drawn after the first paint
    assert violations(recording_browser) == []


@pytest.mark.parametrize("path", OTHER_VIEWS)
def test_trs062_no_other_page_violates_the_policy(recording_browser, live_server, path):
    recording_browser.get_log("browser")
    recording_browser.get(live_server + path)
    wait_for(lambda: recording_browser.execute_script(
        "return document.querySelector('#main h1') !== null"), 60, message=lambda: f"a heading on {path}")
    time.sleep(0.5)
    assert violations(recording_browser) == []
