"""The report and diff pages in headless Chromium, checked the way a person reads them.

Needs the Debian packages ``chromium`` and ``chromium-driver`` and the
``selenium`` package (the ``test`` extra); skipped when they are missing,
except under CI (``CI`` set), where a missing browser is a failure.
A screenshot of the report is left at ``<tmp>/report.png`` for a human look.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from conformance.diff import diff_records
from conformance.report import render_diff_html, render_html
from conformance.report.repro import repro_script
from tests.test_report_record import BAD, GOOD, CannedEngine, make_record

if os.environ.get("CI"):
    from selenium import webdriver
else:
    webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER) and not os.environ.get("CI"),
    reason="needs the chromium and chromium-driver packages",
)


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(
        service=webdriver.ChromeService(executable_path=DRIVER), options=options
    )
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    record = make_record(tmp)
    page = tmp / "report.html"
    page.write_text(render_html(record), encoding="utf-8")
    browser.get(page.as_uri())
    return browser, record, tmp


def visible_rows(driver) -> list[str]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")
    return [r.find_element(By.CSS_SELECTOR, "td.id a").text for r in rows if r.is_displayed()]


def test_summary_shows_the_record_counts(report):
    driver, record, tmp = report
    driver.save_screenshot(str(tmp / "report.png"))
    cell = driver.find_element(
        By.CSS_SELECTOR, '#summary td[data-engine="bad"][data-status="failed"]'
    )
    assert cell.text == str(record["summary"]["engines"]["bad"]["failed"]) == "3"
    assert driver.find_element(By.ID, "n-cases").text == "4"
    diverged = driver.find_element(
        By.CSS_SELECTOR, '#summary td[data-engine="bad"][data-status="diverged"]'
    )
    assert diverged.text == "2"
    assert (tmp / "report.png").stat().st_size > 10_000


def test_filters_hide_rows_and_sections(report):
    driver, _, _ = report
    assert len(visible_rows(driver)) == 4
    Select(driver.find_element(By.ID, "f-status")).select_by_value("passed")
    Select(driver.find_element(By.ID, "f-engine")).select_by_value("bad")
    assert visible_rows(driver) == ["demo/raises"]
    assert not driver.find_element(By.ID, "case-demo-square").is_displayed()
    assert driver.find_element(By.ID, "shown").text == "1 of 4 cases shown"
    Select(driver.find_element(By.ID, "f-status")).select_by_value("diverged")
    assert sorted(visible_rows(driver)) == ["demo/square", "demo/vector"]
    Select(driver.find_element(By.ID, "f-status")).select_by_value("")
    Select(driver.find_element(By.ID, "f-engine")).select_by_value("")
    driver.find_element(By.ID, "f-conflict").click()
    assert visible_rows(driver) == ["demo/hostile"]
    driver.find_element(By.ID, "f-conflict").click()
    driver.find_element(By.ID, "f-text").send_keys("ELEMENT-WISE")
    assert visible_rows(driver) == ["demo/vector"]
    driver.find_element(By.ID, "f-text").clear()
    driver.execute_script("document.getElementById('f-text').dispatchEvent(new Event('input'))")
    assert len(visible_rows(driver)) == 4


def test_hostile_case_text_is_shown_as_text_and_runs_nothing(report):
    driver, _, _ = report
    title = driver.find_element(By.CSS_SELECTOR, "#case-demo-hostile .case-title").text
    assert title == "demo/hostile: <img src=x onerror=alert(1)>"
    assert driver.execute_script("return document.images.length") == 0
    assert driver.execute_script("return typeof window.pwned") == "undefined"
    assert len(driver.find_elements(By.CSS_SELECTOR, "script")) == 2
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it raises when no alert exists


def test_mismatched_fields_are_highlighted_element_wise(report):
    driver, _, _ = report
    section = driver.find_element(By.ID, "case-demo-vector")
    assert section.get_attribute("open") is not None  # failing cases start open
    bad_cells = section.find_elements(By.CSS_SELECTOR, "table.compare td.bad")
    assert [c.text for c in bad_cells] == ["Tensor float32[4] [1.0, 2.5, 3.0, 4.5]"]
    elements = section.find_element(By.CSS_SELECTOR, "table.elements").text
    assert "[1] 2.0 2.5" in elements and "[3] 4.0 4.5" in elements
    assert "rtol=1e-05, atol=1e-06" in section.text


def test_repro_script_is_the_standalone_script(report):
    driver, record, _ = report
    section = driver.find_element(By.ID, "case-demo-square")
    driver.execute_script("arguments[0].open = true", section)
    repro = section.find_element(By.CSS_SELECTOR, "details.repro")
    repro.find_element(By.TAG_NAME, "summary").click()
    script = repro.find_element(By.CSS_SELECTOR, "pre.script")
    case = record["cases"]["demo/square"]
    expected = {
        engine: repro_script(
            "demo/square", case["program"], engine, "eager", case["source"], module, ["g"]
        )
        for engine, module in (("good", "tensorflow"), ("bad", "reference_impl"))
    }
    assert script.get_attribute("textContent") == expected["good"]
    Select(repro.find_element(By.CSS_SELECTOR, "select")).select_by_visible_text("bad (eager)")
    assert script.get_attribute("textContent") == expected["bad"]
    assert "import reference_impl as tf" in expected["bad"]


def test_diff_page_filters_changes(browser, tmp_path):
    old = make_record(tmp_path / "old", [CannedEngine("tf", GOOD, version="2.15.1")])
    new = make_record(tmp_path / "new", [CannedEngine("tf", BAD, version="2.21.0")])
    page = Path(tmp_path / "diff.html")
    page.write_text(render_diff_html(diff_records(old, new), ("old.json", "new.json")))
    browser.get(page.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#changes > tbody > tr")
    assert [r.get_attribute("data-kind") for r in rows] == ["behavior", "behavior"]
    assert "tf 2.15.1" in browser.find_element(By.ID, "sides").text
    browser.find_element(By.ID, "f-text").send_keys("vector")
    assert [r.is_displayed() for r in rows] == [False, True]
    assert browser.find_element(By.ID, "shown").text == "1 of 2 changes shown"
