"""`regioverhalen init`: a new site that checks clean and builds at once; `--version`; what a
site without its content folders is told."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import SiteDir
from regioverhalen.cli.init import SiteRequest, ask_missing, create_site
from regioverhalen.cli.main import main
from regioverhalen.cli.requirement import Requirement, requirement_for
from regioverhalen.cli.schemas import field_reference

BIN = Path(sys.executable).parent
STARTER_FILES = [
    ".github/workflows/site.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "docs/index.md",
    "docs/redactiegids.md",
    "docs/veldenreferentie.md",  # made from the content model
    "mkdocs.yml",
    "regions/voorbeeldregio.yml",
    "requirements.txt",
    "stories/voorbeeldregio/eerste-voorbeeldverhaal.md",
]


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`init` asks on a terminal; these tests give every answer as an option (even under `-s`)."""
    with open(os.devnull, encoding="utf-8") as nothing:
        monkeypatch.setattr(sys, "stdin", nothing)
        yield


def run(capsys: pytest.CaptureFixture[str], *args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    capsys.readouterr()
    before = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        code = main(list(args))
    finally:
        os.chdir(before)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_makes_a_site_that_checks_clean_and_builds_strictly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dutch_messages: None
) -> None:
    target = tmp_path / "nieuw"
    code, out, err = run(
        capsys, "init", str(target), "--name", "Regio: verhalen", "--goal-regions", "3", "--goal-deadline", "2027-06-30"
    )
    assert (code, err) == (0, "")
    assert (
        out.splitlines()[0] == f"Nieuwe site in {target.as_posix()}: 11 bestanden, met een voorbeeldregio en -verhaal."
    )
    assert files_under(target) == STARTER_FILES
    assert (target / "docs/veldenreferentie.md").read_text(encoding="utf-8") == field_reference()

    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Regio: verhalen"  # a colon in the name stays text
    assert config["theme"]["language"] == "nl"
    assert config["plugins"] == [
        {
            "regioverhalen": {
                "stories_dir": "stories",
                "regions_dir": "regions",
                "goal_regions": 3,
                "goal_deadline": "2027-06-30",  # in quotes: a wrong date is told by the plugin
            }
        }
    ]
    assert (target / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == (
        f"regioverhalen=={version('regioverhalen')}"
    )
    story = (target / "stories/voorbeeldregio/eerste-voorbeeldverhaal.md").read_text(encoding="utf-8")
    assert f"date: {dt.date.today().isoformat()}\n" in story
    assert '!!! note "Voorbeeld"' in story

    assert run(capsys, "check", cwd=target) == (0, "1 verhaal gepubliceerd, 0 concepten achtergehouden, 0 fouten\n", "")
    build(load_config(str(target / "mkdocs.yml"), strict=True))
    story_page = (target / "site/verhalen/eerste-voorbeeldverhaal/index.html").read_text(encoding="utf-8")
    assert "Een eerste voorbeeldverhaal" in story_page
    assert "Regio: verhalen" in (target / "site/index.html").read_text(encoding="utf-8")


def test_init_names_the_next_step_from_where_the_editor_stands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dutch_messages: None
) -> None:
    code, out, _err = run(capsys, "init", "nieuw", cwd=tmp_path)
    assert (code, out.splitlines()[1]) == (
        0,
        "Verder: cd nieuw && regioverhalen check && mkdocs serve (zie README.md).",
    )
    for here, target in (("hier", "."), ("daar", str(tmp_path / "daar")), ("ginds", "../ginds")):
        (tmp_path / here).mkdir()
        code, out, _err = run(capsys, "init", target, cwd=tmp_path / here)
        assert (code, out.splitlines()[1]) == (0, "Verder: regioverhalen check && mkdocs serve (zie README.md).")


def test_init_refuses_a_folder_that_is_not_empty_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notities.txt").write_text("van mij\n", encoding="utf-8")
    code, out, err = run(capsys, "init", str(tmp_path))
    assert (code, out) == (1, "")
    assert err == (f"error: {tmp_path} is not empty; choose an empty or new folder, or add --force to write into it\n")
    assert files_under(tmp_path) == ["notities.txt"]

    code, _, err = run(capsys, "init", str(tmp_path), "--force")
    assert (code, err) == (0, "")
    assert files_under(tmp_path) == sorted([*STARTER_FILES, "notities.txt"])
    assert (tmp_path / "notities.txt").read_text(encoding="utf-8") == "van mij\n"

    # Forced again, over files the editor changed: nothing of theirs is lost, and they are told so.
    (tmp_path / "README.md").write_text("Onze eigen uitleg.\n", encoding="utf-8")
    (tmp_path / "docs/index.md").unlink()
    code, out, err = run(capsys, "init", str(tmp_path), "--force", "--lang", "nl")
    assert (code, err) == (0, "")
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "Onze eigen uitleg.\n"
    assert (tmp_path / "docs/index.md").is_file()
    assert out.splitlines()[0] == f"Toegevoegd aan {tmp_path.as_posix()}: docs/index.md"
    prefix = "Gelaten zoals ze waren, omdat ze er al zijn: "
    kept = [line.removeprefix(prefix).split(", ") for line in out.splitlines() if line.startswith(prefix)]
    assert len(kept) == 1
    assert sorted(kept[0]) == [path for path in STARTER_FILES if path != "docs/index.md"]


def test_init_reports_every_unusable_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "init", str(tmp_path / "x"), "--name", "<b>", "--goal-regions", "0")
    assert (code, out) == (1, "")
    assert err == (
        "error: the site name must be one line of text without '<' or '>'\n"
        "error: --goal-regions must be at least 1, not 0\n"
    )
    assert not (tmp_path / "x").exists()


def test_init_asks_in_dutch_for_what_was_not_given_and_asks_again_after_a_bad_answer() -> None:
    answers = iter(["Verhalen uit het Noorden", "tien", "4", "2026-13-01", ""])
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    out = io.StringIO()
    request = ask_missing(SiteRequest(), dt.date(2026, 3, 1), ask, out)
    assert request == SiteRequest("Verhalen uit het Noorden", "nl", 4, dt.date(2027, 12, 31))
    assert asked == [
        "Naam van de site [Regioverhalen]: ",
        "Doel: in hoeveel regio's een aanwijsbare doorbraak? [10]: ",
        "Doel: in hoeveel regio's een aanwijsbare doorbraak? [10]: ",
        "Doel: uiterlijk op welke datum? [2027-12-31]: ",
        "Doel: uiterlijk op welke datum? [2027-12-31]: ",
    ]
    assert out.getvalue() == (
        "Typ een heel getal, zoals 10.\nDe datum 2026-13-01 bestaat niet; kijk de maand en de dag na, bijvoorbeeld 2026-12-31.\n"
    )


def test_the_new_sites_workflow_validates_against_the_github_workflow_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "init", str(tmp_path))[0] == 0
    workflow = tmp_path / ".github/workflows/site.yml"
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", "-o", "json", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(result.stdout) == {"status": "ok", "errors": []}
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    build_steps = [step.get("run") for step in data["jobs"]["build"]["steps"]]
    assert "regioverhalen check --format github" in build_steps
    assert "mkdocs build --strict" in build_steps
    assert data[True] == {"pull_request": None, "push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert data["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request'"


def test_version_prints_the_installed_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"regioverhalen {version('regioverhalen')}\n"


def test_a_site_without_content_folders_is_told_what_to_create(site: SiteDir) -> None:
    (site.root / "stories").rmdir()
    result = site.check()
    assert result.code == 1
    assert result.lines == [
        "regions:1:1: error: regions folder 'regions/' not found; create it with a file regions/<region-id>.yml "
        "per region, or run 'regioverhalen init' to start a new site with examples",
        "stories:1:1: error: stories folder 'stories/' not found; create it with a file "
        "stories/<region-id>/<slug>.md per story, or run 'regioverhalen init' to start a new site with examples",
        "2 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


# --- The generator's line in the new site's requirements.txt -----------------------------------


@pytest.mark.parametrize(
    ("direct_url", "line", "reachable"),
    [
        (None, "regioverhalen==1.2.0", True),
        (
            '{"url": "https://github.com/cop/regioverhalen", "vcs_info": {"vcs": "git", "commit_id": "0a1b2c"}}',
            "regioverhalen @ git+https://github.com/cop/regioverhalen@0a1b2c",
            True,
        ),
        (
            '{"url": "https://files.example.org/regioverhalen-1.2.0-py3-none-any.whl", "archive_info": {}}',
            "regioverhalen @ https://files.example.org/regioverhalen-1.2.0-py3-none-any.whl",
            True,
        ),
        (
            '{"url": "file:///home/r/regioverhalen-1.2.0-py3-none-any.whl", "archive_info": {}}',
            "regioverhalen==1.2.0",
            False,
        ),
        ('{"url": "file:///home/r/regioverhalen", "dir_info": {"editable": true}}', "regioverhalen==1.2.0", False),
        (
            '{"url": "file:///srv/git/regioverhalen", "vcs_info": {"vcs": "git", "commit_id": "0a1b2c"}}',
            "regioverhalen==1.2.0",
            False,
        ),
        ("not json", "regioverhalen==1.2.0", False),
    ],
    ids=["index", "git", "https-wheel", "local-wheel", "editable", "local-git", "unreadable"],
)
def test_the_requirement_reproduces_how_the_generator_was_installed(
    direct_url: str | None, line: str, reachable: bool
) -> None:
    assert requirement_for("1.2.0", direct_url) == Requirement(line, reachable)


def test_a_site_made_from_a_local_copy_says_what_to_point_its_requirement_at(tmp_path: Path) -> None:
    target = tmp_path / "nieuw"
    request = SiteRequest(site_name="Proef").completed(dt.date(2026, 12, 4))
    create_site(target, request, dt.date(2026, 12, 4), Requirement("regioverhalen==1.2.0", reachable=False))
    assert (target / "requirements.txt").read_text(encoding="utf-8").splitlines()[1:] == [
        "# This site was made with a local copy of the generator, which its CI cannot reach: point the",
        "# next line at a released version, a wheel's https address or a Git URL (regioverhalen @ git+https://...).",
        "regioverhalen==1.2.0",
    ]
    (target / "requirements.txt").unlink()  # --force keeps what is there
    create_site(target, request, dt.date(2026, 12, 4), Requirement("regioverhalen==1.2.0", reachable=True), force=True)
    assert (target / "requirements.txt").read_text(encoding="utf-8").splitlines()[1:] == ["regioverhalen==1.2.0"]
