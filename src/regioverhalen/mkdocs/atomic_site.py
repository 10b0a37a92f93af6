"""The site folder replaced only by a finished build: MkDocs writes into a staging folder,
which takes the site folder's place with two renames once the build has succeeded.

Under `mkdocs serve` the site of the build before last is kept as a spare and becomes the next
staging folder, so that a rebuild overwrites a thousand files instead of creating a thousand
folders and files; whatever the rebuild did not write is removed from it before the swap."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import stat
import threading
import uuid

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.utils import CountHandler

#: A file as it was when the spare became the staging folder: any write or rename changes this.
_Stamp = tuple[int, int]  # (inode, ctime in ns)


class StagedSite:
    """Where a build writes, and the swap that publishes it."""

    def __init__(self) -> None:
        self.serving = False  # under `mkdocs serve`: keep a spare
        self.dirty = False  # `--dirty`: MkDocs writes over the site folder; nothing is staged
        self._target_dir: str | None = None
        self._staging_dir: str | None = None
        self._untouched: dict[str, _Stamp] = {}  # the spare's files, until this build writes them

    def stage(self, config: MkDocsConfig, *, atomic: bool) -> None:
        """Point MkDocs at a fresh staging folder beside the site folder."""
        if not atomic or self.dirty:
            self.close()  # `atomic: false` may be set while `mkdocs serve` runs
            self._target_dir = self._staging_dir = None
            return
        self._target_dir = config.site_dir
        self._staging_dir = config.site_dir.rstrip(os.sep) + ".staging"
        self._untouched = {}
        shutil.rmtree(self._staging_dir, ignore_errors=True)
        if self.serving:
            # The preview's folder is MkDocs' private temporary one, beside others' files: a
            # folder that someone else made under this name is an error, not a place to write.
            os.makedirs(os.path.dirname(self._staging_dir), exist_ok=True)
            os.mkdir(self._staging_dir, 0o700)
        config.site_dir = self._staging_dir

    def reuse_spare(self, plugin: object, config: MkDocsConfig, files: Files) -> None:
        """Under `mkdocs serve`, once every page is in `files`: the spare takes the empty staging
        folder's place. Its top-level folders that none of `files` go into (the search index of
        the build before last; the open data, written only after the pages) are removed in the
        background first. Only when `plugin` is the only plugin: another one might skip writing a
        file it finds in place, which would then be removed as not written. Only on POSIX, where
        every write changes a file's change time (Windows reports its creation time there)."""
        target, spare, staging = self._target_dir, self._spare_dir, self._staging_dir
        if not (self.serving and target and spare and staging and _own_folder(spare) and _alone(plugin, config)):
            return
        try:
            os.rmdir(staging)  # only when empty: nothing may be mixed into a build
        except OSError:
            return
        written = {file.dest_uri.split("/", 1)[0] for file in files}
        for entry in os.scandir(spare):
            if entry.is_dir(follow_symlinks=False) and entry.name not in written:
                _remove_later(entry.path, beside=target)
        os.rename(spare, staging)
        self._untouched = _stamps(staging)

    def publish(self, config: MkDocsConfig) -> None:
        """Put the finished build in the site folder's place (when one was staged), unless a
        --strict build has logged a warning: MkDocs fails it right after this last step.
        Under `mkdocs serve` the old site becomes the spare; removing a thousand folders can
        take longer than the rebuild, and the browser reloads only when this returns."""
        target, spare, staging = self._target_dir, self._spare_dir, self._staging_dir
        if target and spare and staging and not _strict_warnings(config):
            if self.serving:
                _remove_unwritten(staging, self._untouched)
                self._untouched = {}
                if os.path.exists(spare):  # the staging folder was a fresh one
                    _remove_later(spare, beside=target)
                _swap(target, staging, spare)
            else:
                replace_dir(target, staging)
            config.site_dir = target

    @property
    def shown_name(self) -> str:
        """The site folder's name, which readers of a message know the staging folder by."""
        return os.path.basename(self._target_dir.rstrip(os.sep)) if self._target_dir else ""

    def abandon(self) -> None:
        """A failed build: its half-written staging folder goes, the old site stays."""
        if self._staging_dir:
            shutil.rmtree(self._staging_dir, ignore_errors=True)

    def close(self) -> None:
        """The end of `mkdocs serve`: the spare, and a staging folder that Ctrl-C stopped in the
        middle of a rebuild (MkDocs calls no error hook then), go with the folder MkDocs removes."""
        if self.serving and self._spare_dir and self._staging_dir:
            shutil.rmtree(self._spare_dir, ignore_errors=True)
            shutil.rmtree(self._staging_dir, ignore_errors=True)

    @property
    def _spare_dir(self) -> str | None:
        return self._target_dir.rstrip(os.sep) + ".spare" if self._target_dir else None


def replace_dir(target: str, staging: str) -> None:
    """Put the finished build in place of the old site with two renames, restoring on failure."""
    backup = target.rstrip(os.sep) + ".previous"
    shutil.rmtree(backup, ignore_errors=True)
    _swap(target, staging, backup)
    shutil.rmtree(backup, ignore_errors=True)


def _remove_later(folder: str, *, beside: str) -> threading.Thread:
    """Rename a folder out of the way at once, to a name of its own beside the site folder, and
    remove it in a thread (not a daemon: the process waits for it before it exits)."""
    doomed = f"{beside.rstrip(os.sep)}.removing-{uuid.uuid4().hex[:12]}"
    os.rename(folder, doomed)
    remover = threading.Thread(
        target=shutil.rmtree, args=(doomed,), kwargs={"ignore_errors": True}, name="regioverhalen-remove-old-site"
    )
    remover.start()
    return remover


def _own_folder(path: str) -> bool:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    return os.name == "posix" and stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def _alone(plugin: object, config: MkDocsConfig) -> bool:
    return all(getattr(hook, "__self__", None) is plugin for hooks in config.plugins.events.values() for hook in hooks)


def _stamps(folder: str) -> dict[str, _Stamp]:
    stamps: dict[str, _Stamp] = {}
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    info = entry.stat(follow_symlinks=False)
                    stamps[entry.path] = (info.st_ino, info.st_ctime_ns)
    return stamps


def _remove_unwritten(folder: str, untouched: dict[str, _Stamp]) -> None:
    """Remove the files this build did not write (a page removed or made a draft since the spare
    was built) and the folders that leaves empty. A file counts as written when its inode or its
    change time differs from its stamp: the kernel updates the change time on every write and
    no program can set it back."""
    emptied: set[str] = set()
    for path, stamp in untouched.items():
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        if (info.st_ino, info.st_ctime_ns) == stamp:
            os.unlink(path)
            parent = os.path.dirname(path)
            while parent != folder and parent not in emptied:
                emptied.add(parent)
                parent = os.path.dirname(parent)
    for path in sorted(emptied, key=lambda p: p.count(os.sep), reverse=True):
        with contextlib.suppress(OSError):  # not empty: it holds a page of this build
            os.rmdir(path)


def _swap(target: str, staging: str, backup: str) -> None:
    had_old = os.path.exists(target)
    if had_old:
        os.rename(target, backup)
    try:
        os.rename(staging, target)
    except OSError:
        if had_old:
            os.rename(backup, target)
        raise


def _strict_warnings(config: MkDocsConfig) -> int:
    """Warnings so far in a --strict build. MkDocs counts them with a handler on its logger and
    gives plugins no other way to ask."""
    if not config.strict:
        return 0
    handlers = logging.getLogger("mkdocs").handlers
    return sum(sum(h.counts.values()) for h in handlers if isinstance(h, CountHandler))
