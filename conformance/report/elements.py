"""Element-wise detail for value mismatches, so a report shows *which* elements differ.

`compare` says "3 of 6 element(s) differ" with the first one; the report wants
each differing element (up to `MAX_ELEMENTS`) with expected and observed value
and the tolerance used. `add_element_details` walks a record's mismatches of
field ``value``, finds the expectation node and the observation(s) their path
names (``grads[1]``, ``by_name['w']``), and adds an ``elements`` entry.
"""

from __future__ import annotations

import ast
import re
from typing import Any, Mapping

import numpy as np

from ..case import Case
from ..compare import Tolerance
from ..observe import decode_array, encode_scalar
from ..spec import Spec, values_to_array

MAX_ELEMENTS = 12
_STEP = re.compile(r"\[((?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\]])*)\]")


def add_element_details(record: dict, cases: Mapping[str, Case],
                        tf_versions: Mapping[str, str | None]) -> None:
    """Add ``elements`` to every value mismatch of `record` that can be located."""
    for result in record["results"]:
        case = cases.get(result["case"])
        if case is None or not result.get("outcome"):
            continue
        expectation = case.expectation_for(tf_versions.get(result["engine"]))
        tol = Tolerance(case.rtol, case.atol)
        for mismatch in result["mismatches"]:
            if _is_value(mismatch):
                _judged(mismatch, expectation.values, result["outcome"]["values"], tol)
    outcomes = {(r["case"], r["engine"], r["context"]): r.get("outcome")
                for r in record["results"]}
    for divergence in record["divergences"]:
        case = cases.get(divergence["case"])
        tol = Tolerance(case.rtol, case.atol) if case else Tolerance()
        base = outcomes.get((divergence["case"], divergence["baseline"], divergence["context"]))
        other = outcomes.get((divergence["case"], divergence["engine"], divergence["context"]))
        for mismatch in divergence["mismatches"]:
            if base and other and _is_value(mismatch):
                _diverged(mismatch, base["values"], other["values"], tol)


def _is_value(mismatch: dict) -> bool:
    return mismatch["field"] == "value" and "indices" not in (mismatch.get("detail") or "")


def split_path(path: str) -> tuple[str, list[Any]] | None:
    """``"g[1]['w']"`` → ``("g", [1, "w"])``; None when the path is not of that form."""
    name, _, rest = path.partition("[")
    rest = "[" + rest if rest else ""
    steps, position = [], 0
    for match in _STEP.finditer(rest):
        if match.start() != position:
            return None
        try:
            steps.append(ast.literal_eval(match.group(1)))
        except (ValueError, SyntaxError):
            return None
        position = match.end()
    return (name, steps) if position == len(rest) else None


def _spec_at(spec: Spec, steps: list[Any]) -> Spec | None:
    for step in steps:
        if spec.kind in ("list", "tuple") and isinstance(step, int) and step < len(spec.items):
            spec = spec.items[step]
        elif spec.kind == "dict":
            spec = dict(spec.items).get(step)
            if spec is None:
                return None
        else:
            return None
    return spec


def _obs_at(obs: dict | None, steps: list[Any]) -> dict | None:
    for step in steps:
        if obs is None:
            return None
        if obs["kind"] in ("list", "tuple") and isinstance(step, int) and step < len(obs["items"]):
            obs = obs["items"][step]
        elif obs["kind"] == "dict":
            obs = dict((k, v) for k, v in obs["items"]).get(step)
        else:
            return None
    return obs


def _judged(mismatch: dict, specs: Mapping[str, Spec], values: dict, tol: Tolerance) -> None:
    located = split_path(mismatch["path"])
    if located is None or located[0] not in specs:
        return
    name, steps = located
    spec, obs = _spec_at(specs[name], steps), _obs_at(values.get(name), steps)
    if spec is None or obs is None or not spec.is_tensor or spec.any_value or "dtype" not in obs \
            or obs.get("capped"):
        return
    expected = values_to_array(spec.value, spec.dtype)
    observed = decode_array(obs["value"], obs["dtype"])
    if expected.shape == () and observed.shape != ():
        expected = np.broadcast_to(expected, observed.shape)
    _attach(mismatch, expected, observed, tol.for_dtype(obs["dtype"], spec))


def _diverged(mismatch: dict, base: dict, other: dict, tol: Tolerance) -> None:
    located = split_path(mismatch["path"])
    if located is None:
        return
    name, steps = located
    a, b = _obs_at(base.get(name), steps), _obs_at(other.get(name), steps)
    if not a or not b or "dtype" not in a or "dtype" not in b or a.get("capped") \
            or b.get("capped"):
        return
    loosest = max(tol.for_dtype(a["dtype"]), tol.for_dtype(b["dtype"]))
    _attach(mismatch, decode_array(a["value"], a["dtype"]),
            decode_array(b["value"], b["dtype"]), loosest)


def _attach(mismatch: dict, expected: np.ndarray, observed: np.ndarray,
            tolerance: tuple[float, float]) -> None:
    if expected.shape != observed.shape or object in (expected.dtype, observed.dtype):
        return
    rtol, atol = tolerance
    try:
        bad = ~np.isclose(observed, expected, rtol=rtol, atol=atol, equal_nan=True)
    except TypeError:  # e.g. bool vs number: nothing element-wise to add
        return
    where = [tuple(int(i) for i in index) for index in np.argwhere(np.atleast_1d(bad))]
    if expected.ndim == 0:
        where = [()] if bool(bad) else []
    mismatch["elements"] = {
        "rtol": rtol, "atol": atol, "count": len(where), "size": int(expected.size),
        "shown": [[list(i), _scalar(expected[i]), _scalar(observed[i])]
                  for i in where[:MAX_ELEMENTS]]}


def _scalar(value: Any) -> Any:
    item = np.asarray(value).item()
    return encode_scalar(item)
