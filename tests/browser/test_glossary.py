"""Glossary terms as a reader on a phone meets them (Chromium at 390 px): the explanation by
keyboard focus and by tap, a link to /begrippen/ without JavaScript, never in headings or links."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MARKED = ".rv-story__body .rv-begrip__woord"
#: What may never hold a marked term.
NEVER_MARKED = "h1 .rv-begrip, h2 .rv-begrip, h3 .rv-begrip, h4 .rv-begrip, a .rv-begrip, code .rv-begrip"


@pytest.fixture(scope="module")
def glossary(sample_root: Path) -> list[dict[str, object]]:
    """The sample glossary, read with plain YAML rather than with the package under test."""
    terms = yaml.safe_load((sample_root / "begrippen.yml").read_text(encoding="utf-8"))
    assert isinstance(terms, list) and len(terms) >= 25
    return terms


@pytest.fixture(scope="module")
def story_with_term(sample_root: Path) -> str:
    """The address of the first sample story (by name) whose text has a marked term."""
    for page in sorted((sample_root / "site" / "verhalen").glob("*/index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one(MARKED) is not None:
            return f"/verhalen/{page.parent.name}/"
    pytest.fail("no sample story uses a glossary term")


def _phone(browser: Browser, base_url: str, **options: object) -> Iterator[tuple[BrowserContext, Page]]:
    context = browser.new_context(viewport=PHONE, locale="nl-NL", base_url=base_url, **options)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield context, page
    finally:
        context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    for _, page in _phone(browser, base_url, has_touch=True, is_mobile=True):
        yield page


@pytest.fixture
def phone_without_javascript(browser: Browser, base_url: str) -> Iterator[Page]:
    for _, page in _phone(browser, base_url, java_script_enabled=False):
        yield page


def _explanation(page: Page, word_selector: str) -> str:
    described_by = page.locator(word_selector).first.get_attribute("aria-describedby")
    assert described_by
    return described_by


def test_keyboard_focus_shows_the_explanation(phone: Page, story_with_term: str) -> None:
    phone.goto(story_with_term)
    word = phone.locator(MARKED).first
    tip = phone.locator(f"#{_explanation(phone, MARKED)}")
    expect(tip).to_be_hidden()
    for _ in range(200):  # Tab through the page, as a keyboard user does, until the term
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.classList.contains('rv-begrip__woord')"):
            break
    else:
        pytest.fail("the term cannot be reached with Tab")
    expect(word).to_be_focused()
    expect(tip).to_be_visible()
    expect(tip).to_have_attribute("role", "tooltip")
    # Screen readers announce the explanation as the link's description.
    expect(word).to_have_accessible_description(tip.inner_text())
    box = tip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    phone.keyboard.press("Escape")


def test_a_tap_shows_the_explanation_and_a_second_tap_opens_the_glossary(phone: Page, story_with_term: str) -> None:
    phone.goto(story_with_term)
    word = phone.locator(MARKED).first
    tip = phone.locator(f"#{_explanation(phone, MARKED)}")
    href = word.get_attribute("href")
    assert href is not None and "begrippen/#" in href
    word.tap()
    expect(tip).to_be_visible()
    assert phone.url.endswith(story_with_term)
    word.tap()
    phone.wait_for_url(f"**/begrippen/#{href.split('#')[1]}")
    expect(phone.locator(f"h2#{href.split('#')[1]}")).to_be_visible()


def test_without_javascript_the_term_links_to_the_glossary(
    phone_without_javascript: Page, story_with_term: str
) -> None:
    page = phone_without_javascript
    page.goto(story_with_term)
    word = page.locator(MARKED).first
    anchor = (word.get_attribute("href") or "").split("#")[1]
    word.click()
    page.wait_for_url(f"**/begrippen/#{anchor}")
    heading = page.locator(f"h2#{anchor}")
    expect(heading).to_be_visible()
    expect(heading.locator("xpath=following-sibling::p[1]")).not_to_be_empty()


@pytest.mark.parametrize("path", ["/", "story", "/over-de-cop/", "/regios/achterhoek/"])
def test_headings_and_links_are_never_marked(phone: Page, story_with_term: str, path: str) -> None:
    phone.goto(story_with_term if path == "story" else path)
    assert phone.locator(".rv-begrip").count() > 0, "the page uses no glossary term: it tests nothing"
    assert phone.locator(NEVER_MARKED).count() == 0
    assert phone.locator(".rv-metacard .rv-begrip").count() == 0


def test_the_glossary_lists_every_term_with_its_stories(
    phone: Page, glossary: list[dict[str, object]], sample_root: Path
) -> None:
    phone.goto("/begrippen/")
    headings = phone.locator("article h2")
    shown = [text.rstrip("¶").strip() for text in headings.all_inner_texts()]
    terms = [str(term["term"]) for term in glossary]
    assert sorted(shown) == sorted(terms)
    assert shown == sorted(shown, key=lambda t: t.casefold().replace("ö", "o"))
    for term in glossary:
        heading = phone.locator(f"article h2#{_slug(str(term['term']))}")
        expect(heading).to_contain_text(str(term["term"]))
        expect(heading.locator("xpath=following-sibling::p[1]")).to_have_text(str(term["explanation"]).strip())
    # Each story listed under a term uses one of its forms.
    links = phone.locator("ul.rv-begrip-verhalen a")
    assert links.count() > 0
    first = phone.locator("ul.rv-begrip-verhalen").first
    term_id = first.locator("xpath=preceding-sibling::h2[1]").get_attribute("id")
    story = first.locator("a").first.get_attribute("href")
    assert term_id and story
    entry = next(t for t in glossary if _slug(str(t["term"])) == term_id)
    forms = [str(entry["term"]), *(str(v) for v in entry.get("variants", []))]  # type: ignore[attr-defined]
    text = (sample_root / "site" / "begrippen" / story / "index.html").resolve().read_text(encoding="utf-8")
    assert any(form.casefold() in text.casefold() for form in forms)


def _slug(term: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


TABLET, DESKTOP = {"width": 768, "height": 1024}, {"width": 1366, "height": 900}


@pytest.mark.parametrize(
    ("address", "viewport"),
    [("/", DESKTOP), ("/regios/achterhoek/", DESKTOP), ("/over-de-cop/", TABLET), ("/", TABLET)],
    ids=["home-desktop", "region-desktop", "about-tablet", "home-tablet"],
)
def test_an_explanation_near_the_window_s_right_edge_stays_inside_it(
    browser: Browser, base_url: str, address: str, viewport: dict[str, int]
) -> None:
    """A reader red team found bubbles cut off at the right edge, the page scrolling sideways."""
    context = browser.new_context(viewport=viewport, locale="nl-NL", base_url=base_url)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(address)
        words = page.locator(".rv-begrip__woord")
        width = page.evaluate("document.documentElement.clientWidth")
        near_the_edge = [
            index
            for index in range(words.count())
            if (box := words.nth(index).bounding_box()) is not None and box["x"] + box["width"] > width * 0.6
        ]
        assert near_the_edge, "no term near the right edge: the test would test nothing"
        for index in near_the_edge:
            word = words.nth(index)
            word.scroll_into_view_if_needed()
            word.hover()
            tip = word.locator("xpath=following-sibling::*[contains(@class, 'rv-begrip__uitleg')]")
            expect(tip).to_be_visible()
            box = tip.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (address, index, box)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
