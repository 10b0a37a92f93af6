"""Story pages rendered on the second core: under `mkdocs build`, a forked child renders the
stories' Markdown from the last one back while MkDocs renders them from the first one on.

MkDocs' own page loop stays in charge. For each story page MkDocs is about to render, the
rendering the child delivered is used only when the Markdown the child rendered is exactly the
Markdown this page holds now; otherwise (the child has not got there, or anything made the
text differ) MkDocs renders it as always. Warnings the child's rendering gave are given again
here, in the page's turn, so `--strict` counts them as before; so are Python's warnings,
for this process's filters to show them once or as often as one process would.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from regioverhalen.mkdocs.plugin_events import handled_only_by
from regioverhalen.parallel.forking import second_core_usable
from regioverhalen.parallel.from_both_ends import FromBothEnds
from regioverhalen.site.pages import Site

log = get_plugin_logger(__name__)

#: Below this many stories a second process costs more than it saves.
MIN_STORIES = 40

#: The events up to a page's rendering: another plugin handling one of them could make the
#: child's copy of a page differ in ways its Markdown does not show.
EVENTS_BEFORE_RENDERING = ("nav", "pre_page", "page_read_source", "page_markdown")


@dataclass
class Rendered:
    """What `Page.render` set on a page in the child, and what it logged and warned of meanwhile."""

    markdown_digest: bytes
    attributes: dict[str, Any]  # all but links_to_anchors, whose keys are File objects
    links_to_anchors: dict[str, dict[str, str]] | None
    has_links_to_anchors: bool
    log: list[tuple[str, int, str]]  # logger name, level, message
    warned: list[tuple[str, type[Warning], str, int]]  # Python warnings: message, category, file, line

    def put_in(self, page: Page, files: Files) -> None:
        for name, level, message in self.log:
            logging.getLogger(name).log(level, message)
        for message, category, filename, lineno in self.warned:
            _warn_again(message, category, filename, lineno)
        for name, value in self.attributes.items():
            setattr(page, name, value)
        if self.has_links_to_anchors:
            links: dict[File, dict[str, str]] | None = None
            if self.links_to_anchors is not None:
                links = {}
                for linked_uri, anchors in self.links_to_anchors.items():
                    linked = files.get_file_from_path(linked_uri)
                    if linked is not None:
                        links[linked] = anchors
            page.links_to_anchors = links


def _warn_again(message: str, category: type[Warning], filename: str, lineno: int) -> None:
    """A warning the child's rendering gave, given here as if this process had rendered the
    page: its filters decide, and the module's own registry keeps a warning shown once per line
    from being shown again for a page rendered here."""
    module = next((m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == filename), None)
    if module is not None:
        registry, name = vars(module).setdefault("__warningregistry__", {}), module.__name__
    else:  # a module only the child imported
        registry, name = _REGISTRIES.setdefault(filename, {}), None
    warnings.warn_explicit(message, category, filename, lineno, module=name, registry=registry)


#: For warnings from modules this process has not imported: which were given, by file.
_REGISTRIES: dict[str, dict[Any, Any]] = {}


def _digest(markdown: str | None) -> bytes:
    return hashlib.blake2b((markdown or "").encode("utf-8", "surrogatepass"), digest_size=16).digest()


def can_render_ahead(plugin: object, config: MkDocsConfig) -> bool:
    """Whether a page rendered in the child is what MkDocs would render here: no other plugin
    takes part before rendering, and every Markdown extension is made anew for each page (an
    extension object given in the configuration may gather what it sees across pages)."""
    return handled_only_by(plugin, config, EVENTS_BEFORE_RENDERING) and all(
        isinstance(name, str) for name in config.markdown_extensions
    )


class RenderAhead:
    """Story pages rendered by a forked child during one build; nothing is forked unless
    `start` finds it safe and worth it."""

    def __init__(self) -> None:
        self._from_child: FromBothEnds | None = None
        self.used = 0  # story pages of the last build whose rendering came from the child

    def start(self, plugin: object, site: Site, config: MkDocsConfig, files: Files, *, full_build: bool) -> None:
        """Fork the child and let each story page take its rendering (from on_nav: every page
        exists and no thread runs yet: call it before Pagefind starts). Only for a full
        `mkdocs build`: `serve` renders in one process, beside its threads, and a dirty build
        renders only what changed. Beside Pagefind too, which shares the second core with it:
        the README's benchmark figures show that it still pays there."""
        self.close()
        self.used = 0
        # Settings first: under `mkdocs serve` this runs on every rebuild, and lists no page.
        if not full_build or site.settings.parallel != "auto":
            return
        stories = [
            file
            for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
            if file.page is not None and site.story_for(file.src_uri) is not None
        ]
        if len(stories) < MIN_STORIES or not second_core_usable() or not can_render_ahead(plugin, config):
            return
        try:
            self._from_child = FromBothEnds(len(stories), _renderer(stories, config, files))
        except OSError:  # no pipe or child to be had: MkDocs renders every page, as always
            return
        for index, file in enumerate(stories):  # after the fork: the child renders as MkDocs does
            assert file.page is not None
            self._take_rendering(file.page, index, last=index == len(stories) - 1)

    def _take_rendering(self, page: Page, index: int, *, last: bool) -> None:
        """When MkDocs renders the page, use the child's rendering if it was made from exactly
        the Markdown the page holds now; otherwise render it here."""
        from_child, render_here = self._from_child, page.render
        assert from_child is not None

        def render(config: MkDocsConfig, files: Files) -> None:
            del page.render  # the method of its class again
            found, rendered = from_child.take(index)
            if found and rendered.markdown_digest == _digest(page.markdown):
                rendered.put_in(page, files)
                self.used += 1
            else:
                render_here(config, files)
            if last:  # the child has nothing left to do
                self.close()

        page.render = render  # type: ignore[method-assign]

    def close(self) -> None:
        """The last story is rendered, or the build failed: the child is stopped."""
        if self._from_child is not None:
            self._from_child.close()
            failed = " (it failed: the rest were rendered here)" if self._from_child.failed else ""
            log.debug(f"render ahead: {self.used} story pages took their rendering from the second process{failed}")
        self._from_child = None


def _renderer(stories: list[File], config: MkDocsConfig, files: Files) -> Callable[[int], Rendered]:
    """In the child: the `index`th story page read and rendered as MkDocs' page loop would."""
    captured: list[tuple[str, int, str]] = []

    def keep(logger: logging.Logger, record: logging.LogRecord) -> None:
        captured.append((record.name, record.levelno, record.getMessage()))

    def render(index: int) -> Rendered:
        # Nothing the child logs is shown: what its rendering logged is given again by the parent.
        if logging.Logger.callHandlers is not keep:  # in the child only: it is called there only
            setattr(logging.Logger, "callHandlers", keep)  # noqa: B010
        page = stories[index].page
        assert page is not None
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")  # every one, for this process's filters to decide on
            config._current_page = page
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            markdown = config.plugins.on_page_markdown(page.markdown or "", page=page, config=config, files=files)
            page.markdown = markdown
            # What the hooks above logged or warned of, this process logs as it runs them itself.
            before, captured[:], warned[:] = dict(vars(page)), [], []
            page.render(config, files)
        attributes = {
            name: value
            for name, value in vars(page).items()
            if name != "links_to_anchors" and (name not in before or before[name] is not value)
        }
        links = vars(page).get("links_to_anchors")
        return Rendered(
            _digest(page.markdown),
            attributes,
            None if links is None else {linked.src_uri: anchors for linked, anchors in links.items()},
            "links_to_anchors" in vars(page),
            list(captured),
            [(str(w.message), w.category, w.filename, w.lineno) for w in warned],
        )

    return render
