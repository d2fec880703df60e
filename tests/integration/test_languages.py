"""The atlas in German, French, Italian and Slovenian: no English left, the right ``lang``, local number formats.

A page in another language must not show an English text of ``dashboard/locales/en.json`` where that language
has its own: every visible line of the page, the chart titles, the map's attribution and the labels screen
readers announce (``aria-label``, ``placeholder``) are compared with the English values. Views open at NUTS 2,
which this machine draws several times faster than NUTS 3; the texts are the same.
"""

from __future__ import annotations


import pytest
from atlas_pages import PAGE_TIMEOUT, open_atlas, own_chromium, query
from selenium.webdriver.common.by import By
from support import assert_no_console_errors, wait_for

from dashboard.i18n import load_catalogue, translate

pytestmark = pytest.mark.browser

OTHER_LANGUAGES = ("de", "fr", "it", "sl")

#: The area of Linz-Wels (AT312), 1,743.5 km², on its region card.
AREA_AT312 = {"de": "1.744 km²", "fr": "1\u202f744 km²", "it": "1.744 km²", "sl": "1.744 km²"}

#: Every text a reader sees or hears: visible lines, chart titles, each part of the attribution line under the map
#: (its sources, one line joined by " · "), ARIA labels, placeholders.
PAGE_TEXTS_JS = """
const texts = document.body.innerText.split('\\n');
document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    const title = gd._fullLayout && gd._fullLayout.title && gd._fullLayout.title.text;
    if (title) { texts.push(title); }
});
document.querySelectorAll('.map-keys .attribution').forEach(el => texts.push(...el.innerText.split(' · ')));
document.querySelectorAll('[aria-label], [placeholder]').forEach(el => {
    texts.push(el.getAttribute('aria-label') || '', el.getAttribute('placeholder') || '');
});
return texts.map(text => text.trim()).filter(Boolean);
"""



def english_only(language: str) -> dict[str, str]:
    """English texts that ``language`` words differently, each with its key."""
    own = load_catalogue(language)
    return {text: key for key, text in load_catalogue("en").items() if own.get(key, text) != text}


@pytest.fixture(scope="module")
def driver(browser):
    browser.set_window_size(1440, 1800)
    return browser


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_lng001_page_has_no_english_text_and_local_numbers(driver, live_server, language):
    open_atlas(driver, live_server, f"/?lang={language}&level=2&region=AT312")
    assert driver.execute_script("return document.documentElement.lang;") == language
    wait_for(lambda: AREA_AT312[language] in driver.find_element(By.ID, "atlas-region-card").text, PAGE_TIMEOUT,
             message=lambda: f"{AREA_AT312[language]!r} on the region card "
                             f"(saw {driver.find_element(By.ID, 'atlas-region-card').text!r})")
    wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ".map-keys .attribution").is_displayed(), PAGE_TIMEOUT,
             message="the map's attribution")

    texts = driver.execute_script(PAGE_TEXTS_JS)
    english = english_only(language)
    leftovers = sorted({f"{text!r} ({english[text]})" for text in texts if text in english})
    assert not leftovers, f"English texts on the {language} page:\n" + "\n".join(leftovers)
    assert translate("attribution.nuts", language) in texts, "the map's attribution is not translated"
    assert translate("filters.title", language) in texts
    assert_no_console_errors(driver)


def test_lng002_header_switch_reloads_in_french(driver, live_server):
    open_atlas(driver, live_server, "/?lang=de&level=2")
    switch = driver.find_element(By.ID, "shell-language")
    assert switch.text == "Deutsch"
    switch.click()
    french = wait_for(lambda: [option for option in driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")
                               if option.text == "Français"], PAGE_TIMEOUT, message="the option Français")
    french[0].click()
    wait_for(lambda: query(driver).get("lang") == ["fr"], PAGE_TIMEOUT,
             message=lambda: f"lang=fr in the URL (URL {driver.current_url})")
    assert query(driver).get("level") == ["2"], "the rest of the view must survive the switch"
    wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ".filters .panel-title-text").text
             == translate("filters.title", "fr"), PAGE_TIMEOUT, message="the French filters title")
    wait_for(lambda: driver.find_element(By.ID, "shell-language").text == "Français", PAGE_TIMEOUT,
             message="Français in the header switch")
    assert driver.execute_script("return document.documentElement.lang;") == "fr"
    assert driver.find_element(By.CSS_SELECTOR, "#atlas-compare").get_attribute("aria-labelledby")
    assert_no_console_errors(driver)


@pytest.fixture
def italian_browser():
    """A Chromium of its own whose preferred language is Italian (``--lang`` and ``intl.accept_languages``)."""
    with own_chromium("it", prefix="atlas-chromium-it-") as driver:
        yield driver


def test_lng003_browser_preference_chooses_italian(italian_browser, live_server):
    italian_browser.get(live_server + "/?level=2")
    assert italian_browser.execute_script("return navigator.language;").startswith("it")
    wait_for(lambda: italian_browser.find_element(By.CSS_SELECTOR, ".filters .panel-title-text").text
             == translate("filters.title", "it"), PAGE_TIMEOUT,
             message="the Italian filters title")
    assert italian_browser.find_element(By.ID, "shell-language").text == "Italiano"
    assert italian_browser.find_element(By.CSS_SELECTOR, "nav .nav-link").text == translate("nav.atlas", "it")
    assert italian_browser.execute_script("return document.documentElement.lang;") == "it"
    assert "lang" not in query(italian_browser), "the preference must not need a lang in the URL"
