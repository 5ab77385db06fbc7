"""What a worker needs to know: isolation limits and how to build its engine.

`Isolation` holds the per-case deadline and the per-worker memory cap; an
`EngineRecipe` travels to the worker process and builds the engine there;
`EngineInfo` is the parent's stand-in for an engine loaded in a worker.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass

from ..engines.base import Engine
from ..errors import EngineUnavailable

DEFAULT_TIMEOUT = 60.0
DEFAULT_LOAD_TIMEOUT = 300.0
DEFAULT_MEMORY_MB = 4096
# Virtual address space granted beyond the RSS limit: TensorFlow alone maps
# about 2 GB of virtual memory it never touches (measured with TF 2.21).
ADDRESS_SPACE_SLACK_MB = 8192
POLL_SECONDS = 0.2
LOG_EXCERPT_CHARS = 600


# The case slot of a batch request: (sequence, MANY, [(case, context), ...]).
MANY = "many"


@dataclass(frozen=True)
class Isolation:
    """How cases are isolated: per-case deadline and per-worker memory cap.

    Args:
        timeout: seconds a case may run before it is ``timeout``.
        memory_mb: resident memory (MB) a worker may use; None: unbounded.
        load_timeout: seconds an engine may take to import and initialize.
    """

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB
    load_timeout: float = DEFAULT_LOAD_TIMEOUT


@dataclass(frozen=True)
class EngineRecipe:
    """How a worker gets its engine: a pickled (unloaded) `Engine`, or a spec
    string given to `resolve_engine` inside the worker."""

    name: str
    pickled: bytes | None = None
    spec: str | None = None

    def build(self) -> Engine:
        if self.pickled is not None:
            return pickle.loads(self.pickled)
        from ..engines import resolve_engine

        return resolve_engine(self.spec or self.name)


def recipe_for(engine: Engine | str) -> EngineRecipe:
    """A recipe for `engine`: an `Engine` object (not yet loaded) or a spec string.

    Raises:
        EngineUnavailable: the engine object cannot be sent to a worker.
    """
    if isinstance(engine, str):
        return EngineRecipe(name=engine, spec=engine)
    try:
        return EngineRecipe(name=engine.name, pickled=pickle.dumps(engine))
    except Exception as exc:  # any object may refuse pickling in its own way
        spec = engine.worker_spec()
        if spec is not None:
            return EngineRecipe(name=engine.name, spec=spec)
        raise EngineUnavailable(
            engine.name,
            f"cannot be sent to a worker process ({type(exc).__name__}: {exc}); run it in-process",
        ) from None


class EngineInfo(Engine):
    """The parent's stand-in for an engine loaded in a worker (name, versions)."""

    def __init__(self, described: dict, unsupported: Sequence[str] = ()) -> None:
        self.described = dict(described)
        self.name = str(described.get("name", "engine"))
        self.unsupported = frozenset(unsupported)

    @property
    def version(self) -> str:
        return str(self.described.get("version", "unknown"))

    @property
    def tf_version(self) -> str | None:
        return self.described.get("tf_version")

    def describe(self) -> dict:
        return dict(self.described)
