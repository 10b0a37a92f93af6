"""The `regioverhalen` command line: a thin door onto the core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from regioverhalen.loading import ContentPaths, load_content
from regioverhalen.reporters import REPORTERS
from regioverhalen.settings import read_settings


def _check(args: argparse.Namespace) -> int:
    settings = read_settings(Path(args.config))
    content = load_content(settings.paths)
    print(REPORTERS[args.format](content))
    return 1 if content.problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regioverhalen", description="Validate and build Regioverhalen story sites.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate regions and stories; print every problem")
    check.add_argument("-f", "--config", default="mkdocs.yml", help="site configuration (default: mkdocs.yml)")
    check.add_argument("--format", choices=sorted(REPORTERS), default="text", help="output format (default: text)")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
