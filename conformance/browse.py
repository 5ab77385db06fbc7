"""Reading the corpus from a terminal: ``conformance list``, ``show`` and ``engines``.

`list_line` is one case per line (optionally with tags and source),
`show_case` one case in full for a reader (documented sentence, quote,
source, program, expectation as written), `find_case` the case an id names
(with suggestions when none does), `engines_text` what ``--engine`` can name.
"""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Sequence

import yaml

from .baseline import shipped_baselines
from .case import Case
from .engines.catalog import catalog
from .errors import UsageError

EXPECTATION_KEYS = ("expect", "raises", "logs", "variants")


def list_line(case: Case, tags: bool = False, sources: bool = False) -> str:
    """``id  title``, then ``[tag, …]`` and the source when asked for."""
    line = f"{case.id}  {case.title}"
    if tags:
        line += f"  [{', '.join(case.tags)}]"
    if sources:
        line += f"  {case.source}"
    return line


def find_case(cases: Sequence[Case], wanted: str) -> Case:
    """The case whose id is `wanted` (or whose local id is, when only one has it).

    Raises:
        UsageError: no such case; the message suggests the closest ids.
    """
    exact = [c for c in cases if c.id == wanted]
    local = [c for c in cases if c.local_id == wanted]
    if exact or len(local) == 1:
        return (exact or local)[0]
    ids = [c.id for c in cases]
    if len(local) > 1:
        raise UsageError(
            f"{wanted!r} names {len(local)} cases: "
            f"{', '.join(c.id for c in local)}; give the full id"
        )
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6) or difflib.get_close_matches(
        wanted, [c.local_id for c in cases], n=3, cutoff=0.6
    )
    hint = f"; did you mean {', '.join(close)}?" if close else " ('conformance list' lists them)"
    raise UsageError(f"no case {wanted!r}{hint}")


def show_case(case: Case) -> str:
    """One case for a reader: what is documented, where, the program and what it gives."""
    parts = [
        f"{case.id}: {case.title}",
        (
            f"  file: {case.path}:{case.line}    tags: {', '.join(case.tags)}    "
            f"contexts: {', '.join(case.contexts)}"
        ),
        f"  basis: {case.basis}"
        + (f" (observed with TF {case.observed_with})" if case.observed_with else "")
        + (f"    versions: {case.versions}" if case.versions else ""),
        *([f"  builds on: {', '.join(case.builds_on)}"] if case.builds_on else []),
        "",
        "doc:",
        textwrap.indent(case.doc.rstrip(), "  "),
    ]
    if case.quote:
        parts += ["", "documented:", textwrap.indent(textwrap.fill(case.quote, 88), "  > ")]
    parts += [
        f"  source: {case.source}",
        "",
        "program:",
        textwrap.indent(case.program.rstrip(), "  "),
        "",
        "expectation:",
        textwrap.indent(_expectation_yaml(case).rstrip(), "  "),
    ]
    return "\n".join(parts)


def _expectation_yaml(case: Case) -> str:
    written = {key: case.raw[key] for key in EXPECTATION_KEYS if key in case.raw}
    return yaml.safe_dump(written, sort_keys=False, allow_unicode=True, width=88)


def engines_text() -> str:
    """What ``--engine`` and ``--against`` accept, with the names known here."""
    listed = catalog()
    width = max(len(e.name) for e in listed if e.kind != "mutant")
    lines = ["built-in engines and entry points (conformance.engines):"]
    for entry in listed:
        if entry.kind != "mutant":
            lines.append(f"  {entry.name:<{width}}  {entry.kind}: {entry.about}")
    if not any(e.kind == "entry point" for e in listed):
        lines.append("  (no entry point is installed; see docs/engines.md to register one)")
    mutants = [e.name.rsplit(".", 1)[-1] for e in listed if e.kind == "mutant"]
    lines += [
        "",
        f"mutants ({len(mutants)}; --engine conformance.mutants.NAME):",
        textwrap.indent(textwrap.fill(", ".join(mutants), 96), "  "),
        "",
        "also: an import path pkg.module or pkg.module:attr, or a file path.py",
        "",
        (
            f"baselines for --against: {', '.join(shipped_baselines()) or 'none'}"
            " (or a file written by 'conformance record')"
        ),
    ]
    return "\n".join(lines)
