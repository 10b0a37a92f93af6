"""Work done in forked child processes, its results pickled back through pipes.

`share_with_forked_child`: numbered items shared with a child, for a command that runs on two
cores. The two processes take batches of items from one queue, so neither waits for the other
however different their speeds (the parent may still be importing something). The child sends
what it makes of each batch through a pipe as it goes (`multiprocessing.connection` frames and
pickles the messages); the parent takes in whatever has arrived after each of its own batches,
so little is left to take in once the queue is empty.

`computed_in_forked_child`: a result made in a child, so that what making it takes (modules
imported, memory used on the way) is gone with the child before the result is taken in here.

`FromBothEnds`: items this process needs one by one, in order, inside a loop it does not own
(MkDocs' page loop); a child does them from the last one back, until the two meet. Its
results go through a spool file, announced by notices in a pipe.

Forking copies only the calling thread: call these only where `fork_is_safe()`.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import IO, Any, TypeVar

T = TypeVar("T")


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


def computed_in_forked_child(
    compute: Callable[[], T], meanwhile: Callable[[Callable[[], bool]], None] | None = None
) -> T | None:
    """`compute()`, run in a forked child and unpickled here once the child has ended; None
    when no child could be had or it failed in any way (the caller then computes it itself).
    `meanwhile(child_done)`, if given, runs here while the child computes; it may stop early
    once `child_done()` says the child has ended.

    The child spools its result to a temporary file, so that the result is never in memory
    twice, in the child and here, with all the child needed to compute it. Call only from a
    single-threaded program: forking copies only the calling thread.
    """
    import tempfile  # only a build needs it: `check` should not wait for its import

    try:
        with tempfile.TemporaryFile() as spool:
            return _computed_via(spool, compute, meanwhile)
    except OSError:  # no temporary file or no child to be had: the caller computes it
        return None


def _computed_via(
    spool: IO[bytes], compute: Callable[[], T], meanwhile: Callable[[Callable[[], bool]], None] | None
) -> T | None:
    def in_child() -> None:
        pickle.dump(compute(), spool, pickle.HIGHEST_PROTOCOL)
        spool.flush()

    child = _fork(in_child)
    ended: list[int] = []  # the child's exit status, once it is known

    def child_done() -> bool:
        if not ended:
            pid, status = os.waitpid(child, os.WNOHANG)
            if pid:
                ended.append(status)
        return bool(ended)

    try:
        if meanwhile is not None:
            meanwhile(child_done)
        if not ended:
            ended.append(os.waitpid(child, 0)[1])
    except BaseException:  # interrupted: the child's work is wanted no more
        if not ended:
            _stop_child(child)
        raise
    if ended[0] != 0:
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
        reader, writer = _roomy_pipe()
    except OSError:
        batches.close()
        return

    def child_takes_batches() -> None:
        reader.close()
        for batch in batches.taken():
            writer.send(in_child(batch))
        writer.close()

    try:
        child = _fork(child_takes_batches)
    except OSError:
        reader.close()
        writer.close()
        batches.close()
        return
    writer.close()
    try:
        for batch in batches.taken():
            in_parent(batch)
            for result in _arrived(reader):
                receive(result)
        for result in _rest(reader):
            receive(result)
    except BaseException:
        os.kill(child, signal.SIGKILL)  # it may be waiting to write into a pipe no one reads
        raise
    finally:
        reader.close()
        batches.close()
        os.waitpid(child, 0)


def _roomy_pipe() -> tuple[Connection, Connection]:
    """A pipe (reading end, writing end) of pickled messages that holds many results while its
    reader is busy (Linux)."""
    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 1 << 20)
    return Connection(read_end, writable=False), Connection(write_end, readable=False)


def _arrived(reader: Connection) -> Iterator[Any]:
    """The messages that have arrived, without waiting for more (but for the rest of one that
    has begun to arrive)."""
    while reader.poll():
        try:
            yield reader.recv()
        except (EOFError, OSError):  # the end, or a message the end cut off
            return


def _rest(reader: Connection) -> Iterator[Any]:
    """Every message still to come, until the writer closes its end; a message cut off by the
    end (the child died while writing it) is left out."""
    while True:
        try:
            yield reader.recv()
        except (EOFError, OSError):
            return


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


class ForkedWorker:
    """A forked child that handles messages while this process goes on: each message `send`
    hands it is passed to `handle` there, and what that returns is written to a spool file,
    read here by `finish`. Neither process ever waits for the other but to hand over a message
    (the child reads them as fast as it can), and the child keeps no file this process had
    open: a pipe to another program must see its end when this process closes it.

    A message the child did not handle (it failed, was stopped, or fell silent) gets no result:
    the caller finds it missing and does it itself. Create only where `fork_is_safe()`.
    """

    def __init__(self, handle: Callable[[Any], Any], silence: float) -> None:
        self.stopped_silent = False  # the child was stopped for taking no message or result in time
        self._silence = silence
        import tempfile  # only a build needs it

        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (the worker's own, closed by finish or stop)
        read_end, self._to_child = os.pipe()

        def in_child() -> None:
            os.close(self._to_child)
            spool = self._spool.fileno()
            _close_all_but(read_end, spool)
            messages = Connection(read_end, writable=False)
            for message in _rest(messages):
                os.write(spool, pickle.dumps(handle(message), pickle.HIGHEST_PROTOCOL))

        try:
            self._child: int | None = _fork(in_child)
        except OSError:
            os.close(self._to_child)
            self._spool.close()
            raise
        finally:
            os.close(read_end)
        os.set_blocking(self._to_child, False)
        self._input_open = True

    def send(self, message: Any) -> None:
        """Hand the child a message; a child that takes none for `silence` seconds is stopped."""
        if self._child is None or not self._input_open:
            return
        payload = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        try:
            sent = _write_within(self._to_child, struct.pack("!i", len(payload)) + payload, self._silence)
        except OSError:  # the child is gone: the caller does what it did not
            self.close_input()
            return
        if not sent:
            self.stopped_silent = True
            self._end_child()

    def close_input(self) -> None:
        """No more messages: the child handles those it was sent and exits."""
        if self._input_open:
            self._input_open = False
            os.close(self._to_child)

    def finish(self) -> list[Any]:
        """Every result, once the child has handled all it was sent; a child whose results stop
        growing for `silence` seconds is stopped (`stopped_silent`)."""
        self.close_input()
        size, progress = -1, time.monotonic()
        while self._child is not None:
            if os.waitpid(self._child, os.WNOHANG)[0]:
                self._child = None
                break
            now, grown = time.monotonic(), os.fstat(self._spool.fileno()).st_size
            if grown != size:
                size, progress = grown, now
            elif now - progress > self._silence:
                self.stopped_silent = True
                self._end_child()
                break
            time.sleep(0.005)
        return self._results()

    def stop(self) -> None:
        """End the child at once, whatever it is doing, and drop its results (a build that
        failed wants nothing more)."""
        self._end_child()
        self._spool.close()

    def _end_child(self) -> None:
        self.close_input()
        if self._child is not None:
            child, self._child = self._child, None
            _stop_child(child)

    def _results(self) -> list[Any]:
        """The results in the spool, but one cut off by the child's end."""
        results: list[Any] = []
        self._spool.seek(0)
        while True:
            try:
                results.append(pickle.load(self._spool))
            except Exception:  # the end, or a result cut off
                break
        self._spool.close()
        return results


def _stop_child(child: int) -> int | None:
    """Kill a child, whatever it is doing, and reap it; its wait status, or None if something
    else reaped it first. Until it is reaped its number is not given to another process, so
    the signal cannot reach one."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, signal.SIGKILL)
    try:
        return os.waitpid(child, 0)[1]
    except ChildProcessError:
        return None


def _close_all_but(*keep: int) -> None:
    """In a forked child: close every file descriptor above stdin, stdout and stderr but `keep`."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


def _write_within(fd: int, data: bytes, timeout: float) -> bool:
    """Write all of `data` to the non-blocking `fd`; False if the reader took none for `timeout` seconds."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            if not select.select([], [fd], [], timeout)[1]:
                return False
    return True


class FromBothEnds:
    """Items `0 .. items-1`, each needed here in that order: a forked child does them from the
    last one back, and stops where this process has got to. This process never waits for the
    child: an item the child has not delivered by the time it is needed is done here (`take`
    says so), so at most the item where the two meet is done twice, and a child that fails,
    lags or is stopped costs nothing but its own work. Create only where `fork_is_safe()`.

    The child writes each result to a spool file, and only then a fixed-size notice (item,
    offset, length) to a pipe: a notice is written whole or not at all, so reading what has
    arrived never waits for the rest of a message, as a pipe of whole results could.
    """

    NOTICE = struct.Struct("qqq")

    def __init__(self, items: int, do: Callable[[int], Any]) -> None:
        import tempfile  # only a build needs it

        self.failed = False  # the child ended with an error (its items were done here)
        self._delivered: dict[int, tuple[int, int]] = {}  # item: (offset, length) in the spool
        self._part = b""  # defensive: notices are written whole, so a read never ends inside one
        # Where this process has got to, in memory the child shares: it stops once it gets there.
        self._reached = mmap.mmap(-1, 8)
        self._reached[:] = struct.pack("q", -1)
        self._child: int | None = None
        self._notices: int | None = None
        self._spool: IO[bytes] | None = None
        try:
            self._spool = spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close)
            read_end, write_end = os.pipe()
        except OSError:
            self.close()
            raise

        def in_child() -> None:
            os.close(read_end)
            _close_all_but(write_end, spool.fileno())
            offset = 0
            for index in range(items - 1, -1, -1):
                if struct.unpack("q", self._reached[:])[0] >= index:
                    break
                result = pickle.dumps(do(index), pickle.HIGHEST_PROTOCOL)
                spool.write(result)
                spool.flush()  # all of it in the file before the notice says it is there
                os.write(write_end, self.NOTICE.pack(index, offset, len(result)))
                offset += len(result)

        self._notices = read_end
        try:
            self._child = _fork(in_child)
        except OSError:
            self.close()
            raise
        finally:
            os.close(write_end)
        os.set_blocking(read_end, False)

    def take(self, index: int) -> tuple[bool, Any]:
        """`(True, result)` if the child has delivered item `index`; otherwise `(False, None)`,
        and the item is this process's to do (the child starts on no item up to it any more)."""
        if self._notices is None or self._spool is None:
            return False, None
        self._reached[:] = struct.pack("q", index)
        if index not in self._delivered:
            self._read_notices()
        where = self._delivered.pop(index, None)
        if where is None:
            return False, None
        offset, length = where
        try:
            return True, pickle.loads(os.pread(self._spool.fileno(), length, offset))
        except Exception:  # a result that cannot be read back is done here
            return False, None

    def arrived(self) -> set[int]:
        """The items the child has delivered so far that are not taken yet."""
        if self._notices is not None:
            self._read_notices()
        return set(self._delivered)

    def _read_notices(self) -> None:
        assert self._notices is not None
        size = self.NOTICE.size
        while True:
            try:
                arrived = self._part + os.read(self._notices, size * 1024)
            except BlockingIOError:  # nothing more for now
                return
            if len(arrived) == len(self._part):  # the child has ended
                return
            whole = len(arrived) - len(arrived) % size
            for index, offset, length in self.NOTICE.iter_unpack(arrived[:whole]):
                self._delivered[index] = (offset, length)
            self._part = arrived[whole:]

    def close(self) -> None:
        """Stop the child, whatever it is doing, and drop what it made and was not taken."""
        if self._child is not None:
            child, self._child = self._child, None
            status = _stop_child(child)
            self.failed = status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0
        if self._notices is not None:
            os.close(self._notices)
            self._notices = None
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        self._delivered.clear()
        if not self._reached.closed:
            self._reached.close()
