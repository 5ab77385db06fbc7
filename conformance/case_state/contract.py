"""The per-case isolation contract: what a case may change, and what happens to it.

`CaseGuard` snapshots the process once the engine has loaded. After every
case it first *verifies* what cannot be undone and then *restores* what can,
so the next case starts from the same state whatever ran before it:

restored (silently, before the next case):
  module attributes of the engine's namespace (and, when TensorFlow is
  imported, of TensorFlow's public API modules), of NumPy and of ``builtins``;
  ``sys.modules`` entries and ``sys.path``; every logger's level, handlers,
  ``propagate`` and ``disabled`` flags and ``logging.disable``; warnings
  filters; NumPy's error state, print options and global random state;
  Python's ``random`` state; the recursion limit and int-digits limit;
  ``sys.stdout``/``stderr``/``stdin`` and file descriptors 0–2; the working
  directory; the environment; the umask; signal handlers, the signal mask
  and interval timers; and TensorFlow's execution flags and counters
  (`tf_state`);

verified and reported as a *leak* (the worker is then replaced):
  Python threads still running, child processes still running (they are
  killed), a fork of the worker, and TensorFlow state that has no undo
  (eager execution disabled, a tape or graph left active).

A leak names what was left behind (``thread 'ticker' still running``) and is
put on the result of the case that left it (`Result.leaks`).
"""

from __future__ import annotations

import builtins
import contextlib
import logging
import operator
import os
import random
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

import numpy as np

from . import processes, tf_state
from .state import Accessor, Attributes, DictWatch, identical_lists

MAX_MODULES = 2000
THREAD_GRACE_SECONDS = 0.2
_TIMERS = (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF)
_UNCATCHABLE = {signal.SIGKILL, signal.SIGSTOP}


def module_tree(roots: Iterable[Any], prefixes: tuple[str, ...]) -> list[Any]:
    """`roots` and the modules reachable from them by attribute whose names
    start with one of `prefixes` (plain modules only: lazy loaders stay lazy),
    leaving out private ones (a ``_`` part after the prefix) and TensorFlow's
    ``tf.compat`` mirrors of its own API: scanning them would double the cost
    of every case for attributes programs do not patch."""
    found: dict[int, Any] = {}
    stack = [r for r in roots if hasattr(r, "__dict__")]
    while stack and len(found) < MAX_MODULES:
        module = stack.pop()
        if id(module) in found:
            continue
        found[id(module)] = module
        for value in list(vars(module).values()):
            if (
                type(value) is ModuleType
                and id(value) not in found
                and _public(value.__name__, prefixes)
            ):
                stack.append(value)
    return list(found.values())


def _public(name: str, prefixes: tuple[str, ...]) -> bool:
    for prefix in prefixes:
        if name.startswith(prefix):
            rest = name[len(prefix) :].split(".")
            return not any(p.startswith("_") or p == "compat" for p in rest if p)
    return False


class LoggingState:
    """Levels, handlers, ``propagate`` and ``disabled`` of every existing logger."""

    def __init__(self) -> None:
        self.disable = logging.root.manager.disable
        self.loggers = {name: _logger_state(logger) for name, logger in _loggers()}

    def restore(self) -> None:
        if logging.root.manager.disable != self.disable:
            logging.disable(self.disable)
        for name, logger in _loggers():
            saved = self.loggers.get(name)
            if saved is not None and _logger_state(logger) != saved:
                logger.setLevel(saved[0])
                logger.handlers[:] = saved[1]
                logger.propagate, logger.disabled = saved[2], saved[3]


def _loggers() -> list[tuple[str, logging.Logger]]:
    found = [("", logging.root)]
    found += [
        (name, logger)
        for name, logger in list(logging.root.manager.loggerDict.items())
        if isinstance(logger, logging.Logger)
    ]
    return found


def _logger_state(logger: logging.Logger) -> tuple:
    return (logger.level, list(logger.handlers), logger.propagate, logger.disabled)


def process_accessors() -> list[Accessor]:
    """The interpreter's and the process's settings that a case may change."""
    return [
        Accessor(lambda: list(warnings.filters), _put_filters, identical_lists),
        Accessor(
            lambda: warnings.showwarning,
            lambda v: setattr(warnings, "showwarning", v),
            operator.is_,
        ),
        Accessor(np.geterr, lambda v: np.seterr(**v)),
        Accessor(np.geterrcall, np.seterrcall, operator.is_),
        Accessor(np.get_printoptions, lambda v: np.set_printoptions(**v)),
        Accessor(sys.getrecursionlimit, sys.setrecursionlimit),
        Accessor(sys.get_int_max_str_digits, sys.set_int_max_str_digits),
        Accessor(lambda: list(sys.path), lambda v: sys.path.__setitem__(slice(None), v)),
        Accessor(os.getcwd, os.chdir),
        Accessor(_environ, _put_environ),
        Accessor(_umask, os.umask),
        Accessor(
            lambda: (sys.stdin, sys.stdout, sys.stderr),
            _put_streams,
            lambda a, b: all(map(operator.is_, a, b)),
        ),
        Accessor(
            lambda: (
                sys.excepthook,
                sys.displayhook,
                threading.excepthook,
                sys.gettrace(),
                sys.getprofile(),
            ),
            _put_hooks,
            lambda a, b: all(map(operator.is_, a, b)),
        ),
        Accessor(_signal_handlers, _put_signal_handlers, identical_lists),
        Accessor(
            lambda: signal.pthread_sigmask(signal.SIG_BLOCK, []),
            lambda v: signal.pthread_sigmask(signal.SIG_SETMASK, v),
        ),
    ]


def _put_filters(saved: list) -> None:
    warnings.filters[:] = saved
    warnings._filters_mutated()  # pylint: disable=protected-access


def _environ() -> dict:
    """The environment as ``os.environ`` holds it: in CPython, encoded, in ``_data``
    (comparing that skips decoding every variable after every case)."""
    return dict(getattr(os.environ, "_data", os.environ))


def _put_environ(saved_raw: dict) -> None:
    decode = (getattr(os.environ, "decodekey", None), getattr(os.environ, "decodevalue", None))
    if hasattr(os.environ, "_data") and None not in decode:
        saved = {decode[0](k): decode[1](v) for k, v in saved_raw.items()}
    else:
        saved = saved_raw
    for name in [n for n in os.environ if n not in saved]:
        del os.environ[name]
    for name, value in saved.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _put_streams(saved: tuple) -> None:
    sys.stdin, sys.stdout, sys.stderr = saved


def _put_hooks(saved: tuple) -> None:
    sys.excepthook, sys.displayhook, threading.excepthook = saved[:3]
    sys.settrace(saved[3])
    sys.setprofile(saved[4])


_SIGNALS = tuple(
    int(s) for s in signal.valid_signals() if s not in _UNCATCHABLE and s < signal.SIGRTMIN
)


def _signal_handlers() -> list[Any]:
    return list(map(signal.getsignal, _SIGNALS))


def _put_signal_handlers(saved: list[Any]) -> None:
    for number, handler in zip(_SIGNALS, saved):
        if signal.getsignal(number) is not handler and handler is not None:
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(number, handler)


class RandomState:
    """NumPy's and Python's global random generators."""

    def __init__(self) -> None:
        self.numpy, self.python = np.random.get_state(), random.getstate()

    def restore(self) -> None:
        np.random.set_state(self.numpy)
        random.setstate(self.python)


class StandardFds:
    """File descriptors 0, 1 and 2: a case may ``dup2`` over them."""

    def __init__(self) -> None:
        self.saved = {fd: (_identity(fd), _dup(fd)) for fd in (0, 1, 2)}

    def restore(self) -> None:
        for fd, (identity, copy) in self.saved.items():
            if copy is not None and _identity(fd) != identity:
                os.dup2(copy, fd)


def _identity(fd: int) -> tuple[int, int] | None:
    try:
        stat = os.fstat(fd)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _dup(fd: int) -> int | None:
    try:
        return os.dup(fd)
    except OSError:
        return None


def stop_timers() -> None:
    """Cancel interval timers (and ``signal.alarm``) a case armed."""
    for which in _TIMERS:
        if signal.getitimer(which) != (0.0, 0.0):
            signal.setitimer(which, 0.0)


class CaseGuard:
    """Snapshot after the engine loaded; after each case, verify then restore.

    Args:
        namespaces: the objects bound as ``tf`` (one per engine in this process).
        own_process: the guard owns the process (a worker): descendants left
            by a case are its leaks. In-process runs share the process with
            the caller (and its own children), so they leave them alone.
    """

    def __init__(self, namespaces: Iterable[Any], own_process: bool = True) -> None:
        namespaces = list(namespaces)
        self.threads = set(threading.enumerate())
        self.modules = Attributes(_guarded_modules(namespaces))
        self.sys_modules = SysModules()
        self.logging = LoggingState()
        self.accessors = process_accessors()
        self.random = RandomState()
        self.fds = StandardFds()
        self.tensorflow = tf_state.TensorFlowState.if_loaded()
        self.children = processes.ChildWatch() if own_process else None

    def after_case(self) -> list[str]:
        """Verify what cannot be undone (the leaks, named), then restore the rest."""
        leaks = self.verify()
        self.restore()
        return leaks

    def verify(self) -> list[str]:
        """The leaks: what a case left that cannot be undone, named."""
        leaks = self.children.leaks() if self.children is not None else []
        leaks += _running_threads(self.threads)
        if self.tensorflow is not None:
            leaks += self.tensorflow.leaks()
        return leaks

    def restore(self) -> None:
        """Put back everything restorable as it was at the snapshot."""
        for _, step in self.restore_steps():
            step()

    def restore_steps(self) -> list[tuple[str, Callable[[], Any]]]:
        """What `restore` does, in order, named (``bench/harness_overhead.py
        --contract`` times each)."""
        steps = [
            ("interval timers", stop_timers),
            ("process settings", self._restore_accessors),
            ("fds 0-2", self.fds.restore),
            ("module attributes", self.modules.restore),
            ("sys.modules", self.sys_modules.restore),
            ("logging", self.logging.restore),
            ("random state", self.random.restore),
        ]
        if self.tensorflow is not None:
            steps.append(("TensorFlow", self.tensorflow.restore))
        return steps

    def _restore_accessors(self) -> None:
        for accessor in self.accessors:
            accessor.restore()


def namespaces_of(engines: Iterable[Any]) -> list[Any]:
    """The ``tf`` namespaces of loaded engines (an engine without one has none)."""
    found = []
    for engine in engines:
        try:
            found.append(engine.namespace)
        except Exception:  # pylint: disable=broad-except - e.g. a recorded baseline
            continue
    return found


def _guarded_modules(namespaces: list[Any]) -> list[Any]:
    roots = [*namespaces, np, builtins]
    prefixes = ["numpy", "builtins"]
    for namespace in namespaces:
        name = getattr(namespace, "__name__", None)
        if isinstance(name, str) and name.split(".")[0] != "tensorflow":
            prefixes.append(name.split(".")[0])
    tf = sys.modules.get("tensorflow")
    if tf is not None:  # its public API only: TF's internals initialize lazily
        roots.append(tf)
        prefixes.append("tensorflow._api")
    return module_tree(roots, tuple(prefixes))


class SysModules:
    """``sys.modules``: replaced or removed entries are put back (modules a case
    imported stay)."""

    def __init__(self) -> None:
        self.saved = dict(sys.modules)
        self.values = list(self.saved.values())
        self.watch = DictWatch(sys.modules)

    def restore(self) -> None:
        current = sys.modules
        if current is self.watch.mapping and self.watch.unchanged():
            return
        if len(current) < len(self.values) or not all(
            map(operator.is_, current.values(), self.values)
        ):
            for name, module in self.saved.items():
                if current.get(name) is not module:
                    current[name] = module
        if current is self.watch.mapping:
            self.watch.seen()


def _running_threads(before: set[threading.Thread]) -> list[str]:
    new = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in new:
        thread.join(THREAD_GRACE_SECONDS / max(len(new), 1))
    return [f"thread {thread.name!r} still running" for thread in new if thread.is_alive()]
