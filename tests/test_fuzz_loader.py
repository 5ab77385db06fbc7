"""Property-based fuzzing: no input makes the loader or the expectation grammar
fail with anything but the suite's own errors."""

from __future__ import annotations

import contextlib
import string
from pathlib import Path

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.compare import Mismatch, Tolerance, compare_spec
from conformance.errors import CaseError, SpecError
from conformance.loader import load_file
from conformance.spec import DTYPES, HEADS, parse_expect, parse_spec
from tests.conftest import GOOD_CASE

FUZZ = settings(
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["any", "float32", "float33", "1+2j", "tensor", "nan"]),
)
keys = st.one_of(
    st.sampled_from(
        [
            "tensor",
            "variable",
            "indexed_slices",
            "ndarray",
            "python",
            "list",
            "tuple",
            "dict",
            "type",
            "dtype",
            "shape",
            "rtol",
            "atol",
            "indices",
            "values",
        ]
    ),
    st.text(string.ascii_letters + "_-", min_size=1, max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=25,
)

BASE_CASE = {
    "id": "c",
    "title": "t",
    "doc": "d",
    "source": "https://x.org/",
    "tags": ["x"],
    "program": "x = 1\n",
    "expect": {"x": 1.0},
}
FIELDS = list(BASE_CASE) + [
    "raises",
    "logs",
    "rtol",
    "atol",
    "contexts",
    "versions",
    "variants",
    "quote",
    "basis",
    "observed_with",
    "bogus",
]


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
@given(
    fields=st.dictionaries(st.sampled_from(FIELDS), values, max_size=6),
    drop=st.lists(st.sampled_from(list(BASE_CASE)), max_size=2),
)
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
@given(
    body=values,
    modifiers=st.dictionaries(
        st.sampled_from(["dtype", "shape", "rtol", "atol", "indices"]), values, max_size=3
    ),
    head=st.sampled_from(["tensor", "variable", "indexed_slices", "ndarray"]),
)
def test_tensor_specs_parse_or_raise_spec_errors(body, modifiers, head):
    with contextlib.suppress(SpecError):
        parse_spec({head: body, **modifiers})


@FUZZ
@given(expect=values)
def test_expectations_inside_case_files_never_crash_the_loader(tmp_path, expect):
    _load_text(tmp_path, yaml.safe_dump([BASE_CASE | {"expect": {"v": expect}}]).encode())


# Grammar-aware values: heads with modifiers that are often valid (a real dtype, a
# shape of small ints) and often of the wrong type, so the deep checks get reached.
leaf_values = st.one_of(
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=4),
    st.sampled_from(["abc", "", "1+2j", "nan", "any", "\ud800", 10**20]),
)
texts = st.sampled_from(["abc", "de", ""])
bodies = st.one_of(
    *(
        st.recursive(leaf, lambda inner: st.lists(inner, max_size=3), max_leaves=8)
        for leaf in (leaf_values, texts)
    )
)
modifier_values = {
    "dtype": st.one_of(
        st.sampled_from(["string", "float32", "complex64", "int32"]),
        st.sampled_from(DTYPES),
        bodies,
    ),
    "shape": st.one_of(st.lists(st.integers(0, 3), max_size=3), bodies),
    "rtol": st.one_of(st.floats(allow_nan=True), bodies),
    "atol": bodies,
    "indices": bodies,
}


def _shape_of(body):
    try:
        return list(np.shape(np.array(body, dtype=object)))
    except ValueError:  # ragged
        return []


@st.composite
def tensor_specs(draw):
    """A tensor-like head, its values, some modifiers, often the values' own shape."""
    body = draw(bodies)
    spec = {
        draw(st.sampled_from(["tensor", "variable", "indexed_slices", "ndarray"])): body,
        **draw(st.fixed_dictionaries({}, optional=modifier_values)),
    }
    if draw(st.booleans()):
        spec["shape"] = _shape_of(body)
    return spec


grammar_specs = st.recursive(
    st.one_of(
        bodies,
        tensor_specs(),
        st.builds(lambda head, body: {head: body}, st.sampled_from(HEADS), bodies),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.builds(
            lambda head, items: {head: items},
            st.sampled_from(["list", "tuple"]),
            st.lists(inner, max_size=3),
        ),
        st.builds(
            lambda items: {"dict": items}, st.dictionaries(st.text(max_size=3), inner, max_size=3)
        ),
    ),
    max_leaves=6,
)
SAMPLE_OBSERVATIONS = [
    {"kind": "none"},
    {"kind": "Tensor", "dtype": "float32", "shape": [], "value": 1.0},
    {"kind": "Tensor", "dtype": "string", "shape": [2], "value": ["abc", "de"]},
    {"kind": "ndarray", "dtype": "complex64", "shape": [1], "value": ["(1+2j)"]},
    {
        "kind": "IndexedSlices",
        "dtype": "float32",
        "shape": [2],
        "value": ["nan", 0.0],
        "indices": [0],
    },
    {"kind": "python", "type": "bytes", "value": "abc"},
    {"kind": "list", "items": [{"kind": "python", "type": "float", "value": "inf"}]},
    {"kind": "dict", "items": [["abc", {"kind": "none"}]]},
    {"kind": "object", "type": "TensorShape", "repr": "TensorShape([2])", "value": [2]},
]


@settings(max_examples=200, deadline=2000)
@given(raw=grammar_specs)
def test_a_spec_value_loads_and_compares_or_is_a_located_grammar_error(raw):
    """Every expectation either parses, and then compares with any observation
    without raising, or is refused with a `SpecError` pointing into it."""
    try:
        spec = parse_spec(raw, ("v",))
    except SpecError as exc:
        assert exc.path[:1] == ("v",)
        return
    for obs in SAMPLE_OBSERVATIONS:
        assert all(isinstance(m, Mismatch) for m in compare_spec(spec, obs, ("v",), Tolerance()))


@settings(FUZZ, max_examples=60)
@given(raw=grammar_specs)
def test_grammar_specs_in_case_files_load_or_give_located_case_errors(tmp_path, raw):
    """In a file, a bad expectation is one `CaseError` naming its case and line; the
    file's other case still loads."""
    text = yaml.safe_dump([BASE_CASE | {"expect": {"v": raw}}, BASE_CASE | {"id": "ok"}])
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    cases, errors = load_file(path)
    assert "fuzz/ok" in [case.id for case in cases]
    for error in errors:
        assert "internal error" not in error.message, str(error)
        assert (error.path, error.case_id) == (str(path), "c"), str(error)
        assert error.line is not None and error.line > 1, str(error)


def _both_paths(path: Path, monkeypatch) -> tuple:
    """What `load_file` gives with libyaml composing, and with the careful parser alone."""
    from conformance import loader

    fast = load_file(path)
    with monkeypatch.context() as patched:
        patched.setattr(loader, "_compose_fast", lambda text: (None, None, False))
        careful = load_file(path)
    return fast, careful


def _same(fast: tuple, careful: tuple) -> None:
    assert fast[0] == careful[0]  # the same cases, lines included
    assert [str(e) for e in fast[1]] == [str(e) for e in careful[1]]


def test_a_duplicate_key_in_a_plain_tree_file_costs_only_its_case(tmp_path, monkeypatch):
    """A file without anchors, aliases or tags takes the light check (duplicate keys
    only); a duplicate key there still refuses just its case, located, as the
    careful parser does."""
    from conformance import loader

    second = GOOD_CASE.replace("id: square", "id: twice").replace(
        "  tags: [watch]\n", "  tags: [watch]\n  tags: [watch]\n"
    )
    path = tmp_path / "plain.yaml"
    path.write_text(GOOD_CASE + second)
    assert loader._compose_fast(path.read_text())[2], "expected the plain-tree path"
    fast, careful = _both_paths(path, monkeypatch)
    _same(fast, careful)
    assert [case.local_id for case in fast[0]] == ["square"]
    ((error),) = fast[1]
    assert error.case_id == "twice" and "duplicate key 'tags'" in str(error)


def test_libyaml_and_the_careful_parser_load_every_builtin_file_alike(monkeypatch):
    from conformance.loader import builtin_cases_dir

    files = sorted(builtin_cases_dir().rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        _same(*_both_paths(path, monkeypatch))


@FUZZ
@given(
    fields=st.dictionaries(st.sampled_from(FIELDS), values, max_size=6),
    text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=120),
    style=st.sampled_from([None, False, True]),
)
def test_libyaml_and_the_careful_parser_agree_on_any_file(
    tmp_path, monkeypatch, fields, text, style
):
    """A file either parser accepts loads to the same cases and errors through both
    (the fast path falls back to the careful one for anything unusual)."""
    case = BASE_CASE | fields | {"doc": text}
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump([case], default_flow_style=style) + text, encoding="utf-8")
    _same(*_both_paths(path, monkeypatch))
