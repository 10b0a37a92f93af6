"""After `zensical build` of an exported project: the search index, and the site's guarantees.

`finish_site` is the one place where an exported site is checked after its build and before
it is published. The output consent scan (`site.output_scan.scan_site(site_dir, ...)`) and the
HTML sanitizer being written for the MkDocs build plug in at `check_built_site`; until then it
looks for names without consent in every published text file and for scripts in every page.
The pages themselves come from the same `site.pages` code as the plugin's, so a sanitizer there
covers both builds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from regioverhalen.content.loading import Content
from regioverhalen.content.problems import Problem, consent_message
from regioverhalen.content.safety import find_unsafe_rendered

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
    """The built site's guarantees: no name without consent in any published text file, no
    script in any page. The output consent scan and the HTML sanitizer that the MkDocs build
    gets are to be called here too, on the same folder."""
    report = SiteReport()
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if path.suffix.lower() not in PUBLISHED_TEXT_SUFFIXES or relative.startswith(_SKIPPED_DIRS):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        shown = (site_dir / relative).as_posix()
        for line, column, pid in content.hidden_names.find(text):
            report.problems.append(str(Problem(shown, line, column, consent_message(pid))))
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
