"""The reference engine, except that ``tf.nn.relu6`` never returns and
``tf.nn.elu`` kills its process (SIGSEGV): a program using either must cost
only itself in a fuzz batch."""

import ctypes
import time

import reference_impl
from conformance.mutants._base import Overlay

Tensor = reference_impl.Tensor
Variable = reference_impl.Variable
IndexedSlices = reference_impl.IndexedSlices
TF_VERSION = reference_impl.TF_VERSION


def __getattr__(name):
    return getattr(reference_impl, name)


def _hang(x, name=None):
    while True:
        time.sleep(0.05)


def _crash(x, name=None):
    return ctypes.string_at(0)


nn = Overlay(reference_impl.nn, relu6=_hang, elu=_crash)
