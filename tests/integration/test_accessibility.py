"""WCAG 2.1 A and AA checks with axe-core on every view of the atlas, in headless Chromium.

axe-core comes from npm (``package.json`` pins it; ``npm ci --no-audit --no-fund`` installs it into
``node_modules/``). It is injected into each rendered view and run with the WCAG 2.0/2.1 A and AA rules only;
a test fails on any violation axe rates serious or critical, and prints each one with its rule, impact, help
text and the first elements it concerns. Nothing is excluded from the checks.

The map page opens at the default NUTS 3; the other views open at NUTS 2, which this machine draws several
times faster, with the same controls and texts (the comparison and the region card do not depend on it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from atlas_pages import PAGE_TIMEOUT, chart_labels, open_atlas, skip_unless_ci, wait_until_atlas_ready
from selenium.webdriver.common.by import By
from support import wait_for

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AXE_SOURCE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
SHOWN_TARGETS = 5

COMPARE_VIEW = "/?compare=AT312,ITC11&region=AT312&sector=ict&level=2"
PRESENT_VIEW = "/?present=1&story=alps4eu-key-sectors&step=1&sector=energy_greentech&level=2&metric=lq"

#: Runs axe on the whole document; the callback gets the violations or an error message.
RUN_AXE_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
    .then(results => done({violations: results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map(node => node.target.join(' '))}))}))
    .catch(error => done({error: String(error)}));
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script; skips without it (fails under CI, where it must have been installed)."""
    if not AXE_SOURCE.exists():
        skip_unless_ci(f"the accessibility tests need axe-core in {AXE_SOURCE.parent} "
                       "(run `npm ci --no-audit --no-fund` in the repository root)")
    return AXE_SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def audit(browser, live_server, axe_source):
    """``audit()`` runs axe on the page the browser shows and fails on serious or critical violations."""
    browser.set_window_size(1440, 1800)
    browser.set_script_timeout(PAGE_TIMEOUT)

    def run(view: str) -> None:
        browser.execute_script(axe_source)
        result = browser.execute_async_script(RUN_AXE_JS, WCAG_TAGS)
        assert "error" not in result, f"axe-core failed on {view}: {result.get('error')}"
        blocking = [violation for violation in result["violations"] if violation["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core found serious or critical WCAG 2.1 AA violations on {view}:\n" + \
            "\n".join(describe(violation) for violation in blocking)

    return run


def describe(violation: dict) -> str:
    targets = violation["targets"]
    shown = "\n".join(f"      {target}" for target in targets[:SHOWN_TARGETS])
    more = f"\n      … and {len(targets) - SHOWN_TARGETS} more" if len(targets) > SHOWN_TARGETS else ""
    return f"  {violation['id']} ({violation['impact']}): {violation['help']}\n{shown}{more}"


def test_a11y001_map_page_has_no_serious_violations(browser, live_server, audit):
    open_atlas(browser, live_server, "/")
    audit("the map page")


def test_a11y002_comparison_has_no_serious_violations(browser, live_server, audit):
    open_atlas(browser, live_server, COMPARE_VIEW)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#atlas-region-card article"), PAGE_TIMEOUT,
             message="the region card of AT312")
    wait_for(lambda: {"(AT312)", "(ITC11)"} <= {code for label in chart_labels(browser, "atlas-comparison")
                                                for code in ("(AT312)", "(ITC11)") if code in label},
             PAGE_TIMEOUT, message="AT312 and ITC11 in the comparison chart")
    audit("the comparison view")


def test_a11y003_table_has_no_serious_violations(browser, live_server, audit):
    open_atlas(browser, live_server, "/?level=2&country=AT")
    table = browser.find_element(By.CSS_SELECTOR, '[data-view="table"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", table)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#atlas-table .ag-center-cols-container .ag-row"),
             PAGE_TIMEOUT, message="table rows")
    audit("the table")


def test_a11y004_about_page_has_no_serious_violations(browser, live_server, audit):
    browser.get(live_server + "/about")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "article.about h1"), PAGE_TIMEOUT, message="the About page")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#shell-language"), PAGE_TIMEOUT, message="the header")
    audit("the About page")


def test_a11y005_presentation_has_no_serious_violations(browser, live_server, audit):
    browser.get(live_server + PRESENT_VIEW)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".atlas.presenting .story-title"), PAGE_TIMEOUT,
             message="the story title")
    wait_until_atlas_ready(browser)
    audit("the presentation view")


def test_a11y006_german_page_has_no_serious_violations(browser, live_server, audit):
    open_atlas(browser, live_server, "/?lang=de&level=2")
    wait_for(lambda: browser.execute_script("return document.documentElement.lang;") == "de", PAGE_TIMEOUT,
             message="<html lang=de>")
    audit("the German map page")
