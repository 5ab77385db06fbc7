"""The expectation grammar: what each YAML form means, and what it rejects."""

import pytest

from conformance.errors import SpecError
from conformance.spec import parse_spec


def test_null_is_none():
    assert parse_spec(None).kind == "none"


def test_bare_number_is_a_scalar_tensor():
    spec = parse_spec(6.0)
    assert (spec.kind, spec.value, spec.dtype) == ("Tensor", 6.0, None)


def test_bare_string_and_bool_are_python_values():
    assert parse_spec("weight:0").kind == "python"
    assert parse_spec(True).value is True


def test_list_is_a_structure_of_expectations():
    spec = parse_spec([None, 27.0])
    assert spec.kind == "list"
    assert [s.kind for s in spec.items] == ["none", "Tensor"]


def test_dict_structure_is_never_a_tensor_spec():
    spec = parse_spec({"dict": {"tensor": 1.0, "dtype": None}})
    assert spec.kind == "dict"
    assert dict(spec.items)["tensor"].kind == "Tensor"
    assert dict(spec.items)["dtype"].kind == "none"


def test_tensor_spec_with_modifiers():
    spec = parse_spec({"tensor": [[1, 2]], "dtype": "float64", "shape": [1, 2], "rtol": 0.1})
    assert (spec.dtype, spec.shape, spec.rtol) == ("float64", (1, 2), 0.1)


def test_scalar_value_with_shape_means_filled():
    assert parse_spec({"tensor": 0.0, "shape": [3, 2]}).shape == (3, 2)


def test_any_value_checks_only_kind_dtype_shape():
    assert parse_spec({"variable": "any", "dtype": "int32"}).any_value


def test_complex_values_are_strings():
    assert parse_spec({"tensor": ["1+2j", "3-1j"], "dtype": "complex64"}).value == ["1+2j", "3-1j"]


@pytest.mark.parametrize(
    "raw, words",
    [
        ({"tensor": 1.0, "list": []}, "exactly one"),
        ({"dtype": "float32"}, "exactly one"),
        ({"tensor": 1.0, "colour": "red"}, "unknown key"),
        ({"tensor": 1.0, "dtype": "float128"}, "unknown dtype"),
        ({"tensor": [[1, 2], [3]]}, "rectangular"),
        ({"tensor": [1, 2], "shape": [3]}, "shape"),
        ({"tensor": 1.0, "shape": "scalar"}, "shape must be"),
        ({"tensor": 1.0, "rtol": -1}, "rtol"),
        ({"dict": [1, 2]}, "mapping"),
        ({"list": {"a": 1}}, "list"),
        ({"python": 1, "dtype": "float32"}, "unknown key"),
        ({"tensor": 1.0, "indices": [0]}, "indexed_slices"),
    ],
)
def test_grammar_errors_say_what_is_wrong(raw, words):
    with pytest.raises(SpecError, match=words):
        parse_spec(raw)


def test_error_path_points_inside_nested_structures():
    with pytest.raises(SpecError) as info:
        parse_spec({"dict": {"w": [None, {"tensor": "x1"}]}})
    assert info.value.path == ("dict", "w", 1, "tensor")


def test_string_tensors_need_the_string_dtype():
    assert parse_spec({"tensor": ["abc"], "dtype": "string"}).value == ["abc"]
    with pytest.raises(SpecError, match="needs dtype: string"):
        parse_spec({"tensor": ["abc"]})


@pytest.mark.parametrize(
    "raw, shape",
    [
        ({"tensor": "abc", "dtype": "string", "shape": []}, ()),
        ({"tensor": ["abc", "de"], "dtype": "string", "shape": [2]}, (2,)),
        ({"ndarray": [["a"], ["b"]], "dtype": "string", "shape": [2, 1]}, (2, 1)),
        ({"tensor": "", "dtype": "string", "shape": [3]}, (3,)),
    ],
)
def test_string_tensors_load_with_a_shape(raw, shape):
    assert parse_spec(raw).shape == shape


@pytest.mark.parametrize(
    "raw, words",
    [
        ({"tensor": 1.0, "dtype": "string"}, "values are strings"),
        ({"tensor": ["a", 1], "dtype": "string"}, "values are strings"),
        ({"tensor": [["a"], ["b", "c"]], "dtype": "string"}, "rectangular"),
        ({"tensor": ["a", "b"], "dtype": "string", "shape": [3]}, "shape says"),
        ({"tensor": "abc", "shape": []}, "needs dtype: string"),
        ({"tensor": [1], "shape": [True]}, "shape must be"),
        ({"tensor": 1.0, "rtol": float("nan")}, "rtol"),
        (10**20, "not a rectangular nested list of numbers"),
        ({"tensor": ["1+2j", None]}, "not a rectangular"),
        ({"bytes": 3}, "'bytes' takes a text"),
        ({"bytes": "\ud800"}, "'bytes' takes a text"),
    ],
)
def test_values_of_the_wrong_type_are_grammar_errors(raw, words):
    with pytest.raises(SpecError, match=words):
        parse_spec(raw)


def test_bytes_are_the_utf8_encoding_of_their_text():
    assert parse_spec({"bytes": "héllo"}).value == "héllo".encode()
