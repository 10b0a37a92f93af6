"""`regioverhalen export` + `zensical build`: the same site as the plugin's MkDocs build, without the plugin.

The sample site is built both ways (once per session): every page URL, every story's visible text,
the feeds and open data are compared between the two builds.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from selectolax.lexbor import LexborHTMLParser

from conftest import SiteDir, check_summary, not_published_type
from exported_site import ExportedSite, build_exported_site, regioverhalen, zensical_build
from regioverhalen.content.collection import Content, ContentPaths
from regioverhalen.content.html_policy import CONTRIBUTED_END, CONTRIBUTED_START
from regioverhalen.content.loading import load_content
from regioverhalen.content.messages import use_language
from regioverhalen.export import project
from regioverhalen.export.project import EXPORT_TEMPLATES_DIR, MARKER_FILE, finish_export
from regioverhalen.export.story import AFTER_KEY, BEFORE_KEY, PAGE_TEMPLATE, STORY_TEMPLATE
from regioverhalen.export.verify import sanitize_contributed_text, scripts_in
from regioverhalen.site.navigation import navigation
from regioverhalen.site.pages import build_site
from regioverhalen.site.settings import read_settings
from sample_site import Sources, read_sources

#: Files each engine makes for itself: its sitemap, its own search index, its caches.
ENGINE_FILES = re.compile(r"^(sitemap\.xml(\.gz)?|search\.json|search/search_index\.json|404\.html)$")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> ExportedSite:
    return build_exported_site(tmp_path_factory)


@pytest.fixture(scope="module")
def sources(exported: ExportedSite) -> Sources:
    return read_sources(exported.root)


def page_urls(site_dir: Path) -> set[str]:
    return {
        p.relative_to(site_dir).as_posix().removesuffix("index.html")
        for p in site_dir.rglob("*.html")
        if not ENGINE_FILES.match(p.relative_to(site_dir).as_posix())
    }


def published_files(site_dir: Path) -> dict[str, bytes]:
    """Feeds and open data: every .xml and data/*.json but the sitemap."""
    found = [*site_dir.rglob("*.xml"), *(site_dir / "data").glob("*.json")]
    return {
        p.relative_to(site_dir).as_posix(): p.read_bytes()
        for p in found
        if not ENGINE_FILES.match(p.relative_to(site_dir).as_posix())
    }


def visible(element: object) -> str:
    """An element's text as a reader sees it, whitespace collapsed, permalink signs left out."""
    assert element is not None
    text = element.get_text(" ")  # type: ignore[attr-defined]
    return " ".join(text.replace("¶", " ").split())


def finished_here(exported: ExportedSite, project: Path) -> list[str]:
    """What `export --finish` reports on an exported project, run in this process and without
    Pagefind's index (whose files it removes when it reports anything)."""
    return finish_export(exported.root / "mkdocs.yml", project, search=False)


def line_and_column(text: str, at: int) -> tuple[int, int]:
    """Where `at` is in a file's text, as problems name it (both from 1)."""
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def soup(site_dir: Path, url: str) -> BeautifulSoup:
    """A built page; glossary explanations taken out, as only the MkDocs build marks terms."""
    page = BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    for explanation in page.select("span.rv-begrip__uitleg"):
        explanation.decompose()
    for term in page.select("a.rv-begrip__woord"):
        term.unwrap()
    for term in page.select("span.rv-begrip"):
        term.unwrap()
    page.smooth()  # the unwrapped words join their neighbours again, as in the unmarked page
    return page


def test_zensical_builds_the_export_with_no_warning(exported: ExportedSite) -> None:
    assert "No issues found" in exported.build_output
    assert "warning" not in exported.build_output.lower()


def test_every_page_of_the_mkdocs_build_is_at_the_same_url(exported: ExportedSite, sources: Sources) -> None:
    mkdocs_urls = page_urls(exported.mkdocs_site)
    assert {s.url for s in sources.published} <= mkdocs_urls
    assert {"", "regios/", "doorbraken/", "lessen/", "themas/", "zoeken/"} <= mkdocs_urls
    assert page_urls(exported.zensical_site) == mkdocs_urls


def test_feeds_and_open_data_are_byte_identical(exported: ExportedSite, sources: Sources) -> None:
    mkdocs_files = published_files(exported.mkdocs_site)
    assert {"feed.xml", "data/stories.json", "data/regions.json"} <= mkdocs_files.keys()
    assert {f"regios/{rid}/feed.xml" for rid in sources.regions} <= mkdocs_files.keys()
    assert published_files(exported.zensical_site) == mkdocs_files
    assert (exported.zensical_site / "assets" / "regioverhalen.css").read_bytes() == (
        exported.mkdocs_site / "assets" / "regioverhalen.css"
    ).read_bytes()


def test_every_story_page_shows_the_same_title_summary_card_and_text(exported: ExportedSite, sources: Sources) -> None:
    for story in sources.published:
        mkdocs_page, zensical_page = soup(exported.mkdocs_site, story.url), soup(exported.zensical_site, story.url)
        article = zensical_page.select_one("article#rv-verhaal")
        assert article is not None, story.url
        assert visible(article.select_one("h1")) == story.title
        assert visible(article.select_one(".rv-story__summary")) == " ".join(str(story.meta["summary"]).split())
        assert visible(article.select_one("aside.rv-metacard")) == visible(mkdocs_page.select_one("aside.rv-metacard"))
        assert visible(article.select_one(".rv-story__body")) == visible(mkdocs_page.select_one(".rv-story__body"))
        assert visible(article) == visible(mkdocs_page.select_one("article#rv-verhaal"))
        assert visible(zensical_page.select_one("nav.rv-more") or zensical_page.new_tag("p")) == visible(
            mkdocs_page.select_one("nav.rv-more") or mkdocs_page.new_tag("p")
        ), story.url
        assert visible(zensical_page.title) == visible(mkdocs_page.title)


@pytest.mark.parametrize(
    "url", ["", "regios/", "regios/achterhoek/", "doorbraken/", "lessen/", "themas/", "themas/water/"]
)
def test_generated_pages_show_the_same_text(exported: ExportedSite, url: str) -> None:
    mkdocs_page, zensical_page = soup(exported.mkdocs_site, url), soup(exported.zensical_site, url)
    assert visible(zensical_page.select_one("article.md-content__inner")) == visible(
        mkdocs_page.select_one("article.md-content__inner")
    )


def test_generated_links_lead_where_the_mkdocs_build_leads(exported: ExportedSite) -> None:
    for url in ("", "regios/", "regios/achterhoek/", "doorbraken/", "lessen/", "themas/water/"):
        links = {}
        for name, site_dir in (("mkdocs", exported.mkdocs_site), ("zensical", exported.zensical_site)):
            content = soup(site_dir, url).select_one("article.md-content__inner")
            assert content is not None
            links[name] = [a["href"].removeprefix("./") or "." for a in content.select("a[href]")]
        assert links["zensical"] == links["mkdocs"], url


def test_drafts_never_reach_the_export(exported: ExportedSite, sources: Sources) -> None:
    assert sources.drafts
    for draft in sources.drafts:
        assert not (exported.project / "docs" / "verhalen" / f"{draft.slug}.md").exists()
        assert not (exported.zensical_site / draft.url).exists()
        assert draft.title not in (exported.zensical_site / "data" / "stories.json").read_text(encoding="utf-8")


def test_search_index_is_dutch_and_holds_every_story_alone(exported: ExportedSite, sources: Sources) -> None:
    entry = json.loads((exported.zensical_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["nl"]
    assert entry["languages"]["nl"]["page_count"] == len(sources.published)
    search_page = soup(exported.zensical_site, "zoeken/")
    assert search_page.select_one("#rv-zoekresultaten") is not None
    assert search_page.select_one("template#rv-zoekvak") is not None


def test_no_name_without_consent_in_the_zensical_site(exported: ExportedSite, sources: Sources) -> None:
    texts = [
        p.read_text(encoding="utf-8")
        for p in exported.zensical_site.rglob("*")
        if p.suffix in {".html", ".xml", ".json"}
    ]
    for name in sources.secret_names():
        assert not any(name in text for text in texts), name


def test_the_engine_s_own_search_is_off_so_pagefind_s_is_the_only_one(exported: ExportedSite) -> None:
    """Zensical's search would index the pages as it rendered them, before `--finish` sanitizes them."""
    pages = sorted(exported.zensical_site.rglob("*.html"))
    assert pages
    assert [p for p in pages if 'data-md-component="search"' in p.read_text(encoding="utf-8")] == []
    engine_index = exported.zensical_site / "search.json"
    assert not engine_index.exists() or json.loads(engine_index.read_text(encoding="utf-8"))["items"] == []
    assert (exported.zensical_site / "pagefind/pagefind.js").is_file()


@pytest.mark.parametrize("template", [STORY_TEMPLATE, PAGE_TEMPLATE])
def test_the_export_s_templates_mark_the_text_where_finish_looks_for_it(template: str) -> None:
    text = (EXPORT_TEMPLATES_DIR / template).read_text(encoding="utf-8")
    content = f"{CONTRIBUTED_START}{{{{ page.content }}}}{CONTRIBUTED_END}"
    assert f"{{{{ page.meta.{BEFORE_KEY} }}}}{content}{{{{ page.meta.{AFTER_KEY} }}}}" in text


def test_finish_in_a_folder_that_is_no_export_says_to_export_first(exported: ExportedSite, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    result = regioverhalen("export", "--finish", str(elsewhere), "--lang", "en", cwd=exported.root)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"error: {elsewhere}: no built export here; run 'regioverhalen export' and 'zensical build' first\n",
    )


def test_finish_of_an_export_not_built_since_says_to_build_it(exported: ExportedSite, tmp_path: Path) -> None:
    """A new export replaces the folder, its built site too (found by a helper trying the README)."""
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    shutil.rmtree(copy / "site")
    result = regioverhalen("export", "--finish", str(copy), "--lang", "en", cwd=exported.root)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"error: {copy / 'site'}: the export is not built yet; run 'zensical build' in {copy} first\n",
    )


def test_finish_reports_a_name_without_consent_in_the_built_site(
    exported: ExportedSite, sources: Sources, tmp_path: Path
) -> None:
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    secret = sources.secret_names()[0]
    page = copy / "site" / "over-de-cop" / "index.html"
    text = page.read_text(encoding="utf-8")
    end = text.rindex("</article>")
    # A thank-you on a line of its own, in the page's content, as a reader sees it.
    page.write_text(f"{text[:end]}\n<p>Met dank aan {secret}.</p>\n{text[end:]}", encoding="utf-8")
    line = text.count("\n", 0, end) + 2
    result = regioverhalen("export", "--finish", str(copy), cwd=exported.root)
    assert result.returncode == 1
    participant = next(pid for pid, p in sources.participants().items() if p["name"] == secret)
    first = result.stderr.splitlines()[0]
    assert first == (
        # "<p>Met dank aan " is 16 characters: the name starts in column 17.
        f"{copy.as_posix()}/site/over-de-cop/index.html:{line}:17: error: "
        f"names participant '{participant}', who has not consented (public: true); describe them by role instead; "
        "found in the page's text"
    )
    assert result.stderr.splitlines()[-1] == f"{copy.as_posix()}/site: 1 problem(s); do not publish it"


@pytest.mark.parametrize(
    ("injected", "told"),
    [
        ("<script>alert(1)</script>", "<script> is not allowed in a story (it could run code on the site)"),
        # What the report quotes of the page stays on its line.
        (
            '<a href="java\nscript:alert(1)\nx:1:1: ok">a</a>',
            "href=\"java\\nscript:alert(1)\\nx:1:1: ok\" on <a>: 'javascript:' links are not allowed",
        ),
        # Outside the marks, as a story's card: a story page holds nothing that takes over a page.
        ('<base href="https://evil.example/">', "<base> is not allowed in a story (it could run code on the site)"),
    ],
    ids=["script", "link-with-line-breaks", "base"],
)
def test_finish_reports_a_script_in_a_built_story_and_keeps_no_search_index(
    exported: ExportedSite, sources: Sources, tmp_path: Path, injected: str, told: str
) -> None:
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    story = sources.published[0]
    page = copy / "site" / story.url / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('<div class="rv-story__body">', f'<div class="rv-story__body">{injected}', 1))
    result = regioverhalen("export", "--finish", str(copy), cwd=exported.root)
    assert result.returncode == 1
    # Reported at the element that holds the page's content, as the file is written.
    lines = text.splitlines()
    line = next(n for n, content in enumerate(lines, 1) if '<article class="md-content__inner' in content)
    column = lines[line - 1].index("<article") + 1
    assert result.stderr.splitlines() == [
        f"{copy.as_posix()}/site/{story.url}index.html:{line}:{column}: error: {told}",
        f"{copy.as_posix()}/site: 1 problem(s); do not publish it",
    ]
    assert not (copy / "site" / "pagefind").exists()


#: What an engine might render from a story that `check` passed, and what the sanitizer leaves
#: of it. The last look for scripts alone would have let the first two through: a <base> turns
#: the theme's own scripts, loaded after it, into another site's.
ENGINE_SURPRISES = [
    ('<base href="https://example.org/">', ""),
    ('<meta http-equiv="refresh" content="0; url=https://example.org/">', ""),
    ('<img src="x" onerror="alert(1)">', '<img src="x">'),
    ('<form action="https://example.org/"><input name="wachtwoord"></form>', ""),
    ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', ""),
    ('<a href="javascript:alert(1)">lees meer</a>', "<a>lees meer</a>"),
]


def test_finish_passes_what_the_engine_rendered_from_contributors_through_the_sanitizer(
    exported: ExportedSite, sources: Sources, tmp_path: Path
) -> None:
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    # A story's text, and a region's description; outside the marks, a byte that is no UTF-8.
    pages = [copy / "site" / sources.published[0].url / "index.html", copy / "site/regios/achterhoek/index.html"]
    finished = [page.read_bytes() + b"<!-- \xff -->\n" for page in pages]
    start = CONTRIBUTED_START.encode()
    for page, data in zip(pages, finished, strict=True):
        injected = "".join(html for html, _kept in ENGINE_SURPRISES).encode()
        page.write_bytes(data.replace(start, start + injected, 1))
    result = regioverhalen("export", "--finish", str(copy), cwd=exported.root)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout
    kept = "".join(kept for _html, kept in ENGINE_SURPRISES).encode()
    for page, data in zip(pages, finished, strict=True):
        assert page.read_bytes() == data.replace(start, start + kept, 1)
    assert (copy / "site/pagefind/pagefind.js").is_file()


#: Headings whose table-of-contents label Zensical's own clean-up turned into live markup, beside
#: the page's text (found by a reviewing helper): a `>` in a quoted title ends its pattern for a
#: link or an abbreviation early, and an attribute list's `id=` in a title loses its quote.
HEADING_ATTACKS = (
    """## Een <abbr title="x><iframe srcdoc='&lt;script&gt;alert(1)&lt;/script&gt;'></iframe>">t</abbr>\n\n"""
    """## Twee <a href="#een-t" title="x><base href='https://evil.example/'>">t</a>\n\n"""
    """## Drie <abbr title="x><form action='https://evil.example/'><input type=password></form>">t</abbr>\n\n"""
    """## Vier *lezen*{: title="aid=b" } " onmouseover=alert(1) x\n"""
)


def test_a_heading_s_markup_never_reaches_the_table_of_contents(site: SiteDir, tmp_path: Path) -> None:
    site.region("achterhoek")
    story = site.story("koppen", "achterhoek")
    story.write_text(story.read_text(encoding="utf-8") + "\n" + HEADING_ATTACKS, encoding="utf-8")
    region = site.root / "regions/achterhoek.yml"
    description = '\n## Meer *lezen*{: title="aid=b" } " onmouseover=alert(1) x\n'
    region.write_text(
        region.read_text(encoding="utf-8") + "description: |\n" + textwrap.indent(description, "  "), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert regioverhalen("export", str(out), cwd=site.root).returncode == 0
    built = zensical_build(out)
    assert built.returncode == 0, built.stdout + built.stderr
    finished = regioverhalen("export", "--finish", str(out), cwd=site.root)
    assert (finished.returncode, finished.stderr) == (0, ""), finished.stdout
    for url, labels in (
        ("verhalen/koppen/", ['Een ">t', 'Twee ">t', 'Drie ">t', 'Vier lezen " onmouseover=alert(1) x']),
        ("regios/achterhoek/", ['Meer lezen " onmouseover=alert(1) x']),
    ):
        page = LexborHTMLParser((out / "site" / url / "index.html").read_text(encoding="utf-8"))
        toc = page.css_first("nav.md-nav--secondary")
        assert toc is not None
        entries = [" ".join(a.text().split()) for a in toc.css("a.md-nav__link")]
        assert [e for e in entries if e in labels] == labels  # shown as text
        for sidebar in page.css("div.md-sidebar"):
            found = {(n.tag, name) for n in sidebar.traverse() for name in n.attributes if name.startswith("on")}
            assert found == set()
            assert [n.tag for n in sidebar.traverse() if n.tag in {"iframe", "base", "form", "em", "abbr"}] == []


@pytest.mark.parametrize(
    ("injected", "told"),
    [
        ('<img src="x" onerror="alert(1)">', "event handler attribute 'onerror' on <img> is not allowed"),
        # No story's text may hold these either, but there the theme's own pages may (a form, a map).
        ('<base href="https://evil.example/">', "<base> is not allowed in a story (it could run code on the site)"),
        ("<form><input type=password></form>", "<form> is not allowed in a story (it could run code on the site)"),
    ],
    ids=["handler", "base", "form"],
)
def test_the_last_look_reads_the_sidebars_too(
    exported: ExportedSite,
    sources: Sources,
    tmp_path: Path,
    injected: str,
    told: str,
) -> None:
    """A site's own template could print a heading's HTML there, beside the sanitized text."""
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    page = copy / "site" / sources.published[0].url / "index.html"
    text = page.read_text(encoding="utf-8")
    toc = 'data-md-component="toc" data-md-scrollfix>'
    assert text.count(toc) == 1
    page.write_text(text.replace(toc, f"{toc}<li>{injected}</li>"), encoding="utf-8")
    line, column = line_and_column(text, text.index('<div class="md-sidebar'))
    assert finished_here(exported, copy) == [f"{page.as_posix()}:{line}:{column}: error: {told}"]


@pytest.mark.parametrize(
    "written",
    # Python-Markdown writes every comment out ending in '-->' (found by a reviewing helper).
    [
        CONTRIBUTED_END,
        CONTRIBUTED_END.replace("-->", "--!>"),
        # Python-Markdown removes STX and ETX before it reads the text (found by a reviewing helper).
        CONTRIBUTED_END.replace(":", ":\x02").replace("<!", "<!\x03"),
    ],
    ids=["as-the-template-writes-it", "ended-as-markdown-rewrites-it", "with-characters-markdown-removes"],
)
def test_a_story_that_writes_the_mark_of_contributors_text_is_refused_at_its_line(
    site: SiteDir, tmp_path: Path, written: str
) -> None:
    """A story that ended the marked part itself would have its HTML after that mark unsanitized."""
    site.region("achterhoek")
    story = site.story("goed", "achterhoek")
    lines = story.read_text(encoding="utf-8").count("\n")
    story.write_text(story.read_text(encoding="utf-8") + f"\nTekst {written}\n", encoding="utf-8")
    told = f"{CONTRIBUTED_END} marks a story's text in an export; a story may not write it"
    assert site.check().lines == [f"stories/achterhoek/goed.md:{lines + 2}:7: error: {told}", check_summary(1)]
    refused = regioverhalen("export", str(tmp_path / "out"), "--lang", "en", cwd=site.root)
    assert refused.returncode == 1
    assert not (tmp_path / "out").exists()


def test_finish_refuses_a_page_whose_text_holds_a_mark(
    exported: ExportedSite, sources: Sources, tmp_path: Path
) -> None:
    """What an engine made of a story that `check` passed: the part after the story's own mark would
    have been left unsanitized."""
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    page = copy / "site" / sources.published[0].url / "index.html"
    text = page.read_text(encoding="utf-8")
    start = text.index(CONTRIBUTED_START) + len(CONTRIBUTED_START)
    forged = text.index("</p>", start)
    page.write_text(f"{text[:forged]}{CONTRIBUTED_END}<img src=x onerror=alert(1)>{text[forged:]}", encoding="utf-8")
    line, column = line_and_column(text, forged)
    article_line, article_column = line_and_column(text, text.index('<article class="md-content__inner'))
    result = regioverhalen("export", "--finish", str(copy), "--lang", "en", cwd=exported.root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{page.as_posix()}:{line}:{column}: error: {CONTRIBUTED_END} is out of place: the export's template "
        "writes it once around the text from contributors, and a story's text may not hold it",
        # Left as it was, the page's text is what the last look reads then.
        f"{page.as_posix()}:{article_line}:{article_column}: error: event handler attribute 'onerror' on <img> "
        "is not allowed",
        f"{(copy / 'site').as_posix()}: 2 problem(s); do not publish it",
    ]
    assert not (copy / "site/pagefind").exists()


@pytest.mark.parametrize("page_url", ["story", "regios/achterhoek/", "recorded-by-the-export"])
def test_a_story_or_region_page_without_the_marks_is_not_published(
    exported: ExportedSite,
    sources: Sources,
    tmp_path: Path,
    page_url: str,
) -> None:
    """Without them the page's text cannot be told from the theme's markup, so it is not sanitized.
    Which pages need them is what the export wrote down as well as what the content holds now."""
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    url = {"story": sources.published[0].url, "recorded-by-the-export": "over-de-cop/"}.get(page_url, page_url)
    if page_url == "recorded-by-the-export":
        marker = json.loads((copy / MARKER_FILE).read_text(encoding="utf-8"))
        assert sources.published[0].url in marker["contributed_pages"]
        marker["contributed_pages"].append(url)
        (copy / MARKER_FILE).write_text(json.dumps(marker), encoding="utf-8")
    page = copy / "site" / url / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(CONTRIBUTED_START, "").replace(CONTRIBUTED_END, ""), encoding="utf-8")
    assert finished_here(exported, copy) == [
        f"{page.as_posix()}:1:1: error: the page's text from contributors has no marks around it "
        f"({CONTRIBUTED_START} and {CONTRIBUTED_END}), so it cannot be sanitized: the export's templates put them "
        "around page.content, and a site's own main.html or verhaal.html must keep its content block",
    ]


@pytest.mark.parametrize(
    ("marks", "reported"),
    [
        # Between the template's first and last mark: in a story's text.
        ([CONTRIBUTED_START, CONTRIBUTED_START, CONTRIBUTED_END], 1),
        ([CONTRIBUTED_START, CONTRIBUTED_END, CONTRIBUTED_END], 1),
        ([CONTRIBUTED_START, CONTRIBUTED_END, CONTRIBUTED_START, CONTRIBUTED_END], 1),
        ([CONTRIBUTED_START, CONTRIBUTED_START], 1),
        ([CONTRIBUTED_END, CONTRIBUTED_END], 0),
        ([CONTRIBUTED_END, CONTRIBUTED_START], 0),
        ([CONTRIBUTED_START], 0),
        ([CONTRIBUTED_END], 0),
    ],
    ids=["two-starts", "two-ends", "two-pairs", "starts-only", "ends-only", "end-first", "start-alone", "end-alone"],
)
def test_the_mark_out_of_place_is_reported_and_its_page_left_as_it_was(
    tmp_path: Path, marks: list[str], reported: int
) -> None:
    page = tmp_path / "pagina/index.html"
    page.parent.mkdir()
    text = "<p>Hallo</p>\n" + "".join(f"<p>{n}</p>\n  {mark}<img onerror=x()>" for n, mark in enumerate(marks))
    page.write_text(text, encoding="utf-8")
    problems = sanitize_contributed_text(tmp_path, (), ContentPaths(tmp_path))
    line = reported + 3
    assert problems == [
        f"{page.as_posix()}:{line}:3: error: {marks[reported]} is out of place: the export's template writes "
        "it once around the text from contributors, and a story's text may not hold it"
    ]
    assert page.read_text(encoding="utf-8") == text


def test_a_hand_written_page_may_hold_a_form(exported: ExportedSite, tmp_path: Path) -> None:
    """docs/ is the site's own, as under MkDocs: only what could run code is refused there."""
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    page = copy / "site/over-de-cop/index.html"
    text = page.read_text(encoding="utf-8")
    end = text.rindex("</article>")
    form = '<form action="https://formulier.example/"><input name="email"><button>Aanmelden</button></form>'
    page.write_text(text[:end] + form + text[end:], encoding="utf-8")
    assert finished_here(exported, copy) == []


@pytest.mark.parametrize("setting", ["exclude_docs: /index.md\n", "draft_docs: /index.md\n", "draft: true\n"])
def test_a_home_page_left_out_of_the_build_gives_way_to_the_generated_one(
    site: SiteDir, tmp_path: Path, setting: str
) -> None:
    """As in the MkDocs build (test_build.py); found by a reviewing helper: the engine built no home page."""
    site.with_own_home_left_out(setting)
    out = tmp_path / "out"
    assert regioverhalen("export", str(out), cwd=site.root).returncode == 0
    built = zensical_build(out)
    assert built.returncode == 0, built.stdout + built.stderr
    home = (out / "site/index.html").read_text(encoding="utf-8")
    assert "Eigen startpagina" not in home
    assert 'href="verhalen/eerste/"' in home  # the generated home lists the stories


def test_an_invalid_site_exports_nothing(site: SiteDir, tmp_path: Path) -> None:
    site.region("achterhoek")
    site.story("goed", "achterhoek")
    site.write(
        "stories/achterhoek/fout.md",
        "---\ntitle: Fout\ndate: 2023-05-01\nregion: nergens\nparticipants: [achterhoek-boer]\nsummary: Kort.\n---\nTekst.\n",
    )
    out = tmp_path / "export"
    result = regioverhalen("export", str(out), cwd=site.root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "stories/achterhoek/fout.md:4:9: error: region: unknown region 'nergens'",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]
    assert result.stderr == "nothing exported: fix the problems above first\n"
    assert not out.exists()
    assert not (tmp_path / "export.partial").exists()


def test_a_docs_page_held_back_as_a_draft_is_left_out_of_the_export(site: SiteDir, tmp_path: Path) -> None:
    """As the MkDocs build holds it back (test_html_safety.py); no engine knows `draft:`, and
    Zensical published it."""
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    site.write("docs/over.md", "---\ntitle: Over ons\n---\n# Over ons\n")
    site.write("docs/plannen.md", "---\ntitle: Plannen\ndraft: true\n---\n# Plannen die nog geheim zijn\n")
    out = tmp_path / "out"
    assert site.command("export", str(out)).code == 0
    assert (out / "docs/over.md").is_file() and not (out / "docs/plannen.md").exists()
    built = zensical_build(out)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (out / "site/over/index.html").is_file() and not (out / "site/plannen").exists()
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in (out / "site").rglob("*") if p.is_file()]
    assert pages and not any("Plannen die nog geheim zijn" in page for page in pages)


def test_export_refuses_the_files_of_docs_a_build_refuses_as_check_does(site: SiteDir, tmp_path: Path) -> None:
    """Found reading the export: it checked the content, not docs/, and copied both files."""
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    site.write("docs/twijfel.md", "---\ntitle: Twijfel\ndraft: misschien\n---\n# Twijfel\n")
    site.write("docs/kaart.geojson", "{}\n")
    told = [
        not_published_type("docs/kaart.geojson", ".geojson"),
        "docs/twijfel.md:3:1: error: draft: expected true or false",
    ]
    assert site.check().lines == [*told, check_summary(2, published=1)]
    out = tmp_path / "out"
    result = site.command("export", str(out))
    assert result.code == 1
    assert result.out.splitlines() == [*told, check_summary(2, published=1)]
    assert result.err == "nothing exported: fix the problems above first\n"
    assert not out.exists() and not (tmp_path / "out.partial").exists()


def test_exclude_docs_and_draft_docs_leave_out_hand_written_files_and_no_generated_page(
    site: SiteDir, tmp_path: Path
) -> None:
    """Found by red-teaming helpers: the exported mkdocs.yml kept the site's lines, and the
    engine matched them against the generated pages too (no story, theme, feed or open data
    was published); the MkDocs build itself lost the breakthroughs page to `draft_docs`, and
    the theme's styles and scripts to `*.css` and `*.js`; its navigation linked to the pages
    left out; and the export lost what a `!` line takes back from the engine's own patterns."""
    site.region("achterhoek")
    site.story("van-het-loket-naar-de-keukentafel", "achterhoek")
    site.write("docs/over.md", "# Over ons\n")
    site.write("docs/notities.md", "# Notities die niemand leest\n")
    site.write("docs/plan.md", "# Een plan in wording\n")
    site.write("docs/.well-known/security.txt", "Contact: mailto:beveiliging@example.org\n")
    config = site.root / "mkdocs.yml"
    excluded = ["*.xml", "*.json", "*.css", "*.js", "*-keukentafel.md", "verhalen/", "themas/", "zoeken.md"]
    excluded += ["notities.md", "!.well-known/"]
    lines = "exclude_docs: |\n" + "".join(f"  {line}\n" for line in excluded)
    config.write_text(config.read_text() + lines + "draft_docs: |\n  doorbraken.md\n  plan.md\n")
    expected = [
        "verhalen/van-het-loket-naar-de-keukentafel/index.html",
        "themas/bodem/index.html",
        "doorbraken/index.html",
        "zoeken/index.html",
        "feed.xml",
        "data/stories.json",
        "over/index.html",
        ".well-known/security.txt",
        "assets/regioverhalen.css",
    ]
    built = site.build()
    assert [path for path in expected if not (built / path).is_file()] == []
    assert not (built / "notities").exists() and not (built / "plan").exists()
    assert list(built.glob("assets/stylesheets/main.*.min.css"))  # Material's own
    home = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="over/"' in home and 'href="notities/"' not in home and 'href="plan/"' not in home
    out = tmp_path / "out"
    assert site.command("export", str(out)).code == 0
    assert sorted(p.name for p in (out / "docs").glob("*.md") if p.stem in ("over", "notities", "plan")) == ["over.md"]
    exported = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "draft_docs" not in exported
    assert yaml.safe_load(exported)["exclude_docs"] == "!/.well-known/security.txt\n"  # its own line alone
    zensical = zensical_build(out)
    assert zensical.returncode == 0, zensical.stdout + zensical.stderr
    assert [path for path in expected if not (out / "site" / path).is_file()] == []
    assert not (out / "site/notities").exists() and not (out / "site/plan").exists()


def test_a_preview_lists_the_pages_draft_docs_holds_back_and_a_build_does_not(site: SiteDir) -> None:
    """As MkDocs shows such drafts in `mkdocs serve`; the navigation is the same for both engines."""
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    site.write("docs/plan.md", "# Een plan in wording\n")
    site.write("docs/weg.md", "# Weg\n")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + "draft_docs: plan.md\nexclude_docs: weg.md\n")
    settings = read_settings(config)
    site_model = build_site(load_content(settings.paths), settings)
    assert navigation(site_model, search=False, drafts_shown=True)[-1:] == ["plan.md"]
    assert "plan.md" not in navigation(site_model, search=False) and "weg.md" not in str(
        navigation(site_model, search=False, drafts_shown=True)
    )


def test_a_link_to_a_page_the_build_leaves_out_is_a_warning_from_check_and_export(
    site: SiteDir, tmp_path: Path
) -> None:
    """Found by a red-teaming helper: MkDocs only notes such a link, Zensical's strict build of
    the export stopped on it, and nothing had told the editor."""
    site.region("achterhoek")
    story = site.story("eerste", "achterhoek")
    text = story.read_text(encoding="utf-8")
    story.write_text(text + "\nZie [het plan](../plan.md).\n", encoding="utf-8")  # found in review
    site.write("docs/plan.md", "# Een plan in wording\n")
    site.write("docs/geheim.md", "---\ndraft: true\n---\n# Geheim\n")
    site.write("docs/over.md", "# Over ons\n\nLees [het plan](plan.md#doel) en [het geheim](./geheim.md).\n")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + "draft_docs: plan.md\n")
    told = (
        "warning: links to '{page}', which the build leaves out (exclude_docs, draft_docs or draft: true), "
        "so the link leads nowhere; publish the page or remove the link"
    )
    warnings = [
        f"docs/over.md:3:17: {told.format(page='plan.md')}",
        f"docs/over.md:3:47: {told.format(page='geheim.md')}",
        f"stories/achterhoek/eerste.md:{len(text.splitlines()) + 2}:16: {told.format(page='plan.md')}",
    ]
    assert site.check().lines == [*warnings, check_summary(0, published=1)]
    exported = site.command("export", str(tmp_path / "out"))
    assert exported.code == 0 and exported.out.splitlines()[:3] == warnings


@pytest.mark.parametrize("outside", [False, True], ids=["beside-mkdocs-yml", "outside-the-site-s-folder"])
def test_docs_dir_from_the_environment_is_exported(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outside: bool
) -> None:
    """Found by a red-teaming helper: `docs_dir: !ENV [...]` exported none of docs/, and one
    outside the site's folder stopped `check` and the export with a traceback."""
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    docs = site.root.parent / f"{site.root.name}-pagina" if outside else site.root / "pagina"
    (site.root / "docs").rename(docs)
    (docs / "over.md").write_text("# Over ons\n", encoding="utf-8")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + "docs_dir: !ENV [RV_DOCS, docs]\n")
    monkeypatch.setenv("RV_DOCS", str(docs) if outside else "pagina")
    assert site.check().lines == [check_summary(0, published=1)]
    out = tmp_path / "out"
    assert site.command("export", str(out)).code == 0
    assert (out / "docs/over.md").read_text(encoding="utf-8") == "# Over ons\n"
    assert "Start" in (out / "docs/index.md").read_text(encoding="utf-8")  # the site's own home page


def test_what_mkdocs_does_not_publish_from_the_site_s_theme_folder_is_not_exported(
    site: SiteDir, tmp_path: Path
) -> None:
    """Found by red-teaming helpers: the engine published the custom_dir's README, Python files
    and mkdocs_theme.yml, which MkDocs neither publishes nor reads as templates, and a linked
    folder, which MkDocs' template loader does not list; a link to nothing stopped the export."""
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: eigen\n"))
    for name in ("README.md", "hulp.py", "__pycache__/hulp.cpython-311.pyc", "mkdocs_theme.yml", ".env"):
        site.write(f"eigen/{name}", "x\n")
    site.write("eigen/locales/nl.yml", "x: y\n")
    site.write("eigen/assets/eigen.css", "body { color: black; }\n")
    site.write("eigen/partials/eigen-blok.html", "<p>blok</p>\n")
    site.write("thema-extra/notitie.txt", "x\n")
    (site.root / "eigen/extra").symlink_to("../thema-extra")
    (site.root / "eigen/lus").symlink_to("..")
    (site.root / "eigen/kapot.css").symlink_to("nergens.css")
    out = tmp_path / "out"
    assert site.command("export", str(out)).code == 0
    own = sorted(
        p.relative_to(out / "overrides").as_posix()
        for p in (out / "overrides").rglob("*")
        if p.is_file() and (site.root / "eigen" / p.relative_to(out / "overrides")).exists()
    )
    assert own == ["assets/eigen.css", "partials/eigen-blok.html"]


def test_the_finished_export_publishes_the_pictures_the_mkdocs_build_publishes(site: SiteDir, tmp_path: Path) -> None:
    """Found by a red-teaming helper: the export published every picture `check` reads as shown
    in the Markdown (one in an image's alt text, a title, an HTML block), which no page shows.
    `--finish` takes them out of the built site, as the MkDocs build leaves them out."""
    pixel = bytes.fromhex(  # one transparent pixel
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
    )
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    story.write_text(
        story.read_text(encoding="utf-8")
        + "\n![Het erf](erf.png)\n\nAlt met link: ![[x](a.png)](zonder-beeld)\n\n"
        + 'Titel: <abbr title="[y](b.png)">CoP</abbr> in de tekst.\n',
        encoding="utf-8",
    )
    for name in ("erf.png", "a.png", "b.png"):
        site.write_bytes(f"stories/achterhoek/{name}", pixel)
    built = site.build()
    assert sorted(p.name for p in (built / "verhalen").glob("*.png")) == ["erf.png"]
    out = tmp_path / "out"
    assert site.command("export", str(out)).code == 0
    assert sorted(p.name for p in (out / "docs/verhalen").glob("*.png")) == ["a.png", "b.png", "erf.png"]
    zensical = zensical_build(out)
    assert zensical.returncode == 0, zensical.stdout + zensical.stderr
    assert finish_export(site.root / "mkdocs.yml", out, search=False) == []
    assert sorted(p.name for p in (out / "site/verhalen").glob("*.png")) == ["erf.png"]


def test_finish_refuses_an_export_of_other_content_than_the_site_s_now(site: SiteDir, tmp_path: Path) -> None:
    """Found by red-teaming helpers: `--finish` read the content as it is then, and published a
    story made a draft after the export, and a picture whose story no longer shows it."""
    site.region("achterhoek")
    site.story("blijft", "achterhoek")
    later = site.story("later-concept", "achterhoek")
    site.write("docs/.obsidian/workspace.json", "{}")
    out = tmp_path / "out"
    assert site.command("export", str(out)).code == 0
    zensical = zensical_build(out)
    assert zensical.returncode == 0, zensical.stdout + zensical.stderr
    built = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    site.write("docs/.obsidian/workspace.json", '{"open": "index.md"}')  # an editor's tool, not published
    later.write_text(later.read_text(encoding="utf-8").replace("themes:", "draft: true\nthemes:"), encoding="utf-8")
    site.write("stories/achterhoek/nieuw.png", "x")
    site.write("docs/index.md", "---\ndraft: true\n---\n# Nog niet\n")
    # What a file manager, an editor or git leaves is no change.
    for name in ("stories/achterhoek/.DS_Store", "stories/achterhoek/blijft.md~", "stories/.git/index"):
        site.write(name, "x")
    told = "error: changed since the export (edited, added or removed); run 'regioverhalen export' and 'zensical build' again"
    assert finish_export(site.root / "mkdocs.yml", out, search=False) == [
        f"docs/index.md:1:1: {told}",
        f"stories/achterhoek/later-concept.md:1:1: {told}",
        f"stories/achterhoek/nieuw.png:1:1: {told}",
    ]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == built  # left as it was


def test_an_edit_while_the_site_is_exported_exports_nothing(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a red-teaming helper: the record was taken once the export was written, so an
    edit made while it ran (a `git pull`) was recorded as exported."""
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    read = project.load_content

    def read_then_edited(*args: Any, **kwargs: Any) -> Content:
        content = read(*args, **kwargs)
        story.write_text(story.read_text(encoding="utf-8").replace("themes:", "draft: true\nthemes:"), encoding="utf-8")
        return content

    monkeypatch.setattr(project, "load_content", read_then_edited)
    out = tmp_path / "out"
    result = site.command("export", str(out))
    assert (result.code, result.err) == (1, "nothing exported: fix the problems above first\n")
    assert result.lines[0] == (
        "stories/achterhoek/een.md:1:1: error: changed while the site was exported; run 'regioverhalen export' again"
    )
    assert not out.exists() and not (tmp_path / "out.partial").exists()


def test_finish_of_an_export_by_an_earlier_version_says_to_export_again(exported: ExportedSite, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(exported.project, copy)
    record = json.loads((copy / MARKER_FILE).read_text(encoding="utf-8"))
    assert record["sources"]["mkdocs.yml"] and len(record["sources"]) > 30
    del record["sources"]
    (copy / MARKER_FILE).write_text(json.dumps(record), encoding="utf-8")
    assert finished_here(exported, copy) == [
        f"{copy.as_posix()}/{MARKER_FILE}:1:1: error: written by an earlier version, which kept no record of the "
        "sources; run 'regioverhalen export' again"
    ]


def test_export_warns_of_a_link_to_a_draft_as_check_does(site: SiteDir, tmp_path: Path) -> None:
    site.region("achterhoek")
    site.story("concept", "achterhoek", extra="draft: true")
    story = site.story("goed", "achterhoek")
    story.write_text(story.read_text(encoding="utf-8") + "\nZie [het concept](../concept/).\n", encoding="utf-8")
    warning = (
        "stories/achterhoek/goed.md:13:19: warning: links to 'concept', a draft that is not published, "
        "so the link leads nowhere; publish the draft or remove the link"
    )
    assert site.check().lines[0] == warning
    result = regioverhalen("export", str(tmp_path / "out"), cwd=site.root)
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == [warning, "1 story published, 1 draft held back, 0 errors"]


@pytest.mark.parametrize("folder", ["docs", "stories", "regions/export"])
def test_export_refuses_a_folder_the_site_is_made_from(site: SiteDir, folder: str) -> None:
    site.region("achterhoek")
    site.story("goed", "achterhoek")
    refused = regioverhalen("export", f"{folder}/uit", cwd=site.root)
    made_from = folder.split("/")[0]
    assert (refused.returncode, refused.stderr) == (
        1,
        f"error: {site.root / folder / 'uit'}: is inside {made_from}, which the site is made from; "
        "choose a folder outside it\n",
    )
    assert not (site.root / folder / "uit").exists()
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]


def test_export_replaces_only_an_earlier_export(site: SiteDir, tmp_path: Path) -> None:
    site.region("achterhoek")
    site.story("goed", "achterhoek")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mijn-bestand.txt").write_text("van mij", encoding="utf-8")
    refused = regioverhalen("export", str(out), cwd=site.root)
    assert (refused.returncode, refused.stderr) == (
        1,
        f"error: {out}: exists and is not an earlier export; choose an empty or new folder\n",
    )
    assert (out / "mijn-bestand.txt").read_text(encoding="utf-8") == "van mij"
    (out / "mijn-bestand.txt").unlink()
    assert regioverhalen("export", str(out), cwd=site.root).returncode == 0
    site.story("nieuw", "achterhoek", date="2023-06-01")
    assert regioverhalen("export", str(out), cwd=site.root).returncode == 0
    assert (out / "docs" / "verhalen" / "nieuw.md").is_file()
    built = zensical_build(out)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (out / "site" / "verhalen" / "nieuw" / "index.html").is_file()


def test_the_last_look_names_what_could_run_code_as_the_source_check_does() -> None:
    content = (
        '<p><a href=" JavaScript:alert(1)" onClick="steal()">klik</a></p>'
        '<iframe src="https://example.org/"></iframe><textarea>x</textarea><img src="https://example.org/a.png">'
    )
    assert scripts_in(content, allowed_tags=()) == [
        "href=\"JavaScript:alert(1)\" on <a>: 'javascript:' links are not allowed",
        "event handler attribute 'onclick' on <a> is not allowed",
        "<iframe> is not allowed in a story (it could run code on the site)",
        "<textarea> is in the page, but not allowed in a story",
    ]


def test_the_last_look_speaks_the_editor_s_language() -> None:
    use_language("nl")  # the next test starts in English again (conftest)
    assert scripts_in('<a onclick="x()">a</a><script>x()</script>', allowed_tags=()) == [
        "event-handler-attribuut 'onclick' op <a> is niet toegestaan",
        "<script> mag niet in een verhaal (het kan code uitvoeren op de site)",
    ]
