"""Former name of `xfails` (the known-failures file), kept so older imports work."""

from collections.abc import Iterable

from .result import RunOutcome
from .xfails import *  # noqa: F403
from .xfails import Applied, apply_xfails
from .xfails import Xfails as Expectations
from .xfails import XfailsError as ExpectationsError
from .xfails import __all__ as _names
from .xfails import load_xfails as load_expectations
from .xfails import parse_xfails as parse_expectations
from .xfails import write_xfails as write_expectations


def apply_expectations(
    expectations: Expectations, run: RunOutcome, known_case_ids: Iterable[str]
) -> Applied:
    """Former in-place form of `xfails.apply_xfails`: rewrites `run` and returns `Applied`."""
    applied_run, applied = apply_xfails(expectations, run, known_case_ids)
    run.results[:], run.divergences[:] = applied_run.results, applied_run.divergences
    return applied


__all__ = [
    *_names,
    "Expectations",
    "ExpectationsError",
    "load_expectations",
    "parse_expectations",
    "write_expectations",
    "apply_expectations",
]
