"""Processes a case starts: found, killed and named after the case.

A worker makes itself a *child subreaper* (Linux ``PR_SET_CHILD_SUBREAPER``),
so a grandchild whose parent exits is re-parented to the worker rather than
to init, and stays visible. After each case `ChildWatch.leaks` kills every
descendant still running (``subprocess.Popen(["sleep", "97"])``, a
``multiprocessing`` pool, a fork) and names it; a fork of the worker itself
is reported even when the child already exited. A forked child never
answers the parent: `is_fork` tells the worker loop it is not the worker.
Workers also lead their own process group, so killing a worker (timeout,
crash, end of run) kills whatever it started with it (`kill_group`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
_state = {"pid": os.getpid(), "forks": 0}


def become_subreaper() -> None:
    """Adopt orphaned descendants (Linux only; elsewhere a no-op)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1)


def mark_worker() -> None:
    """Remember this process as the worker and count forks made from it."""
    _state["pid"] = os.getpid()
    os.register_at_fork(after_in_parent=_count_fork)


def _count_fork() -> None:
    _state["forks"] += 1


def is_fork() -> bool:
    """True in a process forked from the worker (it must never answer)."""
    return os.getpid() != _state["pid"]


def descendants(pid: int | None = None) -> list[int]:
    """Every descendant of `pid` (default: this process), parents first."""
    found, queue = [], [pid or os.getpid()]
    while queue:
        parent = queue.pop(0)
        for child in _children(parent):
            if child not in found:
                found.append(child)
                queue.append(child)
    return found


def _children(pid: int) -> list[int]:
    pids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return pids


def command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


class ChildWatch:
    """Counts forks and finds the descendants a case left behind."""

    def __init__(self) -> None:
        self.forks = _state["forks"]

    def leaks(self) -> list[str]:
        """Kill the descendants still running and name them; name a fork."""
        found = []
        if _state["forks"] != self.forks:
            found.append(
                f"the case forked the worker process ({_state['forks'] - self.forks} "
                "time(s), os.fork)"
            )
            self.forks = _state["forks"]
        running = [(pid, command_name(pid)) for pid in descendants() if not _zombie(pid)]
        for pid, _ in running:
            _kill(pid)
        _reap()
        found += [f"child process {pid} ({name}) still running (killed)" for pid, name in running]
        return found


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


def _reap() -> None:
    """Collect exited children so none stays a zombie."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_group(pid: int) -> None:
    """Kill the process group led by `pid` (a worker and what it started)."""
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
