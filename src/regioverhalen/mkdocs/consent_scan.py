"""No participant's name without consent in what the site publishes: each page made from a file
outside docs/ (the content checks read docs/, the theme's custom_dir and the configuration
files), and at the end everything the build wrote."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem, consent_message, one_line
from regioverhalen.mkdocs.theme import shipped_assets
from regioverhalen.parallel.forking import second_core_usable
from regioverhalen.site.output_scan import ScanAhead, scan_site
from regioverhalen.site.pages import Site

log = get_plugin_logger(__name__)


class ConsentGuard:
    """Checks, hook by hook, that no participant is named without consent: each page made from
    a file outside docs/, and at the end everything the build wrote.
    Under `mkdocs serve` a name is logged and the preview goes on; the preview is not published."""

    def __init__(self) -> None:
        self.serving = False
        self._made_from: dict[str, str] = {}  # each built page's source file, for the output scan
        self._root = Path()  # the site's root, resolved once a build rather than once a page
        self._docs = Path()  # its docs/, resolved likewise
        self._shipped: tuple[Path, ...] = ()  # the installed themes' asset folders
        self._ahead: ScanAhead | None = None  # pages scanned on the second core as they are written
        self._last_page: tuple[str, str] | None = None  # the page MkDocs writes after its on_post_page

    def start_build(self, site: Site, config: MkDocsConfig, shown_as: str) -> None:
        """A build has gathered its files (on_files): forget the previous build's pages and
        start scanning pages as they are written."""
        self._made_from, self._root = {}, site.settings.paths.root.resolve()
        self._docs = (self._root / site.settings.paths.docs_dir).resolve()
        self._shipped = shipped_assets(config)
        self.stop()
        if not self.serving and site.settings.parallel == "auto" and site.content.hidden_names and second_core_usable():
            self._ahead = ScanAhead(Path(config.site_dir), site.content.hidden_names, shown_as, self._shipped)

    def check_page(self, site: Site, page: Page) -> None:
        """A page from a file outside docs/ (another plugin's), which the content checks do not
        read: the whole file, front matter included, so that lines are the file's own."""
        source = page.file.abs_src_path
        if page.file.generated_by is None and source and not Path(source).resolve().is_relative_to(self._docs):
            self._refuse_names(site, Path(source), page.file.content_string)

    def remember_source(self, site: Site, page: Page) -> None:
        """The file a built page was made from, relative to the site root, for the output scan's messages."""
        if self.serving:  # no output scan under `mkdocs serve`
            return
        story = site.story_for(page.file.src_uri)
        if story is not None:
            made_from = story.path
        else:
            source = page.file.abs_src_path
            made_from = (self._relative(Path(source)) if source else None) or ""
        self._made_from[page.file.dest_uri] = made_from
        if self._ahead is not None:
            if self._last_page is not None:  # written by now: MkDocs writes each page after this hook
                self._ahead.written(*self._last_page)
            self._last_page = (page.file.dest_uri, made_from)

    def check_output(self, site: Site, site_dir: Path, shown_as: str) -> None:
        """No name without consent in anything the build wrote, read as readers and search engines
        get it: the last gate, before the new site replaces the old one."""
        if self.serving:  # the preview should follow an edit at once
            return
        ahead, self._ahead = self._ahead, None
        if ahead is not None and self._last_page is not None:
            ahead.written(*self._last_page)
        self._last_page = None
        try:
            problems = scan_site(site_dir, site.content.hidden_names, self._made_from, shown_as, ahead, self._shipped)
        finally:
            if ahead is not None:
                ahead.stop()  # ended already, unless the scan failed
        if ahead is not None and ahead.stopped_silent:
            log.warning(_("the helper that scanned pages for names gave no answer and was stopped; rescanned here"))
        for problem in problems:
            log.error(str(problem))
        if problems:
            raise PluginError(
                _("build stopped: the built site names a participant without consent ({count})").format(
                    count=len(problems)
                )
            )

    def stop(self) -> None:
        """A build that failed or ended: the page-scanning helper is wanted no more."""
        if self._ahead is not None:
            self._ahead.stop()
        self._ahead, self._last_page = None, None

    def _refuse_names(self, site: Site, source: Path, text: str) -> None:
        found = site.content.hidden_names.find(text)
        if not found:
            return
        shown = self._relative(source.resolve()) or source.as_posix()
        for line, column, pid in found:
            log.error(str(Problem(shown, line, column, consent_message(pid))))
        if not self.serving:
            raise PluginError(
                _("build stopped: {path} names a participant without consent").format(path=one_line(shown))
            )

    def _relative(self, path: Path) -> str | None:
        """`path` relative to the site root, or None outside it."""
        return path.relative_to(self._root).as_posix() if path.is_relative_to(self._root) else None
