"""The op table as ordinary cases: one `OpCase` per op × sample × dtype × check.

An `OpCase` is a `Case` whose program calls `probe.run_check`, whose
expectation is TensorFlow's recorded value (from the shipped baseline,
element-wise, with the dtype's tolerance) and which adds the
finite-difference and cross-mode oracles through `judge_oracles` (the
runner calls it after the ordinary comparison). Everything else — ``-k``,
workers, the JSON record, expectation files, unsupported APIs, pytest items —
treats it as any other case.

Ids: ``ops/<family>/<api>/<sample>/<dtype>/<check>``, e.g.
``ops/unary/math.sin/typical/float32/vjp``. Checks TensorFlow itself cannot
run (recorded as raising) are not generated; `excluded_checks` lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..case import Case, Expectation
from ..compare import Mismatch
from ..observe import decode_array
from ..spec import Spec
from . import oracles
from .baseline import DEFAULT_VERSION, load_baseline, load_forward
from .registry import entries
from .table import OpEntry, Sample

SUITE = "ops"
PROGRAM = (
    "from conformance.optable.probe import run_check\n"
    "observed, oracle = run_check(tf, {group!r}, {check!r})\n"
)
DOCS = "https://www.tensorflow.org/api_docs/python/"


@dataclass(frozen=True)
class OpCase(Case):
    """A `Case` of the op table (see the module docstring)."""

    group_id: str = ""
    check: str = ""
    dtype: str = ""
    convention: str | None = None
    tf_numbers: dict = field(default_factory=dict, compare=False, repr=False)
    tf_forward: float | None = None

    @property
    def observed_names(self) -> tuple[str, ...]:
        return ("observed", "oracle")

    @property
    def api(self) -> str:
        return "tf." + self.group_id.split("/")[1]

    def judge_oracles(self, outcome: dict, mismatches: list[Mismatch]) -> list[Mismatch]:
        """The FD and cross-mode mismatches; moves the oracle numbers out of the
        compared values into ``outcome["oracles"]`` and sets ``outcome["blame"]``."""
        raw = outcome.get("values", {}).pop("oracle", None)
        if raw is None:  # the program raised: where TF did not, the engine is to blame
            outcome["blame"] = "engine" if self.expectation.values else "unknown"
            return []
        mine = [m for m in mismatches if m.where.startswith("observed")]
        tf_ok = not mine if self.expectation.values else None
        structural = any(m.field in oracles.STRUCTURAL for m in mine)
        oracle = oracles.decode(raw)
        forward = oracles.forward_mismatch(oracle, self.tf_forward, self.dtype)
        found, summary, blame = oracles.judge(
            oracle, self.dtype, self.convention, tf_ok, self.tf_numbers, structural or bool(forward)
        )
        outcome["oracles"], outcome["blame"] = summary, blame
        return forward + found


def spec_of(obs: dict) -> Spec:
    """A recorded observation as the expectation it must be met by."""
    kind = obs["kind"]
    if kind == "none":
        return Spec("none")
    if kind in ("list", "tuple"):
        return Spec(kind, items=tuple(spec_of(item) for item in obs["items"]))
    if "dtype" in obs:
        value = obs["value"]
        if not obs["dtype"].startswith("complex"):  # "nan"/"inf" strings back to floats
            value = decode_array(value, obs["dtype"]).tolist()
        return Spec(
            kind,
            value=value,
            dtype=obs["dtype"],
            shape=tuple(obs["shape"]),
            indices=tuple(obs["indices"]) if "indices" in obs else None,
        )
    return Spec("type", type_name=obs.get("type", kind))


def groups(entry: OpEntry) -> Iterator[tuple[str, Sample, str, str]]:
    """(group id, sample, dtype, check) for every result of an entry."""
    for check in entry.checks:
        for sample in entry.samples_for(check):
            for dtype in entry.dtypes_for(check):
                yield f"{entry.id}/{sample.name}/{dtype}", sample, dtype, check


def op_cases(version: str = DEFAULT_VERSION, everything: bool = False) -> list[OpCase]:
    """Every op-table case, in table order; checks TF cannot run are left out unless
    `everything` (for recording a new baseline)."""
    recorded, forward = load_baseline(version), load_forward(version)
    found = []
    for entry in entries().values():
        for group, sample, dtype, check in groups(entry):
            case_id = f"{SUITE}/{group}/{check}"
            if everything or "raises" not in recorded.get(case_id, {}):
                found.append(
                    _case(
                        entry,
                        sample,
                        dtype,
                        check,
                        group,
                        recorded.get(case_id),
                        forward.get(group),
                    )
                )
    return found


def _convention(entry: OpEntry, sample: Sample) -> str | None:
    return sample.convention or entry.convention


def excluded_checks(version: str = DEFAULT_VERSION) -> dict[str, str]:
    """Case id → the error TensorFlow raised for checks it cannot run."""
    return {
        case_id: entry["raises"]
        for case_id, entry in load_baseline(version).items()
        if "raises" in entry
    }


def _case(
    entry: OpEntry,
    sample: Sample,
    dtype: str,
    check: str,
    group: str,
    recorded: dict | None,
    forward: float | None,
) -> OpCase:
    values = (
        {"observed": spec_of(recorded["observed"])} if recorded and "observed" in recorded else {}
    )
    rtol, atol = oracles.TF_TOLERANCE[_precision(entry, dtype)]
    local = f"{group.split('/', 1)[1]}/{check}"
    doc = f"{entry.api} {check} at the {sample.name!r} sample in {dtype}."
    if _convention(entry, sample):
        doc += (
            f" Not an ordinary differentiable point ({_convention(entry, sample)}): "
            "TF's value is the reference."
        )
    return OpCase(
        id=f"{SUITE}/{group}/{check}",
        local_id=local,
        path=f"{SUITE}/{entry.family}",
        line=1,
        title=f"{entry.api} {check} {sample.name} {dtype}",
        doc=doc,
        source=DOCS + entry.api.replace(".", "/"),
        program=PROGRAM.format(group=group, check=check),
        program_line=1,
        tags=_tags(entry, sample, dtype, check),
        expectation=Expectation(values=values),
        basis="observed",
        observed_with=f"tensorflow {DEFAULT_VERSION}",
        rtol=rtol,
        atol=atol,
        group_id=group,
        check=check,
        dtype=dtype,
        convention=_convention(entry, sample),
        tf_numbers={k: recorded[k] for k in ("lhs", "fd") if recorded and k in recorded},
        tf_forward=forward,
    )


def _precision(entry: OpEntry, dtype: str) -> str:
    """tf.image ops compute in float32 internally: their float64 results agree with
    each other (and from run to run) only to float32 precision."""
    return "float32" if entry.family == "images" and dtype == "float64" else dtype


def _tags(entry: OpEntry, sample: Sample, dtype: str, check: str) -> tuple[str, ...]:
    tags = [SUITE, entry.family, check, dtype, *entry.tags]
    if _convention(entry, sample):
        tags.append("convention")
    return tuple(dict.fromkeys(tags))


def describe(case: Any) -> str:
    return f"{case.id}: {case.title}"
