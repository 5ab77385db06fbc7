"""What ``--engine`` can name, listed without importing any engine; suggestions for
a misspelled name.

`catalog` gives the built-in engines (with whether their module is installed),
the engines registered under the entry-point group ``conformance.engines``
and the mutants of `conformance.mutants`; `suggest` the closest of those names
to a misspelled one. ``conformance engines`` prints the catalog.
"""

from __future__ import annotations

import difflib
import importlib.util
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, entry_points, version

ENTRY_POINT_GROUP = "conformance.engines"
BUILTIN_MODULES = {
    "tensorflow": ("tensorflow", "TensorFlow itself"),
    "reference": ("reference_impl", "the suite's NumPy engine (reference_impl)"),
}


@dataclass(frozen=True)
class Listed:
    """One engine name ``--engine`` accepts."""

    name: str
    kind: str  # "built-in", "entry point" or "mutant"
    about: str
    available: bool = True


def catalog() -> list[Listed]:
    """Every engine name known without importing engines, built-ins first."""
    return [*_builtins(), *_entry_points(), *_mutants()]


def _builtins() -> list[Listed]:
    found = []
    for name, (module, about) in BUILTIN_MODULES.items():
        installed = importlib.util.find_spec(module) is not None
        detail = _installed_version(module) if installed else "not installed"
        found.append(Listed(name, "built-in", f"{about}; {detail}", installed))
    return found


def _installed_version(module: str) -> str:
    try:
        return f"version {version(module)}"
    except PackageNotFoundError:  # part of this package (reference_impl)
        return "installed"


def _entry_points() -> list[Listed]:
    return [
        Listed(
            ep.name,
            "entry point",
            f"{ep.value}" + (f" (from {ep.dist.name})" if getattr(ep, "dist", None) else ""),
        )
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    ]


def _mutants() -> list[Listed]:
    from ..mutants import mutant_names

    return [
        Listed(
            f"conformance.mutants.{name}",
            "mutant",
            "TensorFlow with one behavior broken (see conformance sensitivity)",
        )
        for name in mutant_names()
    ]


def suggest(spec: str, limit: int = 3) -> list[str]:
    """The known engine names closest to `spec` (a misspelling), best first."""
    names = [entry.name for entry in catalog()]
    short = {name.rsplit(".", 1)[-1]: name for name in names}
    close = difflib.get_close_matches(spec, names, n=limit, cutoff=0.75)
    close += [short[s] for s in difflib.get_close_matches(spec, list(short), n=limit, cutoff=0.75)]
    return list(dict.fromkeys(close))[:limit]


def unknown_engine_message(spec: str, reason: str) -> str:
    """`reason`, plus the suggestions for `spec` and where to see every name."""
    close = suggest(spec)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"{reason}{hint} ('conformance engines' lists the engines)"
