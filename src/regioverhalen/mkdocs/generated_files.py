"""The files the plugin adds to a MkDocs build: the generated pages as MkDocs files, and the
feeds and open data written beside the built site."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from regioverhalen.content.messages import _
from regioverhalen.site.feeds import site_feeds
from regioverhalen.site.navigation import EDITOR_PAGES, SEARCH_PAGE_MARKDOWN
from regioverhalen.site.opendata import open_data
from regioverhalen.site.pages import GeneratedPage, Site, default_home
from regioverhalen.site.paths import SEARCH_SRC, STORIES_DIR, pictures_shown, story_src


def add_generated_pages(site: Site, files: Files, config: MkDocsConfig, *, serving: bool) -> dict[str, GeneratedPage]:
    """Every generated page as a MkDocs file; a home page if docs/ has none that this build or
    preview shows (`exclude_docs`, or `draft_docs` outside a preview, would leave the site
    without one); the search page; the editors' pages kept out of the navigation.
    Returns the generated pages by source path (the default home and search page are plain Markdown)."""
    for page in site.pages:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(
                _("docs/{page} clashes with a generated page; rename or remove it").format(page=page.src_uri)
            )
        # Set here: MkDocs would match `exclude_docs` and `draft_docs`, lines about docs/, against it.
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        # The page's own text, not a copy: its metadata is set in on_page_markdown.
        files.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion))
    _add_story_pictures(site, files, config)
    own_home = files.get_file_from_path("index.md")
    left_out = {InclusionLevel.EXCLUDED} if serving else {InclusionLevel.EXCLUDED, InclusionLevel.DRAFT}
    if own_home is None or own_home.inclusion in left_out:
        if own_home is not None:
            files.remove(own_home)
        add_default_home(site, files, config)
    if site.settings.pagefind:
        files.append(
            File.generated(config, SEARCH_SRC, content=SEARCH_PAGE_MARKDOWN, inclusion=InclusionLevel.INCLUDED)
        )
    for src in EDITOR_PAGES:  # linked from the footer: MkDocs need not say they are not in the navigation
        editor_page = files.get_file_from_path(src)
        if editor_page is not None and editor_page.inclusion in (InclusionLevel.UNDEFINED, InclusionLevel.INCLUDED):
            editor_page.inclusion = InclusionLevel.NOT_IN_NAV
    return {page.src_uri: page for page in site.pages}


def add_default_home(site: Site, files: Files, config: MkDocsConfig) -> None:
    """The generated home page, for a site whose docs/ has none that the build shows (none at all,
    one that `exclude_docs` or `draft_docs` leaves out, or one held back with `draft: true`)."""
    home = default_home(site)
    # Included as it is: the patterns that left the site's own out would match it too.
    files.append(File.generated(config, home.src_uri, content=home.markdown, inclusion=InclusionLevel.INCLUDED))


def write_data_files(site: Site, site_dir: Path) -> None:
    """The feeds and the open data, written into the built site."""
    extra_files: dict[str, bytes | Iterable[bytes]] = {
        **site_feeds(site.content, site.settings),
        **open_data(site.content, site.settings),
    }
    for path, data in extra_files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            out.writelines([data] if isinstance(data, bytes) else data)


def _add_story_pictures(site: Site, files: Files, config: MkDocsConfig) -> None:
    """Every picture beside the stories, as its cleaned copy, where a story's relative link finds
    it: files of the build while the stories are rendered (so MkDocs finds what a link names),
    of which `keep_shown_pictures` keeps those a published story's page shows."""
    for picture in site.content.story_assets:
        src_uri = f"{STORIES_DIR}/{picture.address}"
        if files.get_file_from_path(src_uri) is not None:  # `check` tells a file of docs/; this is another plugin's
            message = _("{page} clashes with {path}; rename or remove one")
            raise PluginError(message.format(page=src_uri, path=picture.rel))
        included = InclusionLevel.INCLUDED  # whatever `exclude_docs` says of docs/
        files.append(File.generated(config, src_uri, abs_src_path=str(picture.published), inclusion=included))


def keep_shown_pictures(site: Site | None, files: Files) -> None:
    """Once every page is rendered and before MkDocs writes any file: the pictures beside the
    stories that no published story's page shows are not written. A picture only a draft
    shows may be of someone whose consent is still being asked; one only a comment or code
    names is shown to nobody. What counts is the page's finished HTML, what a reader gets."""
    if site is None or not site.content.story_assets:
        return
    shown: set[str] = set()
    for story in site.content.stories:
        file = files.get_file_from_path(story_src(story))
        if file is not None and file.page is not None and file.page.content:
            shown.update(pictures_shown(file.page.content, file.page.url))
    for picture in site.content.story_assets:
        file = files.get_file_from_path(f"{STORIES_DIR}/{picture.address}")
        if file is not None and file.src_uri not in shown:
            files.remove(file)
