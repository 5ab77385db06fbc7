"""Leaker cases: programs that change process state a later case depends on.

`LEAKERS` maps a leaker's name to its program and to the built-in cases it
disturbed before the harness restored state (chosen by running them after
the leaker without the isolation contract; each of them then got another
status or observation than alone). `matrix_file` writes one case file: first
every later case as it is (the reference: what it gets without any leaker),
then each leaker followed by copies of its later cases, so a single run
shows whether any result depends on what ran before it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"

GRADIENT = "gradients/sources-as-list"
FLOAT64 = "dtypes/float64-gradient-dtype"
SQRT = "special_points/sqrt-at-zero-is-inf"
NAN = "numerics/nan-input-stays-elementwise"
INT_WATCH = "none_gradients/watch-integer-tensor"
WARNS = "recording/gradient-inside-context-persistent-warns"
FUNCTION = "function/guide-add-example"
KERAS_DTYPE = "extra/keras-default-float-type"  # no built-in case reads Keras' floatx
CWD = "extra/working-directory-is-the-run-s"  # nor the working directory
EAGER_INSIDE = "extra/function-body-runs-as-graph"  # nor tf.executing_eagerly() in a function
NUMPY_METHODS = "extra/tensor-has-no-numpy-methods"  # no built-in case uses them
SAVEDMODEL = "custom_gradient/savedmodel-without-custom-gradients-same-process"
BATCH_JACOBIAN = "batch_jacobian/full-jacobian-shape-is-batch-outs-batch-ins"

EXTRA = {
    KERAS_DTYPE: {
        "id": "keras-default-float-type",
        "title": "Keras' default float type",
        "doc": "Keras' float type is float32 unless tf.keras.backend.set_floatx changed it.",
        "source": "https://www.tensorflow.org/api_docs/python/tf/keras/backend/floatx",
        "tags": ["leaker"],
        "basis": "observed",
        "observed_with": "2.21.0",
        "program": "floatx = tf.keras.backend.floatx()\n",
        "expect": {"floatx": {"python": "float32"}},
    },
    CWD: {
        "id": "working-directory-is-the-run-s",
        "title": "a case runs in the run's directory",
        "doc": "Relative paths in a program are relative to where the run started.",
        "source": "https://www.tensorflow.org/api_docs/python/tf/io/gfile/exists",
        "tags": ["leaker"],
        "program": "import os\nat_root = os.getcwd() == '/'\n",
        "expect": {"at_root": {"python": False}},
    },
    NUMPY_METHODS: {
        "id": "tensor-has-no-numpy-methods",
        "title": "tf.Tensor has no NumPy methods by default",
        "doc": "Without NumPy behavior, a tf.Tensor has no .reshape method.",
        "source": "https://www.tensorflow.org/api_docs/python/tf/experimental/numpy/"
        "experimental_enable_numpy_behavior",
        "tags": ["leaker"],
        "program": "has_reshape = hasattr(tf.ones([1]), 'reshape')\n",
        "expect": {"has_reshape": {"python": False}},
    },
    EAGER_INSIDE: {
        "id": "function-body-runs-as-graph",
        "title": "a tf.function body is traced, not eager",
        "doc": "Inside a tf.function, tf.executing_eagerly() is False.",
        "source": "https://www.tensorflow.org/api_docs/python/tf/executing_eagerly",
        "tags": ["leaker"],
        "contexts": ["function"],
        "program": "@context\ndef f():\n  return tf.executing_eagerly()\ninside = bool(f())\n",
        "expect": {"inside": {"python": False}},
    },
}

LEAKERS: dict[str, tuple[str, list[str]]] = {
    "run-functions-eagerly": ("tf.config.run_functions_eagerly(True)", [EAGER_INSIDE]),
    "gradient-tape-none": ("tf.GradientTape = None", [GRADIENT]),
    "numpy-float32-patched": ("np.float32 = np.float64", [FLOAT64, GRADIENT]),
    "sqrt-patched": ("tf.math.sqrt = lambda x, name=None: x\ntf.sqrt = tf.math.sqrt", [SQRT]),
    "eager-disabled": ("tf.compat.v1.disable_eager_execution()", [GRADIENT]),
    "check-numerics": ("tf.debugging.enable_check_numerics()", [NAN]),
    "numpy-seterr-raise": ("np.seterr(all='raise')", [SQRT, NAN]),
    "logging-disabled": ("import logging\nlogging.disable(logging.CRITICAL)", [INT_WATCH]),
    "tf-logger-disabled": (
        "import logging\nlogging.getLogger('tensorflow').disabled = True",
        [INT_WATCH],
    ),
    "recursion-limit": ("import sys\nsys.setrecursionlimit(80)", [GRADIENT]),
    "chdir": ("import os\nos.chdir('/')", [CWD, FUNCTION]),
    "numpy-behavior": (
        "tf.experimental.numpy.experimental_enable_numpy_behavior()",
        [NUMPY_METHODS],
    ),
    "keras-floatx": ("tf.keras.backend.set_floatx('float64')", [KERAS_DTYPE]),
    "sigalrm-itimer": (
        "import signal\n"
        "def _alarm(*args):\n  raise RuntimeError('alarm from an earlier case')\n"
        "signal.signal(signal.SIGALRM, _alarm)\n"
        "signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)",
        [GRADIENT],
    ),
    "chatty-thread": (
        "import threading, time, warnings\n"
        "def _chatter():\n  while True:\n    print('chatter')\n"
        "    warnings.warn('The dtype of the watched tensor must be floating')\n"
        "    time.sleep(0.005)\n"
        "threading.Thread(target=_chatter, daemon=True, name='chatter').start()\n"
        "time.sleep(0.05)",
        [GRADIENT, INT_WATCH],
    ),
    "absl-root-handler": (
        "from absl import logging as absl_logging\nabsl_logging.warning('a warning through absl')",
        [SAVEDMODEL],
    ),
    "retracing-history": (
        "x = tf.ones([2, 3])\nfor _ in range(2):\n"
        "  with tf.GradientTape() as t:\n    t.watch(x)\n    y = x * x\n"
        "  t.batch_jacobian(y, x)",
        [BATCH_JACOBIAN],
    ),
}


# Leakers that disturb only an engine without a reset hook of its own (the built-in
# tensorflow engine always cleared TF's counters; an engine forwarding to TF did not).
ENGINE_LEAKERS: dict[str, tuple[str, list[str]]] = {
    "tf-log-budget": (
        "i = tf.constant([1, 2])\nfor _ in range(6):\n"
        "  with tf.GradientTape() as g:\n    g.watch(i)",
        ["unconnected/zero-follows-source-dtype"],
    ),
}
ALL = {**LEAKERS, **ENGINE_LEAKERS}


def builtin_entries() -> dict[str, dict]:
    """Every built-in case as written, by full id (``file/id``)."""
    entries = {}
    for path in sorted(CASES.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text()) or []:
            entries[f"{path.stem}/{entry['id']}"] = entry
    return {**entries, **EXTRA}


def later_ids(names: list[str] | None = None) -> list[str]:
    """The distinct later cases of the chosen leakers, in a fixed order."""
    found: list[str] = []
    for name in names or list(LEAKERS):
        found += [i for i in ALL[name][1] if i not in found]
    return found


def _copy(entry: dict, new_id: str) -> dict:
    return {**entry, "id": new_id}


def leaker_case(name: str) -> dict:
    program = ALL[name][0]
    return {
        "id": f"leak-{name}",
        "title": f"leaker: {name}",
        "doc": "Changes process state that a later case depends on.",
        "source": "https://www.tensorflow.org/api_docs/python/tf/GradientTape",
        "tags": ["leaker"],
        "program": program + "\ndone = True\n",
        "expect": {"done": {"python": True}},
    }


def copy_id(name: str, later: str) -> str:
    """The id of `later`'s copy that runs right after leaker `name`."""
    return f"after-{name}--{later.replace('/', '--').replace('_', '-')}"


def reference_id(later: str) -> str:
    return f"alone--{later.replace('/', '--').replace('_', '-')}"


def matrix_file(directory: Path, names: list[str] | None = None) -> Path:
    """Write the matrix case file (see the module docstring) and return its path."""
    entries = builtin_entries()
    names = names or list(LEAKERS)
    cases = [_copy(entries[later], reference_id(later)) for later in later_ids(names)]
    for name in names:
        cases.append(leaker_case(name))
        cases += [_copy(entries[later], copy_id(name, later)) for later in ALL[name][1]]
    path = directory / "matrix.yaml"
    path.write_text(yaml.dump(cases, Dumper=_BlockDumper, sort_keys=False, width=100))
    return path


class _BlockDumper(yaml.SafeDumper):
    """Programs as ``|`` blocks, so their lines in the file are the source lines
    (tf.function's AutoGraph reads a function's source from the file)."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_BlockDumper.add_representer(str, _text)


def comparable(result: dict) -> tuple:
    """What must not depend on history: status, values, exception type and
    summary (the message names the file and line of the copy), logs, output."""
    outcome = result.get("outcome") or {}
    exception = outcome.get("exception") or {}
    # addresses and the numbers TF appends to generated function names count
    # process-wide and differ between any two runs; `logs:` patterns never match them
    logs = re.sub(r"0x[0-9a-f]+|(__inference_\w+?_)\d+", r"\1…", repr(outcome.get("logs")))
    return (
        result["status"],
        outcome.get("values"),
        exception.get("type"),
        exception.get("summary"),
        logs,
        outcome.get("output"),
        [(m["path"], m["field"]) for m in result.get("mismatches") or []],
    )


def disturbed(results: list[dict], names: list[str] | None = None) -> list[str]:
    """Every copy whose comparable result differs from its reference's, named
    ``leaker -> case [engine-context]``."""
    by_key = {(r["case"].rpartition("/")[2], r["engine"], r["context"]): r for r in results}
    found = []
    for name in names or list(LEAKERS):
        for later in ALL[name][1]:
            for (case, engine, context), result in by_key.items():
                if case != copy_id(name, later):
                    continue
                alone = by_key[(reference_id(later), engine, context)]
                if comparable(result) != comparable(alone):
                    found.append(f"{name} -> {later} [{engine}-{context}]")
    return found
