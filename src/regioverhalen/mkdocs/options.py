"""The plugin's options as MkDocs reads them: every option that site/settings.py defines, taken
as mkdocs.yml gives it (`!ENV` resolved), and checked by `settings_from_options`, which reads the
options for `regioverhalen check` too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.base import BaseConfigOption, LegacyConfig
from mkdocs.config.defaults import MkDocsConfig

from regioverhalen.site.settings import OPTION_DEFAULTS

#: An option mkdocs.yml does not give: `settings_from_options` takes its default.
_NOT_GIVEN = object()


class _AsWritten(BaseConfigOption[Any]):
    def __init__(self) -> None:
        super().__init__()
        self.default = _NOT_GIVEN

    def run_validation(self, value: object) -> Any:
        return value


CONFIG_SCHEME = tuple((name, _AsWritten()) for name in OPTION_DEFAULTS)


def given_options(config: LegacyConfig) -> dict[str, Any]:
    """The options mkdocs.yml gives, as it gives them; the defaults are then put in the plugin's
    config for the others, which templates read (`config.plugins["regioverhalen"].config`)."""
    given = {key: value for key, value in config.items() if value is not _NOT_GIVEN}
    config.update({key: default for key, default in OPTION_DEFAULTS.items() if key not in given})
    return given


def site_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which the plugin's folder options are relative to."""
    return Path(config.config_file_path or ".").resolve().parent


def shown_docs_dir(config: MkDocsConfig) -> str:
    """The hand-written pages' folder as messages name it: from the folder of mkdocs.yml."""
    docs_dir = Path(config.docs_dir).resolve()
    root = site_root(config)
    return docs_dir.relative_to(root).as_posix() if docs_dir.is_relative_to(root) else str(docs_dir)
