"""Doc drift: does every case's documented sentence still say what the case quotes?

For each case with a ``quote``, the quote is looked for where its ``source``
points:

* an API page (``https://www.tensorflow.org/api_docs/python/tf/GradientTape#gradient``):
  the installed TensorFlow's docstrings of that symbol (``tf.GradientTape``) —
  the object's own, its constructor's and its public members', as the page
  renders them;
* a guide (``https://www.tensorflow.org/guide/autodiff#…``): the notebook
  ``autodiff.ipynb`` among the ``--guide`` paths (files, or directories
  searched recursively), since the guides are not installed; without one the
  quote is ``unchecked``;
* a file of TensorFlow's repository (``github.com/tensorflow/tensorflow/blob/<ref>/<path>``):
  the installed package's copy of that file.

Text is compared after collapsing whitespace and dropping Markdown markup
(backticks, emphasis, links, HTML tags), so a docstring's line breaks or a
notebook's ``**bold**`` do not matter. A quote not found is ``changed`` when
a passage at least `SIMILAR` alike remains (the passage is shown) and
``vanished`` otherwise; ``unresolved`` means the symbol or notebook itself
is gone.
"""

from __future__ import annotations

import difflib
import inspect
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from .case import Case
from .errors import UsageError

API_PAGE = re.compile(r"^https?://www\.tensorflow\.org/api_docs/python/(tf(?:/[\w.]+)*)/?(?:#.*)?$")
GUIDE_PAGE = re.compile(r"^https?://www\.tensorflow\.org/guide/([\w/-]+?)/?(?:#.*)?$")
REPO_FILE = re.compile(
    r"^https?://github\.com/tensorflow/tensorflow/blob/[^/]+/(tensorflow/.+?)"
    r"(?:#.*)?$"
)
SIMILAR = 0.6
STATUSES = ("found", "changed", "vanished", "unresolved", "unchecked")
PROBLEMS = ("changed", "vanished", "unresolved")


@dataclass(frozen=True)
class QuoteCheck:
    """The verdict on one case's quote."""

    case: str
    source: str
    quote: str
    status: str  # one of STATUSES
    where: str  # the symbol, notebook or file searched, or why none was
    closest: str | None = None  # for ``changed``: the passage most like the quote
    similarity: float | None = None

    def to_json(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------ normalizing text

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"`+|\*+")


def normalize(text: str) -> str:
    """`text` as compared: Markdown links reduced to their text, HTML tags, backticks
    and emphasis dropped, whitespace collapsed."""
    text = _MARKUP.sub("", _TAG.sub(" ", _LINK.sub(r"\1", text)))
    return " ".join(text.split())


def closest_passage(quote: str, text: str) -> tuple[str, float]:
    """The passage of `text` most like `quote` (both normalized) and how alike, 0…1.

    The longest run the two share anchors a region of `text`; the passage is the
    stretch of that region between its first and last runs in common with the
    quote, widened to whole words."""
    if not quote or not text:
        return "", 0.0
    anchor = difflib.SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(
        0, len(text), 0, len(quote)
    )
    low = max(0, anchor.a - anchor.b - len(quote) // 2)
    region = text[low : anchor.a - anchor.b + len(quote) * 3 // 2]
    blocks = [
        b
        for b in difflib.SequenceMatcher(None, quote, region, autojunk=False).get_matching_blocks()
        if b.size >= 3
    ]
    if not blocks:
        return "", 0.0
    start, end = blocks[0].b, blocks[-1].b + blocks[-1].size
    while start > 0 and not region[start - 1].isspace():
        start -= 1
    while end < len(region) and not region[end].isspace():
        end += 1
    passage = region[start:end].strip()
    return passage, difflib.SequenceMatcher(None, quote, passage, autojunk=False).ratio()


def judge(case: Case, where: str, text: str) -> QuoteCheck:
    """Whether `case`'s quote is in `text` (the documentation found at `where`)."""
    quote, haystack = normalize(case.quote or ""), normalize(text)
    if quote in haystack:
        return QuoteCheck(case.id, case.source, case.quote or "", "found", where)
    passage, ratio = closest_passage(quote, haystack)
    status = "changed" if ratio >= SIMILAR else "vanished"
    return QuoteCheck(
        case.id,
        case.source,
        case.quote or "",
        status,
        where,
        passage if status == "changed" else None,
        round(ratio, 2),
    )


# ------------------------------------------------------------------ where the text is


def api_text(tf: ModuleType, symbol_path: str) -> str:
    """The docstrings an API page of `tf` renders for ``tf/a/b`` (tf.a.b).

    Raises:
        LookupError: the symbol does not exist in this TensorFlow.
    """
    obj: Any = tf
    for part in symbol_path.split("/")[1:]:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise LookupError(f"tf.{symbol_path[3:].replace('/', '.')} does not exist") from None
    docs = [inspect.getdoc(obj) or ""]
    if inspect.isclass(obj):
        docs += [inspect.getdoc(member) or "" for name, member in _members(obj)]
    return "\n\n".join(docs)


def _members(cls: type) -> Iterable[tuple[str, Any]]:
    for name, member in vars(cls).items():
        if name.startswith("_") and name != "__init__":
            continue
        yield name, member.fget if isinstance(member, property) else member


def notebook_text(path: Path) -> str:
    """The text of a notebook's markdown and code cells.

    Raises:
        UsageError: the file is not a notebook.
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a readable notebook ({exc})") from None
    return "\n\n".join(
        "".join(c.get("source", ""))
        if isinstance(c.get("source"), list)
        else str(c.get("source", ""))
        for c in cells
    )


def find_notebook(name: str, guides: Sequence[Path]) -> Path | None:
    """The notebook of guide page `name` (``autodiff`` → ``autodiff.ipynb``) among `guides`."""
    stem = name.rsplit("/", 1)[-1]
    for guide in guides:
        if guide.is_file() and guide.stem == stem:
            return guide
        if guide.is_dir():
            direct = guide / f"{name}.ipynb"
            if direct.is_file():
                return direct
            found = sorted(guide.rglob(f"{stem}.ipynb"))
            if found:
                return found[0]
    return None


# ------------------------------------------------------------------ checking the cases


class DocSources:
    """Where quotes are looked up: the installed TF and the guide notebooks, each read once."""

    def __init__(self, tf: ModuleType, guides: Sequence[Path] = ()) -> None:
        self.tf, self.guides = tf, list(guides)
        self._texts: dict[str, tuple[str, str | None]] = {}

    def lookup(self, source: str) -> tuple[str, str | None, str]:
        """``(where, text, status)``: the text at `source`, or None with the status
        (``unresolved`` / ``unchecked``) and `where` saying why."""
        if source not in self._texts:
            self._texts[source] = self._read(source)
        where, text = self._texts[source]
        status = (
            "" if text is not None else ("unchecked" if where.startswith("no ") else "unresolved")
        )
        return where, text, status

    def _read(self, source: str) -> tuple[str, str | None]:
        if match := API_PAGE.match(source):
            symbol = "tf." + match.group(1)[3:].replace("/", ".") if "/" in match.group(1) else "tf"
            try:
                return symbol, api_text(self.tf, match.group(1))
            except LookupError as exc:
                return str(exc), None
        if match := GUIDE_PAGE.match(source):
            notebook = find_notebook(match.group(1), self.guides)
            if notebook is None:
                return (
                    f"no notebook {match.group(1)}.ipynb among the --guide paths"
                    if self.guides
                    else "no --guide given for this guide page"
                ), None
            return str(notebook), notebook_text(notebook)
        if match := REPO_FILE.match(source):
            return self._repo_file(match.group(1))
        return "no check for this kind of source", None

    def _repo_file(self, path: str) -> tuple[str, str | None]:
        installed = Path(self.tf.__file__).resolve().parent.parent / path
        if not installed.is_file():
            return f"{path} is not in the installed TensorFlow", None
        return str(installed), installed.read_text(encoding="utf-8", errors="replace")


def check_quotes(cases: Sequence[Case], sources: DocSources) -> list[QuoteCheck]:
    """A verdict on the quote of every case that has one, in case order."""
    checks = []
    for case in cases:
        if not case.quote:
            continue
        where, text, status = sources.lookup(case.source)
        checks.append(
            judge(case, where, text)
            if text is not None
            else QuoteCheck(case.id, case.source, case.quote, status, where)
        )
    return checks


def import_tensorflow() -> ModuleType:
    """The installed TensorFlow, imported without its C++ start-up banner.

    Raises:
        UsageError: it cannot be imported.
    """
    from .engines.tensorflow import TensorFlowEngine

    engine = TensorFlowEngine()
    try:
        engine.load()
        return engine.namespace
    except Exception as exc:
        raise UsageError(f"doc-check needs TensorFlow installed: {exc}") from None


def quietly(function, *args):
    """`function(*args)` with TF's native stderr chatter (lazy-loaded libraries) hidden."""
    from .engines.quiet import startup_quiet

    with startup_quiet():
        return function(*args)


# ------------------------------------------------------------------ reporting


def format_checks(checks: Sequence[QuoteCheck], tf_version: str) -> str:
    """Problems first (each with where it was looked for), then a count line."""
    lines = []
    for check in checks:
        if check.status in PROBLEMS:
            lines.append(f"{check.status.upper()} {check.case}: in {check.where}")
            lines.append(f"    quote:   {_short(check.quote)}")
            if check.closest:
                lines.append(
                    f"    now:     {_short(check.closest)}  ({check.similarity:.0%} alike)"
                )
    unchecked = sorted({c.where for c in checks if c.status == "unchecked"})
    lines += [f"unchecked: {sum(c.where == w for c in checks)} quote(s): {w}" for w in unchecked]
    counts = ", ".join(
        f"{sum(c.status == s for c in checks)} {s}"
        for s in STATUSES
        if s in ("found", *PROBLEMS) or any(c.status == s for c in checks)
    )
    lines.append(f"TensorFlow {tf_version}: {len(checks)} quotes: {counts}")
    return "\n".join(lines)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
