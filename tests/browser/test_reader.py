"""A reader on the built sample site, in real Chromium: searching, browsing, themes, timelines, lessons."""

from __future__ import annotations

import datetime as dt
import re
import struct
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

from sample_site import Sources, SourceStory

from .conftest import expect_search_results_loaded, open_page, serve

pytestmark = pytest.mark.browser

WORD = re.compile(r"\w+")


def expect_title(page: Page, title: str) -> None:
    """The page's one h1 reads `title` (Markdown headings carry a trailing permalink sign)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^{re.escape(title)}¶?$"))


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def summary_of(story: SourceStory) -> str:
    return " ".join(str(story.meta["summary"]).split())


def indexed_words(site_dir: Path, story: SourceStory) -> set[str]:
    """The words Pagefind indexes for a story: its article, without the parts marked to be ignored."""
    soup = BeautifulSoup((site_dir / story.url / "index.html").read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one("[data-pagefind-body]")
    assert body is not None, f"{story.url} has no searchable body"
    for ignored in body.select("[data-pagefind-ignore]"):
        ignored.decompose()
    return {w.lower() for w in WORD.findall(body.get_text(" "))}


def a_story_with_only(sources: Sources, site_dir: Path, present: str, absent: str) -> SourceStory:
    """A published story that uses one word form and never the other, so only stemming can find it."""
    for story in sources.published:
        words = indexed_words(site_dir, story)
        if present in words and absent not in words:
            return story
    raise AssertionError(f"the sample content has no story with '{present}' but without '{absent}'")


@pytest.mark.parametrize(
    ("query", "form_in_story"),
    [("boeren", "boer"), ("boer", "boeren"), ("verhalen", "verhaal")],
)
def test_header_search_finds_other_dutch_word_forms_and_leads_to_the_story(
    page: Page, sources: Sources, sample_root: Path, query: str, form_in_story: str
) -> None:
    site_dir = sample_root / "site"
    story = a_story_with_only(sources, site_dir, present=form_in_story, absent=query)
    with_either = [s for s in sources.published if {query, form_in_story} & indexed_words(site_dir, s)]

    page.goto("/")
    box = page.get_by_role("searchbox", name="Zoek in de verhalen")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(f"**/zoeken/?q={query}")
    expect_title(page, "Zoeken")
    # The search page keeps the query in the header box, and Pagefind reports in Dutch.
    expect(box).to_have_value(query)
    expect(page.locator(".pagefind-ui__message")).to_have_text(f"{len(with_either)} resultaten voor {query}")
    expect(page.get_by_role("button", name="Wissen")).to_be_visible()  # Pagefind's own Dutch says "Reset"

    result = page.locator(".pagefind-ui__result").filter(has=page.get_by_role("link", name=story.title, exact=True))
    links = page.locator(".pagefind-ui__result-link")
    more = page.get_by_role("button", name="Meer resultaten laden")
    expect(links).to_have_count(min(5, len(with_either)))  # Pagefind shows five at a time
    while result.count() == 0 and more.count() == 1:
        shown = links.count()
        more.click()
        expect(links).not_to_have_count(shown)
    expect(result).to_have_count(1)
    # The result shows the story's region, date and own summary, not a loose excerpt.
    where = f"{sources.regions[story.region]['name']} · {dutch_date(story.date)}"
    expect(result.locator(".rv-zoek-meta")).to_have_text(where)
    expect(result.locator(".pagefind-ui__result-excerpt")).to_have_text(where + summary_of(story))

    result.get_by_role("link", name=story.title, exact=True).click()
    page.wait_for_url(f"**/{story.url}")
    expect_title(page, story.title)


def test_search_page_lists_title_and_summary_for_every_result(page: Page, sources: Sources) -> None:
    page.goto("/zoeken/?q=boer")
    results = page.locator(".pagefind-ui__result")
    expect(results.first).to_be_visible()
    by_title = {s.title: s for s in sources.published}
    expect(results).to_have_count(5)
    for item in results.all():
        title = item.locator(".pagefind-ui__result-link").inner_text()
        assert title in by_title, f"search result {title!r} is not a published story"
        story = by_title[title]
        where = f"{sources.regions[story.region]['name']} · {dutch_date(story.date)}"
        assert item.locator(".pagefind-ui__result-excerpt").text_content() == where + summary_of(story)


def test_search_for_a_word_that_occurs_nowhere_says_so_in_dutch(page: Page) -> None:
    page.goto("/zoeken/?q=xylofoonconcert")
    expect(page.locator(".pagefind-ui__message")).to_have_text("Geen resultaten voor xylofoonconcert")
    expect(page.locator(".pagefind-ui__result")).to_have_count(0)


def test_from_home_to_a_region_to_a_story_and_back(page: Page, sources: Sources) -> None:
    region_id = max(sources.regions, key=lambda rid: sum(1 for s in sources.published if s.region == rid))
    region = sources.regions[region_id]
    region_stories = [s for s in sources.published if s.region == region_id]
    assert len(region_stories) >= 2

    page.goto("/")
    page.locator("nav.md-nav--primary").get_by_role("link", name="Regio's", exact=True).first.click()
    page.wait_for_url("**/regios/")
    expect_title(page, "Regio's")
    expect(page.locator(".rv-card")).to_have_count(len(sources.regions))
    card = page.locator(".rv-card").filter(has=page.get_by_role("link", name=region["name"], exact=True))
    # Its last line: the goal's badge and the number of stories, which may wrap as two items.
    expect(card.locator("p").last.locator(":scope > span").nth(1)).to_have_text(f"{len(region_stories)} verhalen")

    page.locator(".rv-card").get_by_role("link", name=region["name"], exact=True).click()
    page.wait_for_url(f"**/regios/{region_id}/")
    expect_title(page, region["name"])
    listed = page.locator("h2:has-text('Verhalen') + ul > li > a")
    expect(listed).to_have_text([s.title for s in region_stories])

    story = region_stories[1]
    listed.get_by_text(story.title, exact=True).click()
    page.wait_for_url(f"**/{story.url}")
    expect_title(page, story.title)
    card = page.get_by_role("complementary", name="Over dit verhaal")
    expect(card.get_by_role("link", name=region["name"], exact=True)).to_have_attribute(
        "href", re.compile(rf"regios/{region_id}/$")
    )

    page.go_back()
    page.wait_for_url(f"**/regios/{region_id}/")
    expect_title(page, region["name"])
    page.go_back()
    page.wait_for_url("**/regios/")


def test_a_theme_on_the_meta_card_leads_to_the_theme_page_listing_the_story(page: Page, sources: Sources) -> None:
    story = next(s for s in sources.published if s.themes)
    theme = story.themes[-1]
    with_theme = sorted(s.title for s in sources.published if theme in s.themes)

    page.goto(story.url)
    page.get_by_role("complementary", name="Over dit verhaal").get_by_role("link", name=theme, exact=True).click()
    page.wait_for_url(re.compile(r".*/themas/[a-z0-9-]+/$"))
    expect_title(page, f"Thema: {theme}")
    listed = page.locator("article li > a[href*='verhalen/']")
    assert sorted(listed.all_inner_texts()) == with_theme
    listed.get_by_text(story.title, exact=True).click()
    page.wait_for_url(f"**/{story.url}")


def test_breakthroughs_page_is_a_timeline_newest_first(page: Page, sources: Sources) -> None:
    with_breakthrough = [s for s in sources.published if s.meta.get("breakthrough")]
    assert with_breakthrough, "the sample content has no breakthroughs"
    expected = sorted(with_breakthrough, key=lambda s: (s.meta["breakthrough"]["date"], s.slug), reverse=True)
    status_labels = {"aanwijsbaar": "Aanwijsbare doorbraak", "in-wording": "Doorbraak in wording"}

    page.goto("/doorbraken/")
    expect_title(page, "Doorbraken")
    items = page.locator("ol.rv-timeline > li")
    expect(items).to_have_count(len(expected))
    dates = [items.nth(i).locator("time").get_attribute("datetime") for i in range(len(expected))]
    assert dates == [s.meta["breakthrough"]["date"].isoformat() for s in expected]
    assert dates == sorted(dates, reverse=True)
    for i, story in enumerate(expected):
        item = items.nth(i)
        breakthrough = story.meta["breakthrough"]
        expect(item.locator("strong")).to_have_text(breakthrough["title"])
        expect(item).to_contain_text(sources.regions[story.region]["name"])
        expect(item.locator(".rv-status")).to_have_text(status_labels[breakthrough["status"]])
        expect(item.get_by_role("link", name=story.title, exact=True)).to_have_attribute(
            "href", re.compile(rf"{story.url}$")
        )


def test_lessons_page_groups_lessons_by_level_and_links_each_to_its_story(page: Page, sources: Sources) -> None:
    page.goto("/lessen/")
    expect_title(page, "Lessen")
    groups = page.evaluate(
        """() => [...document.querySelectorAll("article h2")].map(h => {
            const items = [];
            for (let el = h.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
              if (el.tagName === "UL") {
                for (const li of el.children) {
                  const a = li.querySelector("a");
                  const text = li.firstChild.textContent.trim();
                  items.push({text, story: a.textContent, href: a.getAttribute("href")});
                }
              }
            }
            return {level: h.textContent.replace("¶", "").trim(), items};
        })"""
    )
    # Each level's heading carries its count: "Individu (18)".
    for group in groups:
        level, count = re.fullmatch(r"(\w+) \((\d+)\)", group["level"]).groups()  # type: ignore[union-attr]
        assert int(count) == len(group["items"])
        group["level"] = level
    assert [g["level"] for g in groups] == ["Individu", "Opgave", "Organisatie"]
    for group in groups:
        level = group["level"].lower()
        expected = [
            {"text": " ".join(lesson["text"].split()), "story": s.title, "href": f"../{s.url}"}
            for s in sources.published
            for lesson in s.meta.get("lessons") or []
            if lesson["level"] == level
        ]
        assert expected, f"the sample content has no lessons at level {level}"
        assert group["items"] == expected


SCREENSHOT_PAGES = {
    "home": "/",
    "regios": "/regios/",
    "regio": "/regios/{region}/",
    "verhaal": "/{story}",
    "doorbraken": "/doorbraken/",
    "lessen": "/lessen/",
    "themas": "/themas/",
    "zoeken-boeren": "/zoeken/?q=boeren",
}


@pytest.mark.parametrize("name", list(SCREENSHOT_PAGES))
def test_screenshot_of_main_page(page: Page, sources: Sources, screenshots: Path, name: str) -> None:
    story = next(s for s in sources.published if s.meta.get("breakthrough") and s.meta.get("lessons"))
    path = SCREENSHOT_PAGES[name].format(region=story.region, story=story.url)
    response = page.goto(path)
    assert response is not None and response.status == 200
    if name.startswith("zoeken"):
        # The results keep arriving (each one fetches its own fragment): screenshot them once all are in.
        expect_search_results_loaded(page)
    main = page.get_by_role("main")
    expect(main).to_be_visible()
    expect(main.locator("h1").first).to_be_visible()
    page.evaluate("document.fonts.ready")
    # The screenshot is an artifact for people to look at (test-artifacts/screenshots/); what is
    # checked of it is only that it is a PNG of the whole page at the desktop width, no wider.
    target = screenshots / f"{name}.png"
    image = page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes() == image
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and image[12:16] == b"IHDR"
    width, height = struct.unpack(">II", image[16:24])
    assert width == 1280, f"the page is {width} px wide at a 1280 px wide window: it scrolls sideways"
    assert height == page.evaluate("document.documentElement.scrollHeight")


def test_search_results_link_correctly_when_the_site_lives_under_a_subpath(
    browser: Browser, sample_root: Path, tmp_path: Path
) -> None:
    """As on GitHub Pages for a project: https://<owner>.github.io/<repository>/."""
    (tmp_path / "regioverhalen").symlink_to(sample_root / "site", target_is_directory=True)
    with serve(tmp_path) as root_url:
        for page in open_page(browser, root_url):
            page.goto("/regioverhalen/")
            box = page.get_by_role("searchbox", name="Zoek in de verhalen")
            box.fill("boer")
            box.press("Enter")
            page.wait_for_url("**/regioverhalen/zoeken/?q=boer")
            first = page.locator(".pagefind-ui__result-link").first
            expect(first).to_have_attribute("href", re.compile(r"^/regioverhalen/verhalen/[a-z0-9-]+/$"))
            title = first.inner_text()
            first.click()
            page.wait_for_url(re.compile(r".*/regioverhalen/verhalen/[a-z0-9-]+/$"))
            expect_title(page, title)


def test_an_unknown_address_gets_a_dutch_404_page_whose_links_and_search_work(page: Page) -> None:
    """Static hosts answer an unknown address at any depth with the site's 404.html, so its
    links must not depend on where it was asked for."""
    response = page.goto("/verhalen/bestaat-niet/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    expect(page).to_have_title("Pagina niet gevonden - Regioverhalen")
    for name, href in [
        ("RSS-feed", "/feed.xml"),
        ("verhalen (JSON)", "/data/stories.json"),
        ("Alle regio's", "/regios/"),
    ]:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute("href", href)
    page.get_by_role("link", name="Alle regio's", exact=True).click()
    page.wait_for_url("**/regios/")
    page.go_back()
    box = page.get_by_role("searchbox", name="Zoek in de verhalen")
    box.fill("boer")
    box.press("Enter")
    page.wait_for_url("**/zoeken/?q=boer")
    expect(page.locator(".pagefind-ui__result-link").first).to_be_visible()


def test_skip_link_on_a_story_page_leads_to_the_story_title_not_past_it(page: Page, sources: Sources) -> None:
    story = sources.published[0]
    page.goto(story.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Ga naar inhoud")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{story.url}#rv-verhaal")
    article = page.locator("article#rv-verhaal")
    expect(article).to_be_focused()
    expect(article.get_by_role("heading", level=1)).to_have_text(story.title)
