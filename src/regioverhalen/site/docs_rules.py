"""What the hand-written folder (docs/) may publish, decided without MkDocs: `check` tells it
before a build, and the build tells it again from MkDocs' own files (mkdocs/docs_files.py).

- Only known file types are copied: a file of any other type (`.tsv`, `.geojson`, `.mjs`,
  `.xhtml`) is an error naming it, so nothing reaches the site that no check has looked at.
- No page may take the address of a page the site makes (`docs/verhalen.md` would be served at
  /verhalen/, where the list of stories is), nor put anything in the site's own folders.
- A page with `draft: true` in its front matter is held back, as a draft story is.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import yaml
from pathspec.gitignore import GitIgnoreSpec

from regioverhalen.content.discovery import unshowable_name, walk_published
from regioverhalen.content.markdown_links import link_targets
from regioverhalen.content.messages import _
from regioverhalen.content.problems import ContentWarning, Problem
from regioverhalen.content.reading import Positions
from regioverhalen.content.story_links import linked_page
from regioverhalen.site.paths import (
    BREAKTHROUGHS_SRC,
    GLOSSARY_PAGE,
    LESSONS_SRC,
    REGIONS_DIR,
    SEARCH_SRC,
    STORIES_DIR,
    THEMES_DIR,
    region_src,
    status_of,
    status_src,
    story_src,
    theme_src,
    url_of,
    year_src,
)

if TYPE_CHECKING:
    from regioverhalen.content.collection import Content, ContentPaths

#: Pages, and files a browser shows or uses as they are. Every file in docs/ is read for names
#: without consent, whatever its type (content/published_files.py).
KNOWN_SUFFIXES = frozenset(
    {".md", ".html", ".htm", ".txt", ".xml", ".json", ".csv", ".js", ".css", ".svg", ".yml", ".yaml"}
    | {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".pdf", ".woff", ".woff2"}
)
#: The site's own folders and files: docs/ may put nothing there (url's first part, or the whole path).
SITE_FOLDERS = frozenset({"verhalen", "regios", "themas", "data", "pagefind"})
SITE_FILES = frozenset({"feed.xml", "sitemap.xml", "sitemap.xml.gz", "404.html"})


def site_page_addresses(content: Content, *, search: bool, glossary: bool) -> dict[str, str]:
    """The addresses of the pages the site makes, with their sources, as far as `check` needs
    them (the build knows every page): each story, region and theme, the overviews, and the
    pages outside the site's own folders."""
    themes = {theme for story in content.stories for theme in story.meta.themes}
    statuses = {status_of(story) for story in content.stories}
    sources = [
        *(year_src(year) for year in sorted({story.meta.date.year for story in content.stories})),
        *(status_src(status) for status in sorted(statuses)),
        *(f"{folder}/index.md" for folder in (STORIES_DIR, REGIONS_DIR, THEMES_DIR)),
        *(story_src(story) for story in content.stories),
        *(region_src(region_id) for region_id in content.regions),
        *(theme_src(theme) for theme in sorted(themes)),
        BREAKTHROUGHS_SRC,
        LESSONS_SRC,
        *([SEARCH_SRC] if search else []),
        *([GLOSSARY_PAGE] if glossary else []),
    ]
    return {url_of(src): src for src in sources}


def site_file_problems(content: Content, paths: ContentPaths, *, search: bool, glossary: bool) -> list[Problem]:
    """What a build would refuse besides the content: files of docs/ (`docs_folder_problems`) and
    stories' links to no page. `check` and `export` both tell them before anything is written."""
    addresses = site_page_addresses(content, search=search, glossary=glossary)
    problems = docs_folder_problems(
        paths.root, paths.docs_dir, addresses, excluded=paths.docs_excluded, drafts=paths.docs_drafts
    )
    return problems + links_to_no_page(content, set(addresses.values()), paths.root, paths.docs_dir)


def links_to_left_out_pages(content: Content, paths: ContentPaths) -> list[ContentWarning]:
    """A warning at each link from a published page of docs/ or a story to a page of docs/ that
    the build leaves out (`exclude_docs`, `draft_docs`): the link leads nowhere, which MkDocs
    only notes, and Zensical's strict build stops on. (A story's link to a page held back with
    `draft: true` is an error: MkDocs finds no page there at all.)"""
    published = dict(published_docs_files(paths))
    top = paths.root / paths.docs_dir
    message = _(
        "links to '{page}', which the build leaves out (exclude_docs, draft_docs or draft: true), "
        "so the link leads nowhere; publish the page or remove the link"
    )
    warnings = []
    for story in content.stories:
        for line, column, _slug, page in story.links:
            left_out = page and not page.startswith("../") and page not in published and (top / page).is_file()
            if left_out and draft_value(top / page) is not True:  # one held back is `links_to_no_page`'s
                warnings.append(ContentWarning(story.path, line, column, message.format(page=page)))
    for src_uri, path in published.items():
        text = path.read_text(encoding="utf-8-sig", errors="replace") if src_uri.endswith(".md") else ""
        positions: Positions | None = None  # made at the first such link
        for offset, target, _in_html in link_targets(text) if ".md" in text else ():
            linked = _linked_docs_page(target, src_uri)
            if linked is None or linked in published or not (top / linked).is_file():
                continue
            positions = positions or Positions(text)
            line, column = positions(offset)
            shown = f"{paths.docs_dir.rstrip('/')}/{src_uri}"
            warnings.append(ContentWarning(shown, line, column, message.format(page=linked)))
    return sorted(warnings)


def _linked_docs_page(target: str, src_uri: str) -> str | None:
    """The page of docs/ a relative `.md` link in the page `src_uri` leads to, if it is one
    (`.md` in lower case, as MkDocs reads a page)."""
    linked = linked_page(target, posixpath.dirname(src_uri))
    return linked if linked.endswith(".md") and not linked.startswith("../") else None


def links_to_no_page(content: Content, sources: set[str], root: Path, docs_dir: str) -> list[Problem]:
    """A problem at each link from a published story to a `.md` file that MkDocs finds no page
    at (the pages the site makes are `sources`, besides docs/): a strict build stops on it."""
    slugs = {story.slug for story in content.stories}
    drafts = {story_src(draft) for draft in content.drafts}  # told as a link to a draft
    problems = []
    for story in content.stories:
        for line, column, _slug, page in story.links:
            if not page or page in sources or page in drafts or page == "index.md":
                continue
            in_docs = root / docs_dir / page
            if not page.startswith("../") and in_docs.is_file() and draft_value(in_docs) is not True:
                continue  # a page of docs/ held back as a draft has no page either
            stem = PurePosixPath(page).name.removesuffix(".md")
            if stem in slugs:
                message = _(
                    "this link leads to no page: every story is published beside the others, at "
                    "/{folder}/<slug>/, so link another story as '{write}'"
                ).format(folder=STORIES_DIR, write=f"{stem}.md")
            else:
                message = _(
                    "this link leads to no story or page of the site; link another story as '<slug>.md', "
                    "and a page of {docs}/ from a story as '../<page>.md'"
                ).format(docs=docs_dir.rstrip("/"))
            problems.append(Problem(story.path, line, column, message))
    return problems


def same_address_problem(other: str, url: str) -> str:
    """What to tell of a file of docs/ written where `other` (its path as shown) is written too."""
    message = _("{other} has the same address, /{url}; MkDocs publishes only one of them: rename or remove one")
    return message.format(other=other, url=url)


def not_a_file_problem(path: Path) -> str:
    """What to tell of something in docs/ that is no file to publish: a link to nothing, a pipe."""
    if not path.exists():
        return _("symbolic link points to a file that does not exist")
    return _("this is not a regular file (a pipe, socket or device), which cannot be published; remove it")


def docs_file_problem(src_uri: str, url: str, *, is_page: bool, generated: Mapping[str, str]) -> str | None:
    """What is wrong with publishing the file `src_uri` of docs/ at `url`, if anything;
    `generated` maps the addresses of the pages the site makes to their sources."""
    suffix = PurePosixPath(src_uri).suffix
    # MkDocs reads `.md` in lower case only as a page: it would publish `x.MD` as it is, front matter and all.
    if suffix.lower() == ".md" and suffix != ".md":
        return _("file extension must be lowercase '{suffix}'").format(suffix=".md")
    if suffix.lower() not in KNOWN_SUFFIXES:
        return _("files of type '{type}' are not published; use one of: {types}").format(
            type=PurePosixPath(src_uri).suffix or PurePosixPath(src_uri).name, types=", ".join(sorted(KNOWN_SUFFIXES))
        )
    if is_page and url in generated:
        return _("its address /{url} is taken by a page the site makes ({source}); rename or move it").format(
            url=url, source=generated[url]
        )
    if url.split("/", 1)[0] in SITE_FOLDERS or url in SITE_FILES:
        return _("/{url} is kept for the site's own pages and files ({names}); rename or move it").format(
            url=url,
            names=f"{', '.join(sorted(f'/{name}/' for name in SITE_FOLDERS))}, {', '.join(sorted(SITE_FILES))}",
        )
    return None


def docs_folder_problems(
    root: Path,
    docs_dir: str,
    generated: Mapping[str, str],
    *,
    excluded: tuple[str, ...] = (),
    drafts: tuple[str, ...] = (),
) -> list[Problem]:
    """Every file of docs/ that a build would refuse, as `path:1:1` problems: read as MkDocs reads
    the folder (names starting with '.', the top folder templates/ and what the gitignore lines of
    mkdocs.yml's `exclude_docs` and `draft_docs` match are left out), drafts held back."""
    exclude, draft = _left_out(excluded, drafts)
    sources = set(generated.values())
    problems = []
    top = root / docs_dir
    loops: list[str] = []  # MkDocs would go round them until the path is too long
    addresses: dict[str, str] = {}  # each published file's address, and the file found there first
    for here, _dirs, files in walk_published(root, docs_dir, follow_links=True, loops=loops):
        below = Path(here).relative_to(top).as_posix()
        folder = "" if below == "." else f"{below}/"
        for name in files:
            path = Path(here, name)
            src_uri = f"{folder}{name}"
            if unshowable_name(src_uri):
                continue  # told with the content
            shown = f"{docs_dir.rstrip('/')}/{src_uri}"
            if exclude.match_file(src_uri) or draft.match_file(src_uri):
                # Not published, but MkDocs keeps it in its list, where a generated page finds it
                # (so no folder is passed by: a file in it may be at a generated page's source).
                if src_uri in sources:
                    message = _("docs/{page} clashes with a generated page; rename or remove it")
                    problems.append(Problem(shown, 1, 1, message.format(page=src_uri)))
                continue
            if not path.is_file():  # MkDocs can copy no link to nothing, and would read a pipe for ever
                problems.append(Problem(shown, 1, 1, not_a_file_problem(path)))
                continue
            is_page = name.endswith(".md")  # as MkDocs reads it: see docs_file_problem
            url = url_of(_page_src(src_uri)) if is_page else src_uri
            # A page's file in the built site, or a file's own path: what two of them cannot share.
            written_to = f"{url}index.html" if is_page else url
            if is_page:
                held_back, draft_problem = draft_state(path, shown)
                # MkDocs leaves a README.md out for the index.md beside it before any draft is held back.
                if held_back and name == "index.md" and written_to in addresses:
                    draft_problem = Problem(shown, 1, 1, same_address_problem(addresses[written_to], url))
                if held_back or draft_problem:
                    problems += [draft_problem] if draft_problem else []
                    continue
            problem = docs_file_problem(src_uri, url, is_page=is_page, generated=generated)
            if not problem and written_to in addresses:  # MkDocs publishes one of them, Zensical stops
                problem = same_address_problem(addresses[written_to], url.removesuffix("index.html"))
            addresses.setdefault(written_to, shown)
            if problem:
                problems.append(Problem(shown, 1, 1, problem))
    loop = _("symbolic link cannot be followed: it points to itself in a loop")
    problems += [Problem(f"{docs_dir.rstrip('/')}/{Path(at).relative_to(top).as_posix()}", 1, 1, loop) for at in loops]
    return sorted(problems)


#: What MkDocs leaves out of docs/ before `exclude_docs` (mkdocs.structure.files._default_exclude).
_MKDOCS_LEAVES_OUT = (".*", "/templates/")


def left_out_of_build(
    src_uri: str, excluded: tuple[str, ...], drafts: tuple[str, ...], *, drafts_shown: bool = False
) -> bool:
    """Whether mkdocs.yml's `exclude_docs` or `draft_docs` (their gitignore lines) leave a file of
    docs/ out of a build (out of a preview, with `drafts_shown`: only `exclude_docs` then), as
    MkDocs' own patterns do (names starting with '.', the top folder templates/)."""
    exclude, draft = _left_out(excluded, drafts)
    return bool(exclude.match_file(src_uri) or (not drafts_shown and draft.match_file(src_uri)))


def published_docs_files(paths: ContentPaths, *, drafts_shown: bool = False) -> Iterator[tuple[str, Path]]:
    """Each file of docs/ that a build publishes, with its path there (`src_uri`), linked folders
    followed as MkDocs follows them: what MkDocs' own patterns, `exclude_docs` and `draft_docs`
    (but with `drafts_shown`, as in a preview) leave out is not, nor a page held back with
    `draft: true`, nor a link to nothing. The export copies these, and the navigation lists
    their pages."""
    top = paths.root / paths.docs_dir
    if not top.is_dir():
        return
    for here, _dirs, files in walk_published(paths.root, paths.docs_dir, follow_links=True):
        for name in files:
            path = Path(here, name)
            src_uri = path.relative_to(top).as_posix()
            if left_out_of_build(src_uri, paths.docs_excluded, paths.docs_drafts, drafts_shown=drafts_shown):
                continue
            if path.is_file() and not (name.endswith(".md") and draft_value(path) is True):
                yield src_uri, path


@functools.lru_cache(maxsize=8)
def _left_out(excluded: tuple[str, ...], drafts: tuple[str, ...]) -> tuple[GitIgnoreSpec, GitIgnoreSpec]:
    # MkDocs' own patterns first, so that a site's `!` can take a folder back in.
    return _spec((*_MKDOCS_LEAVES_OUT, *excluded), or_else=_MKDOCS_LEAVES_OUT), _spec(drafts, or_else=())


def _spec(lines: tuple[str, ...], or_else: tuple[str, ...]) -> GitIgnoreSpec:
    try:
        return GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):  # a pattern MkDocs refuses: read_settings has told it
        return GitIgnoreSpec.from_lines(or_else)


#: A page's front matter as MkDocs finds it: between a first line of '---' and a line of '---' or '...'.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def draft_state(path: Path, shown: str) -> tuple[bool, Problem | None]:
    """Whether a hand-written page is held back as a draft, and the problem with its `draft:`
    value if it is neither true nor false (`shown`: the page's path in the problem)."""
    draft, line = _draft(path)
    if draft in (None, False, True):
        return draft is True, None
    return False, Problem(shown, line, 1, "draft: " + _("expected true or false"))


def draft_value(path: Path) -> object:
    """The `draft:` of a hand-written page's front matter (None without one); `true` holds it back."""
    return _draft(path)[0]


#: The `draft:` key at the start of a line of the front matter, where a problem with it is told.
_DRAFT_KEY = re.compile(r"""^(?:draft|"draft"|'draft')[ \t]*:""", re.MULTILINE)


def _draft(path: Path) -> tuple[object, int]:
    """The `draft:` value of a page's front matter, and the line it is on (1 when not found)."""
    if not path.is_file():  # a link to nothing, a pipe: told where docs/ is checked
        return None, 1
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:  # a link going round in a loop, or unreadable: told where docs/ is checked
        return None, 1
    match = _FRONT_MATTER.match(text) if "draft" in text else None
    if match is None:
        return None, 1
    try:
        data = yaml.safe_load(match.group(1))
    except (yaml.YAMLError, RecursionError):  # MkDocs cannot read it either
        return None, 1
    key = _DRAFT_KEY.search(match.group(1))
    line = 2 + match.group(1).count("\n", 0, key.start()) if key else 1  # the front matter starts on line 2
    return (data.get("draft") if isinstance(data, dict) else None), line


def _page_src(src_uri: str) -> str:
    """A page's source as MkDocs addresses it: README.md (so written) is its folder's index."""
    path = PurePosixPath(src_uri)
    return str(path.with_name("index.md")) if path.name == "README.md" else src_uri
