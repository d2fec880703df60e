"""A visitor's own list in a real browser: placed, drawn, counted, compared, tabled, downloaded, kept private.

The tests of this module run in order in one browser tab (its session storage holds the list); the last one
opens a second browser, which must not see it. Views open at NUTS 2, which draws faster than NUTS 3.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from atlas_pages import PAGE_TIMEOUT, open_atlas, own_chromium
from selenium.webdriver.common.by import By
from support import assert_no_console_errors, wait_for, wait_for_text

from dashboard.config import CONFIG
from dashboard.figures import TRACE_USER_RING
from dashboard.i18n import translate

pytestmark = pytest.mark.browser


GOOD_LIST = ("name;country;city;sector;lat;lon;website\n"
             "Alpha Tech;AT;Innsbruck;ict;;;https://example.org\n"
             "Beta Materials;IT;Bolzano;chemistry_materials;46,5;11,35;\n"
             "=HYPERLINK(\"https://example.org\");CH;Chur;construction_wood;;;\n").encode("utf-8")
#: Ten different problems, one per data row: (spreadsheet row, column) of each.
TEN_PROBLEMS = ("name,country,city,sector,lat,lon,founded,website,org_type,status\n"
                ",AT,Innsbruck,ict,,,,,,\n"
                "Two,Austria,Graz,ict,,,,,,\n"
                "Three,AT,Nowhereville,ict,,,,,,\n"
                "Four,AT,Linz,spaceships,,,,,,\n"
                "Five,AT,Wien,ict,abc,16.3,,,,\n"
                "Six,AT,Wien,ict,,,17xx,,,\n"
                "Seven,AT,Wien,ict,,,,javascript:alert(1),,\n"
                "Eight,AT,Wien,ict,,,,,startup,\n"
                "Nine,AT,Wien,ict,,,,,,sleeping\n"
                "Ten,AT,Wien,ict,,,1700,,,\n").encode("utf-8")
TEN_CELLS = [(2, "name"), (3, "country"), (4, "city"), (5, "sector"), (6, "lat"), (7, "founded"), (8, "website"),
             (9, "org_type"), (10, "status"), (11, "founded")]
#: The level-2 regions of the good list's three rows.
GOOD_REGIONS = {"AT33", "ITH1", "CH05"}

USER_POINTS_JS = f"""
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const trace = gd && gd.data && gd.data[{TRACE_USER_RING}];
return trace ? (trace.lat || []).length : null;
"""
GRID_ORIGINS_JS = """
const origins = [];
dash_ag_grid.getApi('atlas-table').forEachNode(node => origins.push([node.data.origin, node.data.name]));
return origins;
"""


@pytest.fixture(scope="module")
def files():
    folder = Path(tempfile.mkdtemp(prefix="atlas-upload-"))
    (folder / "members.csv").write_bytes(GOOD_LIST)
    (folder / "ten-problems.csv").write_bytes(TEN_PROBLEMS)
    with open(folder / "too-big.csv", "wb") as big:
        big.write(b"name,country,city,sector\n")
        big.write(b"Alpha,AT,Wien,ict\n" * (CONFIG.upload_max_bytes // 18 + 1000))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def driver(browser, live_server):
    browser.set_window_size(1440, 1800)
    open_atlas(browser, live_server, "/?level=2&compare=AT33")
    return browser


def upload(driver, path: Path) -> str:
    """Choose ``path`` in the upload field and wait for the status line that names it."""
    driver.execute_script("document.getElementById('upload-status').textContent = '';")
    driver.find_element(By.CSS_SELECTOR, "#upload-input input[type=file]").send_keys(str(path))
    return wait_for_text(driver, "#upload-status", path.name, PAGE_TIMEOUT)


def user_points(driver) -> int | None:
    return driver.execute_script(USER_POINTS_JS)


def downloaded(folder: Path, prefix: str) -> Path | None:
    found = [p for p in folder.glob(f"{prefix}*.csv")]
    return found[0] if found and not list(folder.glob("*.crdownload")) else None


def test_upl101_good_list_is_drawn_counted_compared_tabled_and_downloaded(driver, files):
    status = upload(driver, files / "members.csv")
    assert "3" in status and "members.csv" in status
    wait_for(lambda: user_points(driver) == 3, PAGE_TIMEOUT, message="three points of your list on the map")
    legend = driver.find_element(By.ID, "upload-legend-entry")
    assert legend.is_displayed() and "members.csv" in legend.text

    rows = driver.find_elements(By.CSS_SELECTOR, "#upload-counts tbody tr")
    counted = {row.find_element(By.TAG_NAME, "th").text: [td.text for td in row.find_elements(By.TAG_NAME, "td")]
               for row in rows}
    codes = {label.split("(")[-1].split(")")[0] for label in counted}
    assert codes == GOOD_REGIONS, counted
    first = rows[0].find_element(By.TAG_NAME, "th").text
    assert "(AT33)" in first and translate("upload.counts.compared") in first, "the compared region comes first"
    assert all(values[0] == "1" and int(values[1]) >= 0 for values in counted.values()), counted
    assert int(counted[first][1]) > 0, "Tyrol has register organisations beside yours"

    origins = wait_for(lambda: [o for o in driver.execute_script(GRID_ORIGINS_JS)
                                if o[0] == translate("upload.legend")], PAGE_TIMEOUT, message="your rows in the table")
    assert sorted(name for _, name in origins) == sorted(["Alpha Tech", "Beta Materials",
                                                          '=HYPERLINK("https://example.org")'])

    folder = Path(driver.download_dir)
    button = driver.find_element(By.ID, "upload-list-download")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    path = wait_for(lambda: downloaded(folder, "members-placed"), 30, message="the placed list downloaded")
    table = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    assert list(table["nuts2"]) == ["AT33", "ITH1", "CH05"]
    assert set(table["in_area_2021_2027"]) == {"True"}
    assert table["name"].iloc[2] == "'=HYPERLINK(\"https://example.org\")", "a formula must be defused"
    assert_no_console_errors(driver)


def test_upl102_ten_problems_are_listed_and_the_map_keeps_the_list(driver, files):
    status = upload(driver, files / "ten-problems.csv")
    assert "10" in status
    rows = driver.find_elements(By.CSS_SELECTOR, "#upload-report tbody tr")
    listed = [(int(cells[0].text), cells[1].text) for cells in
              (row.find_elements(By.TAG_NAME, "td") for row in rows)]
    assert listed == TEN_CELLS
    values = [row.find_elements(By.TAG_NAME, "td")[2].text for row in rows]
    assert "javascript:alert(1)" in values and "Austria" in values
    assert not driver.find_elements(By.CSS_SELECTOR, "#upload-report a"), "values are text, never links"
    assert user_points(driver) == 3, "a rejected file must not change what is on the map"

    folder = Path(driver.download_dir)
    driver.find_element(By.ID, "upload-report-download").click()
    path = wait_for(lambda: downloaded(folder, "problems-ten-problems"), 30, message="the problem report")
    report = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    assert [(int(r), c) for r, c in zip(report["row"], report["column"])] == TEN_CELLS
    assert report["value"].str.startswith(("=", "+", "-", "@")).sum() == 0
    assert_no_console_errors(driver)


def test_upl103_oversized_file_is_refused_with_the_limit_named(driver, files):
    driver.find_element(By.CSS_SELECTOR, "#upload-input input[type=file]").send_keys(str(files / "too-big.csv"))
    note = wait_for_text(driver, "#upload-refused", "too-big.csv", PAGE_TIMEOUT)
    assert "5 MB" in note
    assert "5 MB" in driver.find_element(By.CSS_SELECTOR, ".upload-limits").text, "the limit is stated on the page"
    assert user_points(driver) == 3, "a refused file must not change what is on the map"
    assert "too-big.csv" not in driver.find_element(By.ID, "upload-status").text, "the file was never sent"
    assert_no_console_errors(driver)


@pytest.fixture
def second_browser():
    """Another Chromium with a profile of its own: another visitor."""
    with own_chromium("en-US", prefix="atlas-chromium-second-") as second:
        yield second


def test_upl104_another_visitor_does_not_see_the_list(driver, live_server, second_browser):
    assert user_points(driver) == 3, "the first visitor still has the list"
    open_atlas(second_browser, live_server, "/?level=2&compare=AT33")
    wait_for(lambda: user_points(second_browser) == 0, PAGE_TIMEOUT, message="an empty user layer")
    assert not second_browser.find_element(By.ID, "upload-legend-entry").is_displayed()
    assert second_browser.find_elements(By.CSS_SELECTOR, "#upload-counts tbody tr") == []
    assert not [o for o in second_browser.execute_script(GRID_ORIGINS_JS) if o[0] == translate("upload.legend")]
