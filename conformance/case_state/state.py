"""Building blocks of the isolation contract: state saved once, put back when changed.

`Attributes` keeps the attributes of modules or classes and restores them by
identity (a fast scan finds the changed ones); `Accessor` keeps one value
read by a getter and puts it back with a setter when it differs.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

_MISSING = object()


class Attributes:
    """The attributes of some modules, namespaces or classes, restored by identity."""

    def __init__(self, modules: Iterable[Any]) -> None:
        self.saved = [(m, dict(vars(m)), list(vars(m).values())) for m in modules]

    def changed(self) -> list[tuple[Any, dict]]:
        """The modules whose attributes differ (a fast identity scan)."""
        found = []
        for module, attrs, values in self.saved:
            current = vars(module)
            if len(current) != len(values) or not all(map(operator.is_, current.values(), values)):
                found.append((module, attrs))
        return found

    def restore(self) -> None:
        for module, attrs in self.changed():
            current = vars(module)
            for name in [n for n in current if n not in attrs]:
                if not isinstance(current[name], ModuleType):  # lazily imported submodules stay
                    _delete(module, name)
            for name, value in attrs.items():
                if current.get(name, _MISSING) is not value:
                    _set(module, name, value)


def _set(target: Any, name: str, value: Any) -> None:
    try:
        setattr(target, name, value)
    except (AttributeError, TypeError):
        vars(target)[name] = value


def _delete(target: Any, name: str) -> None:
    try:
        delattr(target, name)
    except (AttributeError, TypeError):
        vars(target).pop(name, None)


class Accessor:
    """One piece of state read by `get` and put back by `put` when it changed."""

    def __init__(
        self,
        get: Callable[[], Any],
        put: Callable[[Any], Any],
        same: Callable[[Any, Any], bool] = operator.eq,
    ) -> None:
        self.get, self.put, self.same = get, put, same
        self.saved = get()

    def restore(self) -> bool:
        """Put the saved value back if it changed; return whether it had."""
        if self.same(self.get(), self.saved):
            return False
        self.put(self.saved)
        return True


def identical_lists(a: list, b: list) -> bool:
    return len(a) == len(b) and all(map(operator.is_, a, b))
