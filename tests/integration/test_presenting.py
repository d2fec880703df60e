"""Presenters' features end to end: QR code, slide exports, region PDF, embed mode, and a run with no network.

The app runs as ``python app.py``; exports render through Kaleido with the same Debian Chromium the browser
tests use.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import struct
import tempfile
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from selenium.webdriver.common.by import By
from support import assert_no_console_errors, wait_for

from dashboard.i18n import translate
from dashboard.presenting import qr_svg_data_uri

pytestmark = pytest.mark.browser

PRESENT_QUERY = "?present=1&story=alps4eu-key-sectors&step=1&sector=energy_greentech&level=2&metric=lq&compare=DE25,CH01"
#: The map is drawn: its figure's data, and its regions as SVG paths of the ``geo`` subplot.
MAP_READY_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
return Boolean(gd && gd.data && gd.data.length && gd._fullLayout && gd._fullLayout.geo
               && gd.querySelector('g.geo path.choroplethlocation'));
"""


def fetch(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.status, dict(response.headers), response.read()


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def test_pre001_presentation_shows_story_caption_and_qr(browser, live_server):
    browser.get(live_server + "/" + PRESENT_QUERY)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".story-title"), timeout=60)
    title = browser.find_element(By.CSS_SELECTOR, ".story-title").text
    assert title == translate("sector.energy_greentech")
    message = browser.find_element(By.CSS_SELECTOR, ".story-message").text
    assert re.search(r"\d+ organisations in Energy & Green Tech", message)
    assert not browser.find_element(By.CSS_SELECTOR, ".filters").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, ".attribution").is_displayed()
    assert "Energy & Green Tech" in browser.find_element(By.CSS_SELECTOR, ".present-caption").text
    assert_no_console_errors(browser)


def test_pre002_qr_code_encodes_the_view_and_the_url_restores_it(browser, live_server):
    browser.get(live_server + "/" + PRESENT_QUERY)
    figure = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "figure.qr"), timeout=60)[0]
    url = figure.get_attribute("data-url")
    image = figure.find_element(By.TAG_NAME, "img").get_attribute("src")
    assert image == qr_svg_data_uri(url), "the QR image must encode exactly the shared URL"
    svg = base64.b64decode(image.split(",", 1)[1])
    assert svg.startswith(b"<svg")
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="svg", scale=6, border=2, dark="#1f2933", light="#ffffff",
                                    xmldecl=False, svgns=True)
    assert svg == expected.getvalue()

    query = parse_qs(urlsplit(url).query)
    assert query["sector"] == ["energy_greentech"] and query["level"] == ["2"] and query["metric"] == ["lq"]
    assert "present" not in query and "story" not in query, "phones get the interactive view"
    browser.get(url)
    wait_for(lambda: browser.execute_script(MAP_READY_JS), timeout=60)
    checked = browser.find_element(By.CSS_SELECTOR, "#atlas-sectors input[value='energy_greentech']")
    assert checked.is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "#atlas-level input[value='2']").is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "#atlas-metric input[value='lq']").is_selected()
    assert_no_console_errors(browser)


@pytest.mark.parametrize("view", ["map", "top-regions", "country-mix", "comparison", "portfolio"])
def test_pre003_slide_png_is_1920_by_1080(live_server, view):
    status, headers, content = fetch(f"{live_server}/export/{view}.png?sector=ict&compare=AT312,ITC11&region=AT312")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert png_size(content) == (1920, 1080)


def test_pre004_slide_carries_title_filters_legend_and_attribution(live_server):
    status, headers, content = fetch(f"{live_server}/export/map.svg?sector=ict&country=AT,IT")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    text = content.decode("utf-8")
    assert 'width="1920"' in text and 'height="1080"' in text
    assert translate("metric.count") in text, "title"
    assert "ICT · Austria, Italy" in text, "active filters"
    assert translate("sector.ict") in text and translate("map.context") in text, "legend"
    assert "© EuroGeographics for the administrative boundaries" in text, "attribution"


def test_pre005_region_profile_is_a_one_page_pdf(live_server):
    status, headers, content = fetch(f"{live_server}/export/region-AT312.pdf?sector=ict")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", content)) == 1
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(f"{live_server}/export/region-ZZ999.pdf")
    missing.value.close()
    assert missing.value.code == 404


def test_pre006_embed_mode_is_a_minimal_frame(browser, live_server):
    status, headers, _ = fetch(f"{live_server}/?embed=1")
    assert "frame-ancestors" in headers["Content-Security-Policy"]
    browser.get(live_server + "/?embed=1&sector=ict")
    link = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".embed-header a"), timeout=60)[0]
    assert link.get_attribute("target") == "_blank"
    target = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert target == {"sector": ["ict"]}
    wait_for(lambda: browser.execute_script(MAP_READY_JS), timeout=60)
    assert browser.find_element(By.CSS_SELECTOR, ".filters").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, '[data-view="table"]').is_displayed()
    assert not browser.find_elements(By.CSS_SELECTOR, ".site-footer p")
    assert_no_console_errors(browser)


OFFLINE_ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1440,1000",
    "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
    # No route out: every host name but the loopback address fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)


@pytest.fixture(scope="module")
def offline_browser(browser):
    """A second Chromium that can reach nothing but this machine (the ``browser`` fixture checks the install)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile_dir = tempfile.mkdtemp(prefix="atlas-offline-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in (*OFFLINE_ARGUMENTS, f"--user-data-dir={profile_dir}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile_dir, ignore_errors=True)


def failed_requests(driver) -> list[str]:
    """Requests of our pages whose loading failed, from Chromium's network log.

    A failure with no recorded request belongs to the blank start tab Chromium opened before the log began.
    """
    import json

    failures, urls = [], {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls[message["params"]["requestId"]] = message["params"]["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and not message["params"].get("canceled"):
            if message["params"]["requestId"] in urls:
                failures.append(f"{urls[message['params']['requestId']]}: {message['params']['errorText']}")
    return failures


def test_pre007_everything_works_with_no_network(offline_browser, live_server):
    driver = offline_browser
    driver.get(live_server + "/" + PRESENT_QUERY)
    wait_for(lambda: driver.execute_script(MAP_READY_JS), timeout=90)
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "figure.qr img"), timeout=60)
    wait_for(lambda: driver.execute_script(
        "const g = document.querySelector('#atlas-top-regions .js-plotly-plot'); return g && g.data && g.data.length"),
        timeout=60)
    driver.find_element(By.ID, "atlas-story-next").click()
    wait_for(lambda: "step=2" in driver.current_url, timeout=60)
    exported = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/export/top-regions.png?sector=ict').then(r => r.arrayBuffer().then(b => done([r.status, b.byteLength])))"
        ".catch(e => done([0, String(e)]));")
    assert exported[0] == 200 and exported[1] > 10_000
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    outside = [url for url in resources if not url.startswith(live_server) and not url.startswith("data:")]
    assert outside == [], f"the page asked for resources elsewhere: {outside}"
    assert failed_requests(driver) == []
    assert_no_console_errors(driver)
