"""Run one op-table check on an engine: the engine's quantity and its oracle numbers.

Everything here goes through the engine's public ``tf`` API only
(``GradientTape``, ``autodiff.ForwardAccumulator``, ``function``, ``constant``,
``cast``), so it runs unchanged on TensorFlow, the reference engine or any
other engine. A program of an op-table case is one call::

    observed, oracle = run_check(tf, "unary/math.sin/typical/float32", "vjp")

``observed`` is what the engine returned (compared with TensorFlow's recorded
value); ``oracle`` holds the numbers the self-consistency oracles judge:
``lhs`` (⟨u, J v⟩ as this check computes it), ``fd`` (the float64 central
finite difference of the same quantity, with ``fd_gap``: the difference
between steps h and h/2, the non-differentiable-point filter) and ``cross``
(the same quantity from another mode).

Each call computes what its check needs from scratch (a `Group` memoizes
within one check only), so no verdict depends on what ran before it — not
even when an engine is patched between two checks, as mutants are.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .directions import Directions
from .registry import lookup

FD_STEP = 1e-4  # central-difference step along a unit-RMS direction (float64)


def run_check(tf: Any, group_id: str, check: str) -> tuple[Any, dict]:
    """The engine's value for `check` on op × sample × dtype `group_id`, and its oracles
    (with ``forward``: ⟨u, f(x)⟩, so a forward that differs from TF's is seen)."""
    group = Group(tf, group_id)
    observed, oracle = getattr(group, f"check_{check}")()
    oracle["forward"], oracle["forward_scale"] = group.forward_value()
    return observed, oracle


def forward_value(tf: Any, group_id: str) -> float:
    """⟨u, f(x)⟩ of one op × sample × dtype (what the baseline records of the forward)."""
    return Group(tf, group_id).forward_value()[0]


def floating(t: Any) -> bool:
    dtype = getattr(t, "dtype", None)
    return dtype is not None and (dtype.is_floating or dtype.is_complex)


def flat(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in flat(item)]
    return [value]


def as64(t: Any) -> np.ndarray | None:
    """A tensor (or None) as float64 / complex128 NumPy (IndexedSlices densified)."""
    if t is None:
        return None
    if not hasattr(t, "numpy") and hasattr(t, "indices"):
        return _densify(t)
    array = np.asarray(t.numpy())
    return array.astype(np.complex128 if np.iscomplexobj(array) else np.float64)


def _densify(slices: Any) -> np.ndarray:
    values = as64(slices.values)
    shape = tuple(int(d) for d in np.asarray(slices.dense_shape.numpy()))
    dense = np.zeros(shape, values.dtype)
    np.add.at(dense, np.asarray(slices.indices.numpy()), values)
    return dense


def dense(tf: Any, t: Any) -> Any:
    """An IndexedSlices gradient as a dense tensor (recorded by active tapes)."""
    if t is not None and not hasattr(t, "numpy") and hasattr(t, "indices"):
        return tf.convert_to_tensor(t)
    return t


def rdot(a: list, b: list) -> tuple[float, float]:
    """Σ Re(conj(a)·b) over lists of arrays (None counts as zero), and Σ |a·b| (the scale)."""
    total, scale = 0.0, 0.0
    for x, y in zip(a, b):
        if x is None or y is None:
            continue
        terms = np.real(np.conj(x) * y)
        total += float(np.sum(terms))
        scale += float(np.sum(np.abs(np.conj(x) * y)))
    return total, scale


class Group:
    """The memoized computations of one op × sample × dtype on one engine."""

    def __init__(self, tf: Any, group_id: str) -> None:
        self.tf = tf
        self.entry, self.sample, self.dtype = lookup(group_id)
        self.dirs = Directions(group_id, self.sample, self.dtype)
        self.memo: dict[str, Any] = {}

    # ------------------------------------------------------------ inputs, outputs
    def inputs(
        self, dtype: str | None = None, shift: float = 0.0, along: list | None = None
    ) -> list:
        """Engine tensors of the sample in `dtype` (default: the check's), optionally
        moved by ``shift · along`` (float64 evaluation points for finite differences)."""
        tf, values = self.tf, self.dirs.points(along, shift)
        out = []
        for template, value in zip(self.sample.args, values):
            tensor = tf.constant(value)
            if np.asarray(template).dtype.kind == "f" and dtype != "float64":
                tensor = tf.cast(tensor, dtype or self.dtype)
            out.append(tensor)
        return out

    def diff(self, xs: list) -> list:
        return [xs[i] for i in self.dirs.diff]

    def outputs(self, xs: list) -> list:
        return [
            o for o in flat(self.entry.invoke(self.tf, xs, dict(self.sample.kwargs))) if floating(o)
        ]

    def cotangents(self, outs: list) -> list:
        us = self.dirs.cotangents(
            [tuple(o.shape) for o in outs], [o.dtype.is_complex for o in outs]
        )
        return [self.tf.cast(self.tf.constant(u), o.dtype) for u, o in zip(us, outs)]

    def tangents(self, xs: list, which: str = "v") -> list:
        return [
            self.tf.cast(self.tf.constant(t), x.dtype)
            for t, x in zip(self.dirs.tangents(which), self.diff(xs))
        ]

    def forward_value(self) -> tuple[float, float]:
        outs = self.outputs(self.inputs())
        return rdot([as64(u) for u in self.cotangents(outs)], [as64(o) for o in outs])

    # ------------------------------------------------------------ the modes
    def vjp_of(self, xs: list, us: list | None = None) -> list:
        tf = self.tf
        with tf.GradientTape() as tape:
            tape.watch(self.diff(xs))
            outs = self.outputs(xs)
        us = self.cotangents(outs) if us is None else us
        return tape.gradient(outs, self.diff(xs), output_gradients=us)

    def vjp(self) -> list:
        if "vjp" not in self.memo:
            xs = self.inputs()
            self.memo["vjp"] = self.vjp_of(xs)
            self.memo["vjp_u"] = [as64(u) for u in self.cotangents(self.outputs(xs))]
        return self.memo["vjp"]

    def jvp(self) -> list:
        tf, xs = self.tf, self.inputs()
        with tf.autodiff.ForwardAccumulator(self.diff(xs), self.tangents(xs)) as acc:
            outs = self.outputs(xs)
        return [acc.jvp(o) for o in outs], outs

    def rr(self) -> list:
        tf, xs = self.tf, self.inputs()
        with tf.GradientTape() as outer:
            outer.watch(self.diff(xs))
            grads = [dense(tf, g) for g in self.vjp_of(xs)]
        kept = [g for g in grads if g is not None]
        ws = [w for w, g in zip(self.tangents(xs, "w"), grads) if g is not None]
        if not kept:
            return [None] * len(grads)
        return outer.gradient(kept, self.diff(xs), output_gradients=ws)

    def fr(self) -> list:
        tf, xs = self.tf, self.inputs()
        with tf.autodiff.ForwardAccumulator(self.diff(xs), self.tangents(xs)) as acc:
            grads = [dense(tf, g) for g in self.vjp_of(xs)]
        return [None if g is None else acc.jvp(g) for g in grads]

    def compiled_vjp(self, jit: bool) -> list:
        tf = self.tf
        xs = self.inputs()
        us = self.cotangents(self.outputs(xs))  # eagerly: compiled shapes may be unknown
        body = tf.function(lambda xs, us: self.vjp_of(list(xs), list(us)), jit_compile=jit or None)
        return body(xs, us)

    # ------------------------------------------------------------ finite differences
    def fd_direction(self) -> list:
        """v, zero on the inputs whose gradient the engine reports as None (TF's
        'not differentiated' arguments, e.g. zeta's x): their derivative is
        not claimed, so the finite differences leave them alone."""
        if "v" not in self.memo:
            grads = self.vjp()
            self.memo["v"] = [
                v if g is not None else np.zeros_like(v) for v, g in zip(self.dirs.v, grads)
            ]
        return self.memo["v"]

    def loss64(self, shift: float) -> float:
        xs = self.inputs("float64", shift, self.fd_direction())
        return rdot(self.u64(), [as64(o) for o in self.outputs(xs)])[0]

    def grad64(self, shift: float) -> list:
        return [as64(g) for g in self.vjp_of(self.inputs("float64", shift, self.fd_direction()))]

    def u64(self) -> list:
        self.vjp()
        return self.memo["vjp_u"]

    def fd(self, fn: Any) -> tuple[Any, Any]:
        """Richardson-extrapolated central difference of `fn` along v, and the gap
        between the steps h and h/2 (large where the point is not smooth)."""
        h = FD_STEP
        wide = _sub(fn(h), fn(-h), 2 * h)
        narrow = _sub(fn(h / 2), fn(-h / 2), h)
        return _comb(narrow, wide), _gap(narrow, wide)

    def fd_first(self) -> tuple[float, float]:
        if "fd1" not in self.memo:
            self.memo["fd1"] = self.fd(self.loss64)
        return self.memo["fd1"]

    def fd_second(self) -> tuple[list, list]:
        if "fd2" not in self.memo:
            self.memo["fd2"] = self.fd(self.grad64)
        return self.memo["fd2"]

    # ------------------------------------------------------------ the checks
    def check_vjp(self) -> tuple[Any, dict]:
        grads = self.vjp()
        lhs, scale = rdot([as64(g) for g in grads], self.fd_direction())
        return grads, {"lhs": lhs, "scale": scale, **self._fd1()}

    def check_jvp(self) -> tuple[Any, dict]:
        jvps, outs = self.jvp()
        us = [as64(u) for u in self.cotangents(outs)]
        lhs, scale = rdot(us, [as64(j) for j in jvps])
        cross, cross_scale = rdot([as64(g) for g in self.vjp()], self.fd_direction())
        return jvps, {
            "lhs": lhs,
            "scale": max(scale, cross_scale),
            "cross": cross,
            "cross_mode": "vjp",
            **self._fd1(),
        }

    def check_rr(self) -> tuple[Any, dict]:
        hw = self.rr()
        lhs, scale = rdot([as64(h) for h in hw], self.fd_direction())
        return hw, {"lhs": lhs, "scale": scale, **self._fd2()}

    def check_fr(self) -> tuple[Any, dict]:
        hv = self.fr()
        lhs, scale = rdot(self.dirs.w, [as64(h) for h in hv])
        cross, cross_scale = rdot([as64(h) for h in self.rr()], self.fd_direction())
        return hv, {
            "lhs": lhs,
            "scale": max(scale, cross_scale),
            "cross": cross,
            "cross_mode": "rr",
            **self._fd2(),
        }

    def check_jacobian(self) -> tuple[Any, dict]:
        tf, xs = self.tf, self.inputs()
        x = self.diff(xs)[0]
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            out = self.outputs(xs)[0]
        jac = tape.jacobian(out, x)
        u = as64(self.cotangents([out])[0])
        partial = tape.gradient(out, x, output_gradients=self.cotangents([out])[0])
        j = (
            as64(jac).reshape(u.size, -1)
            if jac is not None
            else np.zeros((u.size, x.shape.num_elements()))
        )
        lhs, scale = rdot([u.reshape(-1)], [j @ self.fd_direction()[0].reshape(-1)])
        cross, cross_scale = rdot([as64(partial)], [self.fd_direction()[0]])
        if out.dtype.is_complex:  # jacobian rows of a complex output are not VJPs
            return jac, {"lhs": lhs, "scale": scale}
        return jac, {
            "lhs": lhs,
            "scale": max(scale, cross_scale),
            "cross": cross,
            "cross_mode": "vjp",
        }

    def check_transpose(self) -> tuple[Any, dict]:
        """The VJP differentiated by its cotangent: d/du <VJP(u), w> = J w (linearity)."""
        tf, xs = self.tf, self.inputs()
        us = self.cotangents(self.outputs(xs))
        with tf.GradientTape() as outer:
            outer.watch(us)
            grads = [dense(tf, g) for g in self.vjp_of(xs, us)]
        kept = [(g, w) for g, w in zip(grads, self.tangents(xs, "w")) if g is not None]
        jw = (
            outer.gradient([g for g, _ in kept], us, output_gradients=[w for _, w in kept])
            if kept
            else [None] * len(us)
        )
        lhs, scale = rdot([as64(u) for u in us], [as64(j) for j in jw])
        cross, cross_scale = rdot([as64(g) for g in grads], self.dirs.w)
        return jw, {
            "lhs": lhs,
            "scale": max(scale, cross_scale),
            "cross": cross,
            "cross_mode": "vjp",
        }

    def check_ft(self) -> tuple[Any, dict]:
        """The VJP differentiated forward by its cotangent `u`, along `u` itself: the VJP
        is linear in `u`, so this is the VJP again. It reaches the forward rules of
        gradient ops (``ReluGrad``, ``StridedSliceGrad``) in their cotangent argument."""
        tf, xs = self.tf, self.inputs()
        us = self.cotangents(self.outputs(xs))
        with tf.autodiff.ForwardAccumulator(us, [tf.identity(u) for u in us]) as acc:
            grads = [dense(tf, g) for g in self.vjp_of(xs, us)]
        out = [None if g is None else acc.jvp(g) for g in grads]
        lhs, scale = rdot([as64(j) for j in out], self.fd_direction())
        cross, cross_scale = rdot([as64(g) for g in grads], self.fd_direction())
        return out, {
            "lhs": lhs,
            "scale": max(scale, cross_scale),
            "cross": cross,
            "cross_mode": "vjp",
        }

    def check_function(self) -> tuple[Any, dict]:
        return self._compiled(False)

    def check_xla(self) -> tuple[Any, dict]:
        return self._compiled(True)

    def _compiled(self, jit: bool) -> tuple[Any, dict]:
        grads = self.compiled_vjp(jit)
        eager = [as64(g) for g in self.vjp()]
        lhs, scale = rdot([as64(g) for g in grads], self.fd_direction())
        cross, cross_scale = rdot(eager, self.fd_direction())
        return grads, {
            "lhs": lhs,
            "scale": max(scale, cross_scale),
            "cross": cross,
            "cross_mode": "eager",
        }

    def _fd1(self) -> dict:
        return self._fd(self.fd_first, lambda d: d)

    def _fd2(self) -> dict:
        return self._fd(self.fd_second, lambda d: rdot(self.dirs.w, d)[0])

    def _fd(self, compute: Any, project: Any) -> dict:
        """The finite-difference oracle, or why there is none (the op has no float64)."""
        try:
            value, gap = compute()
        except Exception as exc:
            return {"fd_error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        return {"fd": project(value), "fd_gap": float(abs(project(gap)))}


def _sub(a: Any, b: Any, h: float) -> Any:
    if isinstance(a, list):
        return [None if x is None else (x - y) / h for x, y in zip(a, b)]
    return (a - b) / h


def _comb(narrow: Any, wide: Any) -> Any:
    if isinstance(narrow, list):
        return [None if n is None else (4 * n - w) / 3 for n, w in zip(narrow, wide)]
    return (4 * narrow - wide) / 3


def _gap(narrow: Any, wide: Any) -> Any:
    if isinstance(narrow, list):
        return [None if n is None else n - w for n, w in zip(narrow, wide)]
    return narrow - wide
