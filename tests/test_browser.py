"""The pages in headless Chromium (Debian's chromium and chromium-driver; nothing is downloaded).

Builds a store from the bundled examples with the store API, serves it on a free loopback port, opens
each page, applies a filter, brushes a range on the timeline with the keyboard, selects a network edge,
follows an event row to its document and checks the highlighted evidence; downloads the filtered view as CSV,
opens the map and an actor page (issue 12). Screenshots (1280x800) go
to $MAGPIE_SCREENSHOTS when set (``MAGPIE_SCREENSHOTS=docs/screenshots`` refreshes the README's),
else to a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import magpie
from magpie.read import read_inputs

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,800",
         "--force-device-scale-factor=1", "--lang=zh-CN"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from magpie.web.loadtest import serve

    db = tmp_path_factory.mktemp("browser") / "examples.db"
    with magpie.open(db, create=True) as store:
        store.ingest(read_inputs([str(ROOT / "examples")]))
    with serve(db) as (host, port):
        yield f"http://{host}:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("no browser: install Debian's chromium and chromium-driver (/usr/bin/chromium, "
                    "/usr/bin/chromedriver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for a browser or driver
    profile = tempfile.mkdtemp(prefix="magpie-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    width, height = driver.execute_script("return [window.outerWidth - window.innerWidth, "
                                          "window.outerHeight - window.innerHeight]")
    driver.set_window_size(1280 + width, 800 + height)  # a 1280x800 viewport
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("MAGPIE_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def loaded(driver: Any, page: str, timeout: float = 15) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.body.dataset.loaded") in
                                         (page, "error"))
    assert driver.execute_script("return document.body.dataset.loaded") == page, \
        driver.find_element("id", "status").text


def stale(driver: Any) -> None:
    """Mark the page as left before an action that navigates: ``loaded`` then waits for the next page.

    Without it, ``loaded`` can read the old page's flag before the browser has left it.
    """
    driver.execute_script("document.body.dataset.loaded = 'stale'")


def no_errors(driver: Any) -> None:
    severe = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
              and "favicon" not in entry["message"]]
    assert not severe, severe


def screenshot(driver: Any, folder: Path, name: str) -> None:
    driver.execute_script("window.scrollTo(0, 0)")
    assert driver.save_screenshot(str(folder / f"{name}.png"))
    assert (folder / f"{name}.png").stat().st_size > 10_000


def test_events_filter_and_follow_a_row_to_its_document(browser: Any, server: str, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/")
    loaded(browser, "events")
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert len(rows) >= 10
    assert "Events" in browser.find_element(By.CSS_SELECTOR, "h1").text
    screenshot(browser, shots, "events")

    # a filter typed and submitted with the keyboard: Putin in Taiwan's spelling finds his events
    actor = browser.find_element(By.NAME, "actor")
    actor.send_keys("普丁")
    stale(browser)
    actor.send_keys(Keys.ENTER)
    loaded(browser, "events")
    assert "actor=%E6%99%AE%E4%B8%81" in browser.current_url
    assert "since=" not in browser.current_url  # empty fields stay out of the URL
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert 0 < len(rows) < 15
    assert all("RUSGOV" in row.text for row in rows)
    # the filters travel with the navigation
    assert "actor=" in browser.find_element(By.CSS_SELECTOR, "nav a[href^='/timeline']").get_attribute("href")

    # follow the first row to its document: the event's evidence is highlighted there
    row = rows[0]
    event_id = row.get_attribute("data-event")
    evidence = row.find_element(By.CSS_SELECTOR, "td.evidence").text
    stale(browser)
    row.find_element(By.CSS_SELECTOR, "a.doc-link").click()
    loaded(browser, "document")
    assert f"event={event_id}" in browser.current_url
    card = browser.find_element(By.CSS_SELECTOR, f".card.current[data-gid='{event_id}']")
    assert "RUSGOV" in card.text
    marks = browser.find_elements(By.CSS_SELECTOR, "#text mark.current.evidence")
    assert marks
    highlighted = "".join(m.text for m in marks)
    squeeze = str.maketrans("", "", " \n\r\t")
    assert evidence.translate(squeeze) in highlighted.translate(squeeze)
    assert browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor", marks[0]) != \
        "rgba(0, 0, 0, 0)"
    # what cleaning removed is shown, and hidden on request
    removed = browser.find_elements(By.CSS_SELECTOR, "#text .removed")
    assert removed and removed[0].is_displayed()
    screenshot(browser, shots, "document")
    browser.find_element(By.ID, "show-removed").click()
    assert not removed[0].is_displayed()
    no_errors(browser)


def test_timeline_keyboard_range_filters_everything(browser: Any, server: str, shots: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/timeline")
    loaded(browser, "timeline")
    assert browser.find_elements(By.CSS_SELECTOR, "#chart svg rect.q1")
    chart = browser.find_element(By.ID, "chart")
    browser.execute_script("arguments[0].focus()", chart)  # Tab reaches it too; a click would pick a bar
    # the first bar (the week of the seed article), extended one bar to the right, applied with Enter
    stale(browser)
    ActionChains(browser).send_keys(Keys.HOME).key_down(Keys.SHIFT).send_keys(Keys.ARROW_RIGHT) \
        .key_up(Keys.SHIFT).send_keys(Keys.ENTER).perform()
    loaded(browser, "timeline")
    assert "since=2017-11-" in browser.current_url and "until=2017-12-" in browser.current_url
    assert browser.find_elements(By.CSS_SELECTOR, "#clear-range")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) >= 10
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart svg g.bars > g")) == 3  # 20, 21 and 22 November
    screenshot(browser, shots, "timeline")
    # the range is a filter of every page
    stale(browser)
    browser.find_element(By.CSS_SELECTOR, "nav a[href^='/network']").click()
    loaded(browser, "network")
    assert "since=2017-11-" in browser.current_url
    names = browser.find_element(By.ID, "graph").text
    assert "TWNGOV" not in names and "RUSGOV" in names  # 2023's Taiwan event is outside the range
    no_errors(browser)


def test_network_edge_lists_its_events(browser: Any, server: str, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/network")
    loaded(browser, "network")
    edges = browser.find_elements(By.CSS_SELECTOR, "#graph g.edge")
    assert len(edges) >= 5
    edge = next(e for e in edges if {e.get_attribute("data-source"), e.get_attribute("data-target")} ==
                {"RUSGOV", "USAGOV"})
    count = int(edge.get_attribute("aria-label").split(": ")[1].split(" ")[0])
    browser.execute_script("arguments[0].focus()", edge)  # keyboard: an edge takes focus, Enter selects it
    edge.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.body.dataset.edge") ==
                                     "RUSGOV,USAGOV")
    items = browser.find_elements(By.CSS_SELECTOR, "#edge-events li")
    assert len(items) == count >= 2
    assert all("RUSGOV" in item.text and "USAGOV" in item.text for item in items)
    screenshot(browser, shots, "network")
    # country level, by the form
    browser.get(server + "/network?level=country")
    loaded(browser, "network")
    assert browser.find_elements(By.CSS_SELECTOR, "#graph g.node[data-id='RUS']")
    no_errors(browser)


def test_language_switch_and_api_docs(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/docs")
    loaded(browser, "docs")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".endpoint")) >= 6
    heading = browser.find_element(By.CSS_SELECTOR, "h1")
    assert "接口" in heading.text and "API" in heading.text
    browser.find_element(By.ID, "lang").click()  # both -> Chinese
    assert "API" not in heading.text and "接口" in heading.text
    browser.find_element(By.ID, "lang").click()  # -> English
    assert "接口" not in heading.text
    browser.find_element(By.ID, "lang").click()  # -> both again
    no_errors(browser)


def test_network_nodes_all_have_a_name(browser: Any, server: str) -> None:
    """Every node's label names it, not just its code: TWN (a member of 美台) reads 台湾 TWN."""
    from selenium.webdriver.common.by import By

    browser.get(server + "/network?nodes=50")
    loaded(browser, "network")
    labels = {g.get_attribute("data-id"): g.find_element(By.CSS_SELECTOR, "text").text
              for g in browser.find_elements(By.CSS_SELECTOR, "#graph g.node")}
    assert labels["TWN"] == "台湾 TWN"
    assert all(label.endswith(" " + code) and len(label) > len(code) + 1 for code, label in labels.items()), labels
    # a code the store has no name for takes its country's name (what TWN showed before: a bare code)
    assert browser.execute_script("return [Magpie.codeLabel('TWN', null, arguments[0]), "
                                  "Magpie.codeLabel('TWNGOV', '', arguments[0]), Magpie.codeLabel('ZZZ', null, {})]",
                                  {"countries": {"TWN": {"zh": "台湾", "en": "Taiwan"}}}) == \
        ["台湾 TWN", "台湾 TWNGOV", "ZZZ"]
    no_errors(browser)


def test_filtered_download_holds_the_table(browser: Any, server: str, shots: Path,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    import csv
    import time

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    folder = tmp_path_factory.mktemp("downloads")
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    browser.get(server + "/")
    loaded(browser, "events")
    actor = browser.find_element(By.NAME, "actor")
    actor.send_keys("普丁")
    stale(browser)
    actor.send_keys(Keys.ENTER)
    loaded(browser, "events")
    stale(browser)
    browser.find_element(By.CSS_SELECTOR, "th[data-sort='goldstein'] a").click()  # sorted, most negative first
    loaded(browser, "events")
    assert "sort=goldstein" in browser.current_url or "sort=-goldstein" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    table = [int(r.get_attribute("data-event")) for r in rows]
    assert 0 < len(table) < 15
    link = browser.find_element(By.ID, "download-csv")
    href = link.get_attribute("href")
    assert "actor=%E6%99%AE%E4%B8%81" in href and "goldstein" in href
    browser.execute_script("arguments[0].focus()", link)
    screenshot(browser, shots, "download")
    link.click()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not [p for p in folder.glob("*.csv")]:
        time.sleep(0.2)
    (saved,) = folder.glob("*.csv")
    with open(saved, encoding="utf-8", newline="") as handle:
        downloaded = [int(r["global_event_id"]) for r in csv.DictReader(handle)]
    assert downloaded == table  # the same events in the same order as the table
    # the place column and filter
    browser.get(server + "/?place=" + "%E7%B4%A2%E5%A5%91")  # 索契
    loaded(browser, "events")
    (row,) = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert "索契" in row.find_element(By.CSS_SELECTOR, "td.place").text
    assert browser.find_element(By.NAME, "place").get_attribute("value") == "索契"
    no_errors(browser)


def test_map_shows_places_with_coordinates(browser: Any, server: str, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/map")
    loaded(browser, "map")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map path.country")) > 150
    assert browser.find_elements(By.CSS_SELECTOR, "#map path.country.placed[data-country='USA']")
    dot = browser.find_element(By.CSS_SELECTOR, "#map g.dot[data-place='索契']")
    box = dot.find_element(By.CSS_SELECTOR, "circle").rect
    shape = browser.find_element(By.CSS_SELECTOR, "#map svg").rect
    # Sochi (39.7 E, 43.6 N) lies right of the middle and in the upper half of the map
    assert shape["x"] + shape["width"] * 0.55 < box["x"] < shape["x"] + shape["width"] * 0.65
    assert shape["y"] < box["y"] < shape["y"] + shape["height"] * 0.4
    browser.execute_script("arguments[0].focus()", dot)
    dot.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.body.dataset.place") == "索契")
    items = browser.find_elements(By.CSS_SELECTOR, "#place-events li")
    assert len(items) == 1 and "SYRGOV" in items[0].text and "RUSGOV" in items[0].text
    screenshot(browser, shots, "map")
    no_errors(browser)


def test_actor_page_from_the_table_and_the_search(browser: Any, server: str, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/actors?q=" + "%E8%92%B2%E4%BA%AD")  # 蒲亭
    loaded(browser, "actors")
    codes = [r.get_attribute("data-code") for r in browser.find_elements(By.CSS_SELECTOR, "#actors tbody tr")]
    assert codes == ["RUSGOV"]
    stale(browser)
    browser.find_element(By.CSS_SELECTOR, "#actors tbody a.actor-link").click()
    loaded(browser, "actor")
    assert browser.current_url.endswith("/actors/RUSGOV")
    assert "普京" in browser.find_element(By.ID, "actor-name").text
    assert browser.find_elements(By.CSS_SELECTOR, "#chart svg rect.q1")
    counterparts = [r.get_attribute("data-code") for r in browser.find_elements(By.CSS_SELECTOR,
                                                                                "#counterparts tbody tr")]
    assert {"USAGOV", "SYRGOV", "EGYGOV"} <= set(counterparts)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 9
    screenshot(browser, shots, "actor")
    # a counterpart leads to its own page
    stale(browser)
    browser.find_element(By.CSS_SELECTOR, "#counterparts tr[data-code='USAGOV'] a.actor-link").click()
    loaded(browser, "actor")
    assert browser.current_url.endswith("/actors/USAGOV")
    no_errors(browser)
