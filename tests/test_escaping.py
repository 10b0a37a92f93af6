"""No script from content: every contributor value is refused or escaped, on every page, feed and data file.

Short one-line fields (names, titles, places) refuse '<' and '>' outright. Longer texts may
hold anything and must come out as text: the built HTML is parsed and searched for scripts,
event handlers, injected images and `javascript:` links; the feeds are read as a feed reader
reads them (descriptions as HTML); the open data is loaded as JSON. Story bodies are checked
at their source with line and column, and once more after Markdown has rendered them.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import SiteDir, check_summary

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PAYLOADS = (SCRIPT, BREAKOUT, JS_URL)
#: What a one-line field may hold: quotes, ampersands, braces and template syntax, but no '<' or '>'.
QUOTES = "\" onmouseover=\"alert(1)\" ' onfocus='alert(2)' & {{ config.site_name }} {: onclick=alert(3) }"


def y(value: object) -> str:
    """A YAML value written as JSON (which YAML reads), so any payload is quoted correctly."""
    return json.dumps(value, ensure_ascii=False)


# --- One-line fields refuse markup -------------------------------------------------------------------

STORY_HEAD = (
    "---\ntitle: Verhaal\ndate: 2023-05-01\nregion: achterhoek\nparticipants: [achterhoek-boer]\nsummary: Kort.\n"
)


def _breakthrough(title: str = "Afspraak", place: str = "Winterswijk") -> str:
    return f"breakthrough:\n  title: {y(title)}\n  date: 2023-01-01\n  status: aanwijsbaar\n  place: {y(place)}\n"


@pytest.mark.parametrize("payload", [SCRIPT, BREAKOUT], ids=["script", "breakout"])
@pytest.mark.parametrize(
    ("field", "front_matter", "position"),
    [
        ("title", lambda p: STORY_HEAD.replace("title: Verhaal", f"title: {y(p)}"), "2:8"),
        ("breakthrough.title", lambda p: STORY_HEAD + _breakthrough(title=p), "8:10"),
        ("breakthrough.place", lambda p: STORY_HEAD + _breakthrough(place=p), "11:10"),
    ],
    ids=["title", "breakthrough-title", "breakthrough-place"],
)
def test_story_one_line_fields_refuse_markup(
    site: SiteDir, payload: str, field: str, front_matter, position: str
) -> None:
    site.region("achterhoek")
    site.write("stories/x.md", front_matter(payload) + "---\nTekst.\n")
    result = site.check()
    assert result.lines == [
        f"stories/x.md:{position}: error: {field}: '{payload}' must be one line of plain text without '<' or '>'",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


REGION_HEAD = "name: Twente\nprovinces: [Overijssel]\nhorizon: Samen.\n"


@pytest.mark.parametrize("payload", [SCRIPT, BREAKOUT], ids=["script", "breakout"])
@pytest.mark.parametrize(
    ("field", "region", "position"),
    [
        ("name", lambda p: REGION_HEAD.replace("name: Twente", f"name: {y(p)}"), "1:7"),
        (
            "participants[0].name",
            lambda p: REGION_HEAD + f"participants:\n  - id: twente-boer\n    name: {y(p)}\n    role: boer\n",
            "6:11",
        ),
        (
            "participants[0].organisation",
            lambda p: (
                REGION_HEAD
                + f"participants:\n  - id: twente-boer\n    name: Jan\n    role: boer\n    organisation: {y(p)}\n"
            ),
            "8:19",
        ),
    ],
    ids=["region-name", "participant-name", "organisation"],
)
def test_region_one_line_fields_refuse_markup(site: SiteDir, payload: str, field: str, region, position: str) -> None:
    site.write("regions/twente.yml", region(payload))
    result = site.check()
    assert result.lines == [
        f"regions/twente.yml:{position}: error: {field}: '{payload}' must be one line of plain text without '<' or '>'",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


# --- Story bodies: refused at their line, unless the site allows the tag ------------------------------

BODY_CASES = [
    (
        "script",
        "Hallo\n\n<script>alert(1)</script>\n",
        ["10:1: error: <script> is not allowed in a story (it could run code on the site)"],
    ),
    (
        "iframe",
        '<iframe src="https://example.org/kaart"></iframe>\n',
        ["8:1: error: <iframe> is not allowed in a story (it could run code on the site)"],
    ),
    (
        "object",
        'Zie: <object data="film.swf"></object>\n',
        ["8:6: error: <object> is not allowed in a story (it could run code on the site)"],
    ),
    (
        "event-handler",
        'Een <img src="foto.jpg" onerror="alert(1)"> foto.\n',
        [
            "8:5: error: event handler attribute 'onerror' on <img> is not allowed",
            "8:15: error: a picture in HTML is not found from the story's page; show it with ![what it shows](foto.jpg)",
        ],
    ),
    (
        "event-handler-without-quotes",
        "<div onmouseover=alert(1)>Kijk</div>\n",
        ["8:1: error: event handler attribute 'onmouseover' on <div> is not allowed"],
    ),
    ("markdown-link", "Klik [hier](javascript:alert(1)).\n", ["8:13: error: 'javascript:' links are not allowed"]),
    (
        "markdown-link-entity",
        "Klik [hier](javascript&#58;alert(1)).\n",
        ["8:13: error: 'javascript:' links are not allowed"],
    ),
    (
        "markdown-link-on-next-line",
        "Klik [hier](\n  javascript:alert(1)).\n",
        ["9:3: error: 'javascript:' links are not allowed"],
    ),
    (
        "reference-link",
        "Klik [hier][1].\n\n[1]: javascript:alert(1)\n",
        ["10:6: error: 'javascript:' links are not allowed"],
    ),
    ("image-link", "![foto](javascript:alert(1))\n", ["8:9: error: 'javascript:' links are not allowed"]),
    (
        "html-link",
        '<a href="JaVa&#x09;Script:alert(1)">klik</a>\n',
        # The tab the reference stands for is shown as \t: a report line shows no control character.
        ["8:1: error: href=\"JaVa\\tScript:alert(1)\" on <a>: 'javascript:' links are not allowed"],
    ),
    (
        "data-link",
        '<a href="data:text/html,x">klik</a>\n',
        ["8:1: error: href=\"data:text/html,x\" on <a>: 'data:' links are not allowed"],
    ),
    (
        "attribute-list-handler",
        '[klik](https://example.org){onclick="alert(1)"}\n',
        ["8:28: error: event handler attribute 'onclick' in an attribute list is not allowed"],
    ),
    (
        "attribute-list-href",
        "# Kop {: href=javascript:alert(1) }\n",
        ["8:7: error: href=\"javascript:alert(1)\" in an attribute list: 'javascript:' links are not allowed"],
    ),
    (  # the theme puts a heading's id into the table of contents' links as it is
        "attribute-list-id",
        "## Aanpak {: id='x\" autofocus onfocus=\"alert(1)' }\n",
        [
            "8:11: error: id 'x\" autofocus onfocus=\"alert(1)' in an attribute list may hold only letters, digits, "
            "'-', '_', '.' and ':'"
        ],
    ),
    (
        "tag-in-a-tag",
        "<scr<script>ipt>alert(1)</script>\n",
        ["8:5: error: <script> is not allowed in a story (it could run code on the site)"],
    ),
    (
        # Markdown may or may not make code of this (a backslash, an HTML block around it):
        # the check on the source does not guess, and refuses.
        "script-in-code",
        "Schrijf nooit `<script>` in een verhaal.\n",
        ["8:16: error: <script> is not allowed in a story (it could run code on the site)"],
    ),
    (
        "svg",
        '<svg onload="alert(1)"></svg>\n',
        [
            "8:1: error: <svg> is not allowed in a story (it could run code on the site)",
            "8:1: error: event handler attribute 'onload' on <svg> is not allowed",
        ],
    ),
    (
        "everything-at-once",
        "<script>a()</script>\n\n[x](javascript:b())\n\n<b onclick=c()>d</b>\n",
        [
            "8:1: error: <script> is not allowed in a story (it could run code on the site)",
            "10:5: error: 'javascript:' links are not allowed",
            "12:1: error: event handler attribute 'onclick' on <b> is not allowed",
        ],
    ),
]


@pytest.mark.parametrize(("body", "expected"), [pytest.param(b, e, id=i) for i, b, e in BODY_CASES])
def test_unsafe_story_bodies_are_refused_at_their_line(site: SiteDir, body: str, expected: list[str]) -> None:
    site.region("achterhoek")
    site.write("stories/x.md", STORY_HEAD + "---\n" + body)
    result = site.check()
    assert result.lines == [f"stories/x.md:{line}" for line in expected] + [check_summary(len(expected))]


def _allow(site: SiteDir, *tags: str) -> None:
    site.write(
        "mkdocs.yml",
        (site.root / "mkdocs.yml")
        .read_text()
        .replace("  - regioverhalen\n", f"  - regioverhalen:\n      allow_html_tags: {list(tags)}\n"),
    )


def test_an_allowed_tag_passes_but_its_event_handlers_do_not(site: SiteDir) -> None:
    _allow(site, "iframe")
    site.region("achterhoek")
    site.write("stories/kaart.md", STORY_HEAD + '---\n<iframe src="https://example.org/kaart"></iframe>\n')
    site.write(
        "stories/kaart2.md", STORY_HEAD + '---\n<iframe src="https://example.org/kaart" onload="alert(1)"></iframe>\n'
    )
    site.write("stories/film.md", STORY_HEAD + '---\n<object data="film"></object>\n')
    site.write("stories/link.md", STORY_HEAD + '---\n<iframe src="javascript:alert(1)"></iframe>\n')
    site.write(
        "stories/pagina.md", STORY_HEAD + '---\n<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>\n'
    )
    assert site.check().lines == [
        "stories/film.md:8:1: error: <object> is not allowed in a story (it could run code on the site)",
        "stories/kaart2.md:8:1: error: event handler attribute 'onload' on <iframe> is not allowed",
        "stories/link.md:8:1: error: src=\"javascript:alert(1)\" on <iframe>: 'javascript:' links are not allowed",
        "stories/pagina.md:8:1: error: attribute 'srcdoc' on <iframe> is not allowed (it could run code)",
        "4 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_an_allowed_tag_is_published(site: SiteDir) -> None:
    _allow(site, "iframe")
    site.region("achterhoek")
    site.write("stories/kaart.md", STORY_HEAD + '---\n<iframe src="https://example.org/kaart"></iframe>\n')
    out = site.build()
    soup = BeautifulSoup((out / "verhalen/kaart/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".rv-story__body iframe")["src"] == "https://example.org/kaart"


def test_region_description_refuses_script_links(site: SiteDir) -> None:
    site.write(
        "regions/twente.yml",
        REGION_HEAD + 'description: "Zie [de kaart](javascript:alert(1)) en [meer]{onclick=alert(2)}."\n',
    )
    assert site.check().lines == [
        "regions/twente.yml:4:14: error: description: 'javascript:' links are not allowed",
        "regions/twente.yml:4:14: error: description: "
        "event handler attribute 'onclick' in an attribute list is not allowed",
        "2 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_the_rendered_story_is_sanitized_too(site: SiteDir) -> None:
    """A Markdown extension can add HTML the source check never sees (here a snippet include):
    the sanitizer on the rendered HTML removes it all the same, and keeps the text."""
    snippets = site.root / "snippets"
    site.write(
        "snippets/kop.html", '<p>Kop</p>\n<script>alert(1)</script>\n<p style="position:fixed" onclick="x()">Rest</p>\n'
    )
    site.write(
        "mkdocs.yml",
        (site.root / "mkdocs.yml")
        .read_text()
        .replace(
            "markdown_extensions: [admonition, attr_list, md_in_html, toc]",
            f"markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [{y(str(snippets))}]\n",
        ),
    )
    site.region("achterhoek")
    site.write("stories/achterhoek/kop.md", STORY_HEAD + '---\nHallo.\n\n--8<-- "kop.html"\n')
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]
    site.build()
    page = (site.root / "site/verhalen/kop/index.html").read_text()
    article = page[page.index("<p>Hallo.</p>") :]
    assert "<p>Kop</p>" in article and "<p>Rest</p>" in article
    assert "alert(1)" not in page and "position:fixed" not in page and "x()" not in page


def test_a_heading_id_goes_into_the_table_of_contents_as_a_link_and_nothing_more(site: SiteDir) -> None:
    """The theme writes each entry of a page's table of contents into an attribute, unescaped.
    A page of the site's own (not checked as a story is) shows what the build does with any id."""
    site.region("achterhoek")
    site.story("een", "achterhoek")
    raw_id = 'x" autofocus onfocus="alert(1)'
    site.write(
        "docs/over.md",
        f"# Over ons\n\n## Aanpak {{: id='{raw_id}' }}\n\nTekst.\n\n## Kop met <img src=x onerror=alert(2)> erin\n",
    )
    soup = BeautifulSoup((site.build() / "over" / "index.html").read_text(encoding="utf-8"), "html.parser")
    entries = soup.select("a.md-nav__link[href^='#']")
    assert {(a["href"], a.get_text(" ", strip=True)) for a in entries} == {
        (f"#{raw_id}", "Aanpak"),
        ("#kop-met-erin", "Kop met erin"),
    }
    assert all(set(a.attrs) == {"href", "class"} for a in entries)
    assert soup.find(id=raw_id) is not None  # the link leads to the heading


# --- Free texts come out as text, everywhere ----------------------------------------------------------

LONG = " ".join(PAYLOADS)
EVIDENCE = [*PAYLOADS, 'https://example.org/"onmouseover="alert(1)', "https://example.org/bewijs?a=1&b=2"]


@pytest.fixture
def hostile_site(site: SiteDir) -> SiteDir:
    """Every front-matter value that is published holds script, a tag breakout or a script link."""
    site.write(
        "regions/achterhoek.yml",
        f"name: {y('Achterhoek ' + QUOTES)}\n"
        "provinces: [Gelderland]\n"
        f"horizon: {y(LONG)}\n"
        f"description: {y(LONG + ' *nadruk*')}\n"
        "participants:\n"
        "  - id: achterhoek-boer\n    name: Geheime Boer\n    role: boer\n"
        f"  - id: achterhoek-gemeente\n    name: {y('Ambtenaar ' + QUOTES)}\n    role: gemeente\n"
        f"    organisation: {y('Gemeente ' + QUOTES)}\n    opgave: {y(LONG)}\n    public: true\n",
    )
    site.write(
        "stories/achterhoek/verhaal.md",
        "---\n"
        f"title: {y('Verhaal ' + QUOTES)}\n"
        "date: 2023-05-01\nregion: achterhoek\nparticipants: [achterhoek-boer, achterhoek-gemeente]\n"
        f"summary: {y(LONG)}\n"
        "themes: [bodem]\n"
        f"breakthrough:\n  title: {y('Doorbraak ' + QUOTES)}\n  date: 2023-04-01\n  status: aanwijsbaar\n"
        f"  place: {y('Plaats ' + QUOTES)}\n  evidence: {y(EVIDENCE)}\n"
        f"lessons:\n  - level: opgave\n    text: {y(LONG)}\n"
        "---\nEen boer uit de regio vertelt.\n",
    )
    site.story("tweede", "achterhoek", date="2023-06-01", title="Tweede")
    # The description's tags are shown as text, which `check` and the build warn of; a strict
    # build would stop there, before the pages these tests read.
    warned = [line for line in site.check().lines if ": warning: description: HTML is shown as text" in line]
    assert warned and all(line.startswith("regions/achterhoek.yml:4:14: ") for line in warned)
    site.strict = False
    return site


def _compact(url: str) -> str:
    return re.sub(r"[\x00-\x20]", "", url).lower()


def _texts(soup: BeautifulSoup) -> list[str]:
    return [" ".join(el.get_text(" ", strip=True).split()) for el in soup.find_all(True)]


def test_no_file_of_the_built_site_carries_a_script_from_content(hostile_site: SiteDir) -> None:
    out = hostile_site.build()
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        where = page.relative_to(out)
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, f"{where}: <{element.name}> has {handlers}"
            for name in ("href", "src", "action", "formaction", "data"):
                value = element.get(name)
                assert not (isinstance(value, str) and _compact(value).startswith(("javascript:", "data:"))), (
                    f"{where}: <{element.name} {name}={value!r}>"
                )
            assert not (element.name == "img" and element.get("src") == "x"), f"{where}: injected <img>"
            if element.name == "script":
                assert "alert(" not in element.get_text(), f"{where}: injected <script>"


def test_free_texts_are_shown_exactly_as_written(hostile_site: SiteDir) -> None:
    out = hostile_site.build()

    def soup(path: str) -> BeautifulSoup:
        return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")

    story = soup("verhalen/verhaal/index.html")
    assert story.select_one("h1").get_text() == "Verhaal " + QUOTES
    assert story.select_one(".rv-story__summary").get_text() == LONG
    assert [li.get_text() for li in story.select(".rv-evidence li")] == EVIDENCE
    links = [a["href"] for a in story.select(".rv-evidence a")]
    assert links == ['https://example.org/"onmouseover="alert(1)', "https://example.org/bewijs?a=1&b=2"]
    assert LONG in [li.get_text() for li in story.select(".rv-metacard__lessons li")]
    card = story.select_one(".rv-metacard__breakthrough").get_text(" ", strip=True)
    assert "Doorbraak " + QUOTES in card and "Plaats " + QUOTES in card
    assert story.select_one('meta[name="description"]')["content"] == LONG

    region = soup("regios/achterhoek/index.html")
    assert region.select_one("h1").get_text() == "Achterhoek " + QUOTES
    texts = _texts(region)
    assert LONG in texts  # the horizon
    assert LONG + " nadruk" in texts  # the description, its Markdown kept
    assert region.select_one("em").get_text() == "nadruk"
    participant = f"Ambtenaar {QUOTES} (Gemeente {QUOTES}): {LONG}"
    assert participant in [li.get_text() for li in region.select("li")]

    lessons = soup("lessen/index.html")
    assert any(text.startswith(LONG) for text in _texts(lessons))
    assert any(text.startswith("Doorbraak " + QUOTES) for text in _texts(soup("doorbraken/index.html")))
    assert any(text.startswith("Verhaal " + QUOTES) and text.endswith(LONG) for text in _texts(soup("index.html")))


def test_feeds_show_summaries_as_text(hostile_site: SiteDir) -> None:
    out = hostile_site.build()
    for feed_path in ("feed.xml", "regios/achterhoek/feed.xml"):
        feed = feedparser.parse((out / feed_path).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        entry = next(e for e in feed.entries if e.title.startswith("Verhaal"))
        assert entry.title == "Verhaal " + QUOTES
        # A feed reader renders the description as HTML: it must hold no element, only the text.
        description = BeautifulSoup(entry.summary, "html.parser")
        assert description.find_all(True) == []
        assert description.get_text() == LONG


def test_open_data_holds_the_values_unchanged(hostile_site: SiteDir) -> None:
    out = hostile_site.build()
    stories = json.loads((out / "data/stories.json").read_text(encoding="utf-8"))
    record = next(s for s in stories if s["slug"] == "verhaal")
    assert record["title"] == "Verhaal " + QUOTES
    assert record["summary"] == LONG
    assert record["breakthrough"]["evidence"] == EVIDENCE
    assert record["lessons"] == [{"level": "opgave", "text": LONG}]
    regions = json.loads((out / "data/regions.json").read_text(encoding="utf-8"))
    assert regions[0]["horizon"] == LONG
    assert regions[0]["name"] == "Achterhoek " + QUOTES


def test_sitemap_is_valid_xml_with_plain_urls(hostile_site: SiteDir) -> None:
    out = hostile_site.build()
    sitemap = ElementTree.parse(out / "sitemap.xml")
    locations = [loc.text or "" for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://test.example.org/verhalen/verhaal/" in locations
    assert all(re.fullmatch(r"https://test\.example\.org/[a-z0-9/\-]*", loc) for loc in locations), locations
