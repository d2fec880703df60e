"""Keyboard-only use of the atlas: Tab, Space, Enter and arrow keys on the focused element, no clicks.

Every element Tab lands on must show a focus indicator (an outline or a box shadow). The views open at NUTS 2,
which this machine draws several times faster than NUTS 3; the keys and controls are the same.
"""

from __future__ import annotations

import pytest
from atlas_pages import PAGE_TIMEOUT, chart_labels, open_atlas, query, wait_for_query, wait_until_atlas_ready
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from support import assert_no_console_errors, press, take_first_option, wait_for

pytestmark = pytest.mark.browser

#: More Tab presses than there are stops from the top of the page to the comparison dropdown.
MAX_TABS = 150

#: What the focused element is, and how it shows focus.
FOCUSED_JS = """
const el = document.activeElement;
if (!el || el === document.body) { return null; }
const style = getComputedStyle(el);
return {tag: el.tagName.toLowerCase(), id: el.id, value: el.getAttribute('value'),
        list: (el.closest('[id^="atlas-"], [id^="shell-"]') || {}).id || '',
        label: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== 'none'};
"""


def focused(driver) -> dict | None:
    return driver.execute_script(FOCUSED_JS)


def assert_focus_visible(element: dict) -> None:
    assert element["outline"] or element["shadow"], f"no visible focus indicator on {element}"


def tab_to(driver, describe: str, matches, visited: list[dict]) -> dict:
    """Press Tab until the focused element ``matches``; every element on the way must show focus."""
    for _ in range(MAX_TABS):
        press(driver, Keys.TAB)
        element = wait_for(lambda: focused(driver), PAGE_TIMEOUT, message="an element to take focus")
        assert_focus_visible(element)
        visited.append(element)
        if matches(element):
            return element
    raise AssertionError(f"{MAX_TABS} Tab presses did not reach {describe}; focus went through:\n"
                         + "\n".join(str(element) for element in visited[-MAX_TABS:]))


def option(list_id: str, value: str | None = None):
    """A matcher for a checkbox or radio of the dcc.Checklist or dcc.RadioItems ``list_id``."""
    return lambda element: (element["tag"] == "input" and element["list"] == list_id
                            and (value is None or element["value"] == value))


@pytest.fixture(scope="module")
def driver(browser):
    browser.set_window_size(1440, 1800)
    return browser


def test_key001_filters_and_comparison_by_keyboard_alone(driver, live_server):
    open_atlas(driver, live_server, "/?level=2")
    visited: list[dict] = []

    skip = tab_to(driver, "the skip link", lambda element: True, visited)
    assert skip["id"] == "shell-skip", f"the first Tab stop must be the skip link, not {skip}"
    press(driver, Keys.ENTER)
    wait_for(lambda: driver.current_url.endswith("#main"), PAGE_TIMEOUT, message="the skip link to jump to #main")
    first = tab_to(driver, "the first control after the skip link", lambda element: True, visited)
    assert driver.execute_script("return document.getElementById('main').contains(document.activeElement);"), \
        f"after the skip link, Tab must continue in <main>, not at {first}"

    tab_to(driver, "the ICT checkbox", option("atlas-sectors", "ict"), visited)
    press(driver, Keys.SPACE)
    wait_for_query(driver, "sector", ["ict"])

    tab_to(driver, "the Austria checkbox", option("atlas-countries", "AT"), visited)
    press(driver, Keys.SPACE)
    wait_for_query(driver, "country", ["AT"])

    level = tab_to(driver, "the NUTS level radios", option("atlas-level"), visited)
    assert level["value"] == "2", f"Tab must land on the chosen level, not {level}"
    press(driver, Keys.ARROW_LEFT)
    wait_for_query(driver, "level", ["1"])
    assert driver.find_element(By.CSS_SELECTOR, "#atlas-level input[value='1']").is_selected()

    compare = tab_to(driver, "the comparison dropdown", lambda element: element["id"] == "atlas-compare", visited)
    assert compare["tag"] == "button"
    for code in ("AT312", "ITC11"):
        choose_region(driver, code)
    wait_for_query(driver, "compare", ["AT312,ITC11"])
    assert query(driver)["sector"] == ["ict"] and query(driver)["country"] == ["AT"]

    def both_compared() -> bool:
        labels = chart_labels(driver, "atlas-comparison")
        return any("(AT312)" in label for label in labels) and any("(ITC11)" in label for label in labels)

    wait_for(both_compared, PAGE_TIMEOUT, message=lambda: "AT312 and ITC11 in the comparison chart "
                                                          f"(saw {chart_labels(driver, 'atlas-comparison')})")
    assert_no_console_errors(driver)


def choose_region(driver, code: str) -> None:
    """With the comparison dropdown focused: type a code, take the first match with Enter, close with Escape."""
    take_first_option(driver, code, f"({code})", PAGE_TIMEOUT)
    wait_for(lambda: f"({code})" in driver.find_element(By.ID, "atlas-compare").text, PAGE_TIMEOUT,
             message=f"{code} among the compared regions")
    press(driver, Keys.ESCAPE)
    wait_for(lambda: driver.execute_script("return document.activeElement.id;") == "atlas-compare", PAGE_TIMEOUT,
             message="focus back on the dropdown after Escape")


def step(driver) -> int:
    return int(query(driver).get("step", ["0"])[0])


def test_key002_presentation_steps_with_clicker_keys(driver, live_server):
    # level=2 is the first slide's own level: the map need not be drawn at NUTS 3 before the keys are pressed.
    driver.get(live_server + "/?present=1&story=alps4eu-key-sectors&level=2")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".atlas.presenting .story-title"), PAGE_TIMEOUT,
             message="the first slide of the story")
    wait_until_atlas_ready(driver)
    for key, expected in ((Keys.ARROW_RIGHT, 1), (Keys.ARROW_RIGHT, 2), (Keys.PAGE_UP, 1), (Keys.PAGE_DOWN, 2),
                          (Keys.SPACE, 3), (Keys.ARROW_LEFT, 2)):
        press(driver, key)
        wait_for(lambda expected=expected: step(driver) == expected, PAGE_TIMEOUT,
                 message=lambda expected=expected: f"step={expected} in the URL (URL {driver.current_url})")
    wait_for(lambda: "Step 3 of" in driver.find_element(By.CSS_SELECTOR, ".story-step").text, PAGE_TIMEOUT,
             message="the caption of the third slide")
    assert_no_console_errors(driver)
