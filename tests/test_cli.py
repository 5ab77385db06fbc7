"""The conformance command: exit codes, summary, JSON record, HTML report."""

import json

import pytest

from conformance.cli import main
from tests.conftest import GOOD_CASE

NONE_CASE = """\
- id: unconnected
  title: an unconnected source gets None
  doc: y does not depend on z.
  source: https://www.tensorflow.org/guide/autodiff#cases_where_gradient_returns_none
  tags: [none]
  program: |
    x = tf.Variable(2.0)
    z = tf.Variable(3.0)
    with tf.GradientTape() as tape:
      y = x * x
    g = tape.gradient(y, z)
  expect:
    g: null
"""


def run(capsys, *args):
    code = main(["run", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_all_passed_is_exit_0_and_writes_reports(case_dir, tmp_path, capsys):
    root = case_dir(a=GOOD_CASE + NONE_CASE)
    code, out, _ = run(
        capsys,
        root,
        "--engine",
        "tensorflow",
        "--json",
        tmp_path / "r.json",
        "--html",
        tmp_path / "r.html",
    )
    assert code == 0
    assert "tensorflow 2.21.0: 2 passed, 0 failed" in out
    record = json.loads((tmp_path / "r.json").read_text())
    assert record["schema_version"] == 1
    assert record["summary"]["engines"]["tensorflow"]["passed"] == 2
    assert [r["case"] for r in record["results"]] == ["a/square", "a/unconnected"]
    assert set(record["results"][0]) >= {"case", "engine", "status", "outcome", "mismatches"}
    assert record["metadata"]["engines"][0]["version"] == "2.21.0"
    assert "a/unconnected" in (tmp_path / "r.html").read_text()


def test_wrong_engine_fails_and_diverges(case_dir, tmp_path, capsys):
    root = case_dir(a=NONE_CASE)
    code, out, _ = run(
        capsys,
        root,
        "--engine",
        "tensorflow",
        "--engine",
        "tests.sample_engines.zeros_for_none",
        "--json",
        tmp_path / "r.json",
        "--html",
        tmp_path / "r.html",
    )
    assert code == 1
    assert "FAILED a/unconnected [tests.sample_engines.zeros_for_none; eager]: g none" in out
    assert "divergences: 1" in out
    record = json.loads((tmp_path / "r.json").read_text())
    (divergence,) = record["divergences"]
    assert divergence["mismatches"][0]["field"] == "none"


def test_malformed_file_is_exit_3_and_other_files_still_run(case_dir, tmp_path, capsys):
    root = case_dir(a=GOOD_CASE, b="- id: x\n  title: [unclosed\n")
    code, out, err = run(
        capsys,
        root,
        "--engine",
        "tensorflow",
        "--json",
        tmp_path / "r.json",
        "--html",
        tmp_path / "r.html",
    )
    assert code == 3
    assert "b.yaml:3: [x] invalid YAML" in err
    assert "Traceback" not in err
    assert "1 passed" in out


def test_nothing_ran_is_exit_4(case_dir, tmp_path, capsys):
    root = case_dir(a=GOOD_CASE)
    code, _, err = run(
        capsys,
        root,
        "-k",
        "nomatch",
        "--engine",
        "tensorflow",
        "--json",
        tmp_path / "r.json",
        "--html",
        tmp_path / "r.html",
    )
    assert code == 4
    assert "no case ran" in err


def test_usage_errors_are_exit_2(capsys, tmp_path):
    assert main(["run", str(tmp_path / "missing"), "--engine", "tensorflow"]) == 2
    assert main(["run", "--engine", "no such engine"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_keyword_selection(case_dir, capsys):
    root = case_dir(a=GOOD_CASE + NONE_CASE)
    assert main(["list", str(root), "-k", "none and not watch"]) == 0
    assert capsys.readouterr().out.split() == [
        "a/unconnected",
        "an",
        "unconnected",
        "source",
        "gets",
        "None",
    ]


def test_help_explains_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "Exit status" in capsys.readouterr().out
