"""A divergence → a ready YAML case whose expectation is TensorFlow's outcome.

The expectation is written in the suite's expectation grammar
(`conformance.spec`) from the baseline's observation: tensors with dtype
and shape, ``null`` for None, IndexedSlices with their indices, list /
tuple / dict structures, and ``raises`` with the first line of the message
when TensorFlow raised. ``basis`` is ``observed`` with the TensorFlow
version; the title and doc are drafts for a person to finish.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from ..observe import decode_array
from .runner import Verdict, query_kinds

SOURCES = {
    "gradient": "https://www.tensorflow.org/api_docs/python/tf/GradientTape#gradient",
    "jacobian": "https://www.tensorflow.org/api_docs/python/tf/GradientTape#jacobian",
    "batch_jacobian": "https://www.tensorflow.org/api_docs/python/tf/GradientTape#batch_jacobian",
    "watched_variables": "https://www.tensorflow.org/api_docs/python/tf/GradientTape#watched_variables",
    "jvp": "https://www.tensorflow.org/api_docs/python/tf/autodiff/ForwardAccumulator#jvp",
}
TAGS = {
    "gradient": "gradients",
    "jacobian": "jacobian",
    "batch_jacobian": "batch-jacobian",
    "watched_variables": "watch",
    "jvp": "forward-mode",
}
DIGITS = {"float16": 5, "float32": 8, "complex64": 8}


def expectation_of(observation: dict) -> Any:
    """One observation (see `conformance.observe`) in the expectation grammar."""
    kind = observation["kind"]
    if kind == "none":
        return None
    if "dtype" in observation:
        return _tensor(observation)
    if kind == "python":
        value = observation["value"]
        return value if isinstance(value, (str, bool)) else {"python": value}
    if kind in ("list", "tuple"):
        return {kind: [expectation_of(item) for item in observation["items"]]}
    if kind == "dict":
        return {"dict": {key: expectation_of(item) for key, item in observation["items"]}}
    return {"type": observation.get("type", kind)}


def _tensor(obs: dict) -> dict:
    head = {
        "Tensor": "tensor",
        "Variable": "variable",
        "IndexedSlices": "indexed_slices",
        "ndarray": "ndarray",
    }[obs["kind"]]
    array = decode_array(obs["value"], obs["dtype"])
    # An empty tensor's values cannot be written as nested lists of its shape.
    values = "any" if array.size == 0 else _plain(array.tolist(), obs["dtype"])
    spec = {head: values, "dtype": obs["dtype"], "shape": list(obs["shape"])}
    if obs["kind"] == "IndexedSlices":
        spec["indices"] = list(obs["indices"])
    return spec


def _plain(value: Any, dtype: str) -> Any:
    if isinstance(value, list):
        return [_plain(v, dtype) for v in value]
    if isinstance(value, complex):
        return str(complex(_round(value.real, dtype), _round(value.imag, dtype))).strip("()")
    if isinstance(value, float):
        return _round(value, dtype)
    return value


def _round(value: float, dtype: str) -> float:
    if not math.isfinite(value) or dtype not in DIGITS:
        return value
    return float(f"{value:.{DIGITS[dtype]}g}")


def draft_case(verdict: Verdict, seed: int, engine: str, tf_version: str) -> dict:
    """The YAML mapping of a case pinning TensorFlow's outcome of `verdict`'s program."""
    from .render import render

    outcome = verdict.results[0].outcome or {}
    kinds = query_kinds(verdict.program)
    main = _main_kind(verdict, kinds)
    case: dict[str, Any] = {
        "id": case_id(verdict),
        "title": draft_title(verdict, kinds, main),
        "doc": draft_doc(verdict, seed, engine, tf_version),
        "source": SOURCES.get(main, SOURCES["gradient"]),
        "basis": "observed",
        "observed_with": tf_version,
        "tags": sorted({"fuzz", TAGS.get(main, "gradients")}),
        "program": render(verdict.program),
    }
    values = {name: expectation_of(obs) for name, obs in outcome.get("values", {}).items()}
    if values:
        case["expect"] = values
    if outcome.get("exception"):
        case["raises"] = raises_of(outcome["exception"], verdict.program.context)
    if verdict.program.context != "eager":
        case["contexts"] = [verdict.program.context]
    return case


def raises_of(exc: dict, context: str) -> dict:
    """The `raises` of an observed exception. In a tf.function TF's message
    starts with "in user code:" and ends with the summary, so only an eager
    message is anchored."""
    anchor = "^" if context == "eager" else ""
    return {"type": exc["type"], "match": anchor + re.escape(exc["summary"])}


def _main_kind(verdict: Verdict, kinds: dict[str, str]) -> str:
    for m in verdict.mismatches:
        root = str(m.path[0])
        if root in kinds:
            return kinds[root]
    return next(iter(kinds.values()), "gradient")


def case_id(verdict: Verdict) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", verdict.signature.lower()).strip("-")[:70].strip("-")
    return f"fuzz-{slug or 'divergence'}-{verdict.index}"


def draft_title(verdict: Verdict, kinds: dict[str, str], main: str) -> str:
    outcome = verdict.results[0].outcome or {}
    where = "in a tf.function" if verdict.program.context == "function" else "eagerly"
    if outcome.get("exception"):
        return f"{main} raises {outcome['exception']['type']} {where} (fuzz-found; draft title)"
    paths = sorted({str(m.path[0]) for m in verdict.mismatches})
    return (
        f"{main}: TensorFlow's {', '.join(paths)} {where} differs from another engine's "
        "(fuzz-found; draft title)"
    )


def draft_doc(verdict: Verdict, seed: int, engine: str, tf_version: str) -> str:
    lines = [
        f"Found by `conformance fuzz --engine {engine} --seed {seed}` (program "
        f"#{verdict.index}) and shrunk; the expectation is what TensorFlow {tf_version} "
        f"did. {engine} differed:"
    ]
    lines += [
        f"- {m.where} {m.field}: TensorFlow {_brief(m.expected)}, {engine} {_brief(m.observed)}"
        for m in verdict.mismatches[:6]
    ]
    lines.append(
        "Draft: name the documented behavior this pins down before moving it into a topic file."
    )
    return "\n".join(lines) + "\n"


def _brief(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 160 else text[:160] + "…"


def write_cases(cases: list[dict], path: Path) -> Path:
    """Write `cases` as one case file (a YAML list) at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(
        cases,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=None,
    )
    path.write_text(
        "# Cases drafted by `conformance fuzz`: each pins TensorFlow's outcome of a\n"
        "# shrunk program on which another engine differed. Review, then move them\n"
        "# into the topic files under cases/.\n" + text,
        encoding="utf-8",
    )
    return path


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line strings (programs, docs) as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
