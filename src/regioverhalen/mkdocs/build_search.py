"""Search for `mkdocs build`: Pagefind indexes each story as soon as its text is rendered, and
every other page marked for it once it is put in its template; the index is written before
the site is published. A story's page shows the article rendered for Pagefind rather than
rendering it a second time, if it is made of the same values."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import jinja2.meta
from jinja2 import nodes
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from regioverhalen.content.messages import _
from regioverhalen.mkdocs import compiled_templates
from regioverhalen.mkdocs.search_index import SearchIndex, SearchIndexError
from regioverhalen.site.pages import Site

log = get_plugin_logger(__name__)

#: The name under which story pages find the article rendered for Pagefind (theme/verhaal.html).
ARTICLE_GLOBAL = "regioverhalen_story_article"
#: What a story's article is rendered from as soon as its text is: if its template (maybe the
#: site's own) needs anything else, Pagefind is given the finished page instead.
ARTICLE_VALUES = frozenset({"verhaal", "page", "base_url"})


class _Article(NamedTuple):
    """A story's article as rendered for Pagefind, and the values it was rendered with."""

    card: dict[str, Any]
    card_text: str  # repr of the card then: another plugin may change it in place
    content: str
    base_url: str
    html: Markup


class BuildSearch:
    """A Pagefind index made during one build, fed by the page hooks; does nothing unless started."""

    def __init__(self) -> None:
        self._index: SearchIndex | None = None
        self._has_stories = False
        self._story_article: jinja2.Template | None = None
        self._story_document: jinja2.Template | None = None
        self._language = "en"
        self._articles: dict[str, _Article] = {}  # by the story page's src_uri
        self._stories_early = False  # whether stories go to Pagefind as soon as their text is rendered
        self._alike: bool | None = None  # whether MkDocs renders the article as it was rendered here
        self.articles_reused = 0  # story pages of the last build that showed their article from here

    def start(self, root: Path, config: MkDocsConfig, site: Site, *, serving: bool) -> None:
        """Start Pagefind for this build, if the site has search (from on_nav: the theme's
        folders are known). Under `mkdocs serve` the index is made after each build instead."""
        self.close()  # a previous build's, had it failed before its end
        self.articles_reused = 0
        self._alike, self._story_article = None, None
        if serving or not site.settings.pagefind:
            return
        try:
            self._index = SearchIndex(root)
        except SearchIndexError as error:
            raise PluginError(_("search indexing failed: {error}").format(error=error)) from None
        #: Whether the site publishes stories; each goes to Pagefind when its text is rendered.
        self._has_stories = bool(site.content.stories)
        # The part of a story page that Pagefind indexes, from the template the page uses.
        templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(config.theme.dirs),
            auto_reload=False,
            bytecode_cache=compiled_templates.COMPILED,
        )
        needs = _needs_beyond(templates, "partials/verhaal-artikel.html", ARTICLE_VALUES)
        self._stories_early = not needs
        if needs:
            log.debug(f"search: the story article template needs {', '.join(needs)}: Pagefind gets the finished pages")
            return
        self._story_article = templates.get_template("partials/verhaal-artikel.html")
        self._story_document = templates.get_template("partials/verhaal-zoekdocument.html")
        self._language = config.theme.get("language") or "en"

    def add_story(self, page: Page, html_text: str, site: Site) -> None:
        """Hand a story to Pagefind as soon as its text is rendered: only its <article> is
        indexed (data-pagefind-body), so the rest of the page is not needed. MkDocs renders the
        text of every page before it puts any page in its template; fed the finished pages,
        Pagefind would get its first one late in the build."""
        if self._index is None or not self._stories_early:
            return
        assert self._story_article is not None and self._story_document is not None
        card = site.card(page.file.src_uri)
        if card is None or site.story_for(page.file.src_uri) is None:
            return
        base_url = get_relative_url(".", page.url)
        article = Markup(self._story_article.render(verhaal=card, page={"content": html_text}, base_url=base_url))
        self._articles[page.file.src_uri] = _Article(card, repr(card), html_text, base_url, article)
        document = self._story_document.render(artikel=article, language=self._language)
        self._index.add_page(document, page.file.dest_uri)

    def add_page(self, output: str, page: Page, site: Site) -> None:
        """A page once in its template, unless it is a story added by `add_story`. Once any page
        marks what is to be indexed (data-pagefind-body, as every story's article does), Pagefind
        leaves out the pages that do not: they are not sent."""
        if self._index is None:
            return
        if self._stories_early:
            if site.story_for(page.file.src_uri) is not None:
                return  # added with its text
            if self._has_stories and "data-pagefind-body" not in output:
                return  # Pagefind would leave it out
        self._index.add_page(output, page.file.dest_uri)

    def stories_rendered(self, env: jinja2.Environment, site_dir: Path) -> None:
        """Every story's text is rendered (on_env): Pagefind makes the index while MkDocs puts the
        pages in their templates (a page marked for it after all is added later), and the story
        pages can take their articles from here if they would render them the same way."""
        env.globals[ARTICLE_GLOBAL] = self._article
        if self._index is not None and self._has_stories and self._stories_early:
            self._index.start_writing(site_dir / "pagefind")

    def card(self, page: Page, site: Site) -> dict[str, Any] | None:
        """A story page's card for its template: the one its article for Pagefind was rendered
        from, if there is one (a card is made anew at each call)."""
        article = self._articles.get(page.file.src_uri)
        return article.card if article is not None else site.card(page.file.src_uri)

    @jinja2.pass_environment
    def _article(self, env: jinja2.Environment, card: Any, page: Any, base_url: Any) -> Markup | None:
        """The article `verhaal-artikel.html` would render for this story page, if it was rendered
        for Pagefind from this card, the same text and the same base URL, in the same way;
        otherwise None, and the page renders it. Another plugin may have changed the text, the
        card or the environment since."""
        src_uri = getattr(getattr(page, "file", None), "src_uri", None)
        article = self._articles.pop(src_uri, None) if isinstance(src_uri, str) else None  # shown once
        if article is not None and self._alike is None:
            self._alike = self._renders_alike(env)
        if not self._alike:
            return None
        if article is None or card is not article.card or base_url != article.base_url:
            return None
        if repr(card) != article.card_text:
            return None
        if getattr(page, "content", None) != article.content:
            return None
        self.articles_reused += 1
        return article.html

    def _renders_alike(self, env: jinja2.Environment) -> bool:
        """Whether MkDocs' environment renders the story article as it was rendered for Pagefind:
        the same template file, syntax and output settings, and Jinja's own filters, tests and
        globals (another plugin may have changed any of them)."""
        if self._story_article is None:
            return False
        try:
            same_file = env.get_template("partials/verhaal-artikel.html").filename == self._story_article.filename
        except jinja2.TemplateError:
            return False
        plain = self._story_article.environment
        return (
            same_file
            and compiled_templates.rendering_settings(env) == compiled_templates.rendering_settings(plain)
            and env.finalize is plain.finalize
            and all(name.startswith("jinja2.ext.") for name in env.extensions)
            and all(
                functions.get(name) is function
                for functions, plains in (
                    (env.filters, plain.filters),
                    (env.tests, plain.tests),
                    (env.globals, plain.globals),
                )
                for name, function in plains.items()
            )
        )

    def write(self, site_dir: Path) -> None:
        """Write the index into the built site; the build's search is over then."""
        self._articles = {}
        index, self._index = self._index, None
        if index is None:
            return
        log.debug(f"search: {self.articles_reused} story pages showed the article rendered for Pagefind")
        try:
            index.write(site_dir / "pagefind")
        except SearchIndexError as error:
            raise PluginError(_("search indexing failed: {error}").format(error=error)) from None

    def close(self) -> None:
        self._articles = {}
        index, self._index = self._index, None
        if index is not None:
            index.close()


def _needs_beyond(env: jinja2.Environment, name: str, values: frozenset[str]) -> list[str]:
    """What template `name` needs beyond `values` and Jinja's own filters and tests: other
    variables, globals or functions, filters or tests a plugin adds (MkDocs' `url`), other
    templates. Empty if it renders from `values` alone in a plain environment."""
    assert env.loader is not None
    try:
        parsed = env.parse(env.loader.get_source(env, name)[0])
    except jinja2.TemplateError as error:
        return [f"a template that does not compile ({error})"]
    filters = {node.name for node in parsed.find_all(nodes.Filter)} - set(env.filters)
    tests = {node.name for node in parsed.find_all(nodes.Test)} - set(env.tests)
    needs = [f"filter {name}" for name in sorted(filters)] + [f"test {name}" for name in sorted(tests)]
    if needs:  # the variables are found by compiling, which fails on a filter it does not know
        return needs
    try:
        needs = sorted(jinja2.meta.find_undeclared_variables(parsed) - values)
    except jinja2.TemplateError as error:
        return [f"a template that does not compile ({error})"]
    if _page_beyond_content(parsed):
        needs.append("page beyond page.content")
    needs += [f"template {other or '(computed)'}" for other in jinja2.meta.find_referenced_templates(parsed)]
    return needs


def _page_beyond_content(parsed: nodes.Template) -> bool:
    """Whether the template reads anything of `page` but its text: the article for Pagefind is
    rendered with the page's text alone, before MkDocs has the rest of the page ready."""
    loads = sum(1 for name in parsed.find_all(nodes.Name) if name.name == "page" and name.ctx == "load")
    return loads > sum(1 for node in parsed.find_all((nodes.Getattr, nodes.Getitem)) if _page_content(node))


def _page_content(node: nodes.Node) -> bool:
    """Whether `node` is `page.content` or `page["content"]`."""
    if isinstance(node, nodes.Getattr):
        key = node.attr
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        key = node.arg.value
    else:
        return False
    subject = node.node
    return isinstance(subject, nodes.Name) and subject.name == "page" and key == "content"
