"""The JSON record: schema-valid, strict JSON, element-wise detail, versioned reading.

Also home of the helpers the other report tests share: `CannedEngine` (an
engine that "observes" prepared outcomes through the `recorded_outcome` hook,
so records are built by the real runner without any AD engine) and
`make_record`.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from conformance.engines.base import Engine
from conformance.errors import UsageError
from conformance.loader import load_cases
from conformance.report import build_record, read_record, validate_record, write_json
from conformance.runner import STATUSES, Result, run_cases

CASES = """\
- id: square
  title: gradient of x**2
  doc: The derivative of x**2 at 3 is 6.
  source: https://www.tensorflow.org/guide/autodiff#gradient_tapes
  quote: "use GradientTape.gradient(target, sources)"
  tags: [watch]
  program: |
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
      y = x**2
    g = tape.gradient(y, x)
  expect:
    g: {tensor: 6.0, dtype: float32, shape: []}
- id: vector
  title: element-wise gradient of a vector
  doc: d/dx of sum(x*x) is 2x.
  source: https://www.tensorflow.org/guide/autodiff#gradients_of_non-scalar_targets
  tags: [targets]
  program: |
    x = tf.constant([0.5, 1.0, 1.5, 2.0])
    with tf.GradientTape() as tape:
      tape.watch(x)
      y = x * x
    v = tape.gradient(y, x)
  expect:
    v: {tensor: [1.0, 2.0, 3.0, 4.0], dtype: float32}
    n: .nan
- id: hostile
  title: <img src=x onerror=alert(1)>
  doc: "<script>window.pwned = 1</script> and </pre><b>bold</b>"
  source: 'https://example.com/"><script>window.pwned = 4</script>'
  quote: "<img src=y onerror=alert(2)>"
  tags: [doc-conflict]
  program: |
    h = tf.constant(1.0)  # </pre><script>window.pwned = 3</script>
  expect:
    h: 1.0
- id: raises
  title: a second gradient() call raises
  doc: A non-persistent tape computes one set of gradients.
  source: https://www.tensorflow.org/api_docs/python/tf/GradientTape#gradient
  tags: [persistence, error]
  program: |
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
      y = x * x
    first = tape.gradient(y, x)
    second = tape.gradient(y, x)
  expect:
    first: 4.0
  raises: {type: RuntimeError, match: "only be used to compute one set"}
"""


def tensor(value, dtype: str = "float32", kind: str = "Tensor") -> dict:
    """An observation of a tensor (NaN written the record's way)."""
    array = np.asarray(value, dtype=float)
    encoded = json.loads(json.dumps(array.tolist()).replace("NaN", '"nan"'))
    return {"kind": kind, "dtype": dtype, "shape": list(array.shape), "value": encoded}


def exception(kind: str, message: str) -> dict:
    return {"type": kind, "bases": [kind, "Exception"], "module": "builtins", "message": message}


def outcome(values: dict, exc: dict | None = None, logs: list | None = None) -> dict:
    return {"values": values, "exception": exc, "logs": logs or [], "output": ""}


GOOD = {
    "square": outcome({"g": tensor(6.0)}),
    "vector": outcome({"v": tensor([1.0, 2.0, 3.0, 4.0]), "n": tensor(float("nan"))}),
    "hostile": outcome(
        {"h": tensor(1.0)}, exception("ValueError", "</pre><script>window.pwned = 2</script>")
    ),
    "raises": outcome(
        {"first": tensor(4.0)},
        exception(
            "RuntimeError",
            "A non-persistent GradientTape can only be used to compute one set of gradients",
        ),
    ),
}
BAD = {
    **GOOD,
    "square": outcome({"g": tensor(5.0)}),
    "vector": outcome({"v": tensor([1.0, 2.5, 3.0, 4.5]), "n": tensor(float("nan"))}),
}


class CannedEngine(Engine):
    """An engine whose observations are prepared outcomes, keyed by local case id."""

    def __init__(
        self, name: str, outcomes: dict, version: str = "1.0", module: str | None = "tensorflow"
    ) -> None:
        self.name, self.outcomes, self._version, self.module = name, outcomes, version, module

    @property
    def version(self) -> str:
        return self._version

    def describe(self) -> dict:
        return {**super().describe(), "module": self.module}

    def recorded_outcome(self, case, context: str) -> Result:
        result = Result(case.id, self.name, context, "error")
        canned = self.outcomes.get(case.local_id)
        if canned is None:
            result.error = "nothing canned for this case"
            return result
        result.outcome = json.loads(json.dumps(canned))
        return result  # the runner judges it


def canned_good() -> CannedEngine:
    """Import-path factory (``tests.test_report_record:canned_good``)."""
    return CannedEngine("good", GOOD)


def canned_bad() -> CannedEngine:
    return CannedEngine("bad", BAD, module="reference_impl")


def write_cases(root: Path, text: str = CASES, name: str = "demo") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{name}.yaml").write_text(textwrap.dedent(text))
    return root


def make_record(tmp_path: Path, engines=None, text: str = CASES) -> dict:
    """The record of the demo cases run on canned engines (default: good, bad)."""
    loaded = load_cases([write_cases(tmp_path / "cases", text)])
    assert not loaded.errors, loaded.errors
    run = run_cases(loaded.cases, engines or [canned_good(), canned_bad()])
    return build_record(run, loaded.cases, loaded.errors)


@pytest.fixture
def record(tmp_path):
    return make_record(tmp_path)


def test_record_is_schema_valid_strict_json(record, tmp_path):
    validate_record(record)
    path = tmp_path / "r.json"
    write_json(record, path)

    def no_constants(name):
        raise AssertionError(f"non-strict JSON constant {name}")

    reread = json.loads(path.read_text(), parse_constant=no_constants)
    assert reread["cases"]["demo/vector"]["expect"]["expect"]["n"] == "nan"
    summary = read_record(path)["summary"]["engines"]
    assert (summary["good"]["failed"], summary["bad"]["failed"]) == (1, 3)  # hostile raises


def test_record_carries_metadata_cases_and_coverage(record):
    engines = record["metadata"]["engines"]
    assert [(e["name"], e["version"], e["module"]) for e in engines] == [
        ("good", "1.0", "tensorflow"),
        ("bad", "1.0", "reference_impl"),
    ]
    assert record["cases"]["demo/vector"]["names"] == ["v", "n"]
    sections = {s["id"]: s["cases"] for s in record["coverage"]["sections"]}
    assert sections["autodiff/gradient_tapes"] == ["demo/square"]
    assert record["coverage"]["other_sources"][0]["cases"] == ["demo/hostile"]


def test_value_mismatch_lists_differing_elements_with_tolerance(record):
    (result,) = [
        r for r in record["results"] if r["case"] == "demo/vector" and r["engine"] == "bad"
    ]
    (mismatch,) = result["mismatches"]
    elements = mismatch["elements"]
    assert (elements["count"], elements["size"]) == (2, 4)
    assert elements["shown"] == [[[1], 2.0, 2.5], [[3], 4.0, 4.5]]
    assert (elements["rtol"], elements["atol"]) == (1e-5, 1e-6)
    (divergence,) = [d for d in record["divergences"] if d["case"] == "demo/vector"]
    assert divergence["mismatches"][0]["elements"]["shown"][0] == [[1], 2.0, 2.5]


def test_unknown_schema_version_is_refused_clearly(record, tmp_path):
    path = tmp_path / "future.json"
    path.write_text(json.dumps({**record, "schema_version": 99}))
    with pytest.raises(UsageError, match=r"schema version 99 is not supported.*reads version 1"):
        read_record(path)
    path.write_text(json.dumps({"results": []}))
    with pytest.raises(UsageError, match="not a conformance run record"):
        read_record(path)


def test_malformed_record_names_the_place(record):
    record["results"][0]["status"] = "great"
    with pytest.raises(UsageError, match=r"malformed record at results/0/status"):
        validate_record(record)


def test_schema_knows_every_runner_status():
    from conformance.report.record import run_schema

    assert run_schema()["$defs"]["status"]["enum"] == list(STATUSES)
