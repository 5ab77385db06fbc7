"""The isolation contract's restore step, piece by piece, without a worker."""

from __future__ import annotations

import os
import signal

import pytest

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


def _probe_module(name: str):
    import sys
    import types

    module = types.ModuleType(name)
    module.value, module.function = 1.0, len
    sys.modules[name] = module
    return module


class _EqualToEverything:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


@pytest.mark.parametrize("tags", [True, False], ids=["dict-tags", "scan-only"])
def test_module_attributes_are_put_back_however_they_were_written(tags, monkeypatch):
    """Set as an attribute, written into the module's dict directly, replaced by an
    object that claims to equal anything, or added: each is found (by the dict's
    modification tag, then by identity; or by identity alone where an interpreter
    has no tags) and put back."""
    import sys

    from conformance.case_state import state

    if tags and state._TAG_OFFSET is None:
        pytest.skip("this interpreter's dicts have no modification tag")
    if not tags:
        monkeypatch.setattr(state, "_TAG_OFFSET", None)
    module = _probe_module("guard_probe_attrs")
    try:
        guard = CaseGuard([module], own_process=False)
        module.value = 2.0
        vars(module)["function"] = _EqualToEverything()
        module.added = "x"
        guard.after_case()
        assert (module.value, module.function) == (1.0, len)
        assert not hasattr(module, "added")
        vars(module)["value"] = 1.0  # the same value written again: nothing to restore
        assert not guard.modules.changed()
        vars(module)["function"] = _EqualToEverything()
        assert guard.modules.changed()
        guard.after_case()
        assert module.function is len
    finally:
        del sys.modules["guard_probe_attrs"]


def test_a_replaced_sys_modules_entry_is_put_back_and_a_new_import_stays():
    import sys

    module = _probe_module("guard_probe_sys")
    try:
        guard = CaseGuard([], own_process=False)
        sys.modules["guard_probe_sys"] = _EqualToEverything()
        sys.modules["guard_probe_new"] = _probe_module("guard_probe_new")
        guard.after_case()
        assert sys.modules["guard_probe_sys"] is module
        assert "guard_probe_new" in sys.modules
    finally:
        sys.modules.pop("guard_probe_sys", None)
        sys.modules.pop("guard_probe_new", None)


def test_the_dict_tag_self_test_accepts_only_the_tag_field():
    """The refcount, type pointer and item count next to the tag fail the self-test,
    so a build with another layout scans every dict instead of trusting a wrong
    field; on this interpreter the field after them passes."""
    import ctypes

    from conformance.case_state import state

    word = ctypes.sizeof(ctypes.c_ssize_t)
    assert not any(state.behaves_as_tag(offset) for offset in (0, word, 2 * word))
    if state._TAG_OFFSET is not None:
        assert state.behaves_as_tag(state._TAG_OFFSET)
