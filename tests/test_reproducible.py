"""Reproducible builds: the same content gives the same bytes, in any folder, on any day.

The repository's sample site is copied twice, to different folders and with different file
modification times, and built twice; every file of the two sites must be identical. Nothing
legitimately differs: MkDocs dates pages (sitemap `<lastmod>`, and the gzip header of
sitemap.xml.gz) by the day of the build, so the plugin dates them by their content instead (a
story by its date, every other page by the newest story; SOURCE_DATE_EPOCH, when set, wins);
feeds take `lastBuildDate` from the newest story; Pagefind's index is deterministic.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import struct
from pathlib import Path
from xml.etree import ElementTree

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from pagefind_files import built_files, filter_contents, stable_part, unstable_kinds
from sample_site import REPO, build_sample_site, copy_sample_sources, read_sources

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _copy_site(target: Path, mtime: float) -> Path:
    copy_sample_sources(target)
    for path in target.rglob("*"):
        os.utime(path, (mtime, mtime))
    return target


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The session's sample site (copied with the repository's file times, built with `mkdocs
    build`) and a copy in another folder, with other file times, built in this process."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        pytest.skip("SOURCE_DATE_EPOCH overrides the content dates this test checks")
    first = build_sample_site(tmp_path_factory)
    second = _copy_site(tmp_path_factory.mktemp("twee") / "andere-map", mtime=1_700_000_000)
    assert first.name != second.name
    build(load_config(str(second / "mkdocs.yml"), strict=True))
    return first / "site", second / "site"


def test_two_builds_of_the_same_content_are_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    one_files, other_files = built_files(first), built_files(second)
    one, other = stable_part(one_files), stable_part(other_files)
    assert len(one) > 100
    assert sorted(one) == sorted(other)
    differing = sorted(path for path in one if one[path] != other[path])
    assert differing == []
    # Pagefind's filter files hold the same values, maybe in another order (see pagefind_files).
    assert filter_contents(one_files) == filter_contents(other_files) != []
    assert unstable_kinds(one_files) == unstable_kinds(other_files)


def _story_dates(root: Path) -> list[dt.date]:
    """Published stories' dates, read from the sources with plain YAML."""
    return [story.date for story in read_sources(root).published]


def test_page_dates_come_from_the_content_not_the_build_day(two_builds: tuple[Path, Path]) -> None:
    site = two_builds[0]
    newest = max(_story_dates(REPO))
    lastmods = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in ElementTree.parse(site / "sitemap.xml").getroot()
    }
    assert lastmods, "the sitemap lists pages"
    assert set(lastmods.values()) <= {d.isoformat() for d in _story_dates(REPO)}
    assert lastmods[next(url for url in lastmods if url.endswith("/regios/"))] == newest.isoformat()
    # The compressed sitemap holds the same, and its gzip header the newest story's day, not today.
    compressed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed) == (site / "sitemap.xml").read_bytes()
    (mtime,) = struct.unpack("<I", compressed[4:8])
    assert dt.datetime.fromtimestamp(mtime, dt.UTC).date() == newest
