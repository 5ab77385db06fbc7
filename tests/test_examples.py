"""The worked example examples/toy_engine: installed with pip, found by entry point, run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "toy_engine"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The example pip-installed (no network, no build isolation) into a target dir."""
    work = tmp_path_factory.mktemp("toy")
    source, target = work / "src", work / "site"
    shutil.copytree(EXAMPLE, source)  # the build must not write into the tree
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def _python(target: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(target), str(ROOT)]), TF_CPP_MIN_LOG_LEVEL="3"
    )
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600
    )


def test_the_entry_point_is_installed(installed, tmp_path):
    found = _python(
        installed,
        "-c",
        "from conformance.engines import plugin_names; print(sorted(plugin_names()))",
        cwd=tmp_path,
    )
    assert "toy" in found.stdout, found.stderr


def test_the_toy_engine_runs_cases_by_name(installed, tmp_path):
    record = tmp_path / "toy.json"
    cases = [
        str(ROOT / "cases" / f"{name}.yaml")
        for name in ("persistence", "batch_jacobian", "forward_mode")
    ]
    chosen = "second-gradient-call-raises or unconnected-returns-zeros or basic-jvp"
    done = _python(
        installed,
        "-m",
        "conformance",
        "run",
        "--engine",
        "toy",
        "--in-process",
        *cases,
        "-k",
        chosen,
        "--json",
        str(record),
        "--html",
        str(tmp_path / "toy.html"),
        cwd=tmp_path,
    )
    assert "toy 0.1.0:" in done.stdout, done.stdout + done.stderr
    assert "GradientTape.batch_jacobian: 1 case(s) unsupported" in done.stdout
    data = json.loads(record.read_text())
    statuses = {r["case"]: r["status"] for r in data["results"]}
    assert statuses["batch_jacobian/unconnected-returns-zeros"] == "unsupported"
    assert statuses["forward_mode/basic-jvp"] == "unsupported"
    assert data["capabilities"]["toy"]["autodiff.ForwardAccumulator"]
    assert statuses["persistence/second-gradient-call-raises"] == "passed"


def test_the_toy_engine_behaves_like_the_engine_it_wraps(installed, tmp_path):
    script = (
        "import json\n"
        "from pathlib import Path\n"
        "from conformance.engines import resolve_engine\n"
        "from conformance.loader import load_cases\n"
        "from conformance.runner import run_case\n"
        f"cases = load_cases([Path({str(ROOT / 'cases' / 'persistence.yaml')!r})]).cases\n"
        "toy, ref = resolve_engine('toy'), resolve_engine('reference')\n"
        "toy.load(); ref.load()\n"
        "out = [(run_case(c, toy).outcome, run_case(c, ref).outcome) for c in cases]\n"
        "print(json.dumps(out, default=str))\n"
    )
    done = _python(installed, "-c", script, cwd=tmp_path)
    pairs = json.loads(done.stdout.strip().splitlines()[-1])
    assert pairs and all(toy == ref for toy, ref in pairs)
