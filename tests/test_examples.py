"""Every story example in the README and the editor's guides passes `check`: the repository's
examples against the sample site's regions, the starter guide's against a site fresh from `init`."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import REPO
from regioverhalen.cli.main import main
from sample_site import copy_sample_sources

#: A fenced Markdown block that starts with front matter: a story as an editor writes it.
STORY_BLOCK = re.compile(r"^```markdown\n(---\n.*?)^```$", re.MULTILINE | re.DOTALL)


def story_examples(document: Path) -> list[str]:
    return STORY_BLOCK.findall(document.read_text(encoding="utf-8"))


def check_alone(root: Path, story: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`check` on a site whose only story is `story`."""
    (root / "stories/voorbeeld").mkdir(parents=True)
    (root / "stories/voorbeeld/voorbeeld.md").write_text(story, encoding="utf-8")
    capsys.readouterr()
    before = os.getcwd()
    os.chdir(root)
    try:
        code = main(["check"])
    finally:
        os.chdir(before)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("document", ["README.md", "docs/redactiegids.md"])
def test_every_story_example_passes_check_in_the_sample_site(
    document: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = story_examples(REPO / document)
    assert examples, f"no story example found in {document}"
    for index, story in enumerate(examples):
        root = copy_sample_sources(tmp_path / str(index), ("mkdocs.yml", "regions", "docs", "overrides"))
        code, out = check_alone(root, story, capsys)
        assert (code, out) == (0, "1 story published, 0 drafts held back, 0 errors\n"), story


def test_the_starter_guides_example_passes_check_in_a_new_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    (example,) = story_examples(tmp_path / "docs/redactiegids.md")
    for story in (tmp_path / "stories").rglob("*.md"):
        story.unlink()
    code, out = check_alone(tmp_path, example, capsys)
    assert (code, out) == (0, "1 story published, 0 drafts held back, 0 errors\n")


def test_ci_runs_the_readmes_quick_start_test_command() -> None:
    """The quick start is two commands: install and build the sample site; install the test
    dependencies and run the whole suite in parallel. `.ci/run` runs the second as written."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("  #", 1)[0].strip() for line in quick_start.strip().splitlines()]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/mkdocs build --strict",
        ".venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest -n auto",
    ]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == commands[1]
