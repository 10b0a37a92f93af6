"""Pagefind, fed page by page while the site is being built.

Run after the build, Pagefind's command line tool adds to a build's time. Its service mode
indexes pages as they are handed over, in its own process; on a machine with two cores it
works while MkDocs renders the next pages, and it makes the index files while MkDocs is still
busy (`start_writing`). The pagefind package's own client waits between two replies, so this
is a small client of the same service protocol: requests are base64-encoded JSON, each
followed by a comma, and so are the replies.
"""

from __future__ import annotations

import base64
import contextlib
import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path, PurePosixPath
from typing import IO, Any, NamedTuple

from regioverhalen.content.messages import _


class SearchIndexError(Exception):
    """Pagefind could not be started, or refused a page or the index."""


class _Writing(NamedTuple):
    """The index being written: of how many pages, where to, by which thread."""

    pages: int
    path: Path
    thread: threading.Thread


class SearchIndex:
    """A Pagefind index that pages are added to while they are built, written at the end."""

    def __init__(self, cwd: Path) -> None:
        from pagefind.service import get_executable  # brings asyncio: only for a site that searches

        binary = get_executable()
        if binary is None:
            raise SearchIndexError(_("the Pagefind binary is missing: pip install 'pagefind[bin]'"))
        try:
            self._process = subprocess.Popen(
                [str(binary), "--service"],
                cwd=cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as error:
            raise SearchIndexError(
                _("could not start Pagefind ({binary}): {error}").format(binary=binary, error=error)
            ) from None
        assert self._process.stdin is not None and self._process.stdout is not None
        self._errors: list[str] = []
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._next_id = 0
        self._stopped = False
        self._pages_added = 0
        self._writing: _Writing | None = None
        #: Pagefind's answer when it did not hand over the index.
        self._refused: dict[str, Any] | None = None
        # Pages go through a queue to a writer thread, so that a busy Pagefind never holds up the build.
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write, args=(self._process.stdin,), daemon=True)
        self._reader = threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True)
        self._writer.start()
        self._reader.start()
        try:
            self._index_id = self._call({"type": "NewIndex", "config": None})["index_id"]
        except SearchIndexError:
            self.close()
            raise

    def add_page(self, html: str, path: str) -> None:
        """Index a built page; `path` is where it is written, relative to the site (its URL follows)."""
        self._pages_added += 1
        self._send(
            {"type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None, "file_contents": html}
        )

    def start_writing(self, output_path: Path) -> None:
        """Have Pagefind make the index of the pages added so far and write it to `output_path`
        as it arrives, while the build goes on: Pagefind compresses every file of it as hard as
        it can, which takes a while on a large site. `write` waits for this."""
        reply: queue.Queue[dict[str, Any]] = queue.Queue()
        self._send({"type": "GetFiles", "index_id": self._index_id}, reply)
        self._writing = _Writing(
            self._pages_added, output_path, threading.Thread(target=self._write_files, args=(reply, output_path))
        )
        self._writing.thread.start()

    def write(self, output_path: Path) -> None:
        """Write the index of every page added to `output_path` (started by `start_writing`,
        unless pages were added since), and stop Pagefind.

        Pagefind hands the files over and they are written here. Its own WriteFiles answers
        before its last writes have reached the disk, and it exits the moment its input ends:
        files were cut short now and then (a pagefind-ui.js without its end).
        """
        try:
            writing = self._writing
            if writing is None or writing.pages != self._pages_added or writing.path != output_path:
                if writing is not None:  # an index without the last pages: made again, in full
                    writing.thread.join()
                    shutil.rmtree(writing.path, ignore_errors=True)
                self.start_writing(output_path)
            assert self._writing is not None
            self._writing.thread.join()
            if self._refused is not None:
                raise SearchIndexError(self._refused.get("message") or self._why_stopped())
        finally:
            self.close()
        if self._errors:
            raise SearchIndexError(self._error_text())

    def _write_files(self, reply: queue.Queue[dict[str, Any]], output_path: Path) -> None:
        answer = reply.get()
        if answer.get("type") != "GetFiles":
            self._refused = answer
            return
        made: set[Path] = set()
        try:
            for file in answer["files"]:
                relative = PurePosixPath(file["path"])
                if relative.is_absolute() or ".." in relative.parts:
                    self._errors.append(_("Pagefind named a file outside its folder: {path}").format(path=file["path"]))
                    return
                path = output_path / relative
                if path.parent not in made:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    made.add(path.parent)
                path.write_bytes(base64.b64decode(file["content"]))
        except OSError as error:
            self._errors.append(_("could not write the index: {error}").format(error=error))

    def close(self) -> None:
        self._stop(timeout=30)
        self._reader.join(timeout=10)
        for pipe in (self._process.stdout, self._process.stderr):
            if pipe is not None:
                pipe.close()

    def _send(self, payload: dict[str, Any], reply: queue.Queue[dict[str, Any]] | None = None) -> None:
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
            if reply is not None and self._stopped:
                reply.put({"type": "Stopped"})
            elif reply is not None:
                self._replies[message_id] = reply
        message = json.dumps({"message_id": message_id, "payload": payload}).encode()
        self._outbox.put(base64.b64encode(message) + b",")

    def _call(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a request and wait for its reply; the service answers requests in order."""
        reply: queue.Queue[dict[str, Any]] = queue.Queue()
        self._send(payload, reply)
        answer = reply.get()
        if answer.get("type") != payload["type"]:
            raise SearchIndexError(answer.get("message") or self._why_stopped())
        return answer

    def _write(self, stdin: IO[bytes]) -> None:
        # A broken pipe means Pagefind has stopped: the reader tells whoever waits for a reply.
        with contextlib.suppress(BrokenPipeError, ValueError):
            while (message := self._outbox.get()) is not None:
                stdin.write(message)
                if self._outbox.empty():
                    stdin.flush()
        with contextlib.suppress(BrokenPipeError, ValueError):
            stdin.close()

    def _read(self, stdout: IO[bytes]) -> None:
        pending = bytearray()  # the start of a reply not yet ended by its comma
        try:
            while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]
                *ended, rest = chunk.split(b",")
                if ended:  # the index's files come as one reply of megabytes: no copy per chunk
                    ended[0], pending = bytes(pending + ended[0]), bytearray(rest)
                    for message in ended:
                        self._receive(json.loads(base64.b64decode(message)))
                else:
                    pending += rest
        except ValueError as error:  # not Pagefind's protocol: bad base64, JSON or text
            self._errors.append(_("unreadable reply from Pagefind ({error})").format(error=error))
        finally:
            # Pagefind has stopped (or cannot be understood): nobody waiting for a reply may wait forever.
            with self._lock:
                self._stopped = True
                waiting, self._replies = self._replies, {}
            for reply in waiting.values():
                reply.put({"type": "Stopped"})

    def _receive(self, message: dict[str, Any]) -> None:
        payload = message.get("payload") or {}
        if payload.get("type") == "Error":
            self._errors.append(str(payload.get("message")))
        with self._lock:
            reply = self._replies.pop(message.get("message_id") or -1, None)
        if reply is not None:
            reply.put(payload)

    def _stop(self, timeout: float) -> None:
        """End Pagefind's input, which ends the service once its work is done (a signal could cut
        short the files it is still writing); kill it only if it has not ended after `timeout`."""
        if self._process.poll() is None:
            self._outbox.put(None)
            self._writer.join(timeout=10)
            try:
                self._process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process.wait()

    def _error_text(self) -> str:
        return "; ".join(dict.fromkeys(self._errors))

    def _why_stopped(self) -> str:
        """What Pagefind said before it stopped (replies go to its stdout, complaints to its stderr)."""
        if self._errors:
            return self._error_text()
        self._stop(timeout=10)
        said = self._process.stderr.read().decode(errors="replace").strip() if self._process.stderr else ""
        status = _("exit status {code}").format(code=self._process.returncode)
        return _("Pagefind stopped: {reason}").format(reason=said or status)
