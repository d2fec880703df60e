"""The page reads at a glance: the downloaded view line, Reset keeping the language, cards beside the map,
disabled exports, and the presentation filling a 16:9 screen. Each test measures what a reader would check."""

from __future__ import annotations

import io
import re
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader
from atlas_pages import open_atlas, query, wait_for_query, wait_until_atlas_ready
from selenium.webdriver.common.by import By
from support import assert_no_console_errors, intersects, viewport, wait_for

from dashboard import story
from dashboard.i18n import translate

pytestmark = pytest.mark.browser

DESKTOP_SIZE = (1600, 1000)


@pytest.fixture(autouse=True)
def fresh_console(browser):
    browser.set_window_size(*DESKTOP_SIZE)
    browser.get_log("browser")


def click_option(driver, component_id: str, value: str) -> None:
    label = driver.find_element(By.CSS_SELECTOR, f"#{component_id} input[value='{value}']").find_element(
        By.XPATH, "./ancestor::label")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    label.click()


def click(driver, css: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def downloaded(download_dir: Path, suffix: str) -> Path | None:
    finished = [path for path in download_dir.glob(f"*.{suffix}") if path.stat().st_size > 0]
    return finished[0] if finished and not list(download_dir.glob("*.crdownload")) else None


@pytest.mark.parametrize("kind", ["csv", "geojson"])
def test_lgb001_download_names_the_current_view_not_the_loaded_one(browser, live_server, kind):
    download_dir = Path(browser.download_dir)
    for old in download_dir.iterdir():
        old.unlink()
    open_atlas(browser, live_server, "/")
    click_option(browser, "atlas-sectors", "energy_greentech")
    wait_for_query(browser, "sector", ["energy_greentech"])
    click_option(browser, "atlas-countries", "AT")
    wait_for_query(browser, "country", ["AT"])
    click(browser, f"#atlas-download-{kind}")
    path = wait_for(lambda: downloaded(download_dir, kind), 30, message=f"a {kind} file in {download_dir}")
    text = path.read_text(encoding="utf-8")
    match = re.search(r'(?:View: |"view": ")([^"\s]+)', text)
    assert match, text[:400]
    assert match.group(1) == live_server + "/?sector=energy_greentech&country=AT", match.group(1)
    assert_no_console_errors(browser)


def test_lgb002_reset_keeps_the_page_language(browser, live_server):
    open_atlas(browser, live_server, "/?lang=de&sector=ict&country=AT")
    reset = browser.find_element(By.ID, "atlas-reset")
    assert reset.text == translate("filters.reset", "de")
    click(browser, "#atlas-reset")
    wait_for(lambda: "sector" not in query(browser), 60, message="the reset view")
    wait_until_atlas_ready(browser)
    assert browser.execute_script("return document.documentElement.lang;") == "de"
    assert browser.find_element(By.ID, "atlas-reset").text == translate("filters.reset", "de")
    assert "country" not in query(browser)


def fetch(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=180) as response:
        return response.status, dict(response.headers), response.read()


def test_lgb003_region_pdf_is_a4_portrait_titled_and_named(live_server):
    status, headers, content = fetch(f"{live_server}/export/region-AT31.pdf?sector=ict&lang=de")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.28) < 1.5 and abs(float(box.height) - 841.89) < 1.5, box
    title = reader.metadata.title
    assert "Kaleido" not in title
    assert "Oberösterreich (AT31)" in title and translate("sector.ict", "de") in title
    assert translate("period.2021-2027", "de") in title
    assert headers["Content-Disposition"] == 'attachment; filename="alpine-cluster-atlas-region-AT31-ict-2021-2027.pdf"'


def test_lgb004_an_empty_region_pdf_says_so(live_server):
    status, _, content = fetch(f"{live_server}/export/region-AT111.pdf")
    assert status == 200
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert translate("card.region.none") in " ".join(text.split())


def test_lgb005_slide_file_name_names_view_sector_level_and_period(live_server):
    status, headers, content = fetch(f"{live_server}/export/top-regions.png?sector=energy_greentech&level=2")
    assert status == 200 and content[:4] == b"\x89PNG"
    assert headers["Content-Disposition"] == \
        'attachment; filename="alpine-cluster-atlas-top-regions-energy-greentech-nuts2-2021-2027.png"'


def test_lgb006_blank_exports_are_not_offered(browser, live_server):
    open_atlas(browser, live_server, "/")
    click(browser, ".exports summary")
    rows = {row.get_attribute("data-export"): row for row in
            wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".export-list li"), 30)}
    assert rows["map"].find_elements(By.TAG_NAME, "a")
    assert not rows["comparison"].find_elements(By.TAG_NAME, "a")
    assert not rows["portfolio"].find_elements(By.TAG_NAME, "a")
    assert translate("export.needs_territories") in rows["comparison"].text


#: Where every visible box of the presentation lies, the QR code's size, what scrolls or is cut off, and how
#: the top-regions chart sits in its panel.
PRESENTATION_BOXES_JS = """
const view = {width: window.innerWidth, height: window.innerHeight};
const box = el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
                                                                  right: r.right, height: r.height}; };
const shown = Array.from(document.querySelectorAll(
    '.present-bar, .present-words > *, .qr-image, .present-nav .button, .map-section, .map-section > *, '
    + '#atlas-map, .content > .panel'))
    .filter(el => el.offsetParent !== null || getComputedStyle(el).position === 'fixed');
const clipped = Array.from(document.querySelectorAll('.present-words, .present-bar, .map-section'))
    .filter(el => el.scrollHeight > el.clientHeight + 1).map(el => el.className);
const words = document.querySelector('.present-words').getBoundingClientRect();
const bar = document.querySelector('.present-bar').getBoundingClientRect();
return {view: view, scroll: {height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth},
        outside: shown.map(el => [el.className || el.id, box(el)]).filter(([name, b]) =>
            b.top < -0.5 || b.left < -0.5 || b.bottom > view.height + 0.5 || b.right > view.width + 0.5),
        qr: document.querySelector('.qr-image').getBoundingClientRect().height, clipped: clipped,
        chart: (() => {
            const graph = document.querySelector('#atlas-top-regions');
            const svg = graph.querySelector('.main-svg'), title = graph.querySelector('.xtitle');
            const panel = graph.closest('.panel').getBoundingClientRect();
            return {graph: box(graph), svg: box(svg), title: box(title), panelBottom: panel.bottom};
        })(),
        wordsInBar: words.bottom <= bar.bottom + 0.5,
        map: document.querySelector('#atlas-map').getBoundingClientRect().height,
        drawn: box(document.querySelector('#atlas-map g.geo .layer.bg rect'))};
"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_lgb007_presentation_fills_the_screen_without_scrolling_or_clipping(browser, live_server, size):
    with viewport(browser, *size):
        browser.get(live_server + "/?present=1&story=alps4eu-key-sectors&step=1")
        wait_until_atlas_ready(browser)
        wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".story-title"), 60)
        wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#atlas-top-regions .xtitle"), 60,
                 message="the top-regions chart")
        measured = browser.execute_script(PRESENTATION_BOXES_JS)
        assert measured["view"] == {"width": size[0], "height": size[1]}
        assert measured["scroll"]["height"] <= size[1] and measured["scroll"]["width"] <= size[0], measured["scroll"]
        assert not measured["outside"], measured["outside"]
        assert not measured["clipped"], measured["clipped"]
        assert measured["wordsInBar"], "the story text runs out of its bar"
        assert measured["qr"] >= 0.2 * size[1], measured["qr"]
        assert measured["map"] >= 0.4 * size[1], "the map fills most of the screen below the bar"
        # The SVG map's own area (its geo subplot), not only its box: it fills the box.
        assert measured["drawn"]["height"] >= measured["map"] - 1, (measured["drawn"], measured["map"])
        chart = measured["chart"]
        # The chart fills its half down to the panel's bottom, and nothing of it (its axis title) is cut off.
        assert chart["panelBottom"] - chart["svg"]["bottom"] <= 24, chart
        assert chart["svg"]["bottom"] <= chart["graph"]["bottom"] + 0.5, chart
        assert chart["title"]["bottom"] <= chart["graph"]["bottom"] + 0.5, chart


def test_lgb008_step_buttons_only_in_a_story_and_the_end_is_said(browser, live_server):
    browser.get(live_server + "/?present=1&sector=ict")
    wait_until_atlas_ready(browser)
    wait_for(lambda: browser.find_element(By.ID, "atlas-present-exit").is_displayed(), 60)
    assert not browser.find_element(By.ID, "atlas-story-next").is_displayed()
    assert not browser.find_element(By.ID, "atlas-story-previous").is_displayed()
    last = len(story.load_story(story.DEFAULT_STORY).steps) - 1
    browser.get(live_server + f"/?present=1&story={story.DEFAULT_STORY}&step={last - 1}")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".story-title"), 60)
    assert browser.find_element(By.ID, "atlas-story-next").is_displayed()
    assert not browser.find_elements(By.CSS_SELECTOR, ".story-end")
    click(browser, "#atlas-story-next")
    end = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".story-end"), 60, message="the end of the story")
    assert end[0].text == translate("present.end")


def test_lgb009_leaving_the_presentation_brings_back_the_view_from_before(browser, live_server):
    open_atlas(browser, live_server, "/?sector=ict&country=AT&level=1&lang=de")
    before = query(browser)
    click(browser, "#atlas-story-start")
    wait_for(lambda: query(browser).get("story"), 60, message="the story in the URL")
    wait_for(lambda: browser.find_element(By.ID, "atlas-story-next").is_displayed(), 60, message="Next")
    click(browser, "#atlas-story-next")
    wait_for(lambda: query(browser).get("step") == ["1"], 60, message="step 2")
    click(browser, "#atlas-present-exit")
    wait_for(lambda: "present" not in query(browser), 60, message="the presentation to end")
    wait_for(lambda: query(browser) == before, 60, message=lambda: f"{before} back (URL {browser.current_url})")
    wait_for(lambda: "presenting" not in browser.find_element(By.ID, "atlas-root").get_attribute("class"), 60,
             message="the normal page back")
    assert browser.find_element(By.CSS_SELECTOR, "#atlas-sectors input[value='ict']").is_selected()


COMPARISON_JS = """
const gd = document.querySelector('#atlas-comparison .js-plotly-plot');
if (!gd || !gd.data || !gd.data.length) { return null; }
const rect = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
return {
    legend: Array.from(gd.querySelectorAll('.legend .traces')).map(rect),
    titles: Array.from(gd.querySelectorAll('.annotation')).filter(a => a.textContent.includes('–'))
        .map(a => [a.textContent, rect(a)]),
    bars: Array.from(gd.querySelectorAll('.bars .point path')).map(rect),
    colours: Object.fromEntries(gd.data.map(t => [t.name, t.marker.color])),
};
"""


#: Boxes that touch or overlap by less than this (px) after the browser's sub-pixel rounding do not clash.
SUBPIXEL = 0.5


@pytest.mark.parametrize("size", [(1600, 1000), (390, 844)])
def test_lgb010_comparison_labels_and_legend_do_not_overprint(browser, live_server, size):
    browser.set_window_size(*size)
    codes = "ITH1,AT34,CH01,DE21,FRK2,SI04"
    open_atlas(browser, live_server, f"/?level=2&sector=ict&compare={codes}")
    browser.execute_script("document.getElementById('compare').scrollIntoView();")
    seen = wait_for(lambda: browser.execute_script(COMPARISON_JS), 60, message="the comparison chart")
    assert len(seen["legend"]) == 6
    clashes = [(a, b) for i, a in enumerate(seen["legend"]) for b in seen["legend"][i + 1:]
               if intersects(a, b, tolerance=SUBPIXEL)]
    assert not clashes, clashes
    assert seen["titles"], "reference values are written in the panel titles"
    on_bars = [text for text, box in seen["titles"] for bar in seen["bars"] if intersects(box, bar, tolerance=SUBPIXEL)]
    assert not on_bars, on_bars
    open_atlas(browser, live_server, "/?level=2&sector=ict&compare=" + ",".join(reversed(codes.split(","))))
    again = wait_for(lambda: browser.execute_script(COMPARISON_JS), 60, message="the reordered comparison")
    assert again["colours"] == seen["colours"], "a territory keeps its colour whatever the order"


CHART_TITLES_JS = """
return ['atlas-top-regions', 'atlas-country-mix', 'atlas-comparison', 'atlas-portfolio'].map(id => {
    const graph = document.getElementById(id);
    if (!graph || !graph.querySelector('.main-svg .gtitle')) { return null; }
    const chart = graph.getBoundingClientRect();
    return Array.from(graph.querySelectorAll('.gtitle, .annotation-text')).map(text => {
        const box = text.getBoundingClientRect();
        return {chart: id, text: text.textContent, left: box.left - chart.left, top: box.top - chart.top,
                right: chart.right - box.right};
    });
});
"""


@pytest.mark.parametrize("language", ["fr", "it"])
def test_lgb012_chart_titles_fit_their_charts_on_a_phone(browser, live_server, language):
    """Plotly does not wrap a title: on a phone the charts' and the comparison panels' titles ran past the
    chart's right edge, and a title of two lines had its first line cut at the top."""
    with viewport(browser, 390, 844):
        open_atlas(browser, live_server, f"/?compare=AT312,ITC11&sector=ict&lang={language}")
        for section, chart in (("atlas-charts-grid", "atlas-top-regions"), ("compare", "atlas-portfolio")):
            browser.execute_script("document.getElementById(arguments[0]).scrollIntoView();", section)
            wait_for(lambda chart=chart: browser.find_elements(By.CSS_SELECTOR, f"#{chart} .gtitle"), 60,
                     message=f"the chart {chart}")
        charts = wait_for(lambda: (lambda seen: seen if all(seen) else None)(browser.execute_script(CHART_TITLES_JS)),
                          60, message="the four charts with their titles")
    titles = [title for chart in charts for title in chart]
    assert {title["chart"] for title in titles} == {"atlas-top-regions", "atlas-country-mix", "atlas-comparison",
                                                    "atlas-portfolio"}
    assert sum(title["chart"] == "atlas-comparison" for title in titles) == 5, "the chart's and four panels' titles"
    cut = [title for title in titles if min(title["left"], title["top"], title["right"]) < 0]
    assert not cut, cut


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 720), (1920, 1080), (390, 844)])
def test_lgb011_a_clicked_regions_card_is_visible_beside_the_map(browser, live_server, size):
    with viewport(browser, *size):
        open_atlas(browser, live_server, "/?region=AT332&sector=ict")
        card = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#atlas-region-card .card"), 60)[0]
        assert card.find_element(By.TAG_NAME, "h3").text == "Innsbruck (AT332)"
        facts = card.find_element(By.CSS_SELECTOR, ".facts").text
        for key in ("metric.count.short", "metric.density.short", "metric.share.short", "metric.lq.short"):
            assert translate(key) in facts
        boxes = browser.execute_script(
            "const r = el => el.getBoundingClientRect();"
            "const m = r(document.getElementById('atlas-map')), c = r(arguments[0]);"
            "return {map: [m.left, m.top, m.right, m.bottom], card: [c.left, c.top, c.right, c.bottom],"
            "        scrollY: window.scrollY, height: window.innerHeight};", card)
        assert boxes["scrollY"] == 0
        assert boxes["card"][1] < boxes["height"] - 100, f"the card starts on the first screen: {boxes}"
        assert not intersects(boxes["map"], boxes["card"], tolerance=SUBPIXEL), boxes
        if size[0] > 900:
            assert boxes["card"][0] >= boxes["map"][2] and boxes["card"][1] < boxes["map"][3], "beside the map"


#: The portfolio chart's texts by role, each with its box in the page: the chart (its SVG), the bars' own texts,
#: the sector ticks (the numbers sit under the names), the x axis's numbers and title, the titles and annotations.
PORTFOLIO_LABELS_JS = """
const graph = document.getElementById('atlas-portfolio');
const gd = graph && graph.querySelector('.js-plotly-plot');
if (!gd || !gd.data || !gd.data.length || !graph.querySelector('.bars .point path')) { return null; }
const rect = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const texts = css => Array.from(graph.querySelectorAll(css)).filter(t => t.textContent.trim())
    .map(t => [t.textContent, rect(t)]);
return {chart: rect(graph.querySelector('.main-svg')), bars: graph.querySelectorAll('.bars .point path').length,
        onBars: texts('.bars .point text'), ticks: texts('.ytick text'), axis: texts('.xtick text, .xtitle'),
        titles: texts('.gtitle, .annotation-text')};
"""


def inside(box, container) -> bool:
    return box[0] >= container[0] - SUBPIXEL and box[1] >= container[1] - SUBPIXEL \
        and box[2] <= container[2] + SUBPIXEL and box[3] <= container[3] + SUBPIXEL


@pytest.mark.parametrize("size, region, language", [((390, 844), "AT332", "en"), ((390, 844), "FRK2", "fr"),
                                                    ((390, 844), "AT312", "de"), ((390, 844), "FRK2", "sl"),
                                                    ((1280, 720), "AT332", "de")])
def test_lgb013_portfolio_numbers_fit_the_chart_and_do_not_overprint(browser, live_server, size, region, language):
    """On a phone the portfolio wrote each bar's numbers (specialisation · clusters · share) after the bar, and
    the longest bars' numbers ran past the chart's right edge. Innsbruck has a cut bar (▸ 31.44) and a note
    under the title, Rhône-Alpes eleven sectors (in Slovenian the longest names), Linz-Wels two equal longest
    bars; at 1280 px the chart is about as narrow (350 px) as on a phone."""
    with viewport(browser, *size):
        open_atlas(browser, live_server, f"/?region={region}&lang={language}")
        browser.execute_script("document.getElementById('compare').scrollIntoView();")
        seen = wait_for(lambda: browser.execute_script(PORTFOLIO_LABELS_JS), 60, message="the portfolio chart")
    labels = seen["onBars"] + seen["ticks"]
    numbers = [text for text, _ in labels if "·" in text]
    assert len(numbers) == seen["bars"], f"every bar's numbers are written: {numbers}"
    outside = [(text, box) for text, box in labels + seen["axis"] + seen["titles"] if not inside(box, seen["chart"])]
    assert not outside, f"cut off at the chart's edge {seen['chart']}: {outside}"
    texts = labels + seen["axis"] + seen["titles"]
    clashes = [(a[0], b[0]) for i, a in enumerate(texts) for b in texts[i + 1:]
               if intersects(a[1], b[1], tolerance=SUBPIXEL)]
    assert not clashes, clashes


#: Each map key entry's symbol (with the ring a shared place's symbol draws around it) and its text.
KEY_ENTRIES_JS = """
return Array.from(document.querySelectorAll('.sector-key li')).map(li => {
    const swatch = li.querySelector('.swatch');
    const ring = (getComputedStyle(swatch).boxShadow.match(/[\\d.]+(?=px)/g) || [])
        .reduce((widest, width) => Math.max(widest, parseFloat(width)), 0);
    const symbol = swatch.getBoundingClientRect();
    const text = document.createRange();
    text.setStartAfter(swatch);
    text.setEndAfter(li.lastChild);
    const words = text.getBoundingClientRect();
    return {entry: li.dataset.sector, symbol_right: symbol.right + ring, text_left: words.left};
});
"""


@pytest.mark.parametrize("size", [(1920, 1080), (390, 844)])
def test_lgb014_map_key_symbols_stand_apart_from_their_words(browser, live_server, size):
    """The map key's shared-place symbol is a disc with a ring drawn outside its box: with no margin the ring
    touched the first letter ("②Organisations"). Every symbol, ring included, ends before its words start."""
    with viewport(browser, *size):
        open_atlas(browser, live_server)
        entries = browser.execute_script(KEY_ENTRIES_JS)
    assert len(entries) >= 14, entries
    touching = [entry for entry in entries if entry["symbol_right"] + 1 > entry["text_left"]]
    assert not touching, touching
