"""The reader's core tests again, on the sample site exported and built by Zensical (no plugin).

The tests are the ones in test_reader.py, imported: only the site under them differs here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from exported_site import build_exported_site
from sample_site import Sources, read_sources

from . import test_reader as reader
from .conftest import serve
from .test_reader import (
    test_a_theme_on_the_meta_card_leads_to_the_theme_page_listing_the_story,
    test_an_unknown_address_gets_a_dutch_404_page_whose_links_and_search_work,
    test_from_home_to_a_region_to_a_story_and_back,
    test_search_for_a_word_that_occurs_nowhere_says_so_in_dutch,
    test_search_page_lists_title_and_summary_for_every_result,
    test_skip_link_on_a_story_page_leads_to_the_story_title_not_past_it,
)
from .test_search_in_place import boeren_count, sized, test_header_search_shows_the_search_page_in_place

pytestmark = pytest.mark.browser

__all__ = [
    "test_a_theme_on_the_meta_card_leads_to_the_theme_page_listing_the_story",
    "test_an_unknown_address_gets_a_dutch_404_page_whose_links_and_search_work",
    "test_from_home_to_a_region_to_a_story_and_back",
    "test_search_for_a_word_that_occurs_nowhere_says_so_in_dutch",
    "test_search_page_lists_title_and_summary_for_every_result",
    "test_skip_link_on_a_story_page_leads_to_the_story_title_not_past_it",
    "boeren_count",
    "sized",
    "test_header_search_shows_the_search_page_in_place",
]


@pytest.fixture(scope="module")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exported project: its `site/` is what Zensical built."""
    return build_exported_site(tmp_path_factory).project


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return read_sources(build_exported_site(tmp_path_factory).root)


@pytest.fixture(scope="module")
def base_url(sample_root: Path) -> Iterator[str]:
    with serve(sample_root / "site") as url:
        yield url


# One word pair: the stemming is Pagefind's, run the same way on either engine's pages; the
# reader tests try three.
@pytest.mark.parametrize(("query", "form_in_story"), [("boeren", "boer")])
def test_header_search_finds_other_dutch_word_forms_and_leads_to_the_story(
    page: Page, sources: Sources, sample_root: Path, query: str, form_in_story: str
) -> None:
    reader.test_header_search_finds_other_dutch_word_forms_and_leads_to_the_story(
        page, sources, sample_root, query, form_in_story
    )
