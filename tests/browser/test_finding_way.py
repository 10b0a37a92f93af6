"""A reader finds their way, in Chromium at a phone's and a desktop's width: the home page's
region chooser and goal, /verhalen/ with and without JavaScript, search by theme and province,
a story that starts on the first screen. Failed requests and axe findings at both widths: test_accessibility.py."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Route, expect

from sample_site import Sources

from .conftest import expect_search_results_loaded, open_page

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _page(browser: Browser, base_url: str, width: str, javascript: bool = True) -> Iterator[Page]:
    yield from open_page(browser, base_url, WIDTHS[width], javascript)


@pytest.fixture
def sized(browser: Browser, base_url: str, width: str) -> Iterator[Page]:
    yield from _page(browser, base_url, width)


@pytest.fixture
def no_js(browser: Browser, base_url: str, width: str) -> Iterator[Page]:
    yield from _page(browser, base_url, width, javascript=False)


def test_home_map_has_a_keyboard_link_per_located_region(sized: Page, sources: Sources) -> None:
    sized.goto("/")
    located = {rid: r["name"] for rid, r in sources.regions.items() if r.get("location")}
    assert located, "the sample site needs regions with a location"
    links = sized.locator(".rv-kaart a.rv-kaart__regio")
    expect(links).to_have_count(len(located))
    names = sorted(name.strip() for name in links.all_text_contents())
    assert names == sorted(located.values())
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs == {f"regios/{rid}/" for rid in located}
    # Keyboard: Tab reaches the map's first link, and Enter opens that region.
    first = links.first
    for _ in range(40):
        sized.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the map's first region")
    sized.keyboard.press("Enter")
    expect(sized).to_have_url(re.compile(r"/regios/[a-z-]+/$"))


def test_home_lists_regions_by_province_and_links_all_stories(sized: Page, sources: Sources) -> None:
    sized.goto("/")
    for region in sources.regions.values():
        for province in region["provinces"]:
            group = sized.locator(".rv-provincies > li").filter(has=sized.locator(".rv-provincie", has_text=province))
            expect(group.get_by_role("link", name=region["name"], exact=True)).to_have_count(1)
    button = sized.get_by_role("link", name=f"Alle verhalen ({len(sources.published)})")
    expect(button).to_be_visible()
    button.click()
    expect(sized).to_have_url(re.compile(r"/verhalen/$"))


def test_home_goal_is_honest_after_the_deadline(sized: Page) -> None:
    # The sample site's deadline (2024-12-31) has passed: the outcome on that date, then today's state.
    assert dt.date.today() > dt.date(2024, 12, 31)
    sized.goto("/")
    goal = sized.locator(".rv-progress > p").first
    expect(goal).to_contain_text("uiterlijk 31 december 2024")
    expect(goal).to_contain_text(re.compile(r"Op die datum was dat gelukt in \d+ van de 10 regio's"))
    expect(goal).not_to_contain_text("hebben een aanwijsbare doorbraak. Doel:")


def test_all_stories_without_javascript(no_js: Page, sources: Sources) -> None:
    no_js.goto("/verhalen/")
    items = no_js.locator(".rv-items > .rv-item")
    expect(items).to_have_count(len(sources.published))
    newest_first = sorted(sources.published, key=lambda s: (s.date, s.slug), reverse=True)
    assert items.locator(".rv-item__title").all_text_contents()[0] == newest_first[0].title
    dates = [dt.date.fromisoformat(d) for d in items.locator("time").evaluate_all("els => els.map(e => e.dateTime)")]
    assert dates == sorted(dates, reverse=True)
    # A filter is a link: the year's page lists exactly that year's stories.
    year = newest_first[-1].date.year
    no_js.locator("#rv-filters summary").click()
    no_js.locator(f'[data-filter="jaar"] a[data-value="{year}"]').click()
    expect(no_js).to_have_url(re.compile(rf"/verhalen/jaar/{year}/$"))
    expected = [s for s in sources.published if s.date.year == year]
    expect(no_js.locator(".rv-items > .rv-item")).to_have_count(len(expected))
    expect(no_js.locator("#rv-filter-aantal")).to_have_text(
        f"{len(expected)} verha{'al' if len(expected) == 1 else 'len'}"
    )


def test_all_stories_filter_in_place_with_javascript(sized: Page, sources: Sources) -> None:
    sized.goto("/verhalen/")
    theme = "stikstof"
    expected = {s.title for s in sources.published if theme in s.themes}
    assert expected, "the sample site needs stories about stikstof"
    sized.locator("#rv-filters summary").click()
    chip = sized.locator(f'[data-filter="thema"] a[data-value="{theme}"]')
    chip.click()
    expect(sized).to_have_url(re.compile(rf"/verhalen/\?thema={theme}$"))
    expect(chip).to_have_attribute("aria-pressed", "true")
    visible = sized.locator(".rv-items > .rv-item:visible .rv-item__title")
    expect(visible).to_have_count(len(expected))
    assert set(visible.all_text_contents()) == expected
    expect(sized.locator("#rv-filter-aantal")).to_have_text(f"{len(expected)} verhalen")
    chip.click()  # chosen again: the filter is off
    expect(sized.locator(".rv-items > .rv-item:visible")).to_have_count(len(sources.published))


@pytest.mark.parametrize(("query", "region_or_theme"), [("stikstof", "theme"), ("friesland", "province")])
def test_search_finds_by_theme_and_province(sized: Page, sources: Sources, query: str, region_or_theme: str) -> None:
    if region_or_theme == "theme":
        expected = {s.title for s in sources.published if query in s.themes}
    else:
        fryslan = {rid for rid, r in sources.regions.items() if "Fryslân" in r["provinces"]}
        expected = {s.title for s in sources.published if s.region in fryslan}
    assert expected
    sized.goto(f"/zoeken/?q={query}")
    results = sized.locator(".pagefind-ui__result-link")
    expect(results.first).to_be_visible()
    expect(sized.locator("#rv-zoek-aantal")).to_have_text(re.compile(r"^\d+ resulta"))
    total = int(sized.locator("#rv-zoek-aantal").inner_text().split()[0])
    more = sized.locator("button.pagefind-ui__button")
    while more.count() and more.is_visible():  # Pagefind shows five results, then a button for more
        more.click()
    expect(results).to_have_count(total)
    found = set(results.all_text_contents())
    assert expected <= found, f"missing: {expected - found}"


def test_search_field_has_a_focus_ring_and_tab_goes_to_the_first_result(sized: Page) -> None:
    sized.goto("/zoeken/")
    field = sized.locator("#rv-zoekterm")
    field.focus()
    sized.keyboard.type("boeren")
    # Typed key by key, a slow machine may search "boe" first: wait for the results of the whole word,
    # since Tab while Pagefind swaps result lists has no first result to go to, and for every result
    # to have loaded, since the first one may still be a placeholder after a later one has loaded.
    expect(sized.locator("#rv-zoek-aantal")).to_have_text(re.compile(r"^\d+ resulta.*boeren"))
    expect_search_results_loaded(sized)
    outline = field.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline
    sized.keyboard.press("Tab")
    focused = sized.evaluate("document.activeElement.className")
    assert "pagefind-ui__result-link" in focused
    first = sized.locator(".pagefind-ui__result-link").first
    assert first.evaluate("el => el === document.activeElement")


def test_tab_from_the_search_field_skips_a_first_result_still_loading(sized: Page) -> None:
    """Tab goes to the first result, never to a later one that happened to load sooner."""
    held: list[Route] = []

    def hold_the_first_fragment(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)  # answered below, once Tab has been pressed

    sized.route("**/pagefind/fragment/*", hold_the_first_fragment)
    sized.goto("/zoeken/?q=boeren")
    expect(sized.locator(".pagefind-ui__result-link").first).to_be_visible()
    first_result = sized.locator(".pagefind-ui__result").first
    # The first result is the one held back: still a placeholder, without a link.
    expect(first_result.locator(".pagefind-ui__loading").first).to_be_attached()
    expect(first_result.locator(".pagefind-ui__result-link")).to_have_count(0)
    field = sized.locator("#rv-zoekterm")
    field.focus()
    sized.keyboard.press("Tab")
    assert not sized.evaluate("document.activeElement.classList.contains('pagefind-ui__result-link')")
    held[0].continue_()
    expect_search_results_loaded(sized)
    field.focus()
    sized.keyboard.press("Tab")
    assert first_result.locator(".pagefind-ui__result-link").evaluate("el => el === document.activeElement")


def test_search_page_without_javascript_points_to_all_stories(no_js: Page) -> None:
    no_js.goto("/zoeken/")
    expect(no_js.get_by_text("Zoeken werkt alleen met JavaScript")).to_be_visible()
    expect(no_js.locator("label.rv-zoek-label")).to_be_hidden()
    no_js.get_by_role("link", name="alle verhalen op één pagina").click()
    expect(no_js).to_have_url(re.compile(r"/verhalen/$"))


def test_story_starts_on_the_first_screen(sized: Page, sources: Sources, width: str) -> None:
    story = next(s for s in sources.published if s.meta.get("lessons"))
    sized.goto(f"/{story.url}")
    first_paragraph = sized.locator(".rv-story__body > p").first
    box = first_paragraph.bounding_box()
    assert box is not None
    assert box["y"] < WIDTHS[width][1], f"first paragraph starts at {box['y']} px"
    crumbs = sized.get_by_role("navigation", name="Kruimelpad").get_by_role("link")
    assert crumbs.all_text_contents() == ["Regio's", sources.regions[story.region]["name"]]
    expect(sized.locator(".rv-metacard .rv-uitleg").first).not_to_be_empty()


def test_story_without_breakthrough_says_so(sized: Page, sources: Sources) -> None:
    story = next(s for s in sources.published if not s.meta.get("breakthrough"))
    sized.goto(f"/{story.url}")
    expect(sized.locator(".rv-story__line")).to_contain_text("Nog geen doorbraak")


FOCUSED = """() => {
    const el = document.activeElement;
    return {
        tag: el.tagName.toLowerCase(),
        for: el.getAttribute("for"),
        inDrawer: !!el.closest(".md-sidebar--primary"),
        visible: el.getBoundingClientRect().width > 1 && el.getBoundingClientRect().right > 0,
    };
}"""


@pytest.mark.parametrize("viewport", [(360, 740), (683, 450)], ids=["phone", "desktop-at-200-percent"])
def test_the_menu_opens_from_the_keyboard_and_its_links_take_focus_only_when_open(
    browser: Browser, base_url: str, viewport: tuple[int, int]
) -> None:
    """A reader red team found the menu button out of reach of Tab, and Tab spending twenty
    presses on the closed, off-screen menu's links, with no focus to be seen."""
    for page in open_page(browser, base_url, viewport, True):
        page.goto("/regios/")
        stops = []
        for _ in range(12):
            page.keyboard.press("Tab")
            stops.append(page.evaluate(FOCUSED))
            if stops[-1]["for"] == "__drawer":
                break
        assert stops[-1]["for"] == "__drawer", stops
        assert all(stop["visible"] and not stop["inDrawer"] for stop in stops), stops
        page.keyboard.press("Space")
        assert page.evaluate("document.getElementById('__drawer').checked")
        page.keyboard.press("Enter")
        assert not page.evaluate("document.getElementById('__drawer').checked")
        page.keyboard.press("Enter")
        assert page.evaluate("document.getElementById('__drawer').checked")
        assert page.get_attribute('label.md-header__button[for="__drawer"]', "aria-expanded") == "true"
        for _ in range(8):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUSED)["inDrawer"]:
                break
        assert page.evaluate(FOCUSED) | {"tag": None} == {"tag": None, "for": None, "inDrawer": True, "visible": True}


def test_filters_chosen_by_the_address_are_shown_and_let_go_of_at_once(sized: Page, sources: Sources) -> None:
    """A reader red team found a filtered list with no sign of its filters, and nothing to undo them."""
    story = sources.published[0]
    year = str(story.date.year)
    expected = {s.title for s in sources.published if s.region == story.region and str(s.date.year) == year}
    sized.goto(f"/verhalen/?regio={story.region}&jaar={year}")
    expect(sized.locator("#rv-filters")).to_have_attribute("open", "")
    for key, value in (("regio", story.region), ("jaar", year)):
        expect(sized.locator(f'[data-filter="{key}"] a[data-value="{value}"]')).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(sized.locator(".rv-items > .rv-item:visible")).to_have_count(len(expected))
    clear = sized.get_by_role("button", name="Filters wissen")
    expect(clear).to_be_visible()
    clear.click()
    expect(sized.locator(".rv-items > .rv-item:visible")).to_have_count(len(sources.published))
    expect(sized).to_have_url(re.compile(r"/verhalen/$"))
    expect(clear).to_be_hidden()
    expect(sized.locator("#rv-filters summary")).to_be_focused()
    # A combination no story has: none shown, and the way back is there.
    sized.goto(f"/verhalen/?regio={story.region}&jaar=1999")
    expect(sized.locator("#rv-filter-aantal")).to_have_text("0 verhalen")
    expect(clear).to_be_visible()


@pytest.mark.parametrize("viewport", [(320, 640), (390, 844), (1280, 900)], ids=["small-phone", "phone", "desktop"])
def test_every_map_label_is_whole_on_the_screen(browser: Browser, base_url: str, viewport: tuple[int, int]) -> None:
    """A reader red team found 'eksche Waard' and 'Noord-Limbur' on a 320-pixel phone."""
    for page in open_page(browser, base_url, viewport, True):
        page.goto("/")
        labels = page.locator(".rv-kaart a.rv-kaart__regio")
        assert labels.count() > 0
        outside = page.evaluate(
            """() => [...document.querySelectorAll('.rv-kaart a.rv-kaart__regio')]
                .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
                .filter(([, r]) => r.left < 0 || r.right > document.documentElement.clientWidth)
                .map(([name]) => name)"""
        )
        assert outside == []


def test_keyboard_focus_in_the_green_header_is_white(browser: Browser, base_url: str) -> None:
    """A reader red team measured the logo's focus ring at 1.1:1 against the header."""
    for page in open_page(browser, base_url, (1280, 900), True):
        page.goto("/regios/")
        for _ in range(6):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.md-header a.md-logo')"):
                break
        ring = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.matches('.md-logo'), s.outlineStyle, s.outlineColor, s.outlineWidth]; })()"
        )
        assert ring == [True, "solid", "rgb(255, 255, 255)", "3px"]


def test_a_phone_shows_the_site_s_name_whole_and_the_search_button_when_tabbed_to(
    browser: Browser, base_url: str
) -> None:
    """A reader red team found 'Regioverh…' on a 360-pixel phone, and Tab stopping on an
    invisible search button."""
    for page in open_page(browser, base_url, (360, 740), True):
        page.goto("/regios/")
        assert page.evaluate(
            "(() => { const t = document.querySelector('.md-header__topic .md-ellipsis');"
            " return t.scrollWidth <= t.clientWidth; })()"
        )
        page.focus("#rv-zoekvak-invoer")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return [document.activeElement.textContent, r.width > 20, r.height > 20]; })()"
        )
        assert focused == ["Zoeken", True, True]


@pytest.mark.parametrize("size", [(360, 740), (390, 844), (1280, 900)], ids=["360", "390", "desktop"])
def test_the_header_search_field_shows_its_placeholder_whole(
    browser: Browser, base_url: str, size: tuple[int, int]
) -> None:
    """A reader red team found 'Zoek verh' on a phone: Chromium keeps room in an empty search field
    for the cross that clears it. Read from the pixels: the placeholder's last letter is drawn
    where the text, measured in the field's font, ends."""
    for page in open_page(browser, base_url, size, True):
        page.goto("/regios/")
        field = page.locator("#rv-zoekvak-invoer")
        text_ends = page.evaluate(
            "(() => { const i = document.querySelector('#rv-zoekvak-invoer'), s = getComputedStyle(i);"
            " const c = document.createElement('canvas').getContext('2d'); c.font = `${s.fontSize} ${s.fontFamily}`;"
            " return parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft) + c.measureText(i.placeholder).width; })()"
        )
        shot = Image.open(io.BytesIO(field.screenshot())).convert("L")
        # The letters, not the field's rounded corners and edges against the green header.
        rows, columns = range(4, shot.height - 4), range(3, shot.width - 3)
        inked = [x for x in columns if any(shot.getpixel((x, y)) < 200 for y in rows)]
        assert len(inked) > 20 and inked[-1] >= text_ends - 3, (inked[0], inked[-1], text_ends)
