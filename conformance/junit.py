"""JUnit XML for CI systems: one ``testcase`` per case × engine × context.

Built from a run record with the standard library's ElementTree. A result
maps to: ``passed`` → a plain testcase; ``failed`` → ``<failure>`` listing the
mismatches; ``error`` → ``<error>``; ``skipped`` and ``unsupported`` →
``<skipped>``. A non-baseline engine whose outcome diverges from the baseline
engine (the first one) gets a ``<failure type="divergence">`` too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

SUITE_NAME = "tf-autodiff-conformance"


def junit_tree(record: dict) -> ET.ElementTree:
    """The ``<testsuites>`` document of `record`."""
    divergences = {(d["case"], d["engine"], d["context"]): d for d in record["divergences"]}
    suites = ET.Element("testsuites", name=SUITE_NAME)
    by_engine: dict[str, ET.Element] = {}
    for result in record["results"]:
        suite = by_engine.get(result["engine"])
        if suite is None:
            suite = by_engine[result["engine"]] = ET.SubElement(
                suites, "testsuite", name=f"{SUITE_NAME}[{result['engine']}]",
                timestamp=record["metadata"].get("started", ""))
        key = (result["case"], result["engine"], result["context"])
        _testcase(suite, result, divergences.get(key))
    for suite in by_engine.values():
        _count(suite)
    _count(suites)
    return ET.ElementTree(suites)


def _testcase(suite: ET.Element, result: dict, divergence: dict | None) -> None:
    file_id, _, local = result["case"].rpartition("/")
    case = ET.SubElement(suite, "testcase", classname=file_id.replace("/", ".") or "cases",
                         name=f"{local}[{result['engine']}-{result['context']}]",
                         time=f"{result.get('seconds', 0.0):.6f}")
    status = result["status"]
    if status == "failed":
        _child(case, "failure", "mismatch", _mismatch_text(result["mismatches"]))
    elif status == "error":
        _child(case, "error", "error", result.get("error") or "the harness failed")
    elif status in ("skipped", "unsupported"):
        reason = (f"unsupported API {result['unsupported_api']}" if status == "unsupported"
                  else result.get("error") or "skipped")
        ET.SubElement(case, "skipped", message=reason)
    if divergence is not None:
        _child(case, "failure", "divergence",
               f"diverges from {divergence['baseline']}:\n"
               + _mismatch_text(divergence["mismatches"]))


def _child(case: ET.Element, tag: str, kind: str, text: str) -> None:
    element = ET.SubElement(case, tag, type=kind, message=text.splitlines()[0][:300] if text else kind)
    element.text = text


def _mismatch_text(mismatches: list[dict]) -> str:
    return "\n".join(f"{m['path']} {m['field']}: expected {m['expected']}, observed "
                     f"{m['observed']}" + (f" ({m['detail']})" if m.get("detail") else "")
                     for m in mismatches)


def _count(element: ET.Element) -> None:
    cases = element.iter("testcase")
    tests = failures = errors = skipped = 0
    seconds = 0.0
    for case in cases:
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
    """Write the JUnit XML of `record` (creating parent directories)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = junit_tree(record)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
