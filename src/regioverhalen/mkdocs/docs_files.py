"""The hand-written folder (docs/) in a build: its drafts held back, and what it may not publish
refused with MkDocs' own files and addresses (the rules: site/docs_rules.py, which `check`
applies before a build)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from regioverhalen.content.discovery import unshowable_name
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.mkdocs.generated_files import add_default_home
from regioverhalen.mkdocs.options import shown_docs_dir
from regioverhalen.site.docs_rules import docs_file_problem, draft_state, not_a_file_problem, same_address_problem
from regioverhalen.site.pages import Site, url_of
from regioverhalen.site.paths import SEARCH_SRC

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


def _from_docs(file: File, docs_dir: Path) -> bool:
    """Whether MkDocs found the file in docs/: by the path it found it at, not where a link leads
    (a page linked in from outside docs/ is published as one of docs/)."""
    source = file.abs_src_path
    return file.generated_by is None and source is not None and Path(source).is_relative_to(docs_dir)


def docs_problems(files: Files, config: MkDocsConfig, generated_urls: dict[str, str]) -> list[Problem]:
    """Files in docs/ of an unknown type, and pages at an address the site makes (url -> its source)."""
    docs_dir = Path(config.docs_dir)
    shown_dir = shown_docs_dir(config)
    problems = []
    written_to: dict[str, str] = {}  # each file's place in the built site, and the file written there first
    for file in files:
        if (
            not _from_docs(file, docs_dir)
            or unshowable_name(file.src_uri)
            or file.inclusion.value <= InclusionLevel.DRAFT.value
        ):
            # An unshowable name is told with the content (`check` too): its address cannot be made.
            # What MkDocs leaves out (names starting with '.', templates/, exclude_docs) is not published.
            continue
        problem = (
            docs_file_problem(file.src_uri, file.url, is_page=file.is_documentation_page(), generated=generated_urls)
            if Path(file.abs_src_path or "").is_file()
            else not_a_file_problem(Path(file.abs_src_path or ""))
        )
        if not problem and file.dest_uri in written_to:  # MkDocs would write one over the other
            problem = same_address_problem(f"{shown_dir}/{written_to[file.dest_uri]}", file.url)
        written_to.setdefault(file.dest_uri, file.src_uri)
        if problem:
            problems.append(Problem(f"{shown_dir}/{file.src_uri}", 1, 1, problem))
    return sorted(problems)


def _theme_files_included(files: Files, config: MkDocsConfig) -> None:
    """The theme's files (its styles and scripts, the plugin's, the site's custom_dir's) published
    whatever `exclude_docs` and `draft_docs` say: their lines are about docs/, and MkDocs would
    match them against these too (`*.css` left every page without its styles)."""
    docs_dir = Path(config.docs_dir)
    for file in files:
        if file.inclusion == InclusionLevel.UNDEFINED and file.generated_by is None and not _from_docs(file, docs_dir):
            file.inclusion = InclusionLevel.INCLUDED


def held_back_drafts(files: Files, config: MkDocsConfig) -> tuple[list[File], list[Problem]]:
    """Pages in docs/ with `draft: true` (to leave out), and problems with a `draft:` value."""
    docs_dir = Path(config.docs_dir)
    drafts: list[File] = []
    problems: list[Problem] = []
    for file in files.documentation_pages():
        if not _from_docs(file, docs_dir):
            continue
        held_back, problem = draft_state(Path(file.abs_src_path or ""), f"{shown_docs_dir(config)}/{file.src_uri}")
        if held_back:
            drafts.append(file)
        problems += [problem] if problem else []
    return drafts, problems


def check_docs_files(site: Site, files: Files, config: MkDocsConfig, *, search: bool, serving: bool) -> None:
    """docs/: drafts held back, unknown file types and pages at a generated address refused."""
    _theme_files_included(files, config)
    drafts, problems = held_back_drafts(files, config)
    for draft in drafts:
        files.remove(draft)
        if draft.src_uri == "index.md":  # held back: the site still has a home page
            add_default_home(site, files, config)
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
        log.error(str(problem))
    if serving:  # the preview goes on without them: MkDocs cannot make their addresses
        for unshowable in [file for file in files if unshowable_name(file.src_uri)]:
            files.remove(unshowable)
    if problems and not serving:
        raise PluginError(
            _("build stopped: {count} problem(s) with files in {folder}/").format(
                count=len(problems), folder=shown_docs_dir(config)
            )
        )
