"""Under `mkdocs serve` the finished build is swapped in as in a full build, and the old site is
removed afterwards by a thread, so that the browser reloads without waiting for that."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from regioverhalen.mkdocs.atomic_site import replace_dir_removing_old_later


def _site(folder: Path, text: str, pages: int = 50) -> None:
    for number in range(pages):
        page = folder / f"pagina-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(text, encoding="utf-8")


def test_the_new_site_is_in_place_when_the_swap_returns_and_the_old_one_goes_afterwards(tmp_path: Path) -> None:
    target, staging = tmp_path / "site", tmp_path / "site.staging"
    _site(target, "oud")
    _site(staging, "nieuw")
    remover = replace_dir_removing_old_later(str(target), str(staging))
    assert isinstance(remover, threading.Thread) and not remover.daemon
    assert (target / "pagina-7" / "index.html").read_text(encoding="utf-8") == "nieuw"
    assert not staging.exists()
    remover.join(timeout=30)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_second_swap_while_the_first_old_site_is_still_being_removed(tmp_path: Path) -> None:
    target, staging = tmp_path / "site", tmp_path / "site.staging"
    _site(target, "eerste", pages=300)
    _site(staging, "tweede")
    first = replace_dir_removing_old_later(str(target), str(staging))
    _site(staging, "derde")
    second = replace_dir_removing_old_later(str(target), str(staging))
    assert (target / "pagina-0" / "index.html").read_text(encoding="utf-8") == "derde"
    first.join(timeout=30)
    second.join(timeout=30)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_swap_keeps_the_old_site_and_removes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "site"
    _site(target, "oud", pages=3)
    with pytest.raises(FileNotFoundError):
        replace_dir_removing_old_later(str(target), str(tmp_path / "bestaat-niet"))
    assert (target / "pagina-2" / "index.html").read_text(encoding="utf-8") == "oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
