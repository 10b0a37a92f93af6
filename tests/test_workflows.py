"""GitHub Actions workflows and pre-commit hooks: valid, and the commands they run really work."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, SiteDir
from sample_site import SITE_PARTS, copy_sample_sources

BIN = Path(sys.executable).parent
WORKFLOWS = REPO / ".github/workflows"


def load_workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as the boolean true (YAML 1.1); GitHub reads it as "on".
    data["on"] = data.pop(True)
    return data


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with the GitHub workflow schema it ships (no network needed)."""
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", "-o", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def test_workflows_validate_against_the_github_workflow_schema() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["pr.yml", "publish.yml"]
    result = check_jsonschema(*files)
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout) == {"status": "ok", "errors": []}


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", "$.jobs.check", "'runs-on' is a required property"),
        (
            "- uses: actions/checkout@v4",
            "- use: actions/checkout@v4",
            "$.jobs.check.steps[0]",
            "'uses' is a required property",
        ),
    ],
)
def test_a_broken_workflow_fails_validation(tmp_path: Path, old: str, new: str, path: str, message: str) -> None:
    text = (WORKFLOWS / "pr.yml").read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "pr.yml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = check_jsonschema(broken)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["status"] == "fail"
    found = [(e["best_deep_match"]["path"], e["best_deep_match"]["message"]) for e in report["errors"]]
    assert found == [(path, message)]


def test_pull_request_workflow_checks_and_builds_strictly() -> None:
    workflow = load_workflow("pr.yml")
    assert workflow["on"] == {"pull_request": None}
    assert workflow["permissions"] == {"contents": "read"}
    job = steps(workflow, "check")
    assert [s.get("uses") for s in job[:2]] == ["actions/checkout@v4", "actions/setup-python@v5"]
    assert job[1]["with"]["python-version"] == "3.11"
    assert [s["run"] for s in job if "run" in s] == [
        "pip install -e .",
        "regioverhalen check --format github",
        "regioverhalen schema --check --reference docs/veldenreferentie.md",
        "mkdocs build --strict",
    ]


def test_publish_workflow_deploys_to_pages_one_at_a_time() -> None:
    workflow = load_workflow("publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build = steps(workflow, "build")
    assert [s["run"] for s in build if "run" in s] == [
        "pip install -e .",
        "regioverhalen check --format github",
        "mkdocs build --strict",
    ]
    upload = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload == [{"uses": "actions/upload-pages-artifact@v3", "with": {"path": "site"}}]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]


def test_the_workflow_commands_pass_on_this_repository(tmp_path: Path) -> None:
    """Run the pull-request workflow's commands (after the install) on a copy of the repository."""
    # Its own copy and build: the workflow's commands themselves are what is tested.
    copy_sample_sources(tmp_path, (*SITE_PARTS, "schemas"))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}
    commands = [s["run"] for s in steps(load_workflow("pr.yml"), "check") if "run" in s][1:]
    for command in commands:
        result = subprocess.run(command.split(), cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        if command.startswith("regioverhalen check"):
            assert re.fullmatch(r"\d+ stories published, \d+ drafts held back, 0 errors\n", result.stdout)
    assert (tmp_path / "site/index.html").is_file()
    # The editor's guide and the field reference are built, and their in-page links land.
    for page in ("redactiegids", "veldenreferentie"):
        markdown = (REPO / f"docs/{page}.md").read_text(encoding="utf-8")
        built = (tmp_path / f"site/{page}/index.html").read_text(encoding="utf-8")
        anchors = set(re.findall(r"\]\(#([a-z0-9-]+)\)", markdown))
        assert anchors
        assert sorted(a for a in anchors if f'id="{a}"' not in built) == []


# --- pre-commit -------------------------------------------------------------------------------


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(home)}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def console_scripts() -> dict[str, str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]


def test_pre_commit_files_are_valid(tmp_path: Path) -> None:
    manifest = pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=REPO, home=tmp_path)
    assert (manifest.returncode, manifest.stdout, manifest.stderr) == (0, "", "")
    config = pre_commit("validate-config", ".pre-commit-config.yaml", cwd=REPO, home=tmp_path)
    assert (config.returncode, config.stdout, config.stderr) == (0, "", "")


def test_pre_commit_hooks_run_the_installed_console_script() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "regioverhalen-check"
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("regioverhalen check", "python", False)
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = {h["id"]: h for h in config["repos"][0]["hooks"]}
    assert config["repos"][0]["repo"] == "local"
    assert local["regioverhalen-check"]["entry"] == "regioverhalen check"
    for entry in (hook["entry"], *(h["entry"] for h in local.values())):
        script = entry.split()[0]
        assert script in console_scripts()
        assert (BIN / script).is_file()
    for files in (hook["files"], local["regioverhalen-check"]["files"]):
        pattern = re.compile(files)
        assert pattern.search("stories/achterhoek/x.md") and pattern.search("regions/achterhoek.yml")
        assert not pattern.search("docs/index.md")


def test_pre_commit_runs_the_check_and_blocks_a_broken_story(site: SiteDir, tmp_path: Path) -> None:
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    shutil.copy2(REPO / ".pre-commit-config.yaml", site.root / ".pre-commit-config.yaml")
    home = tmp_path.parent / f"{tmp_path.name}-pre-commit-home"
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=site.root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=site.root, check=True)

    passed = pre_commit("run", "--all-files", "--color", "never", cwd=site.root, home=home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^regioverhalen check \(stories and regions\)\.+Passed$", passed.stdout, re.M)
    assert re.search(r"^regioverhalen schema --check .*\.+\(no files to check\)Skipped$", passed.stdout, re.M)

    site.story("typo", "achterhoek", extra="regoin: achterhoek")
    subprocess.run(["git", "add", "-A"], cwd=site.root, check=True)
    failed = pre_commit("run", "--all-files", "--color", "never", cwd=site.root, home=home)
    assert failed.returncode == 1
    assert re.search(r"^regioverhalen check \(stories and regions\)\.+Failed$", failed.stdout, re.M)
    assert "stories/achterhoek/typo.md:8:1: error: unknown key 'regoin'; did you mean 'region'?\n" in failed.stdout
