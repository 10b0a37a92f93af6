"""The code stays as its configuration in pyproject.toml says: ruff-clean, formatted, mypy-strict."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_lint() -> None:
    result = _run("ruff", "check", "src", "tests", "scripts")
    assert result.returncode == 0, result.stdout


def test_ruff_format() -> None:
    result = _run("ruff", "format", "--check", "src", "tests", "scripts")
    assert result.returncode == 0, result.stdout


def test_mypy_strict() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout


def _modules_after_import(*modules: str) -> set[str]:
    script = f"import sys, {', '.join(modules)}; print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    return {name.partition(".")[0] for name in result.stdout.split()}


#: The layers of the package, top to bottom: a module imports only from its own folder or the
#: layers below it. The two engine adapters share a layer and import nothing from each other.
LAYERS = (("cli",), ("mkdocs", "export"), ("site",), ("content",), ("parallel",))
FOLDERS = [folder for layer in LAYERS for folder in layer]
#: What no module below the engine adapters may import; the content core does not render either.
ENGINES = {"mkdocs", "material", "pagefind"}
PACKAGE = REPO / "src" / "regioverhalen"


def _layer_modules(layer: str) -> list[str]:
    return sorted(
        f"regioverhalen.{layer}.{path.stem}" for path in (PACKAGE / layer).glob("*.py") if path.stem != "__main__"
    )


def test_every_module_sits_in_a_layer() -> None:
    assert sorted(path.name for path in PACKAGE.glob("*.py")) == ["__init__.py"]
    assert {path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__"} >= {
        *FOLDERS,
        "theme",
    }


def test_the_core_imports_nothing_from_mkdocs_or_pagefind() -> None:
    core = [module for folder in ("parallel", "content", "site", "cli", "export") for module in _layer_modules(folder)]
    assert {"regioverhalen.cli.main", "regioverhalen.content.loading", "regioverhalen.parallel.forking"} <= set(core)
    content = [module for module in core if module.startswith(("regioverhalen.content.", "regioverhalen.parallel."))]
    # An import only adds modules: what all of them import together holds what each imports alone.
    # Only when that holds an engine is each looked at alone, to name the one that imports it.
    for modules, forbidden in ((core, ENGINES), (content, ENGINES | {"jinja2"})):
        if _modules_after_import(*modules) & forbidden:
            for module in modules:
                assert not _modules_after_import(module) & forbidden, module
            pytest.fail(f"{sorted(_modules_after_import(*modules) & forbidden)} imported only by modules together")


def test_imports_point_down() -> None:
    pattern = re.compile(r"^\s*(?:from|import) regioverhalen(?:\.(\w+)| import (\w+))", re.MULTILINE)
    checked = []
    for depth, layer in enumerate(LAYERS):
        higher = {folder for above in LAYERS[:depth] for folder in above}
        for folder in layer:
            forbidden = higher | set(layer) - {folder}
            for path in (PACKAGE / folder).glob("*.py"):
                imported = {name for match in pattern.findall(path.read_text(encoding="utf-8")) for name in match}
                assert not imported & forbidden, f"{path.relative_to(REPO)} imports from {sorted(imported & forbidden)}"
                checked.append(path.name)
    assert {"plugin.py", "verify.py", "loading.py", "forking.py"} <= set(checked)


def test_the_command_line_starts_without_pydantic() -> None:
    # `check` forks its helper before the content model is imported (a slow import), so
    # the helper is at work while this process imports it; see loading._in_two_processes.
    assert "pydantic" not in _modules_after_import("regioverhalen.cli")


def test_a_build_never_imports_pydantic_in_mkdocs_own_process(tmp_path: Path) -> None:
    # The content is loaded and validated in a forked child (loading.load_content, in_child), so
    # MkDocs' process keeps pydantic's memory for the pages it holds until the build is done.
    script = (
        "import sys; from mkdocs.commands.build import build; from mkdocs.config import load_config\n"
        "build(load_config(sys.argv[1], site_dir=sys.argv[2]))\n"
        "print('pydantic' in sys.modules, 'regioverhalen.mkdocs.plugin' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(REPO / "mkdocs.yml"), str(tmp_path / "site")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert (result.returncode, result.stdout) == (0, "False True\n"), result.stderr
    assert (tmp_path / "site" / "regios" / "achterhoek" / "index.html").is_file()


def test_modules_stay_readable_and_the_plugin_only_hands_off() -> None:
    lines = {path.relative_to(PACKAGE).as_posix(): len(path.read_text().splitlines()) for path in PACKAGE.rglob("*.py")}
    assert {name: count for name, count in lines.items() if count > 500} == {}
    assert lines["mkdocs/plugin.py"] < 150
