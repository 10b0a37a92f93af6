"""The site folder replaced only by a finished build: MkDocs writes into a staging folder,
which takes the site folder's place with two renames once the build has succeeded."""

from __future__ import annotations

import os
import shutil

from mkdocs.config.defaults import MkDocsConfig


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

    def publish(self, config: MkDocsConfig) -> None:
        """Put the finished build in the site folder's place (when one was staged)."""
        if self._staging_dir and self._target_dir:
            replace_dir(self._target_dir, self._staging_dir)
            config.site_dir = self._target_dir

    def abandon(self) -> None:
        """A failed build: its half-written staging folder goes, the old site stays."""
        if self._staging_dir:
            shutil.rmtree(self._staging_dir, ignore_errors=True)


def replace_dir(target: str, staging: str) -> None:
    """Put the finished build in place of the old site with two renames, restoring on failure."""
    backup = target.rstrip(os.sep) + ".previous"
    shutil.rmtree(backup, ignore_errors=True)
    had_old = os.path.exists(target)
    if had_old:
        os.rename(target, backup)
    try:
        os.rename(staging, target)
    except OSError:
        if had_old:
            os.rename(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)
