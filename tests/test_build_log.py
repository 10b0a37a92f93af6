"""The build's log says each thing once, and a failed build claims no story published."""

from __future__ import annotations

from conftest import SiteDir


def test_a_build_with_a_draft_says_so_once(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("gepubliceerd", "achterhoek")
    site.story("concept", "achterhoek", extra="draft: true")
    result = site.build_command("--strict")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "regioverhalen" in line]
    assert [line for line in lines if "draft" in line] == [
        "INFO    -  regioverhalen: 1 stories published, 1 drafts held back, 0 errors"
    ]
    assert len(lines) == len(set(lines))


def test_a_failed_build_claims_no_story_published(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("goed", "achterhoek")
    site.story("fout", "achterhoek", extra="regoin: achterhoek")
    result = site.build_command()
    assert result.returncode == 1
    assert "published, " not in result.stderr
    assert (
        "ERROR   -  build stopped: 1 error; nothing published (1 valid stories, 0 drafts)" in result.stderr.splitlines()
    )
    assert not (site.root / "site").exists()
