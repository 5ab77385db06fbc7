"""JUnit XML for CI systems: one ``testcase`` per case × engine × context.

Built from a run record with the standard library's ElementTree. Every status
that fails a run is a failure or an error, so a CI system never reads a crash
as a pass:

* ``passed`` → a plain testcase (unless it diverges from the baseline);
* ``failed``, ``xpassed`` → one ``<failure>`` (type ``mismatch`` / ``xpassed``);
* ``error``, ``timeout``, ``crashed`` → ``<error>`` of that type;
* ``skipped``, ``unsupported``, ``xfailed`` → ``<skipped>`` with the reason.

A testcase has at most one ``<failure>``: it lists every mismatch with the
expectation, then every divergence from the baseline engine (the first one),
worded ``baseline <engine>: … / engine <engine>: …``; a divergence alone
makes a ``<failure type="divergence">``. State a case left behind (its
leaks) goes into ``<system-out>``. All text is made valid XML 1.0 first
(`encoding.xml_text`: control characters and lone surrogates escaped).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .encoding import write_atomically, xml_text

SUITE_NAME = "tf-autodiff-conformance"
ERROR_STATUSES = ("error", "timeout", "crashed")
SKIP_STATUSES = ("skipped", "unsupported", "xfailed")


def junit_tree(record: dict) -> ET.ElementTree:
    """The ``<testsuites>`` document of `record`."""
    divergences = {(d["case"], d["engine"], d["context"]): d for d in record["divergences"]}
    suites = ET.Element("testsuites", name=SUITE_NAME)
    by_engine: dict[str, ET.Element] = {}
    for result in record["results"]:
        suite = by_engine.get(result["engine"])
        if suite is None:
            suite = by_engine[result["engine"]] = ET.SubElement(
                suites,
                "testsuite",
                name=xml_text(f"{SUITE_NAME}[{result['engine']}]"),
                timestamp=xml_text(record["metadata"].get("started", "")),
            )
        key = (result["case"], result["engine"], result["context"])
        _testcase(suite, result, divergences.get(key))
    for suite in by_engine.values():
        _count(suite)
    _count(suites)
    return ET.ElementTree(suites)


def _testcase(suite: ET.Element, result: dict, divergence: dict | None) -> None:
    file_id, _, local = result["case"].rpartition("/")
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(file_id.replace("/", ".") or "cases"),
        name=xml_text(f"{local}[{result['engine']}-{result['context']}]"),
        time=f"{_seconds(result):.6f}",
    )
    status = result["status"]
    if status in ERROR_STATUSES:
        _child(case, "error", status, result.get("error") or f"the case {status}")
    elif status in SKIP_STATUSES:
        ET.SubElement(case, "skipped", message=xml_text(_skip_reason(result))[:1000])
    else:
        _failure(case, result, divergence if status != "xfailed" else None)
    if result.get("leaks"):
        out = ET.SubElement(case, "system-out")
        out.text = xml_text("\n".join(f"leak: {leak}" for leak in result["leaks"]))


def _failure(case: ET.Element, result: dict, divergence: dict | None) -> None:
    """One ``<failure>`` with every mismatch and every divergence, if any."""
    parts = []
    if result["status"] == "xpassed":
        parts.append(result.get("error") or "expected to fail (xfail), but passed")
    elif result["status"] == "failed":
        parts.append(_mismatch_text(result["mismatches"]) or "failed (no mismatch recorded)")
    if divergence is not None:
        parts.append(
            f"diverges from the baseline {divergence['baseline']}:\n" + _divergence_text(divergence)
        )
    if not parts:
        return
    kind = {"failed": "mismatch", "xpassed": "xpassed"}.get(result["status"], "divergence")
    _child(case, "failure", kind, "\n".join(parts))


def _skip_reason(result: dict) -> str:
    if result["status"] == "unsupported":
        return f"unsupported API {result.get('unsupported_api')}"
    if result["status"] == "xfailed":
        return f"expected failure: {result.get('error') or 'xfail'}"
    return result.get("error") or "skipped"


def _seconds(result: dict) -> float:
    try:
        return float(result.get("seconds") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _child(case: ET.Element, tag: str, kind: str, text: str) -> None:
    text = xml_text(text)
    first = text.splitlines()[0][:300] if text.strip() else kind
    element = ET.SubElement(case, tag, type=kind, message=first)
    element.text = text


def _detail(m: dict) -> str:
    return f" ({m['detail']})" if m.get("detail") else ""


def _mismatch_text(mismatches: list[dict]) -> str:
    return "\n".join(
        f"{m['path']} {m['field']}: expected {m['expected']}, observed {m['observed']}{_detail(m)}"
        for m in mismatches
    )


def _divergence_text(divergence: dict) -> str:
    base, other = divergence["baseline"], divergence["engine"]
    return "\n".join(
        f"{m['path']} {m['field']}: baseline {base}: {m['expected']}, "
        f"engine {other}: {m['observed']}{_detail(m)}"
        for m in divergence["mismatches"]
    )


def _count(element: ET.Element) -> None:
    tests = failures = errors = skipped = 0
    seconds = 0.0
    for case in element.iter("testcase"):
        tests += 1
        failures += case.find("failure") is not None
        errors += case.find("error") is not None
        skipped += case.find("skipped") is not None
        seconds += float(case.get("time", "0"))
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("skipped", str(skipped))
    element.set("time", f"{seconds:.6f}")


def write_junit(record: dict, path: Path) -> None:
    """Write the JUnit XML of `record` (creating parent directories; atomically)."""
    tree = junit_tree(record)
    ET.indent(tree)
    text = ET.tostring(tree.getroot(), encoding="unicode")
    write_atomically(Path(path), "<?xml version='1.0' encoding='utf-8'?>\n" + text + "\n")
