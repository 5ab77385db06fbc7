"""JUnit XML: one testcase per case × engine × context, failures and divergences marked."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conformance.junit import junit_tree, write_junit
from tests.test_report_record import make_record


def test_junit_has_one_testcase_per_result_with_statuses(tmp_path):
    record = make_record(tmp_path)
    path = tmp_path / "out" / "junit.xml"
    write_junit(record, path)
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("8", "4")
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert len(cases) == len(record["results"]) == 8
    square_bad = cases["square[bad-eager]"]
    assert square_bad.get("classname") == "demo"
    failures = square_bad.findall("failure")  # one element: mismatches, then divergences
    assert [f.get("type") for f in failures] == ["mismatch"]
    text = failures[0].text
    assert "g value: expected 6.0, observed 5." in text
    assert "diverges from the baseline good:\ng value: baseline good: " in text
    assert ", engine bad: " in text and text.index("expected 6.0") < text.index("baseline good")
    assert cases["raises[good-eager]"].find("failure") is None


def test_unsupported_is_skipped_and_error_is_error(tmp_path):
    record = make_record(tmp_path)
    record["results"][0].update(
        status="unsupported", unsupported_api="GradientTape.jacobian", mismatches=[]
    )
    record["results"][1].update(status="error", error="boom", mismatches=[])
    tree = junit_tree(record).getroot()
    cases = {c.get("name"): c for c in tree.iter("testcase")}
    first, second = cases["square[good-eager]"], cases["square[bad-eager]"]
    assert first.find("skipped").get("message") == "unsupported API GradientTape.jacobian"
    assert second.find("error").text == "boom"
    assert tree.get("errors") == "1" and tree.get("skipped") == "1"


def test_every_status_that_fails_a_run_is_a_failure_or_an_error(tmp_path):
    record = make_record(tmp_path)
    statuses = ["crashed", "timeout", "xpassed", "error", "xfailed"]
    for result, status in zip(record["results"], statuses):
        result.update(status=status, error=f"why {status}", mismatches=[])
    record["divergences"] = []
    root = junit_tree(record).getroot()
    kinds = {}
    for c in root.iter("testcase"):
        found = [e for e in c if e.tag in ("error", "failure", "skipped")]
        kinds[c.get("name")] = (found[0].tag, found[0].get("type")) if found else ("pass", None)
    expected = {
        "crashed": ("error", "crashed"),
        "timeout": ("error", "timeout"),
        "xpassed": ("failure", "xpassed"),
        "error": ("error", "error"),
        "xfailed": ("skipped", None),
    }
    for result in record["results"][:5]:
        local = result["case"].rpartition("/")[2]
        name = f"{local}[{result['engine']}-{result['context']}]"
        assert kinds[name] == expected[result["status"]], name
    assert root.get("errors") == "3"


def test_control_characters_and_surrogates_still_give_parseable_xml(tmp_path):
    record = make_record(tmp_path)
    record["results"][1].update(
        status="crashed", error="\x1b[31m\x00 boom \ud800", leaks=["thread '\x07' still running"]
    )
    path = tmp_path / "j.xml"
    write_junit(record, path)
    root = ET.parse(path).getroot()
    crashed = next(c for c in root.iter("testcase") if c.find("error") is not None)
    assert crashed.find("error").text == "\\x1b[31m\\x00 boom \\ud800"
    assert crashed.find("system-out").text == "leak: thread '\\x07' still running"
