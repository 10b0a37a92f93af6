"""mkdocs.yml read as MkDocs reads it: a file that names another under `INHERIT:` takes that
file's settings as its own, deep-merged beneath what it says itself (with mergedeep, as MkDocs
merges them). Each file read is kept as a layer, so that a problem is told in the file where
it was written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mergedeep  # type: ignore[import-untyped]
import yaml

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem, describe
from regioverhalen.content.yaml_errors import syntax_problem

INHERIT = "INHERIT"


class SettingsError(Exception):
    """An unreadable mkdocs.yml or unusable plugin options; carries a problem for each."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ConfigLayer:
    """One file of a site's configuration: the file given first, then each one it inherits from."""

    path: str  # as messages name it: the first as given, each inherited one from its INHERIT line
    source: Path  # where it is read from
    text: str
    data: dict[str, Any]  # as this file alone says it, INHERIT taken out


def read_layers(config_file: Path, loader: type[yaml.SafeLoader], shown: str | None = None) -> list[ConfigLayer]:
    """`config_file` and every file it inherits from, itself first. Raises SettingsError for a
    file that cannot be read, is no mapping, or names a file that is missing or inherits from
    itself along the way (MkDocs would say the first and run out of stack on the last)."""
    layers: list[ConfigLayer] = []
    seen: set[Path] = set()
    path, shown = config_file, shown or config_file.as_posix()
    while True:
        seen.add(path.resolve())
        layer = _read_layer(path, shown, loader)
        layers.append(layer)
        if INHERIT not in layer.data:
            return layers
        inherit = layer.data.pop(INHERIT)
        line, column = _top_level_value(layer.text, INHERIT)
        if not isinstance(inherit, str) or not inherit:
            message = _("expected the name of a configuration file, found {value}").format(value=describe(inherit))
            raise SettingsError([Problem(shown, line, column, f"{INHERIT}: {message}")])
        # Relative to the folder of the file that names it, as MkDocs has it.
        path = Path(os.path.normpath(os.path.join(os.path.dirname(path), inherit)))
        shown = Path(os.path.normpath(os.path.join(os.path.dirname(shown), inherit))).as_posix()
        if not path.is_file():
            message = _("the configuration file '{name}' to inherit from is not found at {path}").format(
                name=inherit, path=shown
            )
            raise SettingsError([Problem(layer.path, line, column, f"{INHERIT}: {message}")])
        if path.resolve() in seen:
            message = _(
                "'{name}' is this file or one that inherits from it, so the chain would never end; remove this line"
            )
            raise SettingsError([Problem(layer.path, line, column, f"{INHERIT}: {message.format(name=inherit)}")])


def merged(layers: list[ConfigLayer]) -> dict[str, Any]:
    """The settings the layers make together, as MkDocs merges them: a mapping merged key by key,
    any other value (a list too) replaced by the one of the file that inherits."""
    result: dict[str, Any] = {}
    for layer in reversed(layers):
        result = mergedeep.merge(result, layer.data)
    return result


def _read_layer(path: Path, shown: str, loader: type[yaml.SafeLoader]) -> ConfigLayer:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=loader)
    except UnicodeDecodeError:
        raise SettingsError([Problem(shown, 1, 1, _("file is not UTF-8; save it as UTF-8"))]) from None
    except OSError as error:
        message = _("cannot be read: {error}").format(error=error.strerror or error)
        raise SettingsError([Problem(shown, 1, 1, message)]) from None
    except yaml.MarkedYAMLError as error:  # in the words and at the place a story's would be told
        line, column, message = syntax_problem(text, error)
        raise SettingsError([Problem(shown, line + 1, column, message)]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        message = _("expected a mapping of settings, found {value}").format(value=describe(data))
        raise SettingsError([Problem(shown, 1, 1, message)])
    return ConfigLayer(shown, path, text, data)


def _top_level_value(text: str, key: str) -> tuple[int, int]:
    """Line and column of a top-level key's value (the file has been loaded: it composes)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == key:
                return value_node.start_mark.line + 1, value_node.start_mark.column + 1
    return 1, 1
