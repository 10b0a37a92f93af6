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
