"""The sample site exported with `regioverhalen export` and built with Zensical, once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from sample_site import build_sample_site, made_once


@dataclass(frozen=True)
class ExportedSite:
    #: The sample site's folder (mkdocs.yml), whose `site/` is the MkDocs build.
    root: Path
    #: The exported project, whose `site/` is Zensical's build.
    project: Path
    #: What `zensical build` printed.
    build_output: str

    @property
    def mkdocs_site(self) -> Path:
        return self.root / "site"

    @property
    def zensical_site(self) -> Path:
        return self.project / "site"


#: What `zensical build` printed, kept beside the exported project for every worker to read.
BUILD_OUTPUT = "zensical-build.txt"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def regioverhalen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "regioverhalen.cli", *args], cwd)


def zensical_build(project: Path) -> subprocess.CompletedProcess[str]:
    """`zensical build` as the README says to run it: strict (a warning fails it), without cache."""
    return run([sys.executable, "-m", "zensical", "build", "--strict", "--clean"], project)


def build_exported_site(tmp_path_factory: pytest.TempPathFactory) -> ExportedSite:
    """Export the sample site, build it with Zensical, then check and index it (`export --finish`).

    Made once per session (see `made_once`): only for tests that read it and change nothing in it.
    """
    root = build_sample_site(tmp_path_factory)

    def export_and_build(folder: Path) -> None:
        folder.mkdir()
        project = folder / "out"
        exported = regioverhalen("export", str(project), cwd=root)
        assert exported.returncode == 0, exported.stdout + exported.stderr
        built = zensical_build(project)
        assert built.returncode == 0, built.stdout + built.stderr
        finished = regioverhalen("export", "--finish", str(project), cwd=root)
        assert finished.returncode == 0, finished.stdout + finished.stderr
        (folder / BUILD_OUTPUT).write_text(built.stdout + built.stderr, encoding="utf-8")

    folder = made_once(tmp_path_factory, "exported", export_and_build)
    return ExportedSite(root, folder / "out", (folder / BUILD_OUTPUT).read_text(encoding="utf-8"))
