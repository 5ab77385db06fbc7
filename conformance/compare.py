"""Comparison: expectation vs observation, and observation vs observation.

Every difference is a `Mismatch` naming its place as a tuple of steps
(``("grads", 1)``, shown as ``grads[1]``) and its field: ``none``,
``structure``, ``kind``, ``dtype``, ``shape``, ``value``, ``python``,
``missing``, ``exception``, ``exception_type``, ``exception_message`` or
``log``. A value mismatch carries its per-element detail (which elements
differ, both values, the tolerance used), computed here once; reports only
render it. Default tolerances depend on the dtype.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .case import Expectation, Raises
from .observe import MAX_ELEMENTS as CAPPED_ABOVE
from .observe import decode_array, encode_scalar, summarize_array
from .spec import Spec, values_to_array

# (rtol, atol) per dtype; integer, bool and string values compare exactly.
DEFAULT_TOLERANCE: dict[str, tuple[float, float]] = {
    "float16": (1e-3, 1e-3),
    "bfloat16": (1e-2, 1e-2),
    "float32": (1e-5, 1e-6),
    "complex64": (1e-5, 1e-6),
    "float64": (1e-10, 1e-12),
    "complex128": (1e-10, 1e-12),
}
EXACT = (0.0, 0.0)
MAX_ELEMENTS = 12  # differing elements a value mismatch lists
Steps = tuple  # (variable name or "exception" / "logs", then list indices and dict keys)


def format_path(path: Steps) -> str:
    """``("g", 1, "w")`` → ``g[1]['w']``."""
    return str(path[0]) + "".join(f"[{step!r}]" for step in path[1:]) if path else ""


@dataclass(frozen=True)
class Mismatch:
    """One named difference.

    `path` is a tuple of steps (a plain string is taken as a one-step path);
    `elements`, for value mismatches, lists the differing elements
    (``{"rtol", "atol", "count", "size", "shown": [[index, expected, observed], …]}``).
    """

    path: Steps
    field: str
    expected: Any
    observed: Any
    detail: str = ""
    elements: dict | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.path, tuple):
            object.__setattr__(self, "path", (self.path,))

    @property
    def where(self) -> str:
        """The path as text: ``grads[1]``."""
        return format_path(self.path)

    def to_json(self) -> dict:
        entry = {
            "path": self.where,
            "steps": list(self.path),
            "field": self.field,
            "expected": self.expected,
            "observed": self.observed,
            "detail": self.detail,
        }
        return entry if self.elements is None else {**entry, "elements": self.elements}

    @classmethod
    def from_json(cls, entry: dict) -> Mismatch:
        """The mismatch `to_json` wrote (raises TypeError/KeyError when it is not one)."""
        return cls(
            tuple(entry.get("steps") or (entry["path"],)),
            entry["field"],
            entry["expected"],
            entry["observed"],
            entry.get("detail", ""),
            entry.get("elements"),
        )


@dataclass(frozen=True)
class Tolerance:
    """Case-level overrides; None means "use the dtype's default"."""

    rtol: float | None = None
    atol: float | None = None

    def for_dtype(self, dtype: str | None, spec: Spec | None = None) -> tuple[float, float]:
        rtol, atol = DEFAULT_TOLERANCE.get(dtype or "", EXACT)
        rtol = self.rtol if self.rtol is not None else rtol
        atol = self.atol if self.atol is not None else atol
        if spec is not None:
            rtol = spec.rtol if spec.rtol is not None else rtol
            atol = spec.atol if spec.atol is not None else atol
        return rtol, atol


# ----------------------------------------------------------- expectation vs observation


def compare_outcome(expectation: Expectation, outcome: dict, tol: Tolerance) -> list[Mismatch]:
    """All mismatches between a case's expectation and one engine's outcome.

    `outcome` has ``values`` (name → observation; absent names were never
    assigned), ``exception`` (or None) and ``logs``.
    """
    found: list[Mismatch] = []
    for name, spec in expectation.values.items():
        obs = outcome["values"].get(name)
        if obs is None:
            found.append(
                Mismatch(
                    (name,),
                    "missing",
                    "assigned",
                    "not assigned",
                    "the program never assigned this name",
                )
            )
        else:
            found += compare_spec(spec, obs, (name,), tol)
    found += _compare_exception(expectation.raises, outcome.get("exception"))
    found += _compare_logs(expectation.logs, outcome.get("logs", []))
    return found


def compare_spec(spec: Spec, obs: dict, path: Steps, tol: Tolerance) -> list[Mismatch]:
    """Mismatches between one expectation node and one observation node."""
    kind = obs["kind"]
    if spec.kind == "none" or kind == "none":
        if spec.kind == kind:
            return []
        return [Mismatch(path, "none", _describe_spec(spec), _describe_obs(obs))]
    if spec.kind == "type":
        return _compare_type(spec, obs, path)
    if spec.kind == "python":
        return _compare_python(spec.value, obs, path)
    if spec.kind in ("list", "tuple", "dict"):
        return _compare_structure(spec, obs, path, tol)
    return _compare_tensor(spec, obs, path, tol)


def _compare_type(spec: Spec, obs: dict, path: Steps) -> list[Mismatch]:
    observed = obs.get("type") or obs["kind"]
    if observed == spec.type_name:
        return []
    return [Mismatch(path, "kind", spec.type_name, observed)]


def _compare_python(expected: Any, obs: dict, path: Steps) -> list[Mismatch]:
    if obs["kind"] in ("list", "tuple") and isinstance(expected, list):
        if obs["kind"] == "list" and len(obs["items"]) == len(expected):
            found = []
            for i, (e, o) in enumerate(zip(expected, obs["items"])):
                found += _compare_python(e, o, path + (i,))
            return found
        return [Mismatch(path, "structure", expected, _describe_obs(obs))]
    if obs["kind"] != "python":
        return [Mismatch(path, "kind", f"python {type(expected).__name__}", _describe_obs(obs))]
    if obs["type"] != type(expected).__name__:
        return [
            Mismatch(
                path,
                "python",
                repr(expected),
                f"{obs['type']} {obs['value']!r}",
                "different Python types",
            )
        ]
    if _python_equal(expected, obs["value"]):
        return []
    return [Mismatch(path, "python", expected, obs["value"])]


def _python_equal(expected: Any, observed: Any) -> bool:
    if isinstance(expected, bytes):  # observed bytes are their UTF-8 text
        return encode_scalar(expected) == observed
    if isinstance(expected, float):
        observed = float(observed) if isinstance(observed, str) else observed
        return (math.isnan(expected) and math.isnan(observed)) or math.isclose(
            expected, observed, rel_tol=1e-9, abs_tol=0.0
        )
    return expected == observed


def _compare_structure(spec: Spec, obs: dict, path: Steps, tol: Tolerance) -> list[Mismatch]:
    if obs["kind"] != spec.kind:
        return [Mismatch(path, "structure", spec.kind, _describe_obs(obs))]
    if spec.kind == "dict":
        return _compare_dict(spec, obs, path, tol)
    if len(spec.items) != len(obs["items"]):
        return [
            Mismatch(
                path,
                "structure",
                f"{spec.kind} of {len(spec.items)}",
                f"{obs['kind']} of {len(obs['items'])}",
            )
        ]
    found: list[Mismatch] = []
    for i, (item, got) in enumerate(zip(spec.items, obs["items"])):
        found += compare_spec(item, got, path + (i,), tol)
    return found


def _compare_dict(spec: Spec, obs: dict, path: Steps, tol: Tolerance) -> list[Mismatch]:
    got = {key: value for key, value in obs["items"]}
    want = dict(spec.items)
    if set(got) != set(want):
        return [
            Mismatch(
                path, "structure", f"keys {sorted(map(str, want))}", f"keys {sorted(map(str, got))}"
            )
        ]
    found: list[Mismatch] = []
    for key, item in spec.items:
        found += compare_spec(item, got[key], path + (key,), tol)
    return found


def _compare_tensor(spec: Spec, obs: dict, path: Steps, tol: Tolerance) -> list[Mismatch]:
    if obs["kind"] != spec.kind:
        return [Mismatch(path, "kind", spec.kind, _describe_obs(obs))]
    found: list[Mismatch] = []
    if spec.dtype is not None and spec.dtype != obs["dtype"]:
        found.append(Mismatch(path, "dtype", spec.dtype, obs["dtype"]))
    if spec.shape is not None and list(spec.shape) != obs["shape"]:
        found.append(Mismatch(path, "shape", list(spec.shape), obs["shape"]))
    if spec.indices is not None and list(spec.indices) != obs.get("indices"):
        found.append(
            Mismatch(
                path,
                "value",
                list(spec.indices),
                obs.get("indices"),
                "IndexedSlices indices differ",
            )
        )
    if not spec.any_value and not any(m.field == "shape" for m in found):
        expected = values_to_array(spec.value, spec.dtype)
        found += _compare_values(expected, obs, path, tol.for_dtype(obs["dtype"], spec))
    return found


def _compare_values(
    expected: np.ndarray, obs: dict, path: Steps, tolerance: tuple[float, float]
) -> list[Mismatch]:
    if obs.get("capped"):
        return capped_mismatch(expected, obs, path, tolerance)
    observed = decode_array(obs["value"], obs["dtype"])
    if expected.shape != observed.shape:
        if expected.shape != ():
            return [
                Mismatch(
                    path,
                    "shape",
                    list(expected.shape),
                    list(observed.shape),
                    "the expected values have another shape",
                )
            ]
        expected = np.broadcast_to(expected, observed.shape)
    return value_mismatch(expected, observed, path, tolerance)


def value_mismatch(
    expected: np.ndarray, observed: np.ndarray, path: Steps, tolerance: tuple[float, float]
) -> list[Mismatch]:
    """A `value` mismatch when the arrays differ beyond `tolerance` (else [])."""
    rtol, atol = tolerance
    if expected.dtype == object or observed.dtype == object:
        bad = np.asarray(expected != observed, dtype=bool)
    else:
        bad = ~np.isclose(observed, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not bad.any():
        return []
    where = [tuple(int(i) for i in index) for index in np.argwhere(bad)] if bad.ndim else [()]
    first = where[0]
    detail = (
        f"{len(where)} of {bad.size} element(s) differ; first at {list(first)}: "
        f"expected {_element(expected[first])}, observed {_element(observed[first])} "
        f"(rtol={rtol:g}, atol={atol:g})"
    )
    elements = {
        "rtol": rtol,
        "atol": atol,
        "count": len(where),
        "size": int(bad.size),
        "shown": [
            [list(i), _element(expected[i]), _element(observed[i])] for i in where[:MAX_ELEMENTS]
        ],
    }
    return [Mismatch(path, "value", _short(expected), _short(observed), detail, elements)]


def _element(value: Any) -> Any:
    """One array element as JSON data (NaN, infinities and complex numbers as text)."""
    return encode_scalar(np.asarray(value).item())


def _short(array: np.ndarray) -> str:
    array = np.asarray(array)
    if array.ndim == 0:
        return repr(array.item())
    return np.array2string(array, threshold=20, precision=8, separator=", ")


def _compare_exception(raises: Raises | None, exc: dict | None) -> list[Mismatch]:
    if raises is None:
        if exc is None:
            return []
        return [
            Mismatch(
                ("exception",), "exception", "no exception", f"{exc['type']}: {exc['message']}"
            )
        ]
    if exc is None:
        return [Mismatch(("exception",), "exception", f"{raises.type} raised", "no exception")]
    found = []
    if raises.type not in exc["bases"]:
        found.append(
            Mismatch(("exception",), "exception_type", raises.type, exc["type"], exc["message"])
        )
    if raises.match is not None and not re.search(raises.match, exc["message"]):
        found.append(
            Mismatch(
                ("exception",),
                "exception_message",
                raises.match,
                exc["message"],
                "the message does not match the regular expression",
            )
        )
    return found


# Messages whose presence depends on what ran before in the process, not on the
# case: TF warns about retracing on the fifth retrace of a function anywhere.
HISTORY_DEPENDENT = (re.compile(r"triggered tf\.function retracing"),)


def history_dependent(message: str) -> bool:
    """Whether a logged message depends on the process's history (`HISTORY_DEPENDENT`):
    such messages are never a case's outcome, so no comparison of logs counts them."""
    return any(pattern.search(message) for pattern in HISTORY_DEPENDENT)


def _compare_logs(patterns: tuple[str, ...], logs: list[dict]) -> list[Mismatch]:
    logs = [record for record in logs if not history_dependent(record["message"])]
    found = []
    for pattern in patterns:
        if not any(re.search(pattern, record["message"]) for record in logs):
            found.append(
                Mismatch(
                    ("logs",),
                    "log",
                    pattern,
                    [record["message"] for record in logs] or "nothing logged",
                    "no logged message matches",
                )
            )
    return found


def _describe_spec(spec: Spec) -> str:
    return "None" if spec.kind == "none" else spec.kind


def _describe_obs(obs: dict) -> str:
    kind = obs["kind"]
    if kind == "none":
        return "None"
    if "dtype" in obs:
        value = (
            f"(summarized, {obs['capped'].get('elements')} elements)"
            if obs.get("capped")
            else _short(decode_array(obs["value"], obs["dtype"]))
        )
        return f"{kind} {obs['dtype']}{obs['shape']} {value}"
    if kind == "python":
        return f"{obs['type']} {obs['value']!r}"
    if kind in ("list", "tuple", "dict"):
        return f"{obs.get('type', kind)} of {len(obs['items'])}"
    return f"{obs.get('type', kind)} {obs['value']!r}" if "value" in obs else obs.get("type", kind)


# ----------------------------------------------------------- observation vs observation


def compare_observations(a: dict, b: dict, path: Steps, tol: Tolerance) -> list[Mismatch]:
    """Differences between two engines' observations of one value."""
    if a["kind"] != b["kind"]:
        field = "none" if "none" in (a["kind"], b["kind"]) else "kind"
        return [Mismatch(path, field, _describe_obs(a), _describe_obs(b))]
    kind = a["kind"]
    if kind in ("list", "tuple"):
        return _diverge_sequence(a, b, path, tol)
    if kind == "dict":
        return _diverge_dict(a, b, path, tol)
    if "dtype" in a:
        return _diverge_tensor(a, b, path, tol)
    if kind == "python":
        equal = a["type"] == b["type"] and _python_equal(a["value"], b["value"])
        return [] if equal else [Mismatch(path, "python", a["value"], b["value"])]
    if a.get("type") != b.get("type"):
        return [Mismatch(path, "kind", a.get("type"), b.get("type"))]
    if "value" in a and "value" in b and a["value"] != b["value"]:
        return [Mismatch(path, "value", a["value"], b["value"], f"the {a['type']} objects differ")]
    return []


def _diverge_sequence(a: dict, b: dict, path: Steps, tol: Tolerance) -> list[Mismatch]:
    if len(a["items"]) != len(b["items"]) or a.get("type") != b.get("type"):
        return [Mismatch(path, "structure", _describe_obs(a), _describe_obs(b))]
    found: list[Mismatch] = []
    for i, (x, y) in enumerate(zip(a["items"], b["items"])):
        found += compare_observations(x, y, path + (i,), tol)
    return found


def _diverge_dict(a: dict, b: dict, path: Steps, tol: Tolerance) -> list[Mismatch]:
    x, y = dict((k, v) for k, v in a["items"]), dict((k, v) for k, v in b["items"])
    if set(x) != set(y):
        return [Mismatch(path, "structure", sorted(map(str, x)), sorted(map(str, y)))]
    found: list[Mismatch] = []
    for key in x:
        found += compare_observations(x[key], y[key], path + (key,), tol)
    return found


def _diverge_tensor(a: dict, b: dict, path: Steps, tol: Tolerance) -> list[Mismatch]:
    found = []
    if a["dtype"] != b["dtype"]:
        found.append(Mismatch(path, "dtype", a["dtype"], b["dtype"]))
    if a["shape"] != b["shape"]:
        return found + [Mismatch(path, "shape", a["shape"], b["shape"])]
    if a.get("indices") != b.get("indices"):
        found.append(
            Mismatch(
                path, "value", a.get("indices"), b.get("indices"), "IndexedSlices indices differ"
            )
        )
    loosest = max(tol.for_dtype(a["dtype"]), tol.for_dtype(b["dtype"]))
    if a.get("capped") or b.get("capped"):
        return found + _summaries_differ(
            a.get("capped") or {}, b.get("capped") or {}, path, loosest
        )
    x, y = decode_array(a["value"], a["dtype"]), decode_array(b["value"], b["dtype"])
    return found + value_mismatch(x, y, path, loosest)


# ----------------------------------------------------- capped (large) observations

SUMMARY_FIELDS = ("nan", "inf", "neg_inf", "min", "max", "mean")


def capped_mismatch(
    expected: np.ndarray, obs: dict, path: Steps, tolerance: tuple[float, float]
) -> list[Mismatch]:
    """Expected values vs an observation too large to keep element by element.

    A scalar expectation holds for every element when the summary says so
    (no NaN/inf unless expected, min and max within tolerance of it); an
    array expectation is summarized the same way and compared by digest,
    then by summary and leading elements.
    """
    if expected.shape == ():
        expected = np.broadcast_to(expected, obs["shape"])
    if list(expected.shape) != obs["shape"]:
        return [
            Mismatch(
                path,
                "shape",
                list(expected.shape),
                obs["shape"],
                "the expected values have another shape",
            )
        ]
    if expected.dtype.kind in "biuf":
        expected = expected.astype(
            np.dtype(obs["dtype"]) if obs["dtype"] in np.sctypeDict else expected.dtype
        )
    return _summaries_differ(summarize_array(expected), obs["capped"], path, tolerance)


def _summaries_differ(
    a: dict, b: dict, path: Steps, tolerance: tuple[float, float]
) -> list[Mismatch]:
    if a.get("digest") and a.get("digest") == b.get("digest"):
        return []
    rtol, atol = tolerance
    for name in SUMMARY_FIELDS:
        x, y = a.get(name), b.get(name)
        same = x == y or (
            x is not None and y is not None and math.isclose(x, y, rel_tol=rtol, abs_tol=atol)
        )
        if not same:
            return [
                Mismatch(
                    path,
                    "value",
                    f"{name} {x}",
                    f"{name} {y}",
                    f"summarized: more than {CAPPED_ABOVE} elements (rtol={rtol:g}, atol={atol:g})",
                )
            ]
    head = (
        value_mismatch(
            decode_array(a.get("head", [])), decode_array(b.get("head", [])), path, tolerance
        )
        if len(a.get("head", [])) == len(b.get("head", []))
        else [Mismatch(path, "value", a.get("head"), b.get("head"), "leading elements differ")]
    )
    return [
        Mismatch(
            m.path,
            m.field,
            m.expected,
            m.observed,
            f"leading elements (summarized array): {m.detail}",
            m.elements,
        )
        for m in head
    ]


def compare_outcomes(a: dict, b: dict, tol: Tolerance) -> list[Mismatch]:
    """Divergences between two engines' outcomes of the same case.

    Compares every observed value, the exception type and the first line of
    its message (see `observe.summarize_message`). Logs are not compared:
    engines may log other, harmless things.
    """
    found: list[Mismatch] = []
    for name in sorted(set(a["values"]) | set(b["values"])):
        x, y = a["values"].get(name), b["values"].get(name)
        if x is None or y is None:
            found.append(
                Mismatch(
                    (name,),
                    "missing",
                    "assigned" if x else "not assigned",
                    "assigned" if y else "not assigned",
                )
            )
        else:
            found += compare_observations(x, y, (name,), tol)
    return found + _diverge_exception(a.get("exception"), b.get("exception"))


def _diverge_exception(x: dict | None, y: dict | None) -> list[Mismatch]:
    if x is None and y is None:
        return []
    if x is None or y is None:
        text = lambda e: "no exception" if e is None else f"{e['type']}: {e['message']}"
        return [Mismatch(("exception",), "exception", text(x), text(y))]
    found = []
    if x["type"] != y["type"]:
        found.append(Mismatch(("exception",), "exception_type", x["type"], y["type"]))
    if x.get("summary", x["message"]) != y.get("summary", y["message"]):
        found.append(
            Mismatch(
                ("exception",),
                "exception_message",
                x["message"],
                y["message"],
                "first lines differ, after removing tf.function decorations",
            )
        )
    return found
