"""The full engine form: an `Engine` object with a name, a version, hooks and capabilities.

Registered under the entry point group ``conformance.engines`` as ``toy``
(see pyproject.toml), so ``conformance run --engine toy`` finds it once the
package is installed. It runs the module `toy_engine.tf_like` and declares
two APIs it does not provide: every case that uses them is reported
``unsupported`` (never ``failed``), with the API named in the summary.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance.engines.base import Engine

from . import tf_like


class ToyEngine(Engine):
    """The toy engine: `tf_like` as namespace, no batch_jacobian, no forward mode."""

    name = "toy"
    unsupported = frozenset({"GradientTape.batch_jacobian", "autodiff.ForwardAccumulator"})

    def load(self) -> None:
        self._kinds = [
            ("Variable", tf_like.Variable),
            ("IndexedSlices", tf_like.IndexedSlices),
            ("Tensor", tf_like.Tensor),
        ]

    @property
    def namespace(self) -> Any:
        return tf_like

    @property
    def version(self) -> str:
        return tf_like.__version__

    @property
    def tf_version(self) -> str | None:
        return tf_like.TF_VERSION

    def kind_of(self, value: Any) -> str | None:
        return next((kind for kind, cls in self._kinds if isinstance(value, cls)), None)

    def to_numpy(self, value: Any) -> np.ndarray:
        if self.kind_of(value) == "IndexedSlices":
            values, indices = self.slices_of(value)
            dense = np.zeros(
                [int(d) for d in np.asarray(value.dense_shape.numpy())], dtype=values.dtype
            )
            np.add.at(dense, indices, values)
            return dense
        return np.asarray(value.numpy())

    def dtype_of(self, value: Any) -> str:
        return str(value.dtype.name)

    def reset(self) -> None:
        tf_like._reset_state()
