"""The command line: check, new, schema and their reporters."""

from regioverhalen.cli.main import main, run

__all__ = ["main", "run"]
