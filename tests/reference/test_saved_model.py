"""The in-process SavedModel: copies of variables, bound functions, the
custom gradient kept, and a clear error in another process."""

import subprocess
import sys

import reference_impl as tf


@tf.custom_gradient
def clip_gradients(y):
    return y, lambda dy: tf.clip_by_norm(dy, 0.5)


class Scaled(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(3.0, name="w")
        self.offset = 1.0

    @tf.function(input_signature=[tf.TensorSpec(None)])
    def call(self, x):
        return clip_gradients(x) * self.w + self.offset

    @tf.function
    def never_called(self, x):
        return x


def test_loaded_object_has_copies_and_keeps_the_custom_gradient(tmp_path):
    model = Scaled()
    tf.saved_model.save(model, str(tmp_path / "m"))
    model.w.assign(100.0)
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        out = loaded.call(v * v)
    assert float(out) == 13.0 and float(loaded.w) == 3.0
    assert float(tape.gradient(out, v)) == 2.0  # clip(3.0, 0.5) * 2v
    assert not hasattr(loaded, "never_called")
    assert loaded.w.name == "w:0"


def test_loading_in_another_process_raises(tmp_path):
    tf.saved_model.save(Scaled(), str(tmp_path / "m"))
    code = (
        "import reference_impl as tf, sys\n"
        "try:\n  tf.saved_model.load(sys.argv[1])\n"
        'except NotImplementedError as e:\n  print("raised", e)\n'
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "m")],
        capture_output=True,
        text=True,
        cwd=tf.__path__[0] + "/..",
    ).stdout
    assert out.startswith("raised The reference keeps function bodies")
