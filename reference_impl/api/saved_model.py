"""A minimal `tf.saved_model.save`/`load`, valid within one process.

`save` writes the object graph (modules, variables, constants and the
functions that can be restored) to `<path>/reference_saved_model.json` and
each variable's value to `<path>/variables/<n>.npy`. `load` rebuilds a new
object with *copies* of the variables and functions bound to it, so later
changes to the original object do not reach the loaded one, as in TF.

# NB: TensorFlow serializes each function as a traced graph (and, with
# SaveOptions(experimental_custom_gradients=True), the graphs of its custom
# gradients), so a SavedModel loads in a new process. The reference has no
# graphs: a function's body stays in this process's registry and the file
# only names it. Within the process that saved it, which is where TF too
# gives the custom gradient whatever the option, loading behaves as in TF;
# in another process `load` raises NotImplementedError instead.
"""

import functools
import itertools
import json
import os

import numpy as np

from ..state.module import Module
from ..state.variables import Variable
from .function import TensorSpec, function

MANIFEST = "reference_saved_model.json"
_PLAIN = (bool, int, float, str, type(None))
_functions = {}  # registry key -> Python function
_keys = itertools.count()


class SaveOptions:
    """Options of `save`; the reference needs none of them (see module doc)."""

    def __init__(self, experimental_custom_gradients=True, **unused_kwargs):
        self.experimental_custom_gradients = experimental_custom_gradients


def save(obj, export_dir, signatures=None, options=None):
    """Writes `obj`'s variables, constants and restorable functions.

    Args:
      obj: a `tf.Module` (or any object with such attributes).
      export_dir: the directory to create.
    """
    os.makedirs(os.path.join(export_dir, "variables"), exist_ok=True)
    nodes, index = [], {}
    _node(obj, nodes, index, export_dir)
    with open(os.path.join(export_dir, MANIFEST), "w") as f:
        json.dump({"pid": os.getpid(), "nodes": nodes}, f)


def _node(obj, nodes, index, export_dir):
    """Index of `obj`'s node in `nodes`, adding it (and its children)."""
    if id(obj) in index:
        return index[id(obj)]
    index[id(obj)] = len(nodes)
    if isinstance(obj, Variable):
        nodes.append(
            {
                "kind": "variable",
                "name": obj.name[:-2],
                "trainable": obj.trainable,
                "file": f"variables/{len(nodes)}.npy",
            }
        )
        np.save(os.path.join(export_dir, nodes[-1]["file"]), obj.numpy())
        return index[id(obj)]
    node = {"kind": "object", "children": {}, "constants": {}, "functions": {}}
    nodes.append(node)
    for name, value in sorted(vars(obj).items()):
        if isinstance(value, (Variable, Module)):
            node["children"][name] = _node(value, nodes, index, export_dir)
        elif isinstance(value, _PLAIN):
            node["constants"][name] = value
    for name in dir(type(obj)):
        method = getattr(type(obj), name, None)
        if hasattr(method, "python_function") and _restorable(method):
            node["functions"][name] = _register(method)
    return index[id(obj)]


def _restorable(fn):
    # NB: in TensorFlow only functions with an input signature, or already
    # traced, have concrete functions to save.
    return fn.input_signature is not None or fn.traced[0]


def _register(fn):
    key = f"{os.getpid()}-{next(_keys)}"
    _functions[key] = fn.python_function
    signature = (
        None
        if fn.input_signature is None
        else [
            [None if s.shape is None else list(s.shape), s.dtype.name] for s in fn.input_signature
        ]
    )
    return {"key": key, "signature": signature}


class _UserObject:
    """What `load` returns: an object with the saved attributes."""


def load(export_dir, tags=None, options=None):
    """Rebuilds the object saved in `export_dir` (see the module doc)."""
    with open(os.path.join(export_dir, MANIFEST)) as f:
        manifest = json.load(f)
    objects = [None] * len(manifest["nodes"])
    for i, node in enumerate(manifest["nodes"]):
        objects[i] = _restore_leaf(node, export_dir)
    for node, obj in zip(manifest["nodes"], objects):
        if node["kind"] == "object":
            _restore_object(node, obj, objects)
    return objects[0]


def _restore_leaf(node, export_dir):
    if node["kind"] == "variable":
        return Variable(
            np.load(os.path.join(export_dir, node["file"])),
            trainable=node["trainable"],
            name=node["name"],
        )
    return _UserObject()


def _restore_object(node, obj, objects):
    for name, child in node["children"].items():
        setattr(obj, name, objects[child])
    for name, value in node["constants"].items():
        setattr(obj, name, value)
    for name, saved in node["functions"].items():
        if saved["key"] not in _functions:
            raise NotImplementedError(
                "The reference keeps function bodies in the process that saved them; "
                f"function {name!r} cannot be restored in another process."
            )
        signature = (
            None
            if saved["signature"] is None
            else [TensorSpec(shape, dtype) for shape, dtype in saved["signature"]]
        )
        bound = functools.partial(_functions[saved["key"]], obj)
        setattr(
            obj,
            name,
            function(functools.wraps(_functions[saved["key"]])(bound), input_signature=signature),
        )
