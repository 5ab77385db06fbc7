"""Run one case program on one engine and capture what it did.

The program runs in a fresh namespace with ``tf`` bound to the engine's
namespace, ``np`` to NumPy and ``context`` to the execution-context wrapper
(identity when eager, ``tf.function`` in the ``function`` context,
``tf.function(jit_compile=True)`` in the ``xla`` context). It is
compiled with the case file's name and its real line numbers, so a traceback
points into the YAML file. While it runs, Python warnings, records of TF's
Python logger (``logging.getLogger("tensorflow")``) and stdout/stderr are
captured, so nothing leaks into the next case.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .case import Case
from .engines.base import Engine

CAPTURED_LOGGERS = ("tensorflow", "absl")
MAX_OUTPUT = 4000
MAX_LOGS = 100  # log records kept per case
MAX_LOG_MESSAGE = 4000  # characters kept of one log message


@dataclass
class Execution:
    """What one program run left behind (raw engine objects, not yet observed)."""

    values: dict[str, Any] = field(default_factory=dict)
    exception: BaseException | None = None
    logs: list[dict] = field(default_factory=list)
    output: str = ""
    seconds: float = 0.0


def execute(case: Case, engine: Engine, context: str = "eager") -> Execution:
    """Run `case`'s program on `engine` in `context` and capture its effects."""
    namespace = {
        "__name__": "__case__",
        "tf": engine.namespace,
        "np": np,
        "context": context_wrapper(engine, context),
    }
    code = compile("\n" * (case.program_line - 1) + case.program, case.path, "exec")
    run = Execution()
    started = time.perf_counter()
    with _captured(run):
        try:
            exec(code, namespace)
        except (Exception, SystemExit) as exc:  # the program's own failure is data
            run.exception = exc
    run.seconds = time.perf_counter() - started
    run.values = {name: namespace[name] for name in case.observed_names if name in namespace}
    return run


def context_wrapper(engine: Engine, context: str) -> Callable[[Callable], Callable]:
    """The decorator bound as ``context``: identity, the engine's tf.function, or
    (``xla``) its ``tf.function(jit_compile=True)``."""
    if context == "function":
        return engine.namespace.function
    if context == "xla":
        return functools.partial(engine.namespace.function, jit_compile=True)
    return lambda fn: fn


@contextlib.contextmanager
def _captured(run: Execution) -> Iterator[None]:
    handler = _ListHandler(run.logs)
    out = io.StringIO()
    with (
        warnings.catch_warnings(record=True) as caught,
        _logger_captured(handler),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(out),
    ):
        warnings.simplefilter("always")
        try:
            yield
        finally:
            run.logs += [
                {
                    "source": "warnings",
                    "level": w.category.__name__,
                    "message": str(w.message)[:MAX_LOG_MESSAGE],
                }
                for w in caught
            ]
            del run.logs[MAX_LOGS:]
            run.output = out.getvalue()[:MAX_OUTPUT]


@contextlib.contextmanager
def _logger_captured(handler: logging.Handler) -> Iterator[None]:
    """Route the captured loggers to `handler` only, restoring them afterwards."""
    saved = []
    for name in CAPTURED_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.handlers[:], logger.propagate, logger.level))
        logger.handlers = [handler]
        logger.propagate = False
        if logger.level == logging.NOTSET or logger.level > logging.WARNING:
            logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, handlers, propagate, level in saved:
            logger.handlers, logger.propagate = handlers, propagate
            logger.setLevel(level)


class _ListHandler(logging.Handler):
    def __init__(self, records: list[dict]) -> None:
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception as exc:  # a badly formatted record is still a record
            message = f"{record.msg!r} (unformattable: {exc})"
        if len(self.records) < MAX_LOGS:
            self.records.append(
                {
                    "source": record.name,
                    "level": record.levelname,
                    "message": message[:MAX_LOG_MESSAGE],
                }
            )
