"""Load case files: YAML → schema check → `Case` objects, with located errors.

`load_cases(paths)` never stops at the first bad file: it returns every case
it could build and one `CaseError` per problem, each naming the file, the
line and (when known) the case id. YAML is only ever read with PyYAML's safe
loader, so a case file cannot construct Python objects.

Hostile input is refused before it can hurt: files over `MAX_FILE_BYTES`
are not read, nesting deeper than `MAX_DEPTH` is refused while composing,
and the composed node graph is checked *before* construction for recursive
aliases, alias expansion beyond `MAX_ALIAS_NODES` ("billion laughs"),
duplicate mapping keys and explicit tags other than YAML's core ones
(``!!python/object/apply:...`` never reaches a constructor).

Ids are file-scoped: a case's full id is ``<file path under its root>/<id>``,
so the same ``id`` in two files names two different cases. A file given
twice (directly and through its directory) is loaded once; two *different*
files that yield the same full id (``a/x.yaml`` and ``b/x.yaml`` given as two
roots) are an error naming both, and only the first one's case runs.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .case import CONTEXTS, TRACED_CONTEXTS, Case, Expectation, Raises, Variant, valid_specifier
from .errors import CaseError, SpecError
from .spec import parse_expect

CASE_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64  # nesting of YAML collections (aliases expanded)
MAX_ALIAS_NODES = 100_000  # nodes that aliases may add by expansion
CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("null", "bool", "int", "float", "str", "seq", "map", "merge")
)


@dataclass
class LoadResult:
    """Cases loaded from some paths, and the problems found on the way."""

    cases: list[Case] = field(default_factory=list)
    errors: list[CaseError] = field(default_factory=list)


def builtin_cases_dir() -> Path:
    """The directory of the cases that ship with the package."""
    return Path(str(resources.files("conformance.builtin_cases")))


@lru_cache(maxsize=1)
def case_schema() -> dict:
    """The JSON Schema every case file is validated against."""
    text = resources.files("conformance").joinpath("schema/case.schema.json").read_text()
    return json.loads(text)


def find_case_files(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """Expand files and directories into sorted ``(file, root)`` pairs.

    A directory is its own root (ids are relative to it); a file's root is
    its parent directory.
    """
    found: list[tuple[Path, Path]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += [(f, path) for f in sorted(path.rglob("*")) if f.suffix in CASE_SUFFIXES]
        else:
            found.append((path, path.parent))
    return found


def load_cases(paths: Iterable[Path]) -> LoadResult:
    """Load every case file under `paths` (files or directories)."""
    result = LoadResult()
    seen: dict[str, Case] = {}
    loaded: set[Path] = set()
    for file, root in find_case_files(paths):
        if resolved(file) in loaded:
            continue  # the same file given twice: load it once
        loaded.add(resolved(file))
        cases, errors = load_file(file, root)
        result.errors += errors
        for case in cases:
            if case.id in seen:
                other = seen[case.id]
                result.errors.append(
                    CaseError(
                        f"duplicate case id {case.id!r} (also at {other.path}:{other.line})",
                        path=case.path,
                        line=case.line,
                        case_id=case.local_id,
                    )
                )
                continue
            seen[case.id] = case
            result.cases.append(case)
    return result


def load_file(path: Path, root: Path | None = None) -> tuple[list[Case], list[CaseError]]:
    """Load one case file; returns its good cases and its errors (never raises)."""
    try:
        return _load_file(Path(path), root)
    except RecursionError:
        return [], [
            CaseError(
                f"the file is nested too deeply (more than {MAX_DEPTH} levels)",
                path=str(path),
                line=1,
            )
        ]
    except Exception as exc:  # a loader bug must not stop the run; the fuzz tests hunt these
        return [], [
            CaseError(
                f"internal error while loading ({type(exc).__name__}: {exc}); please report it",
                path=str(path),
                line=1,
            )
        ]


def _load_file(path: Path, root: Path | None) -> tuple[list[Case], list[CaseError]]:
    root = root if root is not None else path.parent
    shown = str(path)
    refused: list[CaseError] = []  # cases whose YAML was refused before construction
    try:
        document = _read_yaml(path, refused)
    except CaseError as exc:
        return [], [exc.located(path=shown)]
    refused = [e.located(path=shown) for e in refused]
    if document is None or (refused and not document[1]):
        return [], refused or [CaseError("the file has no cases", path=shown, line=1)]
    node, data = document
    if not isinstance(data, list):
        return [], [
            CaseError(
                "a case file must be a YAML list of cases",
                path=shown,
                line=node.start_mark.line + 1,
            )
        ]
    file_id = _file_id(path, root)
    schema_errors = _schema_errors(data, node, shown)
    cases, errors = [], refused + [e for i, e in schema_errors.items() if i is None]
    seen_ids: dict[str, int] = {}
    for index, (raw, case_node) in enumerate(zip(data, node.value)):
        line = case_node.start_mark.line + 1
        case_id = (
            raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        )
        if index in schema_errors:
            errors.append(schema_errors[index])
            continue
        if case_id in seen_ids:
            errors.append(
                CaseError(
                    f"duplicate id {case_id!r} (first at line {seen_ids[case_id]})",
                    path=shown,
                    line=line,
                    case_id=case_id,
                )
            )
            continue
        seen_ids[case_id] = line
        built = _build_or_error(raw, case_node, file_id, shown, case_id)
        (errors if isinstance(built, CaseError) else cases).append(built)
    unknown = _unknown_prerequisites(cases, set(seen_ids), root)
    errors += unknown.values()
    return [case for case in cases if case.id not in unknown], errors


def _unknown_prerequisites(cases: list[Case], ids: set[str], root: Path) -> dict[str, CaseError]:
    """Per case, the first ``builds_on`` id that names a case file under `root` (or
    this file) but no case in it: a typo or a renamed case. An id whose file is not
    there is not checked (a file copied out of its folder still loads)."""
    found: dict[str, CaseError] = {}
    # this file's ids, and each other file's read once
    files: dict[str, set[str] | None] = {case.file_id: ids for case in cases[:1]}
    for case in cases:
        for wanted in case.builds_on:
            file_id, local = wanted.rsplit("/", 1)
            if file_id not in files:
                files[file_id] = _ids_in(root, file_id)
            known = files[file_id]
            if known is not None and local not in known:
                found[case.id] = CaseError(
                    f"builds_on: no case {local!r} in {file_id}",
                    path=case.path,
                    line=case.line,
                    case_id=case.local_id,
                )
                break
    return found


def _ids_in(root: Path, file_id: str) -> set[str] | None:
    """The case ids of the case file `file_id` under `root` (None: no such file)."""
    for suffix in CASE_SUFFIXES:
        path = root / f"{file_id}{suffix}"
        if path.is_file():
            try:
                document = _read_yaml(path, [])
            except (CaseError, RecursionError):
                return None  # its own load reports what is wrong with it
            items = document[1] if document and isinstance(document[1], list) else []
            return {item["id"] for item in items if isinstance(item, dict) and "id" in item}
    return None


def _build_or_error(
    raw: dict, node: yaml.Node, file_id: str, shown: str, case_id: str | None
) -> Case | CaseError:
    """One case, or the located error that stops it (only it: the file's other cases load)."""
    line = node.start_mark.line + 1
    try:
        return _build_case(raw, node, file_id, shown)
    except CaseError as exc:
        return exc.located(path=shown, line=line, case_id=case_id)
    except Exception as exc:  # a loader bug costs this case only; the fuzz tests hunt these
        return CaseError(
            f"internal error while loading this case ({type(exc).__name__}: "
            f"{exc}); please report it",
            path=shown,
            line=line,
            case_id=case_id,
        )


def _file_id(path: Path, root: Path) -> str:
    try:
        relative = resolved(path).relative_to(resolved(root))
    except ValueError:
        relative = Path(path.name)
    return relative.with_suffix("").as_posix()


class _Loader(yaml.SafeLoader):
    """The safe loader, with YAML's implicit timestamps left as strings, that
    refuses nesting deeper than `MAX_DEPTH` while composing."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise CaseError(
                    f"the YAML is nested more than {MAX_DEPTH} levels deep",
                    line=self.peek_event().start_mark.line + 1,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path, refused: list[CaseError]) -> tuple[yaml.Node, Any] | None:
    """Parse a file; unsafe cases go to `refused`, a broken file raises `CaseError`."""
    try:
        with _open_regular(path) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
            size = max(len(raw), os.fstat(handle.fileno()).st_size)
    except OSError as exc:
        raise CaseError(f"cannot read the file: {exc.strerror}", line=1) from None
    if size > MAX_FILE_BYTES:
        raise CaseError(
            f"the file is {size} bytes; case files are limited to {MAX_FILE_BYTES} bytes", line=1
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        line = before.count("\n") + 1
        raise CaseError(
            f"the file is not valid UTF-8 (byte {exc.start})",
            line=line,
            case_id=_case_id_near(before, line),
        ) from None
    try:
        return _parse_yaml(text, refused)
    except CaseError as exc:
        raise exc.located(case_id=_case_id_near(text, exc.line)) from None


def _open_regular(path: Path) -> Any:
    """Open a regular file for reading without ever blocking (a FIFO named
    ``*.yaml`` would block a plain open) and refuse anything else."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a file"
        )
        raise OSError(errno.EINVAL, f"not a regular file ({kind})")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def resolved(path: Path) -> Path:
    """`path` made absolute with symlinks resolved; a symlink loop stays as it
    is (reading it then fails with a located error)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" (Python < 3.13)
        return Path(os.path.abspath(path))


def _case_id_near(text: str, line: int | None) -> str | None:
    """The id of the top-level case whose text contains `line`, if it says so plainly."""
    for candidate in reversed(text.splitlines()[: line or 0]):
        found = re.match(r"-\s+id:\s*['\"]?([a-z0-9][a-z0-9-]*)['\"]?\s*(#.*)?$", candidate)
        if found:
            return found.group(1)
        if candidate.startswith("-"):
            return None
    return None


def _parse_yaml(text: str, refused: list[CaseError]) -> tuple[yaml.Node, Any] | None:
    node, loader, tree = _compose_fast(text)
    if loader is not None:
        mine: list[CaseError] = []
        try:
            parsed = _checked(node, loader, mine, tree=tree)
        except yaml.YAMLError:  # e.g. an unhashable key: the careful path locates it
            pass
        else:
            refused.extend(mine)
            return parsed
        finally:
            loader.dispose()
    return _parse_careful(text, refused)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser and composer with `_Loader`'s resolvers (no timestamps)."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_NESTING = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_UNNESTING = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _compose_fast(text: str) -> tuple[yaml.Node | None, Any, bool]:
    """The composed node by libyaml (about five times faster than the pure-Python
    parser), its loader, and whether the event stream was a plain tree (no
    anchor, alias or explicit tag: nothing to expand or refuse but duplicate
    keys). ``(None, None, False)`` when the text needs the careful path: no
    libyaml, a character YAML forbids, nesting near `MAX_DEPTH` (found from the
    event stream before composing, which recurses in C) or any YAML error. The
    careful path then reads the file again and reports the problem with its line."""
    if not hasattr(yaml, "CSafeLoader") or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None, None, False
    try:
        depth, tree = 0, True
        for event in yaml.parse(text, Loader=_FastLoader):
            if isinstance(event, _NESTING):
                depth += 1
                if depth >= MAX_DEPTH - 1:
                    return None, None, False
            elif isinstance(event, _UNNESTING):
                depth -= 1
            if tree and (
                getattr(event, "anchor", None) is not None
                or getattr(event, "tag", None) is not None
            ):
                tree = False
        loader = _FastLoader(text)
        try:
            return loader.get_single_node(), loader, tree
        except BaseException:
            loader.dispose()
            raise
    except yaml.YAMLError:
        return None, None, False


def _checked(
    node: yaml.Node | None, loader: Any, refused: list[CaseError], tree: bool = False
) -> Any:
    """Refuse unsafe cases (to `refused`) or an unsafe file, then construct (`tree`:
    the text had no anchor, alias or tag, so only duplicate keys are looked for)."""
    if node is None:
        return None
    check = _check_tree_keys if tree else check_node_graph
    if isinstance(node, yaml.SequenceNode):
        node.value = [item for item in node.value if _item_is_safe(item, refused, check)]
    else:
        check(node)
    return node, loader.construct_document(node)


def _check_tree_keys(root: yaml.Node) -> None:
    """Duplicate mapping keys anywhere in an alias-free node tree (`_children`
    checks each mapping it opens)."""
    pending = [root]
    while pending:
        pending.extend(_children(pending.pop()))


def _parse_careful(text: str, refused: list[CaseError]) -> tuple[yaml.Node, Any] | None:
    """The pure-Python parser, which locates every problem (depth checked while composing)."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (e.g. \x1f)
        line = text[: exc.position].count("\n") + 1
        raise CaseError(
            f"invalid YAML: character {exc.character!r} is not allowed in YAML "
            f"(position {exc.position})",
            line=line,
        ) from None
    try:
        return _checked(loader.get_single_node(), loader, refused)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != mark.line:
            problem += f" (the construct started at line {exc.context_mark.line + 1})"
        raise CaseError(f"invalid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise CaseError(f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _item_is_safe(
    item: yaml.Node, refused: list[CaseError], check: Callable[[yaml.Node], None]
) -> bool:
    """Check one case's node graph; a refused case is reported, the others kept."""
    try:
        check(item)
    except CaseError as exc:
        refused.append(exc.located(case_id=_item_id(item)))
        return False
    return True


def _item_id(item: yaml.Node) -> str | None:
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                return value.value
    return None


def check_node_graph(root: yaml.Node) -> None:
    """Refuse a composed YAML graph that is unsafe or ambiguous to construct.

    Walks the graph once per distinct node (so an alias bomb costs no more
    than its text) and raises `CaseError` for a recursive alias, aliases that
    expand the document by more than `MAX_ALIAS_NODES` nodes, nesting deeper
    than `MAX_DEPTH` once aliases are expanded, a duplicate mapping key, or an
    explicit tag outside YAML's core schema.
    """
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded nodes, depth)
    distinct = _graph_size(root, sizes, set())
    expanded, depth = sizes[id(root)]
    if depth > MAX_DEPTH:
        raise CaseError(
            f"the YAML nests {depth} levels deep once aliases are expanded (limit {MAX_DEPTH})",
            line=root.start_mark.line + 1,
        )
    if expanded - distinct > MAX_ALIAS_NODES:
        raise CaseError(
            f"YAML aliases expand the file to {expanded} nodes (limit: "
            f"{MAX_ALIAS_NODES} more than written); is it an alias bomb?",
            line=root.start_mark.line + 1,
        )


def _graph_size(node: yaml.Node, sizes: dict, active: set) -> int:
    """Fill `sizes` for `node` and below; return how many distinct nodes were new."""
    if id(node) in sizes:
        return 0
    if id(node) in active:
        raise CaseError(
            "a YAML alias refers to a node that contains it (recursive structure)",
            line=node.start_mark.line + 1,
        )
    _check_tag(node)
    children = _children(node)
    active.add(id(node))
    new = 1 + sum(_graph_size(child, sizes, active) for child in children)
    active.discard(id(node))
    expanded = 1 + sum(sizes[id(c)][0] for c in children)
    depth = 1 + max((sizes[id(c)][1] for c in children), default=0)
    sizes[id(node)] = (min(expanded, 10 * (MAX_ALIAS_NODES + 1) ** 2), depth)
    return new


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        _check_duplicate_keys(node)
        return [part for pair in node.value for part in pair]
    return []


def _check_tag(node: yaml.Node) -> None:
    if node.tag not in CORE_TAGS:
        raise CaseError(
            f"YAML tag {_short_tag(node.tag)!r} is not allowed: case files hold "
            "only plain data (strings, numbers, booleans, null, lists, mappings)",
            line=node.start_mark.line + 1,
        )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _check_duplicate_keys(node: yaml.MappingNode) -> None:
    seen: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if (key.tag, key.value) in seen:
            raise CaseError(
                f"duplicate key {key.value!r} in a mapping (first at line "
                f"{seen[(key.tag, key.value)]})",
                line=key.start_mark.line + 1,
            )
        seen[(key.tag, key.value)] = key.start_mark.line + 1


def _schema_errors(data: list, node: yaml.Node, shown: str) -> dict[int | None, CaseError]:
    """One error per bad case (keyed by index), plus file-level ones (key None)."""
    validator = jsonschema.Draft202012Validator(case_schema())
    found: dict[int | None, CaseError] = {}
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = list(error.absolute_path)
        index = path[0] if path and isinstance(path[0], int) else None
        if index in found:
            continue
        raw = data[index] if index is not None else None
        case_id = (
            raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        )
        where = ".".join(map(str, path[1:])) or "case"
        found[index] = CaseError(
            f"{where}: {_schema_message(error)}",
            path=shown,
            line=_node_line(node, path),
            case_id=case_id,
        )
    return found


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key(s)")
    if error.validator == "anyOf" and error.schema_path and "required" in str(error.schema):
        return "a case needs at least one of expect, raises, logs"
    if error.validator == "pattern" and isinstance(error.instance, str) and "\n" in error.instance:
        return f"{error.instance!r} must be one line (no newline, not even at the end)"
    return error.message


def _node_line(node: yaml.Node, path: list) -> int:
    """The 1-based line of the YAML node at `path` (or of its nearest parent)."""
    for key in path:
        child = _child(node, key)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _child(node: yaml.Node, key: Any) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(key):
                return value_node
    return None


def _build_case(raw: dict, node: yaml.Node, file_id: str, shown: str) -> Case:
    case_id = raw["id"]
    program_node = _child(node, "program")
    program_line = _program_line(program_node)
    _check_program(raw["program"], program_line, shown, case_id, raw.get("contexts", ()))
    versions = raw.get("versions")
    if versions is not None and not valid_specifier(versions):
        raise CaseError(
            f"versions: {versions!r} is not a version specifier such as '>=2.16'",
            line=_node_line(node, ["versions"]),
        )
    return Case(
        id=f"{file_id}/{case_id}",
        local_id=case_id,
        path=shown,
        line=node.start_mark.line + 1,
        title=raw["title"],
        doc=raw["doc"],
        source=raw["source"],
        program=raw["program"],
        program_line=program_line,
        tags=tuple(raw["tags"]),
        expectation=_expectation(raw, node),
        quote=raw.get("quote"),
        basis=raw.get("basis", "documented"),
        observed_with=raw.get("observed_with"),
        rtol=raw.get("rtol"),
        atol=raw.get("atol"),
        contexts=tuple(raw.get("contexts", ("eager",))),
        versions=versions,
        variants=tuple(
            _variant(v, _child(node, "variants").value[i])
            for i, v in enumerate(raw.get("variants", ()))
        ),
        builds_on=_builds_on(raw, node, f"{file_id}/{case_id}"),
        raw=raw,
    )


def _builds_on(raw: dict, node: yaml.Node, full_id: str) -> tuple[str, ...]:
    found = tuple(raw.get("builds_on", ()))
    if full_id in found:
        raise CaseError(
            f"builds_on: {full_id!r} is this case itself", line=_node_line(node, ["builds_on"])
        )
    return found


def _program_line(node: yaml.Node) -> int:
    # A block scalar (| or >) starts on the line after its indicator.
    return node.start_mark.line + (2 if node.style in ("|", ">") else 1)


def _check_program(
    program: str, first_line: int, shown: str, case_id: str, contexts: Iterable[str]
) -> None:
    try:
        compile("\n" * (first_line - 1) + program, shown, "exec")
    except SyntaxError as exc:
        raise CaseError(f"program has a syntax error: {exc.msg}", line=exc.lineno) from None
    except ValueError as exc:  # e.g. "source code string cannot contain null bytes"
        raise CaseError(f"program cannot be compiled: {exc}", line=first_line) from None
    traced = [c for c in TRACED_CONTEXTS if c in contexts]
    if traced and not re.search(r"@context\b|\bcontext\(", program):
        raise CaseError(
            f"a case that runs in the {traced[0]!r} context must wrap its "
            "computation with @context (see docs/case-format.md)",
            line=first_line,
        )
    unknown = set(contexts) - set(CONTEXTS)
    if unknown:
        raise CaseError(f"unknown context(s): {', '.join(sorted(unknown))}", line=first_line)


def _expectation(raw: dict, node: yaml.Node) -> Expectation:
    return Expectation(
        values=_values(raw.get("expect", {}), node),
        raises=_raises(raw.get("raises"), node),
        logs=tuple(_logs(raw.get("logs", ()), node)),
    )


def _values(expect: dict, node: yaml.Node) -> dict:
    try:
        return parse_expect(expect)
    except SpecError as exc:
        raise CaseError(
            f"expect.{'.'.join(map(str, exc.path))}: {exc.message}",
            line=_node_line(node, ["expect", *exc.path]),
        ) from None


def _raises(raw: dict | None, node: yaml.Node) -> Raises | None:
    if raw is None:
        return None
    if raw.get("match") is not None:
        _check_regex(raw["match"], node, ["raises", "match"])
    return Raises(type=raw["type"], match=raw.get("match"))


def _logs(patterns: Iterable[str], node: yaml.Node) -> list[str]:
    for i, pattern in enumerate(patterns):
        _check_regex(pattern, node, ["logs", i])
    return list(patterns)


def _check_regex(pattern: str, node: yaml.Node, path: list) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise CaseError(
            f"{'.'.join(map(str, path))}: invalid regular expression: {exc}",
            line=_node_line(node, path),
        ) from None


def _variant(raw: dict, node: yaml.Node) -> Variant:
    if not valid_specifier(raw["versions"]):
        raise CaseError(
            f"variants: {raw['versions']!r} is not a version specifier",
            line=node.start_mark.line + 1,
        )
    return Variant(
        versions=raw["versions"],
        values=_values(raw["expect"], node) if "expect" in raw else None,
        raises=_raises(raw.get("raises"), node),
        replaces_raises="raises" in raw,
        logs=tuple(_logs(raw["logs"], node))
        if raw.get("logs") is not None
        else (() if "logs" in raw else None),
    )
