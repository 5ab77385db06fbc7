"""`conformance fuzz`: generation, rendering, isolation, shrinking and case drafting.

The worker-based tests use small N (the ≥ 2,000-program TensorFlow-vs-
TensorFlow run and the 10,000-program runs are scripts, see bench/fuzz_speed.py).
"""

from __future__ import annotations

import pytest

from conformance.fuzz.campaign import shrink_verdict
from conformance.fuzz.casewrite import draft_case, write_cases
from conformance.fuzz.generate import generate
from conformance.fuzz.program import Input, Op, Program, Query, Recorder
from conformance.fuzz.render import render
from conformance.fuzz.runner import FuzzRunner
from conformance.fuzz.session import run_session
from conformance.isolation import Isolation
from conformance.loader import load_file

pytest.importorskip("tensorflow")


def _program(*ops: Op, fn_input: str = "x0") -> Program:
    x0 = Input("x0", "constant", "float32", (2,), (-1.0, 2.0))
    tape = Recorder(
        "t0",
        "tape",
        watches=("x0",),
        queries=(Query("r0", "gradient", ops[-1].out if ops else "x0", "x0"),),
    )
    return Program((x0,), (tape,), ops)


def test_generation_is_deterministic_and_prefix_stable():
    first = generate(7, 0, 30)
    assert first == generate(7, 0, 30)
    assert generate(7, 12, 5) == first[12:17]
    assert first != generate(8, 0, 30)
    assert len({render(p) for p in first}) > 20  # programs are not all alike


def test_programs_render_to_python_that_compiles():
    for program in generate(3, 0, 50):
        source = render(program)
        compile(source, "<fuzz>", "exec")
        assert all(f"{name}, " in source for name in program.outputs)


def test_render_of_a_known_program():
    op = Op("v0", "square", ("x0",), dtype="float32", shape=(2,))
    assert render(_program(op)) == (
        "x0 = tf.constant([-1.0, 2.0], dtype=tf.float32)\n\n@context\ndef run():\n"
        "    with tf.GradientTape() as t0:\n        t0.watch(x0)\n        v0 = tf.square(x0)\n"
        "    r0 = t0.gradient(v0, x0)\n    return (r0, )\n\n(r0, ) = run()\n"
    )


@pytest.fixture(scope="module")
def faulty_runner():
    runner = FuzzRunner(
        "reference",
        "tests.faulty_engines.ref_relu6_hangs",
        Isolation(timeout=3, memory_mb=None, load_timeout=120),
        batch=10,
    )
    with runner:
        yield runner


def test_a_hanging_and_a_crashing_program_cost_only_themselves(faulty_runner):
    ok = Op("v0", "sin", ("x0",), dtype="float32", shape=(2,))
    hang = Op("v0", "relu6", ("x0",), dtype="float32", shape=(2,))
    crash = Op("v0", "elu", ("x0",), dtype="float32", shape=(2,))
    programs = [_program(ok), _program(hang), _program(ok), _program(crash), _program(ok)]
    verdicts = faulty_runner.run(list(enumerate(programs)), "faults")
    assert [v.status for v in verdicts] == ["agreed", "diverged", "agreed", "diverged", "agreed"]
    assert verdicts[1].signature == "timeout" and verdicts[3].signature == "crashed"
    again = faulty_runner.run([(0, _program(ok))], "after")  # the workers were replaced
    assert again[0].status == "agreed"


@pytest.fixture(scope="module")
def tf_vs_tf():
    with FuzzRunner("tensorflow", "tensorflow", Isolation(timeout=60, load_timeout=300)) as runner:
        yield runner


def test_tensorflow_agrees_with_itself(tf_vs_tf):
    stats = run_session(tf_vs_tf, seed=11, n=60, background=False)
    assert stats.programs == 60
    assert stats.statuses["diverged"] == 0, [v.signature for v in stats.diverged]
    assert stats.compared >= 55  # nearly every program is compared, not skipped


@pytest.fixture(scope="module")
def mutant_runner():
    with FuzzRunner(
        "tensorflow",
        "conformance.mutants.abs_grad_at_zero",
        Isolation(timeout=60, load_timeout=300),
    ) as runner:
        yield runner


def test_a_wrong_engine_is_found_shrunk_and_drafted_as_a_passing_case(mutant_runner, tmp_path):
    abs_at_zero = Op("v0", "abs", ("x0",), dtype="float32", shape=(2,))
    noise = [
        Op("v1", "sin", ("v0",), dtype="float32", shape=(2,)),
        Op("v2", "multiply", ("v1", "x0"), dtype="float32", shape=(2,)),
        Op(
            "v3",
            "reduce_sum",
            ("v0",),
            (("axis", None), ("keepdims", None)),
            dtype="float32",
            shape=(),
        ),
    ]
    x0 = Input("x0", "constant", "float32", (2,), (0.0, 2.0))
    tape = Recorder(
        "t0",
        "tape",
        persistent=True,
        watches=("x0",),
        queries=(
            Query("r0", "gradient", "v3", ("list", ("x0", "x0"))),
            Query("r1", "gradient", "v2", "x0"),
        ),
    )
    program = Program((x0,), (tape,), (abs_at_zero, *noise), "function")
    verdict = mutant_runner.run([(0, program)], "mutant")[0]
    assert verdict.status == "diverged" and "value" in verdict.signature
    minimal = shrink_verdict(mutant_runner, verdict, seed=0)
    assert minimal.signature == verdict.signature
    assert minimal.program.size() < program.size()
    assert {op.fn for op in minimal.program.ops} == {"abs"}
    path = write_cases([draft_case(minimal, 0, "mutant", "2.21.0")], tmp_path / "found.yaml")
    cases, errors = load_file(path)
    assert not errors and len(cases) == 1
    assert cases[0].basis == "observed" and cases[0].observed_with == "2.21.0"


def test_cli_rejects_a_bad_budget_and_documents_fuzz(capsys):
    from conformance.cli import main

    assert main(["fuzz", "--engine", "reference", "--n", "0"]) == 2
    assert "--n must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["fuzz", "--help"])
    assert stop.value.code == 0
    assert "--per-signature" in capsys.readouterr().out
