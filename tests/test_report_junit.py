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
    failures = square_bad.findall("failure")
    assert [f.get("type") for f in failures] == ["mismatch", "divergence"]
    assert "g value: expected 6.0, observed 5." in failures[0].text
    assert cases["raises[good-eager]"].find("failure") is None


def test_unsupported_is_skipped_and_error_is_error(tmp_path):
    record = make_record(tmp_path)
    record["results"][0].update(status="unsupported", unsupported_api="GradientTape.jacobian",
                                mismatches=[])
    record["results"][1].update(status="error", error="boom", mismatches=[])
    tree = junit_tree(record).getroot()
    cases = {c.get("name"): c for c in tree.iter("testcase")}
    first, second = cases["square[good-eager]"], cases["square[bad-eager]"]
    assert first.find("skipped").get("message") == "unsupported API GradientTape.jacobian"
    assert second.find("error").text == "boom"
    assert tree.get("errors") == "1" and tree.get("skipped") == "1"
