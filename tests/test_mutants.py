"""The mutant engines: each is a well-formed engine, and the corpus catches every one.

The catch test runs all mutants in this process (TensorFlow imported once),
each only on the cases that use its API words, and stops each mutant at its
first catching case; its duration is printed (``pytest -s``) and kept as a
user property of the test.
"""

from __future__ import annotations

import importlib
import json
import time

import pytest

from conformance.cli import main
from conformance.engines import resolve_engine
from conformance.loader import builtin_cases_dir, load_cases
from conformance.mutants import AREAS, mutant_info, mutant_names
from conformance.runner import run_case
from conformance.sensitivity import measure, relevant

MIN_MUTANTS = 25


def test_there_are_enough_mutants_and_they_cover_every_area():
    infos = [mutant_info(name) for name in mutant_names()]
    assert len(infos) >= MIN_MUTANTS
    assert {i.area for i in infos} == set(AREAS)
    assert sum(bool(i.seen_in) for i in infos) >= 10


@pytest.mark.parametrize("name", mutant_names())
def test_mutant_is_described_and_loads_as_an_engine(name, tf_engine):
    info = mutant_info(name)
    assert info.area in AREAS and info.touches and info.broken.endswith(".")
    engine = resolve_engine(info.module)
    engine.load()
    assert engine.tf_version == tf_engine.tf_version
    assert engine.kind_of(engine.namespace.constant(1.0)) == "Tensor"
    module = importlib.import_module(info.module)
    assert callable(module._reset_state)


def test_mutants_leave_unrelated_behavior_alone(case_dir, tf_engine):
    from tests.conftest import GOOD_CASE

    case = load_cases([case_dir(basic=GOOD_CASE)]).cases[0]
    for name in mutant_names():
        result = run_case(case, resolve_engine(mutant_info(name).module), "eager")
        assert result.status == "passed", (name, result.mismatches)


def test_relevance_uses_the_mutant_api_words(case_dir):
    from tests.conftest import GOOD_CASE

    case = load_cases([case_dir(basic=GOOD_CASE)]).cases[0]
    assert relevant(case, ("gradient",))
    assert not relevant(case, ("jacobian", "ForwardAccumulator"))


def test_the_corpus_catches_every_mutant(record_property):
    cases = load_cases([builtin_cases_dir()]).cases
    started = time.perf_counter()
    report = measure(cases, first_only=True)
    seconds = time.perf_counter() - started
    record_property("sensitivity_seconds", round(seconds, 1))
    print(f"\nmutation self-test: {len(report.mutants)} mutants in {seconds:.1f}s")
    assert not [m.error for m in report.mutants if m.error]
    uncaught = {m.info.name: m.info.broken for m in report.uncaught()}
    assert not uncaught, f"no case catches: {uncaught}"


def test_sensitivity_command_lists_catching_cases_and_writes_json(tmp_path, capsys):
    out = tmp_path / "sens.json"
    persistence = builtin_cases_dir() / "persistence.yaml"
    status = main(
        [
            "sensitivity",
            str(persistence),
            "--mutant",
            "reusable_tape",
            "--mutant",
            "jvp_tangent_ignored",
            "--json",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert status == 1  # jvp_tangent_ignored: persistence cases never use forward mode
    data = json.loads(out.read_text())
    assert (
        "persistence/second-gradient-call-raises" in data["mutants"]["reusable_tape"]["caught_by"]
    )
    assert data["uncaught_mutants"] == ["jvp_tangent_ignored"]
    assert "reusable_tape" in data["cases"]["persistence/second-gradient-call-raises"]
    assert "NOT CAUGHT" in printed and "cases that catch no mutant" in printed


def test_sensitivity_rejects_an_unknown_mutant(capsys):
    assert (
        main(
            [
                "sensitivity",
                str(builtin_cases_dir() / "persistence.yaml"),
                "--mutant",
                "no_such_mutant",
            ]
        )
        == 2
    )
    assert "unknown mutant" in capsys.readouterr().err


def test_every_tag_has_a_case_that_catches_a_mutant(record_property):
    """Each tag's cases can fail: some deliberately wrong engine is caught by one of them."""
    from conformance.sensitivity import tag_sensitivity

    cases = load_cases([builtin_cases_dir()]).cases
    started = time.perf_counter()
    found = tag_sensitivity(cases)
    record_property("tag_sensitivity_seconds", round(time.perf_counter() - started, 1))
    assert len(found) >= 20
    assert not [tag for tag, mutant in found.items() if mutant is None]


def test_tag_sensitivity_reports_a_tag_no_mutant_fails(case_dir):
    from conformance.sensitivity import tag_sensitivity
    from tests.conftest import GOOD_CASE

    cases = load_cases([case_dir(basic=GOOD_CASE)]).cases  # every mutant passes it
    assert tag_sensitivity(cases) == {"watch": None}
