"""Silencing TensorFlow's native start-up lines while an engine loads.

TensorFlow's C++ layer writes its start-up notices (the absl banner, "oneDNN
custom operations are on", "Could not find cuda drivers", the CPU-feature
notice, "failed call to cuInit") straight to file descriptor 2, before
``TF_CPP_MIN_LOG_LEVEL`` applies, on import and on first device use. Any
engine may import TensorFlow (a layer forwarding to it, a mutant), so every
module engine loads inside `startup_quiet`: stderr is captured while the
module is imported and its devices initialized, and every captured line that
is not such a notice is written back, so an engine's own messages survive
(and `faulthandler`'s stack of a fatal error goes to the real stderr).
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import re
import sys
import tempfile
from collections.abc import Iterator

NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\]"
    r"|To enable the following instructions:.*in other operations, rebuild TensorFlow)"
)


def is_noise(line: str) -> bool:
    """Whether `line` is one of TensorFlow's native start-up notices."""
    return bool(NOISE.match(line))


@contextlib.contextmanager
def startup_quiet() -> Iterator[None]:
    """Capture file descriptor 2; on exit, write back the lines that are not noise."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no usable stderr: nothing to hide
        yield
        return
    crash_dumps = faulthandler.is_enabled()
    with tempfile.TemporaryFile() as sink:
        if crash_dumps:  # a fatal error's stack must reach the real stderr
            faulthandler.enable(file=saved, all_threads=False)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            if crash_dumps:
                faulthandler.enable(file=2, all_threads=False)
            os.close(saved)
            sink.seek(0)
            _write_back(sink.read().decode("utf-8", "replace"))


def _write_back(captured: str) -> None:
    kept = [line for line in captured.splitlines(keepends=True) if not is_noise(line)]
    if kept:
        sys.stderr.write("".join(kept))
        sys.stderr.flush()


def initialize_devices() -> None:
    """Make TensorFlow probe its devices now (the cuInit notice comes then), if
    loading the engine imported TensorFlow; otherwise do nothing."""
    config = getattr(sys.modules.get("tensorflow"), "config", None)
    probe = getattr(config, "list_physical_devices", None)
    if callable(probe):
        # a broken device set-up shows up again when a case runs
        with contextlib.suppress(Exception):
            probe()
