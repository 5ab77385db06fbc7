"""The example cases in the README and docs/case-format.md load and pass on both engines."""

import re
from pathlib import Path

import pytest

from conformance.engines import resolve_engine
from conformance.loader import load_cases
from conformance.runner import run_cases

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["README.md", "docs/case-format.md"]


def example_cases(doc: str) -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / doc).read_text(), re.S)
    return [b for b in blocks if b.startswith("- id:")]


@pytest.mark.parametrize("doc", DOCS)
def test_documented_example_cases_pass(doc, tmp_path):
    examples = example_cases(doc)
    assert examples, f"{doc} has no example case"
    for i, text in enumerate(examples):
        (tmp_path / f"example{i}.yaml").write_text(text)
    loaded = load_cases([tmp_path])
    assert loaded.errors == [], [str(e) for e in loaded.errors]
    run = run_cases(loaded.cases, [resolve_engine("tensorflow"), resolve_engine("reference")])
    assert run.results and {r.status for r in run.results} == {"passed"}, [
        (r.case, r.engine, r.mismatches) for r in run.results if r.status != "passed"
    ]
    assert run.divergences == []
