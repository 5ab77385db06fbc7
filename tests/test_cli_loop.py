"""The fix-and-rerun loop of ``conformance run``: -x/--maxfail, --lf/--ff, exit codes as
documented, and no report overwritten by a run in which nothing ran."""

from __future__ import annotations

import json

from conformance.cli import main
from tests.conftest import GOOD_CASE

WRONG = GOOD_CASE.replace("id: square", "id: wrong-N").replace("tensor: 6.0", "tensor: 7.0")


def cases(case_dir):
    """Two passing cases around three whose expectation is wrong (they fail everywhere)."""
    text = (
        GOOD_CASE.replace("id: square", "id: ok-1")
        + "".join(WRONG.replace("wrong-N", f"wrong-{n}") for n in range(3))
        + GOOD_CASE.replace("id: square", "id: ok-2")
    )
    return case_dir(a=text)


def run(capsys, tmp_path, *args):
    code = main(
        [
            "run",
            *map(str, args),
            "--engine",
            "reference",
            "--in-process",
            "--json",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
        ]
    )
    out, err = capsys.readouterr()
    record = (
        json.loads((tmp_path / "r.json").read_text()) if (tmp_path / "r.json").exists() else None
    )
    return code, out, err, record


def ran(record):
    return [r["case"] for r in record["results"]]


def test_maxfail_stops_after_n_failing_results_and_reports_what_ran(case_dir, tmp_path, capsys):
    root = cases(case_dir)
    code, out, _, record = run(capsys, tmp_path, root, "-x")
    assert code == 1
    assert ran(record) == ["a/ok-1", "a/wrong-0"]
    assert "stopped after 1 failing result(s) (--maxfail 1)" in out
    code, _, _, record = run(capsys, tmp_path, root, "--maxfail", "2")
    assert ran(record) == ["a/ok-1", "a/wrong-0", "a/wrong-1"]


def test_last_failed_reruns_only_the_failures_and_failed_first_runs_them_first(
    case_dir, tmp_path, capsys
):
    root = cases(case_dir)
    run(capsys, tmp_path, root)
    code, _, _, record = run(capsys, tmp_path, root, "--lf")
    assert code == 1 and ran(record) == ["a/wrong-0", "a/wrong-1", "a/wrong-2"]
    code, _, _, record = run(capsys, tmp_path, root, "--ff")
    assert ran(record) == ["a/wrong-0", "a/wrong-1", "a/wrong-2", "a/ok-1", "a/ok-2"]


def test_last_failed_with_no_recorded_failure_runs_everything(case_dir, tmp_path, capsys):
    root = case_dir(a=GOOD_CASE)
    code, _, err, record = run(capsys, tmp_path, root, "--last-failed")
    assert code == 0 and ran(record) == ["a/square"]
    assert "no failure recorded in" in err


def test_a_misspelled_engine_is_exit_3_with_a_suggestion_and_keeps_the_report(
    case_dir, tmp_path, capsys
):
    (tmp_path / "r.json").write_text('{"previous": true}')
    (tmp_path / "r.html").write_text("previous page")
    code = main(
        [
            "run",
            str(case_dir(a=GOOD_CASE)),
            "--engine",
            "tensorfow",
            "--json",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 3
    assert "tensorfow: UNAVAILABLE" in out and "did you mean 'tensorflow'?" in out
    assert "the previous report was not overwritten" in err
    assert (tmp_path / "r.json").read_text() == '{"previous": true}'
    assert (tmp_path / "r.html").read_text() == "previous page"


def test_a_misspelled_engine_next_to_a_good_one_still_runs_the_good_one(case_dir, tmp_path, capsys):
    code, out, _, record = run(capsys, tmp_path, case_dir(a=GOOD_CASE), "--engine", "refrence")
    assert code == 3
    assert [e["name"] for e in record["metadata"]["engines"]] == ["reference"]
    assert record["engine_errors"][0]["engine"] == "refrence"
    assert "did you mean 'reference'?" in out


def test_a_bad_case_file_alone_is_exit_3_and_writes_no_report(case_dir, tmp_path, capsys):
    root = case_dir(a="- id: x\n  title: [unclosed\n")
    code, _, err, record = run(capsys, tmp_path, root)
    assert code == 3 and record is None
    assert "case file error" in err


def test_no_selected_case_is_exit_4_and_writes_no_report(case_dir, tmp_path, capsys):
    code, _, _, record = run(capsys, tmp_path, case_dir(a=GOOD_CASE), "-k", "nomatch")
    assert code == 4 and record is None
