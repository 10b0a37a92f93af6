"""A reader's path again in the full Chromium a reader runs, not the headless shell the other
browser tests use: the same engine, so a difference here would be in the browser around it.

The tests are test_reader.py's, imported; only the browser under them differs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from sample_site import Sources

from .conftest import installed_chromium, launched, open_page, serious_axe_findings
from .test_reader import (
    test_from_home_to_a_region_to_a_story_and_back,
    test_search_page_lists_title_and_summary_for_every_result,
)

pytestmark = pytest.mark.browser

__all__ = [
    "test_from_home_to_a_region_to_a_story_and_back",
    "test_search_page_lists_title_and_summary_for_every_result",
]


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    with launched(playwright, installed_chromium("chromium")) as chromium:
        yield chromium


def test_the_tests_here_run_in_the_full_browser(browser: Browser) -> None:
    assert browser.new_browser_cdp_session().send("Browser.getVersion")["product"].startswith("Chrome/")


def test_a_story_on_a_phone_has_no_serious_axe_finding(browser: Browser, base_url: str, sources: Sources) -> None:
    for page in open_page(browser, base_url, (390, 844)):
        page.goto(f"/{sources.published[0].url}", wait_until="load")
        blocking = serious_axe_findings(page)
        assert blocking == [], "\n".join(blocking)
