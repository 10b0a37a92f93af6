"""mkdocs.yml read as MkDocs reads it: a file that names another under `INHERIT:` takes that
file's settings as its own, deep-merged beneath what it says itself (with mergedeep, as MkDocs
merges them). Each file read is kept as a layer, so that a problem is told in the file where
it was written."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mergedeep  # type: ignore[import-untyped]
import yaml

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem, describe
from regioverhalen.content.reading import EnvTagLoader, config_texts, decode_config
from regioverhalen.content.yaml_errors import reader_problem, syntax_problem
from regioverhalen.content.yaml_source import UNSHOWABLE, unshowable_message

INHERIT = "INHERIT"

#: More files than any site keeps its settings in: a chain this long goes round through links.
MAX_LAYERS = 50


class SettingsError(Exception):
    """An unreadable mkdocs.yml or unusable plugin options; carries a problem for each."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class ConfigFilesError(SettingsError):
    """A configuration file that cannot be read or followed; with what was read before it."""

    def __init__(self, problem: Problem, read: list[ConfigLayer], broken: tuple[Path, str] | None = None) -> None:
        super().__init__([problem])
        self.read = read  # the files read before the one at fault, the one given first
        self.broken = broken  # a file YAML could not read to its end, and its text


@dataclass(frozen=True)
class ConfigLayer:
    """One file of a site's configuration: the file given first, then each one it inherits from."""

    path: str  # as messages name it: the first as given, each inherited one from its INHERIT line
    source: Path  # where it is read from
    text: str
    data: dict[str, Any]  # as this file alone says it, INHERIT taken out


def unshowable_in_config(layers: Sequence[ConfigLayer]) -> list[Problem]:
    """Every text in the configuration files that an escape or `!ENV` made hold a character no
    page or feed can hold (`site_name: "Regio\\x01"`), at the text: a feed writer would stop at it.
    (Written as they are, YAML's reader refuses such characters already.)"""
    problems = []
    for layer in layers:
        for start, _end, text in config_texts(layer.text):
            if found := UNSHOWABLE.search(text):
                problems.append(
                    Problem(layer.path, start.line + 1, start.column + 1, unshowable_message(found.group()))
                )
    return sorted(problems)


def read_layers(config_file: Path, loader: type[yaml.SafeLoader], shown: str | None = None) -> list[ConfigLayer]:
    """`config_file` and every file it inherits from, itself first. Raises ConfigFilesError for
    a file that cannot be read, is no mapping, or names one that is missing or leads back round
    (MkDocs would say the first and run out of stack on the last)."""
    layers: list[ConfigLayer] = []
    path, shown = config_file, shown or config_file.as_posix()
    while True:
        layer, inherit = _read_layer(path, shown, loader, layers)
        layers.append(layer)
        if inherit is None:
            return layers
        path, shown = _inherited_file(inherit, layers)


def _inherited_file(inherit: tuple[Any, int, int], layers: list[ConfigLayer]) -> tuple[Path, str]:
    """The file the last layer inherits from: where it is, and as messages name it."""
    value, line, column = inherit
    layer = layers[-1]

    def fault(message: str) -> ConfigFilesError:
        return ConfigFilesError(Problem(layer.path, line, column, f"{INHERIT}: {message}"), layers)

    if not isinstance(value, str) or not value:
        raise fault(_("expected the name of a configuration file, found {value}").format(value=describe(value)))
    # Relative to the folder of the file that names it, as MkDocs has it.
    path = Path(os.path.normpath(os.path.join(os.path.dirname(layer.source), value)))
    shown = Path(os.path.normpath(os.path.join(os.path.dirname(layer.path), value))).as_posix()
    if path.is_dir():
        raise fault(_("'{name}' is a folder; name the configuration file in it").format(name=value))
    if not path.is_file():
        missing = _("the configuration file '{name}' to inherit from is not found")
        if shown != value:  # named from another folder than this file's
            missing = _("the configuration file '{name}' to inherit from is not found at {path}")
        raise fault(missing.format(name=value, path=shown))
    if len(layers) >= MAX_LAYERS or any(_where_read(path) == _where_read(earlier.source) for earlier in layers):
        raise fault(
            _(
                "'{name}' is this file or one that inherits from it, so the chain would never end; remove this line"
            ).format(name=value)
        )
    return path, shown


def _where_read(path: Path) -> str:
    """A file as MkDocs names it on the way: the path joined as written, `..` taken as text, not
    through a linked folder. The same path again goes round for good; a chain of paths that
    grow through a link to a folder above them ends at MAX_LAYERS."""
    return os.path.abspath(path)


def merged(layers: list[ConfigLayer]) -> dict[str, Any]:
    """The settings the layers make together, as MkDocs merges them: a mapping merged key by key,
    any other value (a list too) replaced by the one of the file that inherits."""
    result: dict[str, Any] = {}
    for layer in reversed(layers):
        result = mergedeep.merge(result, layer.data)
    return result


def _read_layer(
    path: Path, shown: str, loader: type[yaml.SafeLoader], read: list[ConfigLayer]
) -> tuple[ConfigLayer, tuple[Any, int, int] | None]:
    """One file's settings, and the file it inherits from (as written, and where) if it names one."""
    text = None
    try:
        text = decode_config(path.read_bytes())
        data = yaml.load(text, Loader=loader)
        inherit = _inherit(text) if isinstance(data, dict) and INHERIT in data else None
    except UnicodeDecodeError:
        raise ConfigFilesError(Problem(shown, 1, 1, _("file is not UTF-8; save it as UTF-8")), read) from None
    except OSError as error:
        message = _("cannot read file: {reason}").format(reason=error.strerror or error)
        raise ConfigFilesError(Problem(shown, 1, 1, message), read) from None
    except yaml.MarkedYAMLError as error:  # in the words and at the place a story's would be told
        line, column, message = syntax_problem(text or "", error)
        raise ConfigFilesError(Problem(shown, line + 1, column, message), read, (path, text or "")) from None
    except yaml.reader.ReaderError as error:  # a control character YAML does not accept
        line, column, message = reader_problem(text or "", error)
        raise ConfigFilesError(Problem(shown, line + 1, column, message), read, (path, text or "")) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        message = _("expected a mapping of settings, found {value}").format(value=describe(data))
        raise ConfigFilesError(Problem(shown, 1, 1, message), read)
    data.pop(INHERIT, None)
    return ConfigLayer(shown, path, text, data), inherit


def _inherit(text: str) -> tuple[Any, int, int]:
    """INHERIT's value (`!ENV` resolved) and where it is written: the last one, which YAML keeps."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.MappingNode)  # the file loaded as a mapping
    node = [value for key, value in root.value if key.value == INHERIT][-1]
    value = EnvTagLoader("").construct_object(node, deep=True)  # as MkDocs reads it, whatever reads the rest
    return value, node.start_mark.line + 1, node.start_mark.column + 1
