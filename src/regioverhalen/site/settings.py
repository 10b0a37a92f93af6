"""The generator's settings: the plugin's options in `mkdocs.yml`, readable without MkDocs."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pathspec.gitignore import GitIgnoreSpec

from regioverhalen.content.html_policy import ALLOWABLE_TAGS, ALLOWED_TAGS
from regioverhalen.content.loading import ContentPaths
from regioverhalen.content.messages import _
from regioverhalen.content.plain_language import LanguageSettings
from regioverhalen.content.problems import Problem, describe, did_you_mean
from regioverhalen.content.reading import EnvTagLoader
from regioverhalen.content.terms import impossible_date
from regioverhalen.site.config_file import (
    INHERIT,
    ConfigFilesError,
    ConfigLayer,
    SettingsError,
    merged,
    read_layers,
    unshowable_in_config,
)
from regioverhalen.site.plugin_entries import (
    PLUGIN_NAME,
    listed_twice,
    option_marks_in,
    options_written_at,
    plugin_options,
)


@dataclass(frozen=True)
class Goal:
    """The CoP's 'stip op de horizon': demonstrable breakthroughs in `regions` regions by `deadline`."""

    regions: int = 10
    deadline: dt.date = dt.date(2024, 12, 31)


#: The plugin's options in mkdocs.yml with their defaults: the one definition, which MkDocs (the
#: plugin) and the command line both read through `settings_from_options`.
OPTION_DEFAULTS: dict[str, Any] = {
    "stories_dir": "stories",  # folder with the Markdown stories, relative to mkdocs.yml
    "regions_dir": "regions",  # folder with one YAML file per region, relative to mkdocs.yml
    "goal_regions": Goal.regions,  # how many regions should have a demonstrable breakthrough
    "goal_deadline": Goal.deadline,  # the date by which they should be demonstrable
    "allow_html_tags": [],  # tags normally refused in story bodies (such as iframe) that this site allows
    "allow_remote_images": False,  # contributors' images from other sites (each tells that site who reads)
    "search": "pagefind",  # full-text search: Pagefind (stems Dutch) or none
    "atomic": True,  # build into a staging folder; replace the site folder only when the build succeeds
    # A build and `check` use a second process where that is safe (auto), or never (off).
    "parallel": "auto",
    "glossary": "begrippen.yml",  # the glossary (terms with a plain explanation), relative to mkdocs.yml
    "reading_level": 60,  # target Flesch-Douma reading level of the language check (B1: 60)
    "max_sentence_words": 25,  # the language check warns about longer sentences
    "officialese": {},  # extra officialese for the language check: word -> plainer word
    "language_warnings_in_build": False,  # log the language warnings in builds too (--strict then fails)
    "language_check": True,  # run the language check in `regioverhalen check`
}
#: The options that take one of a few words, and those words.
OPTION_CHOICES: dict[str, tuple[str, ...]] = {"search": ("pagefind", "none"), "parallel": ("auto", "off")}


@dataclass(frozen=True)
class Settings:
    paths: ContentPaths
    goal: Goal = field(default_factory=Goal)
    site_url: str = ""
    site_name: str = "Regioverhalen"
    #: The link text after each heading of a generated page ("" for none), as the site's
    #: Markdown `toc` extension puts after the headings contributors write.
    heading_permalink: str = ""
    #: Its tooltip (the `toc` extension's `permalink_title`).
    heading_permalink_title: str = "Permanent link"
    #: A site's own versions of the page templates (the theme's custom_dir/regioverhalen).
    template_dir: Path | None = None
    search: str = OPTION_DEFAULTS["search"]
    atomic: bool = OPTION_DEFAULTS["atomic"]
    parallel: str = OPTION_DEFAULTS["parallel"]
    #: The glossary file, relative to the site root.
    glossary: str = "begrippen.yml"
    #: What the plain-language check holds stories to.
    language: LanguageSettings = field(default_factory=LanguageSettings)

    @property
    def pagefind(self) -> bool:
        """Whether the site's search is Pagefind (the default), rather than none."""
        return self.search == "pagefind"


class _LenientLoader(EnvTagLoader):
    """Reads mkdocs.yml as MkDocs does where the plugin's options are concerned: `!ENV` resolved by
    the library MkDocs uses; other tags (`!!python/name:` ...) only MkDocs can resolve."""


def _date_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return node.value  # an impossible date such as 2024-13-01 is reported by the option check


_LenientLoader.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)
_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


#: Where each option's value is written: the file (of those INHERIT joins), line and column.
OptionPositions = dict[str, tuple[str, int, int]]


def site_path(site_url: str) -> str:
    """The path of `site_url`, with a '/' at both ends: '/' for a site at a host's root, and for a
    site_url that is no URL (MkDocs refuses that one itself)."""
    try:
        # Decoded, as a link's path is before it is compared with it: '/Regio%20verhalen/'.
        path = urllib.parse.unquote(urllib.parse.urlsplit(site_url or "").path).strip("/")
    except ValueError:  # 'http://[::1/': an address in brackets not closed
        return "/"
    return f"/{path}/" if path else "/"


def settings_from_options(
    root: Path,
    options: dict[str, Any],
    site_url: str = "",
    site_name: str = "Regioverhalen",
    *,
    config_path: str = "mkdocs.yml",
    positions: OptionPositions | None = None,
    docs_dir: str = "docs",
    config_files: tuple[Path, ...] = (),
    custom_dir: str | None = None,
    docs_excluded: tuple[str, ...] = (),
    docs_drafts: tuple[str, ...] = (),
) -> Settings:
    """Settings from the plugin's options; every unusable option is reported at once."""
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        path, line, column = (positions or {}).get(key, (config_path, 1, 1))
        problems.append(Problem(path, line, column, f"plugins.{PLUGIN_NAME}.{key}: {message}"))

    folders = _folder_options(options, bad)
    regions, deadline = _goal_options(options, bad)
    tags, remote_images = _html_options(options, bad)
    atomic = _build_options(options, bad)
    glossary, language = _plain_language_options(options, bad)
    if problems:
        raise SettingsError(sorted(problems))
    return Settings(
        paths=ContentPaths(
            root=root,
            stories_dir=folders["stories_dir"],
            regions_dir=folders["regions_dir"],
            allowed_html_tags=tuple(tags),
            docs_dir=docs_dir,
            docs_excluded=docs_excluded,
            docs_drafts=docs_drafts,
            allow_remote_images=remote_images,
            config_files=tuple((_relative_to(root, file), file) for file in config_files),
            theme_dir=_relative_to(root, root / custom_dir) if custom_dir else None,
            site_path=site_path(site_url),
        ),
        goal=Goal(regions=regions, deadline=deadline),
        site_url=site_url or "",
        site_name=site_name,
        search=options.get("search", OPTION_DEFAULTS["search"]),
        atomic=atomic,
        parallel=options.get("parallel", OPTION_DEFAULTS["parallel"]),
        glossary=glossary,
        language=language,
    )


def _folder_options(options: dict[str, Any], bad: Any) -> dict[str, Any]:
    """The stories' and regions' folders, each a name."""
    folders = {}
    for key in ("stories_dir", "regions_dir"):
        folders[key] = options.get(key, OPTION_DEFAULTS[key])
        if not isinstance(folders[key], str) or not folders[key].strip():
            bad(key, _("expected a folder name, found {value}").format(value=describe(folders[key])))
    return folders


def _html_options(options: dict[str, Any], bad: Any) -> tuple[list[Any], Any]:
    """What contributors' HTML may hold beyond the allowlist: more tags, remote images."""
    tags = options.get("allow_html_tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        bad(
            "allow_html_tags",
            _("expected a list of tag names like [iframe], found {value}").format(value=describe(tags)),
        )
    elif refused := [tag for tag in tags if tag.lower() not in ALLOWABLE_TAGS | ALLOWED_TAGS]:
        # Any other tag would let a story run code or take over the page (script, style, form, svg).
        message = _("'{tag}' cannot be allowed; a site may allow only these tags: {tags}")
        bad("allow_html_tags", message.format(tag=refused[0], tags=", ".join(sorted(ALLOWABLE_TAGS))))
    remote_images = options.get("allow_remote_images", False)
    if not isinstance(remote_images, bool):
        bad("allow_remote_images", _("expected true or false, found {value}").format(value=describe(remote_images)))
    return tags, remote_images


def _build_options(options: dict[str, Any], bad: Any) -> Any:
    """How the site is built: `atomic` (returned), and the options with a fixed set of choices."""
    atomic = options.get("atomic", OPTION_DEFAULTS["atomic"])
    if not isinstance(atomic, bool):
        bad("atomic", _("expected true or false, found {value}").format(value=describe(atomic)))
    for key, words in OPTION_CHOICES.items():
        if options.get(key, OPTION_DEFAULTS[key]) not in words:
            bad(
                key,
                _("expected one of {choices}, found {value}").format(
                    choices=", ".join(words), value=describe(options[key])
                ),
            )
    return atomic


def _plain_language_options(options: dict[str, Any], bad: Any) -> tuple[str, LanguageSettings]:
    """The glossary file and the plain-language check's options; each unusable one reported."""
    default = LanguageSettings()
    glossary = options.get("glossary", "begrippen.yml")
    if not isinstance(glossary, str) or not glossary.strip():
        bad("glossary", _("expected a file name like begrippen.yml, found {value}").format(value=describe(glossary)))
    level = options.get("reading_level", default.reading_level)
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 <= level <= 120:
        bad(
            "reading_level",
            _("expected a Flesch-Douma score from 0 to 120 (B1: 60), found {value}").format(value=describe(level)),
        )
    longest = options.get("max_sentence_words", default.max_sentence_words)
    if isinstance(longest, bool) or not isinstance(longest, int) or longest < 5:
        bad(
            "max_sentence_words",
            _("expected a whole number of at least 5, found {value}").format(value=describe(longest)),
        )
    words = options.get("officialese") or {}
    if not isinstance(words, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in words.items()):
        bad("officialese", _("expected a mapping of word: plainer word, found {value}").format(value=describe(words)))
        words = {}
    officialese = {**default.officialese, **{" ".join(k.split()).casefold(): v for k, v in words.items()}}
    in_build = options.get("language_warnings_in_build", False)
    if not isinstance(in_build, bool):
        bad("language_warnings_in_build", _("expected true or false, found {value}").format(value=describe(in_build)))
    enabled = options.get("language_check", True)
    if not isinstance(enabled, bool):
        bad("language_check", _("expected true or false, found {value}").format(value=describe(enabled)))
    language = LanguageSettings(
        float(level) if isinstance(level, (int, float)) else default.reading_level,
        longest if isinstance(longest, int) else default.max_sentence_words,
        officialese,
        in_build is True,
        enabled is not False,
    )
    return str(glossary), language


def _goal_options(options: dict[str, Any], bad: Callable[[str, str], None]) -> tuple[Any, Any]:
    """The goal's number of regions and its deadline (a date), each reported if unusable."""
    regions = options.get("goal_regions", Goal.regions)
    if isinstance(regions, bool) or not isinstance(regions, int) or regions < 1:
        bad("goal_regions", _("expected a whole number of at least 1, found {value}").format(value=describe(regions)))
    deadline = options.get("goal_deadline", Goal.deadline)
    if isinstance(deadline, str):
        with contextlib.suppress(ValueError):  # reported below, with the text as found
            deadline = dt.date.fromisoformat(deadline)
    impossible = impossible_date(deadline) if isinstance(deadline, str) else None
    if impossible:  # written as year-month-day already: say what is wrong with the day itself
        bad("goal_deadline", _("invalid date {value}: {reason}").format(value=describe(deadline), reason=impossible))
    elif not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime):
        bad("goal_deadline", _("expected a date like 2024-12-31, found {value}").format(value=describe(deadline)))
    return regions, deadline


def layers_read_by_mkdocs(config_file: Path, shown: str) -> tuple[ConfigLayer, ...]:
    """mkdocs.yml and the files it inherits from, for a build: MkDocs has read them already, so
    a file that cannot be read here leaves them unknown (the options' positions, the files
    inherited from: the output scan still reads what they put in the site)."""
    try:
        return tuple(read_layers(config_file, _LenientLoader, shown))
    except SettingsError:
        return ()


def _relative_to(root: Path, file: Path) -> str:
    """A configuration file as content problems name theirs: from the site's root."""
    return Path(os.path.relpath(os.path.abspath(file), root)).as_posix()


def option_positions(layers: tuple[ConfigLayer, ...]) -> OptionPositions:
    """File, line and column of each of our plugin's option values."""
    return _value_positions(_option_marks(layers))


#: Where an option is written: the file, its name's mark and its value's mark.
_OptionMarks = dict[str, tuple[str, yaml.Mark, yaml.Mark]]


def _value_positions(marks: _OptionMarks) -> OptionPositions:
    return {key: (path, value.line + 1, value.column + 1) for key, (path, _key, value) in marks.items()}


def _option_marks(layers: Sequence[ConfigLayer]) -> _OptionMarks:
    """Where each of our plugin's options is written: in the first file (the one given, then
    those it inherits from) that names it, the one whose value MkDocs keeps."""
    marks: _OptionMarks = {}
    for layer in layers:
        for option, (key, value) in option_marks_in(layer.text).items():
            marks.setdefault(option, (layer.path, key, value))
    return marks


#: Options MkDocs itself takes for every plugin.
MKDOCS_PLUGIN_OPTIONS = frozenset({"enabled"})


def _unknown_options(options: dict[str, Any], marks: _OptionMarks, path: str) -> list[Problem]:
    """An option this plugin does not have (misspelt, most likely), at its name: MkDocs only
    warns about it, and the build goes on without it."""
    problems = []
    for key in options:
        if key not in OPTION_DEFAULTS and key not in MKDOCS_PLUGIN_OPTIONS:
            written, mark = marks[str(key)][:2] if str(key) in marks else (path, None)
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = _("unknown option") + did_you_mean(key, OPTION_DEFAULTS)
            problems.append(Problem(written, line, column, f"plugins.{PLUGIN_NAME}.{key}: {message}"))
    return problems


def theme_language(config_file: Path) -> str | None:
    """The site's theme.language in a mkdocs.yml or a file it inherits from, or None if the
    setting cannot be read. A YAML mistake in one of the files leaves what comes before it
    readable: the mistake is then told in the site's language."""
    path: Path | None = config_file
    followed: set[Path] = set()
    while path is not None and path.resolve() not in followed:
        followed.add(path.resolve())
        try:
            return _theme_text(merged(read_layers(path, _LenientLoader)), "language")
        except ConfigFilesError as error:
            # A file that inherits decides before the one it inherits from.
            for layer in error.read:
                if language := _theme_text(layer.data, "language"):
                    return language
            if error.broken is None:
                return None
            broken, text = error.broken
            before = _read_before_mistake(text)
            if isinstance(language := before.get(("theme", "language")), str):
                return language
            inherit = before.get((INHERIT,))
            path = broken.parent / inherit if isinstance(inherit, str) and inherit else None
    return None


def _theme_text(config: dict[str, Any], key: str) -> str | None:
    """A text setting of the theme (`language`, `custom_dir`), if the configuration gives one."""
    theme = config.get("theme")
    value = theme.get(key) if isinstance(theme, dict) else None
    return value if isinstance(value, str) else None


def _read_before_mistake(text: str) -> dict[tuple[Any, ...], Any]:
    """theme.language and INHERIT, as far as YAML read `text` before its first mistake."""
    wanted = {("theme", "language"), (INHERIT,)}
    found: dict[tuple[Any, ...], Any] = {}
    open_nodes: list[_OpenNode] = []  # the mappings and lists YAML is inside at this point
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                open_nodes.append(_OpenNode(mapping=isinstance(event, yaml.MappingStartEvent)))
                continue
            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                open_nodes.pop()
            elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent) and open_nodes and open_nodes[-1].mapping:
                node = open_nodes[-1]
                if node.key_next:
                    node.key, node.key_next = getattr(event, "value", None), False
                    continue
                if (keys := tuple(open_node.key for open_node in open_nodes)) in wanted:
                    found[keys] = getattr(event, "value", None)
            if open_nodes and open_nodes[-1].mapping:
                open_nodes[-1].key_next = True  # a value ended: a key comes next
    except yaml.YAMLError:
        pass
    return found


@dataclass
class _OpenNode:
    """A mapping or list YAML is inside: for a mapping, its current key and whether a key comes next."""

    mapping: bool
    key: Any = None
    key_next: bool = True


def found_above(config_file: Path) -> Path | None:
    """A file of that name in a folder above this one, for a command run in a site's subfolder."""
    if config_file.is_absolute() or len(config_file.parts) != 1:
        return None
    here = Path.cwd()
    for folder in here.parents:
        if (folder / config_file).is_file():
            return Path(os.path.relpath(folder / config_file, here))
    return None


def _unusable_gitignore_lines(layers: list[ConfigLayer], config: dict[str, Any]) -> list[Problem]:
    """`exclude_docs` or `draft_docs` that is no text of gitignore patterns, or a line of it that
    is no pattern, at that line: MkDocs refuses the configuration, and read without the setting
    `check` and the export would leave out nothing it leaves out."""
    problems = []
    for key in ("exclude_docs", "draft_docs"):
        value = config.get(key)
        path, line, block = _setting_line(layers, key)
        if value is not None and not isinstance(value, str):
            message = _("expected a text of gitignore patterns, one a line (written after '|')")
            problems.append(Problem(path, line, 1, f"{key}: {message}"))
            continue
        for index, pattern in enumerate(gitignore_lines(value)):
            try:
                GitIgnoreSpec.from_lines([pattern])
            except (ValueError, re.error):
                message = _("'{line}' is no gitignore pattern").format(line=pattern)
                problems.append(Problem(path, line + 1 + index if block else line, 1, f"{key}: {message}"))
    return problems


def _setting_line(layers: list[ConfigLayer], key: str) -> tuple[str, int, bool]:
    """Where a top-level setting is written (the file, its line), and whether its text is a block
    that starts on the next line (`|`, `>`); the first file's first line if none sets it."""
    for layer in layers:
        found = re.search(rf"""^(?:{key}|"{key}"|'{key}')[ \t]*:(.*)$""", layer.text, re.MULTILINE)
        if found:
            return layer.path, layer.text.count("\n", 0, found.start()) + 1, found.group(1).strip()[:1] in ("|", ">")
    return (layers[0].path if layers else "mkdocs.yml"), 1, False


def gitignore_lines(value: Any) -> tuple[str, ...]:
    """A setting of gitignore lines (`exclude_docs`, `draft_docs`), one pattern a line."""
    return tuple(value.splitlines()) if isinstance(value, str) else ()


def read_settings(config_file: Path) -> Settings:
    """Settings from a mkdocs.yml. Raises SettingsError for a missing or unusable file."""
    path = config_file.as_posix()
    if not config_file.is_file():
        message = _("site configuration not found; run in the site's folder or pass -f")
        above = found_above(config_file)
        if above is not None:
            message = _("site configuration not found here; run in the site's folder, {folder}, or pass -f {path}")
            message = message.format(folder=os.path.abspath(above.parent), path=above)
        raise SettingsError([Problem(path, 1, 1, message)])
    root = config_file.resolve().parent
    # Named from the site's folder from here on, as the build and the content's problems name files.
    path = config_file.name
    layers = read_layers(config_file, _LenientLoader, path)
    config, marks = merged(layers), _option_marks(layers)
    options = plugin_options(config) or {}
    if not isinstance(options, dict):  # MkDocs itself would reject this too
        written, line, column = options_written_at(layers) or (path, 1, 1)
        message = f"plugins.{PLUGIN_NAME}: " + _("expected a mapping of options")
        raise SettingsError([Problem(written, line, column, message)])
    site_name = config.get("site_name")
    unknown = listed_twice(layers) + unshowable_in_config(layers) + _unknown_options(options, marks, path)
    unknown += _unusable_gitignore_lines(layers, config)
    try:
        settings = settings_from_options(
            root,
            options,
            str(config.get("site_url") or ""),
            site_name if isinstance(site_name, str) else "Regioverhalen",
            config_path=path,
            positions=_value_positions(marks),
            docs_dir=config["docs_dir"] if isinstance(config.get("docs_dir"), str) else "docs",
            config_files=tuple(layer.source for layer in layers),
            custom_dir=_theme_text(config, "custom_dir") or None,
            docs_excluded=gitignore_lines(config.get("exclude_docs")),
            docs_drafts=gitignore_lines(config.get("draft_docs")),
        )
    except SettingsError as error:
        raise SettingsError(sorted(error.problems + unknown)) from None
    if unknown:
        raise SettingsError(unknown)
    return settings
