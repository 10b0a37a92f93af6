"""`regioverhalen export`: the command's door onto the export layer."""

from __future__ import annotations

import sys
from pathlib import Path

from regioverhalen.cli.reporters import REPORTERS


def run_export(config_file: Path, out: Path, *, finish: bool, report_format: str) -> int:
    from regioverhalen.export.project import ExportError, export_project, finish_export

    try:
        if finish:
            problems = finish_export(config_file, out)
            for line in problems:
                print(line, file=sys.stderr)
            if problems:
                print(f"{out.as_posix()}/site: {len(problems)} problem(s); do not publish it", file=sys.stderr)
                return 1
            print(f"{out.as_posix()}/site: checked and indexed for search")
            return 0
        result = export_project(config_file, out)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if result.content.problems:
        print(REPORTERS[report_format](result.content))
        print("nothing exported: fix the problems above first", file=sys.stderr)
        return 1
    print(result.content.summary_line())
    print(f"exported {result.pages} pages to {out.as_posix()}; build it there with 'zensical build',")
    print(f"then run 'regioverhalen export --finish {out.as_posix()}' to check it and index it for search")
    return 0
