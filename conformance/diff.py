"""What changed between two records (runs or baselines), case by case.

`diff_records(old, new)` pairs the engines of the two records (by name; two
single-engine records, such as baselines of two TF versions, are paired
whatever their names), then for every case × context of a pair reports:

* ``added`` / ``removed``: the result exists on one side only;
* ``behavior``: an observed field changed (value, dtype, shape, exception
  type or message, logged warnings, printed output), each one old → new;
  whether the case's verdict moved with it is said as well ("now matches the
  case", "no longer matches the case"): for someone upgrading TensorFlow a
  changed behavior is the news, whichever side the case is on;
* ``verdict``: the same behavior, judged differently (the case's expectation
  was edited, or the harness failed on one side).

An engine present in one record only is listed as such (``engines_only_old``,
``engines_only_new``) and counted as a change of kind ``engine``.

Fields are `compare.compare_outcomes` mismatches (``old`` → ``new``), plus
``logs`` (object addresses such as ``at 0x7f3a…`` masked, and messages that
depend on what ran before in the process left out by `compare.history_dependent`,
the rule the runner's comparisons follow) and ``output``. A diff is empty
(exit 0) only when its count of changes is 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .compare import Tolerance, compare_outcomes, history_dependent

ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
KINDS = ("behavior", "verdict", "added", "removed", "engine")


def pair_engines(old: dict, new: dict) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """``(pairs, only_old, only_new)`` of engine names."""
    old_names = [e["name"] for e in old["metadata"]["engines"]]
    new_names = [e["name"] for e in new["metadata"]["engines"]]
    if len(old_names) == 1 and len(new_names) == 1:
        return [(old_names[0], new_names[0])], [], []
    pairs = [(n, n) for n in old_names if n in new_names]
    return (
        pairs,
        [n for n in old_names if n not in new_names],
        [n for n in new_names if n not in old_names],
    )


def diff_records(old: dict, new: dict) -> dict:
    """The JSON-ready diff of two records (see the module docstring)."""
    pairs, only_old, only_new = pair_engines(old, new)
    changes: list[dict] = []
    for old_engine, new_engine in pairs:
        changes += _diff_engine(old, new, old_engine, new_engine)
    counts = {kind: sum(c["kind"] == kind for c in changes) for kind in KINDS}
    counts["engine"] = len(only_old) + len(only_new)
    return {
        "old": _side(old),
        "new": _side(new),
        "pairs": [list(p) for p in pairs],
        "engines_only_old": only_old,
        "engines_only_new": only_new,
        "changes": changes,
        "counts": counts,
        "changed": sum(counts.values()) > 0,
    }


def _side(record: dict) -> dict:
    meta = record["metadata"]
    return {
        "engines": [
            {k: e.get(k) for k in ("name", "version", "tf_version")} for e in meta["engines"]
        ],
        "started": meta.get("started"),
        "platform": meta.get("platform"),
        "python": meta.get("python"),
        "results": len(record["results"]),
    }


def _index(record: dict, engine: str) -> dict[tuple[str, str], dict]:
    return {(r["case"], r["context"]): r for r in record["results"] if r["engine"] == engine}


def _diff_engine(old: dict, new: dict, old_engine: str, new_engine: str) -> list[dict]:
    before, after = _index(old, old_engine), _index(new, new_engine)
    engine = old_engine if old_engine == new_engine else f"{old_engine} → {new_engine}"
    changes = []
    for key in _ordered_keys(before, after):
        a, b = before.get(key), after.get(key)
        case = new["cases"].get(key[0]) or old["cases"].get(key[0]) or {}
        change = _diff_result(a, b, Tolerance(case.get("rtol"), case.get("atol")))
        if change is not None:
            change.update(
                case=key[0],
                context=key[1],
                engine=engine,
                title=case.get("title", ""),
                source=case.get("source", ""),
            )
            changes.append(change)
    return changes


def _ordered_keys(before: dict, after: dict) -> list[tuple[str, str]]:
    keys = list(before)
    keys += [k for k in after if k not in before]
    return sorted(keys)


def _diff_result(a: dict | None, b: dict | None, tol: Tolerance) -> dict | None:
    if a is None or b is None:
        kind = "added" if a is None else "removed"
        return {
            "kind": kind,
            "old_status": a and a["status"],
            "new_status": b and b["status"],
            "fields": [],
            "meaning": f"case {kind}",
        }
    both = a.get("outcome") is not None and b.get("outcome") is not None
    fields = outcome_fields(a.get("outcome"), b.get("outcome"), tol)
    if fields and both:
        kind, meaning = "behavior", "behavior changed" + _verdict_move(a, b)
    elif (
        fields
        or a["status"] != b["status"]
        or _verdict(a) != _verdict(b)
        or (a.get("error") != b.get("error") and a["status"] == "error")
    ):
        kind, fields = "verdict", fields + _verdict_fields(a, b)
        meaning = (
            "same behavior, judged differently" if both else "observed on one side only"
        ) + _verdict_move(a, b)
    else:
        return None
    return {
        "kind": kind,
        "old_status": a["status"],
        "new_status": b["status"],
        "fields": fields,
        "meaning": meaning,
        "old_error": a.get("error"),
        "new_error": b.get("error"),
    }


def _verdict_move(a: dict, b: dict) -> str:
    """How the case's verdict moved: ``"; now matches the case"`` and the like."""
    if a["status"] == b["status"]:
        return ""
    if b["status"] == "passed":
        return "; now matches the case"
    if a["status"] == "passed":
        return "; no longer matches the case"
    return f"; {a['status']} → {b['status']}"


def outcome_fields(a: dict | None, b: dict | None, tol: Tolerance) -> list[dict]:
    """Field-level differences between two outcomes (``[]`` when both are absent)."""
    if a is None or b is None:
        if a is b:
            return []
        return [
            {
                "path": "outcome",
                "field": "outcome",
                "old": _presence(a),
                "new": _presence(b),
                "detail": "",
            }
        ]
    fields = [_field(m.to_json()) for m in compare_outcomes(a, b, tol)]
    old_logs, new_logs = _messages(a.get("logs", [])), _messages(b.get("logs", []))
    return fields + text_fields(old_logs, new_logs, a, b)


def text_fields(old_logs: list, new_logs: list, a: dict, b: dict) -> list[dict]:
    """The changed logs and printed output of two outcomes, as change fields
    (``conformance drift`` reports them the same way)."""
    fields = []
    if old_logs != new_logs:
        fields.append(
            {
                "path": "logs",
                "field": "logs",
                "old": old_logs,
                "new": new_logs,
                "detail": "the warnings logged differ",
            }
        )
    if (a.get("output") or "") != (b.get("output") or ""):
        fields.append(
            {
                "path": "output",
                "field": "output",
                "old": a.get("output"),
                "new": b.get("output"),
                "detail": "the printed output differs",
            }
        )
    return fields


def _presence(outcome: dict | None) -> str:
    return "no outcome" if outcome is None else "an outcome"


def _field(mismatch: dict) -> dict:
    return {
        "path": mismatch["path"],
        "field": mismatch["field"],
        "old": mismatch["expected"],
        "new": mismatch["observed"],
        "detail": mismatch.get("detail", ""),
        **({"elements": mismatch["elements"]} if "elements" in mismatch else {}),
    }


def _messages(logs: Iterable[dict]) -> list[str]:
    """Log lines with object addresses masked (``at 0x7f…`` differs between any two runs),
    without the messages that depend on what ran before (`history_dependent`)."""
    return [
        ADDRESS.sub("0x…", f"{r.get('level', '')}: {r.get('message', '')}")
        for r in logs
        if not history_dependent(str(r.get("message", "")))
    ]


def _verdict(result: dict) -> set[tuple[str, str]]:
    return {(m["path"], m["field"]) for m in result.get("mismatches", [])}


def _verdict_fields(a: dict, b: dict) -> list[dict]:
    old, new = _verdict(a), _verdict(b)
    fields = [
        {"path": p, "field": f"mismatch {f}", "old": "mismatched", "new": "matches", "detail": ""}
        for p, f in sorted(old - new)
    ]
    fields += [
        {"path": p, "field": f"mismatch {f}", "old": "matches", "new": "mismatched", "detail": ""}
        for p, f in sorted(new - old)
    ]
    if a.get("error") != b.get("error"):
        fields.append(
            {
                "path": "error",
                "field": "error",
                "old": a.get("error"),
                "new": b.get("error"),
                "detail": "",
            }
        )
    return fields


def ran_anything(record: dict) -> bool:
    """True when some result of the record actually executed (not skipped or unsupported)."""
    return any(r["status"] not in ("skipped", "unsupported") for r in record["results"])


def format_diff(diff: dict, names: Sequence[str] = ("old", "new")) -> str:
    """The diff as text: a header, one block per change, a count line."""
    lines = [
        f"{label}: {_engines(diff[side])} ({name})"
        for label, side, name in (("old", "old", names[0]), ("new", "new", names[1]))
    ]
    lines += [f"ENGINE only in old: {e} (not compared)" for e in diff["engines_only_old"]]
    lines += [f"ENGINE only in new: {e} (not compared)" for e in diff["engines_only_new"]]
    for change in diff["changes"]:
        lines.append(_headline(change))
        for f in change["fields"]:
            detail = f"  ({f['detail']})" if f.get("detail") else ""
            lines.append(
                f"    {f['path']} {f['field']}: {_short(f['old'])} → {_short(f['new'])}{detail}"
            )
    total = sum(diff["counts"].values())
    counts = ", ".join(f"{n} {k}" for k, n in diff["counts"].items() if n)
    lines.append(f"{total} change(s): {counts}" if total else "no change")
    return "\n".join(lines)


def _engines(side: dict) -> str:
    return ", ".join(f"{e['name']} {e['version']}" for e in side["engines"]) or "no engine"


def _headline(change: dict) -> str:
    where = f"{change['case']} [{change['engine']} {change['context']}]"
    if change["kind"] in ("added", "removed"):
        status = change["new_status"] if change["kind"] == "added" else change["old_status"]
        return f"{change['kind'].upper()} {where}: {status}"
    status = (
        change["old_status"]
        if change["old_status"] == change["new_status"]
        else f"{change['old_status']} → {change['new_status']}"
    )
    return f"{change['kind'].upper()} {where}: {change['meaning']} ({status})"


def _short(value: object, limit: int = 160) -> str:
    text = str(value).replace("\n", "⏎ ")
    return text if len(text) <= limit else text[:limit] + "…"
