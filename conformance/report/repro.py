"""Repro scripts: a standalone Python file that runs one case's program on one engine.

The script imports the engine's module as ``tf`` (``import tensorflow as tf``,
``import reference_impl as tf``, …), binds ``context`` like the harness does,
runs the program and prints every variable the case's expectation names, and
the exception if one was raised. It needs neither this package nor the case
file.

The HTML report builds the same text in the browser from `TEMPLATE` (sent
once per page) so that a 1,000-case page does not carry 1,000 scripts: both
sides substitute the ``@@NAME@@`` placeholders in one pass with the values
of `case_values`, `engine_values` and `context_values` (computed here, sent
as JSON) and the program indented by `INDENT`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from ..encoding import terminal

INDENT = "    "
PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
TEMPLATE = """\
# Repro of conformance case @@CASE@@ on engine @@ENGINE@@ (@@CONTEXT@@ context).
# Documented at: @@SOURCE@@
# Standalone: needs only the engine's module (and NumPy). Run it with: python repro.py
import contextlib
import os
import tempfile

import numpy as np


@contextlib.contextmanager
def quiet_startup():  # hides the start-up lines TF's C++ layer writes to stderr (oneDNN, CUDA)
    saved, sink = os.dup(2), tempfile.TemporaryFile()
    os.dup2(sink.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


with quiet_startup():
@@IMPORT@@
    if hasattr(getattr(tf, "config", None), "list_physical_devices"):
        tf.config.list_physical_devices()  # TF probes its devices now, quietly

@@CONTEXT_DEF@@

try:
@@PROGRAM@@
except Exception as exc:  # the case may expect this; its class and message are printed
    print(f"raised {type(exc).__name__}: {exc}")

for _name in @@NAMES@@:
    print(_name, "=", repr(globals().get(_name, "<not assigned>")))
"""
CONTEXT_DEFS = {
    "eager": "def context(fn):  # eager context: the program's functions run as written\n"
    "    return fn",
    "function": "context = tf.function  # function context: @context functions are traced",
    "xla": "import functools  # xla context: @context functions are compiled with XLA\n"
    "context = functools.partial(tf.function, jit_compile=True)",
}


def import_line(module: str | None, module_file: str | None = None) -> str:
    """The lines binding the engine's module as ``tf`` (indented: they sit in a ``with``)."""
    if not module or not all(part.isidentifier() for part in module.split(".")):
        return f"{INDENT}import tensorflow as tf  # replace with the module of the engine"
    if module_file:
        folder = str(Path(module_file).parent)
        return (
            f"{INDENT}import sys\n{INDENT}sys.path.insert(0, {folder!r})  "
            f"# the engine is a file there\n{INDENT}import {module} as tf"
        )
    return f"{INDENT}import {module} as tf"


def one_line(text: object) -> str:
    """`text` on one line (a newline in a case field must not leave the comment),
    control characters and lone surrogates escaped."""
    return terminal(" ".join(str(text).splitlines()))


def indent(program: str) -> str:
    """Every non-blank line of `program` indented by `INDENT` (so it sits inside ``try:``)."""
    lines = program.rstrip("\n").split("\n")
    return "\n".join(INDENT + line if line.strip() else "" for line in lines) or INDENT + "pass"


def case_values(case_id: str, source: str, names: Sequence[str]) -> dict[str, str]:
    """The placeholder values that depend on the case only."""
    return {"CASE": one_line(case_id), "SOURCE": one_line(source), "NAMES": json.dumps(list(names))}


def engine_values(
    engine: str, module: str | None, module_file: str | None = None
) -> dict[str, str]:
    """The placeholder values that depend on the engine only."""
    return {"ENGINE": one_line(engine), "IMPORT": import_line(module, module_file)}


def context_values(context: str) -> dict[str, str]:
    """The placeholder values that depend on the execution context only."""
    return {
        "CONTEXT": one_line(context),
        "CONTEXT_DEF": CONTEXT_DEFS.get(context, CONTEXT_DEFS["eager"]),
    }


def fill(values: dict[str, str], program: str) -> str:
    """`TEMPLATE` with every ``@@NAME@@`` replaced in one pass (values are not rescanned)."""
    values = {**values, "PROGRAM": indent(program)}
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), TEMPLATE)


def repro_script(
    case_id: str,
    program: str,
    engine: str,
    context: str,
    source: str,
    module: str | None,
    names: Sequence[str],
    module_file: str | None = None,
) -> str:
    """The full repro script (the same text the report shows)."""
    values = {
        **case_values(case_id, source, names),
        **engine_values(engine, module, module_file),
        **context_values(context),
    }
    return fill(values, program)
