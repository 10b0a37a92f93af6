"""The repository's own CoP content: it checks clean and builds with --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from regioverhalen.loading import load_content
from regioverhalen.settings import read_settings


@pytest.fixture(scope="module")
def sample_content():  # type: ignore[no-untyped-def]
    return load_content(read_settings(REPO / "mkdocs.yml").paths)


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_sample_content_checks_clean(sample_content) -> None:  # type: ignore[no-untyped-def]
    assert sample_content.problems == []
    assert len(sample_content.regions) == 10
    assert len(sample_content.stories) >= 25
    assert len(sample_content.drafts) >= 1


def test_sample_content_covers_the_contract(sample_content) -> None:  # type: ignore[no-untyped-def]
    participants = [p for r in sample_content.regions.values() for p in r.data.participants]
    roles = {p.role for p in participants}
    assert roles == {"gemeente", "provincie", "rijk", "waterschap", "burgerinitiatief", "zzp", "boer", "ondernemer", "anders"}
    assert {p.public for p in participants} == {True, False}
    statuses = {s.meta.breakthrough.status for s in sample_content.stories if s.meta.breakthrough}
    assert statuses == {"aanwijsbaar", "in-wording"}
    levels = {lesson.level for s in sample_content.stories for lesson in s.meta.lessons}
    assert levels == {"individu", "opgave", "organisatie"}


def test_check_command_exits_zero_on_sample(sample_content) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run([sys.executable, "-m", "regioverhalen.cli", "check"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout == (
        f"{len(sample_content.stories)} stories published, {len(sample_content.drafts)} drafts held back, 0 errors\n"
    )


def test_sample_site_has_a_page_per_region_and_published_story(sample_content, built_sample: Path) -> None:  # type: ignore[no-untyped-def]
    regions = sorted(p.parent.name for p in (built_sample / "regios").glob("*/index.html"))
    assert regions == sorted(sample_content.regions)
    stories = sorted(p.parent.name for p in (built_sample / "verhalen").glob("*/index.html"))
    assert stories == sorted(s.slug for s in sample_content.stories)
    for draft in sample_content.drafts:
        assert not (built_sample / "verhalen" / draft.slug).exists()
    for page in ("index.html", "regios/index.html", "doorbraken/index.html", "lessen/index.html", "themas/index.html", "feed.xml", "data/stories.json"):
        assert (built_sample / page).is_file(), page


def test_sample_site_html_is_dutch(built_sample: Path) -> None:
    assert '<html lang="nl"' in (built_sample / "index.html").read_text(encoding="utf-8")
