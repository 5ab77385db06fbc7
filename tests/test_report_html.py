"""The HTML page as text: escaping, safe links, self-containment, repro scripts, size."""

from __future__ import annotations

import re
import subprocess
import sys

from conformance.report import render_html
from conformance.report.html import safe_url, show
from conformance.report.repro import repro_script
from tests.test_report_record import make_record


def test_nothing_from_a_case_or_engine_becomes_markup(tmp_path):
    page = render_html(make_record(tmp_path))
    assert "<img" not in page and "<b>bold" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script") == 2  # the JSON data block and the page's own script
    assert "window.pwned" in page and "<script>window.pwned" not in page
    assert page.count("&lt;script&gt;window.pwned") >= 3  # doc, program, message


def test_links_only_from_http_urls(tmp_path):
    record = make_record(tmp_path)
    record["cases"]["demo/hostile"]["source"] = "javascript:alert(1)"
    page = render_html(record)
    assert 'href="javascript' not in page.lower()
    assert safe_url(" JavaScript:alert(1)") == "#"
    assert safe_url("data:text/html,x") == "#"
    assert (
        safe_url("https://www.tensorflow.org/guide/autodiff")
        == "https://www.tensorflow.org/guide/autodiff"
    )


def test_page_is_self_contained(tmp_path):
    page = render_html(make_record(tmp_path))
    assert not re.search(r"<(link|img|iframe)\b|src=\"http|@import|url\(", page)
    assert "Content-Security-Policy" in page


def test_observations_are_shown_compactly():
    assert (
        show({"kind": "Tensor", "dtype": "float32", "shape": [2], "value": [1.0, "nan"]})
        == 'Tensor float32[2] [1.0, "nan"]'
    )
    assert (
        show(
            {
                "kind": "list",
                "items": [{"kind": "none"}, {"kind": "python", "type": "str", "value": "a"}],
            }
        )
        == "[None, str 'a']"
    )
    assert show(None) == "(not assigned)"


def test_repro_script_runs_standalone_on_tensorflow(tmp_path):
    program = (
        "x = tf.Variable(3.0)\nwith tf.GradientTape() as tape:\n  y = x**2\n"
        "g = tape.gradient(y, x)\nsecond = tape.gradient(y, x)\n"
    )
    script = repro_script(
        "demo/square",
        program,
        "tensorflow",
        "eager",
        "https://www.tensorflow.org/x\nimport os; os.abort()",
        "tensorflow",
        ["g", "second"],
    )
    assert "# Documented at: https://www.tensorflow.org/x import os; os.abort()" in script
    path = tmp_path / "repro.py"
    path.write_text(script)
    done = subprocess.run(
        [sys.executable, "-I", str(path)], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("raised RuntimeError: A non-persistent GradientTape")
    assert lines[1] == "g = <tf.Tensor: shape=(), dtype=float32, numpy=6.0>"
    assert lines[2] == "second = '<not assigned>'"


def _author_like_record(tmp_path):
    """Three engines, the vector case in two contexts: the second engine fails it alike in
    both, and diverges from the first in the same places; a third lacks an API."""
    from conformance.result import Result
    from tests.test_browser_layout import TWO_CONTEXTS, WIDE
    from tests.test_report_record import BAD, GOOD, CannedEngine

    class Lacking(CannedEngine):
        def recorded_outcome(self, case, context):
            if case.local_id == "vector":
                return Result(
                    case.id,
                    self.name,
                    context,
                    "unsupported",
                    unsupported_api="GradientTape.jacobian",
                )
            return super().recorded_outcome(case, context)

    engines = [
        CannedEngine("tf", GOOD),
        CannedEngine("mine", BAD),
        Lacking("partial", GOOD, module="reference_impl"),
    ]
    return make_record(tmp_path, engines, TWO_CONTEXTS.removeprefix(WIDE))


def test_eager_and_function_failures_appear_once_with_their_contexts(tmp_path):
    page = render_html(_author_like_record(tmp_path))
    section = page[page.index('id="case-demo-vector"') :]
    section = section[: section.index("</details>\n<details")]
    assert section.count('data-engine="mine" data-contexts="eager function"') == 1
    assert 'data-engine="mine" data-contexts="eager"' not in section
    assert "differs from tf" not in section  # the divergence repeats the failure: folded
    assert "Also diverges from tf (eager, function), in the same places." in section
    assert section.count("element(s) differ") == 1  # not once in the detail, once below


def test_causes_unsupported_apis_and_topic_bars_are_on_the_page(tmp_path):
    page = render_html(_author_like_record(tmp_path))
    assert '<table class="causes" data-engine="mine">' in page
    assert "<b>partial</b> lacks <code>GradientTape.jacobian</code> (1 case unsupported)" in page
    assert "API GradientTape.jacobian missing" in page
    assert '<tr data-topic="demo">' in page and 'class="stack" data-engine="partial"' in page
    assert "np.float64" not in page
