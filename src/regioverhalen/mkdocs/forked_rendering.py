"""Story pages rendered on two cores: by MkDocs, and by a forked copy of the build.

Turning Markdown into HTML is half of a build's time, and MkDocs does it page after page on
one core. At `on_nav` every page exists and none is rendered yet. A copy of the build forked
then renders story pages with MkDocs' own steps and hooks, in the order of its page loop
(on_pre_page, read_source, on_page_markdown, render, on_page_content). The two processes take
stories from one queue as they go, so a faster copy takes more of them. MkDocs' process renders
only the stories it took. For each of the others it reads an empty source and puts in the
copy's HTML, table of contents and anchors.

Whatever the copy would have said about a page (an error, a warning, even a note) means it
hands back nothing for that page, and MkDocs' process renders it itself: every message comes
from there, once, and counts for --strict. A copy that stalls is killed, and MkDocs' process
renders the rest. Used only where the outcome cannot differ: without --dirty or --verbose,
and with no other plugin that handles pages before their template is rendered.
"""

from __future__ import annotations

import logging
import os
import warnings
from typing import Any, NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from regioverhalen.content.shared_work import WorkInOrder, fork_is_safe

#: Fewer stories than this are rendered by MkDocs alone: the fork would cost more than it saves.
MIN_STORIES = 32

#: Stories a copy renders before a fresh one takes over: the copy keeps the old version of every
#: page of memory MkDocs' process writes in the meantime. One copy for a whole 1,000-story build
#: ends with 17 MB of its own; renewed every 100 stories, a copy has 6 to 10 MB.
RENEW_AFTER = 100

#: MkDocs' events from a page's source up to its HTML: the copy runs them, so no other plugin may.
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content")


class RenderedPage(NamedTuple):
    """What a page became in the copy: what MkDocs' `Page.render` and the page hooks set."""

    #: None when it is the file's own text, which MkDocs' process has already: not held twice.
    markdown: str | None
    content: str
    toc: TableOfContents
    anchor_ids: set[str] | None
    #: Links to anchors in other pages, by the linked file's src_uri (Files do not cross processes).
    links_to_anchors: dict[str, dict[str, str]] | None


def can_render_in_fork(
    plugin: BasePlugin[Any], config: MkDocsConfig, stories: int, *, dirty: bool, serving: bool
) -> bool:
    """Whether a copy of the build may render stories for `plugin`'s site, forked in its on_nav.

    Under `mkdocs serve` the server's threads run, which a fork does not copy. The copy renders,
    hands back through its own pipe and exits, saying nothing (its log handlers are replaced,
    warnings recorded; logging renews its locks in a fork): it has no use for what those threads
    hold, unless one was importing a module the copy imports too. Should it ever stall, it is
    killed after a minute (`WorkInOrder`), and MkDocs' process renders the rest.
    """
    others = [
        handler
        for event in PAGE_EVENTS
        for handler in config.plugins.events.get(event, [])
        if getattr(handler, "__self__", None) is not plugin
    ]
    nav_handlers = config.plugins.events.get("nav", [])
    return (
        stories >= MIN_STORIES
        and not dirty
        and not others
        # The copy sees what every other plugin's on_nav did only if `plugin`'s runs last.
        and bool(nav_handlers)
        and getattr(nav_handlers[-1], "__self__", None) is plugin
        # --verbose: MkDocs' notes on every page would come from one process only.
        and logging.getLogger("mkdocs").getEffectiveLevel() > logging.DEBUG
        and fork_is_safe(beside_threads=serving)
        and len(os.sched_getaffinity(0)) > 1
    )


class ForkedRenderer:
    """Story pages rendered by a copy of the build, forked when this is made (at `on_nav`)."""

    def __init__(self, stories: list[File], config: MkDocsConfig, files: Files, renew: bool) -> None:
        """`stories` in the order of MkDocs' page loop, which asks about them in that order.
        `renew`: a fresh copy every RENEW_AFTER stories (only where no thread runs, then or later)."""
        self._numbers = {file.src_uri: number for number, file in enumerate(stories)}
        #: MkDocs' process. A copy forked later has this renderer too, and renders its pages itself.
        self._pid = os.getpid()

        def render(number: int) -> RenderedPage | None:
            return _render_quietly(stories[number], config, files)

        self._work = WorkInOrder(len(stories), render, RENEW_AFTER if renew else None)
        self._taken: dict[str, RenderedPage] = {}
        #: How many of the stories the copy rendered.
        self.rendered_by_copy = 0

    @property
    def stories(self) -> int:
        return len(self._numbers)

    def takes(self, page: Page) -> bool:
        """Whether the copy rendered `page` (MkDocs' process then reads its source as empty);
        waits for the copy to finish it. Ask in on_page_read_source, for every page."""
        number = self._numbers.get(page.file.src_uri)
        if number is None or os.getpid() != self._pid or self._work.is_mine(number):
            return False
        rendered: RenderedPage | None = self._work.result(number)
        if rendered is None:
            return False
        self._taken[page.file.src_uri] = rendered
        self.rendered_by_copy += 1
        return True

    def put_in(self, page: Page, files: Files) -> str | None:
        """The HTML the copy made of a page it `takes`, its hooks done, with the page's table of
        contents and anchors set as its rendering set them; None for any other page."""
        rendered = self._taken.pop(page.file.src_uri, None)
        if rendered is None:
            return None
        # As the page hooks left it, for whoever reads it later.
        page.markdown = page.file.content_string if rendered.markdown is None else rendered.markdown
        page.toc = rendered.toc
        page.present_anchor_ids = rendered.anchor_ids
        if rendered.links_to_anchors is not None:
            page.links_to_anchors = {}
            for src_uri, links in rendered.links_to_anchors.items():
                linked = files.get_file_from_path(src_uri)
                if linked is not None:
                    page.links_to_anchors[linked] = links
        return rendered.content

    def close(self) -> None:
        self._work.close()


class _Said(logging.Handler):
    """In the copy, in place of every log handler: notes that something was said, says nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.anything = False

    def emit(self, record: logging.LogRecord) -> None:
        self.anything = True


_said: _Said | None = None


def _silenced() -> _Said:
    """The copy's logging, taken over once: a message is for MkDocs' process to give."""
    global _said
    if _said is None:
        _said = _Said()
        loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        for logger in loggers:
            if isinstance(logger, logging.Logger) and logger.handlers:
                logger.handlers = [_said]
        logging.lastResort = _said
    return _said


def _render_quietly(file: File, config: MkDocsConfig, files: Files) -> RenderedPage | None:
    """In the copy: a story page as MkDocs' page loop renders it, or None if anything was said."""
    said = _silenced()
    said.anything = False
    page = file.page if file.page is not None else Page(None, file, config)
    with warnings.catch_warnings(record=True) as warned:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
        assert page.content is not None
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
    if said.anything or warned:
        return None
    links = page.links_to_anchors
    own_text = page.file.generated_by is not None and page.markdown is page.file.content_string
    rendered = RenderedPage(
        None if own_text else page.markdown,
        page.content,
        page.toc,
        page.present_anchor_ids,
        None if links is None else {linked.src_uri: anchors for linked, anchors in links.items()},
    )
    page.markdown = page.content = None  # the copy keeps nothing it has handed back
    return rendered
