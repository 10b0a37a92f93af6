"""Items needed one by one, in order, inside a loop this process does not own (MkDocs' page
loop): a forked child does them from the last one back, until the two meet. Its results go
through a spool file, announced by notices in a pipe.
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
from collections.abc import Callable
from typing import IO, Any

from regioverhalen.parallel import forking


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
            forking.close_all_but(write_end, spool.fileno())
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
            self._child = forking.fork_child(in_child)
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
            status = forking.stop_child(child)
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
