"""After `zensical build` of an exported project: the search index, and the site's guarantees.

`finish_site` is the one place where an exported site is checked after its build and before
it is published: the same output consent scan as the MkDocs build's (`site.output_scan`), and
a last look for scripts in every page's content. The pages themselves come from the same
`site.pages` code as the plugin's, so what is made safe there is safe in both builds.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from regioverhalen.content.html_check import CODE_TAGS, attribute_message, on_tag, tag_message
from regioverhalen.content.html_policy import REMOVED_WITH_CONTENT, url_problem
from regioverhalen.content.loading import Content
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.site.output_scan import scan_site
from regioverhalen.site.search_command import pagefind_command

#: The built site's pages: the names in every other file are the output scan's.
PAGE_SUFFIXES = frozenset({".html", ".htm"})
#: Made by the engine from our pages, or by Pagefind: their text is that of the pages.
_SKIPPED_DIRS = ("pagefind/", "assets/javascripts/", "assets/stylesheets/")


@dataclass
class SiteReport:
    """Problems found in a built site, each as `path:line:col: error: message`."""

    problems: list[str] = field(default_factory=list)


def finish_site(site_dir: Path, content: Content, allowed_html_tags: tuple[str, ...], *, search: bool) -> SiteReport:
    """Check the built site and index it for search; a site that fails the checks keeps no index.
    Pagefind runs in its own process while the pages are checked here, on the second core."""
    pagefind = None
    if search:
        shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
        pagefind = subprocess.Popen(
            pagefind_command(site_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    report = check_built_site(site_dir, content, allowed_html_tags)
    if pagefind is not None:
        out, err = pagefind.communicate()
        if pagefind.returncode != 0:
            said = err.strip() or out.strip() or f"exit status {pagefind.returncode}"
            report.problems.append(str(Problem(site_dir.as_posix(), 1, 1, f"search indexing failed: {said}")))
    if report.problems:
        shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    return report


def _zensical_assets() -> tuple[Path, ...]:
    """Zensical's own scripts and styles, as it ships them: they hold no site's text."""
    spec = importlib.util.find_spec("zensical")
    if spec is None or not spec.submodule_search_locations:
        return ()
    assets = Path(next(iter(spec.submodule_search_locations))) / "templates" / "assets"
    return (assets,) if assets.is_dir() else ()


def check_built_site(site_dir: Path, content: Content, allowed_html_tags: tuple[str, ...]) -> SiteReport:
    """The built site's guarantees: no name without consent in anything it holds (read as readers
    and search engines get it), no script in any page's content."""
    report = SiteReport()
    named = scan_site(site_dir, content.hidden_names, shown_as=str(site_dir), shipped=_zensical_assets())
    report.problems += [str(problem) for problem in named]
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if path.suffix.lower() not in PAGE_SUFFIXES or relative.startswith(_SKIPPED_DIRS):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        start, end = text.find(_CONTENT_START), text.rfind("</article>")
        if 0 <= start < end:
            line = text.count("\n", 0, start) + 1
            column = start - text.rfind("\n", 0, start)
            found = scripts_in(text[start:end], allowed_html_tags)
            shown = (site_dir / relative).as_posix()
            report.problems += [str(Problem(shown, line, column, message)) for message in found]
    return report


#: Where the part of a built page that comes from the content starts (the engine's own
#: scripts are outside it); the problems found in it are reported at this element.
_CONTENT_START = '<article class="md-content__inner'


def scripts_in(content_html: str, allowed_tags: tuple[str, ...]) -> list[str]:
    """What in a built page's content could run code: a last look at the output, since a story's
    Markdown is rendered by the other engine here, after `check` told editors of anything the
    sanitizer would remove. Read as a browser reads it (lexbor)."""
    found: list[str] = []
    root = LexborHTMLParser(content_html).body
    for node in root.traverse() if root is not None else ():
        tag = node.tag or ""
        if tag in REMOVED_WITH_CONTENT and tag not in allowed_tags and tag not in {"title", "noscript"}:
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
