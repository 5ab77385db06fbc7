"""The loader: valid files become cases; each kind of bad file gives one located error."""

from pathlib import Path

import pytest

from conformance.loader import builtin_cases_dir, load_cases
from tests.conftest import GOOD_CASE


def only_error(root: Path):
    loaded = load_cases([root])
    assert len(loaded.errors) == 1, [str(e) for e in loaded.errors]
    return loaded, loaded.errors[0]


def test_valid_file_gives_cases_with_full_ids_and_lines(case_dir):
    root = case_dir(**{"topic/basic": GOOD_CASE})
    loaded = load_cases([root])
    assert loaded.errors == []
    (case,) = loaded.cases
    assert case.id == "topic/basic/square"
    assert case.line == 1
    assert case.program_line == 7
    assert case.expectation.values["g"].dtype == "float32"


BAD_FILES = {
    "bad-yaml": ("- id: a\n  title: [unclosed\n", 3, "a", "started at line 2"),
    "tab-indent": ("- id: a\n\ttitle: x\n", 2, "a", "invalid YAML"),
    "not-a-list": ("id: a\ntitle: b\n", 1, None, "must be a YAML list"),
    "empty": ("", 1, None, "no cases"),
    "missing-program": (
        GOOD_CASE.replace(
            "  program: |\n    x = tf.Variable(3.0)\n"
            "    with tf.GradientTape() as tape:\n"
            "      y = x**2\n    g = tape.gradient(y, x)\n",
            "",
        ),
        1,
        "square",
        "'program' is a required property",
    ),
    "unknown-key": (GOOD_CASE + "  colour: red\n", 1, "square", "unknown key"),
    "wrong-type": (GOOD_CASE.replace("tags: [watch]", "tags: watch"), 5, "square", "not of type"),
    "syntax-error": (GOOD_CASE.replace("y = x**2", "y = x**"), 9, "square", "syntax error"),
    "bad-expectation": (
        GOOD_CASE.replace("dtype: float32", "dtype: float99"),
        12,
        "square",
        "unknown dtype",
    ),
    "bad-regex": (
        GOOD_CASE + "  raises: {type: ValueError, match: '(unclosed'}\n",
        13,
        "square",
        "invalid regular expression",
    ),
    "bad-versions": (
        GOOD_CASE + "  versions: 'two point sixteen'\n",
        13,
        "square",
        "version specifier",
    ),
    "duplicate-id": (GOOD_CASE + GOOD_CASE, 13, "square", "duplicate id"),
    "python-tag": (
        "- !!python/object/apply:os.system ['echo hacked']\n",
        1,
        None,
        "is not allowed",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_one_located_error(case_dir, name):
    text, line, case_id, words = BAD_FILES[name]
    root = case_dir(**{name: text})
    _, error = only_error(root)
    assert error.path.endswith(f"{name}.yaml")
    assert error.line == line, str(error)
    assert error.case_id == case_id
    assert words in str(error)
    assert str(error).startswith(f"{error.path}:{line}:")


def test_non_utf8_file_is_reported_with_its_line(case_dir):
    root = case_dir(ok=GOOD_CASE)
    (root / "latin.yaml").write_bytes(b"- id: a\n  title: caf\xe9\n")
    loaded = load_cases([root])
    assert [c.id for c in loaded.cases] == ["ok/square"]
    (error,) = loaded.errors
    assert "UTF-8" in error.message and error.line == 2


def test_other_files_and_cases_still_load(case_dir):
    broken = GOOD_CASE.replace("id: square", "id: broken").replace("tags: [watch]", "tags: 3")
    root = case_dir(a=GOOD_CASE, b="- [unclosed\n", c=broken + GOOD_CASE)
    loaded = load_cases([root])
    assert sorted(c.id for c in loaded.cases) == ["a/square", "c/square"]
    assert sorted(e.case_id or "-" for e in loaded.errors) == ["-", "broken"]


def test_function_context_requires_the_context_decorator(case_dir):
    root = case_dir(f=GOOD_CASE + "  contexts: [eager, function]\n")
    _, error = only_error(root)
    assert "@context" in error.message


def test_builtin_cases_all_load():
    loaded = load_cases([builtin_cases_dir()])
    assert loaded.errors == [], "\n".join(map(str, loaded.errors))
    assert len(loaded.cases) >= 2


STRING_CASE = GOOD_CASE.replace("id: square", "id: text").replace(
    "g: {tensor: 6.0, dtype: float32, shape: []}", "g: {tensor: abc, dtype: string, shape: []}"
)


def test_a_string_tensor_expectation_loads(case_dir):
    loaded = load_cases([case_dir(a=STRING_CASE)])
    assert loaded.errors == []
    assert loaded.cases[0].expectation.values["g"].value == "abc"


def test_a_string_tensor_expectation_of_the_wrong_type_is_located(case_dir):
    bad = STRING_CASE.replace("tensor: abc,", "tensor: [abc, 1],")
    loaded, error = only_error(case_dir(a=GOOD_CASE + bad))
    assert [case.local_id for case in loaded.cases] == ["square"]
    assert (error.line, error.case_id) == (24, "text"), str(error)  # its g: line
    assert "expect.g.tensor: a string tensor's values are strings" in error.message


def test_a_loader_bug_costs_only_its_case(case_dir, monkeypatch):
    import conformance.loader as loader

    def parse(raw):
        if "boom" in raw:
            raise ZeroDivisionError("boom")
        return real(raw)

    real = loader.parse_expect
    monkeypatch.setattr(loader, "parse_expect", parse)
    boom = GOOD_CASE.replace("id: square", "id: boom").replace("    g: {", "    boom: {")
    loaded, error = only_error(case_dir(a=boom + GOOD_CASE))
    assert [case.local_id for case in loaded.cases] == ["square"]
    assert (error.line, error.case_id) == (1, "boom")
    assert str(error).startswith(f"{error.path}:1: [boom] internal error while loading this case")


def _building_on(*ids: str, case_id: str = "built") -> str:
    return GOOD_CASE.replace("id: square", f"id: {case_id}") + f"  builds_on: [{', '.join(ids)}]\n"


def test_builds_on_names_other_cases_and_is_kept_on_the_case(case_dir):
    root = case_dir(base=GOOD_CASE, **{"more/built": _building_on("base/square")})
    loaded = load_cases([root])
    assert loaded.errors == []
    (built,) = [case for case in loaded.cases if case.id == "more/built/built"]
    assert built.builds_on == ("base/square",)


def test_a_builds_on_id_missing_from_its_file_is_located_and_only_that_case_is_lost(case_dir):
    """A typo in builds_on would otherwise be silent (nothing is folded): the case is
    refused with its file, line and id; the file's other case still loads."""
    text = GOOD_CASE + "\n" + _building_on("base/sqare")
    root = case_dir(base=GOOD_CASE, topic=text)
    loaded, error = only_error(root)
    assert (error.path, error.line, error.case_id) == (str(root / "topic.yaml"), 14, "built")
    assert "builds_on: no case 'sqare' in base" in str(error)
    assert sorted(case.id for case in loaded.cases) == ["base/square", "topic/square"]


def test_builds_on_this_case_itself_or_a_missing_neighbour_in_its_file_is_refused(case_dir):
    loaded = load_cases(
        [case_dir(topic=_building_on("topic/built"), other=_building_on("other/x"))]
    )
    assert loaded.cases == []
    found = {(Path(e.path).name, e.line, e.case_id): str(e) for e in loaded.errors}
    assert "is this case itself" in found[("topic.yaml", 13, "built")]
    assert "no case 'x' in other" in found[("other.yaml", 1, "built")]


def test_builds_on_a_file_that_is_not_there_is_not_checked(case_dir):
    """A case file copied out of its folder still loads: only ids of files that exist
    under the same root are checked."""
    loaded = load_cases([case_dir(topic=_building_on("elsewhere/square"))])
    assert loaded.errors == [] and loaded.cases[0].builds_on == ("elsewhere/square",)


def test_the_built_in_builds_on_ids_all_name_loaded_cases():
    loaded = load_cases([builtin_cases_dir()])
    ids = {case.id for case in loaded.cases}
    wanted = {w for case in loaded.cases for w in case.builds_on}
    assert wanted and wanted <= ids
