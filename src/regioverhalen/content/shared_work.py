"""Work done in forked child processes, its results pickled back through pipes.

`share_with_forked_child`: numbered items shared with a child, for a command that runs on two
cores. The two processes take batches of items from one queue, so neither waits for the other
however different their speeds (the parent may still be importing something). The child pickles
what it makes of each batch into a pipe as it goes; the parent takes in whatever has arrived
after each of its own batches, so little is left to take in once the queue is empty.

`computed_in_forked_child`: a result made in a child, so that what making it takes (modules
imported, memory used on the way) is gone with the child before the result is taken in here.

Forking copies only the calling thread: call these only where `fork_is_safe()`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

T = TypeVar("T")


def fork_is_safe() -> bool:
    """Whether a forked child would work. Linux only: macOS does not promise that a forked child
    of a process using its frameworks works. Not with other threads running, which a fork would
    not copy (a lock one of them holds would stay locked in the child forever)."""
    return sys.platform == "linux" and threading.active_count() == 1


def computed_in_forked_child(compute: Callable[[], T]) -> T | None:
    """`compute()`, run in a forked child and unpickled here once the child has ended; None
    when no child could be had or it failed in any way (the caller then computes it itself).

    The child spools its result to a temporary file, so that the result is never in memory
    twice, in the child and here, with all the child needed to compute it. Call only from a
    single-threaded program: forking copies only the calling thread.
    """
    import tempfile  # only a build needs it: `check` should not wait for its import

    try:
        with tempfile.TemporaryFile() as spool:
            return _computed_via(spool, compute)
    except OSError:  # no temporary file or no child to be had: the caller computes it
        return None


def _computed_via(spool: IO[bytes], compute: Callable[[], T]) -> T | None:
    def in_child() -> None:
        pickle.dump(compute(), spool, pickle.HIGHEST_PROTOCOL)
        spool.flush()

    child = _fork(in_child)
    try:
        _, status = os.waitpid(child, 0)
    except BaseException:  # interrupted: the child's work is wanted no more
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        raise
    if status != 0:
        return None
    spool.seek(0)
    try:
        result: T = pickle.load(spool)
    except Exception:  # a result that cannot be read back is computed again by the caller
        return None
    return result


def share_with_forked_child(
    items: int,
    in_child: Callable[[range], Any],
    in_parent: Callable[[range], None],
    receive: Callable[[Any], None],
) -> None:
    """Hand out `range(items)` in batches to this process (`in_parent`) and a forked child
    (`in_child`, whose picklable result for each batch is handed to `receive` here).

    Items of a batch the child took but did not report on (it failed, or no pipe or child could
    be had) get no call at all: the caller finds them missing and does them itself. Call only from a
    single-threaded program: forking copies only the calling thread.
    """
    try:
        batches = _BatchQueue(items)
    except OSError:  # no pipe to be had (too many open files): the caller does it all
        return
    try:
        read_end, write_end = _roomy_pipe()
    except OSError:
        batches.close()
        return

    def child_takes_batches() -> None:
        os.close(read_end)
        outbox = _Outbox(write_end)
        for batch in batches.taken():
            outbox.put(in_child(batch))
        outbox.close()

    try:
        child = _fork(child_takes_batches)
    except OSError:
        for fd in (read_end, write_end):
            os.close(fd)
        batches.close()
        return
    os.close(write_end)
    inbox = _Inbox(read_end)
    try:
        for batch in batches.taken():
            in_parent(batch)
            for result in inbox.arrived():
                receive(result)
        for result in inbox.rest():
            receive(result)
    except BaseException:
        os.kill(child, signal.SIGKILL)  # it may be waiting to write into a pipe no one reads
        raise
    finally:
        inbox.close()
        batches.close()
        os.waitpid(child, 0)


def _roomy_pipe() -> tuple[int, int]:
    """A pipe (read end, write end) that holds many results while its reader is busy (Linux)."""
    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 1 << 20)
    return read_end, write_end


def _fork(in_child: Callable[[], None]) -> int:
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


class _BatchQueue:
    """Numbered batches of item indexes in a pipe, shared by processes forked after it is made.

    Reads from a pipe never interleave, so each two-byte number goes to exactly one reader.
    """

    #: At most this many batches, so that all their numbers fit a pipe's buffer (4 KiB at the
    #: least) before anyone reads: writing more would wait forever.
    MAX_BATCHES = 1024

    def __init__(self, items: int) -> None:
        self._size = max(8, -(-items // self.MAX_BATCHES))
        self._items = items
        self._read, write = os.pipe()
        self._closed = False
        try:
            os.write(write, b"".join(n.to_bytes(2, "little") for n in range(-(-items // self._size))))
        finally:
            os.close(write)

    @property
    def closed(self) -> bool:
        return self._closed

    def taken(self) -> Iterator[range]:
        """Each batch this process takes, as item indexes, until no batch is left."""
        while number := os.read(self._read, 2):
            start = int.from_bytes(number, "little") * self._size
            yield range(start, min(start + self._size, self._items))

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            os.close(self._read)


_LENGTH = 8  # bytes before each pickle, giving its length


class _Outbox:
    """The child's end: pickles written as far as the pipe takes them now, never waiting,
    so a parent busy elsewhere does not hold the child up."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._pending = bytearray()
        os.set_blocking(fd, False)

    def put(self, result: Any) -> None:
        data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        self._pending += len(data).to_bytes(_LENGTH, "little") + data
        with contextlib.suppress(BlockingIOError):  # the pipe is full: the rest goes with the next batch
            while self._pending:
                del self._pending[: os.write(self._fd, self._pending)]

    def close(self) -> None:
        """Write what is left, waiting for the parent to read it, and close."""
        os.set_blocking(self._fd, True)
        while self._pending:
            del self._pending[: os.write(self._fd, self._pending)]
        os.close(self._fd)


class _Inbox:
    """The parent's end: complete pickles as they arrive."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = bytearray()
        self._ended = False
        os.set_blocking(fd, False)

    def arrived(self) -> Iterator[Any]:
        """What has arrived in full so far, without waiting for more."""
        while not self._ended:
            try:
                chunk = os.read(self._fd, 1 << 20)
            except BlockingIOError:
                break
            self._take(chunk)
        yield from self._complete()

    def rest(self) -> Iterator[Any]:
        """Everything else, waiting until the child closes its end."""
        os.set_blocking(self._fd, True)
        while not self._ended:
            self._take(os.read(self._fd, 1 << 20))
            yield from self._complete()
        yield from self._complete()

    def _take(self, chunk: bytes) -> None:
        if chunk:
            self._buffer += chunk
        else:
            self._ended = True

    def _complete(self) -> Iterator[Any]:
        # Only whole pickles: should the child die while writing, its last one is left out.
        while len(self._buffer) >= _LENGTH:
            end = _LENGTH + int.from_bytes(self._buffer[:_LENGTH], "little")
            if len(self._buffer) < end:
                return
            with memoryview(self._buffer) as view:
                result = pickle.loads(view[_LENGTH:end])
            del self._buffer[:end]
            yield result

    def close(self) -> None:
        os.close(self._fd)
