"""Shorthands the family modules write their rows with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..table import CHECKS, REAL, OpEntry, Sample, ints, uniform


def rand(api: str, shape: tuple[int, ...], low: float = -1.0, high: float = 1.0, k: int = 0) -> Any:
    """A deterministic float64 template for `api` (k tells several apart)."""
    return uniform(f"{api}#{k}", shape, low, high)


def S(name: str, *args: Any, conv: str | None = None, **kwargs: Any) -> Sample:
    return Sample(name, tuple(args), kwargs, convention=conv)


def E(
    api: str,
    family: str,
    samples: list[Sample],
    dtypes: tuple[str, ...] = REAL,
    call: Callable[..., Any] | None = None,
    checks: tuple[str, ...] = CHECKS,
    note: str = "",
    tags: tuple[str, ...] = (),
    convention: str | None = None,
) -> OpEntry:
    return OpEntry(
        api=api,
        family=family,
        samples=tuple(samples),
        dtypes=dtypes,
        checks=checks,
        call=call,
        note=note,
        tags=tags,
        convention=convention,
    )


__all__ = ["E", "S", "ints", "rand"]
