"""Differential test: each program must give identical results on TensorFlow
and on the reference engine (values to tolerance; None-ness, structure,
dtype, shape, exception type and message, and logged warnings exactly)."""
import pytest
import tensorflow

import reference_impl
from ref_difftest import run_program, assert_same_events
from ref_programs import all_programs

PROGRAMS = all_programs()


@pytest.mark.parametrize('name,source', PROGRAMS, ids=[name for name, _ in PROGRAMS])
def test_program_agrees_with_tensorflow(name, source):
    expected = run_program(tensorflow, source, name)
    reference_impl._reset_state()
    actual = run_program(reference_impl, source, name)
    assert_same_events(actual, expected)


def test_there_are_enough_programs():
    assert len(PROGRAMS) >= 50
