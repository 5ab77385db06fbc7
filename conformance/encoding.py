"""Total encoders: any value a case can produce becomes valid output, faithfully.

Every writer goes through here, so no value can crash a run or corrupt a file:

* JSON (record, journal, baselines): `json_safe` / `dumps`. NaN and
  infinities become the strings ``"nan"``, ``"inf"``, ``"-inf"``; an integer
  too long for a JSON reader (more than `MAX_INT_DIGITS` digits) becomes the
  string ``"<int of N digits: 12345…67890>"``; tuples become lists and keys
  strings; anything else its ``str``. Output is ASCII (``ensure_ascii``), so a
  lone surrogate such as ``"\\ud800"`` is written as that JSON escape and read
  back unchanged.
* Text for people (HTML, terminal): `visible` writes a lone surrogate as
  ``\\ud800`` and, for the terminal (`terminal`), every control character as
  ``\\x1b``-style escapes, so nothing a case prints can move the cursor,
  change colours or break a line of the summary.
* XML (JUnit): `xml_text` additionally escapes the characters XML 1.0 forbids
  (``\\x00``–``\\x1f`` except tab, newline and carriage return, ``\\ufffe``,
  ``\\uffff``).
* Files: `write_atomically` writes beside the target and renames, so a
  writer that fails leaves the previous file as it was, never a cut one.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_INT_DIGITS = 4000
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def json_safe(value: Any) -> Any:
    """`value` as strict, loss-free-where-possible JSON data (see the module doc)."""
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else float_name(value)
    if isinstance(value, int):
        return value if value.bit_length() <= MAX_INT_DIGITS * 3 else big_int_text(value)
    if isinstance(value, dict):
        return {_key(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return _str(value)


def float_name(value: float) -> str:
    """``"nan"``, ``"inf"`` or ``"-inf"``."""
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def big_int_text(value: int) -> str:
    """A huge integer as ``"<int of 5001 digits: 10000…00000>"`` (no digit limit hit)."""
    import sys

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        digits = str(abs(value))
    finally:
        sys.set_int_max_str_digits(limit)
    sign = "-" if value < 0 else ""
    return f"<int of {len(digits)} digits: {sign}{digits[:20]}…{digits[-20:]}>"


def _key(key: Any) -> str:
    return key if isinstance(key, str) else _str(json_safe(key))


def _str(value: Any) -> str:
    try:
        return str(value)
    except Exception as exc:  # a broken __str__ must not stop a writer
        return f"<unprintable {type(value).__name__}: {type(exc).__name__}>"


def dumps(value: Any, **options: Any) -> str:
    """Strict JSON text of `value` (never raises for data a case produced)."""
    return json.dumps(json_safe(value), allow_nan=False, ensure_ascii=True, **options)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with lone surrogates written as ``\\ud800`` (encodable as UTF-8)."""
    return _SURROGATE.sub(_escape, text)


def terminal(text: Any) -> str:
    """`text` safe for a terminal line: control characters and surrogates escaped."""
    return _CONTROL.sub(_escape, _str(text))


def xml_text(text: Any) -> str:
    """`text` with every character XML 1.0 forbids escaped."""
    return _XML_FORBIDDEN.sub(_escape, _str(text))


def deep(fn: Callable[[str], str], value: Any) -> Any:
    """`value` with `fn` applied to every string in it (keys too)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {deep(fn, k): deep(fn, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [deep(fn, v) for v in value]
    return value


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` by renaming a finished file over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as out:
            out.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
