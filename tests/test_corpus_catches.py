"""The built-in corpus catches a deliberately wrong engine (zeros instead of None)."""

from conformance.engines import resolve_engine
from conformance.loader import builtin_cases_dir, load_cases
from conformance.runner import run_cases


def test_zeros_for_none_engine_is_caught_by_the_none_cases():
    cases = [c for c in load_cases([builtin_cases_dir()]).cases if "none" in c.tags]
    assert len(cases) >= 5
    run = run_cases(cases, [resolve_engine("tests.sample_engines.zeros_for_none")])
    failed = [r for r in run.results if r.status == "failed"]
    assert len(failed) >= 3, [r.case for r in run.results]
    assert all(any(m.field == "none" for m in r.mismatches) for r in failed[:3])
