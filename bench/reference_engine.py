"""Benchmark of the reference engine (not a test).

Measures, in one run:
  1. per-op overhead: a chain of 1,000 scalar ops recorded on a tape plus its
     gradient, on the reference engine, TensorFlow eager and HIPS autograd;
  2. an MLP gradient (batch 256, 512 -> 512 -> 10, float32) on the reference
     engine, hand-written NumPy forward+backward (the floor) and autograd.
Prints medians and ratios. autograd is optional (`pip install autograd`); the
script says so when it is missing.

BLAS runs single-threaded unless OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say
otherwise, and the MLP is timed before TensorFlow is imported: on a small
shared machine, competing BLAS and TF threads otherwise swamp what is
measured (the engine's overhead over the same NumPy kernels).

Usage: python bench/reference_engine.py [--quick]
"""

import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import reference_impl  # noqa: E402

CHAIN = 1000
BATCH, IN, HIDDEN, OUT = 256, 512, 512, 10


def median_seconds(contenders, repeats):
    """Median time of each contender; runs are interleaved round-robin so
    that changing machine load affects all contenders alike."""
    times = {name: [] for name in contenders}
    for fn in contenders.values():
        fn()  # warm up
    for _ in range(repeats):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


# --------------------------- 1. per-op overhead ---------------------------


def tape_chain(tf):
    """1,000 scalar ops (alternating * and +) under a tape, then the gradient."""
    x = tf.constant(0.5)
    scale, shift = tf.constant(0.999), tf.constant(0.001)

    def run():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in range(CHAIN // 2):
                y = y * scale
                y = y + shift
        return tape.gradient(y, x)

    return run


def autograd_chain(autograd):
    def f(x):
        for _ in range(CHAIN // 2):
            x = x * 0.999
            x = x + 0.001
        return x

    grad = autograd.grad(f)
    return lambda: grad(0.5)


# ------------------------------ 2. MLP gradient ---------------------------


def mlp_data():
    rng = np.random.default_rng(0)
    f32 = lambda *shape: (rng.standard_normal(shape) * 0.05).astype(np.float32)
    return {
        "x": f32(BATCH, IN),
        "y": f32(BATCH, OUT),
        "w1": f32(IN, HIDDEN),
        "b1": f32(HIDDEN),
        "w2": f32(HIDDEN, OUT),
        "b2": f32(OUT),
    }


def numpy_mlp(d):
    """Hand-written forward and backward: the floor."""
    x, y, w1, b1, w2, b2 = (d[k] for k in ("x", "y", "w1", "b1", "w2", "b2"))

    def run():
        a1 = x @ w1 + b1
        h = np.maximum(a1, 0)
        diff = h @ w2 + b2 - y
        g_out = diff * np.float32(2.0 / diff.size)
        g_h = (g_out @ w2.T) * (a1 > 0)
        return x.T @ g_h, g_h.sum(0), h.T @ g_out, g_out.sum(0)

    return run


def reference_mlp(d, tf=reference_impl):
    x, y = tf.constant(d["x"]), tf.constant(d["y"])
    params = [tf.Variable(d[k]) for k in ("w1", "b1", "w2", "b2")]
    w1, b1, w2, b2 = params

    def run():
        with tf.GradientTape() as tape:
            h = tf.nn.relu(x @ w1 + b1)
            loss = tf.reduce_mean(tf.square(h @ w2 + b2 - y))
        return tape.gradient(loss, params)

    return run


def autograd_mlp(d, autograd):
    anp = autograd.numpy

    def loss(params, x, y):
        w1, b1, w2, b2 = params
        h = anp.maximum(anp.dot(x, w1) + b1, 0.0)
        return anp.mean((anp.dot(h, w2) + b2 - y) ** 2)

    grad = autograd.grad(loss)
    params = [d[k] for k in ("w1", "b1", "w2", "b2")]
    return lambda: grad(params, d["x"], d["y"])


def check_mlp_agrees(d):
    ours = [g.numpy() for g in reference_mlp(d)()]
    floor = numpy_mlp(d)()
    for a, b in zip(ours, floor):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def load_optional(name):
    try:
        return __import__(name)
    except ImportError:
        print(f"  ({name} is not installed: pip install {name} to include it)")
        return None


def time_mlp(repeats, autograd):
    data = mlp_data()
    check_mlp_agrees(data)
    contenders = {"numpy (hand-written)": numpy_mlp(data), "reference": reference_mlp(data)}
    if autograd is not None:
        contenders["autograd"] = autograd_mlp(data, autograd)
    return median_seconds(contenders, repeats)


def time_chain(repeats, autograd, tensorflow):
    contenders = {"reference": tape_chain(reference_impl)}
    if tensorflow is not None:
        contenders["tensorflow eager"] = tape_chain(tensorflow)
    if autograd is not None:
        contenders["autograd"] = autograd_chain(autograd)
    return median_seconds(contenders, repeats)


def main(quick=False):
    repeats = 5 if quick else 21
    autograd = load_optional("autograd")
    mlp = time_mlp(repeats, autograd)  # before TF starts its thread pools
    chain = time_chain(repeats, autograd, load_optional("tensorflow"))
    print(f"1. per-op overhead: {CHAIN} scalar ops under a tape + gradient (median)")
    for name, seconds in chain.items():
        print(
            f"   {name:<17} {seconds * 1e3:8.2f} ms  {seconds / CHAIN * 1e6:6.2f} us/op  "
            f"{seconds / chain['reference']:5.2f}x reference"
        )
    print(f"2. MLP gradient, batch {BATCH}, {IN}->{HIDDEN}->{OUT} float32 (median)")
    floor = mlp["numpy (hand-written)"]
    for name, seconds in mlp.items():
        print(f"   {name:<21} {seconds * 1e3:8.3f} ms  {seconds / floor:5.2f}x numpy")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
