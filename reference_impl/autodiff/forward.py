"""`tf.autodiff.ForwardAccumulator`: forward-mode JVPs, computed as ops run.

While active, the accumulator sees every op; if an input has a tangent, it
computes the output's tangent with the op's JVP rules. Those tangent ops run
with only the recorders entered *before* this accumulator active (TF's
strict nesting), so an outer tape or accumulator can differentiate them.
"""

from .. import ops
from ..core import nest, trace
from ..core.trace import Recorder
from .backprop import UnconnectedGradients, is_differentiable

_DUPLICATE = (
    "Tensor {} was specified as a primal multiple times. This may indicate "
    "an error. If it was intended, please sum the corresponding tangents."
)


class ForwardAccumulator(Recorder):
    """Computes Jacobian-vector products of ops run in its context.

    Args:
      primals: a Tensor, Variable or nested structure of them.
      tangents: a structure like `primals` of tangents (same dtypes).
    """

    forward_mode = True

    def __init__(self, primals, tangents):
        self._tangents = {}  # id -> tangent Tensor
        self._recording = False
        seen = set()
        for primal in nest.flatten(primals):
            if id(primal) in seen:
                # NB: in TensorFlow the '{}' is never filled in.
                raise ValueError(_DUPLICATE)
            seen.add(id(primal))
        self._watch(primals, tangents)

    def _watch(self, primals, tangents):
        """Watches each primal with its tangent; watching twice sums them."""
        _check_same_structure(primals, tangents)
        for primal, tangent in zip(nest.flatten(primals), nest.flatten(tangents)):
            if not primal.dtype.is_floating:
                # NB: TF keys this warning's log-5-times counter by a fixed call
                # site inside tf.nest, so it is limited per process, not per caller.
                trace.log_first_n(
                    "The dtype of the watched primal must be floating "
                    f"(e.g. tf.float32), got {primal.dtype!r}",
                    5,
                    key="primal",
                )
            tangent = ops.convert_to_tensor(tangent, dtype=primal.dtype)
            previous = self._tangents.get(primal._id)
            self._tangents[primal._id] = tangent if previous is None else previous + tangent

    def __enter__(self):
        if self._recording:
            raise ValueError("Accumulator is already recording.")
        trace.push(self)
        self._recording = True
        return self

    def __exit__(self, typ, value, traceback):
        if self._recording:
            trace.remove(self)
            self._recording = False

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The tangents of `primals` (a Tensor or structure), None if unconnected.

        Args:
          primals: Tensors computed while the accumulator was active.
          unconnected_gradients: 'none' or 'zero'.

        Returns:
          A structure like `primals` of tangents (or None / zeros).
        """
        unconnected = UnconnectedGradients(unconnected_gradients)

        def fetch(tensor):
            tangent = self._tangents.get(tensor._id)
            if tangent is None and unconnected is UnconnectedGradients.ZERO:
                tangent = ops.zeros_like(tensor)
            return tangent

        return nest.map_structure(fetch, primals)

    # ---- recorder interface (called by trace.bind and variable reads) ----

    def on_op(self, prim, inputs, params, out):
        tangents = self._tangents
        found = [tangents.get(x._id) for x in inputs]
        if all(t is None for t in found) or prim.nondiff or not is_differentiable(out):
            return
        if prim.jvps is None:
            raise LookupError(f"gradient registry has no entry for: {prim.name}")
        with trace.only_outer_of(self):
            total = _tangent(prim, _zero_filled(found, inputs), inputs, params or {}, out)
            if total is not None and total._value.shape != out._value.shape:
                total = ops.broadcast_to(total, out._value.shape)
        if total is not None:
            tangents[out._id] = total

    def holds_tangent(self, tensor):
        return tensor._id in self._tangents

    def on_read(self, variable, tensor):
        tangent = self._tangents.get(variable._id)
        if tangent is not None:
            self._tangents[tensor._id] = tangent

    # on_custom stays the Recorder no-op.
    # NB: in TensorFlow forward mode ignores a custom gradient: tangents
    # flow through the ops the decorated function actually ran.


def _tangent(prim, tangents, inputs, params, out):
    """The op's output tangent: its JVP rules' terms, summed."""
    if prim.joint_jvp is not None:
        return prim.joint_jvp(tangents, out, *inputs, **params)
    total = None
    for i, t in enumerate(tangents):
        rule = prim.jvps[i] if t is not None else None
        part = None if rule is None else rule(t, out, *inputs, **params)
        if part is not None:
            total = part if total is None else total + part
    return total


def _zero_filled(found, inputs):
    """The tangents of the op's differentiable inputs, zeros where they have none.

    NB: in TensorFlow an op's JVP sums over all its differentiable inputs, an
    input without a tangent contributing with a zero tangent: 0 times an
    infinite partial derivative is NaN (x / y at y = 0 with only x watched),
    and the zero term keeps an outer tape connected to that input. The
    tangent of an integer input is ignored (cast(int_primal, float32) has
    none)."""
    return [
        None if not is_differentiable(x) else ops.zeros(x.shape, x.dtype) if t is None else t
        for t, x in zip(found, inputs)
    ]


def _check_same_structure(primals, tangents):
    flat_p, flat_t = nest.flatten(primals), nest.flatten(tangents)

    def is_seq(s):
        return isinstance(s, (list, tuple, dict))

    if len(flat_p) != len(flat_t) or is_seq(primals) != is_seq(tangents):
        raise ValueError(
            "The two structures don't have the same nested structure.\n\n"
            f"First structure: type={type(primals).__name__} str={primals}\n\n"
            f"Second structure: type={type(tangents).__name__} str={tangents}"
        )
