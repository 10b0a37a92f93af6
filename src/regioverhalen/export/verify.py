"""After `zensical build` of an exported project: the search index, and the site's guarantees.

`finish_site` is the one place where an exported site is checked after its build and before
it is published: the same output consent scan as the MkDocs build's (`site.output_scan`), and
a last look for scripts in every page's content. The pages themselves come from the same
`site.pages` code as the plugin's, so what is made safe there is safe in both builds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from regioverhalen.content.loading import Content
from regioverhalen.content.safety import find_unsafe_rendered
from regioverhalen.site.output_scan import scan_site

#: Text files of the built site that a reader (or a crawler) can see.
PUBLISHED_TEXT_SUFFIXES = frozenset({".html", ".htm", ".txt", ".xml", ".json", ".csv", ".svg"})
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
            report.problems.append(f"{site_dir.as_posix()}:1:1: error: search indexing failed: {said}")
    if report.problems:
        shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    return report


def check_built_site(site_dir: Path, content: Content, allowed_html_tags: tuple[str, ...]) -> SiteReport:
    """The built site's guarantees: no name without consent in anything it holds (read as readers
    and search engines get it), no script in any page's content."""
    report = SiteReport()
    report.problems += [str(problem) for problem in scan_site(site_dir, content.hidden_names, shown_as=str(site_dir))]
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if path.suffix.lower() not in PUBLISHED_TEXT_SUFFIXES or relative.startswith(_SKIPPED_DIRS):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        shown = (site_dir / relative).as_posix()
        if path.suffix.lower() in (".html", ".htm"):
            start, end = text.find(_CONTENT_START), text.rfind("</article>")
            if 0 <= start < end:
                line = text.count("\n", 0, start) + 1
                column = start - text.rfind("\n", 0, start)
                found = find_unsafe_rendered(text[start:end], allowed_html_tags)
                report.problems += [f"{shown}:{line}:{column}: error: {message}" for message in found]
    return report


#: Where the part of a built page that comes from the content starts (the engine's own
#: scripts are outside it); the problems found in it are reported at this element.
_CONTENT_START = '<article class="md-content__inner'


def pagefind_command(site_dir: Path) -> list[str]:
    """Pagefind over a built site, as the plugin's index is made: the language from each page's
    `lang`, only what a story marks with data-pagefind-body, into /pagefind/."""
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
