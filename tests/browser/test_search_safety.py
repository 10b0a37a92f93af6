"""Search results show contributor text as text: markup in a summary or region name never runs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import open_page, serve

pytestmark = pytest.mark.browser

SUMMARY = 'Boeren en <img src="x" onerror="window.__rvPwned = 1"> <b>vet</b> &amp; meer.'
FILES = {
    "mkdocs.yml": """\
        site_name: Veilig zoeken
        theme: {name: material, language: nl}
        plugins: [regioverhalen]
        """,
    "docs/index.md": "# Start\n",
    "regions/maas-en-waal.yml": """\
        name: Maas & Waal
        provinces: [Gelderland]
        horizon: Een rivierengebied.
        participants:
          - {id: mw-boer, name: Geheime Boer, role: boer}
        """,
    "stories/mw/proef.md": f"""\
        ---
        title: Een proef met boeren
        date: 2024-02-03
        region: maas-en-waal
        participants: [mw-boer]
        summary: '{SUMMARY}'
        ---
        Een boer vertelt over de proef.
        """,
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile-site")
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    with serve(Path(root) / "site") as url:
        yield url


@pytest.fixture
def hostile_page(browser: Browser, hostile_site: str) -> Iterator[Page]:
    yield from open_page(browser, hostile_site)


def test_markup_in_a_summary_or_region_name_is_shown_as_text_in_search_results(hostile_page: Page) -> None:
    page = hostile_page
    page.goto("/zoeken/?q=boer")
    result = page.locator(".pagefind-ui__result")
    expect(result).to_have_count(1)
    expect(result.locator(".rv-zoek-meta")).to_have_text("Maas & Waal · 3 februari 2024")
    expect(result.locator(".pagefind-ui__result-excerpt")).to_have_text("Maas & Waal · 3 februari 2024" + SUMMARY)
    assert result.locator("img, b, i").count() == 0
    assert page.evaluate("window.__rvPwned") is None
    # And the name of the participant without consent is nowhere on the page.
    assert "Geheime Boer" not in page.content()


def test_search_for_a_participant_without_consent_finds_nothing(hostile_page: Page) -> None:
    """The built site was scanned for the name before it was published, the search index included."""
    page = hostile_page
    page.goto("/zoeken/?q=Geheime")  # "Boer" alone is a word, and finds the story about farmers
    expect(page.locator(".pagefind-ui__message")).to_have_text("Geen resultaten voor Geheime")
    expect(page.locator(".pagefind-ui__result")).to_have_count(0)
