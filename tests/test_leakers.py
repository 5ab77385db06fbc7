"""A result never depends on what ran before it: the leaker matrix.

One case file holds every later case alone (the reference), then each leaker
of `tests.leakers` followed by copies of the built-in cases it disturbed when
nothing restored process state. Run on both engines, every copy must get
exactly the status and observation of its reference, in the CLI and under
pytest with and without ``-n``; state that cannot be undone is named as a
leak on the leaker's own result.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests import leakers

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(
    os.environ,
    TF_CPP_MIN_LOG_LEVEL="2",
    PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
)
UNDOABLE = {  # leaker -> engines on which its leak is reported (the others are restored)
    "eager-disabled": {"tensorflow"},
    "chatty-thread": {"tensorflow", "reference"},
}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory) -> Path:
    return leakers.matrix_file(tmp_path_factory.mktemp("matrix"))


def test_every_leaker_kind_of_the_issue_is_in_the_matrix():
    assert len(leakers.LEAKERS) == 17
    assert all(later for _, later in leakers.LEAKERS.values())


def test_cli_results_do_not_depend_on_the_leakers_before_them(matrix, tmp_path):
    out = tmp_path / "r.json"
    temp = tmp_path / "systmp"  # the run's system temp folder, to find what it leaves
    temp.mkdir()
    # relative case paths, as users give them: a case's os.chdir then breaks source lookups
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            matrix.name,
            "--json",
            str(out),
            "--html",
            str(tmp_path / "r.html"),
            "--timeout",
            "30",
        ],
        cwd=matrix.parent,
        env=dict(ENV, TMPDIR=str(temp)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.exists(), proc.stderr
    results = json.loads(out.read_text())["results"]
    assert {r["engine"] for r in results} == {"tensorflow", "reference"}
    assert leakers.disturbed(results) == []
    leaked = {
        (r["case"].rpartition("/")[2].removeprefix("leak-"), r["engine"])
        for r in results
        if r["leaks"]
    }
    assert leaked == {(name, engine) for name, engines in UNDOABLE.items() for engine in engines}
    assert (
        "LEAKED matrix/leak-chatty-thread [reference]: thread 'chatter' still running"
        in proc.stdout
    )
    assert list(temp.iterdir()) == []  # no __autograph_generated_file*.py, no worker logs
    assert "<li>thread &#39;chatter&#39; still running</li>" in (tmp_path / "r.html").read_text()


def _pytest_outcomes(matrix: Path, tmp_path: Path, *extra: str) -> dict[str, str]:
    """Item name -> outcome and failure text (addresses and lines normalized)."""
    report = tmp_path / f"junit{len(extra)}.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--conformance-cases",
            str(matrix.parent),
            "--conformance-timeout",
            "30",
            f"--junitxml={report}",
            str(matrix),
            *extra,
        ],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        problem = next((e for e in case if e.tag in ("failure", "error", "skipped")), None)
        text = "" if problem is None else (problem.get("message") or "")
        outcomes[case.get("name")] = (
            problem.tag if problem is not None else "passed",
            re.sub(r"0x[0-9a-f]+|line \d+", "…", text),
        )
    return outcomes


def _pytest_disturbed(outcomes: dict[str, tuple]) -> list[str]:
    found = []
    for name, (_, later) in [(n, v) for n, v in leakers.LEAKERS.items()]:
        for case in later:
            copy, alone = leakers.copy_id(name, case), leakers.reference_id(case)
            for item, outcome in outcomes.items():
                if item.startswith(copy + "[") and outcome != outcomes[alone + item[len(copy) :]]:
                    found.append(f"{name} -> {item}: {outcome}")
    return found


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["n0", "n2"])
def test_pytest_results_do_not_depend_on_the_leakers_before_them(matrix, tmp_path, workers):
    outcomes = _pytest_outcomes(matrix, tmp_path, *workers)
    copies = [item for item in outcomes if item.startswith("after-")]
    assert len(copies) >= 2 * len(leakers.LEAKERS)
    assert _pytest_disturbed(outcomes) == []


def test_an_engine_forwarding_to_tensorflow_keeps_its_log_budget(tmp_path):
    """TF logs a warning at most five times per call site and process; a
    forwarding engine has no reset hook, so earlier cases used up the budget of
    a later case's expected log until the harness reset TF's counters itself."""
    matrix = leakers.matrix_file(tmp_path, ["tf-log-budget"])
    out = tmp_path / "r.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            str(matrix),
            "--engine",
            "tests.sample_engines.persistent_tape",
            "--json",
            str(out),
            "--html",
            str(tmp_path / "r.html"),
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    results = json.loads(out.read_text())["results"]
    assert len(results) == 3, proc.stderr
    assert leakers.disturbed(results, ["tf-log-budget"]) == []
    assert {r["status"] for r in results} == {"passed"}
