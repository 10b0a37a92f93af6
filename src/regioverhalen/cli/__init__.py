"""The command line: check, new, init, export and schema, and the reporters of `check`."""

from regioverhalen.cli.main import main, run

__all__ = ["main", "run"]
