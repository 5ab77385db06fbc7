"""An engine lacking APIs gets ``unsupported`` results, counted per API, never ``failed``."""

from __future__ import annotations

import io
import sys
import textwrap

import pytest

from conformance.cli import print_summary
from conformance.engines import resolve_engine
from conformance.engines.base import ModuleEngine
from conformance.loader import builtin_cases_dir, load_cases
from conformance.runner import run_cases, unsupported_apis

LACKING = '''
"""TensorFlow without GradientTape.jacobian and without tf.autodiff."""
import sys
import tensorflow as _tf

TF_VERSION = _tf.__version__


class GradientTape:
    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._tape = _tf.GradientTape(persistent, watch_accessed_variables)

    def __enter__(self):
        self._tape.__enter__()
        return self

    def __exit__(self, *exc):
        return self._tape.__exit__(*exc)

    def watch(self, tensor):
        self._tape.watch(tensor)

    def gradient(self, *args, **kwargs):
        return self._tape.gradient(*args, **kwargs)

    def watched_variables(self):
        return self._tape.watched_variables()


def __getattr__(name):
    if name == "autodiff":
        raise AttributeError(f"no {name}", name=name, obj=sys.modules[__name__])
    return getattr(_tf, name)
'''

CASES = {
    "caps": """\
    - id: uses-jacobian
      title: jacobian
      doc: d.
      source: https://www.tensorflow.org/api_docs/python/tf/GradientTape#jacobian
      tags: [jacobian]
      program: |
        x = tf.constant([1.0, 2.0])
        with tf.GradientTape() as g:
          g.watch(x)
          y = x * x
        j = g.jacobian(y, x)
      expect:
        j: {tensor: [[2.0, 0.0], [0.0, 4.0]]}
    - id: uses-forward-mode
      title: jvp
      doc: d.
      source: https://www.tensorflow.org/api_docs/python/tf/autodiff/ForwardAccumulator
      tags: [forward]
      program: |
        x = tf.constant(2.0)
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
          y = x * x
        t = acc.jvp(y)
      expect:
        t: 4.0
    - id: plain-gradient
      title: gradient
      doc: d.
      source: https://www.tensorflow.org/api_docs/python/tf/GradientTape#gradient
      tags: [watch]
      program: |
        x = tf.Variable(3.0)
        with tf.GradientTape() as g:
          y = x * x
        d = g.gradient(y, x)
      expect:
        d: 6.0
    """
}


@pytest.fixture
def lacking_engine(tmp_path, monkeypatch, tf_engine):
    (tmp_path / "lacking_tf.py").write_text(textwrap.dedent(LACKING))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield resolve_engine("lacking_tf")
    sys.modules.pop("lacking_tf", None)


def test_missing_attributes_make_cases_unsupported(case_dir, lacking_engine):
    run = run_cases(load_cases([case_dir(**CASES)]).cases, [lacking_engine])
    by_case = {r.case.split("/")[-1]: r for r in run.results}
    assert by_case["uses-jacobian"].status == "unsupported"
    assert by_case["uses-jacobian"].unsupported_api == "GradientTape.jacobian"
    assert by_case["uses-forward-mode"].status == "unsupported"
    assert by_case["uses-forward-mode"].unsupported_api == "tf.autodiff"
    assert by_case["plain-gradient"].status == "passed"


def test_the_corpus_never_fails_an_engine_for_a_missing_api(lacking_engine):
    cases = [
        c
        for c in load_cases([builtin_cases_dir()]).cases
        if "jacobian" in c.program or "autodiff" in c.program
    ]
    assert len(cases) >= 5
    run = run_cases(cases, [lacking_engine])
    apis = unsupported_apis(run.results)["lacking_tf"]
    assert set(apis) <= {"GradientTape.jacobian", "GradientTape.batch_jacobian", "tf.autodiff"}
    assert sum(len(ids) for ids in apis.values()) >= len(cases) // 2
    wrongly = [
        r.case
        for r in run.results
        if r.status == "failed"
        and any(
            "jacobian" in str(m.observed) or "autodiff" in str(m.observed) for m in r.mismatches
        )
    ]
    assert wrongly == []


def test_declared_unsupported_apis_are_not_run(case_dir, tf_engine):
    class NoForwardMode(ModuleEngine):
        unsupported = frozenset({"autodiff.ForwardAccumulator"})

    engine = NoForwardMode("tensorflow", name="no-forward")
    run = run_cases(load_cases([case_dir(**CASES)]).cases, [engine])
    statuses = {r.case.split("/")[-1]: (r.status, r.unsupported_api) for r in run.results}
    assert statuses["uses-forward-mode"] == ("unsupported", "autodiff.ForwardAccumulator")
    assert statuses["uses-jacobian"][0] == "passed"


def test_summary_and_record_name_the_missing_apis(case_dir, lacking_engine):
    run = run_cases(load_cases([case_dir(**CASES)]).cases, [lacking_engine])
    out = io.StringIO()
    print_summary(run, out)
    assert "GradientTape.jacobian: 1 case(s) unsupported" in out.getvalue()
    assert "tf.autodiff: 1 case(s) unsupported" in out.getvalue()
    assert unsupported_apis(run.results) == {
        "lacking_tf": {
            "GradientTape.jacobian": ["caps/uses-jacobian"],
            "tf.autodiff": ["caps/uses-forward-mode"],
        }
    }


def test_a_recorded_baseline_keeps_the_capabilities(case_dir, lacking_engine, tmp_path):
    from conformance.cli import main
    from conformance.report import read_record

    cases = case_dir(**CASES)
    code = main(
        [
            "record",
            str(cases),
            "--engine",
            "lacking_tf",
            "--dir",
            str(tmp_path / "b"),
            "--in-process",
            "-q",
        ]
    )
    assert code == 0
    (path,) = (tmp_path / "b").iterdir()
    assert read_record(path)["capabilities"] == {
        "lacking_tf": {
            "GradientTape.jacobian": ["caps/uses-jacobian"],
            "tf.autodiff": ["caps/uses-forward-mode"],
        }
    }
