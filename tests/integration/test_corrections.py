"""Suggest a correction, followed as a reader would: open a card, click the link, land on a prefilled form.

The issue tracker is a small HTTP server in this process that records what the browser asks for, so the test
sees exactly the address the link led to. A second server without the setting proves the link stays hidden.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from atlas_pages import open_atlas
from selenium.webdriver.common.by import By
from support import assert_no_console_errors, wait_for

pytestmark = pytest.mark.browser

CLUSTER = "ch-swissphotonics"
CARD = "#atlas-cluster-card"
REGION_CARD = "#atlas-region-card"


class _Tracker(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).requests.append(self.path)
        body = b"<!doctype html><title>New issue</title><p>new issue form</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        """Keep the test output clean."""


@pytest.fixture(scope="module")
def tracker() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tracker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/issues/new"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def corrections_server(start_server, tracker: str) -> str:
    return start_server([sys.executable, "app.py"], {"ATLAS_CORRECTIONS_URL": tracker}).url


def test_cor001_card_link_leads_to_a_prefilled_issue_naming_organisation_and_view(browser, corrections_server,
                                                                                  tracker) -> None:
    open_atlas(browser, corrections_server, f"/?cluster={CLUSTER}&sector=mechatronics_engineering")
    card = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, CARD + " article"), message=lambda: "the card")[0]
    text = card.text
    assert "Website" in text and "swissphotonics.net" in text
    assert "Evidence page" in text
    assert "Last checked" in text and "2026" in text
    original = browser.current_window_handle
    link = card.find_element(By.CSS_SELECTOR, "a.correction-link")
    assert link.text == "Suggest a correction"
    link.click()
    wait_for(lambda: len(browser.window_handles) == 2, message=lambda: "the tracker to open in a new tab")
    browser.switch_to.window([handle for handle in browser.window_handles if handle != original][0])
    wait_for(lambda: "new issue form" in browser.page_source, message=lambda: f"the tracker page ({browser.current_url})")
    opened = urlsplit(browser.current_url)
    assert f"{opened.scheme}://{opened.netloc}{opened.path}" == tracker
    fields = parse_qs(opened.query)
    assert f"organisation {CLUSTER}" in fields["title"][0]
    assert f"cluster={CLUSTER}" in fields["title"][0] and "sector=mechatronics_engineering" in fields["title"][0]
    assert f"Record: organisation {CLUSTER}" in fields["body"][0]
    assert any(path.startswith("/issues/new?") for path in _Tracker.requests)
    browser.close()
    browser.switch_to.window(original)
    assert_no_console_errors(browser)


def test_cor002_region_card_has_the_link_too(browser, corrections_server) -> None:
    open_atlas(browser, corrections_server, "/?region=CH012&level=3")
    card = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, REGION_CARD + " article"),
                    message=lambda: "the region card")[0]
    href = card.find_element(By.CSS_SELECTOR, "a.correction-link").get_attribute("href")
    title = parse_qs(urlsplit(href).query)["title"][0]
    assert "region CH012" in title and "region=CH012" in title


def test_cor003_without_a_corrections_address_no_link_is_shown(browser, live_server) -> None:
    open_atlas(browser, live_server, f"/?cluster={CLUSTER}")
    card = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, CARD + " article"), message=lambda: "the card")[0]
    assert "Last checked" in card.text
    assert not card.find_elements(By.CSS_SELECTOR, "a.correction-link")
