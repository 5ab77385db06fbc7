"""The isolation contract's restore step, piece by piece, without a worker."""

from __future__ import annotations

import os
import signal

from conformance.case_state.contract import CaseGuard


def test_the_environment_is_put_back_variable_by_variable(monkeypatch):
    monkeypatch.setenv("GUARD_KEPT", "before")
    monkeypatch.setenv("GUARD_REMOVED", "x")
    monkeypatch.delenv("GUARD_ADDED", raising=False)
    guard = CaseGuard([], own_process=False)
    os.environ["GUARD_ADDED"] = "1"  # what a case does
    os.environ["GUARD_KEPT"] = "after"
    del os.environ["GUARD_REMOVED"]
    os.environ["GUARD_NON_ASCII"] = "é\udcff"  # a surrogate-escaped byte, as from the OS
    assert guard.after_case() == []
    assert "GUARD_ADDED" not in os.environ and "GUARD_NON_ASCII" not in os.environ
    assert os.environ["GUARD_KEPT"] == "before" and os.environ["GUARD_REMOVED"] == "x"


def test_signal_handlers_a_case_installs_are_put_back():
    before = signal.getsignal(signal.SIGUSR1)
    guard = CaseGuard([], own_process=False)
    signal.signal(signal.SIGUSR1, lambda *args: None)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        guard.after_case()
        assert signal.getsignal(signal.SIGUSR1) is before
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN
    finally:
        signal.signal(signal.SIGUSR1, before)
