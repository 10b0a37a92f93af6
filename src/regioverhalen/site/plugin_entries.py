"""Where mkdocs.yml lists this plugin, read as MkDocs reads its `plugins:`: a list of names and
{name: options}, or one mapping of names to options; a leading `/` dropped from a name; an
entry with `enabled: false` left out, since MkDocs then does not run it."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import yaml

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import EnvTagLoader
from regioverhalen.site.config_file import ConfigLayer

PLUGIN_NAME = "regioverhalen"


def is_ours(name: object) -> bool:
    """Whether a name in `plugins:` names this plugin."""
    return isinstance(name, str) and name.removeprefix("/") == PLUGIN_NAME


def plugin_options(config: dict[str, Any]) -> Any:
    """The options given to our plugin in a parsed mkdocs.yml ({} for its bare name), or None
    if it is not run."""
    for name, options in _entries(config.get("plugins")):
        if is_ours(name) and not (isinstance(options, dict) and options.get("enabled") is False):
            return options or {}
    return None


def _entries(plugins: Any) -> list[tuple[Any, Any]]:
    if isinstance(plugins, dict):
        return list(plugins.items())
    entries: list[tuple[Any, Any]] = []
    for entry in plugins if isinstance(plugins, list) else []:
        entries += list(entry.items()) if isinstance(entry, dict) else [(entry, None)]
    return entries


def option_marks_in(text: str) -> dict[str, tuple[yaml.Mark, yaml.Mark]]:
    """Where each of our plugin's options is written in one file, in the entry whose options
    count: its name and its value.

    Composing (unlike loading) leaves MkDocs' custom tags unresolved, so any mkdocs.yml composes.
    """
    ours = _our_entries(_plugins_node(text))
    options = ours[0][1] if ours else None
    if not isinstance(options, yaml.MappingNode):
        return {}
    return {str(option.value): (option.start_mark, value.start_mark) for option, value in options.value}


def options_written_at(layers: Sequence[ConfigLayer]) -> tuple[str, int, int] | None:
    """File, line and column of the options MkDocs gives this plugin (its name, if it has none
    written): in the first file, the one given and then those it inherits from, that lists it."""
    for layer in layers:
        ours = _our_entries(_plugins_node(layer.text))
        if ours:
            name, options, _mark = ours[0]
            start = (options or name).start_mark
            return layer.path, start.line + 1, start.column + 1
    return None


def listed_twice(layers: Sequence[ConfigLayer]) -> list[Problem]:
    """The plugin listed a second time in the list of plugins MkDocs keeps (that of the first
    file that has one): MkDocs would run it twice, and the second would take the pages the first
    makes for the site's own. A mapping of plugins names it once at most."""
    for layer in layers:
        plugins = _plugins_node(layer.text)
        if plugins is None:
            continue
        if not isinstance(plugins, yaml.SequenceNode):
            return []
        marks = [mark for _options, _value, mark in _our_entries(plugins)]
        message = _("the plugin is listed again (first on line {line}); MkDocs would run it twice: keep one entry")
        return [
            Problem(layer.path, mark.line + 1, mark.column + 1, f"plugins: {message.format(line=marks[0].line + 1)}")
            for mark in marks[1:]
        ]
    return []


@functools.lru_cache(maxsize=8)
def _plugins_node(text: str) -> yaml.Node | None:
    """The value of a file's last `plugins:` key (the one YAML keeps), if it has one. Composed
    once for a file's text: its options' places and its entries are both read from it."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    plugins = [value for key, value in root.value if key.value == "plugins"]
    return plugins[-1] if plugins else None


def _our_entries(plugins: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node | None, yaml.Mark]]:
    """This plugin's entries that MkDocs runs: their name, their options, where each starts."""
    entries: list[tuple[yaml.Node, yaml.Node | None, yaml.Mark]] = []
    if isinstance(plugins, yaml.MappingNode):
        entries = [(name, options, name.start_mark) for name, options in plugins.value]
    elif isinstance(plugins, yaml.SequenceNode):
        for entry in plugins.value:
            if isinstance(entry, yaml.MappingNode):
                entries += [(name, options, entry.start_mark) for name, options in entry.value]
            else:
                entries.append((entry, None, entry.start_mark))
    return [
        (name, options, mark)
        for name, options, mark in entries
        if isinstance(name, yaml.ScalarNode) and is_ours(name.value) and not _disabled(options)
    ]


def _disabled(options: yaml.Node | None) -> bool:
    if not isinstance(options, yaml.MappingNode):
        return False
    for key, value in options.value:
        if key.value == "enabled":
            try:
                return EnvTagLoader("").construct_object(value, deep=True) is False
            except yaml.YAMLError:  # a tag only MkDocs knows: it decides
                return False
    return False
