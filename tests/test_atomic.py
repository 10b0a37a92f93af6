"""Atomic builds: a failed build leaves the previous site exactly as it was; a good one replaces it whole.

The site is built into a staging folder next to the site folder and swapped in only when the
whole build succeeded. Failures are tried at every stage: content errors (before anything is
written), a template that breaks while pages are being written, and a search indexer that
fails after every page, feed and data file has been written.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from conftest import SiteDir


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` by relative path, with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(site: SiteDir) -> list[str]:
    """Staging or backup folders a build left behind next to the site folder."""
    return sorted(p.name for p in site.root.iterdir() if p.name.startswith("site."))


@pytest.fixture
def built(site: SiteDir) -> tuple[SiteDir, dict[str, str]]:
    site.region("achterhoek")
    site.story("eerste", "achterhoek", title="Eerste")
    site.story("tweede", "achterhoek", date="2023-06-01", title="Tweede")
    out = site.build()
    before = snapshot(out)
    assert len(before) > 50 and "verhalen/eerste/index.html" in before and "pagefind/pagefind.js" in before
    return site, before


def test_a_content_error_keeps_the_previous_site(
    built: tuple[SiteDir, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    site, before = built
    site.story("derde", "achterhoek", title="Derde")
    site.write("stories/achterhoek/kapot.md", "---\ntitle: Kapot\ndate: 2023-02-30\n---\n")
    with pytest.raises(Abort):
        site.build()
    assert snapshot(site.root / "site") == before
    assert leftovers(site) == []
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert (
        "regioverhalen: stories/achterhoek/kapot.md:3:7: error: invalid date '2023-02-30': "
        "day is out of range for month" in errors
    )


def test_a_template_failing_while_pages_are_written_keeps_the_previous_site(
    built: tuple[SiteDir, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    site, before = built
    site.write(
        "mkdocs.yml",
        (site.root / "mkdocs.yml").read_text().replace("  language: nl\n", "  language: nl\n  custom_dir: overrides\n"),
    )
    # Our story template, overridden by one that breaks on the newest story only: pages before it are written.
    site.write(
        "overrides/verhaal.html",
        '{% extends "main.html" %}{% block content %}'
        '{% if verhaal.title == "Derde" %}{{ page.meta.no_such_key.boom }}{% endif %}{{ page.content }}{% endblock %}',
    )
    site.story("derde", "achterhoek", date="2023-07-01", title="Derde")
    with pytest.raises(Abort):
        site.build()
    assert snapshot(site.root / "site") == before
    assert leftovers(site) == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "Error building page 'verhalen/derde.md': 'dict object' has no attribute 'no_such_key'",
        "overrides/verhaal.html:1:91: error: in a page template: 'dict object' has no attribute 'no_such_key'",
    ]


def test_a_failure_after_everything_was_written_keeps_the_previous_site(
    built: tuple[SiteDir, dict[str, str]], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The search indexer runs last, after pages, feeds and open data: make it fail."""
    site, before = built
    site.story("derde", "achterhoek", title="Derde")
    monkeypatch.chdir(site.root)
    site.write("pagefind.yml", "site: [niet afgesloten\n")  # Pagefind reads its configuration from here
    with pytest.raises(Abort):
        site.build()
    assert snapshot(site.root / "site") == before
    assert leftovers(site) == []
    assert any(
        r.getMessage().startswith("search indexing failed") for r in caplog.records if r.levelno >= logging.ERROR
    )


def test_a_good_build_replaces_the_site_whole(built: tuple[SiteDir, dict[str, str]]) -> None:
    site, before = built
    out = site.root / "site"
    (out / "oud-bestand.txt").write_text("van een vorige build", encoding="utf-8")
    (site.root / "stories/achterhoek/tweede.md").unlink()
    site.story("derde", "achterhoek", title="Derde")
    site.build()
    after = snapshot(out)
    assert "oud-bestand.txt" not in after
    assert "verhalen/tweede/index.html" not in after, "a removed story's page is gone"
    assert "verhalen/derde/index.html" in after
    assert after["index.html"] != before["index.html"]
    assert leftovers(site) == []


def test_a_failed_build_after_a_good_one_after_a_failed_one(built: tuple[SiteDir, dict[str, str]]) -> None:
    """Failures do not accumulate: fail, succeed, fail again; each failure keeps the latest good site."""
    site, _ = built
    broken = site.write("stories/achterhoek/kapot.md", "---\ntitle: Kapot\n---\n")
    with pytest.raises(Abort):
        site.build()
    broken.unlink()
    site.story("derde", "achterhoek", title="Derde")
    site.build()
    good = snapshot(site.root / "site")
    assert "verhalen/derde/index.html" in good
    site.write("stories/achterhoek/kapot.md", "---\ntitle: Kapot\n---\n")
    with pytest.raises(Abort):
        site.build()
    assert snapshot(site.root / "site") == good
    assert leftovers(site) == []
