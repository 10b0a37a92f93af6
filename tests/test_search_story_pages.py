"""With Pagefind, `mkdocs build` hands each story's article to Pagefind as soon as its text is
rendered; the story pages themselves are rendered as in a build without search, other plugins'
changes included. A site with its own article template gives Pagefind the finished pages."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from conftest import MKDOCS_YML, SiteDir

SLUGS = ["akker", "beek", "dijk", "veld"]
ARTICLE = re.compile(r'<article class="rv-story".*?</article>', re.S)
CONTENT = re.compile(r'<div class="md-content".*?</main>', re.S)
FINISHED = "regioverhalen: search: the site's own partials/{name} is used, so Pagefind gets the finished story pages"
EARLY = "regioverhalen: search: {count} stories given to Pagefind as soon as their text was rendered"

#: Another site's hooks, run after the plugin: one changes a story's text, one replaces its
#: card, one changes the card in place.
HOOKS = """\
import copy

from mkdocs.plugins import event_priority


@event_priority(-200)
def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith("beek.md"):
        return html + "<p>Toegevoegd door een andere plugin.</p>"
    return html


@event_priority(-200)
def on_page_context(context, page, config, nav):
    if page.file.src_uri.endswith("dijk.md"):
        card = copy.deepcopy(context["verhaal"])
        card["title"] = "Een titel van een andere plugin"
        context["verhaal"] = card
    if page.file.src_uri.endswith("veld.md"):
        context["verhaal"]["summary"] = "Een samenvatting van een andere plugin"
    return context
"""


def _site(site: SiteDir, search: str, extra_yml: str = "") -> None:
    site.region("achterhoek")
    for slug in SLUGS:
        site.story(slug, "achterhoek")
    plugin = f"  - regioverhalen:\n      search: {search}\n"
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", plugin) + extra_yml)


def _parts(site_dir: Path, part: re.Pattern[str]) -> dict[str, str]:
    return {
        slug: match.group(0)
        for slug in SLUGS
        if (match := part.search((site_dir / "verhalen" / slug / "index.html").read_text(encoding="utf-8")))
    }


def _indexed_pages(site_dir: Path) -> int:
    entry = json.loads((site_dir / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return int(entry["languages"]["nl"]["page_count"])


def _debug(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if "search:" in record.getMessage()]


def _with_overrides(site: SiteDir, templates: dict[str, str]) -> None:
    yml = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", yml.replace("  language: nl\n", "  language: nl\n  custom_dir: overrides\n"))
    for name, source in templates.items():
        site.write(f"overrides/partials/{name}", source)


def test_story_pages_are_as_without_search_and_show_what_other_plugins_changed(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _site(site, "none", extra_yml="hooks: [hooks.py]\n")
    site.write("hooks.py", HOOKS)
    without_search = _parts(site.build(), CONTENT)
    _site(site, "pagefind", extra_yml="hooks: [hooks.py]\n")
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.regioverhalen"):
        built = site.build()
    assert _debug(caplog) == [EARLY.format(count=len(SLUGS))]
    assert _parts(built, CONTENT) == without_search
    articles = _parts(built, ARTICLE)
    assert sorted(articles) == SLUGS
    assert "Toegevoegd door een andere plugin." in articles["beek"]
    assert '<h1 data-pagefind-meta="title">Een titel van een andere plugin</h1>' in articles["dijk"]
    assert 'data-pagefind-meta="summary">Een samenvatting van een andere plugin</p>' in articles["veld"]
    assert '<h1 data-pagefind-meta="title">Verhaal akker</h1>' in articles["akker"]
    assert _indexed_pages(built) == len(SLUGS)


def test_a_site_that_overrides_other_partials_still_gives_pagefind_each_story_early(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _site(site, "pagefind")
    _with_overrides(site, {"footer.html": "<footer>Onze eigen voet</footer>\n"})
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.regioverhalen"):
        built = site.build()
    assert _debug(caplog) == [EARLY.format(count=len(SLUGS))]
    assert _indexed_pages(built) == len(SLUGS)


#: A site's own article: what only MkDocs' rendering of the page has (the configuration and
#: its `url` filter); one marked for Pagefind and one not.
OWN_ARTICLE = (
    '<article class="rv-story"{marked}><h1>{{{{ verhaal.title }}}}</h1><p>Uit {{{{ config.site_name }}}}, '
    "<a href=\"{{{{ 'regios/' | url }}}}\">alle regio's</a></p>{{{{ page.content }}}}</article>\n"
)


@pytest.mark.parametrize(
    ("templates", "named", "indexed"),
    [
        ({"verhaal-artikel.html": OWN_ARTICLE.format(marked=" data-pagefind-body")}, "verhaal-artikel.html", 4),
        # Unmarked, every page is indexed whole: the stories, the listings, the home page.
        ({"verhaal-artikel.html": OWN_ARTICLE.format(marked="")}, "verhaal-artikel.html", None),
        # The document the plugin hands a story to Pagefind in, written for the site.
        (
            {"verhaal-zoekdocument.html": '<html lang="{{ config.theme.language }}"><body>{{ artikel }}</body></html>'},
            "verhaal-zoekdocument.html",
            4,
        ),
    ],
    ids=["own-article", "own-article-unmarked", "own-search-document"],
)
def test_a_site_s_own_story_template_gives_pagefind_the_finished_pages(
    site: SiteDir, caplog: pytest.LogCaptureFixture, templates: dict[str, str], named: str, indexed: int | None
) -> None:
    _site(site, "pagefind")
    _with_overrides(site, templates)
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.regioverhalen"):
        built = site.build()
    assert _debug(caplog) == [FINISHED.format(name=named), EARLY.format(count=0)]
    articles = _parts(built, ARTICLE)
    assert sorted(articles) == SLUGS
    if "verhaal-artikel.html" in templates:
        assert all("<p>Uit Testregio's, <a href=\"../../regios/\">alle regio's</a></p>" in a for a in articles.values())
    pages = len([page for page in built.rglob("*.html") if page.name != "404.html"])  # MkDocs' 404 is no page
    assert _indexed_pages(built) == (indexed if indexed is not None else pages)
