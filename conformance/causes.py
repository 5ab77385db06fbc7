"""Failures grouped by cause: one stable signature per mismatch, clustered over a run.

A *signature* says what kind of difference a mismatch is, abstracted over the
case's own values: ``None expected, zeros observed``, ``RuntimeError
expected, nothing raised``, ``API GradientTape.jacobian missing``. The same
engine bug gives the same signature in every case and context it shows up
in, so a run's failures cluster into a few *causes*, each with its results
(case × context) and cases, largest first.

Everything here reads the JSON record (`conformance.report.record`), so the
terminal summary, the HTML report and any later reader of a record group
the same way. It also folds what repeats itself: the eager and function
results of one case that fail alike (`fold_contexts`), and a divergence from
the reference point that says no more than the engine's own failure of that
case (`repeats_failure`).
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .observe import decode_array

FAILING = ("failed", "error", "timeout", "crashed", "xpassed")
GROUPED = (*FAILING, "unsupported")  # statuses that have a cause
_STEP = re.compile(r"\[([^\[\]]*)\]")


@dataclass
class Cause:
    """One signature on one engine, with the results and cases it accounts for."""

    engine: str
    signature: str
    results: list[tuple[str, str]] = field(default_factory=list)  # (case, context)
    # signatures seen only in results this cause also has (symptoms of it), with counts
    also: dict[str, int] = field(default_factory=dict)
    # signatures of results in cases that build on a case failing with this cause
    through: dict[str, int] = field(default_factory=dict)

    @property
    def cases(self) -> list[str]:
        """The case ids, in first-seen order."""
        return list(dict.fromkeys(case for case, _ in self.results))

    def to_json(self) -> dict:
        return {
            "engine": self.engine,
            "signature": self.signature,
            "results": len(self.results),
            "cases": self.cases,
            "also": dict(self.also),
            "through": dict(self.through),
        }


# ----------------------------------------------------------- one signature per mismatch


def signature(
    mismatch: dict, outcome: dict | None = None, handlers: dict[str, str] | None = None
) -> str:
    """The cause of one mismatch (a record's mismatch entry), abstracted over values.

    `outcome` (the result's observed outcome) lets a value be described by what
    it is (``zeros``, ``NaN``) rather than by its numbers; `handlers` (from
    `caught_names`) says which names the program assigns only when it catches an
    exception, so such a name left unassigned means the exception was not raised.
    """
    kind, expected, observed = mismatch["field"], mismatch["expected"], mismatch["observed"]
    if kind == "none":
        return _none_signature(expected, _observation(mismatch, outcome))
    if kind == "exception":
        return _exception_signature(str(expected), str(observed))
    if kind == "exception_type":
        return f"{expected} expected, {observed} raised"
    if kind == "exception_message":
        return "exception message differs"
    if kind == "value":
        return _value_signature(_observation(mismatch, outcome))
    if kind == "dtype":
        return f"dtype {expected} expected, {observed} observed"
    if kind == "log":
        return (
            "expected log missing"
            if observed == "nothing logged"
            else "expected log missing, other messages logged"
        )
    if kind == "missing":
        raised = (handlers or {}).get(str(mismatch["path"]))
        if observed == "not assigned" and raised:  # set only where the program catches it
            return f"{raised} expected, nothing raised"
        return "name not assigned" if observed == "not assigned" else "name assigned"
    return {
        "shape": "shape differs",
        "structure": "structure differs",
        "kind": "kind of value differs",
        "python": "Python value differs",
    }.get(kind, f"{kind} differs")


def _none_signature(expected: Any, observed: dict | None) -> str:
    if expected == "None":
        return f"None expected, {_what(observed)} observed"
    return f"{expected} expected, None observed"


def _exception_signature(expected: str, observed: str) -> str:
    if observed == "no exception":
        return f"{expected.removesuffix(' raised')} expected, nothing raised"
    return f"no exception expected, {observed.split(':', 1)[0]} raised"


def _value_signature(observed: dict | None) -> str:
    what = _what(observed)
    return f"values differ: {what} observed" if what in ("zeros", "NaN") else "values differ"


def _what(obs: dict | None) -> str:
    """A value described by what it is: ``zeros``, ``NaN``, ``a Tensor``, ``a list``…"""
    if not obs:
        return "a value"
    if "dtype" in obs and "value" in obs:
        array = decode_array(obs["value"], obs["dtype"])
        if all(not item for item in array.flat):
            return "zeros"
        if obs["dtype"] != "string" and np.isnan(array.astype(complex)).any():
            return "NaN"
    return f"a {obs.get('type') or obs['kind']}"


def _observation(mismatch: dict, outcome: dict | None) -> dict | None:
    """The observed node a mismatch points at (None when it cannot be found)."""
    if not outcome:
        return None
    steps = mismatch.get("steps") or _parse_path(str(mismatch["path"]))
    node = outcome.get("values", {}).get(steps[0]) if steps else None
    for step in steps[1:]:
        items = (node or {}).get("items")
        if node is None or items is None:
            return None
        if node["kind"] == "dict":
            node = next((v for k, v in items if k == step), None)
        else:
            node = items[step] if isinstance(step, int) and step < len(items) else None
    return node


def _parse_path(path: str) -> list:
    """``grads[1]['w']`` → ``["grads", 1, "w"]`` (for records whose mismatches have no steps)."""
    name = path.split("[", 1)[0]
    steps: list = [name]
    for text in _STEP.findall(path[len(name) :]):
        try:
            steps.append(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            return [name]
    return steps


def caught_names(program: str | None) -> dict[str, str]:
    """Names the program assigns inside an ``except X`` handler, with X's name."""
    try:
        tree = ast.parse(program or "")
    except SyntaxError:
        return {}
    found: dict[str, str] = {}
    for handler in (n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)):
        raised = ast.unparse(handler.type) if handler.type is not None else "an exception"
        for node in (n for stmt in handler.body for n in ast.walk(stmt)):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                found.setdefault(node.id, raised)
    return found


def result_signatures(result: dict, program: str | None = None) -> list[str]:
    """The distinct causes of one result (a record's result entry), in mismatch order
    (`program`, the case's, lets unassigned names be read as missing exceptions)."""
    status = result["status"]
    if status == "unsupported":
        return [f"API {result.get('unsupported_api') or 'unknown'} missing"]
    if status in ("timeout", "crashed"):
        return [status]
    if status == "error":
        return [f"harness error: {str(result.get('error') or '').split(':', 1)[0]}"]
    if status == "xpassed":
        return ["passed although listed as a known failure"]
    outcome, handlers = result.get("outcome"), caught_names(program)
    return list(
        dict.fromkeys(signature(m, outcome, handlers) for m in result.get("mismatches", []))
    )


# ----------------------------------------------------------- clustering a run


def causes(record: dict) -> dict[str, list[Cause]]:
    """Per engine (in record order), its causes, the most results first.

    A result with several distinct signatures counts towards each of them, except
    that a signature never seen without another one is a symptom of it, not a
    cause of its own (`fold_symptoms`), and that a failure in a case that builds
    on a failing case counts towards that failure's cause (`prerequisite_cause`).
    """
    signed = _signed_results(record)
    sizes = Counter((key[0], sig) for key, sigs in signed.items() for sig in sigs)
    ran: dict[tuple[str, str], dict[str, str]] = {}  # (engine, case) -> context -> status
    for r in record["results"]:
        ran.setdefault((r["engine"], r["case"]), {})[r["context"]] = r["status"]
    found: dict[str, dict[str, Cause]] = {e["name"]: {} for e in record["metadata"]["engines"]}
    roots = {key: prerequisite_cause(record, ran, signed, sizes, key) for key in signed}
    for key in sorted(signed, key=lambda k: roots[k] is not None):  # their own cause first
        sigs, root, mine = signed[key], roots[key], found.setdefault(key[0], {})
        for sig in [root] if root else sigs:
            mine.setdefault(sig, Cause(key[0], sig)).results.append(key[1:])
        for sig in sigs if root else ():
            if sig != root:
                mine[root].through[sig] = mine[root].through.get(sig, 0) + 1
    return {engine: fold_symptoms(list(group.values())) for engine, group in found.items()}


Key = tuple[str, str, str]  # (engine, case, context)


def _signed_results(record: dict) -> dict[Key, list[str]]:
    """The signatures of every result that has a cause, in record order."""
    signed: dict[Key, list[str]] = {}
    for result in record["results"]:
        if result["status"] in GROUPED:
            program = record.get("cases", {}).get(result["case"], {}).get("program")
            key = (result["engine"], result["case"], result["context"])
            signed[key] = result_signatures(result, program)
    return signed


def prerequisite_cause(
    record: dict,
    ran: dict[tuple[str, str], dict[str, str]],
    signed: dict[Key, list[str]],
    sizes: Counter,
    key: Key,
) -> str | None:
    """The cause a failing result is counted under because its case builds on a
    case that fails on the same engine (in the same context if that case ran in
    it, else in any): the largest of that failure's signatures. None when the
    result did not fail or no prerequisite failed (`ran` maps engine and case to
    each context's status; an unsupported prerequisite is not a failure).

    A case's ``builds_on`` names behaviors its expectation relies on; an engine
    that breaks one of those shows the same bug again there, often as another
    kind of difference: TensorFlow's batch_jacobian builds zeros of the
    target's dtype when gradient() gives None, so an engine whose gradient
    gives zeros of the source's dtype shows a dtype mismatch.
    """
    engine, case, context = key
    prerequisites = record.get("cases", {}).get(case, {}).get("builds_on") or ()
    if not prerequisites or ran[(engine, case)][context] not in FAILING:
        return None
    failing = []
    for prerequisite in prerequisites:
        statuses = ran.get((engine, prerequisite), {})
        for ctx in [context] if context in statuses else statuses:
            if statuses[ctx] in FAILING:
                failing += signed[(engine, prerequisite, ctx)]
    return min(failing, key=lambda sig: (-sizes[(engine, sig)], sig), default=None)


def fold_symptoms(found: list[Cause]) -> list[Cause]:
    """The causes, largest first, each signature whose results all carry a larger
    (or, on a tie, earlier) cause's signature folded into that cause's ``also``.

    One bug often shows twice in a case: an always-persistent tape both raises
    nothing on the second ``gradient`` call and logs the persistent tape's
    warning once more, so a count the program keeps differs. The second
    signature never occurs alone, so it is shown with the first, not as a cause.
    """
    ordered = sorted(found, key=lambda c: (-len(c.results), c.signature))
    kept: list[Cause] = []
    for cause in ordered:
        mine = set(cause.results)
        host = next((k for k in kept if mine <= set(k.results)), None)
        if host is None:
            kept.append(cause)
        else:
            host.also[cause.signature] = len(mine)
    return kept


@dataclass
class Folded:
    """The results of one case on one engine that say the same in several contexts."""

    case: str
    engine: str
    status: str
    contexts: list[str]
    result: dict  # the first of them


def fold_contexts(results: Iterable[dict], statuses: tuple[str, ...] = FAILING) -> list[Folded]:
    """Results with a status in `statuses`, those of one case and engine that have the
    same status and mismatches (eager and function alike) folded into one."""
    folded: dict[tuple, Folded] = {}
    for result in results:
        if result["status"] not in statuses:
            continue
        key = (result["case"], result["engine"], result["status"], _same(result))
        if key in folded:
            folded[key].contexts.append(result["context"])
        else:
            folded[key] = Folded(
                result["case"], result["engine"], result["status"], [result["context"]], result
            )
    return list(folded.values())


def _same(result: dict) -> tuple:
    mismatches = tuple(
        (m["path"], m["field"], str(m["expected"]), str(m["observed"]))
        for m in result.get("mismatches", [])
    )
    return (
        mismatches,
        result.get("error"),
        result.get("unsupported_api"),
        tuple(result.get("leaks") or ()),
    )


def repeats_failure(divergence: dict, results: dict[tuple[str, str, str], dict]) -> bool:
    """Whether a divergence says no more than the diverging engine's failure of the
    case: every place and field it names is already a mismatch of that result.

    `results` maps ``(case, context, engine)`` to the record's result entries.
    """
    failure = results.get((divergence["case"], divergence["context"], divergence["engine"]))
    if not failure or failure["status"] not in FAILING:
        return False
    failed = {(m["path"], _field_family(m["field"])) for m in failure.get("mismatches", [])}
    return all((m["path"], _field_family(m["field"])) in failed for m in divergence["mismatches"])


def _field_family(name: str) -> str:
    return "exception" if name.startswith("exception") else name


def result_index(record: dict) -> dict[tuple[str, str, str], dict]:
    """The record's results by ``(case, context, engine)``."""
    return {(r["case"], r["context"], r["engine"]): r for r in record["results"]}


def new_divergences(record: dict) -> list[dict]:
    """The divergences that do not merely repeat the diverging engine's failure."""
    index = result_index(record)
    return [d for d in record["divergences"] if not repeats_failure(d, index)]


# ----------------------------------------------------------- terminal text


def summary_lines(record: dict, examples: int = 3) -> list[str]:
    """The causes of each engine that has some, largest first, with a few case ids."""
    lines: list[str] = []
    for engine, found in causes(record).items():
        if not found:
            continue
        total = len({r for cause in found for r in cause.results})
        lines.append(f"causes on {engine} ({total} result(s), largest first):")
        width = max(len(str(len(c.results))) for c in found)
        for cause in found:
            cases = cause.cases
            shown = ", ".join(cases[:examples]) + (
                f", … {len(cases) - examples} more" if len(cases) > examples else ""
            )
            lines.append(
                f"  {len(cause.results):>{width}} result(s) in {len(cases)} case(s): "
                f"{cause.signature}"
            )
            lines.append(f"  {'':>{width}}   e.g. {shown}")
            for symptom, count in cause.also.items():
                lines.append(f"  {'':>{width}}   with it in {count} of them: {symptom}")
            for seen, count in cause.through.items():
                lines.append(f"  {'':>{width}}   {through_text(count)}: {seen}")
    return lines


def through_text(count: int) -> str:
    """How a cause's results in cases that build on its cases are introduced."""
    return f"through cases that build on these, in {count} result(s)"
