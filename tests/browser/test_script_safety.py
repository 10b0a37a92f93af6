"""No script a contributor writes runs in Chromium: the sanitizer alone is enough.

`regioverhalen check` refuses every payload below at its line (tests/test_html_safety.py). Here
that check is switched off, so that the site is built with every payload in a story body and
in a region's description, and only the sanitizer stands between them and the reader. Each
payload would set a `window.__rvPwned…` flag, change the page's title, cover the page or load
a remote image; Chromium loads the pages, clicks every link and toggles every control, and none
of that may happen.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser, Page

from regioverhalen.content import regions, stories
from regioverhalen.content.html_policy import url_scheme

from .conftest import open_page, serve

pytestmark = pytest.mark.browser

#: Markdown that makes links, images and attributes: for story bodies and region descriptions.
MARKDOWN_PAYLOADS = """\
Alinea vier.
{: title="}" onclick="window.__rvPwned4 = 1" }

[klik vijf](<java
script:window.__rvPwned5 = 1>)

- punt zes

    [ref6]: javascript:window.__rvPwned6 = 1

[klik zes][ref6]

![pixel](https://tracker.example/p.gif)

## Kop {: onclick="window.__rvPwned7 = 1" .md-header #__drawer }
"""

#: Raw HTML: for story bodies (a region's description has its HTML escaped before it is rendered).
HTML_PAYLOADS = """\
<img title="<" src="nergens.png" onerror="window.__rvPwned1 = 1">

<a title="<" href="javascript:window.__rvPwned2 = 1">klik twee</a>

<div data-pagefind-meta="url:javascript:window.__rvPwned3 = 1">zoekwoord drie</div>

<div class="rv-overlay" style="position:fixed;inset:0;z-index:9999;background:red">Log hier in</div>

<script>window.__rvPwned8 = 1; document.title = "pwned"</script>

<svg><script>window.__rvPwned9 = 1</script></svg>

<details open ontoggle="window.__rvPwned10 = 1"><summary>meer</summary>x</details>

<img src="//tracker.example/q.gif" alt="">

<a href="&#106;avascript:window.__rvPwned11 = 1">klik elf</a>

<p><math><mtext><table><mglyph><style><img src=x onerror="window.__rvPwned12 = 1"></style></mglyph></table></mtext></math></p>
"""

FILES = {
    "mkdocs.yml": """\
        site_name: Aanvalsproef
        theme: {name: material, language: nl}
        markdown_extensions: [admonition, attr_list, md_in_html, toc]
        plugins: [regioverhalen]
        """,
    "docs/index.md": "# Start\n",
    "regions/achterhoek.yml": "name: Achterhoek\nprovinces: [Gelderland]\nhorizon: Een regio.\n"
    "description: |\n" + textwrap.indent(MARKDOWN_PAYLOADS, "  ") + "participants:\n"
    "  - {id: achterhoek-boer, name: Geheime Boer, role: boer}\n",
    "stories/achterhoek/aanval.md": "---\ntitle: Aanval\ndate: 2024-02-03\nregion: achterhoek\n"
    "participants: [achterhoek-boer]\nsummary: Een proef.\n---\n" + HTML_PAYLOADS + "\n" + MARKDOWN_PAYLOADS,
}
PAGES = ["/verhalen/aanval/", "/regios/achterhoek/"]


@pytest.fixture(scope="module")
def attacked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("attacked-site")
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text) if rel == "mkdocs.yml" else text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        # The check on the sources is the editors' help, not the guarantee: without it, the build
        # publishes every payload, and the sanitizer must make each one harmless.
        patch.setattr(stories, "find_html_problems", lambda *args, **kwargs: [])
        patch.setattr(regions, "find_markdown_problems", lambda *args, **kwargs: [])
        patch.setattr(regions, "find_markdown_problems_at", lambda *args, **kwargs: [])
        build(load_config(str(root / "mkdocs.yml")))
    with serve(root / "site") as url:
        yield url, root / "site"


@pytest.fixture
def attacked_page(browser: Browser, attacked_site: tuple[str, Path]) -> Iterator[Page]:
    yield from open_page(browser, attacked_site[0])


def _pwned(page: Page) -> list[str]:
    return list(page.evaluate("Object.keys(window).filter((key) => key.startsWith('__rvPwned'))"))


@pytest.mark.parametrize("url", PAGES)
def test_no_payload_runs_when_the_page_is_read_and_used(attacked_page: Page, url: str) -> None:
    page = attacked_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    title = page.title()
    content = page.locator("article.md-content__inner")
    assert "vier" in content.inner_text()  # the payloads' text is there; what runs is not
    # Everything a payload could hang a handler on; links that lead to other pages are left alone.
    for element in content.locator("a:not([href]), a[href^='#'], p, h2, summary").all():
        if element.is_visible():
            element.click(no_wait_after=True, timeout=2_000, force=True)
            if not page.url.split("#")[0].endswith(url):  # a link led away: back to the page under test
                page.goto(url)
    page.wait_for_timeout(200)
    assert _pwned(page) == []
    assert page.title() == title and "pwned" not in page.title()
    assert [r for r in requests if "tracker.example" in r] == []
    # Nothing covers the page: no element of the text is taken out of the flow.
    positions = content.evaluate(
        "(el) => [...el.querySelectorAll('*')].map((e) => getComputedStyle(e).position).filter((p) => p === 'fixed')"
    )
    assert positions == []


@pytest.mark.parametrize("path", ["verhalen/aanval/index.html", "regios/achterhoek/index.html"])
def test_no_handler_style_or_search_order_survives_in_the_built_html(
    attacked_site: tuple[str, Path], path: str
) -> None:
    from bs4 import BeautifulSoup

    html = (attacked_site[1] / path).read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").select_one("article")
    assert article is not None
    for element in article.find_all(True):
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.name, name)
            assert name != "style", (element.name, name)
            if name in ("href", "src") or name.startswith("data-pagefind"):
                url = value.split(":", 1)[1] if name == "data-pagefind-meta" and ":" in value else value
                assert url_scheme(url) in (None, "http", "https", "mailto"), (element.name, name, value)
            assert "tracker.example" not in str(value), (element.name, name, value)
        assert "md-header" not in (element.get("class") or [])
        assert element.get("id") != "__drawer"
    assert article.find("script") is None and article.find("svg") is None
