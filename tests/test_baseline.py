"""Baselines: ``conformance record`` writes one, ``run --against`` replays it as an engine,
re-judged against the current cases, also where TensorFlow cannot be imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conformance.baseline import BaselineEngine, baseline_path
from conformance.cli import main
from conformance.errors import EngineUnavailable
from conformance.loader import load_cases
from conformance.report import read_record
from conformance.runner import run_cases
from tests.conftest import GOOD_CASE
from tests.test_report_record import CASES, write_cases

ROOT = Path(__file__).resolve().parent.parent
GOOD_ENGINE = "tests.test_report_record:canned_good"
BAD_ENGINE = "tests.test_report_record:canned_bad"


def record_baseline(tmp_path: Path, capsys, engine: str = GOOD_ENGINE) -> Path:
    cases = write_cases(tmp_path / "cases")
    code = main(
        ["record", str(cases), "--engine", engine, "--dir", str(tmp_path / "b"), "--in-process"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    (path,) = (tmp_path / "b").iterdir()
    assert f"wrote {path}" in out
    return path


def test_record_writes_a_versioned_baseline_of_one_engine(tmp_path, capsys):
    path = record_baseline(tmp_path, capsys)
    assert path.name == "good-1.0.json"
    record = read_record(path)
    assert [e["name"] for e in record["metadata"]["engines"]] == ["good"]
    assert {r["case"]: r["status"] for r in record["results"]} == {
        "demo/square": "passed",
        "demo/vector": "passed",
        "demo/hostile": "failed",
        "demo/raises": "passed",
    }
    assert baseline_path(record, Path("x")) == Path("x/good-1.0.json")


def test_record_of_nothing_writes_nothing_and_fails(tmp_path, capsys):
    cases = write_cases(tmp_path / "cases")
    code = main(
        [
            "record",
            str(cases),
            "-k",
            "nomatch",
            "--engine",
            GOOD_ENGINE,
            "--dir",
            str(tmp_path / "b"),
            "--in-process",
        ]
    )
    assert code == 4
    assert "no case ran" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_record_on_tensorflow(tmp_path, capsys):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.yaml").write_text(GOOD_CASE)
    code = main(["record", str(tmp_path / "c"), "--dir", str(tmp_path / "b"), "--in-process"])
    assert code == 0
    record = read_record(tmp_path / "b" / "tensorflow-2.21.0.json")
    assert record["results"][0]["outcome"]["values"]["g"]["value"] == 6.0
    assert record["metadata"]["engines"][0]["module"] == "tensorflow"


def test_against_puts_the_baseline_first_and_finds_divergences(tmp_path, capsys):
    baseline = record_baseline(tmp_path, capsys)
    out_json = tmp_path / "run.json"
    code = main(
        [
            "run",
            str(tmp_path / "cases"),
            "--against",
            str(baseline),
            "--engine",
            BAD_ENGINE,
            "--json",
            str(out_json),
            "--html",
            str(tmp_path / "run.html"),
            "--in-process",
        ]
    )
    assert code == 1
    record = read_record(out_json)
    assert [e["name"] for e in record["metadata"]["engines"]] == ["baseline:good-1.0", "bad"]
    assert record["metadata"]["engines"][0]["baseline"]["path"] == str(baseline)
    assert sorted(d["case"] for d in record["divergences"]) == ["demo/square", "demo/vector"]
    assert {d["baseline"] for d in record["divergences"]} == {"baseline:good-1.0"}


def test_replayed_results_are_judged_against_the_current_expectation(tmp_path, capsys):
    baseline = record_baseline(tmp_path, capsys)
    edited = CASES.replace(
        "g: {tensor: 6.0, dtype: float32, shape: []}", "g: {tensor: 7.0, dtype: float32, shape: []}"
    )
    edited = edited.replace("h = tf.constant(1.0)", "h = tf.constant(2.0)")
    edited += textwrap.dedent("""\
        - id: newer
          title: a case recorded after the baseline
          doc: It is not in the baseline.
          source: https://www.tensorflow.org/guide/autodiff#gradient_tapes
          tags: [watch]
          program: |
            z = tf.constant(1.0)
          expect:
            z: 1.0
        """)
    cases = load_cases([write_cases(tmp_path / "edited", edited)]).cases
    run = run_cases(cases, [BaselineEngine(baseline)])
    results = {r.case: r for r in run.results}
    assert results["demo/square"].status == "failed"
    assert results["demo/square"].mismatches[0].expected.startswith("7")
    assert results["demo/vector"].status == "passed"
    assert results["demo/hostile"].status == "skipped"
    assert "program changed" in results["demo/hostile"].error
    assert results["demo/newer"].status == "skipped"
    assert "no result for this case" in results["demo/newer"].error


def test_a_baseline_of_two_engines_is_refused(tmp_path):
    cases = write_cases(tmp_path / "cases")
    json_path = tmp_path / "two.json"
    assert (
        main(
            [
                "run",
                str(cases),
                "--engine",
                GOOD_ENGINE,
                "--engine",
                BAD_ENGINE,
                "--json",
                str(json_path),
                "--html",
                str(tmp_path / "r.html"),
                "--in-process",
            ]
        )
        == 1
    )
    engine = BaselineEngine(json_path)
    with pytest.raises(EngineUnavailable, match="records 2 engines"):
        engine.load()


BLOCK_TF = """\
import sys
class _BlockTensorFlow:
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow" or name.startswith("tensorflow."):
            with open({marker!r}, "a") as f:
                f.write(name + "\\n")
            raise ImportError("tensorflow is blocked in this test")
        return None
sys.meta_path.insert(0, _BlockTensorFlow())
"""


def test_against_needs_no_tensorflow(tmp_path, capsys):
    baseline = record_baseline(tmp_path, capsys)
    site = tmp_path / "site"
    site.mkdir()
    marker = tmp_path / "tf-import-attempts.txt"
    (site / "sitecustomize.py").write_text(BLOCK_TF.format(marker=str(marker)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    probe = subprocess.run(
        [sys.executable, "-c", "import tensorflow"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert "tensorflow is blocked" in probe.stderr  # the hook really blocks TF
    marker.unlink()
    out_json = tmp_path / "run.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            str(tmp_path / "cases"),
            "--against",
            str(baseline),
            "--engine",
            BAD_ENGINE,
            "--json",
            str(out_json),
            "--html",
            str(tmp_path / "run.html"),
            "--fail-on",
            "never",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not marker.exists(), marker.read_text()
    record = json.loads(out_json.read_text())
    statuses = {(r["engine"], r["case"]): r["status"] for r in record["results"]}
    assert statuses[("baseline:good-1.0", "demo/square")] == "passed"
    assert statuses[("bad", "demo/square")] == "failed"
    assert len(record["divergences"]) == 2


def test_shipped_baselines_are_addressable_by_name(tmp_path, capsys):
    from conformance.baseline import resolve_baseline, shipped_baselines

    shipped = shipped_baselines()
    assert "tensorflow-2.21.0" in shipped
    assert resolve_baseline("tensorflow-2.21.0") == shipped["tensorflow-2.21.0"]
    assert resolve_baseline("tensorflow-2.21.0.json") == shipped["tensorflow-2.21.0"]
    own = tmp_path / "tensorflow-2.21.0"
    own.write_text("{}")
    assert resolve_baseline(own) == own  # a path that exists wins over a name


def test_an_unknown_baseline_name_lists_the_shipped_ones(tmp_path, capsys):
    code = main(
        [
            "run",
            "--against",
            "tensorflow-2.2",
            "--json",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
            "--in-process",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "tensorflow-2.2" in err and "tensorflow-2.21.0" in err
    assert not (tmp_path / "r.json").exists()
