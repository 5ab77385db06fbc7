"""The scoreboard page in headless Chromium (the same set-up and skip rules as
`test_browser`): the board's cells, the shard strip and the case filters."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from conformance.cli import main
from tests.test_browser import browser, pytestmark  # noqa: F401 - the fixture and skip rule
from tests.test_scoreboard import records  # noqa: F401 - the records fixture


def test_scoreboard_as_a_reader_sees_it(browser, records, tmp_path):  # noqa: F811
    out = tmp_path / "board.html"
    main(
        ["scoreboard", str(records["old"]), str(records["s1"]), str(records["s2"]), "-o", str(out)]
    )
    browser.get(out.as_uri())
    cells = browser.find_elements(By.CSS_SELECTOR, "#board td.cell")
    assert [c.find_element(By.CLASS_NAME, "pct").text for c in cells] == ["87.5%", "75.0%"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#board .strip i.missing")) == 1
    shown = browser.find_element(By.ID, "shown")
    assert shown.text == "8 of 8 cases"
    browser.find_element(By.ID, "f-problem").click()
    assert shown.text == "1 of 8 cases"
    visible = [
        r for r in browser.find_elements(By.CSS_SELECTOR, "#cases tr.case") if r.is_displayed()
    ]
    assert [r.find_element(By.TAG_NAME, "a").text for r in visible] == ["topic/wrong"]
    browser.find_element(By.ID, "f-problem").click()
    browser.find_element(By.ID, "f-text").send_keys("square-3")
    assert shown.text == "1 of 8 cases"
    browser.save_screenshot(str(tmp_path / "scoreboard.png"))
