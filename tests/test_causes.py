"""Cause signatures: one per mismatch, abstracted over values, clustered across cases."""

from conformance.causes import causes, fold_contexts, new_divergences, signature, summary_lines
from conformance.report.overview import causes_view


def tensor(value, dtype="float32", shape=()):
    return {"kind": "Tensor", "dtype": dtype, "shape": list(shape), "value": value}


def result(
    case, status="failed", mismatches=(), values=None, context="eager", engine="mine", **extra
):
    return {
        "case": case,
        "engine": engine,
        "context": context,
        "status": status,
        "outcome": {"values": values or {}, "exception": None, "logs": []},
        "mismatches": list(mismatches),
        "unsupported_api": None,
        "error": None,
        **extra,
    }


def none_mismatch(path="g", observed="Tensor float32[] 0.0"):
    return {"path": path, "field": "none", "expected": "None", "observed": observed, "detail": ""}


RAISE = {
    "path": "exception",
    "field": "exception",
    "expected": "RuntimeError raised",
    "observed": "no exception",
    "detail": "",
}


def test_zeros_for_none_has_one_signature_whatever_the_values_dtype_and_place():
    assert (
        signature(none_mismatch(), {"values": {"g": tensor(0.0)}})
        == "None expected, zeros observed"
    )
    nested = {"values": {"gs": {"kind": "list", "items": [tensor([0, 0], "int32", [2])]}}}
    assert signature(none_mismatch("gs[0]"), nested) == "None expected, zeros observed"
    strings = {"values": {"g": tensor("", "string")}}
    assert signature(none_mismatch(), strings) == "None expected, zeros observed"
    assert (
        signature(none_mismatch(), {"values": {"g": tensor(2.0)}})
        == "None expected, a Tensor observed"
    )


def test_exception_and_value_signatures_abstract_over_messages_and_numbers():
    assert signature(RAISE) == "RuntimeError expected, nothing raised"
    unexpected = {**RAISE, "expected": "no exception", "observed": "ValueError: bad 3"}
    assert signature(unexpected) == "no exception expected, ValueError raised"
    value = {"path": "g", "field": "value", "expected": "1.0", "observed": "nan", "detail": ""}
    assert signature(value, {"values": {"g": tensor("nan")}}) == "values differ: NaN observed"
    assert signature(value, {"values": {"g": tensor(3.0)}}) == "values differ"


def test_causes_cluster_across_cases_and_contexts_largest_first():
    record = {
        "metadata": {"engines": [{"name": "tf"}, {"name": "mine"}]},
        "divergences": [],
        "results": [
            result("a/one", mismatches=[none_mismatch()], values={"g": tensor(0.0)}),
            result(
                "a/one", mismatches=[none_mismatch()], values={"g": tensor(0.0)}, context="function"
            ),
            result("b/two", mismatches=[none_mismatch()], values={"g": tensor(0.0)}),
            result("c/raise", mismatches=[RAISE]),
            result("d/jac", status="unsupported", unsupported_api="GradientTape.jacobian"),
            result("d/jac", status="passed", engine="tf"),
        ],
    }
    (mine,) = [found for engine, found in causes(record).items() if engine == "mine"]
    assert [(c.signature, len(c.results), c.cases) for c in mine] == [
        ("None expected, zeros observed", 3, ["a/one", "b/two"]),
        ("API GradientTape.jacobian missing", 1, ["d/jac"]),
        ("RuntimeError expected, nothing raised", 1, ["c/raise"]),
    ]
    assert causes(record)["tf"] == []
    lines = summary_lines(record)
    assert lines[0] == "causes on mine (5 result(s), largest first):"
    assert lines[1].endswith("3 result(s) in 2 case(s): None expected, zeros observed")
    assert lines[2].strip() == "e.g. a/one, b/two"


def python_mismatch(path="count", expected=2, observed=3):
    return {"path": path, "field": "python", "expected": expected, "observed": observed}


def test_a_signature_never_seen_alone_is_a_symptom_of_the_cause_it_goes_with():
    """A result failing two ways where one way also fails alone elsewhere: the other is
    listed with it, not as a cause. Seen on its own once, it is a cause again."""
    both = result("h/inside", mismatches=[RAISE, python_mismatch()])
    record = {
        "metadata": {"engines": [{"name": "mine"}]},
        "divergences": [],
        "results": [result("c/raise", mismatches=[RAISE]), both],
    }
    (cause,) = causes(record)["mine"]
    assert cause.signature == "RuntimeError expected, nothing raised"
    assert len(cause.results) == 2 and cause.also == {"Python value differs": 1}
    assert summary_lines(record)[3].strip() == "with it in 1 of them: Python value differs"
    (view,) = causes_view(record, anchor_of=str)  # the HTML report's rows
    assert view["causes"][0]["also"] == [("Python value differs", 1)]
    record["results"].append(result("p/alone", mismatches=[python_mismatch()]))
    found = {c.signature: (len(c.results), c.also) for c in causes(record)["mine"]}
    assert found == {
        "RuntimeError expected, nothing raised": (2, {}),
        "Python value differs": (2, {}),
    }


DTYPE = {"path": "z", "field": "dtype", "expected": "float64", "observed": "float16"}


def built_on_record(prerequisite_status="failed", dependent_status="failed") -> dict:
    """b/built builds on a/base; a/base fails with zeros for None in `prerequisite_status`,
    c/other fails the same way, and b/built fails another way (a dtype)."""
    base = result("a/base", status=prerequisite_status, values={"g": tensor(0.0)})
    if prerequisite_status == "failed":
        base["mismatches"] = [none_mismatch()]
    dependent = result("b/built", status=dependent_status, mismatches=[DTYPE])
    if dependent_status == "unsupported":
        dependent.update(mismatches=[], unsupported_api="GradientTape.jacobian")
    return {
        "metadata": {"engines": [{"name": "mine"}]},
        "divergences": [],
        "cases": {"b/built": {"program": "z = 1", "builds_on": ["a/base"]}},
        "results": [
            dependent,
            base,
            result("c/other", mismatches=[none_mismatch()], values={"g": tensor(0.0)}),
        ],
    }


def test_a_failure_in_a_case_built_on_a_failing_case_counts_under_that_cause():
    """The dependent's dtype mismatch is the prerequisite's bug seen again: one cause,
    its direct cases listed first, the dtype named under it in the terminal and HTML."""
    (cause,) = causes(built_on_record())["mine"]
    assert cause.signature == "None expected, zeros observed"
    assert cause.cases == ["a/base", "c/other", "b/built"]
    assert cause.through == {"dtype float64 expected, float16 observed": 1}
    assert summary_lines(built_on_record())[3].strip() == (
        "through cases that build on these, in 1 result(s): "
        "dtype float64 expected, float16 observed"
    )
    (view,) = causes_view(built_on_record(), anchor_of=str)
    assert view["causes"][0]["through"] == [
        (
            "through cases that build on these, in 1 result(s)",
            "dtype float64 expected, float16 observed",
        )
    ]


def test_a_case_whose_prerequisite_passes_or_is_unsupported_keeps_its_own_cause():
    for status in ("passed", "unsupported"):
        found = {c.signature: c.cases for c in causes(built_on_record(status))["mine"]}
        assert found["dtype float64 expected, float16 observed"] == ["b/built"], status
        assert all(not c.through for c in causes(built_on_record(status))["mine"])


def test_an_unsupported_dependent_stays_under_its_missing_api():
    found = {c.signature: c.cases for c in causes(built_on_record("failed", "unsupported"))["mine"]}
    assert found["API GradientTape.jacobian missing"] == ["b/built"]
    assert found["None expected, zeros observed"] == ["a/base", "c/other"]


def test_the_prerequisite_is_read_in_the_dependents_context_when_it_ran_there():
    """a/base fails eagerly but passes as a function: b/built's function failure is
    its own cause, its eager failure counts under the prerequisite's."""
    record = built_on_record()
    record["results"] += [
        result("a/base", status="passed", context="function"),
        result("b/built", mismatches=[DTYPE], context="function"),
    ]
    found = {c.signature: c.results for c in causes(record)["mine"]}
    assert ("b/built", "eager") in found["None expected, zeros observed"]
    assert found["dtype float64 expected, float16 observed"] == [("b/built", "function")]


def test_eager_and_function_alike_fold_into_one_with_both_contexts():
    same = [result("a/one", mismatches=[none_mismatch()], context=c) for c in ("eager", "function")]
    other = result("a/one", mismatches=[RAISE], context="function", engine="x")
    (folded, alone) = fold_contexts(same + [other])
    assert folded.contexts == ["eager", "function"] and alone.contexts == ["function"]


def test_a_divergence_that_repeats_the_failure_is_folded_in_and_others_are_kept():
    failing = result("a/one", mismatches=[none_mismatch()])
    passing = result("b/two", status="passed")
    repeat = {
        "case": "a/one",
        "context": "eager",
        "baseline": "tf",
        "engine": "mine",
        "mismatches": [{**none_mismatch(), "expected": "None"}],
    }
    fresh = {
        "case": "b/two",
        "context": "eager",
        "baseline": "tf",
        "engine": "mine",
        "mismatches": [
            {"path": "h", "field": "dtype", "expected": "float32", "observed": "float64"}
        ],
    }
    record = {"results": [failing, passing], "divergences": [repeat, fresh]}
    assert new_divergences(record) == [fresh]


def test_a_name_the_program_sets_only_in_an_except_clause_means_nothing_was_raised():
    program = (
        "try:\n  g.gradient(y, x)\nexcept RuntimeError as e:\n  second_error = str(e)\nseen = 1\n"
    )
    record = {
        "metadata": {"engines": [{"name": "mine"}]},
        "divergences": [],
        "cases": {"a/one": {"program": program}},
        "results": [
            result(
                "a/one",
                mismatches=[
                    {
                        "path": "second_error",
                        "field": "missing",
                        "expected": "assigned",
                        "observed": "not assigned",
                        "detail": "",
                    },
                    {
                        "path": "seen",
                        "field": "missing",
                        "expected": "assigned",
                        "observed": "not assigned",
                        "detail": "",
                    },
                ],
            )
        ],
    }
    ((cause,),) = causes(record).values()  # one result: the second is a symptom
    assert cause.signature == "RuntimeError expected, nothing raised"
    assert cause.also == {"name not assigned": 1}
