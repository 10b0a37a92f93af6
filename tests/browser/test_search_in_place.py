"""The header's search box shows the search page in place, without loading a new page, once the
reader has put focus in it and it has fetched the search page and Pagefind's UI; the result is the
search page as a reader who loads `/zoeken/?q=...` gets it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from sample_site import Sources

from .conftest import RequestLog, expect_search_results_loaded, open_page, serious_axe_findings

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
UNKNOWN = "/verhalen/bestaat-niet/"


@pytest.fixture(params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[Page]:
    for page in open_page(browser, base_url, WIDTHS[request.param]):
        requests = RequestLog(page, base_url)
        yield page
        failed = requests.settled()
    # The unknown address that a test starts from is the one request that may fail.
    assert [request for request in failed if not request.endswith(UNKNOWN)] == [], f"failed requests: {failed}"


def _search_in_place(page: Page, start: str, query: str) -> None:
    page.goto(start)
    page.evaluate("window.__rvSamePage = true")
    box = page.get_by_role("searchbox", name="Zoek in de verhalen")
    box.focus()
    expect(page.locator("form.rv-zoekvak[data-in-place]")).to_have_count(1)
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(f"**/zoeken/?q={query}")
    expect_search_results_loaded(page)
    assert page.evaluate("window.__rvSamePage === true"), "the browser loaded a new page"


@pytest.fixture(scope="module")
def boeren_count(browser: Browser, base_url: str) -> str:
    """What the search page, loaded by its address, announces for "boeren": the same for every start."""
    for page in open_page(browser, base_url):
        page.goto("/zoeken/?q=boeren")
        expect(page.locator("#rv-zoek-aantal")).to_have_text(re.compile(r"^\d+ resulta"))
        count = page.locator("#rv-zoek-aantal").inner_text()
    return count


# Each start page once and each width at least once: where the page lies decides its links, the
# width decides the header; the back and axe tests below run at both widths.
@pytest.mark.parametrize(
    ("sized", "start"), [("desktop", "/"), ("phone", "story"), ("phone", UNKNOWN)], indirect=["sized"]
)
def test_header_search_shows_the_search_page_in_place(
    sized: Page, base_url: str, boeren_count: str, sources: Sources, start: str
) -> None:
    path = f"/{sources.published[0].url}" if start == "story" else start
    _search_in_place(sized, path, "boeren")
    expect(sized).to_have_title(re.compile(r"^Zoeken - "))
    expect(sized.get_by_role("heading", level=1)).to_have_text("Zoeken")
    # The same results as on the search page loaded by its address, announced in the live region.
    expect(sized.locator("#rv-zoek-aantal")).to_have_text(boeren_count)
    # Focus is in the search page's field, one Tab away from the first result.
    field = sized.locator("#rv-zoekterm")
    expect(field).to_be_focused()
    expect(field).to_have_value("boeren")
    sized.keyboard.press("Tab")
    first = sized.locator(".pagefind-ui__result-link").first
    expect(first).to_be_focused()
    # The page's other links were made for its old address: they still lead where they did.
    expect(sized.locator(".md-header a.md-logo")).to_have_attribute("href", base_url + "/")
    menu = sized.locator("label.md-header__button[for='__drawer']")
    drawer = sized.viewport_size is not None and sized.viewport_size["width"] < 1220  # Material's menu is a drawer
    if drawer:  # its links are hidden while it is closed
        menu.click()
    expect(sized.locator(".md-sidebar--primary .md-nav__link--active:visible").first).to_have_text("Zoeken")
    if drawer:  # closed again (its overlay now covers the button)
        sized.evaluate("document.getElementById('__drawer').click()")
    title = first.inner_text()
    first.click()
    sized.wait_for_url(re.compile(r"/verhalen/[a-z0-9-]+/$"))
    expect(sized).to_have_title(re.compile("^" + re.escape(title)))


def test_back_after_a_search_in_place_returns_to_the_page_and_a_second_search_stays_in_place(sized: Page) -> None:
    _search_in_place(sized, "/regios/", "boeren")
    box = sized.get_by_role("searchbox", name="Zoek in de verhalen")
    box.fill("water")
    box.press("Enter")
    sized.wait_for_url("**/zoeken/?q=water")
    expect(sized.locator("#rv-zoek-aantal")).to_have_text(re.compile(r"^\d+ resultaten voor water$"))
    assert sized.evaluate("window.__rvSamePage === true")
    sized.go_back()
    sized.wait_for_url("**/zoeken/?q=boeren")
    expect(sized.locator("#rv-zoek-aantal")).to_have_text(re.compile(r"^\d+ resultaten voor boeren$"))
    sized.go_back()
    sized.wait_for_url(re.compile(r"/regios/$"))
    expect(sized.get_by_role("heading", level=1)).to_have_text(re.compile("^Regio's"))


def test_search_page_shown_in_place_has_no_serious_axe_finding(sized: Page) -> None:
    _search_in_place(sized, "/", "boeren")
    blocking = serious_axe_findings(sized)
    assert blocking == [], "\n".join(blocking)
