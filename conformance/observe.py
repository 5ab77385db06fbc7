"""Engine values → engine-neutral, JSON-serializable observations.

An observation is a small dict:

* ``{"kind": "none"}``
* ``{"kind": "Tensor" | "Variable" | "IndexedSlices" | "ndarray", "dtype": "float32",
  "shape": [2], "value": [1.0, "nan"]}`` (IndexedSlices add ``"indices"``);
  NaN and infinities are the strings ``"nan"``, ``"inf"``, ``"-inf"`` and
  complex numbers strings like ``"(1+2j)"``, so the record is strict JSON;
* ``{"kind": "python", "type": "str", "value": "weight:0"}`` (``bytes``, such as
  ``tf.constant("abc").numpy()``, have ``"type": "bytes"`` and their UTF-8 text);
* ``{"kind": "list" | "tuple", "items": [...]}`` (a namedtuple adds ``"type"``);
* ``{"kind": "dict", "items": [[key, observation], ...]}`` (keys in order);
* ``{"kind": "object", "type": "DType", "repr": "tf.float32", "value": "float32"}``
  for anything else; TF's descriptive API objects (TensorShape, TensorSpec,
  DType: see `Engine.api_object_value`) add an engine-neutral ``"value"``.

Observations are bounded where they are made (in the worker), so neither the
parent's memory nor the record grows with what a case returns:

* an array of more than `MAX_ELEMENTS` elements keeps ``dtype`` and ``shape``
  but its ``value`` is None and ``capped`` holds a summary: ``elements``,
  ``digest`` (SHA-256 of its bytes), ``min``, ``max``, ``mean``, counts of
  ``nan``/``inf``/``-inf``, and its first `HEAD` elements (``head``);
  comparisons use the digest and the summary (`compare`);
* a string keeps its first `MAX_TEXT` characters (``truncated``: its length);
* a list, tuple or dict keeps its first `MAX_ITEMS` items (``truncated``: the
  number of items);
* an integer of more than `encoding.MAX_INT_DIGITS` digits is its digits
  summarized as text (`encoding.big_int_text`).
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from .encoding import MAX_INT_DIGITS, big_int_text
from .engines.base import Engine

PYTHON_SCALARS = (bool, int, float, str, complex, bytes)  # bytes: as UTF-8 text
MAX_REPR = 300
MAX_ELEMENTS = 10_000
HEAD = 16
MAX_TEXT = 10_000
MAX_ITEMS = 1_000


def observe(value: Any, engine: Engine, depth: int = 0) -> dict:
    """Describe `value` (produced by `engine`) as an observation dict."""
    if value is None:
        return {"kind": "none"}
    kind = engine.kind_of(value)
    if kind is not None:
        return _tensor(kind, value, engine)
    if isinstance(value, (np.ndarray, np.generic)):
        return _array("ndarray", np.asarray(value))
    if isinstance(value, PYTHON_SCALARS):
        return _python(value)
    api = engine.api_object_value(value)  # before structures: a TensorShape may be a tuple
    if api is None and depth < 20 and isinstance(value, (list, tuple, dict)):
        return _structure(value, engine, depth + 1)
    return {
        "kind": "object",
        "type": type(value).__name__,
        "repr": _short_repr(value),
        **(api or {}),
    }


def _python(value: Any) -> dict:
    obs = {"kind": "python", "type": type(value).__name__, "value": encode_scalar(value)}
    if isinstance(value, str) and len(value) > MAX_TEXT:
        obs["value"], obs["truncated"] = value[:MAX_TEXT], len(value)
    return obs


def _tensor(kind: str, value: Any, engine: Engine) -> dict:
    obs = _array(kind, engine.to_numpy(value), engine.dtype_of(value))
    if kind == "IndexedSlices":
        _, indices = engine.slices_of(value)
        obs["indices"] = np.asarray(indices).tolist()
    return obs


def _array(kind: str, array: np.ndarray, dtype: str | None = None) -> dict:
    dtype = dtype or _numpy_dtype_name(array)
    obs = {"kind": kind, "dtype": dtype, "shape": list(array.shape)}
    if array.size > MAX_ELEMENTS:
        obs["value"], obs["capped"] = None, summarize_array(array)
    else:
        obs["value"] = encode_array(array)
    return obs


def summarize_array(array: np.ndarray) -> dict:
    """What a capped observation keeps of a large array (see the module doc)."""
    array = np.ascontiguousarray(array)
    flat = array.reshape(-1)
    summary = {
        "elements": int(array.size),
        "digest": _digest(array),
        "head": encode_array(flat[:HEAD]),
    }
    if array.dtype.kind in "biuf" and array.size:
        numbers = flat.astype(np.float64)
        finite = numbers[np.isfinite(numbers)]
        summary.update(
            nan=int(np.isnan(numbers).sum()),
            inf=int(np.isposinf(numbers).sum()),
            neg_inf=int(np.isneginf(numbers).sum()),
        )
        if finite.size:
            summary.update(
                min=float(finite.min()), max=float(finite.max()), mean=float(finite.mean())
            )
    return summary


def _digest(array: np.ndarray) -> str:
    import hashlib

    if array.dtype.kind in "OSU":
        data = repr(array.tolist()[:MAX_ELEMENTS]).encode("utf-8", "backslashreplace")
    else:
        data = array.tobytes()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _numpy_dtype_name(array: np.ndarray) -> str:
    if array.dtype.kind in "SUO":
        return "string"
    return array.dtype.name


def _structure(value: Any, engine: Engine, depth: int) -> dict:
    if isinstance(value, dict):
        items = list(value.items())
        obs = {
            "kind": "dict",
            "items": [[_key(k), observe(v, engine, depth)] for k, v in items[:MAX_ITEMS]],
        }
    else:
        obs = {
            "kind": "list" if isinstance(value, list) else "tuple",
            "items": [observe(v, engine, depth) for v in value[:MAX_ITEMS]],
        }
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            obs["type"] = type(value).__name__
    if len(value) > MAX_ITEMS:
        obs["truncated"] = len(value)
    return obs


def _key(key: Any) -> Any:
    return key if isinstance(key, (str, int, bool)) else repr(key)


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ must not stop the run
        text = f"<repr failed: {type(exc).__name__}>"
    return text if len(text) <= MAX_REPR else text[:MAX_REPR] + "…"


def encode_array(array: np.ndarray) -> Any:
    """A NumPy array → nested lists of JSON-safe scalars."""
    if array.dtype.kind in "SUO":
        return np.vectorize(_text, otypes=[object])(array).tolist() if array.size else []
    return _map_nested(array.tolist(), encode_scalar)


def encode_scalar(value: Any) -> Any:
    """One scalar → JSON-safe: NaN/inf and complex numbers become strings."""
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value.bit_length() > MAX_INT_DIGITS * 3
    ):
        return big_int_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, complex):
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, bytes):
        return _text(value)
    return value


def decode_array(value: Any, dtype: str | None = None) -> np.ndarray:
    """The inverse of `encode_array` for numeric values (strings stay objects)."""
    if dtype == "string":
        return np.array(value, dtype=object)
    decoded = _map_nested(value, _decode_scalar)
    return np.array(decoded)


def _decode_scalar(value: Any) -> Any:
    if isinstance(value, str):
        if value in ("nan", "inf", "-inf"):
            return float(value)
        return complex(value.replace(" ", ""))
    return value


def _text(value: Any) -> str:
    return value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else str(value)


def _map_nested(value: Any, fn: Any) -> Any:
    if isinstance(value, list):
        return [_map_nested(v, fn) for v in value]
    return fn(value)


def describe_exception(exc: BaseException) -> dict:
    """An exception → its class name, base class names and message."""
    bases = [cls.__name__ for cls in type(exc).__mro__ if cls not in (object, BaseException)]
    message = stable_message(_exception_message(exc))[:MAX_TEXT]
    return {
        "type": type(exc).__name__,
        "bases": bases,
        "module": type(exc).__module__,
        "message": message,
        "summary": summarize_message(message),
    }


_FUNCTION_NODE = re.compile(r"^\{\{function_node [^}]*\}\}\s*")
_FUNCTION_ATTRIBUTES = re.compile(r"(__inference_[\w#]+)\[_XlaMustCompile=[^\]]*\]")
# TF names each traced function with a process-wide counter (__inference_f_88).
_TRACED_NAME = re.compile(r"\b(__(?:inference|forward|backward)_\w*?)_\d+\b")


# Python's default repr names an object by its address (<function f at 0x7f3a...>).
_ADDRESS = re.compile(r"(\bat )0x[0-9a-fA-F]+\b")


def stable_message(message: str) -> str:
    """`message` with what depends on the process rather than the case written ``#``:
    TF's traced-function counters (``__inference_f_#``) and object addresses in
    reprs (``<function f at 0x#>``)."""
    return _ADDRESS.sub(r"\g<1>0x#", _TRACED_NAME.sub(r"\1_#", message))


def summarize_message(message: str) -> str:
    """The part of an error message engines can be compared on.

    TF decorates errors raised inside tf.function ("in user code: ... File
    ... Type: message") and prefixes op errors with the graph function and
    device ("{{function_node __wrapped__Mul_device_/job:localhost/...}}"),
    and XLA names the graph with its attributes and config hashes
    ("__inference_f_#[_XlaMustCompile=true,config_proto=...]").
    Those are not AD semantics; the summary is the first line of what is
    left.
    """
    text = message.strip()
    if text.startswith("in user code:"):
        last = text.rsplit("\n\n", 1)[-1].strip()
        text = last.split(": ", 1)[1] if re.match(r"^\w+: ", last) else last
    text = _FUNCTION_ATTRIBUTES.sub(r"\1", _FUNCTION_NODE.sub("", text))
    return text.splitlines()[0].strip() if text else ""


def _exception_message(exc: BaseException) -> str:
    # TF's OpError carries the plain text in .message; str() may add context.
    message = getattr(exc, "message", None)
    if isinstance(message, str):
        return message
    try:
        return str(exc)
    except Exception as error:  # a broken __str__ is still an exception to report
        return f"<unprintable message: {type(error).__name__}>"
