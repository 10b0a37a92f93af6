"""Work shared with forked child processes, its results pickled back.

`share_with_forked_child`: numbered items shared with a child, for a command that runs on two
cores. The two processes take batches of items from one queue, so neither waits for the other
however different their speeds (the parent may still be importing something). The child sends
what it makes of each batch through a pipe as it goes (`multiprocessing.connection` frames and
pickles the messages); the parent takes in whatever has arrived after each of its own batches,
so little is left to take in once the queue is empty.

`computed_in_forked_child`: a result made in a child, so that what making it takes (modules
imported, memory used on the way) is gone with the child before the result is taken in here.

`ForkedWorker`: a child that handles messages while this process goes on.

Forking copies only the calling thread: call these only where `forking.fork_is_safe()`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import IO, Any, TypeVar

from regioverhalen.parallel import forking

T = TypeVar("T")


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

    child = forking.fork_child(in_child)
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
            forking.stop_child(child)
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
        child = forking.fork_child(child_takes_batches)
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
            forking.close_all_but(read_end, spool)
            messages = Connection(read_end, writable=False)
            for message in _rest(messages):
                os.write(spool, pickle.dumps(handle(message), pickle.HIGHEST_PROTOCOL))

        try:
            self._child: int | None = forking.fork_child(in_child)
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
            forking.stop_child(child)

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
