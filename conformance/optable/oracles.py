"""Judge one op-table result by its three oracles and say whom to blame.

(a) **TensorFlow**: the engine's value against TensorFlow's, recorded in the
shipped baseline (an ordinary expectation of the case, element by element).
(b) **Finite differences**: ⟨u, J v⟩ from this check against the float64
central difference of the engine's own forward function along ``v``
(Richardson-extrapolated steps h = `probe.FD_STEP` and h/2, directions scaled
to the point). The gap between the two steps filters non-differentiable
points: where it exceeds `SMOOTH_RTOL` of the scale, or where the sample is a
declared convention point (a kink, tie or pole), or where a value is not
finite, the FD oracle is not applied ("convention") and TensorFlow's value is
the only reference.
(c) **Cross-mode**: the same number from another mode (VJP vs JVP,
reverse-over-reverse vs forward-over-reverse, jacobian vs VJP, compiled vs
eager).

``|a − b| ≤ rtol · scale + atol + fd_gap`` where ``scale`` is Σ|aᵢ bᵢ| of the
inner product (so cancellation does not make the test impossible).

Blame (in the outcome's ``blame``): ``agree``; ``engine`` (the engine differs
from TensorFlow and the finite differences side with TensorFlow);
``tensorflow`` (they side with the engine: a TensorFlow inconsistency);
``both`` (neither matches them); ``precision`` (engine and TensorFlow both
match the finite differences and differ only beyond the tighter TensorFlow
tolerance); ``convention`` (the engine differs from
TensorFlow at a point with no FD oracle); ``self`` (the engine disagrees with
its own other mode or with finite differences while matching TensorFlow).
"""

from __future__ import annotations

import math
from typing import Any

from ..compare import Mismatch
from ..observe import decode_array, encode_scalar

# rtol of the FD comparison and of the cross-mode comparison, per dtype
FD_RTOL = {
    "float16": 3e-2,
    "bfloat16": 1.5e-1,
    "float32": 3e-4,
    "complex64": 3e-4,
    "float64": 1e-6,
    "complex128": 1e-6,
}
CROSS_RTOL = {
    "float16": 1e-2,
    "bfloat16": 6e-2,
    "float32": 1e-5,
    "complex64": 1e-5,
    "float64": 1e-7,
    "complex128": 1e-7,
}
ATOL = 1e-9
SMOOTH_RTOL = 1e-5  # fd_gap above this share of the scale: not smooth here
# element-wise tolerance against TensorFlow's recorded value
TF_TOLERANCE = {
    "float16": (1e-2, 1e-3),
    "bfloat16": (5e-2, 1e-2),
    "float32": (1e-4, 1e-5),
    "complex64": (1e-4, 1e-5),
    "float64": (1e-7, 1e-9),
    "complex128": (1e-7, 1e-9),
}


def decode(obs: dict) -> Any:
    """An observation of the probe's oracle dict back to Python numbers and arrays."""
    kind = obs["kind"]
    if kind == "none":
        return None
    if kind == "python":
        value = obs["value"]
        return float(value) if value in ("nan", "inf", "-inf") else value
    if kind == "dict":
        return {key: decode(value) for key, value in obs["items"]}
    if kind in ("list", "tuple"):
        return [decode(item) for item in obs["items"]]
    if "dtype" in obs:
        return decode_array(obs["value"], obs["dtype"])
    return obs.get("repr")


def close(a: float, b: float, scale: float, rtol: float, slack: float = 0.0) -> bool:
    return abs(a - b) <= rtol * scale + ATOL + slack


def fd_verdict(oracle: dict, dtype: str, convention: str | None) -> tuple[str, str]:
    """(status, why) of the FD oracle: ``pass``, ``fail``, ``convention`` or ``n/a``."""
    if "fd" not in oracle:
        return "n/a", oracle.get("fd_error", "this check has no finite-difference oracle")
    lhs, fd, gap, scale = oracle["lhs"], oracle["fd"], oracle["fd_gap"], oracle["scale"]
    if convention:
        return "convention", convention
    if not all(math.isfinite(x) for x in (lhs, fd, gap)):
        return "convention", "a value is not finite here"
    if gap > SMOOTH_RTOL * (scale + abs(fd)) + ATOL:
        return "convention", f"not smooth here (steps h and h/2 differ by {gap:.3g})"
    ok = close(lhs, fd, max(scale, abs(fd)), FD_RTOL[dtype], 10 * gap)
    return ("pass" if ok else "fail"), f"⟨u,Jv⟩ {lhs:.10g} vs FD {fd:.10g}"


def cross_verdict(oracle: dict, dtype: str, convention: str | None = None) -> tuple[str, str]:
    if "cross" not in oracle:
        return "n/a", "no other mode for this check"
    lhs, cross = oracle["lhs"], oracle["cross"]
    if convention and not (math.isfinite(lhs) and math.isfinite(cross)):
        return "convention", f"{lhs} vs {oracle['cross_mode']} {cross} at a pole: no oracle"
    if not (math.isfinite(lhs) and math.isfinite(cross)):
        same = (math.isnan(lhs) and math.isnan(cross)) or lhs == cross
        return ("pass" if same else "fail"), f"{lhs} vs {oracle['cross_mode']} {cross}"
    ok = close(lhs, cross, oracle["scale"], CROSS_RTOL[dtype])
    return ("pass" if ok else "fail"), f"{lhs:.10g} vs {oracle['cross_mode']} {cross:.10g}"


STRUCTURAL = (
    "none",
    "kind",
    "dtype",
    "shape",
    "structure",
    "missing",
    "exception",
    "exception_type",
    "exception_message",
)


def forward_mismatch(oracle: dict, tf_forward: float | None, dtype: str) -> list[Mismatch]:
    """A ``forward`` mismatch when ⟨u, f(x)⟩ differs from TF's: the engine computes
    another function, so its finite differences say nothing about TF's gradient."""
    mine = oracle.get("forward")
    if tf_forward is None or mine is None:
        return []
    theirs = number(tf_forward)
    if (math.isnan(theirs) and math.isnan(mine)) or theirs == mine:
        return []
    rtol, atol = TF_TOLERANCE[dtype]
    if (
        math.isfinite(theirs)
        and math.isfinite(mine)
        and abs(mine - theirs) <= rtol * max(oracle.get("forward_scale", 0.0), abs(theirs)) + atol
    ):
        return []
    return [
        Mismatch(
            "forward",
            "value",
            _json(theirs),
            _json(mine),
            "<u, f(x)> differs from TensorFlow's: the engine computes another function here",
        )
    ]


def judge(
    oracle: dict,
    dtype: str,
    convention: str | None,
    tf_ok: bool | None,
    tf_numbers: dict | None,
    structural: bool = False,
) -> tuple[list[Mismatch], dict, str]:
    """Mismatches of the FD and cross-mode oracles, the oracle summary and the blame
    (`structural`: the engine differs from TF in kind, dtype, shape or None-ness,
    which finite differences cannot excuse: the engine is blamed)."""
    fd, fd_why = fd_verdict(oracle, dtype, convention)
    cross, cross_why = cross_verdict(oracle, dtype, convention)
    found = []
    if fd == "fail":
        found.append(
            Mismatch(
                "observed",
                "oracle_fd",
                _json(oracle["fd"]),
                _json(oracle["lhs"]),
                f"{fd_why} (rtol {FD_RTOL[dtype]:g} of scale "
                f"{oracle['scale']:.3g}); finite differences disagree",
            )
        )
    if cross == "fail":
        found.append(
            Mismatch(
                "observed",
                "oracle_cross",
                _json(oracle["cross"]),
                _json(oracle["lhs"]),
                f"{cross_why}: the modes disagree",
            )
        )
    summary = {
        "tf": _tf_status(tf_ok),
        "fd": fd,
        "fd_detail": fd_why,
        "cross": cross,
        "cross_detail": cross_why,
        "lhs": _json(oracle.get("lhs")),
        "fd_value": _json(oracle.get("fd")),
    }
    who = "engine" if structural else blame(tf_ok, fd, cross, oracle, dtype, tf_numbers)
    return found, summary, who


def _json(value: Any) -> Any:
    return None if value is None else encode_scalar(float(value))


def number(value: Any) -> float | None:
    """A number of the record back to a float ("nan", "inf" strings included)."""
    return None if value is None else float(value)


def _tf_status(tf_ok: bool | None) -> str:
    return "n/a" if tf_ok is None else ("pass" if tf_ok else "fail")


def blame(
    tf_ok: bool | None, fd: str, cross: str, oracle: dict, dtype: str, tf_numbers: dict | None
) -> str:
    """Who is wrong, by the three oracles (see the module docstring)."""
    if tf_ok is not False:
        return "agree" if fd != "fail" and cross != "fail" else "self"
    if fd in ("convention", "n/a"):
        return "convention"
    tf_lhs = number((tf_numbers or {}).get("lhs"))
    tf_agrees = (
        tf_lhs is not None
        and math.isfinite(tf_lhs)
        and close(
            tf_lhs,
            oracle["fd"],
            max(oracle["scale"], abs(oracle["fd"])),
            FD_RTOL[dtype],
            10 * oracle["fd_gap"],
        )
    )
    if fd == "pass":
        return "precision" if tf_agrees else "tensorflow"
    return "engine" if tf_agrees else "both"
