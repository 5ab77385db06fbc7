"""The engine contract: what the runner needs from an AD implementation.

An engine is a name, a version, the namespace bound as ``tf`` in case
programs, and a few small hooks: recognize the engine's tensors, variables
and IndexedSlices, turn them into NumPy, and reset per-case state.

`ModuleEngine` implements every hook for any module that stands in for
``tf`` (it uses the module's own ``Tensor``, ``Variable`` and
``IndexedSlices`` classes), so most engines are a module and nothing more.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from ..errors import EngineUnavailable
from .quiet import initialize_devices, startup_quiet
from .tf_state import reset_tensorflow_counters

TENSOR_KINDS = ("Variable", "IndexedSlices", "Tensor")


def _dims(shape: Any) -> list | None:
    """A TensorShape's dims (int, or None where unknown); None for an unknown rank."""
    if shape is None or getattr(shape, "rank", 0) is None:
        return None
    return [None if d is None else int(d) for d in shape.as_list()]


def _spec(spec: Any) -> dict:
    name = None if spec.name is None else str(spec.name)
    return {"shape": _dims(spec.shape), "dtype": str(spec.dtype.name), "name": name}


# TF API objects observed by a description rather than their repr (first match wins:
# a TensorSpec is checked before anything it might derive from).
API_OBJECTS: dict[str, Any] = {
    "TensorSpec": _spec,
    "TensorShape": _dims,
    "DType": lambda dtype: str(dtype.name),
}


class Engine:
    """Base class: subclass it, or use `ModuleEngine` for a plain module.

    Attributes:
        name: how reports and ``--engine`` name it.
        unsupported: API names (e.g. ``"GradientTape.jacobian"``) the engine
            declares it does not provide; cases using them are ``unsupported``.
    """

    name: str = "engine"
    unsupported: frozenset[str] = frozenset()

    def load(self) -> None:
        """Import and initialize; raise `EngineUnavailable` on failure."""

    @property
    def namespace(self) -> Any:
        """The object bound as ``tf`` in case programs."""
        raise NotImplementedError

    @property
    def version(self) -> str:
        """The engine's own version."""
        return "unknown"

    @property
    def tf_version(self) -> str | None:
        """The TensorFlow release whose semantics the engine follows (None: newest)."""
        return None

    def kind_of(self, value: Any) -> str | None:
        """``"Tensor"``, ``"Variable"``, ``"IndexedSlices"`` or None for other values."""
        raise NotImplementedError

    def to_numpy(self, value: Any) -> np.ndarray:
        """The (dense) value of a tensor-like as a NumPy array."""
        raise NotImplementedError

    def api_object_value(self, value: Any) -> dict | None:
        """``{"value": ...}``, an engine-neutral description, when `value` is one of
        TF's descriptive API objects (`API_OBJECTS`: TensorShape, TensorSpec, DType);
        None for anything else.

        Such objects are observed as what they are whatever they are built
        from (a TensorShape may be a tuple), and compared by this description,
        since their reprs legitimately differ between engines. The default
        recognizes them by class name along the MRO and describes them through
        TF's public API (``as_list()``, ``.name``, ``.shape``, ``.dtype``).
        """
        names = {cls.__name__ for cls in type(value).__mro__}
        if not names & API_OBJECTS.keys():
            return None
        kind = next(name for name in API_OBJECTS if name in names)
        try:
            return {"value": API_OBJECTS[kind](value)}
        except Exception:  # an engine's odd object is shown by type and repr only
            return {}

    def dtype_of(self, value: Any) -> str:
        """The dtype name of a tensor-like, e.g. ``"float32"``."""
        raise NotImplementedError

    def slices_of(self, value: Any) -> tuple[np.ndarray, np.ndarray]:
        """``(values, indices)`` of an IndexedSlices."""
        return np.asarray(self.to_numpy(value.values)), np.asarray(self.to_numpy(value.indices))

    def owns_api(self, obj: Any) -> str | None:
        """If `obj` (the object an AttributeError was raised on) is part of the
        engine's API, the dotted name to report for it; otherwise None."""
        return None

    def reset(self) -> None:
        """Clear per-case state (called before every case)."""

    def recorded_outcome(self, case: Any, context: str) -> Any:
        """A recorded `result.Result` to use instead of running the case.

        Engines that replay a recorded run (`engines.replay`) return one; live
        engines return None, and the case is executed. When the returned
        result carries an ``outcome``, the runner judges it against the case's
        current expectation; otherwise its status stands as recorded.
        """
        return None

    @property
    def module_name(self) -> str | None:
        """The import name of the module bound as ``tf`` (repro scripts import it)."""
        try:
            return getattr(self.namespace, "__name__", None)
        except Exception:  # an engine without a module namespace has no repro import
            return None

    @property
    def module_file(self) -> str | None:
        """The ``.py`` file of that module when it is not importable by name."""
        return None

    def worker_spec(self) -> str | None:
        """An ``--engine`` spec a worker process can resolve to rebuild this engine
        when the object itself cannot be pickled (None: it must be pickled)."""
        return None

    def describe(self) -> dict:
        """Name, versions and module, for report metadata and repro scripts."""
        return {
            "name": self.name,
            "version": self.version,
            "tf_version": self.tf_version,
            "module": self.module_name,
            "module_file": self.module_file,
        }


class ModuleEngine(Engine):
    """An engine that is just a module standing in for ``tf``.

    Args:
        module: the module itself, its import path, or the path of a ``.py``
            file (imported by `load`).
        name: the engine's name (default: the module's name; a file's stem).

    It is sent to worker processes without the module, which the worker
    imports again by name (or from the file).
    """

    def __init__(self, module: ModuleType | str, name: str | None = None) -> None:
        self._module = module if isinstance(module, ModuleType) else None
        self._file = str(Path(module).resolve()) if _is_file_spec(module) else None
        self._module_path = (
            (Path(module).stem if self._file else module)
            if isinstance(module, str)
            else module.__name__
        )
        self.name = name or self._module_path
        self._classes: dict[str, type] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_module": None, "_classes": {}}

    def load(self) -> None:
        if self._module is None:
            with startup_quiet():
                self._module = (
                    _import_file(self.name, self._file)
                    if self._file
                    else _import(self.name, self._module_path)
                )
                initialize_devices()
        self._classes = {
            kind: getattr(self._module, kind)
            for kind in TENSOR_KINDS
            if isinstance(getattr(self._module, kind, None), type)
        }
        if "Tensor" not in self._classes:
            raise EngineUnavailable(self.name, f"module {self._module_path!r} has no Tensor class")

    @property
    def namespace(self) -> Any:
        if self._module is None:
            self.load()
        return self._module

    def worker_spec(self) -> str | None:
        """The module's import path, for a plain `ModuleEngine` (a subclass may hold
        more than its module, so it is rebuilt only from a pickle)."""
        return (self._file or self._module_path) if type(self) is ModuleEngine else None

    @property
    def module_name(self) -> str | None:
        return self._module.__name__ if self._module is not None else self._module_path

    @property
    def module_file(self) -> str | None:
        return self._file

    @property
    def root_package(self) -> str:
        return self._module_path.split(".")[0]

    @property
    def version(self) -> str:
        return str(getattr(self.namespace, "__version__", "unknown"))

    @property
    def tf_version(self) -> str | None:
        return getattr(self.namespace, "TF_VERSION", None)

    def kind_of(self, value: Any) -> str | None:
        for kind, cls in self._classes.items():
            if isinstance(value, cls):
                return kind
        return None

    def to_numpy(self, value: Any) -> np.ndarray:
        if self.kind_of(value) == "IndexedSlices":
            return self._dense(value)
        array = np.asarray(value.numpy())
        # NumPy has no bfloat16; ml_dtypes' arrays compare badly, so widen.
        return array.astype(np.float32) if array.dtype.name == "bfloat16" else array

    def _dense(self, value: Any) -> np.ndarray:
        values, indices = self.slices_of(value)
        shape = tuple(int(d) for d in self.to_numpy(value.dense_shape))
        dense = np.zeros(shape, dtype=values.dtype)
        np.add.at(dense, indices, values)
        return dense

    def dtype_of(self, value: Any) -> str:
        return str(value.dtype.name)

    def reset(self) -> None:
        """Call the module's ``_reset_state()`` before every case, when it has one, and
        clear TensorFlow's process-wide counters when the module runs on TF (`tf_state`)."""
        reset_tensorflow_counters()
        reset = getattr(self.namespace, "_reset_state", None)
        if callable(reset):
            reset()

    def owns_api(self, obj: Any) -> str | None:
        namespace = self.namespace
        if obj is namespace:
            return "tf"
        for name, value in vars(namespace).items():
            if value is obj and not isinstance(obj, (type, int, float, str, type(None))):
                return f"tf.{name}"
        if isinstance(obj, ModuleType):
            prefix = namespace.__name__ + "."
            if obj.__name__.startswith(prefix):
                return "tf." + obj.__name__[len(prefix) :].replace("_api.v2.", "")
            return None
        cls = obj if isinstance(obj, type) else type(obj)
        module = getattr(cls, "__module__", "") or ""
        return cls.__name__ if module.split(".")[0] == self.root_package else None


def _is_file_spec(module: Any) -> bool:
    return isinstance(module, str) and module.endswith(".py")


def _import_file(engine: str, path: str) -> ModuleType:
    """Import a module from a ``.py`` file under its file name (``eng.py`` → ``eng``)."""
    name = Path(path).stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise EngineUnavailable(engine, f"cannot import {path!r} as a module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its classes must be importable by name (pickling)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # an engine may fail to import in any way
        del sys.modules[name]
        raise EngineUnavailable(
            engine, f"cannot import {path!r}: {type(exc).__name__}: {exc}"
        ) from None
    return module


def _import(engine: str, path: str) -> ModuleType:
    try:
        return importlib.import_module(path)
    except Exception as exc:  # an engine may fail to import in any way
        reason = f"cannot import {path!r}: {type(exc).__name__}: {exc}"
        if isinstance(exc, ModuleNotFoundError) and exc.name and path.startswith(exc.name):
            from .catalog import unknown_engine_message  # the name itself is not installed

            reason = unknown_engine_message(engine, reason)
        raise EngineUnavailable(engine, reason) from None
