"""Forking a child process where that is safe, and stopping it.

Forking copies only the calling thread: a child is forked only where `fork_is_safe()`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable


def fork_is_safe() -> bool:
    """Whether a forked child would work. Linux only: macOS does not promise that a forked child
    of a process using its frameworks works. Not with other threads running, which a fork would
    not copy (a lock one of them holds would stay locked in the child forever). Not where
    SIGCHLD is ignored, as some supervisors leave it for the programs they start."""
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        # Ignored, the kernel ends a child unseen: it could not be waited for, and its number
        # could go to another process before this one stops it.
        and signal.getsignal(signal.SIGCHLD) != signal.SIG_IGN
    )


def second_core_usable() -> bool:
    """Whether a forked child would work (`fork_is_safe`) and have a CPU of its own."""
    return fork_is_safe() and len(os.sched_getaffinity(0)) > 1


def fork_child(in_child: Callable[[], None]) -> int:
    """Fork a child that runs `in_child` and exits, 0 if it returned and 1 if it raised;
    the child's process id, here."""
    child = os.fork()
    if child == 0:
        status = 1
        try:
            in_child()
            status = 0
        finally:
            os._exit(status)  # never return into the caller's code: this process is a copy
    return child


def stop_child(child: int) -> int | None:
    """Kill a child, whatever it is doing, and reap it; its wait status, or None if something
    else reaped it first. Until it is reaped its number is not given to another process, so
    the signal cannot reach one."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, signal.SIGKILL)
    try:
        return os.waitpid(child, 0)[1]
    except ChildProcessError:
        return None


def close_all_but(*keep: int) -> None:
    """In a forked child: close every file descriptor above stdin, stdout and stderr but `keep`."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))
