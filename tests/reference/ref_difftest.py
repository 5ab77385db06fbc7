"""Run one small TF program on an engine and record what it shows.

A program is Python source that uses `tf`, `np`, `show(label, value)` and
`expect(fn, label)`. Running it yields a list of events: shown values
(described engine-independently), raised exceptions (type name + message)
and WARNING records of the 'tensorflow' logger. Two engines agree on a
program when their event lists compare equal under `assert_same_events`.
"""
import linecache
import logging
import re

import numpy as np

_DEVICE_PREFIX = re.compile(r'\{\{function_node [^}]*\}\} ')
# TF-internal chatter that depends on process history, not on the program.
_IGNORED_LOGS = re.compile(r'triggered tf.function retracing|AutoGraph could not transform')


class _Capture(logging.Handler):
    def __init__(self, events):
        super().__init__(logging.WARNING)
        self.events = events

    def emit(self, record):
        message = record.getMessage()
        if not _IGNORED_LOGS.search(message):
            self.events.append(('log', message))


def describe(value):
    """An engine-independent, comparable description of a shown value."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return ('py', type(value).__name__, value)
    if type(value).__name__ == 'TensorShape':
        return ('TensorShape', list(value))
    if isinstance(value, dict):
        return ('dict', [(k, describe(v)) for k, v in value.items()])
    if isinstance(value, tuple) and hasattr(value, '_fields'):
        return (type(value).__name__, [describe(v) for v in value])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [describe(v) for v in value])
    kind = type(value).__name__
    if kind == 'IndexedSlices':
        return ('IndexedSlices', describe(value.values), describe(value.indices),
                describe(value.dense_shape))
    if kind == 'DType':
        return ('DType', value.name)
    if hasattr(value, 'assign'):
        return ('Variable', value.name, describe(value.read_value()))
    if hasattr(value, 'numpy') and hasattr(value, 'dtype'):
        return ('Tensor', value.dtype.name, tuple(value.shape), np.asarray(value.numpy()))
    if isinstance(value, (np.ndarray, np.generic)):
        return ('ndarray', str(value.dtype), np.asarray(value))
    return ('object', kind)


def run_program(tf, source, name):
    """Executes `source` with `tf` bound to an engine; returns its events."""
    events = []

    def show(label, value):
        events.append(('show', label, describe(value)))

    def expect(fn, label):
        try:
            value = fn()
        except Exception as e:  # noqa: BLE001 - exceptions are the observation
            message = _DEVICE_PREFIX.sub('', str(e))
            events.append(('raises', label, type(e).__name__, message))
            return None
        events.append(('show', label, describe(value)))
        return value

    handler = _Capture(events)
    logger = logging.getLogger('tensorflow')
    logger.addHandler(handler)
    try:
        filename = '<program %s>' % name
        # Register the source so tf.function's AutoGraph can read it back.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        code = compile(source, filename, 'exec')
        exec(code, {'tf': tf, 'np': np, 'show': show, 'expect': expect})
    finally:
        logger.removeHandler(handler)
    return events


def assert_same_events(actual, expected, rtol=1e-5, atol=1e-6):
    """Asserts two programs' event lists agree (values to tolerance)."""
    __tracebackhide__ = True
    assert len(actual) == len(expected), _diff(actual, expected)
    for a, e in zip(actual, expected):
        assert a[:2] == e[:2] or a[0] == e[0] == 'log', _diff([a], [e])
        if a[0] == 'show':
            _same(a[2], e[2], a[1], rtol, atol)
        else:
            assert a == e, _diff([a], [e])


def _same(a, e, where, rtol, atol):
    __tracebackhide__ = True
    if isinstance(e, np.ndarray):
        assert isinstance(a, np.ndarray) and a.shape == e.shape, '%s: %r != %r' % (where, a, e)
        if e.dtype.kind in 'fc' or str(e.dtype) == 'bfloat16':
            np.testing.assert_allclose(a.astype(np.complex128), e.astype(np.complex128),
                                       rtol=rtol, atol=atol, equal_nan=True, err_msg=where)
        else:
            assert a.tolist() == e.tolist(), '%s: %r != %r' % (where, a, e)
    elif isinstance(e, (tuple, list)):
        assert isinstance(a, type(e)) and len(a) == len(e), '%s: %r != %r' % (where, a, e)
        for x, y in zip(a, e):
            _same(x, y, where, rtol, atol)
    elif isinstance(e, float) and isinstance(a, float):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=where)
    else:
        assert a == e, '%s: %r != %r' % (where, a, e)


def _diff(actual, expected):
    lines = ['reference vs TensorFlow:']
    for i in range(max(len(actual), len(expected))):
        a = actual[i] if i < len(actual) else '<missing>'
        e = expected[i] if i < len(expected) else '<missing>'
        lines.append('  ref: %r\n   tf: %r' % (a, e))
    return '\n'.join(lines)
