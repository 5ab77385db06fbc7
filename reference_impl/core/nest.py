"""Flatten and rebuild nested structures of lists, tuples, namedtuples and dicts.

Dicts flatten in sorted key order (as `tf.nest` does) but are rebuilt with
the caller's key order, so `gradient(loss, {'w': w, 'b': b})` returns a dict
ordered 'w', 'b'. Anything else (tensors, variables, None, numbers) is a leaf.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def flatten(structure: Any) -> list:
    """Returns the leaves of `structure` as a flat list."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_sequence_as(structure: Any, flat: list) -> Any:
    """Rebuilds `structure` with its leaves replaced by `flat`, in order.

    Args:
      structure: the nested structure to mirror.
      flat: a list with one entry per leaf of `structure`.

    Returns:
      A structure like `structure` holding the entries of `flat`.
    """
    packed, used = _pack(structure, list(flat), 0)
    if used != len(flat):
        raise ValueError(f"Structure had {used} leaves, but flat sequence had {len(flat)}")
    return packed


def _pack(structure: Any, flat: list, start: int) -> tuple[Any, int]:
    if isinstance(structure, dict):
        result = {}
        for key in sorted(structure):
            result[key], start = _pack(structure[key], flat, start)
        return {key: result[key] for key in structure}, start
    if isinstance(structure, (list, tuple)):
        items = []
        for item in structure:
            packed, start = _pack(item, flat, start)
            items.append(packed)
        if _is_namedtuple(structure):
            return type(structure)(*items), start
        return type(structure)(items) if isinstance(structure, tuple) else items, start
    return flat[start], start + 1


def map_structure(fn: Callable[..., Any], *structures: Any) -> Any:
    """Applies `fn` leaf-wise to structures of the same shape."""
    flats = [flatten(s) for s in structures]
    if any(len(f) != len(flats[0]) for f in flats):
        raise ValueError("The two structures don't have the same nested structure.")
    return pack_sequence_as(structures[0], [fn(*leaves) for leaves in zip(*flats)])
