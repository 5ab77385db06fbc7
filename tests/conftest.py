"""Shared fixtures for the suite's own tests (not the conformance cases)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture
def case_dir(tmp_path: Path):
    """Write YAML case files into a fresh directory: ``case_dir(name=text, ...)``."""
    root = tmp_path / "cases"
    root.mkdir()

    def write(**files: str) -> Path:
        for name, text in files.items():
            path = root / f"{name}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return root

    return write


@pytest.fixture(scope="session")
def tf_engine():
    """Real TensorFlow as a loaded engine (imported once per test process)."""
    from conformance.engines import resolve_engine

    engine = resolve_engine("tensorflow")
    engine.load()
    return engine


GOOD_CASE = """\
- id: square
  title: gradient of x**2
  doc: The derivative of x**2 at 3 is 6.
  source: https://www.tensorflow.org/guide/autodiff#gradient_tapes
  tags: [watch]
  program: |
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
      y = x**2
    g = tape.gradient(y, x)
  expect:
    g: {tensor: 6.0, dtype: float32, shape: []}
"""
