"""WCAG 2.1 AA in practice, at a phone's and a desktop's width: every main page loads without a
failed request, and axe-core finds no serious or critical problem on it.

One page load and one axe run per page and width: the desktop covers every page, the phone one
page of each layout a reader meets (a page's content is the same at both widths; what the phone
changes is the layout around it: header, drawer, cards, timeline, tables that scroll sideways).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from regioverhalen.site.pages import theme_slug
from sample_site import Sources

from .conftest import RequestLog, expect_search_results_loaded, open_page, serious_axe_findings

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
#: One page of each layout, at both widths.
BOTH_WIDTHS = [
    "/",
    "/regios/",
    "region",
    "story",
    "/verhalen/",
    "/doorbraken/",
    "/zoeken/?q=boeren",
    "/veldenreferentie/",
]
#: Further pages, at a desktop's width.
DESKTOP_ONLY = ["/lessen/", "/themas/", "theme", "/redactiegids/", "/over-de-cop/", "/begrippen/"]
CASES = [(width, name) for width in WIDTHS for name in BOTH_WIDTHS] + [("desktop", name) for name in DESKTOP_ONLY]


def _path(name: str, sources: Sources) -> str:
    """A page's address; region, story and theme are those of a story with a breakthrough, lessons and themes."""
    story = next(s for s in sources.published if s.meta.get("breakthrough") and s.meta.get("lessons") and s.themes)
    paths = {
        "region": f"/regios/{story.region}/",
        "story": f"/{story.url}",
        "theme": f"/themas/{theme_slug(story.themes[0])}/",
    }
    return paths.get(name, name)


@pytest.fixture
def sized(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_page(browser, base_url, WIDTHS[request.node.callspec.params["width"]])


@pytest.mark.parametrize(("width", "name"), CASES)
def test_no_failed_request_and_no_serious_axe_finding(
    sized: Page, base_url: str, sources: Sources, width: str, name: str
) -> None:
    path = _path(name, sources)
    requests = RequestLog(sized, base_url)
    response = sized.goto(path, wait_until="load")
    assert response is not None and response.status == 200
    if name.startswith("/zoeken/"):
        # The results arrive after the page has loaded: Pagefind asks for them from its worker.
        expect_search_results_loaded(sized)
    blocking = serious_axe_findings(sized)
    assert blocking == [], "\n".join(blocking)
    assert requests.settled() == []
