"""The site folder replaced only by a finished build: MkDocs writes into a staging folder,
which takes the site folder's place with two renames once the build has succeeded."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import uuid

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import CountHandler


class StagedSite:
    """Where a build writes, and the swap that publishes it."""

    def __init__(self) -> None:
        self._target_dir: str | None = None
        self._staging_dir: str | None = None

    def stage(self, config: MkDocsConfig) -> None:
        """Point MkDocs at a fresh staging folder beside the site folder."""
        self._target_dir = config.site_dir
        self._staging_dir = config.site_dir.rstrip(os.sep) + ".staging"
        shutil.rmtree(self._staging_dir, ignore_errors=True)
        config.site_dir = self._staging_dir

    def publish(self, config: MkDocsConfig, *, serving: bool = False) -> None:
        """Put the finished build in the site folder's place (when one was staged), unless a
        --strict build has logged a warning: MkDocs fails it right after this last step.
        Under `mkdocs serve` the old site is removed in the background: removing a thousand
        folders can take longer than the rebuild, and the browser reloads only when this returns."""
        if self._staging_dir and self._target_dir and not _strict_warnings(config):
            if serving:
                replace_dir_removing_old_later(self._target_dir, self._staging_dir)
            else:
                replace_dir(self._target_dir, self._staging_dir)
            config.site_dir = self._target_dir

    @property
    def shown_name(self) -> str:
        """The site folder's name, which readers of a message know the staging folder by."""
        return os.path.basename(self._target_dir.rstrip(os.sep)) if self._target_dir else ""

    def abandon(self) -> None:
        """A failed build: its half-written staging folder goes, the old site stays."""
        if self._staging_dir:
            shutil.rmtree(self._staging_dir, ignore_errors=True)


def replace_dir(target: str, staging: str) -> None:
    """Put the finished build in place of the old site with two renames, restoring on failure."""
    backup = target.rstrip(os.sep) + ".previous"
    shutil.rmtree(backup, ignore_errors=True)
    _swap(target, staging, backup)
    shutil.rmtree(backup, ignore_errors=True)


def replace_dir_removing_old_later(target: str, staging: str) -> threading.Thread:
    """As `replace_dir`, but the old site is removed by a thread (not a daemon: the process
    waits for it before it exits). Its folder has a name of its own, so that the next rebuild
    can swap while it is still being removed."""
    backup = f"{target.rstrip(os.sep)}.previous-{uuid.uuid4().hex[:12]}"
    _swap(target, staging, backup)
    remover = threading.Thread(
        target=shutil.rmtree, args=(backup,), kwargs={"ignore_errors": True}, name="regioverhalen-remove-old-site"
    )
    remover.start()
    return remover


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
