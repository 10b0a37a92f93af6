"""Listing pages kept between the builds of a live preview. An edit of a story's text, not of its
front matter, leaves every listing page as it was: a rebuild then takes them as they were."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from regioverhalen.content.loading import Content
from regioverhalen.site.goal import build_day
from regioverhalen.site.settings import Settings

if TYPE_CHECKING:
    from regioverhalen.site.pages import GeneratedPage


@dataclass
class KeptListings:
    """The last build's listing pages, and the key of what they were made from."""

    key: str = ""
    pages: tuple[GeneratedPage, ...] = ()
    #: Whether the last build took its listing pages from here.
    reused: bool = False

    def pages_for(
        self, content: Content, settings: Settings, make: Callable[[], list[GeneratedPage]]
    ) -> tuple[GeneratedPage, ...]:
        """The kept pages when they were made from the same input, else those `make` makes now."""
        key = listings_key(content, settings)
        self.reused = key == self.key
        if not self.reused:
            self.key, self.pages = key, tuple(make())
        return self.pages


def listings_key(content: Content, settings: Settings) -> str:
    """Everything the listing pages are made from: the settings, the day (the goal's progress
    and its deadline), the site's own page templates, the regions, and the published stories'
    paths and front matter (their texts are not in any list). Two different inputs with the
    same representation would be needed for a stale page; the front matter's models show
    every field."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (settings, build_day(), _files(settings.template_dir), list(content.regions.values())):
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
    for story in content.stories:
        digest.update(repr((story.path, story.slug, story.meta)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _files(folder: Path | None) -> list[tuple[str, int, int]]:
    """The files of a folder, with their sizes and modification times."""
    if folder is None or not folder.is_dir():
        return []
    found = []
    for parent, _dirs, names in sorted(os.walk(folder)):
        for name in sorted(names):
            info = os.stat(os.path.join(parent, name))
            found.append((os.path.join(parent, name), info.st_size, info.st_mtime_ns))
    return found
