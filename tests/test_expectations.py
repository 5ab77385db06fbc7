"""Xfails files (known failures): parsing, statuses (xfailed, xpassed, skipped), stale
entries, updating."""

from __future__ import annotations

import json

import pytest

from conformance import xfails as ex
from conformance.cli import exit_status, main
from conformance.compare import Mismatch
from conformance.runner import Divergence, Result, RunOutcome

FILE = """\
my-engine:
  - case: persistence/second-gradient-call-raises
    status: xfail
    reason: tapes are always persistent
  - case: "watch/*"
    status: skip
    reason: no watch yet
  - case: gone/never-existed
    status: xfail
    reason: stale
other:
  - case: persistence/persistent-tape-repeated-gradient
    status: xfail
    reason: other engine
    context: function
"""


def result(case: str, status: str, engine: str = "my-engine", context: str = "eager") -> Result:
    mismatches = [Mismatch("g", "value", 1, 2)] if status == "failed" else []
    return Result(case, engine, context, status, outcome={}, mismatches=mismatches)


def test_parse_entries_with_lines_globs_and_contexts():
    found = ex.parse_xfails(FILE, "e.yaml")
    assert [e.line for e in found.entries] == [2, 5, 8, 12]
    assert found.entry_for("my-engine", "watch/watch-constant", "eager").status == "skip"
    assert (
        found.entry_for("other", "persistence/persistent-tape-repeated-gradient", "eager") is None
    )
    assert (
        found.entry_for("other", "persistence/persistent-tape-repeated-gradient", "function").reason
        == "other engine"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("- a\n", "maps engine names"),
        ("e:\n  - case: x\n    status: maybe\n    reason: r\n", "e.yaml:2: status 'maybe'"),
        ("e:\n  - case: x\n    status: xfail\n", "needs a non-empty 'reason'"),
        ("e:\n  - case: x\n    status: xfail\n    reason: r\n    why: y\n", "unknown key(s) why"),
        ("e: [\n", "invalid YAML"),
    ],
)
def test_malformed_files_are_typed_errors_with_a_line(text, message):
    with pytest.raises(ex.XfailsError, match=r"e\.yaml"):
        try:
            ex.parse_xfails(text, "e.yaml")
        except ex.XfailsError as exc:
            assert message in str(exc)
            raise


def test_apply_turns_statuses_and_drops_excused_divergences():
    run = RunOutcome(
        results=[
            result("persistence/second-gradient-call-raises", "failed"),
            result("persistence/persistent-tape-repeated-gradient", "passed", "other", "function"),
            result("watch/watch-constant", "passed"),
            result("persistence/other", "failed"),
        ],
        divergences=[
            Divergence(
                "persistence/second-gradient-call-raises",
                "eager",
                "tensorflow",
                "my-engine",
                [Mismatch("g", "value", 1, 2)],
            )
        ],
    )
    before = [r.status for r in run.results]
    applied_run, applied = ex.apply_xfails(
        ex.parse_xfails(FILE, "e.yaml"), run, [r.case for r in run.results]
    )
    assert [r.status for r in applied_run.results] == ["xfailed", "xpassed", "skipped", "failed"]
    assert applied_run.results[2].error == "xfails: no watch yet"
    assert applied_run.divergences == [] and applied.expected_divergences == 1
    assert [r.status for r in run.results] == before and len(run.divergences) == 1
    assert [e.case for e in applied.stale] == ["gone/never-existed"]
    assert applied.to_json()["counts"] == {"xfailed": 1, "xpassed": 1, "skipped": 1}


def test_xpassed_fails_the_run_and_xfailed_does_not():
    assert (
        exit_status(RunOutcome(results=[result("a/b", "xfailed"), result("a/c", "passed")]), [])
        == 0
    )
    assert exit_status(RunOutcome(results=[result("a/b", "xpassed")]), []) == 1


def test_cases_skipped_by_every_engine_are_not_run(case_dir):
    from conformance.loader import load_cases
    from tests.conftest import GOOD_CASE

    cases = load_cases([case_dir(watch=GOOD_CASE)]).cases
    found = ex.parse_xfails(FILE)
    assert ex.runnable_cases(cases, found, ["my-engine"]) == []
    assert ex.runnable_cases(cases, found, ["my-engine", "tensorflow"]) == cases


def test_update_keeps_skips_and_unrun_entries_drops_fixed_adds_new(tmp_path):
    previous = ex.parse_xfails(FILE, "e.yaml")
    results = [
        result("persistence/second-gradient-call-raises", "passed"),
        result("new/failure", "failed"),
        result("new/failure", "passed", context="function"),
    ]
    entries = ex.updated_entries(previous, results, lambda r: "value differs")
    cases = {(e.engine, e.case): e for e in entries}
    assert ("my-engine", "persistence/second-gradient-call-raises") not in cases
    assert cases[("my-engine", "watch/*")].status == "skip"
    assert ("other", "persistence/persistent-tape-repeated-gradient") in cases
    assert cases[("my-engine", "new/failure")].context == "eager"
    path = tmp_path / "out.yaml"
    ex.write_xfails(path, entries)
    assert ex.load_xfails(path).entries[0].engine == "my-engine"


def test_cli_update_then_use_expectations(tmp_path, capsys):
    from conformance.report import html

    if "xfailed" not in getattr(html, "STATUS_ORDER", ()):
        pytest.xfail("the HTML report does not know the xfailed/xpassed statuses yet")
    cases = "cases/persistence.yaml"
    common = [
        "run",
        "--engine",
        "conformance.mutants.reusable_tape",
        cases,
        "--in-process",
        "--json",
        str(tmp_path / "r.json"),
        "--html",
        str(tmp_path / "r.html"),
    ]
    exp = tmp_path / "exp.yaml"
    assert main(common + ["--update-expectations", str(exp)]) == 1
    assert "persistence/second-gradient-call-raises" in exp.read_text()
    assert main(common + ["--xfails", str(exp)]) == 0
    assert main(common + ["--expectations", str(exp)]) == 0  # the older name still works
    record = json.loads((tmp_path / "r.json").read_text())
    entries = len(ex.load_xfails(exp).entries)
    assert entries >= 1 and record["xfails"]["counts"]["xfailed"] == entries
    assert f"0 failed, {entries} xfailed\n" in capsys.readouterr().out
