"""Engines: finding them by name or import path, observing their values, missing APIs."""

import os
import sys
import types

import numpy as np
import pytest

from conformance.engines import ModuleEngine, resolve_engine
from conformance.engines.reference import ReferenceEngine
from conformance.engines.tensorflow import TensorFlowEngine
from conformance.errors import EngineUnavailable, UsageError
from conformance.loader import load_cases
from conformance.observe import observe
from conformance.runner import run_case, run_cases
from tests.conftest import GOOD_CASE


def test_builtin_names():
    assert isinstance(resolve_engine("tensorflow"), TensorFlowEngine)
    assert isinstance(resolve_engine("reference"), ReferenceEngine)


def test_import_path_of_a_plain_module_is_an_engine():
    engine = resolve_engine("tests.sample_engines.zeros_for_none")
    engine.load()
    assert isinstance(engine, ModuleEngine)
    assert engine.tf_version == engine.namespace.TF_VERSION


def test_module_attr_path_names_an_engine_object():
    module = types.ModuleType("fake_engines_mod")
    module.MY_ENGINE = resolve_engine("tensorflow")
    sys.modules["fake_engines_mod"] = module
    try:
        assert resolve_engine("fake_engines_mod:MY_ENGINE") is module.MY_ENGINE
    finally:
        del sys.modules["fake_engines_mod"]


def test_unknown_engine_name_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown engine 'no such'"):
        resolve_engine("no such")


def test_unimportable_module_says_why():
    engine = resolve_engine("surely_not_installed_pkg")
    with pytest.raises(EngineUnavailable, match="cannot import 'surely_not_installed_pkg'"):
        engine.load()


def test_unavailable_engine_does_not_stop_the_others(case_dir, tf_engine):
    cases = load_cases([case_dir(a=GOOD_CASE)]).cases
    run = run_cases(cases, [resolve_engine("surely_not_installed_pkg"), tf_engine])
    assert [e.engine for e in run.engine_errors] == ["surely_not_installed_pkg"]
    assert [(r.engine, r.status) for r in run.results] == [("tensorflow", "passed")]


def test_observations_of_tf_values(tf_engine):
    tf = tf_engine.namespace
    assert observe(tf.constant([1.0, np.nan]), tf_engine) == {
        "kind": "Tensor",
        "dtype": "float32",
        "shape": [2],
        "value": [1.0, "nan"],
    }
    assert observe(tf.Variable(2, name="v"), tf_engine)["kind"] == "Variable"
    slices = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([3, 2]))
    obs = observe(slices, tf_engine)
    assert (obs["kind"], obs["indices"], obs["value"]) == (
        "IndexedSlices",
        [1],
        [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]],
    )
    assert observe({"w": None, "b": (1, "a")}, tf_engine) == {
        "kind": "dict",
        "items": [
            ["w", {"kind": "none"}],
            [
                "b",
                {
                    "kind": "tuple",
                    "items": [
                        {"kind": "python", "type": "int", "value": 1},
                        {"kind": "python", "type": "str", "value": "a"},
                    ],
                },
            ],
        ],
    }
    assert observe(np.float32(1.5), tf_engine)["kind"] == "ndarray"
    assert observe(tf.constant("héllo"), tf_engine)["value"] == "héllo"
    assert observe(tf.constant(1 + 2j, dtype=tf.complex64), tf_engine)["value"] == "(1+2j)"


JACOBIAN_CASE = GOOD_CASE.replace("id: square", "id: jac").replace(
    "g = tape.gradient(y, x)", "g = tape.jacobian(y, x)"
)
FORWARD_CASE = GOOD_CASE.replace("id: square", "id: fwd").replace(
    "x = tf.Variable(3.0)", "acc = tf.autodiff.ForwardAccumulator"
)


def test_missing_api_is_unsupported_not_failed(case_dir):
    cases = load_cases([case_dir(a=GOOD_CASE + JACOBIAN_CASE + FORWARD_CASE)]).cases
    engine = resolve_engine("tests.sample_engines.no_jacobian")
    engine.load()
    results = {r.case: r for r in (run_case(c, engine) for c in cases)}
    assert results["a/square"].status == "passed"
    assert (results["a/jac"].status, results["a/jac"].unsupported_api) == (
        "unsupported",
        "GradientTape.jacobian",
    )
    assert (results["a/fwd"].status, results["a/fwd"].unsupported_api) == (
        "unsupported",
        "tf.autodiff",
    )


def test_declared_unsupported_api(case_dir, tf_engine):
    cases = load_cases([case_dir(a=GOOD_CASE + JACOBIAN_CASE)]).cases

    class Partial(TensorFlowEngine):
        unsupported = frozenset({"GradientTape.jacobian"})

    engine = Partial()
    engine.load()
    assert [run_case(c, engine).status for c in cases] == ["passed", "unsupported"]


WATCH_INT_CASE = """\
- id: watch-int
  title: watching an integer tensor logs a warning
  doc: The gradient is None and TF warns.
  source: https://www.tensorflow.org/api_docs/python/tf/GradientTape#watch
  tags: [watch]
  program: |
    x = tf.constant(3)
    with tf.GradientTape() as tape:
      tape.watch(x)
      y = x * x
    g = tape.gradient(y, x)
  expect:
    g: null
  logs: ['must be floating']
"""


def test_tf_engine_resets_rate_limited_warnings(case_dir, tf_engine):
    (case,) = load_cases([case_dir(a=WATCH_INT_CASE)]).cases
    # TF logs this warning at most five times per call site and process.
    assert {run_case(case, tf_engine).status for _ in range(7)} == {"passed"}


def test_a_python_file_is_an_engine(tmp_path, case_dir):
    source = tmp_path / "my_tf.py"
    source.write_text(
        "from tensorflow import *  # noqa\nimport tensorflow as _tf\n"
        "TF_VERSION = _tf.__version__\n"
        "def __getattr__(name):\n    return getattr(_tf, name)\n"
    )
    engine = resolve_engine(str(source))
    assert engine.name == "my_tf"  # the stem, however the path is spelled
    assert resolve_engine(os.path.relpath(source)).name == "my_tf"
    engine.load()
    assert engine.describe()["module_file"] == str(source.resolve())
    assert engine.namespace.__name__ == "my_tf"
    (case,) = load_cases([case_dir(a=GOOD_CASE)]).cases
    assert run_case(case, engine).status == "passed"
    with pytest.raises(UsageError, match="does not exist"):
        resolve_engine(str(tmp_path / "missing.py"))


DESCRIPTIVE = """
t = tf.constant([[1.0, 2.0]])
values = {"shape": t.shape, "tail": t.shape[1:], "dtype": t.dtype,
          "spec": tf.TensorSpec([2], tf.float32), "any_shape": tf.TensorSpec(None),
          "text": tf.constant("abc").numpy(), "texts": tf.constant(["abc", "de"]).numpy()}
"""


def _observe_program(engine) -> dict:
    scope = {"tf": engine.namespace}
    exec(DESCRIPTIVE, scope)
    return {name: observe(value, engine) for name, value in scope["values"].items()}


def test_tf_api_objects_are_observed_alike_on_both_engines(tf_engine):
    """A TensorShape is a TensorShape on every engine, even one built as a tuple
    subclass, and is described by its dims (reprs may differ between engines)."""
    reference = ReferenceEngine()
    reference.load()
    seen = {engine.name: _observe_program(engine) for engine in (tf_engine, reference)}
    for obs in seen.values():
        assert {k: (o["kind"], o.get("type"), o.get("value")) for k, o in obs.items()} == {
            "shape": ("object", "TensorShape", [1, 2]),
            "tail": ("object", "TensorShape", [2]),
            "dtype": ("object", "DType", "float32"),
            "spec": ("object", "TensorSpec", {"shape": [2], "dtype": "float32", "name": None}),
            "any_shape": (
                "object",
                "TensorSpec",
                {"shape": None, "dtype": "float32", "name": None},
            ),
            "text": ("python", "bytes", "abc"),
            "texts": ("ndarray", None, ["abc", "de"]),
        }
    without_repr = [
        {k: {f: v for f, v in o.items() if f != "repr"} for k, o in obs.items()}
        for obs in seen.values()
    ]
    assert without_repr[0] == without_repr[1]


def test_an_api_object_that_cannot_describe_itself_is_still_observed(tf_engine):
    class TensorShape(tuple):
        def as_list(self):
            raise RuntimeError("broken")

    obs = observe(TensorShape((1,)), tf_engine)
    assert (obs["kind"], obs["type"], "value" in obs) == ("object", "TensorShape", False)


def test_an_entry_point_engine_is_named_as_registered_also_in_a_worker(monkeypatch, case_dir):
    """The entry point ``myeng`` names a module (here reference_impl): the engine is
    ``myeng`` in the parent and in the worker process that loads it, not the module."""
    import reference_impl
    from conformance import engines
    from conformance.isolation import Isolation, WorkerPool

    class EntryPoint:
        name, value = "myeng", "reference_impl"

        def load(self):
            return reference_impl

    monkeypatch.setattr(
        engines, "_entry_point", lambda name: EntryPoint() if name == "myeng" else None
    )
    engine = resolve_engine("myeng")
    assert engine.name == "myeng"
    cases = load_cases([case_dir(a=GOOD_CASE)]).cases
    run = run_cases(cases, WorkerPool([engine], Isolation(timeout=60)))
    assert [e.name for e in run.engines] == ["myeng"]
    assert [(r.engine, r.status) for r in run.results] == [("myeng", "passed")]
    assert run.engines[0].describe()["module"] == "reference_impl"
