"""`tf.Module`: a container whose variables are found by walking attributes.

# NB: in TensorFlow `trainable_variables` is ordered by attribute name (then
# nested position), not by creation order as `watched_variables()` is.
"""

from .variables import Variable


class Module:
    """Base class for objects that own variables and sub-modules."""

    def __init__(self, name=None):
        self._name = name or type(self).__name__.lower()

    @property
    def name(self):
        return self._name

    @property
    def variables(self):
        return tuple(_walk(self, lambda v: True, set()))

    @property
    def trainable_variables(self):
        return tuple(_walk(self, lambda v: v.trainable, set()))

    @property
    def submodules(self):
        found = []
        for _, value in sorted(vars(self).items()):
            for item in _leaves(value):
                if isinstance(item, Module):
                    found.append(item)
                    found.extend(item.submodules)
        return tuple(found)


def _leaves(value):
    if isinstance(value, dict):
        return [leaf for key in sorted(value) for leaf in _leaves(value[key])]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _walk(module, keep, seen):
    """Variables under `module` in attribute-name order, each once."""
    found = []
    for key, value in sorted(vars(module).items()):
        if key == "_name":
            continue
        for item in _leaves(value):
            if isinstance(item, Variable) and id(item) not in seen and keep(item):
                seen.add(id(item))
                found.append(item)
            elif isinstance(item, Module):
                found.extend(_walk(item, keep, seen))
    return found
