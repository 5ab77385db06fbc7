"""Coverage of the public differentiable TensorFlow API by the op table.

`generate` (needs TensorFlow) lists every public function of ``tf``,
``tf.math``, ``tf.nn``, ``tf.linalg``, ``tf.signal`` and ``tf.image``
(one row per function object; other public names of it are aliases), finds
the raw ops it reaches and keeps those that reach an op with a registered
gradient (``ops._gradient_registry``; ``NotDifferentiable`` registrations do
not count). The ops of an API in the table come from tracing its first
sample with ``tf.function``; for the others they are read from the source:
the ``gen_*_ops`` calls of the function and of the ``*_ops`` functions it
calls, two levels deep. Each row is ``covered`` or ``excluded`` with a
reason. The result ships as ``coverage-<version>.json`` so ``conformance
coverage --suite ops`` shows it without TensorFlow:
``python -m conformance.optable.api_coverage`` regenerates it.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any, TextIO

from .baseline import DEFAULT_VERSION

MODULES = ("tf", "tf.math", "tf.math.special", "tf.nn", "tf.linalg", "tf.signal", "tf.image")
COVERAGE_FILE = Path(__file__).parent / f"coverage-{DEFAULT_VERSION}.json"
_GEN_CALL = re.compile(r"\b(gen_\w+_ops)\.(\w+)\(")
_OPS_CALL = re.compile(r"\b(\w+_ops|nn|math_ops|array_ops)\.(\w+)\(")
_OP_NAME = re.compile(
    r"(?:_apply_op_helper|TFE_Py_FastPathExecute)\(\s*(?:_ctx,\s*)?[\"'](\w+)[\"']"
)

# (substring of the name, reason) — first match wins; the rest is "not yet in the table"
REASONS = [
    (
        (
            "argmax",
            "argmin",
            "bincount",
            "confusion_matrix",
            "sequence_mask",
            "histogram",
            "matrix_rank",
            "unique",
            "collapse_repeated",
            "zero_fraction",
            "non_max_suppression",
            "truncatediv",
            "ctc_unique_labels",
        ),
        "integer or boolean output: nothing to differentiate",
    ),
    (
        ("_window", "linear_to_mel_weight_matrix"),
        "no floating input (a window or matrix built from integer sizes)",
    ),
    (
        (
            "random",
            "dropout",
            "sampled_softmax",
            "nce_loss",
            "fractional_",
            "sample_distorted",
            "log_uniform",
            "uniform_candidate",
            "candidate_sampler",
            "shuffle",
        ),
        "random: the output is a sample, not a function of the inputs",
    ),
    (
        ("sparse", "ragged", "indexed_slices"),
        "sparse or ragged inputs (the table uses dense tensors)",
    ),
    (
        (
            "cond",
            "while_loop",
            "case",
            "switch_case",
            "map_fn",
            "scan",
            "foldl",
            "foldr",
            "vectorized_map",
            "py_function",
            "numpy_function",
            "custom_gradient",
            "recompute_grad",
            "gradients",
            "hessians",
            "stop_gradient",
            "function",
            "autograph",
            "group",
            "tuple",
            "control_dependencies",
            "no_op",
            "init_scope",
            "name_scope",
            "device",
        ),
        "control flow or AD machinery: covered by the behavior corpus, not a per-op rule",
    ),
    (("quantize", "fake_quant", "dequantize"), "quantization: integer outputs"),
    (
        ("variable", "assign", "scatter_update", "scatter_add", "scatter_sub"),
        "stateful (variables): covered by the behavior corpus",
    ),
    (
        ("print", "assert", "check_", "debugging", "summary", "experimental"),
        "debugging or experimental API",
    ),
]


def load_coverage(path: Path = COVERAGE_FILE) -> dict:
    """The shipped coverage table ({} when absent)."""
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def public_functions(tf: Any) -> dict[str, list[str]]:
    """Function object's first public name → every public name of it, module by module."""
    seen: dict[int, list[str]] = {}
    for module_name in MODULES:
        module = tf if module_name == "tf" else _resolve(tf, module_name)
        for name in sorted(dir(module)):
            obj = getattr(module, name, None)
            if (
                name.startswith("_")
                or not callable(obj)
                or inspect.isclass(obj)
                or inspect.ismodule(obj)
            ):
                continue
            seen.setdefault(id(obj), []).append(f"{module_name}.{name}")
    return {names[0]: names for names in seen.values()}


def _resolve(tf: Any, dotted: str) -> Any:
    obj = tf
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def source_ops(fn: Any, depth: int = 2) -> set[str]:
    """Raw op types `fn` reaches, read from its source (see the module docstring)."""
    try:
        fn = inspect.unwrap(fn)
        source = inspect.getsource(fn)
        module = sys.modules.get(fn.__module__)
    except (TypeError, OSError):
        return set()
    found = (
        set(_OP_NAME.findall(source)) if fn.__module__.split(".")[-1].startswith("gen_") else set()
    )
    for module_name, attr in _GEN_CALL.findall(source):
        target = getattr(getattr(module, module_name, None), attr, None)
        if target is not None:
            found |= source_ops(target, 0)
    if depth > 0:
        for module_name, attr in _OPS_CALL.findall(source):
            target = getattr(getattr(module, module_name, None), attr, None)
            if callable(target) and target is not fn:
                found |= source_ops(target, depth - 1)
    return found


def traced_ops(tf: Any, entry: Any) -> set[str]:
    """Op types in the graph of `entry`'s first sample (float32 or its first dtype)."""
    from .probe import Group

    dtype = "float32" if "float32" in entry.dtypes else entry.dtypes[0]
    group = Group(tf, f"{entry.id}/{entry.samples[0].name}/{dtype}")
    graph = tf.function(lambda: group.outputs(group.inputs())).get_concrete_function().graph
    return {op.type for op in graph.get_operations()}


def generate(tf: Any) -> dict:
    """The coverage table of the public differentiable API (needs TensorFlow)."""
    from tensorflow.python.framework import ops as tf_ops

    registry = tf_ops._gradient_registry._registry
    with_grad = {name for name, item in registry.items() if item["type"] is not None}
    from .registry import entries

    table = {entry.api: entry for entry in entries().values()}
    rows, undetermined, functions = [], [], public_functions(tf)
    for name, aliases in sorted(functions.items()):
        entry = next((table[a] for a in aliases if a in table), None)
        ops = _ops_of(tf, entry, _resolve(tf, name))
        differentiable = sorted(ops & with_grad)
        if not ops and entry is None:
            undetermined.append(name)
        if differentiable or entry is not None:
            rows.append(_row(name, aliases, sorted(ops), differentiable, entry))
    return {
        "tf_version": tf.__version__,
        "modules": list(MODULES),
        "gradient_ops": len(with_grad),
        "public_functions": len(functions),
        "public_names": sum(map(len, functions.values())),
        "rows": rows,
        "undetermined": undetermined,
    }


def _ops_of(tf: Any, entry: Any, fn: Any) -> set[str]:
    if entry is not None:
        try:
            return traced_ops(tf, entry)
        except Exception:
            return source_ops(fn)
    return source_ops(fn)


def _row(
    name: str, aliases: list[str], ops: list[str], differentiable: list[str], entry: Any
) -> dict:
    row = {"api": name, "aliases": aliases[1:], "ops": ops, "gradient_ops": differentiable}
    if entry is not None:
        row.update(status="covered", entry=entry.id)
    else:
        row.update(status="excluded", reason=_reason(name))
    return row


def _reason(name: str) -> str:
    short = name.rsplit(".", 1)[-1].lower()
    for needles, reason in REASONS:
        if any(needle in short for needle in needles):
            return reason
    return "not yet in the table"


def counts(coverage: dict) -> dict:
    """covered / excluded per reason / total."""
    rows = coverage.get("rows", [])
    reasons: dict[str, int] = {}
    for row in rows:
        if row["status"] == "excluded":
            reasons[row["reason"]] = reasons.get(row["reason"], 0) + 1
    covered = sum(row["status"] == "covered" for row in rows)
    return {
        "total": len(rows),
        "covered": covered,
        "excluded": dict(sorted(reasons.items(), key=lambda item: -item[1])),
    }


def print_coverage(coverage: dict, out: TextIO, show_rows: bool = True) -> int:
    """The ``conformance coverage --suite ops`` listing; 1 when there is no table."""
    if not coverage:
        print("no op-table coverage file; run python -m conformance.optable.api_coverage", file=out)
        return 1
    summary = counts(coverage)
    names = sum(1 + len(row["aliases"]) for row in coverage["rows"])
    print(
        f"op table: {summary['covered']} of {summary['total']} public differentiable "
        f"functions ({names} public names) of {', '.join(coverage['modules'])} covered "
        f"(TF {coverage['tf_version']}, {coverage['gradient_ops']} ops with a registered "
        f"gradient)",
        file=out,
    )
    for reason, n in summary["excluded"].items():
        print(f"  excluded, {reason}: {n}", file=out)
    undetermined = coverage.get("undetermined", [])
    print(
        f"  ({len(undetermined)} other public functions: no op found in their source, so "
        f"not counted; see 'undetermined' in the coverage file)",
        file=out,
    )
    if show_rows:
        for row in coverage["rows"]:
            what = row.get("entry") if row["status"] == "covered" else row["reason"]
            aliases = f" (= {', '.join(row['aliases'])})" if row["aliases"] else ""
            print(
                f"{row['status']:>8}  {row['api']}{aliases}: {what}; ops "
                f"{', '.join(row['gradient_ops']) or '-'}",
                file=out,
            )
    return 0


def main() -> int:
    import tensorflow as tf

    coverage = generate(tf)
    COVERAGE_FILE.write_text(json.dumps(coverage, indent=1) + "\n", encoding="utf-8")
    print_coverage(coverage, sys.stdout, show_rows=False)
    print(f"wrote {COVERAGE_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
