"""The one table of primitives: registration, rule enumeration, rule patching.

A primitive's NumPy forward is registered in `prims/<family>.py`, its rules
in `rules/<family>.py` of the same family name (autograd's layout):

    exp_p = primitive("Exp", np.exp)                     # prims/math.py
    defvjp(math.exp_p, lambda g, ans, x: g * conj(ans))  # rules/math.py
    defjvp(math.exp_p, lambda t, ans, x: t * ans)

A VJP rule for argument i is called as `rule(g, ans, *inputs, **params)` and
returns the gradient for that argument (or None); a JVP rule is called as
`rule(t, ans, *inputs, **params)` with the tangent `t` of argument i and
returns that argument's contribution to the output tangent. Rules are written
with the engine's own ops, so gradients of gradients come for free.

Enumerating the rules (for op-level gradient tables):

    PRIMITIVES                 name -> Primitive, in registration order
    NONDIFFERENTIABLE          names registered as having no gradient
    rules(prim, "vjp"|"jvp")   the per-argument rules of one primitive:
                               {argnum: rule or None}, {} if it has none and
                               None when one rule serves every argument
    rule_table()               name -> RuleInfo(vjp=..., jvp=..., nondiff=...)

Replacing one rule for a while (rule mutants: scaled, zeroed, negated):

    def doubled(old):
        return lambda g, ans, x: 2 * old(g, ans, x)

    with patched_rule(PRIMITIVES["Exp"], "vjp", 0, doubled):
        ...  # Exp's VJP for argument 0 is doubled here, restored on exit

`patched_rule(prim, kind, argnum, wrap)` calls `wrap(old_rule)` for the new
rule (`old_rule` may be None); it restores the original rule table on exit,
also on error. Patching changes global state, so run patched code in its own
process or restore before anything else runs.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from .trace import Primitive

Rule = Callable[..., Any] | None

PRIMITIVES: dict[str, Primitive] = {}

# Ops registered as having no gradient (TF's `ops.NotDifferentiable`): their
# outputs are never connected, so gradients through them are None.
NONDIFFERENTIABLE: list[str] = []


def primitive(name: str, impl: Callable[..., Any]) -> Primitive:
    """Creates a Primitive and enters it in the table."""
    prim = Primitive(name, impl)
    PRIMITIVES[name] = prim
    return prim


def nondifferentiable(name: str, impl: Callable[..., Any]) -> Primitive:
    """Creates a Primitive whose outputs never carry gradients."""
    NONDIFFERENTIABLE.append(name)
    prim = primitive(name, impl)
    prim.nondiff = True
    return prim


def defvjp(prim: Primitive, *rules: Rule, passes_slices: bool = False) -> None:
    """Registers one VJP rule per argument (None: no gradient for it)."""
    prim.vjps = list(rules)
    prim.passes_slices = passes_slices


def defjvp(prim: Primitive, *rules: Rule) -> None:
    """Registers one JVP rule per argument (None: no tangent through it)."""
    prim.jvps = list(rules)


def defjvp_joint(prim: Primitive, rule: Callable[..., Any]) -> None:
    """Registers one JVP rule `rule(tangents, ans, *inputs)` that combines the
    tangents of all arguments (zeros for those without one) itself, for an op
    whose TF JVP sums the terms before a division (SqrtGrad)."""
    prim.jvps = ByArgnum(rule)
    prim.joint_jvp = rule


def shape_only(prim: Primitive, inputs: bool = False, output: bool = False) -> None:
    """Declares that `prim`'s VJP rules read only the shapes and dtypes of its
    inputs and/or output, so tapes keep data-less stand-ins for them.

    # NB: TensorFlow's tape does the same for the ops it lists in
    # `ops_which_dont_need_inputs` / `_outputs` (AddV2, MatMul's output, ...):
    # a value no gradient needs is freed as soon as the program drops it.
    """
    prim.drops_inputs, prim.drops_output = inputs, output


class ByArgnum:
    """Rule table for ops with any number of inputs (concat, stack):
    `rule(argnum, g, ans, *inputs, **params)` serves every argument."""

    def __init__(self, rule: Callable[..., Any]) -> None:
        self.rule = rule

    def __getitem__(self, argnum: int) -> Callable[..., Any]:
        return functools.partial(self.rule, argnum)


def defvjp_argnum(prim: Primitive, rule: Callable[..., Any]) -> None:
    """Registers one VJP rule `rule(argnum, g, ans, *inputs)` for all arguments."""
    prim.vjps = ByArgnum(rule)


def defjvp_argnum(prim: Primitive, rule: Callable[..., Any]) -> None:
    """Registers one JVP rule `rule(argnum, t, ans, *inputs)` for all arguments."""
    prim.jvps = ByArgnum(rule)


# ----------------------------- enumeration -----------------------------


class RuleInfo(NamedTuple):
    """The rules of one primitive, as `rules()` gives them."""

    vjp: dict[int, Rule] | None
    jvp: dict[int, Rule] | None
    nondiff: bool


def _attr(kind: str) -> str:
    if kind not in ("vjp", "jvp"):
        raise ValueError(f"rule kind must be 'vjp' or 'jvp', got {kind!r}")
    return kind + "s"


def rules(prim: Primitive, kind: str) -> dict[int, Rule] | None:
    """{argnum: rule or None} of `prim`'s VJP or JVP rules; {} when it has no
    rules of that kind, None when one `defvjp_argnum` rule serves all."""
    table = getattr(prim, _attr(kind))
    if table is None:
        return {}
    if isinstance(table, ByArgnum):
        return None
    return dict(enumerate(table))


def rule_table() -> dict[str, RuleInfo]:
    """name -> RuleInfo for every registered primitive, in registration order."""
    return {
        name: RuleInfo(rules(p, "vjp"), rules(p, "jvp"), p.nondiff)
        for name, p in PRIMITIVES.items()
    }


@contextlib.contextmanager
def patched_rule(
    prim: Primitive, kind: str, argnum: int, wrap: Callable[[Rule], Rule]
) -> Iterator[Rule]:
    """Replaces `prim`'s `kind` rule for `argnum` by `wrap(old_rule)` until exit.

    Yields the new rule. For a `defvjp_argnum` primitive, `old_rule` is the
    shared rule bound to `argnum`; the other arguments keep theirs.
    """
    attr = _attr(kind)
    saved = getattr(prim, attr)
    table = saved
    if table is None:
        table = []
    current = table[argnum] if isinstance(table, ByArgnum) or argnum < len(table) else None
    new = wrap(current)
    if isinstance(table, ByArgnum):
        patched: Any = _Overridden(table, argnum, new)
    else:
        patched = list(table) + [None] * (argnum + 1 - len(table))
        patched[argnum] = new
    setattr(prim, attr, patched)
    try:
        yield new
    finally:
        setattr(prim, attr, saved)


class _Overridden:
    """A ByArgnum table with one argument's rule replaced."""

    def __init__(self, table: ByArgnum, argnum: int, rule: Rule) -> None:
        self.table, self.argnum, self.rule = table, argnum, rule

    def __getitem__(self, argnum: int) -> Rule:
        return self.rule if argnum == self.argnum else self.table[argnum]
