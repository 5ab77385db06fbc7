"""Building blocks of the isolation contract: state saved once, put back when changed.

`Attributes` keeps the attributes of modules or classes and restores them by
identity (a fast scan finds the changed ones); `Accessor` keeps one value
read by a getter and puts it back with a setter when it differs;
`DictWatch` tells in nanoseconds that a dict has not changed at all, so most
scans are skipped.
"""

from __future__ import annotations

import ctypes
import gc
import operator
import sys
import sysconfig
from collections.abc import Callable, Iterable
from types import MappingProxyType, ModuleType
from typing import Any

_MISSING = object()


def _tag_offset() -> int | None:
    """Where CPython keeps a dict's modification tag (PEP 509's ``ma_version_tag``).

    Every change to a dict gives it a new tag from one global counter, so an
    unchanged tag means an unchanged dict. Python has no API for it; the field
    follows the object header and the item count of a regular (GIL, non-debug)
    build, and is used only if a self-test on this interpreter shows it grows
    on every insert, replace and delete, across dicts, and stays put otherwise
    (elsewhere: None, and every dict is scanned).
    """
    if (
        sys.implementation.name != "cpython"
        or hasattr(sys, "gettotalrefcount")  # a debug build: another header
        or sysconfig.get_config_var("Py_GIL_DISABLED")  # free-threaded: another header
    ):
        return None
    offset = 3 * ctypes.sizeof(ctypes.c_ssize_t)  # ob_refcnt, ob_type, ma_used
    return offset if behaves_as_tag(offset) else None


def behaves_as_tag(offset: int) -> bool:
    """Whether the 64 bits at `offset` in a dict grow with every change to any dict
    and stay put while it is only read (the self-test of `_tag_offset`)."""
    first: dict = {}
    second: dict = {"kept": 0}
    tags = [ctypes.c_uint64.from_address(id(d) + offset) for d in (first, second)]
    seen = [tags[0].value]
    for step in (
        lambda: first.__setitem__("key", 1),
        lambda: second.__setitem__("other", 1),
        lambda: first.__setitem__("key", 2),
        lambda: first.__delitem__("key"),
    ):
        step()
        seen.append(max(tag.value for tag in tags))
    before = tags[0].value
    steady = first.get("absent") is None and "key" not in first and tags[0].value == before
    return steady and seen == sorted(set(seen)) and len(seen) == 5


_TAG_OFFSET = _tag_offset()


def tag_field(mapping: Any) -> ctypes.c_uint64 | None:
    """A live view of a dict's modification tag (``.value``), or None: not a plain
    dict, or no tags on this interpreter. The caller keeps the dict alive."""
    if _TAG_OFFSET is None or type(mapping) is not dict:
        return None
    return ctypes.c_uint64.from_address(id(mapping) + _TAG_OFFSET)


class DictWatch:
    """Whether one dict was written since it was last `seen` (always "maybe" where
    the interpreter has no tags). It keeps the dict alive, so its tag stays valid."""

    __slots__ = ("field", "mapping", "tag")

    def __init__(self, mapping: Any) -> None:
        self.mapping = mapping
        self.field = tag_field(mapping)
        self.seen()

    def unchanged(self) -> bool:
        return self.field is not None and self.field.value == self.tag

    def seen(self) -> None:
        """Take the dict as it is now as the unchanged state."""
        self.tag = self.field.value if self.field is not None else None


class _Saved:
    """One module's (or class's) attributes as saved, and a watch on its dict (a
    module's or class's dict is never replaced)."""

    __slots__ = ("attrs", "target", "values", "watch")

    def __init__(self, target: Any) -> None:
        self.target = target
        self.attrs = dict(vars(target))
        self.values = list(self.attrs.values())
        self.watch = DictWatch(_own_dict(target))

    def changed(self) -> bool:
        if self.watch.unchanged():
            return False
        current = vars(self.target)
        if len(current) == len(self.values) and all(
            map(operator.is_, current.values(), self.values)
        ):
            self.watch.seen()
            return False  # written, but with the same values
        return True


def _own_dict(target: Any) -> Any:
    """The dict behind ``vars(target)``: a class shows it through a read-only proxy."""
    found = vars(target)
    if isinstance(found, MappingProxyType):
        inner = gc.get_referents(found)
        return inner[0] if len(inner) == 1 else found
    return found


class Attributes:
    """The attributes of some modules, namespaces or classes, restored by identity."""

    def __init__(self, modules: Iterable[Any]) -> None:
        self.saved = [_Saved(m) for m in modules]

    def changed(self) -> list[tuple[Any, dict]]:
        """The modules whose attributes differ (by tag, then by an identity scan)."""
        return [(entry.target, entry.attrs) for entry in self.saved if entry.changed()]

    def restore(self) -> bool:
        """Put changed attributes back; return whether any had changed."""
        changed = self.changed()
        for module, attrs in changed:
            current = vars(module)
            for name in [n for n in current if n not in attrs]:
                if not isinstance(current[name], ModuleType):  # lazily imported submodules stay
                    _delete(module, name)
            for name, value in attrs.items():
                if current.get(name, _MISSING) is not value:
                    _set(module, name, value)
        return bool(changed)


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
