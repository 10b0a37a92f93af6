"""The code stays as its configuration in pyproject.toml says: ruff-clean, formatted, mypy-strict."""

from __future__ import annotations

import subprocess
import sys

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


def _modules_after_import(module: str) -> set[str]:
    script = f"import sys, {module}; print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    return {name.partition(".")[0] for name in result.stdout.split()}


def test_the_core_imports_nothing_from_mkdocs_or_pagefind() -> None:
    core = ("cli", "loading", "pages", "feeds", "opendata", "goal", "reporters", "scaffold", "schemas", "settings")
    for module in core:
        imported = _modules_after_import(f"regioverhalen.{module}")
        assert not imported & {"mkdocs", "material", "pagefind", "jinja2"}, module


def test_the_command_line_starts_without_pydantic() -> None:
    # `check` forks its helper before the content model is imported (a tenth of a second), so
    # the helper is at work while this process imports it; see loading._in_two_processes.
    assert "pydantic" not in _modules_after_import("regioverhalen.cli")
