"""The in-memory form of a case: frozen dataclasses built by the loader.

A `Case` is one documented behavior; its `Expectation` (what must be
produced) may depend on the TensorFlow version an engine follows, through
the case's ``versions`` gate and its ``variants``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from .spec import Spec

CONTEXTS = ("eager", "function", "xla")
TRACED_CONTEXTS = ("function", "xla")  # contexts that wrap @context functions


@dataclass(frozen=True)
class Raises:
    """An exception the program must raise: class name (or a base class's) + regex."""

    type: str
    match: str | None = None


@dataclass(frozen=True)
class Expectation:
    """What one run of a case must produce."""

    values: dict[str, Spec] = field(default_factory=dict)
    raises: Raises | None = None
    logs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variant:
    """An expectation that replaces parts of the base one for some TF versions."""

    versions: str
    values: dict[str, Spec] | None = None
    raises: Raises | None = None
    replaces_raises: bool = False
    logs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Case:
    """One case, as loaded from a case file."""

    id: str  # full id: "<file under the root, no .yaml>/<local id>"
    local_id: str
    path: str  # the file, as given to the loader
    line: int  # 1-based line where the case starts
    title: str
    doc: str
    source: str
    program: str
    program_line: int  # 1-based file line of the program's first line
    tags: tuple[str, ...]
    expectation: Expectation
    quote: str | None = None
    basis: str = "documented"
    observed_with: str | None = None
    rtol: float | None = None
    atol: float | None = None
    contexts: tuple[str, ...] = ("eager",)
    versions: str | None = None
    variants: tuple[Variant, ...] = ()
    builds_on: tuple[str, ...] = ()  # full ids of cases its expectation relies on
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def observed_names(self) -> tuple[str, ...]:
        """Every program variable any expectation (or variant) names."""
        names = dict.fromkeys(self.expectation.values)
        for variant in self.variants:
            names.update(dict.fromkeys(variant.values or {}))
        return tuple(names)

    @property
    def file_id(self) -> str:
        """The file part of the id, e.g. ``persistence``."""
        return self.id.rsplit("/", 1)[0]

    def applies_to(self, tf_version: str | None) -> bool:
        """False when the case's ``versions`` gate excludes this TF version."""
        return self.versions is None or _in(tf_version, self.versions)

    def expectation_for(self, tf_version: str | None) -> Expectation:
        """The expectation for an engine following `tf_version` (None: the newest).

        The first variant whose ``versions`` contains the version replaces the
        fields it gives; ungated fields apply to every version.
        """
        base = self.expectation
        for variant in self.variants:
            if tf_version is not None and _in(tf_version, variant.versions):
                return Expectation(
                    values=variant.values if variant.values is not None else base.values,
                    raises=variant.raises if variant.replaces_raises else base.raises,
                    logs=variant.logs if variant.logs is not None else base.logs,
                )
        return base


def _in(version: str | None, specifiers: str) -> bool:
    if version is None:
        return True
    try:
        return Version(version.split("-")[0].split("+")[0]) in SpecifierSet(specifiers)
    except InvalidVersion:
        return True


def valid_specifier(text: str) -> bool:
    """True when `text` is a PEP 440 specifier set such as ``>=2.16,<2.20``."""
    try:
        SpecifierSet(text)
    except Exception:  # packaging raises InvalidSpecifier
        return False
    return True
