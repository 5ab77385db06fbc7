"""Comparison: each kind of mismatch is found, named, and located."""

import pytest

from conformance.case import Expectation, Raises
from conformance.compare import Mismatch, Tolerance, compare_outcome, compare_outcomes
from conformance.spec import parse_expect

TOL = Tolerance()


def tensor(value, dtype="float32", shape=(), kind="Tensor", **extra):
    return {"kind": kind, "dtype": dtype, "shape": list(shape), "value": value, **extra}


def outcome(exception=None, logs=(), **values):
    return {"values": values, "exception": exception, "logs": list(logs)}


def fields(expect, got, raises=None, logs=(), tol=TOL):
    expectation = Expectation(parse_expect(expect), raises, tuple(logs))
    return [(m.where, m.field) for m in compare_outcome(expectation, got, tol)]


def test_match_gives_no_mismatch():
    assert (
        fields({"g": {"tensor": 6.0, "dtype": "float32", "shape": []}}, outcome(g=tensor(6.0)))
        == []
    )


def test_none_vs_value_both_ways():
    assert fields({"g": None}, outcome(g=tensor(0.0))) == [("g", "none")]
    assert fields({"g": 0.0}, outcome(g={"kind": "none"})) == [("g", "none")]


def test_kind_tensor_vs_variable_vs_indexed_slices():
    assert fields({"g": 1.0}, outcome(g=tensor(1.0, kind="Variable"))) == [("g", "kind")]
    got = outcome(g=tensor([1.0, 0.0], shape=[2], kind="IndexedSlices", indices=[0]))
    assert fields({"g": {"tensor": [1.0, 0.0]}}, got) == [("g", "kind")]
    assert fields({"g": {"indexed_slices": [1.0, 0.0], "indices": [0]}}, got) == []
    assert fields({"g": {"indexed_slices": [1.0, 0.0], "indices": [1]}}, got) == [("g", "value")]


def test_dtype_and_shape():
    assert fields({"g": {"tensor": 1.0, "dtype": "float64"}}, outcome(g=tensor(1.0))) == [
        ("g", "dtype")
    ]
    assert fields({"g": {"tensor": [1.0], "shape": [1]}}, outcome(g=tensor(1.0))) == [
        ("g", "shape")
    ]


def test_value_mismatch_reports_elements_and_tolerance():
    expectation = Expectation(parse_expect({"g": {"tensor": [1.0, 2.0, 3.0]}}))
    (m,) = compare_outcome(expectation, outcome(g=tensor([1.0, 2.5, 3.0], shape=[3])), TOL)
    assert (m.where, m.field) == ("g", "value")
    assert "1 of 3 element(s) differ; first at [1]" in m.detail
    assert "rtol=1e-05, atol=1e-06" in m.detail
    assert m.elements == {
        "rtol": 1e-05,
        "atol": 1e-06,
        "count": 1,
        "size": 3,
        "shown": [[[1], 2.0, 2.5]],
    }


def test_a_nested_mismatch_carries_its_path_as_steps():
    expectation = Expectation(parse_expect({"g": [1.0, {"dict": {"w": {"tensor": [1.0, 2.0]}}}]}))
    got = outcome(
        g={
            "kind": "list",
            "items": [
                tensor(1.0),
                {"kind": "dict", "items": [["w", tensor([1.0, 9.0], shape=[2])]]},
            ],
        }
    )
    (m,) = compare_outcome(expectation, got, TOL)
    assert m.path == ("g", 1, "w") and m.where == "g[1]['w']"
    assert m.elements["shown"] == [[[1], 2.0, 9.0]]
    entry = m.to_json()
    assert entry["path"] == "g[1]['w']" and entry["steps"] == ["g", 1, "w"]
    assert Mismatch.from_json(entry) == m


def test_a_divergence_carries_the_differing_elements_with_the_looser_tolerance():
    a = outcome(g=tensor([1.0, 2.0, 3.0], shape=[3]))
    b = outcome(g=tensor([1.0, 2.0, 3.5], shape=[3], dtype="float16"))
    (m,) = [m for m in compare_outcomes(a, b, TOL) if m.field == "value"]
    assert (m.elements["rtol"], m.elements["atol"]) == (1e-3, 1e-3)
    assert m.elements["shown"] == [[[2], 3.0, 3.5]] and m.elements["count"] == 1


def test_default_tolerance_depends_on_dtype():
    close = 1.0 + 5e-4
    assert fields({"g": 1.0}, outcome(g=tensor(close, dtype="float16"))) == []
    assert fields({"g": 1.0}, outcome(g=tensor(close, dtype="float32"))) == [("g", "value")]
    assert fields({"g": 1.0}, outcome(g=tensor(1.0 + 1e-9, dtype="float64"))) == [("g", "value")]


def test_case_and_spec_tolerances_override_defaults():
    got = outcome(g=tensor(1.1))
    assert fields({"g": 1.0}, got, tol=Tolerance(rtol=0.2)) == []
    assert fields({"g": {"tensor": 1.0, "atol": 0.2}}, got) == []


def test_nan_equals_nan_and_inf_is_exact():
    assert fields({"g": float("nan")}, outcome(g=tensor("nan"))) == []
    assert fields({"g": float("inf")}, outcome(g=tensor("inf"))) == []
    assert fields({"g": float("inf")}, outcome(g=tensor("-inf"))) == [("g", "value")]
    assert fields({"g": 1.0}, outcome(g=tensor("nan"))) == [("g", "value")]


def test_filled_shape_compares_every_element():
    zeros = outcome(z=tensor([0.0, 0.0], shape=[2]))
    assert fields({"z": {"tensor": 0.0, "shape": [2]}}, zeros) == []
    assert fields(
        {"z": {"tensor": 0.0, "shape": [2]}}, outcome(z=tensor([0.0, 1.0], shape=[2]))
    ) == [("z", "value")]


def test_structures_list_tuple_dict():
    two = {"kind": "list", "items": [tensor(1.0), {"kind": "none"}]}
    assert fields({"g": [1.0, None]}, outcome(g=two)) == []
    assert fields({"g": {"tuple": [1.0, None]}}, outcome(g=two)) == [("g", "structure")]
    assert fields({"g": [1.0]}, outcome(g=two)) == [("g", "structure")]
    assert fields({"g": [1.0, 2.0]}, outcome(g=two)) == [("g[1]", "none")]
    got = {"kind": "dict", "items": [["w", tensor(1.0)], ["b", {"kind": "none"}]]}
    assert fields({"g": {"dict": {"w": 1.0, "b": None}}}, outcome(g=got)) == []
    assert fields({"g": {"dict": {"w": 1.0}}}, outcome(g=got)) == [("g", "structure")]
    assert fields({"g": {"dict": {"w": 2.0, "b": None}}}, outcome(g=got)) == [("g['w']", "value")]


def test_python_values_are_type_strict():
    name = {"kind": "python", "type": "str", "value": "weight:0"}
    assert fields({"n": "weight:0"}, outcome(n=name)) == []
    assert fields({"n": "bias:0"}, outcome(n=name)) == [("n", "python")]
    three = {"kind": "python", "type": "float", "value": 3.0}
    assert fields({"n": {"python": 3}}, outcome(n=three)) == [("n", "python")]
    assert fields({"n": "x"}, outcome(n=tensor(1.0))) == [("n", "kind")]


def test_missing_variable():
    assert fields({"g": 1.0, "h": 2.0}, outcome(g=tensor(1.0))) == [("h", "missing")]


def test_exceptions_type_message_and_absence():
    error = {
        "type": "InvalidArgumentError",
        "bases": ["InvalidArgumentError", "OpError", "Exception"],
        "message": "cannot compute AddV2",
    }
    raises = Raises("OpError", "AddV2")
    assert fields({}, outcome(exception=error), raises=raises) == []
    assert fields({}, outcome(exception=error), raises=Raises("ValueError")) == [
        ("exception", "exception_type")
    ]
    assert fields({}, outcome(exception=error), raises=Raises("OpError", "^Mul")) == [
        ("exception", "exception_message")
    ]
    assert fields({}, outcome(), raises=raises) == [("exception", "exception")]
    assert fields({}, outcome(exception=error)) == [("exception", "exception")]


def test_expected_log_must_be_captured():
    logs = [
        {
            "source": "tensorflow",
            "level": "WARNING",
            "message": "The dtype of the watched "
            "tensor must be floating (e.g. tf.float32), got tf.int32",
        }
    ]
    assert fields({}, outcome(logs=logs), logs=["must be floating"]) == []
    assert fields({}, outcome(), logs=["must be floating"]) == [("logs", "log")]


@pytest.mark.parametrize(
    "a, b, field",
    [
        (tensor(1.0), tensor(1.0, dtype="float64"), "dtype"),
        (tensor(1.0), {"kind": "none"}, "none"),
        (tensor(1.0), tensor(2.0), "value"),
        (tensor([1.0], shape=[1]), tensor(1.0), "shape"),
        ({"kind": "list", "items": []}, {"kind": "tuple", "items": []}, "kind"),
    ],
)
def test_divergence_between_engines(a, b, field):
    found = compare_outcomes(outcome(g=a), outcome(g=b), TOL)
    assert [(m.where, m.field) for m in found] == [("g", field)]


def test_divergence_in_exception_message():
    x = {"type": "RuntimeError", "bases": ["RuntimeError"], "message": "a"}
    y = dict(x, message="b")
    assert [m.field for m in compare_outcomes(outcome(exception=x), outcome(exception=y), TOL)] == [
        "exception_message"
    ]
    assert compare_outcomes(outcome(exception=x), outcome(exception=dict(x)), TOL) == []


def test_tf_function_decorations_are_not_divergences():
    from conformance.observe import summarize_message

    plain = "A non-persistent GradientTape can only be used to compute one set of gradients"
    wrapped = (
        'in user code:\n\n    File "c.yaml", line 3, in f  *\n        g()\n\n'
        f"    RuntimeError: {plain}\n"
    )
    device = (
        "{{function_node __wrapped__Mul_device_/job:localhost/device:CPU:0}} Incompatible shapes"
    )
    assert summarize_message(wrapped) == plain
    assert summarize_message(device) == "Incompatible shapes"
    x = {
        "type": "RuntimeError",
        "bases": ["RuntimeError"],
        "message": plain,
        "summary": summarize_message(plain),
    }
    y = dict(x, message=wrapped, summary=summarize_message(wrapped))
    assert compare_outcomes(outcome(exception=x), outcome(exception=y), TOL) == []
    z = dict(x, message="other", summary="other")
    assert [m.field for m in compare_outcomes(outcome(exception=x), outcome(exception=z), TOL)] == [
        "exception_message"
    ]


def shape_obs(dims):
    return {"kind": "object", "type": "TensorShape", "repr": f"TensorShape({dims})", "value": dims}


def test_type_expectation_matches_an_api_object_by_its_class():
    assert fields({"s": {"type": "TensorShape"}}, outcome(s=shape_obs([2]))) == []
    assert fields({"s": {"type": "TensorShape"}}, outcome(s={"kind": "tuple", "items": []})) == [
        ("s", "kind")
    ]


def test_api_objects_diverge_by_description_not_repr():
    ours, theirs = shape_obs([1, 2]), dict(shape_obs([1, 2]), repr="(1, 2)")
    assert compare_outcomes(outcome(s=ours), outcome(s=theirs), TOL) == []
    (found,) = compare_outcomes(outcome(s=ours), outcome(s=shape_obs([2, 1])), TOL)
    assert (found.where, found.field, found.expected, found.observed) == (
        "s",
        "value",
        [1, 2],
        [2, 1],
    )


def test_string_tensors_and_bytes_compare_by_text():
    text = tensor("abc", dtype="string")
    assert fields({"s": {"tensor": "abc", "dtype": "string", "shape": []}}, outcome(s=text)) == []
    assert fields({"s": {"tensor": "abd", "dtype": "string"}}, outcome(s=text)) == [("s", "value")]
    texts = tensor(["abc", "de"], dtype="string", shape=[2], kind="ndarray")
    assert (
        fields({"s": {"ndarray": ["abc", "de"], "dtype": "string", "shape": [2]}}, outcome(s=texts))
        == []
    )
    raw = {"kind": "python", "type": "bytes", "value": "abc"}
    assert fields({"b": {"bytes": "abc"}}, outcome(b=raw)) == []
    assert fields({"b": {"bytes": "abd"}}, outcome(b=raw)) == [("b", "python")]
    assert fields({"b": {"python": "abc"}}, outcome(b=raw)) == [("b", "python")]
