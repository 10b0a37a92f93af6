"""The home page's menu names the site once: its title is the site's name, its entry is "Start"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from .conftest import open_page

pytestmark = pytest.mark.browser

# Visible elements in the menu whose own text (not a child's) is exactly the given text.
VISIBLE_WITH_OWN_TEXT = """(text) => Array.from(document.querySelectorAll('.md-sidebar--primary *'))
  .filter(el => el.checkVisibility() && Array.from(el.childNodes)
    .some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim() === text))
  .map(el => el.className)"""


@pytest.mark.parametrize("size", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_home_menu_shows_the_site_name_once_and_a_start_entry(
    browser: Browser, base_url: str, sample_root: Path, size: tuple[int, int]
) -> None:
    found = re.search(r"^site_name: (.+)$", (sample_root / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert found is not None
    site_name = found[1].strip()
    for page in open_page(browser, base_url, size):
        page.goto("/")
        if size[0] < 1220:  # Material's menu is a drawer below this width
            page.locator("label.md-header__button[for='__drawer']").click()
        # On a phone the active entry is shown as the toggle of its table of contents, not as the link.
        expect(page.locator(".md-sidebar--primary .md-nav__link--active:visible").first).to_have_text("Start")
        expect(page.locator(".md-sidebar--primary a.md-nav__link--active")).to_have_attribute("href", ".")
        assert page.evaluate(VISIBLE_WITH_OWN_TEXT, site_name) == ["md-nav__title"]
