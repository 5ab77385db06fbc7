"""Make the repository root importable so `import reference_impl` finds it."""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_configure(config):
    # The engine, like TF, computes inf/NaN silently; NumPy's floating-point
    # RuntimeWarnings from its modules are not findings.
    config.addinivalue_line("filterwarnings", r"ignore::RuntimeWarning:reference_impl\..*")


import pytest  # noqa: E402

import reference_impl  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_state():
    """Every test starts and ends with no tape, accumulator or graph active."""
    reference_impl._reset_state()
    yield
    reference_impl._reset_state()
