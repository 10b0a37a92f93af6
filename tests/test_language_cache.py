"""The language check's cache: what `check` reads from it is what it would have computed."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SiteDir
from regioverhalen.content import plain_language
from regioverhalen.content.collection import Story
from regioverhalen.content.language_cache import CACHE_FILE, check_stories_cached
from regioverhalen.content.loading import load_content
from regioverhalen.content.plain_language import LanguageSettings, check_stories
from regioverhalen.site.settings import read_settings

LONG = "Toen de boeren uit de polder en de mensen van het waterschap na een lange winter samen aan " * 2


def _site(site: SiteDir) -> None:
    site.region("achterhoek")
    for slug in ("een", "twee", "drie"):
        site.story(slug, "achterhoek")
    path = site.story("lang", "achterhoek")
    path.write_text(path.read_text(encoding="utf-8") + "\n" + LONG.strip() + ".\n", encoding="utf-8")


def _stories(site: SiteDir) -> list[Story]:
    settings = read_settings(site.root / "mkdocs.yml")
    return load_content(settings.paths).stories


def _entries(site: SiteDir) -> dict[str, list[object]]:
    return json.loads((site.root / CACHE_FILE).read_text(encoding="utf-8"))["stories"]  # type: ignore[no-any-return]


def test_a_warm_check_prints_what_a_cold_one_does_and_without_the_cache(site: SiteDir) -> None:
    _site(site)
    cold = site.check("--format", "json")
    assert (site.root / CACHE_FILE).is_file()
    warm = site.check("--format", "json")
    uncached = site.check("--format", "json", "--no-cache")
    assert json.loads(cold.out)["language"]["stories"]  # there are figures to compare
    assert "sentence of 36 words" in cold.out
    assert warm.out == cold.out == uncached.out
    assert warm.code == cold.code == uncached.code == 0


def test_a_check_in_another_language_does_not_print_the_cached_warnings_of_the_first(site: SiteDir) -> None:
    _site(site)
    english = site.check("--lang", "en")
    dutch = site.check("--lang", "nl")
    assert (
        "stories/achterhoek/lang.md:13:1: warning: sentence of 36 words; more than 25 is hard to follow: split it"
        in english.lines
    )
    assert (
        "stories/achterhoek/lang.md:13:1: warning: zin van 36 woorden; meer dan 25 is moeilijk te volgen: splits de zin"
        in dutch.lines
    )
    assert dutch.out == site.check("--lang", "nl", "--no-cache").out
    assert site.check("--lang", "en").out == english.out


def test_no_cache_writes_no_file(site: SiteDir) -> None:
    _site(site)
    site.check("--no-cache")
    assert not (site.root / CACHE_FILE).exists()


def test_unchanged_stories_are_read_from_the_cache_and_changed_ones_analysed(site: SiteDir) -> None:
    _site(site)
    settings = LanguageSettings()
    cache = site.root / CACHE_FILE
    stories = _stories(site)
    assert check_stories_cached(stories, settings, cache) == check_stories(stories, settings)
    # Mark every cached entry, so that a figure read from the cache shows it.
    data = json.loads(cache.read_text(encoding="utf-8"))
    for entry in data["stories"].values():
        entry[0] = 4242
    cache.write_text(json.dumps(data), encoding="utf-8")
    edited = site.story("een", "achterhoek")
    edited.write_text(edited.read_text(encoding="utf-8") + "\nNog een zin erbij.\n", encoding="utf-8")
    stories = _stories(site)
    words = {
        story.path.rsplit("/", 1)[-1]: result.words
        for story, result in zip(stories, check_stories_cached(stories, settings, cache), strict=True)
    }
    fresh = {
        story.path.rsplit("/", 1)[-1]: result.words
        for story, result in zip(stories, check_stories(stories, settings), strict=True)
    }
    assert words == {**{name: 4242 for name in fresh}, "een.md": fresh["een.md"]}
    # The stale entry of the old text is dropped; one entry per story remains.
    assert len(_entries(site)) == len(stories) == 4


def test_changed_settings_analyse_every_story_again(site: SiteDir) -> None:
    _site(site)
    cache = site.root / CACHE_FILE
    stories = _stories(site)
    check_stories_cached(stories, LanguageSettings(), cache)
    stricter = LanguageSettings(max_sentence_words=10)
    assert check_stories_cached(stories, stricter, cache) == check_stories(stories, stricter)
    assert any(w.message.startswith("sentence of") for r in check_stories(stories, stricter) for w in r.warnings)


def test_all_stories_found_in_the_cache_load_no_dictionary(site: SiteDir) -> None:
    _site(site)
    cache = site.root / CACHE_FILE
    stories = _stories(site)
    check_stories_cached(stories, LanguageSettings(), cache)
    plain_language._dictionary.cache_clear()
    plain_language.syllable_count.cache_clear()
    check_stories_cached(stories, LanguageSettings(), cache)
    assert plain_language._dictionary.cache_info().misses == 0


def test_a_damaged_or_foreign_cache_file_is_ignored_and_replaced(site: SiteDir) -> None:
    _site(site)
    cache = site.root / CACHE_FILE
    stories = _stories(site)
    expected = check_stories(stories, LanguageSettings())
    check_stories_cached(stories, LanguageSettings(), cache)
    entries = _entries(site)
    first = next(iter(entries))
    for damaged in ("{not json", json.dumps({"format": 0, "stories": entries}), json.dumps([1, 2])):
        cache.write_text(damaged, encoding="utf-8")
        assert check_stories_cached(stories, LanguageSettings(), cache) == expected
        assert _entries(site) == entries
    broken = {**entries, first: ["many", 1, 1, None, 1, []]}
    cache.write_text(json.dumps({"format": 1, "stories": broken}), encoding="utf-8")
    assert check_stories_cached(stories, LanguageSettings(), cache) == expected


def test_an_unwritable_cache_folder_does_not_stop_the_check(site: SiteDir, tmp_path: Path) -> None:
    _site(site)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    stories = _stories(site)
    expected = check_stories(stories, LanguageSettings())
    assert check_stories_cached(stories, LanguageSettings(), blocker / "sub" / "language.json") == expected
