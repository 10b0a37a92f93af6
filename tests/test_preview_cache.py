"""The fast live preview: under `mkdocs serve`, a rebuild reuses the story pages whose sources did
not change, and makes them exactly as a full build does; anything every page shows changes them all."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MKDOCS_YML, SiteDir

SERVE_URL = "https://test.example.org/"


def _build(site: SiteDir, command: str, site_dir: Path) -> None:
    """A build as `mkdocs serve` runs one: the configuration read again, the plugin kept."""
    config = load_config(str(site.root / "mkdocs.yml"), site_dir=str(site_dir))
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    build(config, serve_url=SERVE_URL if command == "serve" else None)


def _serving_plugin_build(site: SiteDir, site_dir: Path) -> None:
    config = load_config(str(site.root / "mkdocs.yml"), site_dir=str(site_dir))
    build(config, serve_url=SERVE_URL)


def _rebuild(site: SiteDir, site_dir: Path, caplog: pytest.LogCaptureFixture) -> tuple[int, int]:
    """A serve rebuild; how many story pages it said it reused, and how many story files it did
    not check again."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        _serving_plugin_build(site, site_dir)
    said = [r.getMessage().removeprefix("regioverhalen: ") for r in caplog.records]
    pages = [m for m in said if re.fullmatch(r"\d+ story pages? reused from the previous build", m)]
    files = [m for m in said if m.endswith(" of 3 story files unchanged since the last build")]
    assert len(pages) == len(files) == 1, said
    return int(pages[0].split()[0]), int(files[0].split()[0])


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.fixture
def served(site: SiteDir, tmp_path: Path) -> Iterator[SiteDir]:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", "  - regioverhalen:\n      search: none\n"))
    site.region("achterhoek")
    for slug in ("eerste", "tweede", "derde"):
        site.story(slug, "achterhoek", extra="lessons:\n  - level: opgave\n    text: Samen gaat het beter.")
    _build(site, "serve", tmp_path / "preview")
    yield site
    # MkDocs keeps one plugin per process: the tests after this one build, they do not serve.
    config = load_config(str(site.root / "mkdocs.yml"))
    config.plugins.on_shutdown()
    config.plugins.on_startup(command="build", dirty=False)


def test_a_one_story_edit_reuses_every_other_story_page_as_a_full_build_makes_it(
    served: SiteDir, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _edit(served.root / "stories/achterhoek/tweede.md", "vertelt.", "vertelt over de beek.")
    assert _rebuild(served, tmp_path / "preview", caplog) == (2, 2)
    preview = tmp_path / "preview" / "verhalen"
    assert "Een boer uit de regio vertelt over de beek." in (preview / "tweede/index.html").read_text("utf-8")

    _build(served, "build", tmp_path / "full")  # no pages kept: every page made anew
    full = tmp_path / "full" / "verhalen"
    for slug in ("eerste", "derde", "tweede"):
        assert (preview / slug / "index.html").read_bytes() == (full / slug / "index.html").read_bytes(), slug


def test_an_edit_every_story_page_shows_reuses_none(
    served: SiteDir, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _edit(served.root / "regions/achterhoek.yml", "name: Achterhoek", "name: De Achterhoek")
    assert _rebuild(served, tmp_path / "preview", caplog) == (0, 3)  # the stories' own checks hold
    _edit(served.root / "regions/achterhoek.yml", "public: true", "public: false")
    assert _rebuild(served, tmp_path / "preview", caplog) == (0, 0)  # who may be named: every story again
    assert "De Achterhoek" in (tmp_path / "preview/verhalen/eerste/index.html").read_text("utf-8")


def test_a_story_page_that_gave_a_warning_is_made_again_and_warns_again(
    served: SiteDir, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    story = served.root / "stories/achterhoek/derde.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n[Elders](../bestaat-niet.md)\n", "utf-8")
    _serving_plugin_build(served, tmp_path / "preview")  # derde warns; the other two are reused
    for _ in range(2):
        assert _rebuild(served, tmp_path / "preview", caplog) == (2, 3)
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any("bestaat-niet.md" in message for message in warnings), warnings
    shutil.rmtree(tmp_path / "preview")


LISTINGS = ("regios/index.html", "regios/achterhoek/index.html", "verhalen/index.html", "lessen/index.html")


def _listings_reused(caplog: pytest.LogCaptureFixture) -> bool:
    said = [r.getMessage().removeprefix("regioverhalen: ") for r in caplog.records]
    return "listing pages reused from the previous build" in said


def _assert_listings_as_a_full_build_makes_them(site: SiteDir, tmp_path: Path) -> None:
    _build(site, "build", tmp_path / "full")
    for page in LISTINGS:
        assert (tmp_path / "preview" / page).read_bytes() == (tmp_path / "full" / page).read_bytes(), page


def test_an_edit_of_a_story_s_text_reuses_the_listing_pages_as_a_full_build_makes_them(
    served: SiteDir, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _edit(served.root / "stories/achterhoek/tweede.md", "vertelt.", "vertelt over de beek.")
    assert _rebuild(served, tmp_path / "preview", caplog) == (2, 2)
    assert _listings_reused(caplog)
    _assert_listings_as_a_full_build_makes_them(served, tmp_path)


def test_an_edit_of_a_story_s_front_matter_makes_the_listing_pages_again(
    served: SiteDir, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _edit(served.root / "stories/achterhoek/tweede.md", "title: Verhaal tweede", "title: Langs de beek")
    _rebuild(served, tmp_path / "preview", caplog)
    assert not _listings_reused(caplog)
    assert "Langs de beek" in (tmp_path / "preview/regios/achterhoek/index.html").read_text("utf-8")
    _assert_listings_as_a_full_build_makes_them(served, tmp_path)


def test_an_edit_of_the_site_s_own_words_makes_the_listing_pages_again(
    served: SiteDir, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = served.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    served.write("overrides/regioverhalen/woorden.yml", "deelnemers: Wie doen er mee\n")
    _rebuild(served, tmp_path / "preview", caplog)
    _rebuild(served, tmp_path / "preview", caplog)
    assert _listings_reused(caplog)
    served.write("overrides/regioverhalen/woorden.yml", "deelnemers: Wie er meedoen\n")
    _rebuild(served, tmp_path / "preview", caplog)
    assert not _listings_reused(caplog)
    assert "Wie er meedoen" in (tmp_path / "preview/regios/achterhoek/index.html").read_text("utf-8")
