"""The op table: its entries, its oracles and blame, and its place in the harness."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from conformance.engines import resolve_engine
from conformance.optable import oracles
from conformance.optable.cases import op_cases
from conformance.optable.registry import entries
from conformance.optable.table import ALL_CHECKS, Sample
from conformance.runner import run_case


@pytest.fixture(scope="module")
def reference():
    engine = resolve_engine("reference")
    engine.load()
    return engine


@pytest.fixture(scope="module")
def cases_by_id():
    return {case.id: case for case in op_cases()}


def test_the_table_has_at_least_250_public_apis_with_unique_ids():
    table = entries()
    assert len(table) >= 250
    apis = [entry.api for entry in table.values()]
    assert len(set(apis)) == len(apis)
    for entry in table.values():
        assert entry.api.startswith("tf.") and entry.samples
        assert set(entry.checks) <= set(ALL_CHECKS)
        assert all(isinstance(s, Sample) for s in entry.samples)


def test_every_case_id_names_its_family_api_sample_dtype_and_check(cases_by_id):
    case = cases_by_id["ops/unary/math.sin/typical/float32/vjp"]
    assert (case.group_id, case.check, case.dtype) == (
        "unary/math.sin/typical/float32",
        "vjp",
        "float32",
    )
    assert {"ops", "unary", "vjp", "float32"} <= set(case.tags)
    assert case.expectation.values, "the shipped TF baseline gives the expectation"


def _fd_oracle(lhs, fd, gap=0.0, scale=1.0):
    return {"lhs": lhs, "fd": fd, "fd_gap": gap, "scale": scale}


def test_fd_oracle_passes_within_tolerance_and_fails_beyond_it():
    assert oracles.fd_verdict(_fd_oracle(1.0, 1.0 + 1e-8), "float64", None)[0] == "pass"
    assert oracles.fd_verdict(_fd_oracle(1.0, 1.01), "float64", None)[0] == "fail"
    assert oracles.fd_verdict(_fd_oracle(1.0, 1.0001), "float32", None)[0] == "pass"


def test_fd_oracle_steps_aside_at_non_differentiable_points():
    assert oracles.fd_verdict(_fd_oracle(0.0, 5.0), "float64", "kink at 0")[0] == "convention"
    kink = _fd_oracle(0.0, 5.0, gap=2.0)
    assert oracles.fd_verdict(kink, "float64", None)[0] == "convention"
    assert oracles.fd_verdict(_fd_oracle(math.inf, 1.0), "float64", None)[0] == "convention"


def test_blame_says_which_side_the_finite_differences_take():
    oracle = _fd_oracle(2.0, 1.0)
    assert oracles.blame(False, "fail", "pass", oracle, "float64", {"lhs": 1.0}) == "engine"
    assert (
        oracles.blame(False, "pass", "pass", _fd_oracle(1.0, 1.0), "float64", {"lhs": 3.0})
        == "tensorflow"
    )
    assert oracles.blame(False, "fail", "pass", oracle, "float64", {"lhs": 3.0}) == "both"
    assert oracles.blame(False, "convention", "pass", oracle, "float64", {}) == "convention"
    assert oracles.blame(True, "pass", "fail", oracle, "float64", {}) == "self"
    assert oracles.blame(True, "pass", "pass", oracle, "float64", {}) == "agree"


def test_a_check_runs_as_an_ordinary_case_and_records_its_oracles(reference, cases_by_id):
    result = run_case(cases_by_id["ops/unary/math.sin/typical/float64/vjp"], reference)
    assert result.status == "passed", result.mismatches
    assert result.outcome["oracles"]["fd"] == "pass"
    assert result.outcome["blame"] == "agree"
    assert "oracle" not in result.outcome["values"], "oracle numbers are not compared values"


def test_a_wrong_gradient_fails_and_is_blamed_on_the_engine(reference, cases_by_id, monkeypatch):
    import reference_impl as ref

    real_sin = ref.math.sin

    @ref.custom_gradient
    def wrong_sin(x):
        return real_sin(x), lambda dy: 2.0 * dy * ref.cos(x)

    monkeypatch.setattr(ref.math, "sin", wrong_sin)
    result = run_case(cases_by_id["ops/unary/math.sin/typical/float64/vjp"], reference)
    assert result.status == "failed"
    assert {m.field for m in result.mismatches} >= {"value", "oracle_fd"}
    assert result.outcome["blame"] == "engine"


def test_an_api_the_engine_lacks_is_unsupported_per_op(reference, cases_by_id):
    result = run_case(cases_by_id["ops/unary/math.lgamma/typical/float64/vjp"], reference)
    assert result.status == "unsupported"
    assert result.unsupported_api == "tf.math.lgamma"


def test_cli_runs_the_op_suite_with_k_and_writes_the_matrix(tmp_path):
    out = tmp_path / "r.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            "--suite",
            "ops",
            "-k",
            "math.cos/typical and float64",
            "--engine",
            "reference",
            "--json",
            str(out),
            "--html",
            str(tmp_path / "r.html"),
            "-q",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    record = json.loads(out.read_text())
    checks = {r["case"].rsplit("/", 1)[-1] for r in record["results"]}
    assert checks == {"vjp", "jvp", "rr", "fr", "transpose", "jacobian", "function", "xla"}
    page = (tmp_path / "optable.html").read_text()
    assert "unary/math.cos" in page and '<td class="ok">ok</td>' in page


def test_coverage_lists_the_public_differentiable_api():
    proc = subprocess.run(
        [sys.executable, "-m", "conformance", "coverage", "--suite", "ops", "--counts"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "public differentiable functions" in proc.stdout


def test_the_whole_op_table_on_the_reference_matches_tf_or_is_a_known_failure(reference):
    """What CI runs of the op table: every check on the reference, judged against the
    shipped TF baseline (no TensorFlow needed), known failures from the shipped file."""
    from pathlib import Path

    from conformance.runner import PROBLEMS, InProcess, run_cases
    from conformance.xfails import apply_xfails, load_xfails

    known = load_xfails(Path("conformance/optable/xfails.yaml"))
    cases = op_cases()
    run, applied = apply_xfails(
        known, run_cases(cases, InProcess([reference])), [case.id for case in cases]
    )
    problems = [f"{r.case}: {r.status}" for r in run.results if r.status in PROBLEMS]
    assert not problems, problems[:20]
    assert sum(r.status == "passed" for r in run.results) > 3000
    assert not applied.to_json().get("stale")
