"""The `regioverhalen` command line: a thin door onto the core."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from regioverhalen.cli.reporters import REPORTERS, LanguageReport
from regioverhalen.content.glossary import load_site_glossary
from regioverhalen.content.language_cache import CACHE_FILE, check_stories_cached
from regioverhalen.content.loading import Content, load_content
from regioverhalen.content.messages import LANGUAGES, _, language_for, use_language
from regioverhalen.content.plain_language import check_stories
from regioverhalen.content.terms import STATUSES
from regioverhalen.site.config_file import SettingsError
from regioverhalen.site.docs_rules import links_to_left_out_pages, site_file_problems
from regioverhalen.site.settings import found_above, read_settings, theme_language

if TYPE_CHECKING:
    from typing import TypeAlias

    #: The subcommands' parsers, as argparse's add_subparsers gives them.
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

# `new` and `schema` import what only they need when they run: a check should not wait for it.


def _check(args: argparse.Namespace) -> int:
    try:
        settings = read_settings(Path(args.config))
    except SettingsError as error:
        if args.format == "text":
            raise  # told on stderr, as every command tells it
        # Annotations and JSON as for the content's problems: a workflow that reads them sees these too.
        unusable = Content()
        unusable.problems.extend(error.problems)
        print(REPORTERS[args.format](unusable, LanguageReport()))
        return 2
    parallel = settings.parallel == "auto"  # a second process where that is safe, as in a build
    # The language check reads every story's text; without it no text need be kept.
    content = load_content(settings.paths, parallel=parallel, keep_texts=settings.language.enabled)
    glossary = load_site_glossary(content, settings.paths.root, settings.glossary)
    # What a build of docs/ would refuse (site/docs_rules.py), so that a check it passes builds.
    content.problems += site_file_problems(content, settings.paths, search=settings.pagefind, glossary=bool(glossary))
    content.warnings += links_to_left_out_pages(content, settings.paths)
    figures = []
    if settings.language.enabled and args.no_cache:
        figures = check_stories(content.stories, settings.language, parallel=parallel)
    elif settings.language.enabled:
        cache_file = settings.paths.root / CACHE_FILE
        figures = check_stories_cached(content.stories, settings.language, cache_file, parallel=parallel)
    language = LanguageReport(settings.language, figures)
    report = REPORTERS[args.format](content, language)
    # A message may quote a lone surrogate (YAML's "\ud800"), which no output encoding takes:
    # it is written as its escape, as Python writes it to stderr.
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    print(report.encode(encoding, "backslashreplace").decode(encoding))
    return 1 if content.problems else 0


def _date(text: str) -> dt.date:
    from regioverhalen.cli.scaffold import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _new(args: argparse.Namespace) -> int:
    from regioverhalen.cli.scaffold import ScaffoldError, StoryRequest, ask_missing, create_story, read_catalogue

    settings = read_settings(Path(args.config))
    today = dt.date.today()
    request = StoryRequest(
        region=args.region,
        participants=tuple(args.participant or ()),
        title=args.title,
        summary=args.summary,
        date=args.date,
        slug=args.slug,
        breakthrough_title=args.breakthrough_title,
        breakthrough_status=args.breakthrough_status,
        breakthrough_date=args.breakthrough_date,
        draft=args.draft,
    )
    try:
        catalogue = read_catalogue(settings.paths)
        if not catalogue.regions:
            raise ScaffoldError(
                _("no valid region files in {folder}/; add a region first").format(folder=settings.paths.regions_dir)
            )
        if request.missing():
            if not sys.stdin.isatty():
                missing = ", ".join(request.missing())
                print("error: " + _("missing required options: {options}").format(options=missing), file=sys.stderr)
                print(_("(run 'regioverhalen new' on a terminal to be asked for them)"), file=sys.stderr)
                return 2
            request = ask_missing(request, catalogue, today)
        path = create_story(request, settings.paths, today, catalogue)
    except (ScaffoldError, EOFError, KeyboardInterrupt) as error:
        return _stopped(error)
    print(_("New story written: {path}").format(path=path.relative_to(settings.paths.root).as_posix()))
    if request.draft:  # a draft is checked, prompts and all, but not published
        print(
            _(
                "Replace the writing prompts with the story; as a draft it is not published, and "
                "'regioverhalen check' refuses the prompts once 'draft: true' is removed. Look at it with "
                "'mkdocs serve' and check it with 'regioverhalen check'."
            )
        )
    else:
        print(
            _(
                "Replace the writing prompts with the story ('regioverhalen check' refuses it until then), "
                "look at it with 'mkdocs serve' and check it with 'regioverhalen check'."
            )
        )
    return 0


def _stopped(error: BaseException) -> int:
    """A command the user's input stopped: each line of what is wrong, or that nothing was written."""
    if isinstance(error, (EOFError, KeyboardInterrupt)):
        print("\n" + _("Stopped: nothing was written."), file=sys.stderr)
    else:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
    return 1


def _init(args: argparse.Namespace) -> int:
    from regioverhalen.cli.init import InitError, SiteRequest, ask_missing, create_site
    from regioverhalen.cli.requirement import installed_requirement

    today = dt.date.today()
    request = SiteRequest(args.name, args.language, args.goal_regions, args.goal_deadline)
    target = Path(args.dir)
    try:
        if sys.stdin.isatty():
            request = ask_missing(request, today)
        requirement = installed_requirement()
        written, kept = create_site(target, request.completed(today), today, requirement, force=args.force)
    except (InitError, EOFError, KeyboardInterrupt) as error:
        return _stopped(error)
    folder = target.as_posix()
    if kept:  # --force beside files of the folder's own: say what was added and what was not
        print(_("Added to {folder}: {files}").format(folder=folder, files=", ".join(written) or "-"))
        print(_("Left as they were, since they exist already: {files}").format(files=", ".join(kept)))
    else:
        print(
            _("New site in {folder}: {count} files, with an example region and story.").format(
                folder=folder, count=len(written)
            )
        )
    if target.resolve() == Path.cwd().resolve():
        print(_("Next: regioverhalen check && mkdocs serve (see README.md)."))
    else:
        print(_("Next: cd {folder} && regioverhalen check && mkdocs serve (see README.md).").format(folder=folder))
    if not requirement.reachable and "requirements.txt" in written:
        print(_("Note: requirements.txt names a version that is on no package index yet; read the note in it."))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from regioverhalen.cli.schemas import generated_files, stale_files, write_generated

    files = generated_files(Path(args.out), Path(args.reference) if args.reference else None)
    if args.check:
        stale = stale_files(files)
        for path in stale:
            print(_("{path}: out of date; run 'regioverhalen schema' to regenerate it").format(path=path.as_posix()))
        return 1 if stale else 0
    for path in write_generated(files):
        print(_("wrote {path}").format(path=path.as_posix()))
    return 0


class _PrintVersion(argparse.Action):
    """`--version`: the installed package's version, read only when asked (pyproject.toml holds it)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from importlib.metadata import version

        print(f"regioverhalen {version('regioverhalen')}")
        parser.exit()


def _export(args: argparse.Namespace) -> int:
    from regioverhalen.cli.export import run_export

    return run_export(Path(args.config), Path(args.out), finish=args.finish, report_format=args.format)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regioverhalen", description="Validate and build Regioverhalen story sites.")
    parser.add_argument("--version", action=_PrintVersion)
    commands = parser.add_subparsers(dest="command", required=True)
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument(
        "--lang", choices=LANGUAGES, help="language of the messages (default: the site's theme.language: nl, else en)"
    )
    _add_check(commands, language)
    _add_new(commands, language)
    _add_init(commands, language)
    _add_schema(commands, language)
    _add_export(commands, language)
    return parser


def _add_check(commands: Commands, language: argparse.ArgumentParser) -> None:
    check = commands.add_parser(
        "check",
        parents=[language],
        help="validate regions and stories; print every problem",
        description="Check the site's configuration, regions, stories and published files; print every problem "
        "as path:line:col. Exit status: 0 without errors, 1 with errors in the content, 2 with errors in the "
        "configuration.",
    )
    check.add_argument("-f", "--config", default="mkdocs.yml", help="site configuration (default: mkdocs.yml)")
    check.add_argument("--format", choices=sorted(REPORTERS), default="text", help="output format (default: text)")
    check.add_argument(
        "--no-cache", action="store_true", help=f"analyse every story's language anew; read and write no {CACHE_FILE}"
    )
    check.set_defaults(run=_check)


def _add_new(commands: Commands, language: argparse.ArgumentParser) -> None:
    new = commands.add_parser(
        "new",
        parents=[language],
        help="write a new story file with its front matter and a Dutch skeleton",
        description="Write stories/<region>/<slug>.md. On a terminal, missing answers are asked for (in Dutch).",
    )
    new.add_argument("-f", "--config", default="mkdocs.yml", help="site configuration (default: mkdocs.yml)")
    new.add_argument("--region", help="region id, like 'achterhoek'")
    new.add_argument("--participant", action="append", metavar="ID", help="participant id (repeat for more)")
    new.add_argument("--title", help="the story's title")
    new.add_argument("--summary", help="one or two sentences, at most 300 characters")
    new.add_argument("--date", type=_date, help="publication date, YYYY-MM-DD (default: today)")
    new.add_argument("--slug", help="file name and URL slug (default: made from the title)")
    new.add_argument("--breakthrough-title", help="the breakthrough, in one sentence")
    new.add_argument("--breakthrough-status", choices=STATUSES, help="aanwijsbaar (demonstrable) or in-wording")
    new.add_argument("--breakthrough-date", type=_date, help="date of the breakthrough, YYYY-MM-DD")
    new.add_argument("--draft", action="store_true", help="mark the story as a draft (not published)")
    new.set_defaults(run=_new)


def _add_init(commands: Commands, language: argparse.ArgumentParser) -> None:
    init_language = argparse.ArgumentParser(add_help=False)
    init_language.add_argument(
        "--lang", choices=LANGUAGES, help="language of the messages (default: the new site's --language: nl, else en)"
    )
    init = commands.add_parser(
        "init",
        parents=[init_language],
        help="start a new community site (examples included) that checks clean and builds at once",
        description="Write a new site into DIR. On a terminal, missing answers are asked for (in Dutch).",
    )
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="folder for the new site (default: .)")
    init.add_argument("--name", help="the site's name (default: Regioverhalen)")
    init.add_argument("--language", default="nl", help="the site's language, theme.language (default: nl)")
    init.add_argument(
        "--goal-regions", type=int, metavar="N", help="the goal: breakthroughs in N regions (default: 10)"
    )
    init.add_argument(
        "--goal-deadline", type=_date, metavar="DATE", help="... by this date (default: end of next year)"
    )
    init.add_argument(
        "--force", action="store_true", help="write into a folder that is not empty (its own files are kept)"
    )
    init.set_defaults(run=_init)


def _add_schema(commands: Commands, language: argparse.ArgumentParser) -> None:
    schema = commands.add_parser(
        "schema",
        parents=[language],
        help="write JSON Schemas (and the Dutch field reference) generated from the content model",
        description="Write the JSON Schemas of story and region files, which editors' tools use to check and "
        "complete front matter as it is typed.",
    )
    schema.add_argument("--out", default="schemas", help="folder for the JSON Schemas (default: schemas)")
    schema.add_argument("--reference", metavar="FILE", help="also write the Dutch field reference (Markdown) here")
    schema.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    schema.set_defaults(run=_schema)


def _add_export(commands: Commands, language: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        parents=[language],
        help="write the site as a plain project that Zensical (or plain MkDocs) builds without the plugin",
        description="Check the site, then write OUT/mkdocs.yml, OUT/docs/ and OUT/overrides/. After "
        "'zensical build' in OUT, run this again with --finish to check the built site and index it for search.",
    )
    export.add_argument("out", metavar="OUT", help="folder to write the project to (replaced by a new export)")
    export.add_argument("-f", "--config", default="mkdocs.yml", help="site configuration (default: mkdocs.yml)")
    export.add_argument("--format", choices=sorted(REPORTERS), default="text", help="problem format (default: text)")
    export.add_argument(
        "--finish", action="store_true", help="after the build: check OUT/site and index it with Pagefind"
    )
    export.set_defaults(run=_export)


def _messages_language(argv: Sequence[str] | None) -> str:
    """--lang, else the environment's choice, else the site's theme.language (for `init`: the new
    site's). Read before the full parse, so that what parsing reports (a date that is no date) is
    in that language too; the full parse then reports any mistake in these options."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("command", nargs="?")
    early.add_argument("--lang")
    early.add_argument("-f", "--config", default="mkdocs.yml")
    early.add_argument("--language", default="nl")
    try:
        known, _rest = early.parse_known_args(argv)
    except argparse.ArgumentError:
        return language_for(theme_language(Path("mkdocs.yml")))
    if known.command == "init":
        return language_for(known.language, known.lang)
    if known.lang:
        return language_for(None, known.lang)
    config = Path(known.config)
    return language_for(theme_language(config if config.is_file() else found_above(config) or config))


def main(argv: Sequence[str] | None = None) -> int:
    use_language(_messages_language(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1


def run() -> NoReturn:
    """The `regioverhalen` command: `main`, then an exit that leaves the freeing of every object
    to the operating system. Taking a loaded site apart object by object, as the interpreter
    does on a normal exit, took a noticeable part of a `check`'s time; nothing is left to write then."""
    # A command makes objects that live until it ends and form no cycles worth collecting: a
    # collection after loading a check's content only walked them all. Here, not in `main`,
    # which may run inside a longer-lived process.
    gc.disable()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away; a stream closed by the caller
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    run()
