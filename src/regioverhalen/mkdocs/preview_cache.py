"""A fast live preview: under `mkdocs serve`, story pages kept from the previous build and
reused when nothing they are made from has changed, so that a one-story edit re-renders that
story (and the listing pages) and not every other story.

A story page is made from its text, its meta card, and what every page shares: the
configuration, the theme's overrides, the navigation, the other pages' titles and the listing
pages. A page is reused only when all of these are as they were when it was kept (`site_key`,
and the page's own key); both its HTML (MkDocs' Markdown rendering skipped) and its finished page
(the template's output) are reused then. A page that logged a warning is not kept, so that the
warning is given again on every rebuild, as MkDocs gives it. Used only where no other plugin
handles pages, whose output this would skip or repeat."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from regioverhalen.content.collection import Story
from regioverhalen.content.messages import ngettext
from regioverhalen.content.stories import StoryChecks
from regioverhalen.mkdocs.plugin_events import handled_only_by
from regioverhalen.site.listing_cache import KeptListings
from regioverhalen.site.pages import Site

log = get_plugin_logger(__name__)

#: The template a reused page is put in: its finished page as it was kept.
KEPT_TEMPLATE = "regioverhalen-behouden.html"
KEPT_TEMPLATE_SOURCE = "{{ regioverhalen_kept_page(page) }}"

#: MkDocs' page events: another plugin handling one of them may make a page differ from its kept copy.
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")


@dataclass
class KeptPage:
    """A story page as the previous build made it."""

    key: str
    content: str
    toc: TableOfContents
    anchor_ids: set[str] | None
    #: Links to anchors in other pages, by the linked file's src_uri (a rebuild has new File objects).
    links_to_anchors: dict[str, dict[str, str]] | None
    output: str | None = None


@dataclass
class KeptInput:
    """What a rebuild takes from the last build before MkDocs gathers files: the story files
    checked and what was found, and the listing pages."""

    story_checks: StoryChecks
    listings: KeptListings


class _Warnings(logging.Handler):
    """Counts MkDocs' warnings and errors, to tell whether making a page gave any."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def site_key(site: Site, config: MkDocsConfig, files: Files, options: object) -> str:
    """What every story page is made from besides its own text and card: mkdocs.yml, the files
    it inherits from and the options they give (some from the environment), the theme's
    overrides, every file's path, the hand-written pages (their titles are in the navigation)
    and the pages that are not stories."""
    digest = hashlib.blake2b(digest_size=16)

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(repr(part).encode("utf-8", "surrogatepass"))

    for _rel, config_file in site.settings.paths.config_files:
        add(config_file.read_bytes() if config_file.is_file() else None)
    add(config.site_url, options)
    if config.theme.custom_dir:
        add(*_modified_times(Path(config.theme.custom_dir).rglob("*")))
    for file in files:
        add(file.src_uri)
        if file.is_documentation_page() and file.generated_by is None and file.abs_src_path:
            add(file.content_string)
    add(sorted(site.content.regions.items()))
    for page in site.pages:
        if site.story_for(page.src_uri) is None:
            add(page.src_uri, page.title, page.markdown, page.html_before, page.html_after)
    return digest.hexdigest()


def _modified_times(paths: Iterable[Path]) -> list[tuple[str, float]]:
    return sorted((path.as_posix(), path.stat().st_mtime) for path in paths if path.is_file())


class PreviewCache:
    """Story pages kept between the builds of one `mkdocs serve`, and reused."""

    def __init__(self, *, enabled: bool) -> None:
        self._enabled = enabled
        self.problems: list[str] = []  # why the preview lags: what keeps the last valid content shown
        #: What the last build checked and made before MkDocs gathered files.
        self.kept_input = KeptInput(StoryChecks(), KeptListings()) if enabled else None
        self._site_key = ""
        self._kept: dict[str, KeptPage] = {}
        self._reused: dict[str, KeptPage] = {}
        self._active = False
        self._warnings = _Warnings()
        #: The warning count when a page's rendering, or its template, began.
        self._warnings_before: dict[str, int] = {}
        if enabled:
            logging.getLogger("mkdocs").addHandler(self._warnings)
        #: How many story pages the last build reused.
        self.reused = 0

    def start_build(self, plugin: object, config: MkDocsConfig, files: Files, site: Site, options: object) -> None:
        """A new build (call from on_nav); pages kept under another `site_key` are of no use to
        it. `options`: the plugin's settings; the content problems shown on every page count too."""
        self._reused.clear()
        self.reused = 0
        self._active = self._enabled and handled_only_by(plugin, config, PAGE_EVENTS)
        key = site_key(site, config, files, (options, self.problems)) if self._active else ""
        if key != self._site_key:
            self._kept.clear()
            self._site_key = key

    def install(self, env: jinja2.Environment) -> None:
        """Make KEPT_TEMPLATE available to MkDocs (call from on_env)."""
        if not self._enabled:
            return
        reused = ngettext(
            "{count} story page reused from the previous build",
            "{count} story pages reused from the previous build",
            self.reused,
        )
        log.info(reused.format(count=self.reused))
        assert env.loader is not None
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({KEPT_TEMPLATE: KEPT_TEMPLATE_SOURCE}), env.loader])
        env.globals["regioverhalen_kept_page"] = self._kept_page

    def reuse(self, page: Page, markdown: str, story: Story | None) -> bool:
        """Whether the story `page` is made as it was kept; its rendering is then skipped (call
        from on_page_markdown, just before MkDocs renders the page). Its card is made from its
        metadata and, like the listing pages, from its region and its neighbours there."""
        if not self._active or story is None:
            return False
        src_uri = page.file.src_uri
        key = hashlib.blake2b(repr((markdown, story.meta)).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        kept = self._kept.get(src_uri)
        self._warnings_before[src_uri] = self._warnings.count
        if kept is None or kept.key != key or kept.output is None:
            self._kept[src_uri] = KeptPage(key, "", TableOfContents([]), None, None)
            return False
        self._reused[src_uri] = kept
        self.reused += 1

        def put_in_kept(config: MkDocsConfig, files: Files) -> None:
            """In place of MkDocs' rendering: what it would set, as the previous build had it."""
            page.content, page.toc, page.present_anchor_ids = kept.content, kept.toc, kept.anchor_ids
            if kept.links_to_anchors is not None:
                page.links_to_anchors = {}
                for linked_uri, links in kept.links_to_anchors.items():
                    linked = files.get_file_from_path(linked_uri)
                    if linked is not None:
                        page.links_to_anchors[linked] = links
            page.meta["template"] = KEPT_TEMPLATE

        page.render = put_in_kept  # type: ignore[method-assign]
        return True

    def is_reused(self, page: Page) -> bool:
        """Whether the page is made already: its finished page is put in KEPT_TEMPLATE."""
        return page.file.src_uri in self._reused

    def reused_content(self, page: Page) -> str | None:
        """A reused page's HTML (call from on_page_content); None for any other page."""
        kept = self._reused.get(page.file.src_uri)
        return None if kept is None else kept.content

    def keep_content(self, page: Page, content: str) -> None:
        """A story page's HTML as this build rendered it (call from on_page_content)."""
        kept = self._made_here_without_warnings(page)
        if kept is not None:
            kept.content, kept.toc, kept.anchor_ids = content, page.toc, page.present_anchor_ids
            links = page.links_to_anchors
            kept.links_to_anchors = None if links is None else {f.src_uri: anchors for f, anchors in links.items()}

    def start_template(self, page: Page) -> None:
        """Its template is about to be rendered (call from on_page_context)."""
        if self._active:
            self._warnings_before[page.file.src_uri] = self._warnings.count

    def keep_output(self, page: Page, output: str) -> None:
        """A story page's finished page (call from on_post_page)."""
        kept = self._made_here_without_warnings(page)
        if kept is not None:
            kept.output = output

    def _made_here_without_warnings(self, page: Page) -> KeptPage | None:
        """The page being kept, if this build made it and gave no warning since its step began;
        a page that gave one is not kept, so that the warning is given again next time."""
        src_uri = page.file.src_uri
        kept = self._kept.get(src_uri)
        if kept is None or src_uri in self._reused:
            return None
        if self._warnings.count != self._warnings_before.get(src_uri):
            del self._kept[src_uri]
            return None
        return kept

    def _kept_page(self, page: Page) -> Markup:
        output = self._reused[page.file.src_uri].output
        assert output is not None
        return Markup(output)

    def close(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self._warnings)
