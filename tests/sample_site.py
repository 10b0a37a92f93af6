"""The repository's own sample site, built once per test session, and its sources read independently.

The sources are read here with plain YAML, not with the package under test, so that tests
compare what the site shows against what editors wrote.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from filelock import FileLock

REPO = Path(__file__).resolve().parent.parent
SITE_PARTS = ("mkdocs.yml", "docs", "regions", "stories", "overrides", "begrippen.yml")

_built: dict[str, Path] = {}


def copy_sample_sources(target: Path, parts: tuple[str, ...] = SITE_PARTS) -> Path:
    """Copy the repository's site sources (`parts`) into `target`, which is created. Returns `target`.

    The repository ships its sample site: a missing part fails the test instead of skipping it.
    """
    target.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = REPO / part
        assert source.exists(), f"the repository's sample site is incomplete: {part} is missing"
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name`, filled by `make` once per test session, however many xdist workers run.

    Under xdist every worker's temporary folder sits in one session folder; the first worker to
    take the lock makes the folder there and the others wait, then read it (the FileLock pattern of
    pytest-xdist's documentation). Only for tests that read the folder and change nothing in it.
    A folder whose `make` failed has no mark of completion, so the next worker tries again and fails
    with its own message.
    """
    if name in _built:
        return _built[name]
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    folder, done = shared / name, shared / f"{name}.done"
    with FileLock(shared / f"{name}.lock"):
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)
            make(folder)
            done.touch()
    _built[name] = folder
    return folder


def build_sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site sources copied to a temporary folder and built with `mkdocs build --strict`.

    Returns the folder that holds mkdocs.yml; the built site is its `site/`. Built once per session
    (see `made_once`): only for tests that read the built sample site and change nothing in it.
    """
    return made_once(tmp_path_factory, "sample-site", _build_sample_site)


def _build_sample_site(root: Path) -> None:
    copy_sample_sources(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"the sample site did not build:\n{result.stdout}\n{result.stderr}"
    assert (root / "site" / "index.html").is_file()


@dataclass
class SourceStory:
    path: Path
    slug: str
    meta: dict[str, Any]
    body: str

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def date(self) -> dt.date:
        value = self.meta["date"]
        assert isinstance(value, dt.date)
        return value

    @property
    def region(self) -> str:
        return str(self.meta["region"])

    @property
    def themes(self) -> list[str]:
        return list(self.meta.get("themes") or [])

    @property
    def draft(self) -> bool:
        return bool(self.meta.get("draft", False))

    @property
    def url(self) -> str:
        return f"verhalen/{self.slug}/"


@dataclass
class Sources:
    regions: dict[str, dict[str, Any]]
    stories: list[SourceStory] = field(default_factory=list)

    @property
    def published(self) -> list[SourceStory]:
        """Published stories, newest first, ties by slug (the site's documented order)."""
        stories = [s for s in self.stories if not s.draft]
        return sorted(stories, key=lambda s: (-s.date.toordinal(), s.slug))

    @property
    def drafts(self) -> list[SourceStory]:
        return [s for s in self.stories if s.draft]

    def participants(self) -> dict[str, dict[str, Any]]:
        return {p["id"]: {**p, "region": rid} for rid, r in self.regions.items() for p in r.get("participants") or []}

    def secret_names(self) -> list[str]:
        """Names of participants who did not consent to being named."""
        return sorted(p["name"] for p in self.participants().values() if p.get("public") is not True)

    def public_names(self) -> list[str]:
        return sorted(p["name"] for p in self.participants().values() if p.get("public") is True)


def read_sources(root: Path) -> Sources:
    regions = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "regions").glob("*.yml"))}
    sources = Sources(regions)
    for path in sorted((root / "stories").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("---\n"), path
        front, body = text[4:].split("\n---\n", 1)
        meta = yaml.safe_load(front)
        sources.stories.append(SourceStory(path, meta.get("slug") or path.stem, meta, body))
    return sources
