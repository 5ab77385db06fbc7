"""The op table, one module per family; `all_entries` collects them in order.

Each family module exposes ``entries()`` returning its `OpEntry` list; the
samples a family shares (unary domains, broadcasting shapes, axis/keepdims
variants) are generated there rather than written out per op.
"""

from __future__ import annotations

from ..table import OpEntry


def all_entries() -> list[OpEntry]:
    """Every entry of the table, family by family."""
    from . import arrays, binary, control, images, linalg, nn, reductions, signal, unary

    found: list[OpEntry] = []
    for module in (unary, binary, reductions, arrays, nn, linalg, signal, images, control):
        found += module.entries()
    return found
