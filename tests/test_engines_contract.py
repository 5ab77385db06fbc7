"""The engine contract of docs/engines.md: the forms --engine accepts and the hooks used."""

from __future__ import annotations

import sys
import textwrap

import pytest

from conformance.engines import resolve_engine
from conformance.engines.base import Engine, ModuleEngine
from conformance.errors import EngineUnavailable, UsageError
from conformance.loader import load_cases
from conformance.runner import run_case

MODULE = '''
"""A minimal engine: TensorFlow, plus a per-case reset counter."""
import tensorflow as _tf
TF_VERSION = "2.16.0"
__version__ = "9.9"
resets = []

def _reset_state():
    resets.append(1)

def __getattr__(name):
    return getattr(_tf, name)
'''

FULL = """
from conformance.engines.base import ModuleEngine

class Full(ModuleEngine):
    def __init__(self):
        super().__init__("mini_tf", name="full-engine")

def make():
    return Full()

not_an_engine = 42
"""


@pytest.fixture
def engine_modules(tmp_path, monkeypatch, tf_engine):
    (tmp_path / "mini_tf.py").write_text(textwrap.dedent(MODULE))
    (tmp_path / "full_engine.py").write_text(textwrap.dedent(FULL))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in ("mini_tf", "full_engine"):
        sys.modules.pop(name, None)


def test_a_module_standing_in_for_tf_is_an_engine(engine_modules, case_dir):
    from tests.conftest import GOOD_CASE

    engine = resolve_engine("mini_tf")
    assert isinstance(engine, ModuleEngine) and engine.name == "mini_tf"
    engine.load()
    assert (engine.version, engine.tf_version) == ("9.9", "2.16.0")
    case = load_cases([case_dir(basic=GOOD_CASE)]).cases[0]
    assert run_case(case, engine).status == "passed"
    assert len(sys.modules["mini_tf"].resets) == 1  # _reset_state ran before the case


@pytest.mark.parametrize("spec", ["full_engine:Full", "full_engine:make"])
def test_an_engine_class_or_factory(engine_modules, spec):
    engine = resolve_engine(spec)
    assert isinstance(engine, Engine) and engine.name == "full-engine"


def test_what_is_not_an_engine_is_reported(engine_modules):
    with pytest.raises(EngineUnavailable, match="neither an Engine"):
        resolve_engine("full_engine:not_an_engine")
    with pytest.raises(EngineUnavailable, match="no attribute"):
        resolve_engine("full_engine:missing")
    with pytest.raises(UsageError, match="unknown engine"):
        resolve_engine("not an engine!")


def test_a_module_without_tensor_class_cannot_load(tmp_path, monkeypatch):
    (tmp_path / "empty_tf.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(EngineUnavailable, match="no Tensor class"):
        resolve_engine("empty_tf").load()
    sys.modules.pop("empty_tf", None)


def test_mutant_engines_follow_the_contract(tf_engine):
    engine = resolve_engine("conformance.mutants.reusable_tape")
    engine.load()
    ns = engine.namespace
    assert engine.kind_of(ns.Variable(1.0)) == "Variable"
    assert engine.dtype_of(ns.constant(1.0)) == "float32"
    assert ns.GradientTape is not tf_engine.namespace.GradientTape
    assert issubclass(ns.GradientTape, tf_engine.namespace.GradientTape)
    assert ns.reduce_sum is tf_engine.namespace.reduce_sum  # everything else forwarded
