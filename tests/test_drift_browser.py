"""The drift page in headless Chromium: what a person sees, checked on the screenshot.

Same requirements as ``test_browser.py`` (Chromium, chromedriver, selenium).
A screenshot of the page is left at ``<tmp>/drift.png`` for a human look.
"""

from __future__ import annotations

import struct
import zlib

import pytest

from conformance.drift import compute_drift
from conformance.report.drift_html import render_drift_html
from tests.test_browser import (
    browser,  # noqa: F401 - the shared Chromium fixture
    pytestmark,  # noqa: F401 - skipped without Chromium
)
from tests.test_drift import releases

By = pytest.importorskip("selenium.webdriver.common.by").By
OUTCOME_COLOR = (0xFF, 0xB6, 0x48)  # .k-outcome in drift.html.j2
NUMERIC_COLOR = (0xFF, 0xF1, 0xC2)  # .k-numeric


def png_pixels(data: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of an 8-bit RGB or RGBA PNG (what Chromium's screenshots are)."""
    width, height, depth, color = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and color in (2, 6), (depth, color)
    channels, chunks, pos = (3 if color == 2 else 4), b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunks += data[pos + 8 : pos + 8 + length] if kind == b"IDAT" else b""
        pos += 12 + length
    raw, stride, rows = zlib.decompress(chunks), width * channels, []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = prev[i], prev[i - channels] if i >= channels else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        rows.append(line)
        prev = line
    return [tuple(row[x : x + 3]) for row in rows for x in range(0, stride, channels)]


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind in (1, 2):
        return left if kind == 1 else up
    if kind == 3:
        return (left + up) // 2
    estimate = left + up - corner
    near = min((abs(estimate - left), 0), (abs(estimate - up), 1), (abs(estimate - corner), 2))
    return (left, up, corner)[near[1]]


def share(pixels: list, color: tuple[int, int, int]) -> float:
    return sum(p == color for p in pixels) / len(pixels)


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):  # noqa: F811 - the fixture imported above
    tmp = tmp_path_factory.mktemp("drift-browser")
    records = releases(tmp)
    path = tmp / "drift.html"
    path.write_text(render_drift_html(compute_drift(list(records.items()))), encoding="utf-8")
    browser.get(path.as_uri())
    browser.save_screenshot(str(tmp / "drift.png"))
    return browser


def shown_cases(driver) -> list[str]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#drift tbody tr")
    return [
        r.find_element(By.CSS_SELECTOR, "td.case").text.split("\n")[0]
        for r in rows
        if r.is_displayed()
    ]


def test_changed_cells_are_painted_in_their_colors(page):
    cell = page.find_element(By.CSS_SELECTOR, "#drift td.k-outcome")
    assert cell.is_displayed() and cell.size["width"] > 30
    assert share(png_pixels(cell.screenshot_as_png), OUTCOME_COLOR) > 0.5
    numeric = page.find_element(By.CSS_SELECTOR, "#drift td.k-numeric")
    assert share(png_pixels(numeric.screenshot_as_png), NUMERIC_COLOR) > 0.5
    same = page.find_element(By.CSS_SELECTOR, "#drift td.same")
    assert share(png_pixels(same.screenshot_as_png), OUTCOME_COLOR) == 0


def test_the_release_header_and_per_release_lines(page):
    headers = [
        th.text.split("\n")[0] for th in page.find_elements(By.CSS_SELECTOR, "#drift th.rel")
    ]
    assert headers == ["2.12.1", "2.13.1", "2.14.1"]
    lines = [tr.text for tr in page.find_elements(By.CSS_SELECTOR, "#releases tbody tr")]
    assert lines[2].startswith("2.14.1 1 case changed (1 value)")


def test_filters_show_unchanged_and_hide_numeric_rows(page):
    assert shown_cases(page) == ["demo/hostile", "demo/square", "demo/vector"]
    page.find_element(By.ID, "f-numeric").click()
    assert shown_cases(page) == ["demo/hostile", "demo/square"]
    page.find_element(By.ID, "f-unchanged").click()
    assert "demo/raises" in shown_cases(page)
    page.find_element(By.ID, "f-text").send_keys("SQUARE")
    assert shown_cases(page) == ["demo/square"]
    assert page.find_element(By.ID, "shown").text == "1 of 4 case results shown"


def test_a_changed_cell_links_to_its_details(page):
    page.refresh()  # no filter left over from another test
    page.find_element(By.CSS_SELECTOR, "#drift td.k-outcome a").click()
    details = page.find_element(By.CSS_SELECTOR, "section.change:target")
    assert "demo/hostile" in details.text and "TypeError" in details.text
    assert page.execute_script("return document.images.length") == 0
