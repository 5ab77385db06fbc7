"""tf.custom_gradient is ignored: gradients flow through the forward computation."""

import functools

from ._base import install

AREA = "higher-order"
TOUCHES = ("custom_gradient",)
SEEN_IN = ""

tf = install(globals())


def custom_gradient(f=None):
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def forward_only(*args, **kwargs):
        result, _ = f(*args, **kwargs)
        return result

    return forward_only
