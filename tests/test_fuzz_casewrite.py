"""Drafted fuzz cases: expectations that load, and `raises` that match TF's messages."""

from __future__ import annotations

import re

import numpy as np

from conformance.fuzz.casewrite import expectation_of, raises_of
from conformance.observe import describe_exception, encode_array
from conformance.spec import parse_spec


def test_an_empty_tensor_is_drafted_as_a_spec_that_loads():
    empty = np.zeros((0, 1, 2), np.float64)
    observation = {"kind": "Tensor", "dtype": "float64", "shape": [0, 1, 2]}
    observation["value"] = encode_array(empty)
    drafted = expectation_of(observation)
    assert drafted == {"tensor": "any", "dtype": "float64", "shape": [0, 1, 2]}
    assert parse_spec(drafted).is_tensor


def test_a_drafted_raises_matches_the_message_it_came_from_in_each_context():
    eager = describe_exception(TypeError("`dtype` <dtype: 'variant'> is not compatible."))
    in_function = describe_exception(
        TypeError(
            'in user code:\n\n    File "case.yaml", line 3, in run  *\n        y = f(x)\n\n'
            "    TypeError: `dtype` <dtype: 'variant'> is not compatible.\n"
        )
    )
    for exc, context in ((eager, "eager"), (in_function, "function")):
        raises = raises_of(exc, context)
        assert raises["type"] == "TypeError"
        assert re.search(raises["match"], exc["message"]), (context, raises)
    assert raises_of(eager, "eager")["match"].startswith("^")
    assert not re.search(raises_of(eager, "eager")["match"], in_function["message"])
