"""Deliberately broken engines ("mutants") for the suite's self-test.

Each module here stands in for ``tf`` exactly like TensorFlow does, except
for ONE broken behavior, described by its docstring's first line; usable as
``conformance run --engine conformance.mutants.<name>``. ``conformance
sensitivity`` runs them all and reports which cases catch which mutant: a
mutant no case catches is a gap in the corpus.

Every mutant module defines:

* ``AREA``: the corpus area it breaks (`AREAS`);
* ``TOUCHES``: API words; only cases whose program uses one of them can
  catch the mutant (``conformance sensitivity`` skips the others);
* ``SEEN_IN``: where a real AD engine got this wrong (an issue URL), or "";
* ``HINTS`` (optional): words of case ids or tags likely to catch it, tried
  first by ``conformance sensitivity --first-only``.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType

AREAS = (
    "watch",
    "persistence",
    "structures",
    "none-vs-zeros",
    "dtypes",
    "errors",
    "higher-order",
    "jacobians",
    "forward-mode",
    "numerics",
)


@dataclass(frozen=True)
class MutantInfo:
    """What a mutant breaks, without importing it (read from its module)."""

    name: str
    module: str
    area: str
    broken: str
    touches: tuple[str, ...]
    seen_in: str
    hints: tuple[str, ...] = ()


def mutant_names() -> list[str]:
    """Names of all mutant modules in this package, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def mutant_info(name: str) -> MutantInfo:
    """Import mutant `name` and describe it."""
    module: ModuleType = importlib.import_module(f"{__name__}.{name}")
    doc = (module.__doc__ or "").strip().splitlines()
    return MutantInfo(
        name=name,
        module=module.__name__,
        area=module.__dict__["AREA"],
        broken=doc[0] if doc else name,
        touches=tuple(module.__dict__.get("TOUCHES", ())),
        seen_in=module.__dict__.get("SEEN_IN", ""),
        hints=tuple(module.__dict__.get("HINTS", ())),
    )


__all__ = ["AREAS", "MutantInfo", "mutant_names", "mutant_info"]
