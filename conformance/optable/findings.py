"""TensorFlow inconsistency findings: op-table results where TF disagrees with itself
or with the finite differences, each with a standalone repro script.

``python -m conformance.optable.findings RECORD.json [--out DIR]`` reads a run
record (``conformance run --suite ops --engine tensorflow``), lists every
failing TensorFlow result (FD or cross-mode oracle) and writes, per finding,
a script that needs only TensorFlow and NumPy: the inputs and directions as
literals, ⟨u, J v⟩ by reverse mode, by forward mode and by float64 central
differences. Each finding must then be checked by hand (see docs/op-table.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .directions import Directions
from .registry import lookup

TEMPLATE = '''"""{title}

Found by the op table ({case}): {detail}
Run: python {name}
"""
import numpy as np
import tensorflow as tf

{call}

def inputs(dtype, shift=0.0):
    xs = {xs}
    moved = [x + shift * v for x, v in zip([xs[i] for i in DIFF], V)]
    for i, x in zip(DIFF, moved):
        xs[i] = x
    return [tf.cast(tf.constant(x), dtype) if i in DIFF else tf.constant(x)
            for i, x in enumerate(xs)]


def outputs(xs):
    ys = f(*xs)
    ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
    return [y for y in ys if y.dtype.is_floating or y.dtype.is_complex]


DIFF = {diff}
V = {v}
DTYPE = tf.{dtype}
xs = inputs(DTYPE)
ys = outputs(xs)
U = [tf.cast(tf.constant(np.random.default_rng(k).normal(size=y.shape)), y.dtype)
     for k, y in enumerate(ys)]
with tf.GradientTape() as tape:
    tape.watch([xs[i] for i in DIFF])
    ys = outputs(xs)
grads = tape.gradient(ys, [xs[i] for i in DIFF], output_gradients=U)
with tf.autodiff.ForwardAccumulator([xs[i] for i in DIFF],
                                    [tf.cast(tf.constant(v), DTYPE) for v in V]) as acc:
    ys = outputs(xs)
jvps = [acc.jvp(y) for y in ys]


def dot(a, b):
    return sum(float(np.sum(np.real(np.conj(np.asarray(x, np.complex128)) *
                                    np.asarray(y, np.complex128))))
               for x, y in zip(a, b) if x is not None and y is not None)


def loss(shift):
    real = tf.complex128 if DTYPE.is_complex else tf.float64
    return dot([u.numpy() for u in U], [y.numpy() for y in outputs(inputs(real, shift))])


h = 1e-4
print("<u, J v> by reverse mode:", dot([g.numpy() if g is not None else None for g in grads], V))
print("<u, J v> by forward mode:", dot([u.numpy() for u in U],
                                       [j.numpy() if j is not None else None for j in jvps]))
print("<u, J v> by float64 central differences:", (loss(h) - loss(-h)) / (2 * h))
'''


def tf_findings(record: dict) -> list[dict]:
    """The failing TensorFlow results of the op table, with their oracle summary."""
    found = []
    for result in record.get("results", []):
        if (
            result["case"].startswith("ops/")
            and result["engine"] == "tensorflow"
            and result["status"] in ("failed", "xfailed")
        ):
            found.append(result)
    return found


def repro(result: dict) -> str:
    case_id = result["case"]
    group, check = case_id.removeprefix("ops/").rsplit("/", 1)
    entry, sample, dtype = lookup(group)
    dirs = Directions(group, sample, dtype)
    detail = "; ".join(f"{m['field']}: {m['detail']}" for m in result["mismatches"])
    call = (
        f"def f(*xs):\n    return {entry.api}(*xs, **{sample.kwargs!r})"
        if entry.call is None
        else f"# {entry.api} is called through a wrapper; see conformance/optable/families/"
        f"{entry.family}.py\ndef f(*xs):\n    return {entry.api}(*xs, **{sample.kwargs!r})"
    )
    return TEMPLATE.format(
        title=f"{entry.api} {check} ({dtype}, sample {sample.name!r})",
        case=case_id,
        detail=detail,
        name=_file_name(case_id),
        call=call,
        dtype=dtype,
        xs=_literal([np.asarray(p) for p in dirs.base]),
        diff=dirs.diff,
        v=_literal(dirs.v),
    )


def _literal(arrays: list) -> str:
    parts = [f"np.array({a.tolist()!r}, dtype=np.{a.dtype.name})" for a in arrays]
    return "[" + ", ".join(parts) + "]"


def _file_name(case_id: str) -> str:
    return case_id.removeprefix("ops/").replace("/", "__") + ".py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conformance.optable.findings", description=__doc__.splitlines()[0]
    )
    parser.add_argument("record", type=Path)
    parser.add_argument("--out", type=Path, default=Path("reports/optable-findings"))
    args = parser.parse_args(argv)
    record = json.loads(args.record.read_text(encoding="utf-8"))
    findings = tf_findings(record)
    args.out.mkdir(parents=True, exist_ok=True)
    for result in findings:
        path = args.out / _file_name(result["case"])
        path.write_text(repro(result), encoding="utf-8")
        first = result["mismatches"][0] if result["mismatches"] else {}
        print(f"{result['case']}: {first.get('field')}: {first.get('detail')} -> {path}")
    print(f"{len(findings)} TensorFlow finding(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
