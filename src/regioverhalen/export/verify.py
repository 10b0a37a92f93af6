"""After `zensical build` of an exported project: the search index, and the site's guarantees.

`finish_site` is the one place where the built site is checked before it is published; the
output scans that the MkDocs build runs are to be called from `check_built_site` as well.
"""

from __future__ import annotations

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
    """Check the built site, then (only if it passes) index it for search."""
    report = check_built_site(site_dir, content, allowed_html_tags)
    if not report.problems and search:
        error = run_pagefind(site_dir)
        if error:
            report.problems.append(f"{site_dir.as_posix()}:1:1: error: search indexing failed: {error}")
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
            found = find_unsafe_rendered(_page_text(text), allowed_html_tags)
            report.problems += [f"{shown}:1:1: error: {message}" for message in found]
    return report


def _page_text(page: str) -> str:
    """The part of a built page that comes from the content: the engine's own scripts are not it."""
    start, end = page.find('<article class="md-content__inner'), page.rfind("</article>")
    return page[start:end] if 0 <= start < end else ""


def pagefind_command(site_dir: Path) -> list[str]:
    """Pagefind over a built site, as the plugin's index is made: the language from each page's
    `lang`, only what a story marks with data-pagefind-body, into /pagefind/."""
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]


def run_pagefind(site_dir: Path) -> str:
    """Index the built site; what Pagefind said if it failed, else ""."""
    result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, check=False)
    return "" if result.returncode == 0 else (result.stderr.strip() or result.stdout.strip() or "exit status 1")
