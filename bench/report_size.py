"""Measure the report for a large corpus: record and page size, build and render time.

Generates N synthetic cases (default 1,000, in files of 100) whose programs
and expectations look like the real ones (tensors, lists, exceptions, logs,
tags, doc-conflict cases), runs them on two engines that replay prepared
outcomes (one agrees with the expectations, one fails ~15% of the cases and
so also diverges), then builds the record, writes the JSON and renders the
HTML page. With ``--browser`` (needs chromium, chromium-driver, selenium) it
also opens the page in headless Chromium and times the load.

    python bench/report_size.py                 # 1,000 cases
    python bench/report_size.py --cases 3000 --browser --keep /tmp/big
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

from conformance.engines.base import Engine
from conformance.loader import load_cases
from conformance.report import build_record, render_html, write_json
from conformance.runner import Result, run_cases

CASE = """\
- id: case-{n}
  title: gradient of a {size}-element product, variant {n}
  doc: |
    The gradient of sum(x * w) with respect to x is w, element by element;
    synthetic case {n} of a size benchmark.
  source: https://www.tensorflow.org/guide/autodiff#{anchor}
  quote: "The gradient with respect to each source has the shape of the source."
  tags: [{tags}]
  contexts: [{contexts}]
  program: |
    w = tf.constant({w})
    x = tf.Variable(tf.ones([{size}]))
    @context
    def grad():
      with tf.GradientTape() as tape:
        y = tf.reduce_sum(x * w)
      return tape.gradient(y, x)
    g = grad()
    pair = [g, None]
  expect:
    g: {{tensor: {w}, dtype: float32, shape: [{size}]}}
    pair: [{{tensor: any, dtype: float32}}, null]
"""
ANCHORS = (
    "gradient_tapes",
    "intermediate_results",
    "control_flow",
    "gradients_of_non-scalar_targets",
    "cases_where_gradient_returns_none",
)
TAGS = ("watch", "targets", "persistence", "control-flow", "numerics", "jacobian")


def tensor(values: list[float]) -> dict:
    return {"kind": "Tensor", "dtype": "float32", "shape": [len(values)], "value": values}


class Replay(Engine):
    """Observations computed from each case's own numbers (optionally perturbed)."""

    def __init__(self, name: str, fail_every: int = 0) -> None:
        self.name, self.fail_every = name, fail_every

    @property
    def version(self) -> str:
        return "bench"

    def recorded_outcome(self, case, context: str) -> Result:
        number = int(case.local_id.rsplit("-", 1)[1])
        w = list(case.expectation.values["g"].value)
        broken = self.fail_every and number % self.fail_every == 0
        if broken:
            w = [v + 0.5 if i % 3 == 0 else v for i, v in enumerate(w)]
        warning = [
            {
                "source": "tensorflow",
                "level": "WARNING",
                "message": "The dtype of the watched tensor must be floating",
            }
        ]
        result = Result(case.id, self.name, context, "error", seconds=0.001)
        result.outcome = {
            "values": {
                "g": tensor(w),
                "pair": {"kind": "list", "items": [tensor(w), {"kind": "none"}]},
            },
            "exception": None,
            "logs": warning if number % 7 == 0 else [],
            "output": "",
        }
        return result  # the runner judges it


def write_corpus(root: Path, count: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for start in range(0, count, 100):
        text = []
        for n in range(start, min(start + 100, count)):
            size = rng.choice((1, 3, 4, 8, 16))
            tags = rng.sample(TAGS, 2) + (["doc-conflict"] if n % 40 == 0 else [])
            text.append(
                CASE.format(
                    n=n,
                    size=size,
                    anchor=rng.choice(ANCHORS),
                    tags=", ".join(tags),
                    contexts="eager, function" if n % 5 == 0 else "eager",
                    w=[round(rng.uniform(-3, 3), 3) for _ in range(size)],
                )
            )
        (root / f"bench_{start // 100:03d}.yaml").write_text("\n".join(text))


def measure(count: int, workdir: Path, browser: bool = False) -> dict:
    """Build, write and render the report of `count` synthetic cases; sizes and times."""
    write_corpus(workdir / "cases", count)
    clock = time.perf_counter()
    loaded = load_cases([workdir / "cases"])
    assert not loaded.errors, loaded.errors[:3]
    run = run_cases(loaded.cases, [Replay("tensorflow"), Replay("candidate", fail_every=7)])
    record = build_record(run, loaded.cases, loaded.errors)
    built = time.perf_counter() - clock
    write_json(record, workdir / "report.json")
    clock = time.perf_counter()
    page = render_html(record)
    rendered = time.perf_counter() - clock
    (workdir / "report.html").write_text(page, encoding="utf-8")
    numbers = {
        "cases": len(loaded.cases),
        "results": len(record["results"]),
        "divergences": len(record["divergences"]),
        "json_bytes": (workdir / "report.json").stat().st_size,
        "html_bytes": len(page.encode("utf-8")),
        "load_run_build_seconds": round(built, 2),
        "render_seconds": round(rendered, 2),
    }
    if browser:
        numbers["chromium_load_seconds"] = round(chromium_load(workdir / "report.html"), 2)
    return numbers


def chromium_load(page: Path) -> float:
    """Seconds from navigation start to the load event in headless Chromium."""
    from selenium import webdriver

    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.get(page.as_uri())
        timing = driver.execute_script(
            "const t = performance.getEntriesByType('navigation')[0];"
            "return t.loadEventEnd - t.startTime;"
        )
        return timing / 1000.0
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--browser", action="store_true", help="also time a Chromium load")
    parser.add_argument("--keep", type=Path, help="keep the corpus and reports in this dir")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="report-size-"))
    try:
        print(json.dumps(measure(args.cases, workdir, args.browser), indent=1))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
