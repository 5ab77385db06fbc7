"""Control flow: `tf.cond`, `tf.case` and `tf.while_loop`, eagerly and inside `tf.function`.

Eagerly, control flow runs Python branches and loops and records the ops they
run; inside a function body `cond` is one graph op holding both branches
(TensorFlow's ``If``/``StatelessIf``), whose gradient gives inputs used only in
the untaken branch zeros. Every sample therefore comes twice: ``eager-*`` and
``graph-*`` (the same call wrapped in `tf.function`). `x` is used by both
branches, `z` only by the false branch.
"""

from __future__ import annotations

from typing import Any

from ..table import REAL, OpEntry
from ._build import E, S, rand

C = "control"


def _cond(tf: Any, x: Any, z: Any) -> Any:
    return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * x, lambda: tf.exp(x) * z)


def _case(tf: Any, x: Any, z: Any) -> Any:
    total = tf.reduce_sum(x)
    return tf.case(
        [(total > 1, lambda: tf.sin(x) * x), (total < -1, lambda: tf.exp(x) * z)],
        default=lambda: x * z,
    )


def _while(tf: Any, x: Any, z: Any) -> Any:
    _, out = tf.while_loop(
        lambda i, a: i < 3, lambda i, a: (i + 1, tf.sin(a) * z + a), (tf.constant(0), x)
    )
    return out


def _calling(body: Any) -> Any:
    def call(tf: Any, x: Any, z: Any, graph: bool = False) -> Any:
        if graph:
            return tf.function(lambda a, b: body(tf, a, b))(x, z)
        return body(tf, x, z)

    return call


def _samples(api: str, branches: dict[str, tuple[float, float]]) -> list:
    found = []
    for graph in (False, True):
        for k, (name, (low, high)) in enumerate(branches.items()):
            x, z = rand(api, (2, 3), low, high, k=k), rand(api, (2, 3), k=10 + k)
            found.append(S(f"{'graph' if graph else 'eager'}-{name}", x, z, graph=graph))
    return found


def entries() -> list[OpEntry]:
    return [
        E(
            "tf.cond",
            C,
            _samples("tf.cond", {"true": (0.1, 1.0), "false": (-1.0, -0.1)}),
            call=_calling(_cond),
            dtypes=REAL,
        ),
        E(
            "tf.case",
            C,
            _samples(
                "tf.case", {"first": (0.5, 1.0), "second": (-1.0, -0.5), "default": (-0.1, 0.1)}
            ),
            call=_calling(_case),
            dtypes=REAL,
        ),
        E(
            "tf.while_loop",
            C,
            _samples("tf.while_loop", {"three-steps": (-1.0, 1.0)}),
            call=_calling(_while),
            dtypes=REAL,
        ),
    ]
