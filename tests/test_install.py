"""The package as an adopter gets it: sdist and wheel built with `python -m build`, `twine check`,
the wheel installed (not editable) into a fresh venv, and that venv's own executables building
the sample site and a site fresh from `regioverhalen init`. uv makes the build's isolated
environment and installs the wheel: the same wheels from the same metadata as pip, in a fraction
of pip's time; pip fetches them (with this machine's pip settings) into the wheel folder.

Slow the first time (it fetches a wheel of every dependency into pytest's cache); deselect with
`-m "not install"`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
from filelock import FileLock

from conftest import REPO
from sample_site import copy_sample_sources, made_once

pytestmark = pytest.mark.install

BIN = Path(sys.executable).parent


def run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        stdin=subprocess.DEVNULL,  # no terminal: nothing is asked
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def requirements() -> list[str]:
    """What pyproject.toml asks for: the build backend, and the dependencies the wheel names."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return [*project["build-system"]["requires"], *project["project"]["dependencies"]]


def wheelhouse(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for wheels of the build backend and of every dependency, kept between runs in
    pytest's cache (`pytest --cache-clear` empties it) and named after what pyproject.toml asks
    for, so that a changed requirement starts an empty one. Without pytest's cache: one per session."""
    key = hashlib.sha256("\n".join([*requirements(), sys.version]).encode()).hexdigest()[:16]
    cache = getattr(config, "cache", None)
    if cache is None:
        return tmp_path_factory.getbasetemp() / f"wheelhouse-{key}"
    return Path(cache.mkdir(f"wheelhouse-{key}"))


def offline_or_filled(command: list[str | Path], needs: list[str | Path], wheels: Path, cwd: Path) -> None:
    """`command` with pip or uv taking everything from the wheel folder `wheels` and nothing from the
    network. If the folder is empty (the first run) or that fails (a requirement changed), the
    wheels of `needs` and their dependencies are fetched into it first, and `command` run then."""
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels)}
    env |= {"UV_NO_INDEX": "1", "UV_FIND_LINKS": str(wheels), "UV_OFFLINE": "1"}
    wheels.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{wheels}.lock"):
        # An empty folder (a fresh clone, as on CI) cannot do it: fill it without trying.
        if any(wheels.iterdir()):
            first = subprocess.run(
                [str(part) for part in command],
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if first.returncode == 0:
                return
        run([sys.executable, "-m", "pip", "wheel", "-q", "--wheel-dir", wheels, *needs], cwd=cwd)
        for own in wheels.glob("regioverhalen-*"):
            own.unlink()  # this checkout's wheel is installed from `dist`, never from here
        run(command, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def dist(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist and wheel, the wheel built from the sdist (as `python -m build` does): a file the
    sdist leaves out is missing from the wheel too. The build backend is installed in isolation,
    as always, from the wheel folder."""

    def build(out: Path) -> None:
        out.mkdir()
        command: list[str | Path] = [sys.executable, "-m", "build", "--installer", "uv", "--outdir", out, REPO]
        # An empty folder is filled with the wheel's dependencies too, which `installed` needs next.
        needs: list[str | Path] = [*requirements()]
        offline_or_filled(command, needs, wheelhouse(pytestconfig, tmp_path_factory), cwd=out)

    return made_once(tmp_path_factory, "dist", build)


@pytest.fixture(scope="module")
def installed(dist: Path, pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel and its dependencies, nothing from this checkout: its bin/.
    uv resolves the wheel's dependencies from its metadata, as pip does for any adopter, from the
    wheel folder."""

    def install(venv: Path) -> None:
        run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv.parent)
        (wheel,) = dist.glob("*.whl")
        # uv installs into the new venv, which then needs no pip of its own; it compiles no
        # byte-code of every dependency up front (Python compiles what it imports).
        uv = [sys.executable, "-m", "uv", "pip", "install", "-q", "--python", venv / "bin/python"]
        offline_or_filled([*uv, wheel], [wheel], wheelhouse(pytestconfig, tmp_path_factory), cwd=venv)

    return made_once(tmp_path_factory, "venv", install) / "bin"


def clean_env() -> dict[str, str]:
    """The environment without anything that would let the venv see this checkout. Byte-code is
    written, as on an adopter's machine: each later command then starts from it."""
    hidden = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    return {**env, "NO_MKDOCS_2_WARNING": "1"}


def test_the_distributions_pass_twine_check_and_hold_every_template_and_asset(dist: Path) -> None:
    names = sorted(p.name for p in dist.iterdir())
    package_version = version("regioverhalen")
    assert names == [f"regioverhalen-{package_version}-py3-none-any.whl", f"regioverhalen-{package_version}.tar.gz"]
    output = run([BIN / "twine", "check", "--strict", *sorted(dist.iterdir())], cwd=dist)
    assert output.count("PASSED") == 2
    (wheel,) = dist.glob("*.whl")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "src"
    folders = ("theme", "site/templates", "export/templates", "cli/starter", "locale")
    for folder in (f"regioverhalen/{name}" for name in folders):
        for file in (package / folder).rglob("*"):
            if file.is_file() and "__pycache__" not in file.parts:
                assert file.relative_to(package).as_posix() in in_wheel
    assert f"regioverhalen-{package_version}.dist-info/licenses/LICENSE" in in_wheel


def test_the_installed_wheel_builds_the_sample_site(installed: Path, tmp_path: Path) -> None:
    where = run(
        [installed / "python", "-c", "import regioverhalen; print(regioverhalen.__file__)"], tmp_path, clean_env()
    )
    assert Path(where.strip()).is_relative_to(installed.parent), where  # the wheel's files, not this checkout's
    assert run([installed / "regioverhalen", "--version"], tmp_path, clean_env()) == (
        f"regioverhalen {version('regioverhalen')}\n"
    )
    site = copy_sample_sources(tmp_path / "sample")
    run([installed / "mkdocs", "build", "--strict"], site, clean_env())
    # The story's meta card comes from theme/partials/, the file a wheel once left out.
    story = (site / "site/verhalen/van-kunstmest-naar-bodemleven/index.html").read_text(encoding="utf-8")
    assert '<article class="rv-story" id="rv-verhaal"' in story
    assert '<aside class="rv-metacard"' in story
    assert (site / "site/assets/regioverhalen.css").is_file()


def test_the_installed_wheel_inits_a_site_that_checks_and_builds(installed: Path, tmp_path: Path) -> None:
    run([installed / "regioverhalen", "init", "nieuw", "--name", "Nieuwe regioverhalen"], tmp_path, clean_env())
    site = tmp_path / "nieuw"
    assert run([installed / "regioverhalen", "check"], site, clean_env()) == (
        "1 story published, 0 drafts held back, 0 errors\n"
    )
    run([installed / "mkdocs", "build", "--strict"], site, clean_env())
    story = (site / "site/verhalen/eerste-voorbeeldverhaal/index.html").read_text(encoding="utf-8")
    assert '<h1 data-pagefind-meta="title">Een eerste voorbeeldverhaal</h1>' in story


def test_the_installed_wheel_checks_a_dutch_site_in_dutch(dist: Path, installed: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    assert "regioverhalen/locale/nl/LC_MESSAGES/regioverhalen.mo" in zipfile.ZipFile(wheel).namelist()
    run([installed / "regioverhalen", "init", "nieuw"], tmp_path, clean_env())
    site = tmp_path / "nieuw"
    story = site / "stories/voorbeeldregio/eerste-voorbeeldverhaal.md"
    story.write_text(story.read_text(encoding="utf-8").replace("summary:", "samenvatting:", 1), encoding="utf-8")
    dutch = {k: v for k, v in clean_env().items() if k != "REGIOVERHALEN_LANG"}
    result = subprocess.run(
        [installed / "regioverhalen", "check"], cwd=site, capture_output=True, text=True, env=dutch, check=False
    )
    assert result.returncode == 1
    assert (
        "stories/voorbeeldregio/eerste-voorbeeldverhaal.md:6:1: error: onbekende sleutel 'samenvatting'; "
        "bedoel je 'summary'? (sleutels zijn Engels)"
    ) in result.stdout.splitlines()
