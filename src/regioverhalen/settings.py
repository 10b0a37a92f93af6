"""The generator's settings: the plugin's options in `mkdocs.yml`, readable without MkDocs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from regioverhalen.loading import ContentPaths

PLUGIN_NAME = "regioverhalen"


@dataclass(frozen=True)
class Goal:
    """The CoP's 'stip op de horizon': demonstrable breakthroughs in `regions` regions by `deadline`."""

    regions: int = 10
    deadline: dt.date = dt.date(2024, 12, 31)


@dataclass(frozen=True)
class Settings:
    paths: ContentPaths
    goal: Goal = field(default_factory=Goal)
    site_url: str = ""
    site_name: str = "Regioverhalen"


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!!python/name:` and `!ENV` tags only MkDocs can resolve."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def plugin_options(config: dict[str, Any]) -> dict[str, Any] | None:
    """The options given to our plugin in a parsed mkdocs.yml, or None if it is not enabled."""
    for entry in config.get("plugins") or []:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return dict(entry[PLUGIN_NAME] or {})
    return None


def settings_from_options(root: Path, options: dict[str, Any], site_url: str = "", site_name: str = "Regioverhalen") -> Settings:
    deadline = options.get("goal_deadline", Goal.deadline)
    if isinstance(deadline, str):
        deadline = dt.date.fromisoformat(deadline)
    return Settings(
        paths=ContentPaths(
            root=root,
            stories_dir=options.get("stories_dir", "stories"),
            regions_dir=options.get("regions_dir", "regions"),
            allowed_html_tags=tuple(options.get("allow_html_tags") or ()),
        ),
        goal=Goal(regions=int(options.get("goal_regions", Goal.regions)), deadline=deadline),
        site_url=site_url or "",
        site_name=site_name,
    )


def read_settings(config_file: Path) -> Settings:
    """Settings from a mkdocs.yml; defaults if the file or the plugin entry is absent."""
    root = config_file.resolve().parent
    if not config_file.is_file():
        return settings_from_options(root, {})
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    return settings_from_options(
        root, plugin_options(config) or {}, config.get("site_url") or "", config.get("site_name") or "Regioverhalen"
    )
