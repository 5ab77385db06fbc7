"""Isolation: a hanging, crashing, memory-hungry, noisy or unloadable engine
costs only its own cases; every other result is still produced and right.

The engines are the small modules in tests/faulty_engines (no TensorFlow),
so these tests take seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.errors import EngineUnavailable
from conformance.isolation import Isolation, WorkerPool
from conformance.loader import load_cases
from conformance.runner import STATUSES, run_cases

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "faulty_engines" / "cases.yaml"
GRADIENT_CASES = {"cases/square-gradient", "cases/unconnected-gradient"}
PLAIN_CASES = {"cases/constant", "cases/sum"}
FAULTS = {  # engine -> (status of its gradient cases, words its message must contain)
    "hang": ("timeout", "ran longer than 2 s"),
    "abort": ("crashed", "SIGABRT"),
    "segfault": ("crashed", "SIGSEGV"),
    "exits": ("crashed", "exited with status 3"),
    "memory_hog": ("crashed", "more than 200 MB"),
}
LIMITS = Isolation(timeout=2.0, memory_mb=200, load_timeout=60.0)


def engine(name: str) -> str:
    return f"tests.faulty_engines.{name}"


@pytest.fixture(scope="module")
def cases():
    loaded = load_cases([CASES])
    assert loaded.errors == []
    return loaded.cases


@pytest.fixture(scope="module")
def faulty_run(cases):
    names = ["fake", *FAULTS, "noisy", "import_error", "import_abort"]
    return run_cases(cases, WorkerPool([engine(n) for n in names], LIMITS))


def results_of(run, name):
    return {r.case: r for r in run.results if r.engine == engine(name)}


def test_the_good_engine_passes_everything_beside_faulty_ones(faulty_run):
    results = results_of(faulty_run, "fake")
    assert {case: r.status for case, r in results.items()} == dict.fromkeys(
        PLAIN_CASES | GRADIENT_CASES, "passed"
    )
    assert results["cases/square-gradient"].outcome["values"]["g"]["value"] == 6.0


@pytest.mark.parametrize("name", FAULTS)
def test_a_fault_costs_only_the_cases_that_trigger_it(faulty_run, name):
    status, words = FAULTS[name]
    results = results_of(faulty_run, name)
    assert set(results) == PLAIN_CASES | GRADIENT_CASES
    for case in GRADIENT_CASES:
        assert results[case].status == status and words in results[case].error
    # "sum" runs after the first fault: the worker was replaced and it is right.
    for case in PLAIN_CASES:
        assert results[case].status == "passed"
    assert results["cases/sum"].outcome["values"]["s"]["value"] == 3.5


def test_an_engine_printing_garbage_still_gets_right_results(faulty_run):
    results = results_of(faulty_run, "noisy")
    assert {r.status for r in results.values()} == {"passed"}
    assert results["cases/square-gradient"].outcome["values"]["g"]["value"] == 6.0


def test_engines_that_cannot_load_are_named_with_the_reason(faulty_run):
    errors = {e.engine: e.reason for e in faulty_run.engine_errors}
    assert set(errors) == {engine("import_error"), engine("import_abort")}
    assert "ImportError: this engine needs libfake.so" in errors[engine("import_error")]
    assert (
        "SIGABRT" in errors[engine("import_abort")]
        and "import_abort.py" in errors[engine("import_abort")]
    )
    assert engine("import_error") not in {e.name for e in faulty_run.engines}


def test_an_engine_hanging_at_import_is_given_up_and_the_others_run(cases):
    limits = Isolation(timeout=1.0, memory_mb=300, load_timeout=4.0)
    run = run_cases(cases[:1], WorkerPool([engine("import_hang"), engine("fake")], limits))
    assert [str(e) for e in run.engine_errors] == [
        f"engine '{engine('import_hang')}' is unavailable: did not answer within 4 s while loading"
    ]
    assert [(r.engine, r.status) for r in run.results] == [(engine("fake"), "passed")]


def test_timeout_and_crashed_are_statuses():
    assert {"timeout", "crashed"} <= set(STATUSES)


def test_workers_are_long_lived_and_replaced_only_after_a_fault(cases):
    with WorkerPool([engine("fake"), engine("abort")], LIMITS) as pool:
        pool.start()
        fake, abort = pool.workers
        pids = []
        for case in cases:
            pool.run(case, "eager")
            pids.append(
                (
                    fake.process.pid if fake.process else None,
                    abort.process.pid if abort.process else None,
                )
            )
    assert len({fake_pid for fake_pid, _ in pids}) == 1  # one worker for every case
    # constant ran, square-gradient killed the worker, sum ran on a new one
    assert pids[1][1] is None and pids[0][1] != pids[2][1] and pids[2][1] is not None


def test_run_one_names_an_unavailable_engine(cases):
    with (
        WorkerPool([engine("import_error")], LIMITS) as pool,
        pytest.raises(EngineUnavailable, match=r"libfake\.so"),
    ):
        pool.run_one(cases[0], engine("import_error"), "eager")


def conformance(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "conformance", "run", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_stdout_stays_clean_and_timeouts_fail_the_run(tmp_path):
    proc = conformance(
        str(CASES),
        "--engine",
        engine("noisy"),
        "--engine",
        engine("hang"),
        "--timeout",
        "1",
        "--json",
        str(tmp_path / "r.json"),
        "--html",
        str(tmp_path / "r.html"),
    )
    assert proc.returncode == 1, proc.stderr
    assert "garbage" not in proc.stdout + proc.stderr
    noisy, hang = proc.stdout.splitlines()[:2]
    assert noisy == f"{engine('noisy')} unknown: 4 passed, 0 failed"
    assert hang == f"{engine('hang')} unknown: 2 passed, 0 failed, 2 timeout"
    assert "  TIMEOUT cases/square-gradient [tests.faulty_engines.hang; eager]" in proc.stdout
    record = json.loads((tmp_path / "r.json").read_text())
    assert record["summary"]["engines"][engine("hang")]["timeout"] == 2
    assert "timeout" in (tmp_path / "r.html").read_text()


def without_timings(record: dict) -> dict:
    record = json.loads(json.dumps(record))
    record["metadata"].pop("started"), record["metadata"].pop("duration_seconds")
    for result in record["results"]:
        result.pop("seconds")
    return record


def test_two_runs_give_identical_json_apart_from_timings(tmp_path):
    records = []
    for name, extra in (("a", []), ("b", []), ("c", ["--in-process"])):
        out = tmp_path / f"{name}.json"
        conformance(
            str(CASES),
            "--engine",
            engine("fake"),
            "--engine",
            engine("abort"),
            "--timeout",
            "5",
            "--json",
            str(out),
            "--html",
            str(tmp_path / "r.html"),
            *(["-k", "not gradient"] if extra else []),
            *extra,
        )
        records.append(json.loads(out.read_text()))
    first, second, in_process = records
    assert first["results"] and first["results"][0]["seconds"] >= 0
    assert without_timings(first) == without_timings(second)
    crashed = [r for r in first["results"] if r["status"] == "crashed"]
    assert len(crashed) == 2 and 'abort.py", line 11 in gradient' in crashed[0]["error"]
    # in-process (only the cases that do not abort) agrees with the workers
    isolated = [r for r in without_timings(first)["results"] if "gradient" not in r["case"]]
    assert isolated == without_timings(in_process)["results"]


def test_pytest_items_are_isolated_with_and_without_xdist(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    pytester.makefile(".yaml", cases=CASES.read_text())
    args = [
        "--conformance-cases",
        str(pytester.path),
        "--conformance-engine",
        engine("fake"),
        "--conformance-engine",
        engine("segfault"),
        "--conformance-timeout",
        "5",
        "-p",
        "no:cacheprovider",
    ]
    for extra in ([], ["-n", "2"]):
        result = pytester.runpytest_subprocess(*args, *extra)
        result.assert_outcomes(passed=6, failed=2)
        result.stdout.fnmatch_lines(["*crashed: the worker process died of SIGSEGV*"])


FROZEN_CASE = """\
- id: engine-objects-frozen
  title: the worker froze the objects alive once its engine loaded
  doc: A worker moves the engine's objects out of the cycle collector before any case.
  source: https://docs.python.org/3/library/gc.html#gc.freeze
  tags: [harness]
  program: |
    import gc
    frozen = gc.get_freeze_count() > 1000
    made = []
    made.append(made)  # a cycle the case makes is still collected
    del made
    collected = gc.collect() >= 1
  expect:
    frozen: {python: true}
    collected: {python: true}
"""


def test_a_worker_freezes_its_loaded_heap_and_still_collects_what_cases_make(tmp_path):
    """In a worker, the engine's import-time objects are out of the collector's reach
    (so its full collections do not walk them); a cycle a case makes is still freed."""
    path = tmp_path / "frozen.yaml"
    path.write_text(FROZEN_CASE)
    (case,) = load_cases([path]).cases
    run = run_cases([case], WorkerPool([engine("fake")], LIMITS))
    (result,) = run.results
    assert result.status == "passed", result.mismatches
