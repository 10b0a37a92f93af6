"""After `zensical build` of an exported project: the search index, and the site's guarantees.

`finish_site` is the one place where an exported site is made safe after its build and before
it is published: what the engine rendered from contributors' Markdown goes through the same
allowlist sanitizer as in the plugin's build (`content.html_policy`), then the whole site gets
the same output consent scan (`site.output_scan`) and a last look for scripts in every page's
content. The pages themselves come from the same `site.pages` code as the plugin's, so what is
made safe there is safe in both builds.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from regioverhalen.content.collection import ContentPaths
from regioverhalen.content.html_check import CODE_TAGS, attribute_message, on_tag, tag_message
from regioverhalen.content.html_policy import (
    CONTRIBUTED_END,
    CONTRIBUTED_START,
    REMOVED_WITH_CONTENT,
    sanitize,
    url_problem,
)
from regioverhalen.content.loading import Content
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.site.output_scan import scan_site
from regioverhalen.site.paths import STORIES_DIR, pictures_shown, region_src, story_src, url_of
from regioverhalen.site.search_command import pagefind_command

#: The built site's pages: the names in every other file are the output scan's.
PAGE_SUFFIXES = frozenset({".html", ".htm"})
#: Made by the engine from our pages, or by Pagefind: their text is that of the pages.
_SKIPPED_DIRS = ("pagefind/", "assets/javascripts/", "assets/stylesheets/")
_MARKS = re.compile(f"{re.escape(CONTRIBUTED_START)}|{re.escape(CONTRIBUTED_END)}")


@dataclass
class SiteReport:
    """Problems found in a built site, each as `path:line:col: error: message`."""

    problems: list[str] = field(default_factory=list)


def finish_site(
    site_dir: Path, content: Content, paths: ContentPaths, contributed: frozenset[str], *, search: bool
) -> SiteReport:
    """Sanitize what contributors wrote, check the built site and index it for search; a site that
    fails the checks keeps no index. Pagefind runs in its own process while the pages are checked
    here, on the second core. `contributed` are the URLs of the pages the export wrote with text
    from contributors; the content's stories and regions are added to them."""
    published_now = {url_of(story_src(story)) for story in content.stories}
    published_now |= {url_of(region_src(region_id)) for region_id in content.regions}
    required = contributed | published_now
    marks = sanitize_contributed_text(site_dir, required, paths)
    if not marks:  # a page whose marks are not as written may show pictures: `--finish` runs again on it
        remove_pictures_not_shown(site_dir, content)
    pagefind = None
    if search:
        shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
        pagefind = subprocess.Popen(
            pagefind_command(site_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    report = check_built_site(site_dir, content, paths.allowed_html_tags, required)
    report.problems[:0] = marks
    if pagefind is not None:
        out, err = pagefind.communicate()
        if pagefind.returncode != 0:
            said = err.strip() or out.strip() or f"exit status {pagefind.returncode}"
            report.problems.append(str(Problem(site_dir.as_posix(), 1, 1, f"search indexing failed: {said}")))
    if report.problems:
        shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    return report


def sanitize_contributed_text(site_dir: Path, required: Iterable[str], paths: ContentPaths) -> list[str]:
    """Every built page's text from contributors (between the marks the exported templates put
    around it) through the allowlist sanitizer; problems where the marks are not as the
    templates wrote them. A story or region page must have them once: without them its text
    could not be told from the theme's markup, and with a second pair a story could have ended
    the sanitized part early. Either way its page is not published. The marks stay, so that
    `--finish` can be run again on the same build. `required` are the URLs of the story and
    region pages; the bytes of a page outside its marks are written back as they were."""
    required = frozenset(required)
    problems: list[str] = []
    for path, url in _pages(site_dir):
        text = path.read_bytes().decode("utf-8", "surrogateescape")
        found = _marked_text(text, path.as_posix(), must=url in required)
        if isinstance(found, Problem):
            problems.append(str(found))
        elif found is not None:
            start, end = found
            start += len(CONTRIBUTED_START)
            marked = text[start:end]
            readable = marked.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            clean = sanitize(readable, paths.allow_remote_images, paths.allowed_html_tags)
            if clean != marked:
                path.write_bytes((text[:start] + clean + text[end:]).encode("utf-8", "surrogateescape"))
    return problems


def remove_pictures_not_shown(site_dir: Path, content: Content) -> None:
    """The pictures beside the stories that no published story's text shows, taken out of the
    built site, as the plugin's build leaves them out (`keep_shown_pictures`). The export copied
    those `check` finds shown in the Markdown; what counts is what the engine made of it."""
    if not content.story_assets:
        return
    shown: set[str] = set()
    for story in content.stories:
        url = url_of(story_src(story))
        page = site_dir / url / "index.html"
        text = page.read_text(encoding="utf-8", errors="replace") if page.is_file() else ""
        found = _marked_text(text, page.as_posix(), must=False)
        if isinstance(found, tuple):
            shown |= pictures_shown(text[found[0] + len(CONTRIBUTED_START) : found[1]], url)
    for picture in content.story_assets:
        if f"{STORIES_DIR}/{picture.address}" not in shown:
            (site_dir / STORIES_DIR / picture.address).unlink(missing_ok=True)


def _marked_text(text: str, shown: str, *, must: bool) -> tuple[int, int] | Problem | None:
    """Where the marked contributors' text starts and ends in a page; None if the page has no
    marks and need not have them; otherwise the problem, at the mark out of place."""
    marks = [(found.start(), found.group()) for found in _MARKS.finditer(text)]
    if [mark for _at, mark in marks] == [CONTRIBUTED_START, CONTRIBUTED_END]:
        return marks[0][0], marks[1][0]
    if not marks:
        message = _(
            "the page's text from contributors has no marks around it ({start} and {end}), "
            "so it cannot be sanitized: the export's templates put them around page.content, "
            "and a site's own main.html or verhaal.html must keep its content block"
        )
        return Problem(shown, 1, 1, message.format(start=CONTRIBUTED_START, end=CONTRIBUTED_END)) if must else None
    # The template's marks are the first and the last, so of three or more the second is in a
    # story's text. Of two, the first of the wrong kind (end-start: the end; start-start: the
    # second start; end-end: the first end); of one, itself.
    if len(marks) > 2:
        at, mark = marks[1]
    else:
        at, mark = next(
            (m for m, want in zip(marks, (CONTRIBUTED_START, CONTRIBUTED_END), strict=False) if m[1] != want), marks[0]
        )
    message = _(
        "{mark} is out of place: the export's template writes it once around the text from "
        "contributors, and a story's text may not hold it"
    )
    line = text.count("\n", 0, at) + 1
    return Problem(shown, line, at - text.rfind("\n", 0, at), message.format(mark=mark))


def _pages(site_dir: Path) -> list[tuple[Path, str]]:
    """The built site's pages, but those the engine or Pagefind made from ours, each with its
    site-relative URL (`verhalen/x/`)."""
    relative = ((path, path.relative_to(site_dir).as_posix()) for path in sorted(site_dir.rglob("*")))
    return [
        (path, rel.removesuffix("index.html"))
        for path, rel in relative
        if path.suffix.lower() in PAGE_SUFFIXES and not rel.startswith(_SKIPPED_DIRS)
    ]


def _zensical_assets() -> tuple[Path, ...]:
    """Zensical's own scripts and styles, as it ships them: they hold no site's text."""
    spec = importlib.util.find_spec("zensical")
    if spec is None or not spec.submodule_search_locations:
        return ()
    assets = Path(next(iter(spec.submodule_search_locations))) / "templates" / "assets"
    return (assets,) if assets.is_dir() else ()


def check_built_site(
    site_dir: Path, content: Content, allowed_html_tags: tuple[str, ...], contributed: frozenset[str] = frozenset()
) -> SiteReport:
    """The built site's guarantees: no name without consent in anything it holds (read as readers
    and search engines get it), no script in any page's content or sidebars. The sidebars, and
    the text of the pages at the URLs in `contributed` (stories, regions), hold nothing that
    takes over a page either; a page without contributors' text may (a form in a hand-written
    page), as it is the site's own."""
    report = SiteReport()
    named = scan_site(site_dir, content.hidden_names, shown_as=str(site_dir), shipped=_zensical_assets())
    report.problems += [str(problem) for problem in named]
    for path, url in _pages(site_dir):
        text = path.read_text(encoding="utf-8", errors="replace")
        from_contributors = url in contributed
        for start, end, sidebars in _parts_from_content(text):
            line = text.count("\n", 0, start) + 1
            column = start - text.rfind("\n", 0, start)
            allowed = () if sidebars else allowed_html_tags  # a story's allowed tags belong in its text
            refused = _TAKES_OVER_A_PAGE if sidebars or from_contributors else REMOVED_WITH_CONTENT
            found = scripts_in(text[start:end], allowed, refused=refused)
            report.problems += [str(Problem(path.as_posix(), line, column, message)) for message in found]
    return report


#: Where the parts of a built page made from the content start: the sidebars (the navigation,
#: and the table of contents made from a page's headings) and the page's text. The engine's
#: own scripts are outside them; the problems found in a part are reported at its element.
_SIDEBARS_START = '<div class="md-sidebar'
_CONTENT_START = '<article class="md-content__inner'


#: Beyond what no page's text may hold: what takes over a page (a `<base>`, a `<meta>` refresh,
#: a form), which neither the theme's navigation nor its story and region pages hold. Their
#: icons may be inline SVG.
_TAKES_OVER_A_PAGE = REMOVED_WITH_CONTENT | (CODE_TAGS - {"svg", "math"})


def _parts_from_content(text: str) -> list[tuple[int, int, bool]]:
    """Where the sidebars (before the text, in the theme's layout) and the text are in a page,
    and whether each part is the sidebars."""
    start, end = text.find(_CONTENT_START), text.rfind("</article>")
    if not 0 <= start < end:
        return []
    sidebars = text.find(_SIDEBARS_START, 0, start)
    return [*([(sidebars, start, True)] if sidebars >= 0 else []), (start, end, False)]


def scripts_in(
    content_html: str, allowed_tags: tuple[str, ...], refused: frozenset[str] = REMOVED_WITH_CONTENT
) -> list[str]:
    """What in a part of a built page made from the content could run code: a last look at the
    output, since a story's Markdown is rendered by the other engine here, after `check` told
    editors of anything the sanitizer would remove. Read as a browser reads it (lexbor)."""
    found: list[str] = []
    root = LexborHTMLParser(content_html).body
    for node in root.traverse() if root is not None else ():
        tag = node.tag or ""
        if tag in refused and tag not in allowed_tags and tag not in {"title", "noscript"}:
            # Past the sanitizer already: a tag that cannot run code is named as found in the page.
            in_page = _("<{tag}> is in the page, but not allowed in a story")
            found.append(tag_message(tag) if tag in CODE_TAGS else in_page.format(tag=tag))
        for name, value in node.attributes.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(attribute_message(name, on_tag(tag)))
            elif name in ("href", "src", "action", "formaction", "xlink:href") and value:
                # Remote images are the source check's to report: here only what could run code.
                problem = url_problem(tag, name, value, allow_remote_images=True)
                if problem:
                    found.append(f'{name}="{value.strip()[:30]}" {on_tag(tag)}: {problem}')
    return found
