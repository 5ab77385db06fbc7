"""A plain (non-editable) install ships the built-in cases, schemas and templates."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        cwd=out,
        env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"),
    )
    (found,) = out.glob("*.whl")
    return found


def test_wheel_contains_cases_schema_templates_and_reference_engine(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "cases").glob("*.yaml")}
    assert shipped and {f"conformance/builtin_cases/{n}" for n in shipped} <= names
    assert "conformance/schema/case.schema.json" in names
    assert "conformance/schema/run.schema.json" in names
    assert "conformance/doc_sections.yaml" in names
    assert "conformance/report/templates/report.html.j2" in names
    assert "reference_impl/__init__.py" in names


def test_installed_copy_lists_the_builtin_cases(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    listed = subprocess.run(
        [sys.executable, "-m", "conformance", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    where = subprocess.run(
        [sys.executable, "-c", "import conformance; print(conformance.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(target))
    assert "persistence/second-gradient-call-raises" in {line.split()[0] for line in listed}


def test_wheel_contains_every_package_of_the_source_tree(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = [
        p.relative_to(ROOT).as_posix()
        for top in ("conformance", "reference_impl")
        for p in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in p.parts
    ]
    missing = [p for p in packages if p not in names]
    assert not missing, f"add these packages to [tool.setuptools] packages: {missing}"


def test_wheel_ships_the_recorded_baselines(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "conformance" / "baselines").glob("*.json")}
    assert "tensorflow-2.21.0.json" in shipped
    assert {f"conformance/baselines/{n}" for n in shipped} <= names


def test_base_install_runs_without_tensorflow(wheel, tmp_path):
    """A plain venv (no system site packages) gets the base package from the wheel and its
    declared dependencies from the index, cannot import TensorFlow, and validates the
    reference engine against the shipped TF 2.21.0 baseline with every case passing
    (bfloat16 cases included: ml_dtypes is a declared dependency)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, env=env)
    probe = subprocess.run(
        [str(python), "-c", "import tensorflow"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert "No module named 'tensorflow'" in probe.stderr
    run = subprocess.run(
        [str(venv / "bin" / "conformance"), "run", "--against", "tensorflow-2.21.0", "-q"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    baseline_line, reference_line, *rest = run.stdout.splitlines()
    assert re.match(
        r"baseline:tensorflow-2\.21\.0 2\.21\.0: [1-9]\d\d passed, 0 failed", baseline_line
    )
    rest_ok = r"(, \d+ (unsupported|skipped))*$"
    assert re.match(r"reference \S+: [1-9]\d\d passed, 0 failed" + rest_ok, reference_line)
    assert "divergences: 0" in rest
