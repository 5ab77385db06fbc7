"""Command-line comfort: --fail-on policies, --junit, periodic progress lines."""

from __future__ import annotations

import io

import pytest

from conformance.cli import Progress, main
from conformance.runner import Result
from tests.test_report_record import write_cases

GOOD_ENGINE = "tests.test_report_record:canned_good"
BAD_ENGINE = "tests.test_report_record:canned_bad"


def run(tmp_path, *extra) -> int:
    cases = write_cases(tmp_path / "cases")
    return main(
        [
            "run",
            str(cases),
            "-k",
            "square or vector or raises",
            "--json",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
            "--in-process",
            "-q",
            *map(str, extra),
        ]
    )


@pytest.mark.parametrize(
    "policy, engines, expected",
    [
        ([], [GOOD_ENGINE], 0),
        ([], [GOOD_ENGINE, BAD_ENGINE], 1),
        (["--fail-on", "divergence"], [GOOD_ENGINE, BAD_ENGINE], 1),
        (["--fail-on", "divergence"], [BAD_ENGINE], 0),
        (["--fail-on", "failed"], [BAD_ENGINE], 1),
        (["--fail-on", "never"], [GOOD_ENGINE, BAD_ENGINE], 0),
    ],
)
def test_fail_on_policy(tmp_path, capsys, policy, engines, expected):
    args = [a for e in engines for a in ("--engine", e)] + policy
    assert run(tmp_path, *args) == expected


def test_nothing_ran_fails_whatever_the_policy(tmp_path, capsys):
    cases = write_cases(tmp_path / "cases")
    assert (
        main(
            [
                "run",
                str(cases),
                "-k",
                "nomatch",
                "--engine",
                GOOD_ENGINE,
                "--fail-on",
                "never",
                "--json",
                str(tmp_path / "r.json"),
                "--html",
                str(tmp_path / "r.html"),
                "--in-process",
            ]
        )
        == 4
    )


def test_junit_flag_writes_xml(tmp_path, capsys):
    assert run(tmp_path, "--engine", GOOD_ENGINE, "--junit", tmp_path / "j.xml") == 0
    assert (tmp_path / "j.xml").read_text().count("<testcase ") == 3


def test_help_documents_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--fail-on {failed,divergence,never}" in text
    assert "4 no case ran (never a success)" in text


def test_progress_prints_plain_lines_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(3, stream, interval=0)
    for case in ("a/x", "a/x", "a/y"):
        progress.update(Result(case, "tf", "eager", "passed"))
    progress.done()
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("progress: 2/3 cases (66%) after ")
    assert "\r" not in stream.getvalue()
    quiet = io.StringIO()
    Progress(3, quiet, quiet=True, interval=0).update(Result("a/x", "tf", "eager", "passed"))
    assert quiet.getvalue() == ""
