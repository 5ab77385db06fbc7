"""Property-based fuzzing: no input makes the loader or the expectation grammar
fail with anything but the suite's own errors."""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.errors import CaseError, SpecError
from conformance.loader import load_file
from conformance.spec import parse_expect, parse_spec

FUZZ = settings(max_examples=150, deadline=2000,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=12),
                    st.sampled_from(["any", "float32", "float33", "1+2j", "tensor", "nan"]))
keys = st.one_of(st.sampled_from(["tensor", "variable", "indexed_slices", "ndarray", "python",
                                  "list", "tuple", "dict", "type", "dtype", "shape", "rtol",
                                  "atol", "indices", "values"]),
                 st.text(string.ascii_letters + "_-", min_size=1, max_size=8))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=25)

BASE_CASE = {"id": "c", "title": "t", "doc": "d", "source": "https://x.org/", "tags": ["x"],
             "program": "x = 1\n", "expect": {"x": 1.0}}
FIELDS = list(BASE_CASE) + ["raises", "logs", "rtol", "atol", "contexts", "versions",
                            "variants", "quote", "basis", "observed_with", "bogus"]


def _load_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    cases, errors = load_file(path)
    for error in errors:
        assert isinstance(error, CaseError)
        assert error.path == str(path)
        assert "internal error" not in error.message, error.message
    assert all(case.path == str(path) for case in cases)


@FUZZ
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_any_text_is_loaded_or_refused_with_case_errors(tmp_path, text):
    _load_text(tmp_path, text.encode("utf-8"))


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_are_loaded_or_refused_with_case_errors(tmp_path, data):
    _load_text(tmp_path, data)


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(FIELDS), values, max_size=6),
       drop=st.lists(st.sampled_from(list(BASE_CASE)), max_size=2))
def test_mutated_cases_are_loaded_or_refused_with_case_errors(tmp_path, fields, drop):
    case = {k: v for k, v in BASE_CASE.items() if k not in drop}
    case.update(fields)
    _load_text(tmp_path, yaml.safe_dump([case, BASE_CASE | {"id": "ok"}]).encode())


@FUZZ
@given(expect=values)
def test_expectations_parse_or_raise_spec_errors(expect):
    try:
        parse_expect({"v": expect})
    except SpecError as exc:
        assert exc.path[:1] == ("v",)


@FUZZ
@given(body=values, modifiers=st.dictionaries(
    st.sampled_from(["dtype", "shape", "rtol", "atol", "indices"]), values, max_size=3),
       head=st.sampled_from(["tensor", "variable", "indexed_slices", "ndarray"]))
def test_tensor_specs_parse_or_raise_spec_errors(body, modifiers, head):
    try:
        parse_spec({head: body, **modifiers})
    except SpecError:
        pass


@FUZZ
@given(expect=values)
def test_expectations_inside_case_files_never_crash_the_loader(tmp_path, expect):
    _load_text(tmp_path, yaml.safe_dump([BASE_CASE | {"expect": {"v": expect}}]).encode())
