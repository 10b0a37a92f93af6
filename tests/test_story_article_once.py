"""A story's article is rendered once per build: the page shows the article rendered for
Pagefind, unless another plugin changed the page's text or card after it was rendered; then
the page renders its own, with the change."""

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
REUSED = "regioverhalen: search: {count} story pages showed the article rendered for Pagefind"

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


def _articles(site_dir: Path, part: re.Pattern[str] = ARTICLE) -> dict[str, str]:
    return {
        slug: match.group(0)
        for slug in SLUGS
        if (match := part.search((site_dir / "verhalen" / slug / "index.html").read_text(encoding="utf-8")))
    }


def _reused(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "showed the article rendered for Pagefind" in r.getMessage()]


def test_every_story_page_shows_the_article_rendered_for_pagefind_as_it_would_render_it(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _site(site, "none")
    rendered_here = _articles(site.build(), CONTENT)
    _site(site, "pagefind")
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.regioverhalen"):
        taken = _articles(site.build(), CONTENT)
    assert _reused(caplog) == [REUSED.format(count=len(SLUGS))]
    assert sorted(rendered_here) == SLUGS
    assert all(ARTICLE.search(content) for content in rendered_here.values())
    assert taken == rendered_here


def test_a_story_whose_text_or_card_another_plugin_changed_renders_its_own_article(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _site(site, "pagefind", extra_yml="hooks: [hooks.py]\n")
    site.write("hooks.py", HOOKS)
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.regioverhalen"):
        articles = _articles(site.build())
    assert _reused(caplog) == [REUSED.format(count=1)]
    assert "Toegevoegd door een andere plugin." in articles["beek"]
    assert '<h1 data-pagefind-meta="title">Een titel van een andere plugin</h1>' in articles["dijk"]
    assert 'data-pagefind-meta="summary">Een samenvatting van een andere plugin</p>' in articles["veld"]
    assert '<h1 data-pagefind-meta="title">Verhaal akker</h1>' in articles["akker"]


@pytest.mark.parametrize(
    ("template_part", "shown", "needs"),
    [
        ("<p>Uit {{ config.site_name }}</p>", "<p>Uit Testregio's</p>", "config"),
        # A filter MkDocs adds: the article cannot be rendered without MkDocs' environment.
        (
            "<a href=\"{{ 'regios/' | url }}\">Alle regio's</a>",
            '<a href="../../regios/">Alle regio\'s</a>',
            "filter url",
        ),
        # The article for Pagefind is rendered with the page's text alone.
        ("{% if page.title %}<p>Met titel</p>{% endif %}", "<p>Met titel</p>", "page beyond page.content"),
        ('{% include "partials/rv-erbij.html" %}', "<p>Erbij</p>", "template partials/rv-erbij.html"),
    ],
    ids=["variable", "filter", "page-title", "include"],
)
def test_a_site_s_own_article_template_that_needs_more_than_the_story_renders_on_every_page(
    site: SiteDir, caplog: pytest.LogCaptureFixture, template_part: str, shown: str, needs: str
) -> None:
    _site(site, "pagefind")
    yml = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", yml.replace("  language: nl\n", "  language: nl\n  custom_dir: overrides\n"))
    site.write(
        "overrides/partials/verhaal-artikel.html",
        '<article class="rv-story" data-pagefind-body><h1>{{ verhaal.title }}</h1>'
        f"{template_part}{{{{ page.content }}}}</article>\n",
    )
    site.write("overrides/partials/rv-erbij.html", "<p>Erbij</p>")
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.regioverhalen"):
        built = site.build()
    told = f"regioverhalen: search: the story article template needs {needs}: Pagefind gets the finished pages"
    assert told in [r.getMessage() for r in caplog.records]
    assert _reused(caplog) == [REUSED.format(count=0)]
    articles = _articles(built)
    assert sorted(articles) == SLUGS
    assert all(shown in article for article in articles.values())
    # Pagefind was given the finished story pages: their articles alone are indexed.
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["nl"]["page_count"] == len(SLUGS)


#: Another plugin's hooks that change, after the plugin's turn, how MkDocs renders the article
#: or what it is rendered with; each with the site's own article template it needs, if any.
CHANGES_AFTER = {
    "filter": (
        "def on_env(env, config, files):\n    env.filters['unique'] = lambda values: ['Eigen']\n    return env\n",
        None,
    ),
    "test": (
        "def on_env(env, config, files):\n    env.tests['string'] = lambda value: False\n    return env\n",
        '<article class="rv-story" data-pagefind-body>{% if verhaal.title is string %}<h1>{{ verhaal.title }}</h1>'
        "{% endif %}{{ page.content }}</article>\n",
    ),
    "autoescape": ("def on_env(env, config, files):\n    env.autoescape = True\n    return env\n", None),
    "whitespace": ("def on_env(env, config, files):\n    env.trim_blocks = True\n    return env\n", None),
    "template-file": (
        "import jinja2\n\n\ndef on_env(env, config, files):\n"
        "    article = '<article class=\"rv-story\">Een ander artikel</article>'\n"
        "    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({'partials/verhaal-artikel.html': article}), env.loader])\n"
        "    return env\n",
        None,
    ),
    "base-url": (
        "def on_page_context(context, page, config, nav):\n    context['base_url'] = '/elders'\n    return context\n",
        None,
    ),
}


@pytest.mark.parametrize("change", CHANGES_AFTER)
def test_a_page_renders_its_own_article_when_another_plugin_changed_how_after_the_plugin_s_turn(
    site: SiteDir, caplog: pytest.LogCaptureFixture, change: str
) -> None:
    hook, own_article = CHANGES_AFTER[change]
    site.write(
        "hooks.py",
        "from mkdocs.plugins import event_priority\n\n\n" + hook.replace("def ", "@event_priority(-200)\ndef ", 1),
    )
    extra_yml = "hooks: [hooks.py]\n"
    if own_article is not None:
        site.write("overrides/partials/verhaal-artikel.html", own_article)
    _site(site, "none", extra_yml=extra_yml)
    if own_article is not None:
        yml = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
        site.write("mkdocs.yml", yml.replace("  language: nl\n", "  language: nl\n  custom_dir: overrides\n"))
    rendered_here = _articles(site.build(), CONTENT)
    (site.root / "mkdocs.yml").write_text(
        (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace("search: none", "search: pagefind"),
        encoding="utf-8",
    )
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.regioverhalen"):
        built = _articles(site.build(), CONTENT)
    assert _reused(caplog) == [REUSED.format(count=0)]
    assert sorted(rendered_here) == SLUGS
    assert built == rendered_here
