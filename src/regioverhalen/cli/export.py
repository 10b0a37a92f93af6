"""`regioverhalen export`: the command's door onto the export layer."""

from __future__ import annotations

import sys
from pathlib import Path

from regioverhalen.cli.reporters import REPORTERS, LanguageReport
from regioverhalen.content.messages import _
from regioverhalen.site.templating import SiteTemplateError


def run_export(config_file: Path, out: Path, *, finish: bool, report_format: str) -> int:
    from regioverhalen.export.project import ExportError, export_project, finish_export

    try:
        if finish:
            problems = finish_export(config_file, out)
            for line in problems:
                print(line, file=sys.stderr)
            if problems:
                message = _("{folder}/site: {count} problem(s); do not publish it")
                print(message.format(folder=out.as_posix(), count=len(problems)), file=sys.stderr)
                return 1
            print(_("{folder}/site: checked and indexed for search").format(folder=out.as_posix()))
            return 0
        result = export_project(config_file, out)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except SiteTemplateError as error:  # already `path:line:col: error: ...`
        print(error, file=sys.stderr)
        return 1
    if result.content.problems:
        print(REPORTERS[report_format](result.content, LanguageReport()))
        print(_("nothing exported: fix the problems above first"), file=sys.stderr)
        return 1
    for warning in result.content.warnings:  # as `check` prints them: a link to a draft leads nowhere there too
        print(warning)
    print(result.content.summary_line())
    print(
        _("exported {count} pages to {folder}; build it there with 'zensical build',").format(
            count=result.pages, folder=out.as_posix()
        )
    )
    print(
        _("then run 'regioverhalen export --finish {folder}' to check it and index it for search").format(
            folder=out.as_posix()
        )
    )
    return 0
