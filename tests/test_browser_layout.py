"""The report's layout in headless Chromium at 1280 and 1920 px, with three engines.

Checked by element positions: a case opened from the matrix is not hidden
under the sticky filter bar; the matrix header stays visible (below that bar)
while its rows scroll; the expected-vs-observed table of three engines in two
contexts stays inside the page; the causes view and the topic bars show the
record's numbers. Screenshots go to ``$CONFORMANCE_ARTIFACTS`` (default: the
test's temporary folder) as ``layout-<width>.png`` and ``layout-<width>-case.png``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conformance.report import render_html
from tests.test_browser import browser  # noqa: F401 - the shared headless Chromium
from tests.test_report_record import BAD, CASES, GOOD, CannedEngine, make_record, outcome, tensor

WIDTHS = (1280, 1920)
MINE = "my_package.engines.tensorflow_forwarding_layer"  # dotted names do not wrap
FILLER = """\
- id: filler-{n:02d}
  title: another passing case, number {n}
  doc: Only here so that the matrix is longer than the window.
  source: https://www.tensorflow.org/guide/autodiff
  tags: [filler]
  program: |
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
      y = x**2
    g = tape.gradient(y, x)
  expect:
    g: {{tensor: 6.0, dtype: float32, shape: []}}
"""
WIDE_VALUES = [round(0.1234567 * (i + 1), 7) for i in range(16)]
WIDE = f"""\
- id: wide
  title: a wide value in both contexts
  doc: Sixteen gradients with many digits each.
  source: https://www.tensorflow.org/guide/autodiff
  tags: [targets]
  contexts: [eager, function]
  program: |
    x = tf.constant({WIDE_VALUES})
    @context
    def f():
      with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x / 2.0
      return tape.gradient(y, x)
    wide_gradient_of_half_squares = f()
  expect:
    wide_gradient_of_half_squares: {{tensor: {WIDE_VALUES}, dtype: float32}}
"""
TWO_CONTEXTS = WIDE + CASES.replace(
    "  tags: [targets]\n", "  tags: [targets]\n  contexts: [eager, function]\n"
).replace(
    "    x = tf.constant([0.5, 1.0, 1.5, 2.0])\n",
    "    x = tf.constant([0.5, 1.0, 1.5, 2.0])\n    @context\n    def f(): pass\n",
)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, dict, Path]:
    tmp = tmp_path_factory.mktemp("layout")
    filler = {f"filler-{n:02d}": GOOD["square"] for n in range(40)}
    filler["wide"] = outcome({"wide_gradient_of_half_squares": tensor(WIDE_VALUES)})
    off = outcome({"wide_gradient_of_half_squares": tensor([v + 1 for v in WIDE_VALUES])})
    engines = [
        CannedEngine("tensorflow", {**GOOD, **filler}),
        CannedEngine(MINE, {**BAD, **filler, "wide": off}),
        CannedEngine("reference", {**GOOD, **filler}, module="reference_impl"),
    ]
    text = TWO_CONTEXTS + "".join(FILLER.format(n=n) for n in range(40))
    record = make_record(tmp, engines, text)
    path = tmp / "report.html"
    path.write_text(render_html(record), encoding="utf-8")
    artifacts = Path(os.environ.get("CONFORMANCE_ARTIFACTS") or tmp)
    artifacts.mkdir(parents=True, exist_ok=True)
    return path, record, artifacts


def rect(driver, element) -> dict:
    return driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", element)


def open_at(driver, page_path: Path, width: int, fragment: str = "") -> None:
    driver.set_window_size(width, 900)
    driver.get(page_path.as_uri() + fragment)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_case_opened_from_the_matrix_shows_its_title_below_the_filter_bar(browser, page, width):  # noqa: F811
    path, _, artifacts = page
    open_at(browser, path, width)
    browser.find_element(By.CSS_SELECTOR, '#matrix a[href="#case-demo-vector"]').click()
    bar = rect(browser, browser.find_element(By.ID, "filters"))
    summary = rect(browser, browser.find_element(By.CSS_SELECTOR, "#case-demo-vector > summary"))
    assert browser.execute_script("return window.scrollY") > 500  # it did scroll there
    assert summary["top"] >= bar["bottom"], (summary, bar)
    assert summary["top"] - bar["bottom"] < 60  # and the title is right below the bar
    browser.save_screenshot(str(artifacts / f"layout-{width}-case.png"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_matrix_header_stays_below_the_filter_bar_while_rows_scroll(browser, page, width):  # noqa: F811
    path, _, artifacts = page
    open_at(browser, path, width)
    rows = browser.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")
    browser.execute_script("arguments[0].scrollIntoView()", rows[30])
    bar = rect(browser, browser.find_element(By.ID, "filters"))
    heads = browser.find_elements(By.CSS_SELECTOR, "#matrix thead th")
    assert [h.text for h in heads][1:4] == ["tensorflow", MINE, "reference"]
    for head in heads:
        box = rect(browser, head)
        assert abs(box["top"] - bar["bottom"]) <= 2, (box, bar)
    assert rect(browser, rows[5])["top"] < bar["bottom"]  # earlier rows went under it
    browser.save_screenshot(str(artifacts / f"layout-{width}.png"))


@pytest.mark.parametrize("width", WIDTHS)
def test_three_engines_in_two_contexts_fit_the_page(browser, page, width):  # noqa: F811
    path, _, _ = page
    open_at(browser, path, width, "#case-demo-wide")
    table = browser.find_element(By.CSS_SELECTOR, "#case-demo-wide table.compare")
    assert len(table.find_elements(By.CSS_SELECTOR, "thead th")) == 2 + 3 * 2
    box = rect(browser, table)
    case = rect(browser, browser.find_element(By.ID, "case-demo-wide"))
    viewport = browser.execute_script("return document.documentElement.clientWidth")
    assert box["right"] <= case["right"] <= viewport
    assert (
        browser.execute_script("return document.scrollingElement.scrollWidth") <= viewport
    )  # no sideways scroll


def test_causes_and_topic_bars_show_the_records_numbers(browser, page):  # noqa: F811
    path, record, _ = page
    open_at(browser, path, 1280)
    table = browser.find_element(By.CSS_SELECTOR, f'table.causes[data-engine="{MINE}"]')
    rows = [r.text for r in table.find_elements(By.CSS_SELECTOR, "tr.cause")]
    assert rows and all(r.split()[0].isdigit() for r in rows)
    reference = browser.find_element(By.CSS_SELECTOR, 'table.causes[data-engine="reference"]')
    assert len(reference.find_elements(By.CSS_SELECTOR, "tr.cause")) < len(rows)
    bar = browser.find_element(
        By.CSS_SELECTOR, f'#topics tr[data-topic="demo"] .stack[data-engine="{MINE}"]'
    )
    parts = {
        p.get_attribute("class"): (int(p.get_attribute("data-n")), rect(browser, p)["width"])
        for p in bar.find_elements(By.TAG_NAME, "span")
    }
    mine = [r for r in record["results"] if r["engine"] == MINE and r["case"].startswith("demo/")]
    assert parts["failed"][0] > 0
    assert parts["passed"][0] == sum(r["status"] == "passed" for r in mine)
    assert parts["failed"][0] == sum(r["status"] == "failed" for r in mine)
    total = rect(browser, bar)["width"]
    for n, width in parts.values():
        assert width == pytest.approx(total * n / len(mine), abs=1.5)
