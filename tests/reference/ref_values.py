"""A reference-engine value (or None) as plain nested lists, for assertions."""

import numpy as np

import reference_impl as tf


def value(t):
    return None if t is None else np.asarray(tf.convert_to_tensor(t).numpy()).tolist()
