"""Version gates and variants, under every TensorFlow release the suite ships a baseline for.

Every case is loaded and asked, for each release, whether it applies and what it
expects there; the cases whose behavior depends on the release select what was
observed on it. The shipped baselines are then replayed: each release's recorded
outcomes must pass the current cases (the full proof, a live run per release, is
``scripts/record_releases.py``).
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conformance.drift import compute_drift, load_records
from conformance.engines.replay import RecordedEngine
from conformance.loader import builtin_cases_dir, load_cases
from conformance.runner import run_cases
from conformance.spec import Spec

ROOT = Path(__file__).resolve().parent.parent


def _sweep_module():
    spec = importlib.util.spec_from_file_location(
        "record_releases", ROOT / "scripts" / "record_releases.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


RELEASES = _sweep_module().RELEASES


@functools.cache
def corpus() -> dict:
    return {case.id: case for case in load_cases([builtin_cases_dir()]).cases}


SHIPPED = ROOT / "conformance" / "baselines"


def test_every_release_is_known_and_the_corpus_loads():
    assert RELEASES[0] == "2.12.1" and RELEASES[-1] == "2.21.0" and len(RELEASES) == 10
    assert load_cases([builtin_cases_dir()]).errors == []


@pytest.mark.parametrize("release", RELEASES)
def test_every_case_selects_an_expectation_under_each_release(release):
    for case in corpus().values():
        if case.applies_to(release):
            expectation = case.expectation_for(release)
            assert expectation.values or expectation.raises or expectation.logs, case.id


def test_no_gate_or_variant_is_dead():
    """A `versions` gate that admits none of the releases, or a variant that no
    release selects (it is outside them all, or an earlier variant shadows it), is
    a mistake."""
    for case in corpus().values():
        if case.versions:
            assert any(case.applies_to(r) for r in RELEASES), (case.id, case.versions)
        for i, variant in enumerate(case.variants):
            chosen = [r for r in RELEASES if _first_variant(case, r) == i]
            assert chosen, (case.id, variant.versions)


def _first_variant(case, release: str) -> int | None:
    return next(
        (i for i, v in enumerate(case.variants) if Version(release) in SpecifierSet(v.versions)),
        None,
    )


def keras3(release: str) -> bool:
    return Version(release) >= Version("2.16")


def names(case_id: str, release: str) -> list:
    spec: Spec = corpus()[case_id].expectation_for(release).values["names"]
    return [item.value for item in spec.items]


@pytest.mark.parametrize("release", RELEASES)
def test_keras_variable_names_follow_the_keras_version(release):
    expected = ["kernel", "bias"] if keras3(release) else ["dense/kernel:0", "dense/bias:0"]
    assert names("gradients/keras-dense-layer-gradients", release) == expected


@pytest.mark.parametrize("release", RELEASES)
def test_keras_kernel_docstring_example_works_until_keras_3(release):
    expectation = corpus()[
        "forward_mode/keras-kernel-primal-docstring-example-fails"
    ].expectation_for(release)
    if keras3(release):
        assert expectation.raises.type == "AttributeError" and not expectation.values
    else:
        assert expectation.raises is None and expectation.values["jvp"].value == 28.0


@pytest.mark.parametrize("release", RELEASES)
def test_op_without_gradient_raises_staging_error_only_on_2_12(release):
    raises = (
        corpus()["forward_mode/op-without-gradient-raises-at-execution"]
        .expectation_for(release)
        .raises
    )
    assert raises.type == ("StagingError" if release == "2.12.1" else "LookupError")
    assert "gradient registry has no entry for: AdjustContrastv2$" in raises.match


@pytest.mark.parametrize("release", RELEASES)
def test_shipped_baseline_passes_the_current_cases(release):
    path = SHIPPED / f"tensorflow-{release}.json"
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/record_releases.py {release}")
    engine = RecordedEngine(path)
    run = run_cases(list(corpus().values()), [engine])
    assert not run.engine_errors, run.engine_errors
    assert engine.tf_version == release
    failed = [
        f"{r.case} [{r.context}]: {r.status} {r.error or r.mismatches}"
        for r in run.results
        if r.status not in ("passed", "skipped", "unsupported")
    ]
    assert not failed, "\n".join(failed)
    assert sum(r.status == "passed" for r in run.results) > 300


DRIFT = {  # (case, release, kind, fields) of every change across the shipped baselines
    (
        "forward_mode/op-without-gradient-raises-at-execution",
        "2.13.1",
        "outcome",
        ("exception_type",),
    ),
    ("dtypes/mixing-float-widths-raises", "2.13.1", "outcome", ("exception_message",)),
    ("errors/output-gradients-wrong-dtype-raises", "2.13.1", "outcome", ("exception_message",)),
    ("errors/output-gradients-wrong-shape-raises", "2.13.1", "outcome", ("exception_message",)),
    ("none_gradients/int-float-mix-is-a-type-error", "2.13.1", "outcome", ("exception_message",)),
    # the same suffix, in error strings the programs keep (str(error))
    ("gradients/matmul-transposes-and-batches", "2.13.1", "outcome", ("python",)),
    ("none_gradients/mixed-dtype-errors-and-assign-add", "2.13.1", "outcome", ("python", "python")),
    ("output_gradients/output-gradients-forms-and-errors", "2.13.1", "outcome", ("python",)),
    ("tensors/tensor-api-basics", "2.13.1", "outcome", ("python",)),
    (
        "forward_mode/keras-kernel-primal-docstring-example-fails",
        "2.16.2",
        "outcome",
        ("missing", "exception"),
    ),
    ("gradients/keras-dense-layer-gradients", "2.16.2", "outcome", ("python", "python")),
    ("jacobian/scalar-source-guide-example", "2.17.1", "numeric", ("value", "value")),
    ("targets/elementwise-gradient-of-sum", "2.17.1", "numeric", ("value", "value")),
    ("targets/sigmoid-elementwise-gradient", "2.17.1", "numeric", ("value",)),
    # complex64 det rounding from 2.17, within tolerance
    ("op_gradient_bugs/det-complex-gradient-wrong", "2.17.1", "numeric", ("value",)),
    # resize-bilinear forward mode: StagingError (2.12), LookupError (2.13-2.17), None (2.18+)
    (
        "op_gradient_bugs/resize-bilinear-forward-mode-none",
        "2.13.1",
        "outcome",
        ("exception_type",),
    ),
    (
        "op_gradient_bugs/resize-bilinear-forward-mode-none",
        "2.18.1",
        "outcome",
        ("missing", "exception"),
    ),
    # float32 tanh rounding from 2.20, within tolerance
    ("op_gradients/tanh-derivatives", "2.20.0", "numeric", ("value",) * 11),
    # complex64 pow gradient rounding from 2.20 (one ulp of an imaginary part), within tolerance
    ("dtypes/complex-pow-at-zero-is-exp-of-log", "2.20.0", "numeric", ("value",)),
}


def test_drift_over_the_shipped_baselines_is_the_known_release_changes():
    """Keras 3 from 2.16, StagingError before 2.13, `[Op:Mul] name: ` from 2.13, float32
    sigmoid rounding from 2.17 and tanh and complex pow rounding from 2.20 (all within
    tolerance), and nothing else. A new entry here
    is a behavior that changed between releases: gate its case or add it, with evidence."""
    drift = compute_drift(load_records([]))
    assert [r.label for r in drift.releases] == list(RELEASES)
    found = {
        (row.case, drift.releases[c.release].label, c.kind, tuple(f["field"] for f in c.fields))
        for row in drift.rows
        for c in row.changes
    }
    assert found == DRIFT
    assert all(row.context == "eager" for row in drift.rows if row.changes)
