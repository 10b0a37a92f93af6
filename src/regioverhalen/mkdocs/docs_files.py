"""What the hand-written folder (docs/) may publish.

- Only known file types are copied: a file of any other type (`.tsv`, `.geojson`, `.mjs`,
  `.xhtml`) is an error naming it, so nothing reaches the site that no check has looked at.
- No page may take the address of a page the site makes (`docs/verhalen.md` would be served at
  /verhalen/, where the list of stories is).
- A page with `draft: true` in its front matter is held back, as a draft story is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from regioverhalen.content.discovery import unshowable_name
from regioverhalen.content.messages import _
from regioverhalen.content.problems import one_line
from regioverhalen.mkdocs.options import shown_docs_dir
from regioverhalen.site.navigation import SEARCH_SRC, draft_value
from regioverhalen.site.pages import Site, url_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)

#: Pages, and files a browser shows or uses as they are. Every file in docs/ is read for names
#: without consent, whatever its type (content/published_files.py).
KNOWN_SUFFIXES = frozenset(
    {".md", ".html", ".htm", ".txt", ".xml", ".json", ".csv", ".js", ".css", ".svg", ".yml", ".yaml"}
    | {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".pdf", ".woff", ".woff2"}
)


#: The site's own folders and files: docs/ may put nothing there (url's first part, or the whole path).
SITE_FOLDERS = frozenset({"verhalen", "regios", "themas", "data", "pagefind"})
SITE_FILES = frozenset({"feed.xml", "sitemap.xml", "sitemap.xml.gz", "404.html"})


def _site_address(file: File) -> bool:
    return file.dest_uri.split("/", 1)[0] in SITE_FOLDERS or file.dest_uri in SITE_FILES


def _from_docs(file: File, docs_dir: Path) -> bool:
    source = file.abs_src_path
    return file.generated_by is None and source is not None and Path(source).resolve().is_relative_to(docs_dir)


def docs_problems(files: Files, config: MkDocsConfig, generated_urls: dict[str, str]) -> list[str]:
    """Files in docs/ of an unknown type, and pages at an address the site makes (url -> its source)."""
    docs_dir = Path(config.docs_dir).resolve()
    shown_dir = shown_docs_dir(config)
    problems = []
    for file in files:
        if not _from_docs(file, docs_dir):
            continue
        shown = f"{shown_dir}/{file.src_uri}"
        if unshowable_name(file.src_uri):
            continue  # told with the content (`check` too); its address cannot be made
        if Path(file.src_uri).suffix.lower() not in KNOWN_SUFFIXES:
            problems.append(
                f"{shown}: "
                + _("files of type '{type}' are not published; use one of: {types}").format(
                    type=Path(file.src_uri).suffix or file.name, types=", ".join(sorted(KNOWN_SUFFIXES))
                )
            )
        elif file.is_documentation_page() and file.url in generated_urls:
            problems.append(
                f"{shown}: "
                + _("its address /{url} is taken by a page the site makes ({source}); rename or move it").format(
                    url=file.url, source=generated_urls[file.url]
                )
            )
        elif _site_address(file):
            problems.append(
                f"{shown}: "
                + _("/{url} is kept for the site's own pages and files ({names}); rename or move it").format(
                    url=file.url,
                    names=f"{', '.join(sorted(f'/{name}/' for name in SITE_FOLDERS))}, {', '.join(sorted(SITE_FILES))}",
                )
            )
    return sorted(problems)


def held_back_drafts(files: Files, config: MkDocsConfig) -> tuple[list[File], list[str]]:
    """Pages in docs/ with `draft: true` (to leave out), and problems with a `draft:` value."""
    docs_dir = Path(config.docs_dir).resolve()
    drafts: list[File] = []
    problems: list[str] = []
    for file in files.documentation_pages():
        if not _from_docs(file, docs_dir):
            continue
        draft = draft_value(Path(file.abs_src_path or ""))
        if draft is True:
            drafts.append(file)
        elif draft not in (None, False):
            problems.append(f"{shown_docs_dir(config)}/{file.src_uri}: draft: " + _("expected true or false"))
    return drafts, problems


def check_docs_files(site: Site, files: Files, config: MkDocsConfig, *, search: bool, serving: bool) -> None:
    """docs/: drafts held back, unknown file types and pages at a generated address refused."""
    drafts, problems = held_back_drafts(files, config)
    for draft in drafts:
        files.remove(draft)
    if drafts:
        log.info(
            _("{count} page(s) in {folder}/ held back as draft(s), not published").format(
                count=len(drafts), folder=shown_docs_dir(config)
            )
        )
    generated = {url_of(page.src_uri): page.src_uri for page in site.pages}
    if search:
        generated[url_of(SEARCH_SRC)] = SEARCH_SRC
    problems += docs_problems(files, config, generated)
    for problem in problems:
        log.error(one_line(problem))
    if serving:  # the preview goes on without them: MkDocs cannot make their addresses
        for unshowable in [file for file in files if unshowable_name(file.src_uri)]:
            files.remove(unshowable)
    if problems and not serving:
        raise PluginError(
            _("build stopped: {count} problem(s) with files in {folder}/").format(
                count=len(problems), folder=shown_docs_dir(config)
            )
        )
