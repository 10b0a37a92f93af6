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
        "INFO    -  regioverhalen: 1 story published, 1 draft held back, 0 errors"
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
        "ERROR   -  build stopped: 1 error; nothing published (1 valid story, 0 drafts)" in result.stderr.splitlines()
    )
    assert not (site.root / "site").exists()


def test_the_editors_pages_are_not_reported_missing_from_the_navigation(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("gepubliceerd", "achterhoek")
    site.write("docs/redactiegids.md", "# Redactiegids\n\nHoe een verhaal op de site komt.\n")
    site.write("docs/over.md", "# Over deze site\n\nWie de verhalen verzamelt.\n")
    result = site.build_command("--strict")
    assert result.returncode == 0, result.stderr
    assert 'not included in the "nav"' not in result.stderr
    # Linked from every page's footer; a hand-written page of the site's own is in the navigation.
    home = (site.root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="redactiegids/"' in home
    assert home.count('href="over/"') >= 1
