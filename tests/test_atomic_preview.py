"""Under `mkdocs serve` the finished build is swapped in as in a full build. The site of the build
before last is kept as a spare and becomes the next staging folder, so that a rebuild writes over
files instead of creating them; what the rebuild did not write never reaches the preview."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MKDOCS_YML, SiteDir

SERVE_URL = "http://127.0.0.1:8000/"
PAGE = Path("verhalen/eerste/index.html")


def _build(site: SiteDir, site_dir: Path, command: str = "serve") -> None:
    """A build as `mkdocs serve` runs one: the configuration read again, the plugin kept."""
    config = load_config(str(site.root / "mkdocs.yml"), site_dir=str(site_dir))
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    build(config, serve_url=SERVE_URL if command == "serve" else None)


def _removals_done() -> None:
    for thread in threading.enumerate():
        if thread.name == "regioverhalen-remove-old-site":
            thread.join(timeout=60)


def _files(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def _served(site: SiteDir, plugins: str) -> SiteDir:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", plugins))
    site.region("achterhoek")
    for slug in ("eerste", "tweede", "derde"):
        site.story(slug, "achterhoek")
    return site


ONLY_THIS_PLUGIN = "  - regioverhalen:\n      search: none\n"


def _preview_after(site: SiteDir, tmp_path: Path, builds: int) -> tuple[Path, Path]:
    """The folder beside the preview's, and the preview after `builds` serve builds (a spare
    exists from the third on)."""
    _served(site, ONLY_THIS_PLUGIN)
    out = tmp_path / "uit"
    for _ in range(builds):
        _build(site, out / "preview")
    return out, out / "preview"


@pytest.fixture
def shut_down(site: SiteDir) -> Iterator[None]:
    yield
    # MkDocs keeps one plugin per process: the tests after this one build, they do not serve.
    config = load_config(str(site.root / "mkdocs.yml"))
    config.plugins.on_shutdown()
    config.plugins.on_startup(command="build", dirty=False)


def test_a_rebuild_writes_over_the_spare_and_publishes_only_what_it_wrote(
    site: SiteDir, tmp_path: Path, shut_down: None
) -> None:
    _served(site, ONLY_THIS_PLUGIN)
    out = tmp_path / "uit"
    preview, spare = out / "preview", out / "preview.spare"
    _build(site, preview)
    first_inode = (preview / PAGE).stat().st_ino
    # What the build before last left that this build will not write: a search index written
    # after the swap (as Pagefind's is under serve), a stray page, and a story that becomes a draft.
    (preview / "pagefind").mkdir()
    (preview / "pagefind" / "fragment.pf_fragment").write_bytes(b"oud")
    (preview / "verhalen" / "oud.html").write_text("oud", encoding="utf-8")

    _build(site, preview)
    assert spare.is_dir() and (spare / PAGE).stat().st_ino == first_inode
    site.story("derde", "achterhoek", extra="draft: true")
    _build(site, preview)
    _removals_done()

    assert (preview / PAGE).stat().st_ino == first_inode  # written over, not made anew
    assert preview.stat().st_mode & 0o777 == 0o700  # private, as MkDocs' own preview folder
    assert not (preview / "verhalen" / "derde").exists()
    assert not (preview / "pagefind").exists()
    assert not (preview / "verhalen" / "oud.html").exists()
    assert sorted(p.name for p in out.iterdir()) == ["preview", "preview.spare"]
    load_config(str(site.root / "mkdocs.yml")).plugins.on_shutdown()  # the end of `mkdocs serve`
    assert sorted(p.name for p in out.iterdir()) == ["preview"]

    _build(site, out / "full", command="build")
    assert _files(preview) == _files(out / "full")


def test_with_another_plugin_every_rebuild_starts_from_an_empty_folder(
    site: SiteDir, tmp_path: Path, shut_down: None
) -> None:
    # Another plugin might leave a file it finds in place unwritten, which would then be removed.
    _served(site, "  - search\n" + ONLY_THIS_PLUGIN)
    preview = tmp_path / "preview"
    _build(site, preview)
    first_inode = (preview / PAGE).stat().st_ino
    (preview / "verhalen" / "oud.html").write_text("oud", encoding="utf-8")
    _build(site, preview)
    _build(site, preview)
    _removals_done()
    assert (preview / PAGE).stat().st_ino != first_inode
    assert not (preview / "verhalen" / "oud.html").exists()
    assert "Verhaal eerste" in (preview / PAGE).read_text(encoding="utf-8")
    assert (preview / "search" / "search_index.json").is_file()


def test_a_failed_rebuild_keeps_the_served_site(site: SiteDir, tmp_path: Path, shut_down: None) -> None:
    out, preview = _preview_after(site, tmp_path, builds=2)
    before = {rel: (preview / rel).read_bytes() for rel in _files(preview)}
    site.write("docs/kapot.md", "# Kapot\n\n[link](bestaat-niet.md)\n")
    config = load_config(str(site.root / "mkdocs.yml"), site_dir=str(preview), strict=True)
    config.plugins.on_startup(command="serve", dirty=False)  # type: ignore[arg-type]
    with pytest.raises(Exception, match="in strict mode"):
        build(config, serve_url=SERVE_URL)
    _removals_done()
    assert {rel: (preview / rel).read_bytes() for rel in _files(preview)} == before
    assert sorted(p.name for p in out.iterdir()) == ["preview"]


def test_atomic_false_set_while_serving_builds_in_place_and_leaves_no_spare(
    site: SiteDir, tmp_path: Path, shut_down: None
) -> None:
    out, preview = _preview_after(site, tmp_path, builds=3)
    assert sorted(p.name for p in out.iterdir()) == ["preview", "preview.spare"]
    site.write(
        "mkdocs.yml",
        (site.root / "mkdocs.yml").read_text().replace("search: none", "search: none\n      atomic: false"),
    )
    site.story("eerste", "achterhoek", title="Langs de beek")
    _build(site, preview)
    _removals_done()
    assert "Langs de beek" in (preview / PAGE).read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["preview"]


def test_ctrl_c_in_the_middle_of_a_rebuild_leaves_nothing_once_serve_ends(
    site: SiteDir, tmp_path: Path, shut_down: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, preview = _preview_after(site, tmp_path, builds=3)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while MkDocs writes the pages

    monkeypatch.setattr("mkdocs.commands.build._build_page", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _build(site, preview)
    assert (out / "preview.staging").is_dir()  # the spare, half rewritten
    load_config(str(site.root / "mkdocs.yml")).plugins.on_shutdown()  # what `mkdocs serve` does then
    shutil.rmtree(preview)
    _removals_done()
    assert list(out.iterdir()) == []


def test_a_file_whose_name_no_address_can_show_is_told_and_left_out_of_the_preview(
    site: SiteDir, tmp_path: Path, shut_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    _served(site, ONLY_THIS_PLUGIN)
    site.write("docs/over.md", "# Over\n")
    preview = tmp_path / "preview"
    _build(site, preview)
    # A rebuild with a problem in the content goes on with the content of the last good one.
    (site.root / "docs" / os.fsdecode(b"d\xff.md")).write_text("# Nep\n", encoding="utf-8")
    _build(site, preview)
    _removals_done()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    told = "the name of this file or a folder above it holds the byte 0xFF, which is not UTF-8 text; rename it"
    assert [error for error in errors if "d\\udcff" in error] == [f"regioverhalen: docs/d\\udcff.md:1:1: error: {told}"]
    assert (preview / "over" / "index.html").is_file()
    assert (preview / PAGE).is_file()
    assert not any("d\udcff" in rel for rel in _files(preview))
