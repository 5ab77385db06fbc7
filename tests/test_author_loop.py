"""The engine author's loop, end to end, through the default (isolated) CLI path.

The engine is `tests/author_engine/buggy_tf.py`: TensorFlow forwarding, with
three behaviors broken (zeros for None, a reusable non-persistent tape, no
jacobian). It is copied to a folder of its own and named by path, as a new
author would run it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.report.repro import repro_script

ENGINE = Path(__file__).parent / "author_engine" / "buggy_tf.py"
SELECTION = (
    "default-is-none or second-gradient-call-raises or jacobian/docstring-example "
    "or variable-target-returns-one or gradient-inside-the-tape-context "
    "or unconnected-zeros-dtype-follows-unconnected-gradients"
)
BUILT_ON = "batch_jacobian/unconnected-zeros-dtype-follows-unconnected-gradients"


@pytest.fixture(scope="module")
def author_run(tmp_path_factory) -> dict:
    """Run the CLI once on TensorFlow and the author's engine; keep record and output."""
    where = tmp_path_factory.mktemp("author")
    engine = where / "engine" / "buggy_tf.py"
    engine.parent.mkdir()
    shutil.copy(ENGINE, engine)
    out = where / "run"
    argv = [
        "run",
        "--engine",
        "tensorflow",
        "--engine",
        str(engine),
        "-k",
        SELECTION,
        "--json",
        str(out / "r.json"),
        "--html",
        str(out / "r.html"),
    ]
    code, printed = _main(argv)
    return {
        "code": code,
        "out": printed,
        "record": json.loads((out / "r.json").read_text()),
        "html": (out / "r.html").read_text(),
        "engine": engine,
        "where": where,
    }


def _main(argv: list[str]) -> tuple[int, str]:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(argv)
    return code, buffer.getvalue()


def test_a_file_engine_is_named_by_its_stem_and_its_file_is_recorded(author_run):
    engines = author_run["record"]["metadata"]["engines"]
    assert [e["name"] for e in engines] == ["tensorflow", "buggy_tf"]
    assert engines[1]["module"] == "buggy_tf"
    assert engines[1]["module_file"] == str(author_run["engine"].resolve())
    assert engines[0]["module"] == "tensorflow"


def _script(run: dict, case_id: str, engine: str, context: str = "eager") -> str:
    record = run["record"]
    case = record["cases"][case_id]
    (meta,) = [e for e in record["metadata"]["engines"] if e["name"] == engine]
    return repro_script(
        case_id,
        case["program"],
        engine,
        context,
        case["source"],
        meta["module"],
        case["names"],
        meta.get("module_file"),
    )


def _run_isolated(script: str, where: Path) -> subprocess.CompletedProcess:
    """Run a repro script the way a user would, with ``python -I`` from an unrelated
    folder: neither this repository nor the engine's folder is on sys.path."""
    folder = where / "elsewhere"
    folder.mkdir(exist_ok=True)
    path = folder / "repro.py"
    path.write_text(script)
    return subprocess.run(
        [sys.executable, "-I", str(path)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_repro_of_a_failing_case_shows_the_engines_bug(author_run):
    """The script imports the author's engine (not TensorFlow) even under ``python -I``
    in another folder: it prints zeros where TensorFlow's recorded result is None,
    and none of TensorFlow's start-up lines."""
    results = {
        (r["case"], r["engine"]): r
        for r in author_run["record"]["results"]
        if r["context"] == "eager"
    }
    case = "unconnected/default-is-none"
    assert results[(case, "buggy_tf")]["status"] == "failed"
    tf_default = results[(case, "tensorflow")]["outcome"]["values"]["default"]["items"][0]
    assert tf_default["kind"] == "none"
    done = _run_isolated(_script(author_run, case, "buggy_tf"), author_run["where"])
    assert done.returncode == 0, done.stderr
    printed = dict(line.split(" = ", 1) for line in done.stdout.splitlines() if " = " in line)
    assert printed["default"].startswith(
        "[<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0., 0.]"
    )
    for noise in ("oneDNN", "cuda", "cuInit", "absl::InitializeLog", "cpu_feature_guard"):
        assert noise not in done.stderr


def test_the_repro_of_a_missing_raise_raises_nothing_on_the_engine(author_run):
    case = "persistence/second-gradient-call-raises"
    done = _run_isolated(_script(author_run, case, "buggy_tf"), author_run["where"])
    assert done.returncode == 0, done.stderr
    assert "first = <tf.Tensor: shape=(), dtype=float32, numpy=4.0>" in done.stdout
    assert "raised" not in done.stdout  # TensorFlow raises RuntimeError here


def test_the_cause_summary_names_exactly_the_three_causes(author_run):
    """Every failure of the author's engine is one of its three bugs, and the summary
    names each once, largest first, with counts: no false failure, no stray cause.
    A symptom that only shows with a bug is listed under it: the always-persistent
    tape also logs its in-context warning once more, so the program's count of
    warnings differs where the second ``gradient`` call raises nothing. A case that
    builds on a gradient-gives-None case shows the zeros as a dtype mismatch (TF's
    batch_jacobian passes the engine's zeros through): it counts under zeros."""
    lines = author_run["out"].splitlines()
    start = lines.index(next(line for line in lines if line.startswith("causes on buggy_tf")))
    rows = [line for line in lines[start + 1 :] if "result(s) in" in line]
    found = {row.split(": ", 1)[1]: int(row.split()[0]) for row in rows}
    mine = [r for r in author_run["record"]["results"] if r["engine"] == "buggy_tf"]
    failed = [r for r in mine if r["status"] == "failed"]
    built_on = [r for r in failed if r["case"] == BUILT_ON]
    assert built_on and all({m["field"] for m in r["mismatches"]} == {"dtype"} for r in built_on)
    zeros = [r for r in failed if {m["field"] for m in r["mismatches"]} == {"none"}]
    raises = [r for r in failed if r not in zeros and r not in built_on]
    assert {r["case"] for r in raises} == {
        "persistence/second-gradient-call-raises",
        "higher_order/gradient-inside-the-tape-context",
    }
    assert found == {
        "None expected, zeros observed": len(zeros) + len(built_on),
        "RuntimeError expected, nothing raised": len(raises),
        "API GradientTape.jacobian missing": sum(r["status"] == "unsupported" for r in mine),
    }
    inside = [r for r in raises if r["case"].startswith("higher_order/")]
    symptom = f"with it in {len(inside)} of them: Python value differs"
    assert [line.strip() for line in lines[start + 1 :] if "with it in" in line] == [symptom]
    through = (
        f"through cases that build on these, in {len(built_on)} result(s): "
        "dtype float64 expected, float16 observed"
    )
    assert [line.strip() for line in lines[start + 1 :] if "through" in line] == [through]
    assert f'<div class="also">{through}</div>' in author_run["html"]
    assert 'builds on <a href="#case-unconnected-default-is-none">' in author_run["html"]
    assert list(found.values()) == sorted(found.values(), reverse=True)
    assert min(found.values()) >= 1
    assert not any(line.startswith("causes on tensorflow") for line in lines)


def test_eager_and_function_failures_print_once_with_their_contexts(author_run):
    out = author_run["out"]
    contexts = ", ".join(author_run["record"]["cases"]["unconnected/default-is-none"]["contexts"])
    assert len(contexts.split(", ")) >= 2
    assert (
        f"FAILED unconnected/default-is-none [buggy_tf; {contexts}]: "
        "default[0] none: expected None, observed"
    ) in out
    assert out.count("FAILED unconnected/default-is-none ") == 1
    assert "DIVERGED" not in out  # every divergence repeats a failure
    divergences = len(author_run["record"]["divergences"])
    assert divergences >= 2
    assert f"divergences: {divergences} ({divergences} repeat a failure of the same case)" in out


def test_commands_print_no_tensorflow_start_up_lines(tmp_path):
    """An engine that imports TensorFlow (a mutant) loaded in the command's own process
    (``--in-process``) leaves none of TF's native start-up lines on stderr."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            "--in-process",
            "-q",
            "--engine",
            "conformance.mutants.reusable_tape",
            "-k",
            "second-gradient-call-raises",
            "--json",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"},
    )
    assert done.returncode == 1, done.stderr  # the mutant is caught
    for noise in ("oneDNN", "cuda", "cuInit", "absl::InitializeLog", "cpu_feature_guard"):
        assert noise not in done.stderr, done.stderr
