"""Shared fixtures: a real site folder in tmp_path, the real CLI, real MkDocs builds."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from regioverhalen.cli import main
from regioverhalen.content.messages import ENVIRONMENT_VARIABLE, use_language

REPO = Path(__file__).resolve().parent.parent

MKDOCS_YML = """\
site_name: Testregio's
site_url: https://test.example.org/
theme:
  name: material
  language: nl
markdown_extensions: [admonition, attr_list, md_in_html, toc]
plugins:
  - regioverhalen
"""

HOME = """\
---
title: Start
---
# Start

<!-- regioverhalen:voortgang -->

<!-- regioverhalen:nieuwste -->
"""

REGION = """\
name: {name}
provinces: [Gelderland]
horizon: Een regio die samen de bodem herstelt.
participants:
  - id: {id}-boer
    name: {secret}
    role: boer
  - id: {id}-gemeente
    name: {public}
    role: gemeente
    organisation: Gemeente {name}
    public: true
"""

STORY = """\
---
title: {title}
date: {date}
region: {region}
participants: [{region}-boer, {region}-gemeente]
summary: Een korte samenvatting van {title}.
themes: [bodem]
---
## De uitdaging

Een boer uit de regio vertelt.
"""


@dataclass
class CliResult:
    code: int
    out: str
    err: str = ""

    @property
    def lines(self) -> list[str]:
        return self.out.rstrip("\n").split("\n")


class SiteDir:
    """A site on disk: mkdocs.yml, docs/, regions/ and stories/."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self._capsys = capsys
        #: Whether `build` stops on a warning, as `mkdocs build --strict` does.
        self.strict = True
        self.write("mkdocs.yml", MKDOCS_YML)
        self.write("docs/index.md", HOME)
        (root / "stories").mkdir()

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def write_bytes(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def region(self, region_id: str, name: str | None = None, secret: str | None = None) -> None:
        name = name or region_id.replace("-", " ").title()
        secret = secret or f"Geheime Boer {name}"
        self.write(
            f"regions/{region_id}.yml",
            REGION.format(id=region_id, name=name, secret=secret, public=f"Open Ambtenaar {name}"),
        )

    def story(
        self, slug: str, region: str, date: str = "2023-05-01", title: str | None = None, extra: str = ""
    ) -> Path:
        text = STORY.format(title=title or f"Verhaal {slug}", date=date, region=region)
        if extra:
            text = text.replace("themes: [bodem]\n", "themes: [bodem]\n" + textwrap.dedent(extra).strip("\n") + "\n", 1)
        return self.write(f"stories/{region}/{slug}.md", text)

    def with_own_home_left_out(self, setting: str) -> None:
        """A site of one story whose own docs/index.md is left out of the build: `setting` is an
        `exclude_docs` or `draft_docs` line of mkdocs.yml, or `draft: true` in the page itself."""
        self.region("achterhoek")
        self.story("eerste", "achterhoek")
        in_page = setting == "draft: true\n"
        self.write("docs/index.md", (f"---\n{setting}---\n" if in_page else "") + "# Eigen startpagina\n")
        config_file = self.root / "mkdocs.yml"
        config_file.write_text(config_file.read_text(encoding="utf-8") + ("" if in_page else setting), encoding="utf-8")

    def check(self, *args: str) -> CliResult:
        return self.command("check", *args)

    def command(self, *args: str) -> CliResult:
        """A `regioverhalen` command run in this process from the site's folder, as its command line runs it."""
        self._capsys.readouterr()
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            code = main(list(args))
        finally:
            os.chdir(cwd)
        captured = self._capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    def build(self) -> Path:
        """A real in-process MkDocs build, with --strict unless `strict` is off; returns the site folder."""
        config = load_config(str(self.root / "mkdocs.yml"), strict=self.strict)
        build(config)
        return self.root / "site"

    def build_command(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`mkdocs build` as a reader of the README would run it."""
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )


@pytest.hookimpl(optionalhook=True)  # pytest without xdist (`-p no:xdist`) knows no such hook
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` on a machine of a few CPUs: one worker more than the CPUs this process may use.
    A browser test mostly waits on Chromium, which works in processes of its own, so a worker per
    CPU left a CPU idle while one worker drove the browser (measured in PERFORMANCE.md). With
    more CPUs, or PYTEST_XDIST_AUTO_NUM_WORKERS set, xdist decides as it would."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") or config.option.numprocesses != "auto" or usable > 4:
        return None
    return usable + 1


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> SiteDir:
    return SiteDir(tmp_path, capsys)


@pytest.fixture(autouse=True)
def _quiet_material(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").propagate = True


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite asserts the messages' English text against Dutch test sites: English is asked for
    as an editor would (REGIOVERHALEN_LANG, which child processes inherit). The tests of the Dutch
    messages (test_messages.py) unset it."""
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "en")
    use_language("en")


@pytest.fixture
def dutch_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages in the site's own language again, as an editor of a Dutch site gets them."""
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)


def build_errors(site: SiteDir, caplog: pytest.LogCaptureFixture) -> list[str]:
    """What an in-process build that stopped (as MkDocs stops on a BuildError) logged as errors;
    any other exception, which the command line shows with a traceback, fails the test."""
    with pytest.raises(Abort):
        site.build()
    return [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]


def not_published_type(path: str, suffix: str) -> str:
    """What `check` and the build say of a file in docs/ of a type the site does not publish."""
    return (
        f"{path}:1:1: error: files of type '{suffix}' are not published; use one of: "
        ".avif, .css, .csv, .gif, .htm, .html, .ico, .jpeg, .jpg, .js, .json, .md, .pdf, .png, .svg, .txt, "
        ".webp, .woff, .woff2, .xml, .yaml, .yml"
    )


def check_summary(errors: int, published: int = 0, drafts: int = 0) -> str:
    """`regioverhalen check`'s last line, in English."""

    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    if errors == 0:
        return (
            f"{count(published, 'story', 'stories')} published, {count(drafts, 'draft', 'drafts')} held back, 0 errors"
        )
    return (
        f"{count(errors, 'error', 'errors')}; a build would publish nothing "
        f"({count(published, 'valid story', 'valid stories')}, {count(drafts, 'draft', 'drafts')})"
    )
